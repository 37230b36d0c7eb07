// A route split into key and path data and joined again is the route it was, for every
// route type with every field set to something other than its default: what the key
// leaves out the data must carry (a RIB stores only the two).
#include <gtest/gtest.h>

#include "evpn/route_data.hpp"
#include "route_samples.hpp"

using namespace evpnd::evpn;
namespace wire = evpnd::bgp::wire;

namespace {
using evpnd::test::ip;
using evpnd::test::kEsi;
using evpnd::test::kMac;
using evpnd::test::kRd;

void expect_round_trip(const EvpnRoute& r) {
  EXPECT_EQ(join(route_key(r), route_data(r)), r) << to_string(r);
}
}  // namespace

TEST(RouteData, EveryTypeJoinsBackToTheRoute) {
  expect_round_trip(EadRoute{kRd, kEsi, EthernetTag{7}, Label{1001}});
  expect_round_trip(MacIpRoute{kRd, kEsi, EthernetTag{3}, kMac, std::nullopt, Label{100}, std::nullopt});
  expect_round_trip(MacIpRoute{kRd, kEsi, EthernetTag{3}, kMac, ip("192.168.100.1"), Label{100}, Label{4001}});
  expect_round_trip(MacIpRoute{kRd, {}, {}, kMac, ip("2001:db8::1"), Label{100}, std::nullopt});
  expect_round_trip(ImetRoute{kRd, EthernetTag{5}, ip("10.0.0.1")});
  expect_round_trip(EsRoute{kRd, kEsi, ip("2001:db8::9")});
  expect_round_trip(IpPrefixRoute{kRd, kEsi, EthernetTag{2}, ip("10.1.0.0"), 16, ip("10.1.0.254"), Label{5000}});
  expect_round_trip(IpPrefixRoute{kRd, {}, {}, ip("2001:db8:1::"), 48, ip("::"), Label{5000}});
  expect_round_trip(UnknownRoute{9, {1, 2, 3, 4}});
}

TEST(RouteData, HoldsOnlyWhatTheKeyLeavesOut) {
  // Type-3 and Type-4 are all key: their data is the default.
  EXPECT_EQ(route_data(ImetRoute{kRd, EthernetTag{5}, ip("10.0.0.1")}), RouteData{});
  EXPECT_EQ(route_data(EsRoute{kRd, kEsi, ip("10.0.0.1")}), RouteData{});
  const auto d = route_data(MacIpRoute{kRd, kEsi, EthernetTag{3}, kMac, std::nullopt, Label{100}, Label{4001}});
  EXPECT_EQ(d.esi, kEsi);
  EXPECT_EQ(d.label, Label{100});
  EXPECT_EQ(d.label2, Label{4001});
  EXPECT_FALSE(d.gateway);
}
