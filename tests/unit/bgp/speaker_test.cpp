// Two bgp::Speaker instances in one io_context, talking over loopback (127.0.0.1 and
// 127.0.0.2, a free high port): session establishment on eBGP and iBGP, origination and
// withdrawal of a Type-2 and a Type-3 seen in the other side's Adj-RIB-In, Cease on
// shutdown and recovery after a restart, simultaneous connects (RFC 4271 §6.8) and a
// remote-as mismatch (Bad Peer AS).
//
// Each wait runs the io_context in short slices up to a deadline, so a test fails
// instead of hanging. Set EVPND_TEST_LOG=1 to see the speakers' logs.
#include "bgp/asio.hpp"

#include <gtest/gtest.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <functional>
#include <memory>
#include <thread>

#include "bgp/speaker.hpp"
#include "evpn/ext_community.hpp"
#include "unit/bgp/speaker_test_support.hpp"
#include "unit/rib/rib_test_support.hpp"

namespace evpnd::bgp {
namespace {

using namespace std::chrono_literals;
using test::ip;

const auto kType2 = test::macip("10.0.0.1:2", "02:00:00:00:01:01", "192.168.100.1", 100);
const auto kType3 = test::imet("10.0.0.1:2", "10.0.0.1");

void originate_both(Speaker& s) {
  s.originate(kType2, originate_attrs("10.0.0.1", 65001, 100, false));
  s.originate(kType3, originate_attrs("10.0.0.1", 65001, 100, true));
}

// Checks what `receiver` holds from `sender_addr`: the two routes of originate_both,
// with the AS path and LOCAL_PREF the session type calls for.
void expect_received(const Speaker& receiver, const wire::IpAddress& sender_addr, bool ibgp) {
  const auto t = receiver.adj_rib_in(sender_addr);
  ASSERT_TRUE(t.has_value());
  ASSERT_EQ(t->size(), 2u);
  const auto* t2 = t->find(kType2);
  const auto* t3 = t->find(kType3);
  ASSERT_NE(t2, nullptr);
  ASSERT_NE(t3, nullptr);
  EXPECT_EQ(t2->route, kType2.route);  // label, ESI and all
  EXPECT_EQ(t3->route, kType3.route);
  const wire::ExtendedCommunity rt = evpn::RouteTarget::as2(65001, 100).encode();
  const wire::ExtendedCommunity encap = evpn::Encapsulation{evpn::Encapsulation::kVxlan}.encode();
  for (const auto* p : {t2, t3}) {
    const auto& a = *p->attrs;
    ASSERT_TRUE(a.mp_reach);
    EXPECT_EQ(a.mp_reach->next_hop_address(), ip("10.0.0.1"));
    EXPECT_EQ(a.origin, wire::Origin::Igp);
    ASSERT_TRUE(a.as_path);
    EXPECT_EQ(a.as_path->to_string(), ibgp ? "" : "65001");
    if (ibgp)
      EXPECT_EQ(a.local_pref, 100u);
    else
      EXPECT_FALSE(a.local_pref);
    EXPECT_EQ(a.extended_communities, (std::vector<wire::ExtendedCommunity>{rt, encap}));
  }
  EXPECT_FALSE(t2->attrs->pmsi_tunnel);
  ASSERT_TRUE(t3->attrs->pmsi_tunnel);
  const auto& pmsi = *t3->attrs->pmsi_tunnel;
  EXPECT_EQ(pmsi.tunnel_type, wire::PmsiTunnel::kIngressReplication);
  EXPECT_EQ(pmsi.flags, 0u);
  EXPECT_EQ(pmsi.label, 100u);
  EXPECT_EQ(pmsi.tunnel_id, (wire::ByteVec{10, 0, 0, 1}));
}

class SpeakerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    spdlog::set_level(std::getenv("EVPND_TEST_LOG") ? spdlog::level::debug : spdlog::level::off);
  }
  void TearDown() override { spdlog::set_level(spdlog::level::info); }

  // A is 127.0.0.1 in AS 65001; B is 127.0.0.2 in `b_as`.
  void make_pair(std::uint32_t b_as, std::uint32_t a_thinks_b_is = 0) {
    port_ = free_port();
    spec_a_ = NodeSpec{65001, 0x01010101, kAddrA, kAddrB, a_thinks_b_is ? a_thinks_b_is : b_as, port_};
    spec_b_ = NodeSpec{b_as, 0x02020202, kAddrB, kAddrA, 65001, port_};
    a_ = make_speaker(io_, spec_a_);
    b_ = make_speaker(io_, spec_b_);
  }
  bool wait_established() {
    return run_until(io_, [&] { return established(*a_) && established(*b_); }, kEstablishTimeout);
  }

  asio::io_context io_;
  std::uint16_t port_ = 0;
  NodeSpec spec_a_{}, spec_b_{};
  std::unique_ptr<Speaker> a_, b_;
};

TEST_F(SpeakerTest, EbgpRoutesArriveAndAreWithdrawn) {
  make_pair(65002);
  ASSERT_TRUE(wait_established()) << view(*a_).last_error << " / " << view(*b_).last_error;
  const auto va = view(*a_);
  EXPECT_FALSE(va.ibgp);
  EXPECT_EQ(va.remote_as, wire::Asn{65002});
  EXPECT_EQ(va.remote_id, wire::RouterId{0x02020202});
  EXPECT_EQ(va.hold_time, 3u);
  EXPECT_EQ(va.keepalive, 1u);
  EXPECT_EQ(va.local_address, "127.0.0.1");
  EXPECT_NE(std::find(va.families.begin(), va.families.end(), wire::AfiSafi::l2vpn_evpn()), va.families.end());
  // End-of-RIB for every family arrives even with nothing to send.
  ASSERT_TRUE(run_until(io_, [&] { return view(*b_).end_of_rib_received >= 2; }, 5s));

  originate_both(*a_);
  ASSERT_TRUE(run_until(io_, [&] { return rib_size(*b_, kAddrA) == 2; }, 5s));
  expect_received(*b_, kAddrA, false);
  EXPECT_EQ(view(*a_).prefixes_sent, 2u);
  EXPECT_EQ(view(*b_).prefixes_received, 2u);
  EXPECT_EQ(rib_size(*a_, kAddrB), 0u);  // nothing flows back: never to its source

  // Re-originating with another label replaces the path at B, it does not add one.
  auto relabelled = kType2;
  std::get<evpn::MacIpRoute>(relabelled.route).label1 = evpn::Label{200};
  a_->originate(relabelled, originate_attrs("10.0.0.1", 65001, 100, false));
  ASSERT_TRUE(run_until(
      io_,
      [&] {
        const auto t = b_->adj_rib_in(kAddrA);
        const auto* p = t ? t->find(kType2) : nullptr;
        return p && std::get<evpn::MacIpRoute>(p->route).label1.raw == 200;
      },
      5s));
  EXPECT_EQ(rib_size(*b_, kAddrA), 2u);
  EXPECT_EQ(view(*a_).prefixes_sent, 2u);

  EXPECT_TRUE(a_->withdraw_originated(kType2));
  ASSERT_TRUE(run_until(io_, [&] { return rib_size(*b_, kAddrA) == 1; }, 5s));
  const auto held = b_->adj_rib_in(kAddrA);
  ASSERT_TRUE(held.has_value());
  EXPECT_EQ(held->find(kType2), nullptr);
  EXPECT_NE(held->find(kType3), nullptr);
  EXPECT_TRUE(a_->withdraw_originated(kType3));
  ASSERT_TRUE(run_until(io_, [&] { return rib_size(*b_, kAddrA) == 0; }, 5s));
  EXPECT_FALSE(a_->withdraw_originated(kType3));
  EXPECT_EQ(view(*a_).prefixes_sent, 0u);
  EXPECT_EQ(view(*b_).prefixes_received, 0u);
  EXPECT_TRUE(established(*a_) && established(*b_));
}

TEST_F(SpeakerTest, IbgpSendsTheTableOnEstablish) {
  make_pair(65001);
  originate_both(*a_);  // before the session is up: sent with the table
  ASSERT_TRUE(wait_established()) << view(*a_).last_error << " / " << view(*b_).last_error;
  EXPECT_TRUE(view(*a_).ibgp);
  EXPECT_TRUE(view(*b_).ibgp);
  ASSERT_TRUE(run_until(io_, [&] { return rib_size(*b_, kAddrA) == 2; }, 5s));
  expect_received(*b_, kAddrA, true);
}

TEST_F(SpeakerTest, ShutdownSendsCeaseAndRestartRecovers) {
  make_pair(65002);
  ASSERT_TRUE(wait_established());
  originate_both(*a_);
  ASSERT_TRUE(run_until(io_, [&] { return rib_size(*b_, kAddrA) == 2; }, 5s));

  bool done = false;
  a_->shutdown([&] { done = true; });
  ASSERT_TRUE(run_until(io_, [&] { return done && !established(*b_); }, 5s));
  {
    const auto vb = view(*b_);
    EXPECT_NE(vb.last_error.find("Cease"), std::string::npos) << vb.last_error;
    EXPECT_NE(vb.last_error.find("Administrative Shutdown"), std::string::npos) << vb.last_error;
    EXPECT_NE(vb.last_error.find("received"), std::string::npos) << vb.last_error;
    EXPECT_EQ(vb.dropped, 1u);
    EXPECT_EQ(vb.counters.notifications_in, 1u);
    EXPECT_EQ(rib_size(*b_, kAddrA), 0u);  // the peer's routes went with the session
    EXPECT_EQ(vb.prefixes_received, 0u);
    EXPECT_EQ(view(*a_).state, fsm::State::Idle);
  }
  a_.reset();

  // A comes back (same address and port) and the session returns by itself.
  a_ = make_speaker(io_, spec_a_);
  originate_both(*a_);
  ASSERT_TRUE(wait_established()) << view(*a_).last_error << " / " << view(*b_).last_error;
  ASSERT_TRUE(run_until(io_, [&] { return rib_size(*b_, kAddrA) == 2; }, 5s));
  expect_received(*b_, kAddrA, false);
  EXPECT_EQ(view(*b_).established_transitions, 2u);
  EXPECT_EQ(view(*a_).established_transitions, 1u);

  // B took A's connection while it was between retries. Once more, and this time A
  // comes back passive: only B connecting out can bring the session up again.
  done = false;
  a_->shutdown([&] { done = true; });
  ASSERT_TRUE(run_until(io_, [&] { return done && !established(*b_); }, 5s));
  EXPECT_EQ(rib_size(*b_, kAddrA), 0u);
  a_.reset();
  auto passive_a = spec_a_;
  passive_a.passive = true;
  a_ = make_speaker(io_, passive_a);
  ASSERT_TRUE(wait_established()) << view(*a_).last_error << " / " << view(*b_).last_error;
  EXPECT_EQ(view(*b_).established_transitions, 3u);
  EXPECT_EQ(view(*a_).local_address, "127.0.0.1");
}

// RFC 4271 §6.8: both sides connect at the same moment, again and again, and each time
// exactly one session per side comes up and stays up. To make the connects simultaneous
// the loop is stalled past the hold time, so both sessions drop together (hold timer
// expired), then stalled again past the 1 s connect-retry both restart with, so both
// retries run in the same pass of the loop, with both listeners up: each side's inbound
// connection arrives while its own is opening. Several pairs run in each round, with the
// higher router id on alternating sides. Each round, in each pair, collision resolution
// closes one connection (counted by the peers, PeerView::collisions_resolved) and the
// session that stays is the same on both sides: no flap afterwards.
TEST(SpeakerCollision, SimultaneousConnectsEstablishOnce) {
  spdlog::set_level(std::getenv("EVPND_TEST_LOG") ? spdlog::level::debug : spdlog::level::off);
  constexpr int kPairs = 4;
  // EVPND_COLLISION_ROUNDS=N runs more rounds (for stress runs by hand).
  const int kRounds = std::getenv("EVPND_COLLISION_ROUNDS") ? std::max(1, std::atoi(std::getenv("EVPND_COLLISION_ROUNDS"))) : 3;
  asio::io_context io;
  std::vector<std::unique_ptr<Speaker>> as, bs;
  for (int i = 0; i < kPairs; ++i) {
    const auto port = free_port();
    const bool a_high = i % 2 == 0;
    as.push_back(make_speaker(io, NodeSpec{65001, a_high ? 0x09090909u : 0x01010101u, kAddrA, kAddrB, 65002, port}));
    bs.push_back(make_speaker(io, NodeSpec{65002, a_high ? 0x01010101u : 0x09090909u, kAddrB, kAddrA, 65001, port}));
  }
  auto all_up = [&] {
    for (int i = 0; i < kPairs; ++i)
      if (!established(*as[i]) || !established(*bs[i])) return false;
    return true;
  };
  ASSERT_TRUE(run_until(io, all_up, kEstablishTimeout));
  std::vector<std::uint32_t> base;  // established_transitions after the first start
  for (int i = 0; i < kPairs; ++i)
    for (const auto* s : {as[i].get(), bs[i].get()}) base.push_back(view(*s).established_transitions);

  for (int round = 1; round <= kRounds; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    std::vector<std::uint64_t> collisions_before;
    for (int i = 0; i < kPairs; ++i)
      collisions_before.push_back(view(*as[i]).collisions_resolved + view(*bs[i]).collisions_resolved);
    std::this_thread::sleep_for(3200ms);  // hold time 3 s: every session times out
    ASSERT_TRUE(run_until(io, [&] { return !all_up(); }, 2000ms));
    run_for(io, 100ms);  // the drops are handled, every connect-retry timer is running
    std::this_thread::sleep_for(1100ms);  // ... and now due on both sides at once
    ASSERT_TRUE(run_until(io, all_up, kEstablishTimeout));
    // Both sides of every pair connected out at once, and §6.8 resolution ran.
    for (int i = 0; i < kPairs; ++i)
      EXPECT_GE(view(*as[i]).collisions_resolved + view(*bs[i]).collisions_resolved, collisions_before[i] + 1)
          << "pair " << i;
    const auto watch = round == kRounds ? 5000ms : 1000ms;
    bool flapped = false;
    run_for(io, watch, [&] { flapped |= !all_up(); });
    EXPECT_FALSE(flapped);
    std::size_t k = 0;
    for (int i = 0; i < kPairs; ++i) {
      for (const auto* s : {as[i].get(), bs[i].get()}) {
        const auto v = view(*s);
        EXPECT_EQ(v.state, fsm::State::Established);
        EXPECT_EQ(v.established_transitions, base[k++] + static_cast<std::uint32_t>(round)) << "pair " << i;
        EXPECT_EQ(v.dropped, static_cast<std::uint32_t>(round)) << "pair " << i;
      }
    }
  }
}

TEST_F(SpeakerTest, RemoteAsMismatchGivesBadPeerAsAndStaysDown) {
  make_pair(65002, /*a_thinks_b_is=*/65099);
  std::string a_error, b_error;
  bool ever_up = false;
  auto watch = [&] {
    ever_up |= view(*a_).established_transitions > 0 || view(*b_).established_transitions > 0;
    const auto ea = view(*a_).last_error;
    const auto eb = view(*b_).last_error;
    if (ea.find("Bad Peer AS") != std::string::npos) a_error = ea;
    if (eb.find("Bad Peer AS") != std::string::npos) b_error = eb;
  };
  // A refuses B's OPEN (RFC 4271 §6.2: OPEN Message Error / Bad Peer AS); B is told so.
  ASSERT_TRUE(run_until(io_, [&] {
    watch();
    return !a_error.empty() && !b_error.empty();
  }, 10000ms)) << "A: " << view(*a_).last_error << " / B: " << view(*b_).last_error;
  EXPECT_NE(a_error.find("NOTIFICATION sent: OPEN Message Error/Bad Peer AS"), std::string::npos) << a_error;
  EXPECT_NE(b_error.find("OPEN Message Error/Bad Peer AS"), std::string::npos) << b_error;
  EXPECT_GE(view(*a_).counters.notifications_out, 1u);
  EXPECT_GE(view(*b_).counters.notifications_in, 1u);
  // And it stays down through B's retries (connect-retry 1 s).
  run_for(io_, 2500ms, watch);
  EXPECT_FALSE(ever_up);
  EXPECT_NE(view(*a_).state, fsm::State::Established);
  EXPECT_NE(view(*b_).state, fsm::State::Established);
  EXPECT_EQ(rib_size(*b_, kAddrA), 0u);
}

}  // namespace
}  // namespace evpnd::bgp
