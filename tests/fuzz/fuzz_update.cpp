// libFuzzer target for the UPDATE codec (decode_update / encode_update_body).
//
// The input is an UPDATE body, or a whole message when it starts with the 16-octet
// marker (then the 19-octet header is skipped, as the captured seeds are whole
// messages). Properties checked, beyond "no crash, no sanitizer report":
//  - 4-octet session, with and without ADD-PATH: whatever decodes re-encodes to bytes
//    that decode to the same UpdateMessage (wire_order included).
//  - 2-octet session: our own encoding always decodes, and after one normalising round
//    (RFC 6793 §4.2.3 lets a peer send AS4 attributes we would not send back) the
//    round trip is exact as well.
#include <cstddef>
#include <cstdint>

#include "bgp/wire/update.hpp"

using namespace evpnd::bgp::wire;

namespace {

// decode(encode(m)) must succeed; returns it.
UpdateMessage reencode(const UpdateMessage& m, const CodecContext& ctx) {
  ByteVec body;
  encode_update_body(m, ctx, body);
  auto again = decode_update(body, ctx);
  if (!again.ok()) __builtin_trap();  // we produced something we reject
  return std::move(again.value().update);
}

void exact_round_trip(ByteSpan in, std::size_t base, const CodecContext& ctx) {
  auto r = decode_update(in, ctx, base);
  if (!r.ok()) return;
  if (!(reencode(r->update, ctx) == r->update)) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ByteSpan in(data, size);
  std::size_t base = 0;
  bool marker = size >= kHeaderSize;
  for (std::size_t i = 0; marker && i < 16; ++i) marker = data[i] == 0xff;
  if (marker) {
    in = in.subspan(kHeaderSize);
    base = kHeaderSize;
  }

  exact_round_trip(in, base, CodecContext{});

  CodecContext add_path;
  add_path.add_path_rx = add_path.add_path_tx = {AfiSafi::ipv4_unicast(), AfiSafi::ipv6_unicast()};
  exact_round_trip(in, base, add_path);

  CodecContext two;
  two.four_octet_as = false;
  if (auto r = decode_update(in, two, base); r.ok()) {
    const UpdateMessage once = reencode(r->update, two);
    if (!(reencode(once, two) == once)) __builtin_trap();
  }
  return 0;
}
