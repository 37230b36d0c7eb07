// libFuzzer target for the OPEN body codec (RFC 4271 §4.2, RFC 5492, RFC 9072).
// Input: an OPEN body, or a whole message (the seeds are captured messages), in which
// case the 19-byte header is skipped. Whatever decodes must re-encode to a value that
// decodes equal, and to the same bytes (the codec promises byte-exact re-encoding).
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "bgp/wire/open.hpp"

using namespace evpnd::bgp::wire;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ByteSpan in(data, size);
  if (in.size() >= kHeaderSize && std::all_of(in.begin(), in.begin() + 16, [](std::uint8_t b) { return b == 0xFF; }))
    in = in.subspan(kHeaderSize);

  auto first = decode_open(in);
  if (!first) return 0;
  ByteVec body;
  encode_open_body(*first, body);
  auto second = decode_open(body);
  if (!second || !(*second == *first)) __builtin_trap();

  // Byte for byte, except that RFC 9072 ignores the Non-Ext OP Len value of an extended
  // OPEN on receipt and we always write 255 there.
  ByteVec expect(in.begin(), in.end());
  if (first->extended_params) expect[9] = 255;
  if (body != expect) __builtin_trap();
  return 0;
}
