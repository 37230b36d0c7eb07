#pragma once
// One capability TLV (RFC 5492 §4: code, 1-octet length, value). Used by the OPEN codec
// (open.cpp) for the contents of optional parameters of type 2; exposed so that tests and
// tools can work on a single capability.
#include <cstddef>
#include <cstdint>

#include "bgp/wire/bytes.hpp"
#include "bgp/wire/decode_error.hpp"
#include "bgp/wire/open.hpp"
#include "bgp/wire/result.hpp"
#include "bgp/wire/writer.hpp"

namespace evpnd::bgp::wire {

// Decodes the value of capability `code`. `length_offset` is the offset (in the whole
// message) of the capability's length octet, reported when the value is rejected.
// A value whose length or content is wrong for its code comes back as UnknownCap with
// the bytes kept (RFC 5492 §4: a capability we cannot understand is ignored, not fatal),
// except the 4-octet AS capability, whose length must be 4 (RFC 6793 §3) -> OPEN Message
// Error / Unspecific.
Result<Capability, DecodeError> decode_capability(std::uint8_t code, ByteSpan value, std::size_t length_offset);

// Appends code, length and value. Values that cannot fit the 1-octet length (only
// possible for locally built capabilities, never for decoded ones) are cut to whole
// entries, strings or bytes that fit in 255 octets.
void encode_capability(const Capability& c, Writer& w);

}  // namespace evpnd::bgp::wire
