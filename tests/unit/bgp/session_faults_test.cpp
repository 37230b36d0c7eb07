// The speaker against a scripted peer (raw_peer.hpp) that misbehaves on purpose: stops
// reading, reconnects while our output is stuck, opens a second connection, asks for
// route refresh in every way RFC 7313 allows and some it does not, sends more routes
// than maximum-prefix allows. Real loopback sockets and the wall clock, every wait
// bounded; one thread (the test drives the peer between slices of the io_context).
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include "bgp/speaker.hpp"
#include "evpn/nlri.hpp"
#include "unit/bgp/raw_peer.hpp"
#include "unit/bgp/speaker_test_support.hpp"

namespace evpnd::bgp {
namespace {

using ::evpnd::test::RawPeer;
using ::evpnd::test::messages_of;
using Subtype = wire::RouteRefreshMessage::Subtype;

constexpr std::uint32_t kPeerAs = 65002;
constexpr std::uint32_t kPeerId = 0x02020202;

wire::PathAttributes peer_attrs() { return originate_attrs("10.0.0.2", 65002, 100, false); }

// The EVPN NLRI an UPDATE announces.
std::size_t announced(const wire::DecodedUpdate& u) {
  if (!u.update.attrs.mp_reach) return 0;
  auto n = evpn::decode_evpn_nlris(u.update.attrs.mp_reach->nlri, false, 0);
  return n ? n->size() : 0;
}

wire::ByteVec update_of(const std::vector<evpn::EvpnNlri>& routes, const wire::PathAttributes& attrs) {
  wire::PathAttributes a = attrs;
  a.as_path = wire::AsPath{{wire::AsPathSegment{wire::AsPathSegmentType::Sequence, {kPeerAs}}}};
  wire::ByteVec nlri;
  evpn::encode_evpn_nlris(routes, false, nlri);
  a.mp_reach->nlri = nlri;
  wire::UpdateMessage m;
  m.attrs = a;
  return wire::encode_message(wire::Message{m});
}

std::vector<evpn::EvpnNlri> macs(int from, int n) {
  std::vector<evpn::EvpnNlri> v;
  for (int i = from; i < from + n; ++i) {
    char mac[18];
    std::snprintf(mac, sizeof mac, "02:00:00:%02x:%02x:%02x", (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff);
    v.push_back(::evpnd::test::macip("10.0.0.2:100", mac, nullptr, 100));
  }
  return v;
}

class SessionFaults : public ::testing::Test {
 protected:
  void SetUp() override {
    spdlog::set_level(std::getenv("EVPND_TEST_LOG") ? spdlog::level::debug : spdlog::level::off);
  }
  void TearDown() override { spdlog::set_level(spdlog::level::info); }

  // evpnd at 127.0.0.1 in AS 65001, its neighbor 127.0.0.2 (the raw peer, AS 65002)
  // passive: the peer always connects in.
  void start(SessionLimits limits = {}, const std::function<void(NeighborConfig&)>& tweak = {}) {
    port_ = free_port();
    NodeSpec spec{65001, 0x01010101, kAddrA, kAddrB, kPeerAs, port_, true};
    BgpConfig cfg = make_config(spec);
    if (tweak) tweak(cfg.neighbors[0]);
    SpeakerOptions o;
    o.listen_address = kAddrA;
    o.port = port_;
    o.limits = limits;
    a_ = std::make_unique<Speaker>(io_, cfg, o);
    ASSERT_FALSE(a_->start());
  }

  PeerView peer_view() const { return view(*a_); }
  bool a_established() const { return peer_view().state == fsm::State::Established; }

  // Connects `p` and completes the OPEN exchange; reads nothing beyond our OPEN and
  // KEEPALIVE, so whatever evpnd sends after Established waits in the socket.
  bool establish(RawPeer& p, std::uint16_t hold = 3) {
    if (!p.connect("127.0.0.2", "127.0.0.1", port_)) return false;
    if (!p.send_open(kPeerAs, kPeerId, hold)) return false;
    std::size_t opens = 0, keepalives = 0;
    const bool got = run_until(io_, [&] {
      for (const auto& m : p.read(512)) {
        opens += std::holds_alternative<wire::OpenMessage>(m);
        keepalives += std::holds_alternative<wire::KeepaliveMessage>(m);
      }
      return opens == 1 && keepalives >= 1;
    }, 5s);
    if (!got) return false;
    p.send_keepalive();
    return run_until(io_, [&] { return a_established(); }, 5s);
  }

  // Runs the loop for `d`, the peer sending a KEEPALIVE every 500 ms (so that evpnd's
  // hold timer never expires) and reading only if `read`.
  std::vector<wire::DecodedMessage> keep_alive(RawPeer& p, std::chrono::milliseconds d, bool read) {
    std::vector<wire::DecodedMessage> got;
    auto next = std::chrono::steady_clock::now();
    run_for(io_, d, [&] {
      if (std::chrono::steady_clock::now() >= next) {
        p.send_keepalive();
        next += 500ms;
      }
      if (read)
        for (auto& m : p.read()) got.push_back(std::move(m));
    });
    return got;
  }

  asio::io_context io_;
  std::uint16_t port_ = 0;
  std::unique_ptr<Speaker> a_;
};

// m1-rfc §1: the peer stops reading during the table send, our hold timer expires, the
// NOTIFICATION queues behind the stuck write, and the peer connects again before that
// flush ends. The cancelled write's handler must not touch the new connection's queue
// (it popped the new OPEN while it was being written: a use-after-free, then dropped
// the new connection with TcpConnectionFails).
TEST_F(SessionFaults, StaleWriteHandlerLeavesTheNextConnectionAlone) {
  SessionLimits limits;
  limits.flush_limit = 30s;  // the old connection is still flushing when the new one comes
  start(limits);
  a_->originate(macs(0, 100000), originate_attrs("10.0.0.1", 65001, 100, false));
  RawPeer first;
  ASSERT_TRUE(establish(first));
  // Table send under way, the peer silent: the hold timer (3 s) ends the session.
  ASSERT_TRUE(run_until(io_, [&] { return peer_view().state != fsm::State::Established; }, 10s));
  EXPECT_NE(peer_view().last_reset.find("NOTIFICATION sent: Hold Timer Expired"), std::string::npos) << peer_view().last_reset;

  RawPeer second;
  ASSERT_TRUE(establish(second)) << peer_view().last_error;
  // It stays up, with keepalives both ways.
  const auto got = keep_alive(second, 2500ms, true);
  EXPECT_TRUE(a_established()) << peer_view().last_error;
  EXPECT_EQ(peer_view().established_transitions, 2u);
  EXPECT_FALSE(second.closed_by_peer());
  EXPECT_FALSE(messages_of<wire::DecodedUpdate>(got).empty());  // the table, to the new connection
}

// RFC 9687: a peer that keeps sending KEEPALIVEs but reads nothing is dropped when our
// output makes no progress for the send hold time.
TEST_F(SessionFaults, SendHoldTimerEndsAPeerThatStopsReading) {
  SessionLimits limits;
  limits.send_hold_time = 2;
  limits.flush_limit = 500ms;
  start(limits);
  // More than the kernel's socket buffers take (4 MiB each way on loopback), so that the
  // writes stall rather than end.
  a_->originate(macs(0, 150000), originate_attrs("10.0.0.1", 65001, 100, false));
  RawPeer p;
  ASSERT_TRUE(establish(p));
  const auto t0 = std::chrono::steady_clock::now();
  keep_alive(p, 0ms, false);
  ASSERT_TRUE(run_until(io_, [&] {
    p.send_keepalive();
    return !a_established();
  }, 10s));
  const auto took = std::chrono::steady_clock::now() - t0;
  EXPECT_GE(took, 1900ms);
  EXPECT_LT(took, 6s);
  const auto v = peer_view();
  EXPECT_NE(v.last_reset.find("NOTIFICATION sent: Send Hold Timer Expired"), std::string::npos) << v.last_reset;
  EXPECT_EQ(v.counters.notifications_out, 1u);
  // The connection is gone on our side within the flush limit.
  ASSERT_TRUE(run_until(io_, [&] {
    p.read();
    return p.closed_by_peer();
  }, 10s));
}

// The output queue is bounded: above the cap the session ends with Cease / Out of
// Resources (RFC 4486) and what was not yet written is dropped; the NOTIFICATION still
// follows the write in flight.
TEST_F(SessionFaults, OutputCapResetsWithOutOfResources) {
  SessionLimits limits;
  limits.max_queued_bytes = 1u << 20;
  start(limits);
  RawPeer p;
  ASSERT_TRUE(establish(p));
  keep_alive(p, 300ms, true);  // the (empty) table and End-of-RIB
  // Churn while the peer does not read: each originate sends at once, and once the
  // kernel's socket buffers are full (4 MiB each way on loopback) the queue grows.
  for (int i = 0; i < 100 && a_established(); ++i) {
    a_->originate(macs(i * 5000, 5000), originate_attrs("10.0.0.1", 65001, 100 + static_cast<std::uint32_t>(i), false));
    keep_alive(p, 20ms, false);
  }
  ASSERT_FALSE(a_established());
  const auto v = peer_view();
  EXPECT_NE(v.last_reset.find("Out of Resources"), std::string::npos) << v.last_reset;
  EXPECT_LE(v.queued_bytes, (1u << 20) + (256u << 10));
  // Reading now, the peer gets what was in flight, then the NOTIFICATION.
  std::vector<wire::DecodedMessage> got;
  ASSERT_TRUE(run_until(io_, [&] {
    for (auto& m : p.read()) got.push_back(std::move(m));
    return p.closed_by_peer();
  }, 10s));
  const auto notes = messages_of<wire::NotificationMessage>(got);
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0], wire::NotificationMessage::cease(wire::CeaseSubcode::OutOfResources));
}

// A table is encoded part by part as the peer reads: while it does not, evpnd holds
// about one part of output, not the table; once it reads, every route and the
// End-of-RIB arrive.
TEST_F(SessionFaults, TableSendIsBoundedByWhatThePeerReads) {
  start({}, [](NeighborConfig& n) { n.hold_time = 30; });  // both sides: hold 30
  // 150,000 routes are about 5.3 MB on the wire: more than the kernel takes into a
  // loopback socket's send buffer (tcp_wmem max 4 MiB) while the peer's window is shut.
  constexpr int kRoutes = 150000;
  a_->originate(macs(0, kRoutes), originate_attrs("10.0.0.1", 65001, 100, false));
  RawPeer p;
  ASSERT_TRUE(establish(p, 30));
  std::size_t most = peer_view().queued_bytes;
  run_for(io_, 1500ms, [&] { most = std::max(most, peer_view().queued_bytes); });
  EXPECT_GT(most, 0u);
  EXPECT_LE(most, (1u << 20) + 256u * 1024u) << "queued " << most;
  std::size_t routes = 0;
  bool eor = false;
  // The peer keeps its side of the hold timer while it reads: on a loaded (sanitizer,
  // two-core) machine reading this many routes can take longer than the 30 s hold time.
  auto last_keepalive = std::chrono::steady_clock::now();
  ASSERT_TRUE(run_until(io_, [&] {
    for (const auto& u : messages_of<wire::DecodedUpdate>(p.read())) {
      routes += announced(u);
      eor |= u.update.end_of_rib() == wire::AfiSafi::l2vpn_evpn();
    }
    if (std::chrono::steady_clock::now() - last_keepalive > 5s) {
      p.send_keepalive();
      last_keepalive = std::chrono::steady_clock::now();
    }
    return eor;
  }, 60s));
  EXPECT_EQ(routes, static_cast<std::size_t>(kRoutes));
  EXPECT_TRUE(a_established()) << peer_view().last_reset;
}

// m1-rfc §14, RFC 4271 §8.2.2: a second connection while Established is tracked until
// its OPEN, then closed with Cease / Connection Collision Resolution (§6.8); the first
// session is untouched.
TEST_F(SessionFaults, SecondConnectionInEstablishedGetsACollisionCease) {
  start();
  RawPeer first, second;
  ASSERT_TRUE(establish(first, 30));
  ASSERT_TRUE(second.connect("127.0.0.2", "127.0.0.1", port_));
  ASSERT_TRUE(second.send_open(kPeerAs, kPeerId, 30));
  std::vector<wire::DecodedMessage> got;
  ASSERT_TRUE(run_until(io_, [&] {
    for (auto& m : second.read()) got.push_back(std::move(m));
    first.read();
    return second.closed_by_peer();
  }, 10s));
  const auto notes = messages_of<wire::NotificationMessage>(got);
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0], wire::NotificationMessage::cease(wire::CeaseSubcode::ConnectionCollisionResolution));
  EXPECT_EQ(messages_of<wire::OpenMessage>(got).size(), 1u);  // it was run up to the OPEN exchange
  EXPECT_TRUE(a_established());
  EXPECT_EQ(peer_view().established_transitions, 1u);
}

// m1-rfc §13, RFC 4271 §8.2.2: sending an UPDATE restarts the KeepaliveTimer, so a
// stream of UPDATEs carries no KEEPALIVEs with it.
TEST_F(SessionFaults, UpdatesSentRestartTheKeepaliveTimer) {
  start();
  RawPeer p;
  ASSERT_TRUE(establish(p));  // hold 3: keepalive every second
  keep_alive(p, 1200ms, true);
  std::size_t keepalives = 0, updates = 0;
  for (int i = 0; i < 16; ++i) {
    a_->originate(macs(i, 1), originate_attrs("10.0.0.1", 65001, 100, false));
    for (const auto& m : keep_alive(p, 250ms, true)) {
      keepalives += std::holds_alternative<wire::KeepaliveMessage>(m);
      updates += std::holds_alternative<wire::DecodedUpdate>(m);
    }
  }
  EXPECT_EQ(updates, 16u);
  EXPECT_LE(keepalives, 1u) << "4 s of UPDATEs every 250 ms with a 1 s keepalive";
  // Without UPDATEs the keepalives come back.
  keepalives = 0;
  for (const auto& m : keep_alive(p, 3200ms, true)) keepalives += std::holds_alternative<wire::KeepaliveMessage>(m);
  EXPECT_GE(keepalives, 2u);
}

// RFC 7313: a normal request is answered with BoRR, the table, EoRR; subtypes above 2 and
// families not negotiated are ignored (RFC 2918 §4, RFC 7313 §5); a received BoRR marks
// the peer's paths stale and the EoRR removes those not announced again.
TEST_F(SessionFaults, EnhancedRouteRefreshBothWays) {
  start();
  a_->originate(macs(0, 10), originate_attrs("10.0.0.1", 65001, 100, false));
  RawPeer p;
  ASSERT_TRUE(establish(p, 30));
  keep_alive(p, 500ms, true);  // the initial table and End-of-RIB

  // A normal request: BoRR, the 10 routes, EoRR, in that order, and no End-of-RIB.
  p.send(wire::Message{wire::RouteRefreshMessage{wire::AfiSafi::l2vpn_evpn(), Subtype::Normal}});
  const auto got = keep_alive(p, 800ms, true);
  std::vector<std::string> seq;  // BoRR, UPDATE (however many), EoRR
  std::size_t routes = 0;
  for (const auto& m : got) {
    if (const auto* rr = std::get_if<wire::RouteRefreshMessage>(&m)) {
      seq.push_back(rr->subtype == Subtype::BeginOfRibRefresh ? "BoRR" : "EoRR");
      EXPECT_EQ(rr->family, wire::AfiSafi::l2vpn_evpn());
    } else if (const auto* u = std::get_if<wire::DecodedUpdate>(&m)) {
      EXPECT_FALSE(u->update.end_of_rib());
      routes += announced(*u);
      if (seq.empty() || seq.back() != "UPDATE") seq.push_back("UPDATE");
    }
  }
  EXPECT_EQ(seq, (std::vector<std::string>{"BoRR", "UPDATE", "EoRR"}));
  EXPECT_EQ(routes, 10u);

  // Ignored: an unknown subtype, a family that was not negotiated (IPv4 unicast here).
  p.send(wire::Message{wire::RouteRefreshMessage{wire::AfiSafi::l2vpn_evpn(), static_cast<Subtype>(7)}});
  p.send(wire::Message{wire::RouteRefreshMessage{wire::AfiSafi::ipv4_unicast(), Subtype::Normal}});
  const auto after = keep_alive(p, 600ms, true);
  EXPECT_TRUE(messages_of<wire::DecodedUpdate>(after).empty());
  EXPECT_TRUE(messages_of<wire::RouteRefreshMessage>(after).empty());
  EXPECT_EQ(peer_view().refresh_ignored, 2u);
  EXPECT_TRUE(a_established());

  // The peer's own refresh: 3 routes, BoRR, 1 of them again, EoRR -> 1 left.
  const auto three = macs(100, 3);
  p.send(update_of(three, peer_attrs()));
  keep_alive(p, 300ms, true);
  ASSERT_EQ(peer_view().prefixes_received, 3u);
  p.send(wire::Message{wire::RouteRefreshMessage{wire::AfiSafi::l2vpn_evpn(), Subtype::BeginOfRibRefresh}});
  p.send(update_of({three[1]}, peer_attrs()));
  keep_alive(p, 300ms, true);
  EXPECT_EQ(peer_view().prefixes_received, 3u);  // stale, not gone
  p.send(wire::Message{wire::RouteRefreshMessage{wire::AfiSafi::l2vpn_evpn(), Subtype::EndOfRibRefresh}});
  keep_alive(p, 300ms, true);
  EXPECT_EQ(peer_view().prefixes_received, 1u);
  const auto adj = a_->adj_rib_in(kAddrB);
  ASSERT_TRUE(adj.has_value());
  EXPECT_NE(adj->find(three[1]), nullptr);
  // An EoRR without a BoRR changes nothing.
  p.send(wire::Message{wire::RouteRefreshMessage{wire::AfiSafi::l2vpn_evpn(), Subtype::EndOfRibRefresh}});
  keep_alive(p, 300ms, true);
  EXPECT_EQ(peer_view().prefixes_received, 1u);
  EXPECT_EQ(peer_view().refresh_ignored, 3u);
}

// `neighbor X maximum-prefix N`: above N the session ends with Cease / Maximum Number of
// Prefixes Reached and the RFC 4486 data, and stays down: the peer's reconnection is
// refused until `clear bgp`.
TEST_F(SessionFaults, MaximumPrefixClosesAndHoldsTheSessionDown) {
  start({}, [](NeighborConfig& n) { n.maximum_prefix_evpn = MaximumPrefix{3, 75, false, 0}; });
  RawPeer p;
  ASSERT_TRUE(establish(p, 30));
  p.send(update_of(macs(0, 3), peer_attrs()));
  keep_alive(p, 300ms, true);
  ASSERT_TRUE(a_established());
  p.send(update_of(macs(3, 1), peer_attrs()));
  std::vector<wire::DecodedMessage> got;
  ASSERT_TRUE(run_until(io_, [&] {
    for (auto& m : p.read()) got.push_back(std::move(m));
    return p.closed_by_peer();
  }, 5s));
  const auto notes = messages_of<wire::NotificationMessage>(got);
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0], wire::NotificationMessage::cease(wire::CeaseSubcode::MaximumNumberOfPrefixesReached,
                                                       {0, 25, 70, 0, 0, 0, 3}));
  EXPECT_TRUE(peer_view().prefix_overflow);
  // The peer tries again: refused, it stays down.
  RawPeer again;
  EXPECT_FALSE(establish(again, 30));
  EXPECT_NE(peer_view().state, fsm::State::Established);
  // `clear bgp` lets it in.
  ASSERT_TRUE(a_->clear(kAddrB, Speaker::Clear::Hard));
  RawPeer third;
  EXPECT_TRUE(establish(third, 30));
}

TEST_F(SessionFaults, MaximumPrefixWarningOnlyKeepsTheSession) {
  start({}, [](NeighborConfig& n) { n.maximum_prefix_evpn = MaximumPrefix{3, 75, true, 0}; });
  RawPeer p;
  ASSERT_TRUE(establish(p, 30));
  p.send(update_of(macs(0, 5), peer_attrs()));
  keep_alive(p, 500ms, true);
  EXPECT_TRUE(a_established());
  EXPECT_EQ(peer_view().prefixes_received, 5u);
}

}  // namespace
}  // namespace evpnd::bgp
