// ipv4 unicast through the same Loc-RIB and update groups as l2vpn evpn: the UPDATEs use
// the NLRI and Withdrawn Routes fields (RFC 4271 §4.3); a route we originate goes out
// with our session address as next hop; to eBGP every learned route does too (RFC 4271
// §5.1.3) with our AS prepended, while a reflected iBGP route keeps its next hop and gets
// ORIGINATOR_ID and CLUSTER_LIST (RFC 4456 §8). The members are test peers: no sockets.
#include <gtest/gtest.h>

#include <map>

#include "bgp/update_groups.hpp"
#include "bgp/wire/message.hpp"
#include "support/manual_clock.hpp"
#include "unit/rib/rib_test_support.hpp"

namespace evpnd::bgp {
namespace {

using test::ip;

wire::Prefix prefix(const char* address, std::uint8_t length) { return {ip(address), length, std::nullopt}; }

// What a test peer was sent, decoded: announced prefixes with their attributes,
// withdrawn prefixes, End-of-RIB markers.
class Ipv4Peer final : public ExportPeer {
 public:
  Ipv4Peer(rib::PeerId id, ExportKey key) : id_(id), key_(key) {}
  rib::PeerId rib_id() const override { return id_; }
  bool exports(wire::AfiSafi f) const override { return f == wire::AfiSafi::ipv4_unicast(); }
  ExportKey export_key(wire::AfiSafi) const override { return key_; }
  const wire::CodecContext& codec() const override { return codec_; }
  bool enhanced_route_refresh() const override { return false; }
  std::size_t queued_bytes() const override { return 0; }
  void notify_when_drained() override {}
  void set_prefixes_sent(wire::AfiSafi, std::size_t n) override { prefixes_sent = n; }
  void send_shared(std::span<const SharedMessage> messages, wire::MessageType) override {
    for (const auto& m : messages) {
      ++messages_received;
      auto d = wire::decode_message(*m, codec_);
      ASSERT_TRUE(d.ok());
      const auto& u = std::get<wire::DecodedUpdate>(d.value()).update;
      if (u.end_of_rib()) {
        ++end_of_ribs;
        continue;
      }
      ASSERT_FALSE(u.attrs.mp_reach.has_value()) << "ipv4 unicast goes in the UPDATE's own NLRI field";
      for (const auto& p : u.nlri) announced[p] = u.attrs;
      for (const auto& p : u.withdrawn) withdrawn.push_back(p);
    }
  }

  std::map<wire::Prefix, wire::PathAttributes> announced;
  std::vector<wire::Prefix> withdrawn;
  std::size_t end_of_ribs = 0;
  std::size_t messages_received = 0;
  std::size_t prefixes_sent = 0;

 private:
  rib::PeerId id_;
  ExportKey key_;
  wire::CodecContext codec_;
};

struct Ipv4ExportTest : ::testing::Test {
  test::ManualClock clock;
  rib::AttrStore store;
  rib::Ipv4Rib rib;
  Ipv4UpdateGroups groups{clock, rib, UpdateGroupGlobals{wire::Asn{65000}, wire::RouterId{0x0a000064}, 100}};
  std::map<std::uint32_t, std::unique_ptr<Ipv4Peer>> peers;

  Ipv4Peer& add_peer(const char* address, const char* router_id, std::uint32_t asn, ExportKey key) {
    rib::PeerInfo info;
    info.address = ip(address);
    info.router_id = wire::RouterId{ip(router_id).v4_host_order()};
    info.asn = asn;
    info.ibgp = key.ibgp;
    info.rr_client = key.rr_client;
    const auto id = rib.add_peer(info);
    auto& p = *(peers[id.value] = std::make_unique<Ipv4Peer>(id, key));
    groups.start_table(p, TableSendReason::Initial);
    return p;
  }
  rib::AttrRef learned(const char* next_hop, std::vector<std::uint32_t> as_path = {}) {
    wire::PathAttributes a;
    a.origin = wire::Origin::Igp;
    a.as_path = wire::AsPath{};
    if (!as_path.empty()) a.as_path->segments.push_back({wire::AsPathSegmentType::Sequence, as_path});
    a.next_hop = ip(next_hop);
    return store.intern(a);
  }
  // What Speaker::originate_prefix interns: no next hop of its own.
  rib::AttrRef originated() {
    wire::PathAttributes a;
    a.origin = wire::Origin::Igp;
    a.as_path = wire::AsPath{};
    return store.intern(a);
  }
  void decide() { groups.changed(rib.run_best_path()); }
};

ExportKey ibgp_client(const char* local) {
  ExportKey k;
  k.ibgp = true;
  k.rr_client = true;
  k.local_next_hop = ip(local);
  return k;
}

ExportKey ebgp(const char* local) {
  ExportKey k;
  k.ibgp = false;
  k.next_hop_self = ip(local);
  k.local_next_hop = ip(local);
  return k;
}

TEST_F(Ipv4ExportTest, AnOriginatedPrefixGoesOutWithTheSessionAddressAsNextHop) {
  auto& client = add_peer("10.0.0.2", "10.0.0.2", 65000, ibgp_client("10.0.0.1"));
  auto& external = add_peer("192.0.2.2", "192.0.2.2", 65100, ebgp("192.0.2.1"));
  EXPECT_EQ(client.end_of_ribs, 1u);
  rib.announce(rib::kLocalPeer, prefix("10.255.0.1", 32), originated());
  decide();

  ASSERT_EQ(client.announced.count(prefix("10.255.0.1", 32)), 1u);
  const auto& to_client = client.announced.at(prefix("10.255.0.1", 32));
  EXPECT_EQ(to_client.next_hop, ip("10.0.0.1"));
  EXPECT_EQ(to_client.local_pref, 100u);
  EXPECT_TRUE(to_client.as_path->segments.empty());

  const auto& to_external = external.announced.at(prefix("10.255.0.1", 32));
  EXPECT_EQ(to_external.next_hop, ip("192.0.2.1"));
  EXPECT_FALSE(to_external.local_pref.has_value());
  EXPECT_EQ(to_external.as_path->to_string(), "65000");
  EXPECT_EQ(client.prefixes_sent, 1u);
}

TEST_F(Ipv4ExportTest, AReflectedRouteKeepsItsNextHopAndAnEbgpPeerGetsOurs) {
  auto& a = add_peer("10.0.0.2", "10.0.0.2", 65000, ibgp_client("10.0.0.1"));
  auto& b = add_peer("10.0.0.3", "10.0.0.3", 65000, ibgp_client("10.0.0.1"));
  auto& external = add_peer("192.0.2.2", "192.0.2.2", 65100, ebgp("192.0.2.1"));
  rib.announce(a.rib_id(), prefix("10.255.0.2", 32), learned("10.0.0.2"));
  decide();

  EXPECT_TRUE(a.announced.empty()) << "never back to its source";
  const auto& reflected = b.announced.at(prefix("10.255.0.2", 32));
  EXPECT_EQ(reflected.next_hop, ip("10.0.0.2"));
  EXPECT_EQ(reflected.originator_id, wire::RouterId{ip("10.0.0.2").v4_host_order()});
  EXPECT_EQ(reflected.cluster_list, std::vector<std::uint32_t>{0x0a000064});

  const auto& out = external.announced.at(prefix("10.255.0.2", 32));
  EXPECT_EQ(out.next_hop, ip("192.0.2.1"));
  EXPECT_FALSE(out.originator_id.has_value());
  EXPECT_TRUE(out.cluster_list.empty());
}

TEST_F(Ipv4ExportTest, TheShorterAsPathWinsAndAWithdrawalGoesWhereTheRouteWent) {
  auto& client = add_peer("10.0.0.2", "10.0.0.2", 65000, ibgp_client("10.0.0.1"));
  auto& x = add_peer("192.0.2.2", "192.0.2.2", 65100, ebgp("192.0.2.1"));
  auto& y = add_peer("198.51.100.2", "198.51.100.2", 65200, ebgp("198.51.100.1"));
  rib.announce(x.rib_id(), prefix("203.0.113.0", 24), learned("192.0.2.2", {65100, 65300}));
  rib.announce(y.rib_id(), prefix("203.0.113.0", 24), learned("198.51.100.2", {65200}));
  decide();
  const auto* e = rib.find(rib::PrefixKey{ip("203.0.113.0"), 24});
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(rib::Ipv4Rib::best_of(*e)->peer, y.rib_id());
  EXPECT_EQ(e->reason, rib::SelectionReason::AsPath);
  EXPECT_EQ(client.announced.at(prefix("203.0.113.0", 24)).next_hop, ip("198.51.100.2"));
  EXPECT_EQ(x.announced.at(prefix("203.0.113.0", 24)).as_path->to_string(), "65000 65200");
  EXPECT_TRUE(y.announced.empty());

  rib.withdraw(y.rib_id(), prefix("203.0.113.0", 24));
  rib.withdraw(x.rib_id(), prefix("203.0.113.0", 24));
  decide();
  EXPECT_EQ(client.withdrawn, std::vector<wire::Prefix>{prefix("203.0.113.0", 24)});
  EXPECT_EQ(x.withdrawn, std::vector<wire::Prefix>{prefix("203.0.113.0", 24)});
  EXPECT_TRUE(y.withdrawn.empty()) << "y was never sent the route";
}

TEST_F(Ipv4ExportTest, ManyPrefixesArePackedIntoFewUpdatesWithinTheMessageSize) {
  auto& client = add_peer("10.0.0.2", "10.0.0.2", 65000, ibgp_client("10.0.0.1"));
  auto& source = add_peer("10.0.0.3", "10.0.0.3", 65000, ibgp_client("10.0.0.1"));
  const auto shared = learned("10.0.0.3");
  for (std::uint32_t i = 0; i < 3000; ++i)
    rib.announce(source.rib_id(), wire::Prefix{wire::IpAddress::v4(0x0b000000 + (i << 8)), 24, std::nullopt}, shared);
  const std::size_t before = client.messages_received;
  decide();
  EXPECT_EQ(client.announced.size(), 3000u);
  // A /24 is 4 octets: about 1,000 fit in 4,096 bytes, so three or four UPDATEs, not 3,000.
  EXPECT_LE(client.messages_received - before, 4u);
  EXPECT_GE(client.messages_received - before, 3u);
}

TEST_F(Ipv4ExportTest, OverAnIpv6SessionOnlyRoutesWithAnIpv4NextHopGoAndOnlyThoseCount) {
  // Without RFC 8950's extended next hop, our IPv6 session address cannot be the next
  // hop of an IPv4 route: our own prefix is not sent (nor counted as sent, nor later
  // withdrawn); a reflected route keeps its IPv4 next hop and goes.
  auto& v6 = add_peer("2001:db8::2", "10.0.0.2", 65000, ibgp_client("2001:db8::1"));
  auto& source = add_peer("10.0.0.3", "10.0.0.3", 65000, ibgp_client("10.0.0.1"));
  rib.announce(rib::kLocalPeer, prefix("10.255.0.1", 32), originated());
  rib.announce(source.rib_id(), prefix("10.255.0.3", 32), learned("10.0.0.3"));
  decide();
  EXPECT_EQ(v6.announced.count(prefix("10.255.0.1", 32)), 0u);
  ASSERT_EQ(v6.announced.count(prefix("10.255.0.3", 32)), 1u);
  EXPECT_EQ(v6.announced.at(prefix("10.255.0.3", 32)).next_hop, ip("10.0.0.3"));
  EXPECT_EQ(v6.prefixes_sent, 1u);
  rib.withdraw(rib::kLocalPeer, prefix("10.255.0.1", 32));
  decide();
  EXPECT_TRUE(v6.withdrawn.empty());
}

TEST(BuildIpv4Updates, TheNextHopComesFromAnMpReachOfIpv4AndWithoutOneNothingIsSent) {
  const std::vector<wire::Prefix> one{prefix("10.1.0.0", 16)};
  wire::PathAttributes mp;
  mp.origin = wire::Origin::Igp;
  mp.as_path = wire::AsPath{};
  const auto nh = ip("10.0.0.7");
  mp.mp_reach = wire::MpReach{wire::AfiSafi::ipv4_unicast(), wire::ByteVec(nh.data(), nh.data() + 4), {}, {}, {}};
  const auto msgs = build_updates(mp, std::span<const wire::Prefix>(one), {});
  ASSERT_EQ(msgs.size(), 1u);
  auto d = wire::decode_message(msgs[0], {});
  ASSERT_TRUE(d.ok());
  const auto& u = std::get<wire::DecodedUpdate>(d.value()).update;
  EXPECT_EQ(u.attrs.next_hop, nh);
  EXPECT_FALSE(u.attrs.mp_reach.has_value());
  EXPECT_EQ(u.nlri, one);

  wire::PathAttributes none;
  none.origin = wire::Origin::Igp;
  none.as_path = wire::AsPath{};
  EXPECT_TRUE(build_updates(none, std::span<const wire::Prefix>(one), {}).empty());
  // An IPv6 next hop needs RFC 8950, which is not negotiated.
  none.next_hop = ip("2001:db8::1");
  EXPECT_TRUE(build_updates(none, std::span<const wire::Prefix>(one), {}).empty());

  const auto w = build_withdrawals(std::span<const wire::Prefix>(one), {});
  ASSERT_EQ(w.size(), 1u);
  auto dw = wire::decode_message(w[0], {});
  ASSERT_TRUE(dw.ok());
  EXPECT_EQ(std::get<wire::DecodedUpdate>(dw.value()).update.withdrawn, one);
}

}  // namespace
}  // namespace evpnd::bgp
