// EvpnRib against a model: random announcements, withdrawals, peer-downs and stale
// sweeps from three peers over a small key space, with best path run at random points,
// must leave exactly the paths a plain std::map of (key, peer) says, every entry must have
// a best path, and every change reported must match what happened to that key's best.
// The RIB's shortcuts (the insertion hint, the walk-or-sort choice in run_best_path, the
// inline path vector) all get exercised here on tables small and large.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <random>

#include "rib/loc_rib.hpp"
#include "rib_test_support.hpp"

namespace evpnd::rib {
namespace {

namespace wire = bgp::wire;

// Four attribute sets, interned once (the model compares pointers).
AttrRef make_attrs(AttrStore& store, int nh) {
  wire::PathAttributes a;
  a.origin = wire::Origin::Igp;
  a.as_path = wire::AsPath{};
  const auto ip = test::ip(("10.1.0." + std::to_string(nh)).c_str());
  a.mp_reach = wire::MpReach{wire::AfiSafi::l2vpn_evpn(), wire::ByteVec(ip.data(), ip.data() + 4), {}, {}, {}};
  return store.intern(a);
}

evpn::EvpnNlri route(int k) {
  char m[18];
  std::snprintf(m, sizeof m, "02:00:00:00:%02x:%02x", (k >> 8) & 0xff, k & 0xff);
  return test::macip("10.0.0.9:100", m, nullptr, 100);
}

void run_model(int keys, int steps, std::uint32_t seed, int run_every) {
  std::mt19937 rng(seed);
  auto pick = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
  AttrStore store;
  std::vector<AttrRef> sets;
  for (int nh = 0; nh < 4; ++nh) sets.push_back(make_attrs(store, nh));
  auto attrs_for = [&](AttrStore&, int nh) { return sets[static_cast<std::size_t>(nh)]; };
  EvpnRib rib;
  std::vector<PeerId> peers;
  for (int i = 1; i <= 3; ++i) {
    PeerInfo p;
    p.address = test::ip(("192.0.2." + std::to_string(i)).c_str());
    p.router_id = wire::RouterId{static_cast<std::uint32_t>(i)};
    peers.push_back(rib.add_peer(p));
  }
  // model[key][peer] = next hop; stale marks beside it.
  std::map<evpn::EvpnRouteKey, std::map<std::uint32_t, int>> model;
  std::map<std::pair<evpn::EvpnRouteKey, std::uint32_t>, bool> stale;
  std::map<evpn::EvpnRouteKey, std::optional<std::uint32_t>> best_before;  // at the last run

  auto check_run = [&] {
    const auto changes = rib.run_best_path();
    for (std::size_t i = 1; i < changes.size(); ++i) ASSERT_LT(changes[i - 1].key, changes[i].key);
    ASSERT_EQ(rib.table().size(), model.size());
    std::size_t paths = 0;
    for (const auto& [k, byp] : model) {
      const auto* e = rib.find(k);
      ASSERT_NE(e, nullptr);
      ASSERT_EQ(e->paths.size(), byp.size());
      ASSERT_TRUE(e->best.has_value());
      for (const auto& [peer, nh] : byp) {
        const auto* p = rib.find_path(PeerId{peer}, k, 0);
        ASSERT_NE(p, nullptr);
        ASSERT_EQ(p->attrs, attrs_for(store, nh));
      }
      paths += byp.size();
    }
    ASSERT_EQ(rib.path_count(), paths);
    for (const auto& c : changes) {
      const bool had = best_before.contains(c.key);
      const bool has = model.contains(c.key);
      if (c.change == EvpnRib::Change::Withdrawn) {
        ASSERT_TRUE(had && !has);
      } else {
        ASSERT_TRUE(has);
        ASSERT_EQ(c.change == EvpnRib::Change::Added, !had);
      }
    }
    best_before.clear();
    for (const auto& [k, e] : rib.table()) best_before[k] = EvpnRib::best_of(e)->peer.value;
  };

  for (int step = 0; step < steps; ++step) {
    const PeerId peer = peers[static_cast<std::size_t>(pick(3))];
    const int k = pick(keys);
    const auto n = route(k);
    const auto key = evpn::route_key(n.route);
    if (pick(run_every) == 0) {
      check_run();
      if (::testing::Test::HasFatalFailure()) return;
      continue;
    }
    switch (pick(20)) {
      case 0:  // session down
        rib.withdraw_peer(peer);
        for (auto it = model.begin(); it != model.end();) {
          it->second.erase(peer.value);
          it = it->second.empty() ? model.erase(it) : std::next(it);
        }
        break;
      case 1: {  // BoRR, then some of it again, then EoRR
        rib.mark_stale(peer);
        for (auto& [kk, byp] : model)
          if (byp.contains(peer.value)) stale[{kk, peer.value}] = true;
        for (int i = 0; i < std::min(keys / 2, 40); ++i) {
          const int r = pick(keys);
          const int nh = pick(4);
          rib.announce(peer, route(r), attrs_for(store, nh));
          const auto rk = evpn::route_key(route(r).route);
          model[rk][peer.value] = nh;
          stale[{rk, peer.value}] = false;
        }
        rib.sweep_stale(peer);
        for (auto it = model.begin(); it != model.end();) {
          auto s = stale.find({it->first, peer.value});
          if (s != stale.end() && s->second) it->second.erase(peer.value);
          it = it->second.empty() ? model.erase(it) : std::next(it);
        }
        std::erase_if(stale, [&](const auto& kv) { return kv.first.second == peer.value; });
        break;
      }
      case 2: case 3: case 4: case 5: case 6: case 7: {
        ASSERT_EQ(rib.withdraw(peer, n), model.contains(key) && model[key].contains(peer.value));
        if (auto it = model.find(key); it != model.end()) {
          it->second.erase(peer.value);
          if (it->second.empty()) model.erase(it);
        }
        stale.erase({key, peer.value});
        break;
      }
      default: {
        const int nh = pick(4);
        const bool had = model.contains(key) && model[key].contains(peer.value);
        ASSERT_EQ(rib.announce(peer, n, attrs_for(store, nh)), !had);
        model[key][peer.value] = nh;
        stale[{key, peer.value}] = false;
        break;
      }
    }
    if (::testing::Test::HasFatalFailure()) return;
  }
  check_run();
}

// Best path often, over few keys: most runs walk the whole table.
TEST(EvpnRibModel, SmallTableFrequentRuns) { run_model(12, 5000, 1, 10); }
// Best path seldom over many keys, each run with a few of them dirty: runs sort.
TEST(EvpnRibModel, LargeTableFewChangesPerRun) { run_model(2000, 8000, 2, 400); }
TEST(EvpnRibModel, MiddleSizes) {
  for (std::uint32_t seed = 3; seed < 6; ++seed) run_model(200, 3000, seed, 40);
}

}  // namespace
}  // namespace evpnd::rib
