// EvpnRib: candidate paths per key from several sources, best path run once per dirty
// key, and the change each key's best path went through ({Added, Replaced, Unchanged,
// Withdrawn}), in key order.
#include <gtest/gtest.h>

#include <cstdio>

#include "evpn/ext_community.hpp"
#include "rib/loc_rib.hpp"
#include "rib_test_support.hpp"

namespace evpnd::rib {
namespace {

namespace wire = bgp::wire;
using test::ip;
using test::macip;
using Change = EvpnRib::Change;

AttrRef attrs(AttrStore& store, const char* next_hop, std::optional<std::uint32_t> seq = std::nullopt) {
  wire::PathAttributes a;
  a.origin = wire::Origin::Igp;
  a.as_path = wire::AsPath{};
  const auto nh = ip(next_hop);
  a.mp_reach = wire::MpReach{wire::AfiSafi::l2vpn_evpn(), wire::ByteVec(nh.data(), nh.data() + 4), {}, {}, {}};
  a.extended_communities = {evpn::RouteTarget::as2(65000, 100).encode()};
  if (seq) a.extended_communities.push_back(evpn::MacMobility{false, *seq}.encode());
  return store.intern(a);
}

PeerInfo peer(const char* address, const char* router_id) {
  PeerInfo p;
  p.address = ip(address);
  p.router_id = wire::RouterId{ip(router_id).v4_host_order()};
  p.asn = 65000;
  return p;
}

struct Fixture : ::testing::Test {
  AttrStore store;
  EvpnRib rib;
  PeerId a = rib.add_peer(peer("192.0.2.1", "10.0.0.1"));
  PeerId b = rib.add_peer(peer("192.0.2.2", "10.0.0.2"));
  evpn::EvpnNlri mac1 = macip("10.0.0.9:100", "02:00:00:00:00:01", nullptr, 100);
  evpn::EvpnNlri mac2 = macip("10.0.0.9:100", "02:00:00:00:00:02", nullptr, 100);
  evpn::EvpnRouteKey key1 = evpn::route_key(mac1.route);
  evpn::EvpnRouteKey key2 = evpn::route_key(mac2.route);

  std::vector<std::pair<evpn::EvpnRouteKey, Change>> run() {
    std::vector<std::pair<evpn::EvpnRouteKey, Change>> out;
    for (auto& c : rib.run_best_path()) out.emplace_back(c.key, c.change);
    return out;
  }
  const EvpnRib::Path* best(const evpn::EvpnRouteKey& k) {
    const auto* e = rib.find(k);
    return e ? EvpnRib::best_of(*e) : nullptr;
  }
};

using P = std::pair<evpn::EvpnRouteKey, Change>;

TEST_F(Fixture, NewKeysAreAddedInKeyOrderWhateverTheArrivalOrder) {
  rib.announce(a, mac2, attrs(store, "10.1.0.1"));
  rib.announce(a, mac1, attrs(store, "10.1.0.1"));
  EXPECT_TRUE(rib.dirty());
  EXPECT_EQ(run(), (std::vector<P>{{key1, Change::Added}, {key2, Change::Added}}));
  EXPECT_FALSE(rib.dirty());
  EXPECT_EQ(rib.path_count(), 2u);
  EXPECT_EQ(rib.paths_of(a), 2u);
}

TEST_F(Fixture, ManyChangesToOneKeyInAPassAreDecidedOnce) {
  rib.announce(a, mac1, attrs(store, "10.1.0.1"));
  rib.announce(b, mac1, attrs(store, "10.1.0.2"));
  rib.withdraw(a, mac1);
  rib.announce(a, mac1, attrs(store, "10.1.0.1"));
  const auto r = run();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0], (P{key1, Change::Added}));
  EXPECT_EQ(rib.find(key1)->paths.size(), 2u);
}

TEST_F(Fixture, TheSameAttributesAgainAreUnchanged) {
  const auto at = attrs(store, "10.1.0.1");
  rib.announce(a, mac1, at);
  run();
  rib.announce(a, mac1, at);
  EXPECT_EQ(run(), (std::vector<P>{{key1, Change::Unchanged}}));
}

TEST_F(Fixture, NewAttributesOnTheBestPathReplaceIt) {
  rib.announce(a, mac1, attrs(store, "10.1.0.1"));
  run();
  rib.announce(a, mac1, attrs(store, "10.1.0.1", 3));
  EXPECT_EQ(run(), (std::vector<P>{{key1, Change::Replaced}}));
}

TEST_F(Fixture, AWorsePathFromAnotherPeerLeavesTheBestUnchanged) {
  rib.announce(a, mac1, attrs(store, "10.1.0.1"));
  run();
  rib.announce(b, mac1, attrs(store, "10.1.0.2"));  // higher VTEP: loses (RFC 7432 §15)
  EXPECT_EQ(run(), (std::vector<P>{{key1, Change::Unchanged}}));
  EXPECT_EQ(best(key1)->peer, a);
  EXPECT_EQ(rib.find(key1)->reason, SelectionReason::EvpnLowerIp);
}

TEST_F(Fixture, AHigherMobilitySequenceTakesOver) {
  rib.announce(a, mac1, attrs(store, "10.1.0.1", 1));
  run();
  rib.announce(b, mac1, attrs(store, "10.1.0.2", 2));
  EXPECT_EQ(run(), (std::vector<P>{{key1, Change::Replaced}}));
  EXPECT_EQ(best(key1)->peer, b);
  EXPECT_EQ(rib.find(key1)->reason, SelectionReason::EvpnSequence);
}

TEST_F(Fixture, LosingTheBestFallsBackToTheNextAndTheLastIsWithdrawn) {
  rib.announce(a, mac1, attrs(store, "10.1.0.1"));
  rib.announce(b, mac1, attrs(store, "10.1.0.2"));
  run();
  rib.withdraw(a, mac1);
  EXPECT_EQ(run(), (std::vector<P>{{key1, Change::Replaced}}));
  EXPECT_EQ(best(key1)->peer, b);
  EXPECT_EQ(rib.find(key1)->reason, SelectionReason::OnlyPath);
  rib.withdraw(b, mac1);
  EXPECT_EQ(run(), (std::vector<P>{{key1, Change::Withdrawn}}));
  EXPECT_EQ(rib.find(key1), nullptr);
  EXPECT_EQ(rib.path_count(), 0u);
}

TEST_F(Fixture, AKeyAddedAndRemovedInOnePassReportsNothing) {
  rib.announce(a, mac1, attrs(store, "10.1.0.1"));
  rib.withdraw(a, mac1);
  EXPECT_TRUE(run().empty());
  EXPECT_EQ(rib.find(key1), nullptr);
}

TEST_F(Fixture, WithdrawingWhatWasNeverThereChangesNothing) {
  rib.withdraw(a, mac1);
  EXPECT_FALSE(rib.dirty());
  rib.announce(a, mac1, attrs(store, "10.1.0.1"));
  run();
  rib.withdraw(b, mac1);  // b never sent it
  EXPECT_FALSE(rib.dirty());
}

TEST_F(Fixture, APeerGoingDownTakesAllItsPathsAndOnlyThose) {
  rib.announce(a, mac1, attrs(store, "10.1.0.1"));
  rib.announce(a, mac2, attrs(store, "10.1.0.1"));
  rib.announce(b, mac1, attrs(store, "10.1.0.2"));
  run();
  rib.withdraw_peer(a);
  EXPECT_EQ(run(), (std::vector<P>{{key1, Change::Replaced}, {key2, Change::Withdrawn}}));
  EXPECT_EQ(rib.paths_of(a), 0u);
  EXPECT_EQ(rib.paths_of(b), 1u);
  EXPECT_EQ(best(key1)->peer, b);
}

TEST_F(Fixture, AddPathIdsFromOnePeerAreSeparateCandidates) {
  auto p1 = mac1;
  p1.path_id = 1;
  auto p2 = mac1;
  p2.path_id = 2;
  rib.announce(a, p2, attrs(store, "10.1.0.1"));
  rib.announce(a, p1, attrs(store, "10.1.0.1"));
  run();
  ASSERT_EQ(rib.find(key1)->paths.size(), 2u);
  EXPECT_EQ(best(key1)->path_id, 1u);
  EXPECT_EQ(rib.find(key1)->reason, SelectionReason::PathId);
}

TEST_F(Fixture, LearningAPeersRouterIdDecidesItsKeysAgain) {
  rib.announce(a, mac1, attrs(store, "10.1.0.1"));
  rib.announce(b, mac1, attrs(store, "10.1.0.1"));  // same VTEP: router ID decides
  run();
  EXPECT_EQ(best(key1)->peer, a);
  rib.set_peer(a, peer("192.0.2.1", "10.0.0.7"));
  EXPECT_EQ(run(), (std::vector<P>{{key1, Change::Replaced}}));
  EXPECT_EQ(best(key1)->peer, b);
  EXPECT_EQ(rib.find(key1)->reason, SelectionReason::RouterId);
}

TEST_F(Fixture, LocalRoutesWinByWeight) {
  PeerInfo local;
  local.weight = kLocalWeight;
  rib.set_peer(kLocalPeer, local);
  rib.announce(a, mac1, attrs(store, "10.1.0.1"));
  rib.announce(kLocalPeer, mac1, attrs(store, "10.1.0.9"));  // higher VTEP, but ours
  run();
  // RFC 7432 §15 comes first in FRR's order: equal sequence, lower VTEP wins even
  // over a local path. Weight decides only between equal EVPN claims.
  EXPECT_EQ(best(key1)->peer, a);
  rib.announce(kLocalPeer, mac1, attrs(store, "10.1.0.1"));
  run();
  EXPECT_EQ(best(key1)->peer, kLocalPeer);
  EXPECT_EQ(rib.find(key1)->reason, SelectionReason::Weight);
}

// RFC 7313 §4 per source: a BoRR marks only that peer's paths; at EoRR those it did not
// announce again go, the others' stay whatever their marks.
TEST_F(Fixture, StalePathsAreMarkedAndSweptPerPeer) {
  rib.announce(a, mac1, attrs(store, "10.1.0.1"));
  rib.announce(a, mac2, attrs(store, "10.1.0.1"));
  rib.announce(b, mac1, attrs(store, "10.1.0.0"));  // lower VTEP: b's is best
  run();
  EXPECT_EQ(rib.mark_stale(a), 2u);
  rib.announce(a, mac2, attrs(store, "10.1.0.1"));  // re-advertised: no longer stale
  EXPECT_EQ(run(), (std::vector<P>{{key2, Change::Unchanged}}));
  EXPECT_EQ(rib.sweep_stale(a), 1u);
  EXPECT_EQ(run(), (std::vector<P>{{key1, Change::Unchanged}}));  // b's path was best already
  EXPECT_EQ(rib.paths_of(a), 1u);
  EXPECT_EQ(rib.paths_of(b), 1u);
  EXPECT_EQ(rib.find_path(a, key1, 0), nullptr);
  EXPECT_NE(rib.find_path(a, key2, 0), nullptr);
  EXPECT_EQ(rib.sweep_stale(b), 0u);
}

// A path keeps only the route's data beside its key; the route comes back whole.
TEST_F(Fixture, APathJoinedWithItsKeyIsTheRouteAsSent) {
  auto r = macip("10.0.0.9:100", "02:00:00:00:00:01", "10.1.1.1", 100);
  std::get<evpn::MacIpRoute>(r.route).label2 = evpn::Label{4001};
  std::get<evpn::MacIpRoute>(r.route).esi = *evpn::EthernetSegmentId::parse("00:11:22:33:44:55:66:77:88:99");
  rib.announce(a, r, attrs(store, "10.1.0.1"));
  run();
  const auto k = evpn::route_key(r.route);
  EXPECT_EQ(EvpnRib::plain_nlri_of(k, *best(k)).route, r.route);
}

// With few keys dirty in a large table, best path sorts the dirty keys instead of
// walking the table: same order, same changes, withdrawn entries gone.
TEST_F(Fixture, AFewChangesInALargeTableComeOutInKeyOrder) {
  std::vector<evpn::EvpnNlri> routes;
  for (int i = 0; i < 64; ++i) {
    char m[18];
    std::snprintf(m, sizeof m, "02:00:00:00:01:%02x", i);
    routes.push_back(macip("10.0.0.9:100", m, nullptr, 100));
    rib.announce(a, routes.back(), attrs(store, "10.1.0.1"));
  }
  ASSERT_EQ(run().size(), 64u);
  // Dirty three (a 64-entry table: far below the walk threshold), in reverse key order.
  rib.withdraw(a, routes[40]);
  rib.announce(b, routes[20], attrs(store, "10.1.0.0"));  // lower VTEP: b wins
  rib.announce(a, routes[3], attrs(store, "10.1.0.1"));   // the same again
  const auto k = [&](int i) { return evpn::route_key(routes[static_cast<std::size_t>(i)].route); };
  EXPECT_EQ(run(), (std::vector<P>{{k(3), Change::Unchanged}, {k(20), Change::Replaced}, {k(40), Change::Withdrawn}}));
  EXPECT_EQ(rib.table().size(), 63u);
  EXPECT_EQ(rib.find(k(40)), nullptr);
  EXPECT_EQ(best(k(20))->peer, b);
}

}  // namespace
}  // namespace evpnd::rib
