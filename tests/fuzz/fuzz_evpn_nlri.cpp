// libFuzzer target for the EVPN NLRI codec (evpn/nlri.hpp).
//
// Input: the first byte chooses ADD-PATH (low bit), the rest is an MP_REACH/MP_UNREACH
// NLRI field. Properties checked, beyond "no crash, no sanitizer report":
//  - whatever decodes re-encodes to exactly the input bytes, and encoded_size agrees;
//  - the zero-allocation visitor sees the same NLRI as decode_evpn_nlris, and fails with
//    the same offset when it fails;
//  - an error's offset lies inside the input, with code 3 / subcode 9;
//  - route keys and FRR strings can be built for every decoded NLRI, and equal routes
//    have equal keys.
#include <cstddef>
#include <cstdint>

#include "evpn/nlri.hpp"

using namespace evpnd::evpn;
namespace wire = evpnd::bgp::wire;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const bool add_path = (data[0] & 1) != 0;
  const wire::ByteSpan in(data + 1, size - 1);
  constexpr std::size_t kBase = 23;  // any non-zero base, to check offsets are shifted

  auto res = decode_evpn_nlris(in, add_path, kBase);
  std::size_t visited = 0;
  bool mismatch = false;
  auto walk = for_each_evpn_nlri(in, add_path, kBase, [&](const EvpnNlri& n) {
    if (!res.ok() || visited >= res->size() || !(n == (*res)[visited])) mismatch = true;
    ++visited;
  });
  if (res.ok() != walk.ok()) __builtin_trap();

  if (!res.ok()) {
    const auto& e = res.error();
    if (e.code != 3 || e.subcode != 9) __builtin_trap();
    if (e.offset < kBase || e.offset >= kBase + in.size()) __builtin_trap();
    if (walk.error().offset != e.offset) __builtin_trap();
    return 0;
  }
  if (mismatch || *walk != res->size() || visited != res->size()) __builtin_trap();

  wire::ByteVec out;
  std::size_t expected_size = 0;
  for (const auto& n : *res) {
    expected_size += encoded_size(n, add_path);
    encode_evpn_nlri(n, add_path, out);
    const EvpnRouteKey key = route_key(n.route);
    if (!(key == route_key(EvpnRoute(n.route)))) __builtin_trap();
    if (std::hash<EvpnRouteKey>{}(key) != std::hash<EvpnRouteKey>{}(route_key(n.route))) __builtin_trap();
    if (to_string(n.route).empty()) __builtin_trap();
  }
  if (out.size() != in.size() || expected_size != in.size()) __builtin_trap();
  for (std::size_t i = 0; i < in.size(); ++i)
    if (out[i] != in[i]) __builtin_trap();
  return 0;
}
