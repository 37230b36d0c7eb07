// PathTable: announce/withdraw by the RFC 7432 §7 route key (labels and the Type-2 ESI
// are not part of it), ADD-PATH path ids as separate paths, and the sorted walk.
#include <gtest/gtest.h>

#include "rib/path_table.hpp"
#include "unit/rib/rib_test_support.hpp"

namespace evpnd::rib {
namespace {

using test::decode_capture;
using test::imet;
using test::macip;
namespace wire = bgp::wire;

AttrRef some_attrs(AttrStore& store, std::uint32_t med = 0) {
  wire::PathAttributes a;
  a.origin = wire::Origin::Igp;
  a.med = med;
  return store.intern(a);
}

const evpn::MacIpRoute& as_macip(const RibPath* p) { return std::get<evpn::MacIpRoute>(p->route); }

TEST(PathTable, AnnounceFindAndReplace) {
  AttrStore store;
  PathTable t;
  auto a1 = some_attrs(store, 1);
  auto a2 = some_attrs(store, 2);
  const auto n = macip("10.0.0.1:2", "02:00:00:00:01:01", nullptr, 100);
  EXPECT_TRUE(t.announce(n, a1));
  EXPECT_EQ(t.size(), 1u);
  ASSERT_NE(t.find(n), nullptr);
  EXPECT_EQ(t.find(n)->attrs.get(), a1.get());

  // Same key, new label and attributes: an implicit withdraw, the new values win.
  const auto n2 = macip("10.0.0.1:2", "02:00:00:00:01:01", nullptr, 200);
  EXPECT_FALSE(t.announce(n2, a2));
  EXPECT_EQ(t.size(), 1u);
  const auto* p = t.find(n);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->attrs.get(), a2.get());
  EXPECT_EQ(as_macip(p).label1.raw, 200u);
  EXPECT_FALSE(p->path_id);
}

TEST(PathTable, WithdrawalWithOtherLabelOrEsiRemovesType2) {
  AttrStore store;
  PathTable t;
  auto announced = macip("10.0.0.1:2", "02:00:00:00:01:01", "192.168.100.1", 100);
  std::get<evpn::MacIpRoute>(announced.route).esi = *evpn::EthernetSegmentId::parse("00:11:22:33:44:55:66:77:88:99");
  std::get<evpn::MacIpRoute>(announced.route).label2 = evpn::Label{5000};
  t.announce(announced, some_attrs(store));

  // FRR withdraws with label 0 (and no label2); a peer may send a zero ESI.
  auto w = macip("10.0.0.1:2", "02:00:00:00:01:01", "192.168.100.1", 0);
  EXPECT_TRUE(t.withdraw(w));
  EXPECT_EQ(t.size(), 0u);
  EXPECT_FALSE(t.withdraw(w));
}

TEST(PathTable, CapturedFrrWithdrawalRemovesCapturedAnnouncements) {
  AttrStore store;
  PathTable t;
  const auto mac = decode_capture("frr_type2_mac.hex");
  const auto macip_cap = decode_capture("frr_type2_macip.hex");
  ASSERT_EQ(mac.announced.size(), 1u);
  ASSERT_EQ(macip_cap.announced.size(), 1u);
  t.announce(mac.announced[0], store.intern(mac.attrs));
  t.announce(macip_cap.announced[0], store.intern(macip_cap.attrs));
  ASSERT_EQ(t.size(), 2u);
  const auto w = decode_capture("frr_withdraw_type2_macip.hex");
  ASSERT_EQ(w.withdrawn.size(), 2u);
  // The withdrawal's label is 0, the announcement's 100: the key ignores it.
  EXPECT_EQ(as_macip(t.find(mac.announced[0])).label1.raw, 100u);
  EXPECT_EQ(std::get<evpn::MacIpRoute>(w.withdrawn[0].route).label1.raw, 0u);
  for (const auto& n : w.withdrawn) EXPECT_TRUE(t.withdraw(n));
  EXPECT_EQ(t.size(), 0u);
}

TEST(PathTable, MacOnlyAndMacIpAreTwoRoutes) {
  AttrStore store;
  PathTable t;
  const auto mac_only = macip("10.0.0.1:2", "02:00:00:00:01:01", nullptr, 100);
  const auto mac_v4 = macip("10.0.0.1:2", "02:00:00:00:01:01", "192.168.100.1", 100);
  const auto mac_v6 = macip("10.0.0.1:2", "02:00:00:00:01:01", "fd00::1", 100);
  EXPECT_TRUE(t.announce(mac_only, some_attrs(store)));
  EXPECT_TRUE(t.announce(mac_v4, some_attrs(store)));
  EXPECT_TRUE(t.announce(mac_v6, some_attrs(store)));
  EXPECT_EQ(t.size(), 3u);
  EXPECT_TRUE(t.withdraw(mac_only));
  EXPECT_EQ(t.size(), 2u);
  EXPECT_EQ(t.find(mac_only), nullptr);
  EXPECT_NE(t.find(mac_v4), nullptr);
  EXPECT_NE(t.find(mac_v6), nullptr);
}

TEST(PathTable, KeyFieldsEachMakeANewRoute) {
  AttrStore store;
  PathTable t;
  auto base = macip("10.0.0.1:2", "02:00:00:00:01:01", "192.168.100.1", 100);
  t.announce(base, some_attrs(store));
  auto other_rd = macip("10.0.0.2:2", "02:00:00:00:01:01", "192.168.100.1", 100);
  auto other_mac = macip("10.0.0.1:2", "02:00:00:00:01:02", "192.168.100.1", 100);
  auto other_ip = macip("10.0.0.1:2", "02:00:00:00:01:01", "192.168.100.2", 100);
  auto other_etag = base;
  std::get<evpn::MacIpRoute>(other_etag.route).etag = evpn::EthernetTag{100};
  for (const auto* n : {&other_rd, &other_mac, &other_ip, &other_etag}) EXPECT_TRUE(t.announce(*n, some_attrs(store)));
  EXPECT_EQ(t.size(), 5u);
}

TEST(PathTable, RouteTypesAreSeparate) {
  AttrStore store;
  PathTable t;
  t.announce(imet("10.0.0.1:2", "10.0.0.1"), some_attrs(store));
  t.announce(imet("10.0.0.1:2", "10.0.0.2"), some_attrs(store));
  t.announce(imet("10.0.0.1:2", "10.0.0.1", 100), some_attrs(store));
  t.announce(macip("10.0.0.1:2", "02:00:00:00:01:01", nullptr, 100), some_attrs(store));
  EXPECT_EQ(t.size(), 4u);
  EXPECT_TRUE(t.withdraw(imet("10.0.0.1:2", "10.0.0.2")));
  EXPECT_FALSE(t.withdraw(imet("10.0.0.1:2", "10.0.0.2")));
  EXPECT_EQ(t.size(), 3u);
}

TEST(PathTable, AddPathIdsAreSeparatePaths) {
  AttrStore store;
  PathTable t;
  auto p1 = macip("10.0.0.1:2", "02:00:00:00:01:01", nullptr, 100, 1);
  auto p2 = macip("10.0.0.1:2", "02:00:00:00:01:01", nullptr, 100, 2);
  EXPECT_TRUE(t.announce(p1, some_attrs(store, 1)));
  EXPECT_TRUE(t.announce(p2, some_attrs(store, 2)));
  EXPECT_EQ(t.size(), 2u);
  EXPECT_EQ(t.find(p1)->path_id, 1u);
  EXPECT_EQ(t.find(p2)->path_id, 2u);
  EXPECT_EQ(t.find(p2)->attrs->med, 2u);
  // Withdrawing path 1 (with another label) leaves path 2.
  auto w1 = macip("10.0.0.1:2", "02:00:00:00:01:01", nullptr, 0, 1);
  EXPECT_TRUE(t.withdraw(w1));
  EXPECT_EQ(t.size(), 1u);
  EXPECT_EQ(t.find(p1), nullptr);
  EXPECT_NE(t.find(p2), nullptr);
  // Path 3 was never announced.
  EXPECT_FALSE(t.withdraw(macip("10.0.0.1:2", "02:00:00:00:01:01", nullptr, 100, 3)));
}

TEST(PathTable, ClearEmptiesTheTable) {
  AttrStore store;
  PathTable t;
  t.announce(imet("10.0.0.1:2", "10.0.0.1"), some_attrs(store));
  t.announce(macip("10.0.0.1:2", "02:00:00:00:01:01", nullptr, 100), some_attrs(store));
  t.clear();
  EXPECT_EQ(t.size(), 0u);
  EXPECT_TRUE(t.sorted().empty());
}

TEST(PathTable, SortedByRouteKeyThenPathId) {
  AttrStore store;
  PathTable t;
  // Inserted out of order.
  const std::vector<evpn::EvpnNlri> in = {
      imet("10.0.0.1:2", "10.0.0.1"),
      macip("10.0.0.2:2", "02:00:00:00:00:01", nullptr, 100),
      macip("10.0.0.1:2", "02:00:00:00:02:02", nullptr, 100),
      macip("10.0.0.1:2", "02:00:00:00:01:01", "192.168.100.1", 100, 7),
      macip("10.0.0.1:2", "02:00:00:00:01:01", "192.168.100.1", 100, 3),
      macip("10.0.0.1:2", "02:00:00:00:01:01", nullptr, 100),
  };
  for (const auto& n : in) t.announce(n, some_attrs(store));
  const auto s = t.sorted();
  ASSERT_EQ(s.size(), in.size());
  // Type-2 (variant index 1) before Type-3; RD, then MAC, then no-IP before IP, then path id.
  auto mac_of = [&](std::size_t i) { return as_macip(s[i]).mac.to_string(); };
  EXPECT_EQ(mac_of(0), "02:00:00:00:01:01");
  EXPECT_FALSE(as_macip(s[0]).ip);
  EXPECT_EQ(mac_of(1), "02:00:00:00:01:01");
  EXPECT_EQ(s[1]->path_id, 3u);
  EXPECT_EQ(s[2]->path_id, 7u);
  EXPECT_EQ(mac_of(3), "02:00:00:00:02:02");
  EXPECT_EQ(mac_of(4), "02:00:00:00:00:01");
  EXPECT_EQ(as_macip(s[4]).rd.to_string(), "10.0.0.2:2");
  EXPECT_TRUE(std::holds_alternative<evpn::ImetRoute>(s[5]->route));
  // Strictly increasing by (route key, path id).
  for (std::size_t i = 1; i < s.size(); ++i) {
    const auto ka = evpn::route_key(s[i - 1]->route);
    const auto kb = evpn::route_key(s[i]->route);
    EXPECT_TRUE(ka < kb || (ka == kb && s[i - 1]->path_id.value_or(0) < s[i]->path_id.value_or(0))) << i;
  }
}

TEST(PathTable, AttributesStayAliveWhileHeld) {
  AttrStore store;
  PathTable t;
  const auto n = imet("10.0.0.1:2", "10.0.0.1");
  {
    wire::PathAttributes a;
    a.origin = wire::Origin::Egp;
    t.announce(n, store.intern(a));
  }
  EXPECT_EQ(store.live_entries(), 1u);
  EXPECT_EQ(t.find(n)->attrs->origin, wire::Origin::Egp);
  t.withdraw(n);
  EXPECT_EQ(store.live_entries(), 0u);
}

}  // namespace
}  // namespace evpnd::rib
