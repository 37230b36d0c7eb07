// Our OPEN, and what two OPENs negotiate: hold time and keepalive, families, capabilities,
// ADD-PATH directions and the codec context.
#include "fsm_test_support.hpp"

namespace evpnd::test::fsm {
namespace {

const w::AfiSafi kEvpn = w::AfiSafi::l2vpn_evpn();
const w::AfiSafi kV4 = w::AfiSafi::ipv4_unicast();
const w::AfiSafi kV6 = w::AfiSafi::ipv6_unicast();

w::OpenMessage open_with(std::vector<w::Capability> caps, std::uint32_t asn = 65002, std::uint16_t hold = 180) {
  return w::make_open(w::Asn{asn}, hold, w::RouterId{kRemoteId}, std::move(caps));
}

f::Negotiated negotiate_with(const f::PeerConfig& cfg, const w::OpenMessage& peer) {
  return f::negotiate(f::build_open(cfg, cfg.hostname), peer, cfg);
}

TEST(BuildOpen, AdvertisesFamiliesAndTheFixedCapabilities) {
  auto cfg = config();
  cfg.families = {kEvpn, kV4};
  const auto o = f::build_open(cfg, "leaf1");
  EXPECT_EQ(o.version, 4);
  EXPECT_EQ(o.my_as, 65001);
  EXPECT_EQ(o.hold_time, 90);
  EXPECT_EQ(o.bgp_id, w::RouterId{kLocalId});
  std::vector<w::Capability> caps;
  for (const auto& p : o.params) {
    EXPECT_EQ(p.type, w::OptionalParameter::kCapabilities);
    caps.insert(caps.end(), p.capabilities.begin(), p.capabilities.end());
  }
  const std::vector<w::Capability> expected = {
      w::MultiprotocolCap{kEvpn}, w::MultiprotocolCap{kV4},     w::RouteRefreshCap{},
      w::EnhancedRouteRefreshCap{}, w::FourOctetAsCap{w::Asn{65001}}, w::ExtendedMessageCap{},
      w::FqdnCap{"leaf1", ""}};
  EXPECT_EQ(caps, expected);
  EXPECT_EQ(o.find<w::AddPathCap>(), nullptr);
}

TEST(BuildOpen, NoHostnameNoFqdnAndFourOctetAsUsesAsTrans) {
  auto cfg = config();
  cfg.local_as = w::Asn{4200000001u};
  const auto o = f::build_open(cfg);
  EXPECT_EQ(o.my_as, w::Asn::kAsTrans);
  ASSERT_NE(o.find<w::FourOctetAsCap>(), nullptr);
  EXPECT_EQ(o.find<w::FourOctetAsCap>()->asn, w::Asn{4200000001u});
  EXPECT_EQ(o.find<w::FqdnCap>(), nullptr);
}

TEST(BuildOpen, GracefulRestartWithTheForwardingBitPerFamilyAndTheRestartBit) {
  auto cfg = config();
  cfg.families = {kV4, kEvpn};
  EXPECT_EQ(f::build_open(cfg).find<w::GracefulRestartCap>(), nullptr);  // not configured: not sent
  cfg.graceful_restart = f::PeerConfig::GracefulRestart{120, true, {kEvpn}};
  auto open = f::build_open(cfg);
  const auto* gr = open.find<w::GracefulRestartCap>();
  ASSERT_NE(gr, nullptr);
  EXPECT_EQ(gr->flags, 0x8);  // R: just restarted
  EXPECT_EQ(gr->restart_time, 120);
  // Every family we keep routes for; F only where forwarding survived (RFC 4724 §3).
  const std::vector<w::GracefulRestartCap::Entry> entries = {{kV4, 0}, {kEvpn, 0x80}};
  EXPECT_EQ(gr->entries, entries);
  // The restart-time field is 12 bits.
  cfg.graceful_restart = f::PeerConfig::GracefulRestart{5000, false, {}};
  open = f::build_open(cfg);
  gr = open.find<w::GracefulRestartCap>();
  ASSERT_NE(gr, nullptr);
  EXPECT_EQ(gr->flags, 0);
  EXPECT_EQ(gr->restart_time, 4095);
}

TEST(Negotiate, GracefulRestartOnlyWhenBothSidesSentIt) {
  auto cfg = config();
  const auto peer_gr = open_with({w::MultiprotocolCap{kEvpn}, w::GracefulRestartCap{0, 120, {{kEvpn, 0x80}}}});
  const auto peer_plain = open_with({w::MultiprotocolCap{kEvpn}});
  auto n = negotiate_with(cfg, peer_gr);
  EXPECT_TRUE(n.peer_graceful_restart);
  EXPECT_FALSE(n.graceful_restart);  // we did not advertise it
  cfg.graceful_restart = f::PeerConfig::GracefulRestart{};
  n = negotiate_with(cfg, peer_gr);
  EXPECT_TRUE(n.graceful_restart);
  n = negotiate_with(cfg, peer_plain);
  EXPECT_FALSE(n.peer_graceful_restart);
  EXPECT_FALSE(n.graceful_restart);
}

TEST(BuildOpen, AddPathWhenConfigured) {
  auto cfg = config();
  cfg.add_path = {{kEvpn, w::AddPathDirection::Both}};
  const auto o = f::build_open(cfg);
  const auto* ap = o.find<w::AddPathCap>();
  ASSERT_NE(ap, nullptr);
  ASSERT_EQ(ap->entries.size(), 1u);
  EXPECT_EQ(ap->entries[0].family, kEvpn);
  EXPECT_EQ(ap->entries[0].direction, w::AddPathDirection::Both);
}

struct HoldCase {
  std::uint16_t ours, theirs, keepalive_cfg;
  std::uint16_t hold, keepalive;
};

TEST(Negotiate, HoldTimeIsTheMinimumAndKeepaliveAThird) {
  const std::vector<HoldCase> cases = {
      {90, 180, 60, 90, 30},   // ours smaller; configured keepalive 60 > 90/3
      {180, 90, 60, 90, 30},   // theirs smaller
      {90, 0, 30, 0, 0},       // zero: no keepalives at all
      {0, 90, 30, 0, 0},
      {90, 3, 30, 3, 1},       // the smallest legal hold time
      {90, 9, 30, 9, 3},
      {90, 180, 10, 90, 10},   // configured keepalive below hold/3 wins
      {90, 4, 30, 4, 1},       // 4/3 rounds down to 1
      {180, 180, 60, 180, 60},
  };
  for (const auto& c : cases) {
    auto cfg = config();
    cfg.hold_time = c.ours;
    cfg.keepalive = c.keepalive_cfg;
    const auto n = negotiate_with(cfg, peer_open(65002, c.theirs));
    EXPECT_EQ(n.hold_time, c.hold) << c.ours << " vs " << c.theirs;
    EXPECT_EQ(n.keepalive, c.keepalive) << c.ours << " vs " << c.theirs;
  }
}

TEST(Negotiate, KeepaliveIsAtLeastOneSecondWhenConfiguredZero) {
  auto cfg = config();
  cfg.keepalive = 0;
  EXPECT_EQ(negotiate_with(cfg, peer_open(65002, 90)).keepalive, 1);
}

TEST(Negotiate, ZeroHoldTimeStartsNoTimersInOpenConfirmOrEstablished) {
  const auto cfg = config();
  f::FsmState s;
  s.state = f::State::OpenSent;
  s.local_open = f::build_open(cfg, cfg.hostname);
  auto t = f::step(s, f::BgpOpen{peer_open(65002, 0)}, cfg);
  ASSERT_EQ(t.next.state, f::State::OpenConfirm);
  EXPECT_EQ(t.actions, (std::vector<f::Action>{f::SendKeepalive{}, f::StopTimer{f::Timer::Hold}}))
      << ::testing::PrintToString(names(t.actions));
  t = f::step(t.next, f::KeepAliveMsg{}, cfg);
  ASSERT_EQ(t.next.state, f::State::Established);
  ASSERT_EQ(t.actions.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<f::SessionUp>(t.actions[0]));
  EXPECT_TRUE(f::step(t.next, f::KeepAliveMsg{}, cfg).actions.empty());
  EXPECT_TRUE(f::step(t.next, f::UpdateMsg{}, cfg).actions.empty());
}

TEST(Negotiate, FamiliesAreTheIntersection) {
  auto cfg = config();
  // Both EVPN.
  EXPECT_EQ(negotiate_with(cfg, peer_open()).families, std::vector<w::AfiSafi>{kEvpn});
  // We do EVPN and IPv4, the peer only EVPN.
  cfg.families = {kV4, kEvpn};
  EXPECT_EQ(negotiate_with(cfg, peer_open()).families, std::vector<w::AfiSafi>{kEvpn});
  // The peer does IPv6 only: EVPN is not active, nothing is.
  const auto v6 = open_with({w::MultiprotocolCap{kV6}, w::FourOctetAsCap{w::Asn{65002}}});
  EXPECT_TRUE(negotiate_with(cfg, v6).families.empty());
  EXPECT_FALSE(negotiate_with(cfg, v6).family_active(kEvpn));
}

TEST(Negotiate, NoMultiprotocolCapabilityMeansIpv4UnicastOnly) {
  auto cfg = config();
  const auto plain = open_with({w::RouteRefreshCap{}, w::FourOctetAsCap{w::Asn{65002}}});
  EXPECT_EQ(f::open_families(plain), std::vector<w::AfiSafi>{kV4});
  // Our EVPN-only session with a peer that sent no MP capability: nothing in common.
  EXPECT_TRUE(negotiate_with(cfg, plain).families.empty());
  cfg.families = {kEvpn, kV4};
  EXPECT_EQ(negotiate_with(cfg, plain).families, std::vector<w::AfiSafi>{kV4});
  // Neither side sends MP: IPv4 unicast on both.
  cfg.families = {};
  EXPECT_EQ(negotiate_with(cfg, plain).families, std::vector<w::AfiSafi>{kV4});
}

TEST(Negotiate, CapabilitiesBothSidesSent) {
  const auto cfg = config();
  const auto n = negotiate_with(cfg, peer_open());
  EXPECT_EQ(n.peer_as, w::Asn{65002});
  EXPECT_EQ(n.peer_id, w::RouterId{kRemoteId});
  EXPECT_TRUE(n.four_octet_as);
  EXPECT_TRUE(n.route_refresh);
  EXPECT_TRUE(n.enhanced_route_refresh);
  EXPECT_TRUE(n.extended_message_rx);   // we advertise capability 6
  EXPECT_FALSE(n.extended_message_tx);  // the peer did not
  EXPECT_FALSE(n.peer_graceful_restart);
  EXPECT_EQ(n.peer_hostname, "spine1");
  EXPECT_FALSE(n.ibgp);

  // A bare peer: no 4-octet AS, no route refresh.
  const auto bare = open_with({w::MultiprotocolCap{kEvpn}});
  const auto b = negotiate_with(cfg, bare);
  EXPECT_FALSE(b.four_octet_as);
  EXPECT_FALSE(b.route_refresh);
  EXPECT_FALSE(b.enhanced_route_refresh);
  EXPECT_FALSE(b.codec_context().four_octet_as);
  EXPECT_TRUE(b.peer_hostname.empty());
}

// RFC 8654 §4: the receive limit follows our advertisement, the send limit the peer's.
// A single flag for both would refuse the large UPDATEs a peer that took our
// capability at its word may send without advertising its own.
TEST(Negotiate, ExtendedMessageIsPerDirection) {
  const auto cfg = config();
  auto local = f::build_open(cfg);
  ASSERT_NE(local.find<w::ExtendedMessageCap>(), nullptr);
  const auto with6 = open_with({w::MultiprotocolCap{kEvpn}, w::ExtendedMessageCap{}});
  const auto without6 = open_with({w::MultiprotocolCap{kEvpn}});

  auto n = f::negotiate(local, without6, cfg);
  EXPECT_EQ(n.codec_context().max_receive_size(), w::kMaxExtendedMessageSize);
  EXPECT_EQ(n.codec_context().max_send_size(), w::kMaxMessageSize);
  n = f::negotiate(local, with6, cfg);
  EXPECT_EQ(n.codec_context().max_receive_size(), w::kMaxExtendedMessageSize);
  EXPECT_EQ(n.codec_context().max_send_size(), w::kMaxExtendedMessageSize);

  // An OPEN of ours without capability 6 (as before RFC 8654 support): 4096 in.
  std::erase_if(local.params, [](const w::OptionalParameter& p) {
    return p.capabilities.size() == 1 && std::holds_alternative<w::ExtendedMessageCap>(p.capabilities[0]);
  });
  ASSERT_EQ(local.find<w::ExtendedMessageCap>(), nullptr);
  n = f::negotiate(local, with6, cfg);
  EXPECT_EQ(n.codec_context().max_receive_size(), w::kMaxMessageSize);
  EXPECT_EQ(n.codec_context().max_send_size(), w::kMaxExtendedMessageSize);
}

// The RFC 7606 session facts the codec needs come from the OPEN exchange.
TEST(Negotiate, CodecContextCarriesPeerKindAndFamilies) {
  auto cfg = config();
  auto n = negotiate_with(cfg, peer_open());
  EXPECT_FALSE(n.codec_context().ibgp);
  EXPECT_TRUE(n.codec_context().multiprotocol);  // l2vpn evpn
  cfg.families = {kV4};
  const auto v4 = open_with({w::MultiprotocolCap{kV4}, w::FourOctetAsCap{w::Asn{65001}}});
  n = negotiate_with(cfg, v4);
  EXPECT_TRUE(n.codec_context().ibgp);
  EXPECT_FALSE(n.codec_context().multiprotocol);  // IPv4 unicast only: the NLRI field holds every route
}

TEST(Negotiate, OldRouteRefreshCodeAndGracefulRestartAreSeen) {
  const auto peer = open_with({w::MultiprotocolCap{kEvpn}, w::UnknownCap{128, {}},
                               w::GracefulRestartCap{0, 120, {}}});
  const auto n = negotiate_with(config(), peer);
  EXPECT_TRUE(n.route_refresh);
  EXPECT_TRUE(n.peer_graceful_restart);
}

TEST(Negotiate, IbgpWhenThePeerIsInOurAs) {
  auto cfg = config();
  cfg.remote_as = w::Asn{65001};
  EXPECT_TRUE(negotiate_with(cfg, peer_open(65001)).ibgp);
}

struct AddPathCase {
  w::AddPathDirection ours, theirs;
  bool rx, tx;
};

TEST(Negotiate, AddPathDirections) {
  using D = w::AddPathDirection;
  const std::vector<AddPathCase> cases = {
      {D::Both, D::Both, true, true},       {D::Both, D::Send, true, false},
      {D::Both, D::Receive, false, true},   {D::Receive, D::Send, true, false},
      {D::Receive, D::Receive, false, false}, {D::Send, D::Send, false, false},
      {D::Send, D::Receive, false, true},   {D::Receive, D::Both, true, false},
  };
  for (const auto& c : cases) {
    auto cfg = config();
    cfg.add_path = {{kEvpn, c.ours}};
    const auto peer = open_with({w::MultiprotocolCap{kEvpn}, w::AddPathCap{{{kEvpn, c.theirs}}}});
    const auto n = negotiate_with(cfg, peer);
    const auto ctx = n.codec_context();
    SCOPED_TRACE(::testing::Message() << "ours " << int(c.ours) << " theirs " << int(c.theirs));
    EXPECT_EQ(ctx.add_path_receive(kEvpn), c.rx);
    EXPECT_EQ(ctx.add_path_send(kEvpn), c.tx);
    EXPECT_EQ(n.add_path_rx.size(), c.rx ? 1u : 0u);
    EXPECT_EQ(n.add_path_tx.size(), c.tx ? 1u : 0u);
  }
}

TEST(Negotiate, AddPathIsPerFamily) {
  auto cfg = config();
  cfg.families = {kEvpn, kV4};
  cfg.add_path = {{kEvpn, w::AddPathDirection::Both}, {kV4, w::AddPathDirection::Receive}};
  // The peer sends path ids for IPv4 only and says nothing about EVPN.
  const auto peer = open_with({w::MultiprotocolCap{kEvpn}, w::MultiprotocolCap{kV4},
                               w::AddPathCap{{{kV4, w::AddPathDirection::Send}}}});
  const auto n = negotiate_with(cfg, peer);
  EXPECT_EQ(n.add_path_rx, std::vector<w::AfiSafi>{kV4});
  EXPECT_TRUE(n.add_path_tx.empty());
}

TEST(Negotiate, NoAddPathWithoutOurCapability) {
  const auto peer = open_with({w::MultiprotocolCap{kEvpn}, w::AddPathCap{{{kEvpn, w::AddPathDirection::Both}}}});
  const auto n = negotiate_with(config(), peer);
  EXPECT_TRUE(n.add_path_rx.empty());
  EXPECT_TRUE(n.add_path_tx.empty());
}

}  // namespace
}  // namespace evpnd::test::fsm
