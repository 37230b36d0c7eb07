// RFC 4271 §9.1.2: a route whose AS_PATH holds our own AS is not accepted. FRR sends a
// leaf's routes back to it over eBGP (frr_*_reflected.hex: AS path [65001 65002] as
// leaf 65002 receives it), and the interop test caught evpnd storing them.
#include <gtest/gtest.h>

#include "bgp/inbound.hpp"
#include "bgp/wire/message.hpp"
#include "support/testdata.hpp"

namespace evpnd::bgp {
namespace {

wire::DecodedUpdate capture(const std::string& name) {
  auto m = wire::decode_message(test::testdata(name), wire::CodecContext{});
  EXPECT_TRUE(m.ok());
  return std::get<wire::DecodedUpdate>(m.value());
}

TEST(InboundLoop, RouteCarryingOurAsIsDroppedAndCounted) {
  rib::AttrStore store;  // first: the paths' AttrRefs go before their store
  PeerTables tables;
  rib::AdjRibIn& adj = tables.evpn;
  InboundPolicy policy;
  policy.local_as = 65002;
  const auto r = apply_update(capture("frr_type2_mac_reflected.hex"), {}, {}, policy, tables, store);
  EXPECT_EQ(r.announced, 0u);
  EXPECT_EQ(r.looped, 1u);
  EXPECT_EQ(adj.size(), 0u);
}

TEST(InboundLoop, SameRouteIsAcceptedByAnAsNotInThePath) {
  rib::AttrStore store;  // first: the paths' AttrRefs go before their store
  PeerTables tables;
  rib::AdjRibIn& adj = tables.evpn;
  InboundPolicy policy;
  policy.local_as = 65003;
  const auto r = apply_update(capture("frr_type2_mac_reflected.hex"), {}, {}, policy, tables, store);
  EXPECT_EQ(r.announced, 1u);
  EXPECT_EQ(r.looped, 0u);
  EXPECT_EQ(adj.size(), 1u);
}

TEST(InboundLoop, LoopedAnnouncementReplacesAnEarlierPathByWithdrawingIt) {
  rib::AttrStore store;  // first: the paths' AttrRefs go before their store
  PeerTables tables;
  rib::AdjRibIn& adj = tables.evpn;
  // The same key first arrives without our AS (accepted), then with it (a loop): the
  // later UPDATE is an implicit withdrawal of the earlier path, not an ignored message.
  InboundPolicy policy;
  policy.local_as = 65099;
  const auto first = apply_update(capture("frr_type2_mac.hex"), {}, {}, policy, tables, store);
  ASSERT_EQ(first.announced, 1u);
  auto looped = capture("frr_type2_mac.hex");
  looped.update.attrs.as_path->segments.front().asns.push_back(65099);
  const auto r = apply_update(looped, {}, {}, policy, tables, store);
  EXPECT_EQ(r.looped, 1u);
  EXPECT_EQ(r.withdrawn, 1u);
  EXPECT_EQ(adj.size(), 0u);
}

TEST(InboundLoop, AllowasInAcceptsUpToNOccurrences) {
  // frr_type2_mac_reflected.hex carries [65001 65002]: 65002 once.
  rib::AttrStore store;
  InboundPolicy policy;
  policy.local_as = 65002;
  policy.allowas_in = 1;
  PeerTables once;
  EXPECT_EQ(apply_update(capture("frr_type2_mac_reflected.hex"), {}, {}, policy, once, store).announced, 1u);
  auto twice = capture("frr_type2_mac_reflected.hex");
  twice.update.attrs.as_path->segments.front().asns.push_back(65002);
  PeerTables tables;
  const auto r = apply_update(twice, {}, {}, policy, tables, store);
  EXPECT_EQ(r.looped, 1u);
  EXPECT_EQ(tables.evpn.size(), 0u);
}

TEST(InboundLoop, Rfc4456OurOriginatorIdOrClusterIdIsALoop) {
  rib::AttrStore store;
  InboundPolicy policy;
  policy.router_id = wire::RouterId{0x0a000001};
  policy.cluster_id = 0x0a0000fe;
  auto mine = capture("frr_type2_mac.hex");
  mine.update.attrs.originator_id = wire::RouterId{0x0a000001};
  PeerTables t1;
  EXPECT_EQ(apply_update(mine, {}, {}, policy, t1, store).looped, 1u);
  auto our_cluster = capture("frr_type2_mac.hex");
  our_cluster.update.attrs.cluster_list = {0x0a000009, 0x0a0000fe};
  PeerTables t2;
  EXPECT_EQ(apply_update(our_cluster, {}, {}, policy, t2, store).looped, 1u);
  auto other = capture("frr_type2_mac.hex");
  other.update.attrs.originator_id = wire::RouterId{0x0a000002};
  other.update.attrs.cluster_list = {0x0a000009};
  PeerTables t3;
  EXPECT_EQ(apply_update(other, {}, {}, policy, t3, store).announced, 1u);
}

}  // namespace
}  // namespace evpnd::bgp
