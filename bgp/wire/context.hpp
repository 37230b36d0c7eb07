#pragma once
// What the codec must know about the session to read or write a message: the things
// negotiated in OPEN that change the encoding (RFC 6793 4-octet AS, RFC 7911 ADD-PATH,
// RFC 8654 extended message). The same struct serves decode and encode.
#include <algorithm>
#include <cstddef>
#include <vector>

#include "bgp/wire/types.hpp"

namespace evpnd::bgp::wire {

constexpr std::size_t kHeaderSize = 19;
constexpr std::size_t kMaxMessageSize = 4096;           // RFC 4271 §4.1
constexpr std::size_t kMaxExtendedMessageSize = 65535;  // RFC 8654

struct CodecContext {
  bool four_octet_as = true;            // both sides sent capability 65
  bool extended_message = false;        // both sides sent capability 6
  std::vector<AfiSafi> add_path_rx;     // families whose NLRI we receive with path ids
  std::vector<AfiSafi> add_path_tx;     // families whose NLRI we send with path ids

  [[nodiscard]] bool add_path_receive(AfiSafi f) const {
    return std::find(add_path_rx.begin(), add_path_rx.end(), f) != add_path_rx.end();
  }
  [[nodiscard]] bool add_path_send(AfiSafi f) const {
    return std::find(add_path_tx.begin(), add_path_tx.end(), f) != add_path_tx.end();
  }
  [[nodiscard]] std::size_t max_message_size() const {
    return extended_message ? kMaxExtendedMessageSize : kMaxMessageSize;
  }
};
using DecodeContext = CodecContext;
using EncodeContext = CodecContext;

}  // namespace evpnd::bgp::wire
