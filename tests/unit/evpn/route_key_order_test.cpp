// compare_keys is a faster spelling of EvpnRouteKey's operator<=>: for random keys of
// every type, with fields drawn from few values so that ties reach the last field, both
// orders agree on every pair.
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "evpn/route_key_order.hpp"

using namespace evpnd::evpn;
namespace wire = evpnd::bgp::wire;

namespace {

struct Gen {
  std::mt19937 rng{20261201};
  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); }
  std::uint8_t byte() { return static_cast<std::uint8_t>(pick(3) * 0x7f); }  // 0, 127, 254
  RouteDistinguisher rd() {
    RouteDistinguisher r;
    r.type = static_cast<std::uint16_t>(pick(2));
    for (auto& b : r.value) b = byte();
    return r;
  }
  EthernetTag etag() { return EthernetTag{pick(2) ? 0xFFFFFFFFu : static_cast<std::uint32_t>(pick(3))}; }
  wire::IpAddress ip() {
    if (pick(2)) return wire::IpAddress::v4({byte(), byte(), byte(), byte()});
    std::array<std::uint8_t, 16> b{};
    for (auto& x : b) x = byte();
    return wire::IpAddress::v6(b);
  }
  EthernetSegmentId esi() {
    EthernetSegmentId e;
    for (auto& x : e.bytes) x = byte();
    return e;
  }
  EvpnRouteKey key() {
    switch (pick(6)) {
      case 0: return EadRouteKey{rd(), esi(), etag()};
      case 1: {
        MacAddress m;
        for (auto& x : m.bytes) x = byte();
        return MacIpRouteKey{rd(), etag(), m, pick(3) ? std::optional(ip()) : std::nullopt};
      }
      case 2: return ImetRouteKey{rd(), etag(), ip()};
      case 3: return EsRouteKey{rd(), esi(), ip()};
      case 4: return IpPrefixRouteKey{rd(), etag(), ip(), static_cast<std::uint8_t>(pick(3) * 16)};
      default: return UnknownRouteKey{static_cast<std::uint8_t>(6 + pick(2)), {byte(), byte()}};
    }
  }
};

}  // namespace

TEST(RouteKeyOrder, AgreesWithTheDefaultedComparison) {
  Gen g;
  std::vector<EvpnRouteKey> keys;
  for (int i = 0; i < 600; ++i) keys.push_back(g.key());
  std::size_t equal = 0;
  for (const auto& a : keys)
    for (const auto& b : keys) {
      ASSERT_EQ(compare_keys(a, b), a <=> b) << to_string(a) << " vs " << to_string(b);
      equal += (a == b);
    }
  EXPECT_GT(equal, keys.size());  // some distinct draws were equal: ties were reached
}
