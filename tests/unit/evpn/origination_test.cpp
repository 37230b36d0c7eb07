// The attributes of the routes evpnd originates (evpn/origination.hpp): the VTEP as MP
// next hop, VXLAN encapsulation on every route, PMSI ingress replication on Type-3 with
// the originating IP and the VNI, MAC Mobility only from sequence 1 or sticky on; and the
// bulk MAC counter, carried across octets.
#include <gtest/gtest.h>

#include <algorithm>

#include "evpn/origination.hpp"

using namespace evpnd::evpn;
namespace wire = evpnd::bgp::wire;

namespace {

wire::IpAddress ip(const char* s) { return *wire::IpAddress::parse(s); }

OriginationParams params() {
  OriginationParams p;
  p.next_hop = ip("10.0.0.2");
  p.route_targets = {RouteTarget::as2(65000, 100)};
  p.vni = 100;
  return p;
}

MacIpRoute mac_route(const char* mac) {
  MacIpRoute r;
  r.rd = *RouteDistinguisher::parse("10.0.0.2:100");
  r.mac = *MacAddress::parse(mac);
  r.label1 = Label{100};
  return r;
}

template <class T>
std::vector<T> communities(const wire::PathAttributes& a) {
  std::vector<T> out;
  for (const auto& c : a.extended_communities)
    if (auto v = T::decode(c)) out.push_back(*v);
  return out;
}

TEST(Origination, Type2CarriesTheVtepTheRtsAndVxlanAndNoMobilityAtSequenceZero) {
  const auto a = origination_attributes(mac_route("02:00:00:00:00:01"), params());
  EXPECT_EQ(a.origin, wire::Origin::Igp);
  ASSERT_TRUE(a.mp_reach);
  EXPECT_EQ(a.mp_reach->family, wire::AfiSafi::l2vpn_evpn());
  EXPECT_EQ(a.mp_reach->next_hop, (wire::ByteVec{10, 0, 0, 2}));
  EXPECT_EQ(communities<RouteTarget>(a), std::vector{RouteTarget::as2(65000, 100)});
  const auto enc = communities<Encapsulation>(a);
  ASSERT_EQ(enc.size(), 1u);
  EXPECT_EQ(enc[0].tunnel_type, Encapsulation::kVxlan);
  EXPECT_TRUE(communities<MacMobility>(a).empty());  // RFC 7432 §15.1: absent means 0
  EXPECT_FALSE(a.pmsi_tunnel);
}

TEST(Origination, MobilityFromSequenceOneOrSticky) {
  auto p = params();
  p.mobility_sequence = 3;
  auto m = communities<MacMobility>(origination_attributes(mac_route("02:00:00:00:00:01"), p));
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].sequence, 3u);
  EXPECT_FALSE(m[0].sticky);
  p.mobility_sequence = 0;
  p.sticky = true;
  m = communities<MacMobility>(origination_attributes(mac_route("02:00:00:00:00:01"), p));
  ASSERT_EQ(m.size(), 1u);
  EXPECT_TRUE(m[0].sticky);
  EXPECT_EQ(m[0].sequence, 0u);
}

TEST(Origination, Type3CarriesPmsiIngressReplicationToTheOriginatorWithTheVni) {
  auto p = params();
  p.mobility_sequence = 5;  // not for a Type-3
  const auto a = origination_attributes(
      ImetRoute{*RouteDistinguisher::parse("10.0.0.2:100"), EthernetTag{0}, ip("10.0.0.2")}, p);
  ASSERT_TRUE(a.pmsi_tunnel);
  EXPECT_EQ(a.pmsi_tunnel->tunnel_type, wire::PmsiTunnel::kIngressReplication);
  EXPECT_EQ(a.pmsi_tunnel->label, 100u);
  EXPECT_EQ(a.pmsi_tunnel->tunnel_id, (wire::ByteVec{10, 0, 0, 2}));
  EXPECT_EQ(a.pmsi_tunnel->flags, 0);
  EXPECT_TRUE(communities<MacMobility>(a).empty());
  EXPECT_EQ(communities<Encapsulation>(a).size(), 1u);
}

TEST(Origination, RouterMacAndDefaultGatewayWhenAskedFor) {
  auto p = params();
  p.router_mac = MacAddress::parse("02:aa:00:00:00:01");
  p.default_gateway = true;
  const auto a = origination_attributes(mac_route("02:00:00:00:00:01"), p);
  const auto rm = communities<RouterMac>(a);
  ASSERT_EQ(rm.size(), 1u);
  EXPECT_EQ(rm[0].mac, *MacAddress::parse("02:aa:00:00:00:01"));
  EXPECT_EQ(communities<DefaultGateway>(a).size(), 1u);
}

TEST(Origination, ConsecutiveMacsCountUpAcrossOctets) {
  const auto v = consecutive_macs(mac_route("02:00:00:00:00:fe"), 4);
  ASSERT_EQ(v.size(), 4u);
  const char* want[] = {"02:00:00:00:00:fe", "02:00:00:00:00:ff", "02:00:00:00:01:00", "02:00:00:00:01:01"};
  for (std::size_t i = 0; i < 4; ++i) {
    const auto& r = std::get<MacIpRoute>(v[i].route);
    EXPECT_EQ(r.mac, *MacAddress::parse(want[i])) << i;
    EXPECT_EQ(r.rd, mac_route("02:00:00:00:00:01").rd);
    EXPECT_EQ(r.label1, Label{100});
  }
}

}  // namespace
