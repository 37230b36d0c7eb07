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
  PeerTables tables;
  rib::AdjRibIn& adj = tables.evpn;
  rib::AttrStore store;
  InboundPolicy policy;
  policy.local_as = 65002;
  const auto r = apply_update(capture("frr_type2_mac_reflected.hex"), {}, {}, policy, tables, store);
  EXPECT_EQ(r.announced, 0u);
  EXPECT_EQ(r.looped, 1u);
  EXPECT_EQ(adj.size(), 0u);
}

TEST(InboundLoop, SameRouteIsAcceptedByAnAsNotInThePath) {
  PeerTables tables;
  rib::AdjRibIn& adj = tables.evpn;
  rib::AttrStore store;
  InboundPolicy policy;
  policy.local_as = 65003;
  const auto r = apply_update(capture("frr_type2_mac_reflected.hex"), {}, {}, policy, tables, store);
  EXPECT_EQ(r.announced, 1u);
  EXPECT_EQ(r.looped, 0u);
  EXPECT_EQ(adj.size(), 1u);
}

TEST(InboundLoop, LoopedAnnouncementReplacesAnEarlierPathByWithdrawingIt) {
  PeerTables tables;
  rib::AdjRibIn& adj = tables.evpn;
  rib::AttrStore store;
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

}  // namespace
}  // namespace evpnd::bgp
