// UpdateGroups: peers with the same export settings share each encoded UPDATE (one
// encode per group, the same buffer in every member's queue), a route never goes back to
// the member it came from, a withdrawal goes only to members that got the route, a slow
// member is split off and merged back once it has caught up, and a peer's table is sent
// in key order with End-of-RIB. The members are test peers: no sockets.
#include <gtest/gtest.h>

#include <map>

#include "bgp/update_groups.hpp"
#include "bgp/wire/message.hpp"
#include "evpn/ext_community.hpp"
#include "support/manual_clock.hpp"
#include "unit/rib/rib_test_support.hpp"

namespace evpnd::bgp {
namespace {

using test::ip;
using test::macip;

// What a test peer was sent, decoded: announced and withdrawn routes in order, End-of-RIB
// markers, and the buffers themselves (to see that members share them).
class TestPeer final : public ExportPeer {
 public:
  TestPeer(rib::PeerId id, ExportKey key) : id_(id), key_(key) {}
  rib::PeerId rib_id() const override { return id_; }
  bool exports(wire::AfiSafi f) const override { return up && f == wire::AfiSafi::l2vpn_evpn(); }
  ExportKey export_key(wire::AfiSafi) const override { return key_; }
  const wire::CodecContext& codec() const override { return codec_; }
  bool enhanced_route_refresh() const override { return true; }
  std::size_t queued_bytes() const override { return queued; }
  void notify_when_drained() override { drain_wanted = true; }
  void set_prefixes_sent(wire::AfiSafi, std::size_t n) override { prefixes_sent = n; }
  void send_shared(std::span<const SharedMessage> messages, wire::MessageType) override {
    for (const auto& m : messages) {
      buffers.push_back(m);
      auto d = wire::decode_message(*m, codec_);
      ASSERT_TRUE(d.ok());
      if (const auto* rr = std::get_if<wire::RouteRefreshMessage>(&d.value())) {
        markers.push_back(rr->subtype == wire::RouteRefreshMessage::Subtype::BeginOfRibRefresh ? "BoRR" : "EoRR");
        continue;
      }
      const auto& u = std::get<wire::DecodedUpdate>(d.value()).update;
      if (u.end_of_rib()) {
        markers.push_back("EoR");
        continue;
      }
      if (u.attrs.mp_reach) {
        const auto nlri = evpn::decode_evpn_nlris(u.attrs.mp_reach->nlri, false, 0);
        ASSERT_TRUE(nlri.ok());
        for (const auto& n : *nlri) {
          announced.push_back(evpn::route_key(n.route));
          announced_attrs.push_back(u.attrs);
        }
      }
      if (u.attrs.mp_unreach) {
        const auto nlri = evpn::decode_evpn_nlris(u.attrs.mp_unreach->nlri, false, 0);
        ASSERT_TRUE(nlri.ok());
        for (const auto& n : *nlri) withdrawn.push_back(evpn::route_key(n.route));
      }
    }
  }
  void set_export_key(ExportKey k) { key_ = k; }
  void clear() {
    buffers.clear();
    announced.clear();
    announced_attrs.clear();
    withdrawn.clear();
    markers.clear();
  }

  bool up = true;
  std::size_t queued = 0;
  bool drain_wanted = false;
  std::size_t prefixes_sent = 0;
  std::vector<SharedMessage> buffers;
  std::vector<evpn::EvpnRouteKey> announced;
  std::vector<wire::PathAttributes> announced_attrs;
  std::vector<evpn::EvpnRouteKey> withdrawn;
  std::vector<std::string> markers;

 private:
  rib::PeerId id_;
  ExportKey key_;
  wire::CodecContext codec_;
};

ExportKey rr_client_key() {
  ExportKey k;
  k.ibgp = true;
  k.rr_client = true;
  return k;
}

struct UpdateGroupsTest : ::testing::Test {
  test::ManualClock clock;
  rib::AttrStore store;
  rib::EvpnRib rib;
  UpdateGroups groups{clock, rib, UpdateGroups::Globals{wire::Asn{65000}, wire::RouterId{0x0a000064}, 100},
                      UpdateGroups::Limits{2048, 1000, std::chrono::milliseconds(20)}};
  std::map<std::uint32_t, std::unique_ptr<TestPeer>> peers;

  TestPeer& add_peer(const char* address, const char* router_id, ExportKey key = rr_client_key()) {
    rib::PeerInfo info;
    info.address = ip(address);
    info.router_id = wire::RouterId{ip(router_id).v4_host_order()};
    info.asn = 65000;
    info.ibgp = key.ibgp;
    info.rr_client = key.rr_client;
    const auto id = rib.add_peer(info);
    auto& p = *(peers[id.value] = std::make_unique<TestPeer>(id, key));
    groups.start_table(p, TableSendReason::Initial);
    return p;
  }
  rib::AttrRef attrs(const char* next_hop, std::optional<std::uint32_t> mobility_seq = std::nullopt) {
    wire::PathAttributes a;
    a.origin = wire::Origin::Igp;
    a.as_path = wire::AsPath{};
    a.local_pref = 100;
    const auto nh = ip(next_hop);
    a.mp_reach = wire::MpReach{wire::AfiSafi::l2vpn_evpn(), wire::ByteVec(nh.data(), nh.data() + 4), {}, {}, {}};
    a.extended_communities = {evpn::RouteTarget::as2(65000, 100).encode()};
    if (mobility_seq) a.extended_communities.push_back(evpn::MacMobility{false, *mobility_seq}.encode());
    return store.intern(a);
  }
  void decide() {
    const auto changes = rib.run_best_path();
    groups.changed(changes);
  }
  std::size_t group_count() { return groups.views().size(); }
  void clear_all() {
    for (auto& [id, p] : peers) p->clear();
  }
};

const auto kMac1 = macip("10.0.0.9:100", "02:00:00:00:00:01", nullptr, 100);
const auto kMac2 = macip("10.0.0.9:100", "02:00:00:00:00:02", nullptr, 100);
const auto kMac3 = macip("10.0.0.9:100", "02:00:00:00:00:03", nullptr, 100);

TEST_F(UpdateGroupsTest, EqualSettingsShareOneEncodeAndNeverSendARouteBackToItsSource) {
  auto& a = add_peer("192.0.2.1", "10.0.0.1");
  auto& b = add_peer("192.0.2.2", "10.0.0.2");
  auto& c = add_peer("192.0.2.3", "10.0.0.3");
  // Each got its (empty) table and End-of-RIB alone, then the three merged.
  for (auto* p : {&a, &b, &c}) EXPECT_EQ(p->markers, std::vector<std::string>{"EoR"});
  ASSERT_EQ(group_count(), 1u);
  EXPECT_EQ(groups.views()[0].members.size(), 3u);
  clear_all();

  const auto before = groups.totals();
  rib.announce(a.rib_id(), kMac1, attrs("10.1.1.1"));
  decide();
  EXPECT_TRUE(a.announced.empty());  // RFC 4456: not reflected back to its client
  EXPECT_EQ(b.announced, std::vector{evpn::route_key(kMac1.route)});
  EXPECT_EQ(c.announced, std::vector{evpn::route_key(kMac1.route)});
  // One UPDATE built, the same buffer queued twice.
  const auto after = groups.totals();
  EXPECT_EQ(after.messages_encoded - before.messages_encoded, 1u);
  EXPECT_EQ(after.messages_delivered - before.messages_delivered, 2u);
  ASSERT_EQ(b.buffers.size(), 1u);
  ASSERT_EQ(c.buffers.size(), 1u);
  EXPECT_EQ(b.buffers[0].get(), c.buffers[0].get());
  // RFC 4456 §8 on the reflected copy: ORIGINATOR_ID of the source, our cluster ID.
  EXPECT_EQ(b.announced_attrs[0].originator_id, (wire::RouterId{ip("10.0.0.1").v4_host_order()}));
  EXPECT_EQ(b.announced_attrs[0].cluster_list, (std::vector<std::uint32_t>{0x0a000064}));
  EXPECT_EQ(a.prefixes_sent, 0u);
  EXPECT_EQ(b.prefixes_sent, 1u);
  EXPECT_EQ(groups.advertised_count(a), 0u);
  EXPECT_EQ(groups.advertised_keys(c), std::vector{evpn::route_key(kMac1.route)});
}

TEST_F(UpdateGroupsTest, AWithdrawalGoesOnlyToMembersThatGotTheRoute) {
  auto& a = add_peer("192.0.2.1", "10.0.0.1");
  auto& b = add_peer("192.0.2.2", "10.0.0.2");
  rib.announce(a.rib_id(), kMac1, attrs("10.1.1.1"));
  decide();
  clear_all();
  rib.withdraw(a.rib_id(), kMac1);
  decide();
  EXPECT_TRUE(a.withdrawn.empty());
  EXPECT_EQ(b.withdrawn, std::vector{evpn::route_key(kMac1.route)});
  EXPECT_EQ(b.prefixes_sent, 0u);
}

TEST_F(UpdateGroupsTest, WhenAMembersOwnPathBecomesBestItLosesTheOneItWasSent) {
  auto& a = add_peer("192.0.2.1", "10.0.0.1");
  auto& b = add_peer("192.0.2.2", "10.0.0.2");
  auto& c = add_peer("192.0.2.3", "10.0.0.3");
  rib.announce(a.rib_id(), kMac1, attrs("10.1.1.1"));
  decide();
  clear_all();
  // The MAC moved behind b (RFC 7432 §15: the higher sequence wins): a and c are sent
  // b's path, and b withdraws a's.
  rib.announce(b.rib_id(), kMac1, attrs("10.1.1.2", 1));
  decide();
  EXPECT_EQ(a.announced, std::vector{evpn::route_key(kMac1.route)});
  EXPECT_EQ(c.announced, std::vector{evpn::route_key(kMac1.route)});
  EXPECT_TRUE(b.announced.empty());
  EXPECT_EQ(b.withdrawn, std::vector{evpn::route_key(kMac1.route)});
  EXPECT_TRUE(a.withdrawn.empty());
  EXPECT_EQ(a.prefixes_sent, 1u);
  EXPECT_EQ(b.prefixes_sent, 0u);
  clear_all();
  // And back: b is sent a's again, a withdraws b's.
  rib.withdraw(b.rib_id(), kMac1);
  decide();
  EXPECT_EQ(b.announced, std::vector{evpn::route_key(kMac1.route)});
  EXPECT_EQ(a.withdrawn, std::vector{evpn::route_key(kMac1.route)});
  EXPECT_EQ(c.announced, std::vector{evpn::route_key(kMac1.route)});
}

TEST_F(UpdateGroupsTest, DifferentSettingsMakeDifferentGroupsEachEncodingOnce) {
  ExportKey nonclient = rr_client_key();
  nonclient.rr_client = false;
  auto& a = add_peer("192.0.2.1", "10.0.0.1");
  auto& b = add_peer("192.0.2.2", "10.0.0.2");
  auto& n1 = add_peer("192.0.2.11", "10.0.0.11", nonclient);
  auto& n2 = add_peer("192.0.2.12", "10.0.0.12", nonclient);
  EXPECT_EQ(group_count(), 2u);
  clear_all();
  const auto before = groups.totals();
  rib.announce(a.rib_id(), kMac1, attrs("10.1.1.1"));  // from a client: to every peer
  rib.announce(n1.rib_id(), kMac2, attrs("10.1.1.11"));  // from a non-client: to clients only
  decide();
  EXPECT_EQ(b.announced, (std::vector{evpn::route_key(kMac1.route), evpn::route_key(kMac2.route)}));
  EXPECT_EQ(a.announced, std::vector{evpn::route_key(kMac2.route)});
  EXPECT_EQ(n2.announced, std::vector{evpn::route_key(kMac1.route)});
  EXPECT_EQ(n1.announced, std::vector{evpn::route_key(kMac1.route)});
  // Clients: one UPDATE per (attributes, source) pair = 2; non-clients: 1.
  EXPECT_EQ(groups.totals().messages_encoded - before.messages_encoded, 3u);
}

TEST_F(UpdateGroupsTest, ASlowMemberIsSplitOffAndMergedBackWhenItHasCaughtUp) {
  auto& a = add_peer("192.0.2.1", "10.0.0.1");
  auto& b = add_peer("192.0.2.2", "10.0.0.2");
  auto& slow = add_peer("192.0.2.3", "10.0.0.3");
  ASSERT_EQ(group_count(), 1u);
  clear_all();
  slow.queued = 5000;  // above the test's high-water mark of 1000
  rib.announce(a.rib_id(), kMac1, attrs("10.1.1.1"));
  decide();
  // The group waits for everyone at first...
  EXPECT_TRUE(b.announced.empty());
  EXPECT_TRUE(slow.drain_wanted);
  // ...and lets the slow one go after the grace time (20 ms here), not before.
  clock.advance(std::chrono::milliseconds(19));
  EXPECT_TRUE(b.announced.empty());
  EXPECT_EQ(group_count(), 1u);
  clock.advance(std::chrono::milliseconds(1));
  EXPECT_EQ(b.announced, std::vector{evpn::route_key(kMac1.route)});
  EXPECT_TRUE(slow.announced.empty());
  EXPECT_EQ(group_count(), 2u);
  // Changes meanwhile reach the fast group at once and wait as keys for the slow one.
  rib.announce(a.rib_id(), kMac2, attrs("10.1.1.1"));
  decide();
  EXPECT_EQ(b.announced.size(), 2u);
  EXPECT_TRUE(slow.announced.empty());
  // It drains: it is sent both, in key order, and rejoins.
  slow.queued = 0;
  groups.output_drained(slow);
  EXPECT_EQ(slow.announced, (std::vector{evpn::route_key(kMac1.route), evpn::route_key(kMac2.route)}));
  EXPECT_EQ(group_count(), 1u);
  EXPECT_EQ(groups.views()[0].members.size(), 3u);
  // After the merge a withdrawal reaches everyone that holds the route, once encoded.
  clear_all();
  const auto before = groups.totals();
  rib.withdraw(a.rib_id(), kMac2);
  decide();
  EXPECT_EQ(b.withdrawn, std::vector{evpn::route_key(kMac2.route)});
  EXPECT_EQ(slow.withdrawn, std::vector{evpn::route_key(kMac2.route)});
  EXPECT_TRUE(a.withdrawn.empty());
  EXPECT_EQ(groups.totals().messages_encoded - before.messages_encoded, 1u);
}

// Within a part, routes are grouped by the attribute set they are sent with, in key
// order inside each set, the sets in the order of their first key: deterministic, and
// as few UPDATEs as the sets allow.
TEST_F(UpdateGroupsTest, ALatePeerGetsTheTableInKeyOrderWithEndOfRibThenJoins) {
  auto& a = add_peer("192.0.2.1", "10.0.0.1");
  auto& b = add_peer("192.0.2.2", "10.0.0.2");
  rib.announce(a.rib_id(), kMac3, attrs("10.1.1.1"));
  rib.announce(a.rib_id(), kMac1, attrs("10.1.1.1"));
  rib.announce(b.rib_id(), kMac2, attrs("10.1.1.2"));
  decide();
  auto& late = add_peer("192.0.2.3", "10.0.0.3");
  EXPECT_EQ(late.announced, (std::vector{evpn::route_key(kMac1.route), evpn::route_key(kMac3.route),
                                        evpn::route_key(kMac2.route)}));
  EXPECT_EQ(late.markers, std::vector<std::string>{"EoR"});
  EXPECT_EQ(late.prefixes_sent, 3u);
  EXPECT_EQ(group_count(), 1u);
  // A refresh re-sends what it holds between BoRR and EoRR, in a group of its own for
  // the while, and it joins again.
  late.clear();
  groups.start_table(late, TableSendReason::Refresh);
  EXPECT_EQ(late.markers, (std::vector<std::string>{"BoRR", "EoRR"}));
  EXPECT_EQ(late.announced.size(), 3u);
  EXPECT_EQ(group_count(), 1u);
}

TEST_F(UpdateGroupsTest, ARefreshAfterASettingChangedMovesThePeerToTheGroupOfItsNewKey) {
  auto& a = add_peer("192.0.2.1", "10.0.0.1");
  add_peer("192.0.2.2", "10.0.0.2");
  auto& c = add_peer("192.0.2.3", "10.0.0.3");
  rib.announce(a.rib_id(), kMac1, attrs("10.1.1.1"));
  decide();
  ASSERT_EQ(group_count(), 1u);
  ExportKey nonclient = rr_client_key();
  nonclient.rr_client = false;
  c.set_export_key(nonclient);
  c.clear();
  groups.start_table(c, TableSendReason::Refresh);
  EXPECT_EQ(c.announced, std::vector{evpn::route_key(kMac1.route)});  // from a client: to everyone
  EXPECT_EQ(group_count(), 2u);
  EXPECT_EQ(groups.views()[1].members, std::vector{c.rib_id()});
  EXPECT_EQ(describe(groups.views()[1].key), "ibgp as4");
}

TEST_F(UpdateGroupsTest, AMemberWhoseSessionWentIsDroppedFromItsGroup) {
  auto& a = add_peer("192.0.2.1", "10.0.0.1");
  auto& b = add_peer("192.0.2.2", "10.0.0.2");
  b.up = false;
  rib.announce(a.rib_id(), kMac1, attrs("10.1.1.1"));
  decide();
  EXPECT_TRUE(b.announced.empty());
  ASSERT_EQ(group_count(), 1u);
  EXPECT_EQ(groups.views()[0].members, std::vector{a.rib_id()});
  EXPECT_EQ(groups.group_of(b), std::nullopt);
}

}  // namespace
}  // namespace evpnd::bgp
