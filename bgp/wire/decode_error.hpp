#pragma once
// A decode failure that ends the session: it maps one-to-one onto the NOTIFICATION we
// send (RFC 4271 §6), plus where in the message it was found and why, for logs and for
// the decode tool.
#include <cstddef>
#include <cstdint>
#include <string>

#include "bgp/wire/bytes.hpp"
#include "bgp/wire/error_codes.hpp"

namespace evpnd::bgp::wire {

struct DecodeError {
  std::uint8_t code = 0;
  std::uint8_t subcode = 0;
  ByteVec data;             // NOTIFICATION data field, as the RFC asks for this error
  std::size_t offset = 0;   // byte offset in the message (marker included) where it was found
  std::string reason;       // human-readable, e.g. "ORIGIN value 7 is not 0, 1 or 2"

  static DecodeError make(ErrorCode c, std::uint8_t sub, std::size_t off, std::string why, ByteVec d = {}) {
    return DecodeError{static_cast<std::uint8_t>(c), sub, std::move(d), off, std::move(why)};
  }
};

}  // namespace evpnd::bgp::wire
