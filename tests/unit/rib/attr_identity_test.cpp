// attr_identity: the structural identity AttrStore interns by. Changing any field a path
// is judged, forwarded or re-advertised by makes another set (and, for these cases,
// another hash); changing what belongs to one message (wire order, the NLRI in MP_REACH,
// MP_UNREACH) does not, and the copy the store keeps has none of it.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "rib/attr_identity.hpp"
#include "unit/rib/rib_test_support.hpp"

namespace evpnd::rib {
namespace {

namespace wire = bgp::wire;
using Mutation = std::pair<std::string, std::function<void(wire::PathAttributes&)>>;

wire::PathAttributes base() {
  auto a = test::decode_capture("frr_type3_pmsi.hex").attrs;  // ORIGIN, AS_PATH, MP_REACH, EXT, PMSI
  a.med = 10;
  a.communities = {0xFDE90064};
  return a;
}

TEST(AttrIdentity, EveryFieldTellsSetsApart) {
  const std::vector<Mutation> mutations = {
      {"origin", [](auto& a) { a.origin = wire::Origin::Incomplete; }},
      {"as path", [](auto& a) { a.as_path->segments.front().asns.push_back(65009); }},
      {"as path segment type", [](auto& a) { a.as_path->segments.front().type = wire::AsPathSegmentType::Set; }},
      {"no as path", [](auto& a) { a.as_path.reset(); }},
      {"next hop", [](auto& a) { a.next_hop = test::ip("10.9.9.9"); }},
      {"med", [](auto& a) { a.med = 11; }},
      {"no med", [](auto& a) { a.med.reset(); }},
      {"local pref", [](auto& a) { a.local_pref = 200; }},
      {"atomic aggregate", [](auto& a) { a.atomic_aggregate = true; }},
      {"aggregator", [](auto& a) { a.aggregator = wire::Aggregator{wire::Asn{65001}, test::ip("10.0.0.1")}; }},
      {"community", [](auto& a) { a.communities.push_back(0xFFFFFF01); }},
      {"originator id", [](auto& a) { a.originator_id = wire::RouterId{0x0a000009}; }},
      {"cluster list", [](auto& a) { a.cluster_list.push_back(0x0a000001); }},
      {"mp next hop", [](auto& a) { a.mp_reach->next_hop = {10, 0, 0, 99}; }},
      {"mp family", [](auto& a) { a.mp_reach->family = wire::AfiSafi::ipv4_unicast(); }},
      {"no mp reach", [](auto& a) { a.mp_reach.reset(); }},
      {"ext community", [](auto& a) { a.extended_communities.front().bytes[7] ^= 1; }},
      {"ext community order", [](auto& a) {
         a.extended_communities.push_back(wire::ExtendedCommunity{{0x06, 0x00, 0, 0, 0, 0, 0, 2}});
       }},
      {"large community", [](auto& a) { a.large_communities.push_back(wire::LargeCommunity{65001, 1, 2}); }},
      {"pmsi label", [](auto& a) { a.pmsi_tunnel->label = 4242; }},
      {"pmsi endpoint", [](auto& a) { a.pmsi_tunnel->tunnel_id = {10, 0, 0, 77}; }},
      {"no pmsi", [](auto& a) { a.pmsi_tunnel.reset(); }},
      {"unknown attribute", [](auto& a) { a.unknown.push_back(wire::UnknownAttribute{0xc0, 99, {1, 2}}); }},
  };
  const auto b = base();
  for (const auto& [name, mutate] : mutations) {
    auto m = b;
    mutate(m);
    EXPECT_FALSE(same_attributes(b, m)) << name;
    EXPECT_FALSE(same_attributes(m, b)) << name;
    EXPECT_NE(attributes_hash(b), attributes_hash(m)) << name;
  }
}

TEST(AttrIdentity, PerMessagePartsDoNotCount) {
  const auto b = base();
  auto m = b;
  m.wire_order = {{1, 0x40}};
  m.mp_reach->nlri = {1, 2, 3};
  m.mp_reach->prefixes.push_back(wire::Prefix{test::ip("10.1.0.0"), 16, std::nullopt});
  m.mp_unreach = wire::MpUnreach{wire::AfiSafi::l2vpn_evpn(), {9, 9}, {}, {}};
  EXPECT_TRUE(same_attributes(b, m));
  EXPECT_EQ(attributes_hash(b), attributes_hash(m));
  const auto c = canonical_copy(m);
  EXPECT_TRUE(same_attributes(c, b));
  EXPECT_TRUE(c.mp_reach->nlri.empty());
  EXPECT_TRUE(c.mp_reach->prefixes.empty());
  EXPECT_FALSE(c.mp_unreach);
  EXPECT_TRUE(c.wire_order.empty());
}

}  // namespace
}  // namespace evpnd::rib
