// AttrStore: interning of path attribute sets. Equal sets (as captured from FRR and
// GoBGP, whatever their wire order and whatever NLRI their MP_REACH carried) share one
// object; sets that differ in anything a route is judged or forwarded by do not; entries
// nobody holds are dropped.
#include <gtest/gtest.h>

#include <algorithm>

#include "rib/attr_store.hpp"
#include "unit/rib/rib_test_support.hpp"

namespace evpnd::rib {
namespace {

using test::decode_capture;
namespace wire = bgp::wire;

TEST(AttrStore, CapturedTwinsShareOneObject) {
  // frr_type2_mac and frr_type2_macip carry different NLRI with the same attributes
  // (nh 10.0.0.1, IGP, [65001], ENCAP:VXLAN RT:65001:100).
  const auto mac = decode_capture("frr_type2_mac.hex");
  const auto macip = decode_capture("frr_type2_macip.hex");
  ASSERT_NE(mac.attrs.mp_reach->nlri, macip.attrs.mp_reach->nlri);
  AttrStore store;
  auto a = store.intern(mac.attrs);
  auto b = store.intern(macip.attrs);
  EXPECT_EQ(a.get(), b.get());
  EXPECT_EQ(store.live_entries(), 1u);
}

TEST(AttrStore, InternedObjectIsCanonical) {
  const auto cap = decode_capture("frr_type2_mac.hex");
  ASSERT_FALSE(cap.attrs.wire_order.empty());
  AttrStore store;
  auto a = store.intern(cap.attrs);
  ASSERT_TRUE(a->mp_reach);
  EXPECT_TRUE(a->mp_reach->nlri.empty());
  EXPECT_TRUE(a->wire_order.empty());
  EXPECT_FALSE(a->mp_unreach);
  // Everything else is kept.
  EXPECT_EQ(a->mp_reach->next_hop, cap.attrs.mp_reach->next_hop);
  EXPECT_EQ(a->mp_reach->family, wire::AfiSafi::l2vpn_evpn());
  EXPECT_EQ(a->origin, wire::Origin::Igp);
  EXPECT_EQ(a->as_path, cap.attrs.as_path);
  EXPECT_EQ(a->extended_communities, cap.attrs.extended_communities);
}

TEST(AttrStore, WireOrderDoesNotMatter) {
  auto frr = decode_capture("frr_type2_mac.hex").attrs;  // order 14,1,2,16
  auto gobgp_order = frr;
  // GoBGP's order (1,2,14,16) with GoBGP's flags for the same attributes.
  gobgp_order.wire_order = {{1, 0x40}, {2, 0x40}, {14, 0x90}, {16, 0xc0}};
  ASSERT_NE(frr.wire_order, gobgp_order.wire_order);
  AttrStore store;
  EXPECT_EQ(store.intern(frr).get(), store.intern(gobgp_order).get());
  auto none = frr;
  none.wire_order.clear();
  EXPECT_EQ(store.intern(frr).get(), store.intern(none).get());
}

TEST(AttrStore, MpNlriAndMpUnreachDoNotMatter) {
  auto base = decode_capture("frr_type2_mac.hex").attrs;
  auto other = base;
  other.mp_reach->nlri = {1, 2, 3};
  other.mp_reach->prefixes.push_back(wire::Prefix{test::ip("10.1.0.0"), 16, std::nullopt});
  other.mp_unreach = wire::MpUnreach{wire::AfiSafi::l2vpn_evpn(), {9, 9}, {}, {}};
  AttrStore store;
  EXPECT_EQ(store.intern(base).get(), store.intern(other).get());
}

TEST(AttrStore, DifferentNextHopIsAnotherSet) {
  auto a = decode_capture("frr_type2_mac.hex").attrs;
  auto b = a;
  b.mp_reach->next_hop = {10, 0, 0, 9};
  AttrStore store;
  auto ra = store.intern(a);
  auto rb = store.intern(b);
  EXPECT_NE(ra.get(), rb.get());
  EXPECT_EQ(rb->mp_reach->next_hop, (wire::ByteVec{10, 0, 0, 9}));
  EXPECT_EQ(store.live_entries(), 2u);
}

TEST(AttrStore, DifferentCommunitiesAreAnotherSet) {
  const auto base = decode_capture("frr_type2_mac.hex").attrs;
  AttrStore store;
  auto ref = store.intern(base);

  auto more_ext = base;  // MAC mobility added (frr_type2_mac_mobility has it)
  more_ext.extended_communities.push_back(wire::ExtendedCommunity{{0x06, 0x00, 0, 0, 0, 0, 0, 2}});
  EXPECT_NE(store.intern(more_ext).get(), ref.get());

  auto other_rt = base;  // RT 65001:100 -> 65001:200
  for (auto& ec : other_rt.extended_communities)
    if (ec.type() == 0x00 && ec.subtype() == 0x02) ec.bytes[7] = 200;
  ASSERT_NE(other_rt.extended_communities, base.extended_communities);
  EXPECT_NE(store.intern(other_rt).get(), ref.get());

  auto std_comm = base;  // RFC 1997 community
  std_comm.communities.push_back(0xFDE90064);
  EXPECT_NE(store.intern(std_comm).get(), ref.get());

  auto large = base;
  large.large_communities.push_back(wire::LargeCommunity{65001, 1, 2});
  EXPECT_NE(store.intern(large).get(), ref.get());
}

TEST(AttrStore, OtherAttributesTellSetsApart) {
  const auto base = decode_capture("frr_type3_pmsi.hex").attrs;
  ASSERT_TRUE(base.pmsi_tunnel);
  AttrStore store;
  auto ref = store.intern(base);
  auto no_pmsi = base;
  no_pmsi.pmsi_tunnel.reset();
  EXPECT_NE(store.intern(no_pmsi).get(), ref.get());
  auto pmsi_label = base;
  pmsi_label.pmsi_tunnel->label = 200;
  EXPECT_NE(store.intern(pmsi_label).get(), ref.get());
  auto longer_path = base;
  longer_path.as_path->segments.front().asns.push_back(65002);
  EXPECT_NE(store.intern(longer_path).get(), ref.get());
  auto origin = base;
  origin.origin = wire::Origin::Incomplete;
  EXPECT_NE(store.intern(origin).get(), ref.get());
  auto lp = base;
  lp.local_pref = 100;
  EXPECT_NE(store.intern(lp).get(), ref.get());
  auto med = base;
  med.med = 0;
  EXPECT_NE(store.intern(med).get(), ref.get());
  // Still the same object for the unchanged set.
  EXPECT_EQ(store.intern(base).get(), ref.get());
}

TEST(AttrStore, FrrAndGobgpDifferInOriginSoDoNotShare) {
  // Same MAC route seen from both: GoBGP sends INCOMPLETE and a different RD/next hop.
  AttrStore store;
  auto frr = store.intern(decode_capture("frr_type2_mac.hex").attrs);
  auto gobgp = store.intern(decode_capture("gobgp_type2_mac.hex").attrs);
  EXPECT_NE(frr.get(), gobgp.get());
  // Two GoBGP captures with the same attribute set (only the NLRI differs) do share.
  auto gobgp_macip = store.intern(decode_capture("gobgp_type2_macip.hex").attrs);
  EXPECT_EQ(gobgp.get(), gobgp_macip.get());
}

TEST(AttrStore, AnEntryLeavesWithItsLastReferenceAndComesBackFresh) {
  const auto attrs = decode_capture("frr_type2_mac.hex").attrs;
  AttrStore store;
  {
    auto a = store.intern(attrs);
    auto copy = a;
    EXPECT_EQ(a.use_count(), 2u);
    EXPECT_EQ(store.live_entries(), 1u);
    a.reset();
    EXPECT_EQ(copy.use_count(), 1u);
    EXPECT_EQ(store.live_entries(), 1u);  // the copy still holds it
  }
  EXPECT_EQ(store.live_entries(), 0u);
  auto b = store.intern(attrs);
  EXPECT_EQ(store.live_entries(), 1u);
  EXPECT_EQ(b->mp_reach->next_hop, attrs.mp_reach->next_hop);
}

// Copies, moves and assignments keep the count exact (a count off by one either leaks
// the set or frees it under a path that still points to it; ASan sees the second).
TEST(AttrStore, ReferencesCountExactlyThroughCopiesMovesAndAssignments) {
  auto base = decode_capture("frr_type2_mac.hex").attrs;
  AttrStore store;
  auto other = base;
  other.med = 7;
  AttrRef a = store.intern(base);
  AttrRef b = store.intern(other);
  AttrRef c = a;               // a: 2
  c = b;                       // a: 1, b: 2
  EXPECT_EQ(a.use_count(), 1u);
  EXPECT_EQ(b.use_count(), 2u);
  const AttrRef& alias = c;    // (through a reference: clang warns on a literal `c = c`)
  c = alias;                   // self-assignment changes nothing
  EXPECT_EQ(b.use_count(), 2u);
  AttrRef d = std::move(c);    // b: still 2, c empty
  EXPECT_FALSE(c);
  EXPECT_EQ(b.use_count(), 2u);
  d = std::move(a);            // b: 1, a's set now held by d alone
  EXPECT_EQ(b.use_count(), 1u);
  EXPECT_EQ(d.use_count(), 1u);
  std::vector<AttrRef> many(100, d);
  EXPECT_EQ(d.use_count(), 101u);
  many.clear();
  d = nullptr;
  EXPECT_EQ(store.live_entries(), 1u);  // b's
  b.reset();
  EXPECT_EQ(store.live_entries(), 0u);
}

// A stream of distinct attribute sets that nobody keeps (MAC mobility sequence numbers
// going up, say) leaves nothing behind, beside live entries or not.
TEST(AttrStore, ChurnOfDistinctSetsLeavesOnlyTheLiveOnes) {
  auto base = decode_capture("frr_type2_mac.hex").attrs;
  AttrStore store;
  std::vector<AttrRef> held;
  for (std::uint32_t i = 0; i < 5000; ++i) {
    auto a = base;
    a.local_pref = i;
    held.push_back(store.intern(a));
  }
  for (std::uint32_t i = 0; i < 30000; ++i) {
    auto a = base;
    a.med = i;
    (void)store.intern(a);  // dropped at once
    EXPECT_EQ(store.live_entries(), 5000u);
  }
  // The survivors are still the shared objects.
  for (std::uint32_t i = 0; i < 5000; i += 500) {
    auto a = base;
    a.local_pref = i;
    EXPECT_EQ(store.intern(a).get(), held[i].get());
  }
  held.clear();
  EXPECT_EQ(store.live_entries(), 0u);
}

TEST(AttrStore, TheEvpnSummaryIsDecodedOnceAtInternTime) {
  AttrStore store;
  const auto plain = store.intern(decode_capture("frr_type2_mac.hex").attrs);
  EXPECT_EQ(plain->evpn.route_targets, (std::vector<evpn::RouteTarget>{evpn::RouteTarget::as2(65001, 100)}));
  EXPECT_EQ(plain->evpn.encapsulation, evpn::Encapsulation::kVxlan);
  EXPECT_FALSE(plain->evpn.has_mobility);
  EXPECT_EQ(plain->evpn.mobility_sequence, 0u);
  EXPECT_EQ(plain->evpn.next_hop, test::ip("10.0.0.1"));
  for (const char* f : {"frr_type2_mac_mobility.hex", "gobgp_type2_mac_mobility.hex"}) {
    SCOPED_TRACE(f);
    const auto moved = store.intern(decode_capture(f).attrs);
    EXPECT_TRUE(moved->evpn.has_mobility);
    EXPECT_GT(moved->evpn.mobility_sequence, 0u);
  }
}

}  // namespace
}  // namespace evpnd::rib
