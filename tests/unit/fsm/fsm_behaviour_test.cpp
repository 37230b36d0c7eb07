// Sequences through the FSM: a whole session, back-off, automatic restart, passive
// peers, the reasons reported with SessionDown.
#include <set>

#include "bgp/fsm/collision.hpp"
#include "fsm_test_support.hpp"

namespace evpnd::test::fsm {
namespace {

using f::State;

std::optional<std::uint32_t> connect_retry_started(const std::vector<f::Action>& actions) {
  for (const auto& a : actions)
    if (auto* st = std::get_if<f::StartTimer>(&a); st && st->timer == f::Timer::ConnectRetry) return st->seconds;
  return std::nullopt;
}

bool has_connect(const std::vector<f::Action>& actions) { return find_action<f::ConnectTcp>(actions) != nullptr; }

TEST(FsmSession, FromManualStartToEstablishedAndManualStop) {
  const auto cfg = config();
  auto t = f::step({}, f::ManualStart{}, cfg);
  EXPECT_EQ(t.next.state, State::Connect);

  t = f::step(t.next, f::TcpCrAcked{}, cfg);
  ASSERT_EQ(t.next.state, State::OpenSent);
  const auto* open = find_action<f::SendOpen>(t.actions);
  ASSERT_NE(open, nullptr);
  EXPECT_EQ(open->open, f::build_open(cfg, "leaf1"));
  EXPECT_EQ(t.next.local_open, open->open);

  t = f::step(t.next, f::BgpOpen{peer_open()}, cfg);
  ASSERT_EQ(t.next.state, State::OpenConfirm);
  ASSERT_TRUE(t.next.negotiated);
  EXPECT_EQ(t.next.peer_open, peer_open());

  t = f::step(t.next, f::KeepAliveMsg{}, cfg);
  ASSERT_EQ(t.next.state, State::Established);
  const auto* up = find_action<f::SessionUp>(t.actions);
  ASSERT_NE(up, nullptr);
  EXPECT_EQ(up->negotiated.peer_as, w::Asn{65002});
  EXPECT_EQ(up->negotiated.hold_time, 90);
  EXPECT_EQ(up->negotiated.keepalive, 30);
  EXPECT_EQ(up->negotiated.families, std::vector<w::AfiSafi>{w::AfiSafi::l2vpn_evpn()});

  t = f::step(t.next, f::ManualStop{}, cfg);
  EXPECT_EQ(t.next.state, State::Idle);
  EXPECT_FALSE(t.next.restart_pending);
  const auto* n = find_action<f::SendNotification>(t.actions);
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->notification, w::NotificationMessage::cease(w::CeaseSubcode::AdministrativeShutdown));
  const auto* down = find_action<f::SessionDown>(t.actions);
  ASSERT_NE(down, nullptr);
  EXPECT_TRUE(down->was_established);
  EXPECT_EQ(down->reason, "manual stop");
  // Stopped means stopped: a late restart timer does nothing.
  EXPECT_TRUE(f::step(t.next, f::ConnectRetryTimerExpires{}, cfg).actions.empty());
}

// The peer refuses connections: each failure waits the current interval, which then
// doubles up to the cap (30, 60, 120, 120 with connect_retry 30 and max 120).
TEST(FsmBackoff, DoublesPerFailureUpToTheCap) {
  auto cfg = config();
  cfg.connect_retry = 5;
  cfg.connect_retry_max = 40;
  auto t = f::step({}, f::ManualStart{}, cfg);
  EXPECT_EQ(connect_retry_started(t.actions), 5u);
  std::vector<std::uint32_t> waits;
  for (int i = 0; i < 6; ++i) {
    t = f::step(t.next, f::TcpConnectionFails{}, cfg);
    ASSERT_EQ(t.next.state, State::Active);
    waits.push_back(connect_retry_started(t.actions).value_or(0));
    t = f::step(t.next, f::ConnectRetryTimerExpires{}, cfg);  // Active -> Connect, try again
    ASSERT_EQ(t.next.state, State::Connect);
    EXPECT_TRUE(has_connect(t.actions));
  }
  EXPECT_EQ(waits, (std::vector<std::uint32_t>{5, 10, 20, 40, 40, 40}));
  EXPECT_EQ(t.next.connect_retry_counter, 6u);
  EXPECT_EQ(t.next.connect_retry_interval, 40u);
}

TEST(FsmBackoff, ConnectTimeoutCountsAsFailure) {
  auto cfg = config();
  cfg.connect_retry = 5;
  cfg.connect_retry_max = 40;
  auto t = f::step({}, f::ManualStart{}, cfg);
  std::vector<std::uint32_t> waits;
  for (int i = 0; i < 4; ++i) {
    t = f::step(t.next, f::ConnectRetryTimerExpires{}, cfg);
    ASSERT_EQ(t.next.state, State::Connect);
    waits.push_back(connect_retry_started(t.actions).value_or(0));
  }
  EXPECT_EQ(waits, (std::vector<std::uint32_t>{5, 10, 20, 40}));
}

TEST(FsmBackoff, ResetsOnEstablishedAndCarriesAcrossAutomaticRestarts) {
  auto cfg = config();
  cfg.connect_retry = 5;
  cfg.connect_retry_max = 40;
  auto t = f::step({}, f::ManualStart{}, cfg);
  t = f::step(t.next, f::TcpConnectionFails{}, cfg);
  t = f::step(t.next, f::TcpConnectionFails{}, cfg);
  EXPECT_EQ(t.next.connect_retry_interval, 20u);
  t = run(t.next, {f::TcpConnectionConfirmed{}, f::BgpOpen{peer_open()}, f::KeepAliveMsg{}}, cfg);
  ASSERT_EQ(t.next.state, State::Established);
  EXPECT_EQ(t.next.connect_retry_interval, 5u);
  EXPECT_EQ(t.next.connect_retry_counter, 2u);  // kept: failures since the manual start

  // The session drops: the restart waits the base interval, the next failure twice that.
  t = f::step(t.next, f::HoldTimerExpires{}, cfg);
  ASSERT_EQ(t.next.state, State::Idle);
  EXPECT_TRUE(t.next.restart_pending);
  EXPECT_EQ(connect_retry_started(t.actions), 5u);
  t = f::step(t.next, f::ConnectRetryTimerExpires{}, cfg);  // automatic restart
  ASSERT_EQ(t.next.state, State::Connect);
  EXPECT_EQ(connect_retry_started(t.actions), 10u);
  EXPECT_TRUE(has_connect(t.actions));
  EXPECT_EQ(t.next.connect_retry_counter, 3u);

  // A manual start forgets the history.
  t = f::step(t.next, f::ManualStop{}, cfg);
  t = f::step(t.next, f::ManualStart{}, cfg);
  EXPECT_EQ(t.next.connect_retry_counter, 0u);
  EXPECT_EQ(connect_retry_started(t.actions), 5u);
}

TEST(FsmBackoff, CapBelowBaseIsTheBase) {
  auto cfg = config();
  cfg.connect_retry = 30;
  cfg.connect_retry_max = 10;
  auto t = f::step({}, f::ManualStart{}, cfg);
  t = f::step(t.next, f::TcpConnectionFails{}, cfg);
  t = f::step(t.next, f::TcpConnectionFails{}, cfg);
  EXPECT_EQ(connect_retry_started(t.actions), 30u);
}

// A graceful restart (RFC 4724 §4): the session ends without a NOTIFICATION, so that a
// helper keeps our routes; otherwise the same stop.
TEST(FsmSession, ManualStopWithoutNotificationForAGracefulRestart) {
  const auto cfg = config();
  auto t = f::step({}, f::ManualStart{}, cfg);
  t = f::step(t.next, f::TcpCrAcked{}, cfg);
  t = f::step(t.next, f::BgpOpen{peer_open()}, cfg);
  t = f::step(t.next, f::KeepAliveMsg{}, cfg);
  ASSERT_EQ(t.next.state, State::Established);
  t = f::step(t.next, f::ManualStop{.notify = false}, cfg);
  EXPECT_EQ(t.next.state, State::Idle);
  EXPECT_FALSE(t.next.restart_pending);
  EXPECT_EQ(find_action<f::SendNotification>(t.actions), nullptr);
  EXPECT_NE(find_action<f::CloseTcp>(t.actions), nullptr);
  const auto* down = find_action<f::SessionDown>(t.actions);
  ASSERT_NE(down, nullptr);
  EXPECT_TRUE(down->was_established);
}

TEST(FsmRestart, ManualStopInIdleCancelsThePendingRestart) {
  const auto cfg = config();
  auto t = run({}, {f::ManualStart{}, f::TcpCrAcked{}, f::HoldTimerExpires{}}, cfg);
  ASSERT_EQ(t.next.state, State::Idle);
  ASSERT_TRUE(t.next.restart_pending);
  t = f::step(t.next, f::ManualStop{}, cfg);
  EXPECT_EQ(t.actions, std::vector<f::Action>{f::StopTimer{f::Timer::ConnectRetry}});
  EXPECT_FALSE(t.next.restart_pending);
  EXPECT_EQ(t.next.connect_retry_counter, 0u);
  EXPECT_TRUE(f::step(t.next, f::ConnectRetryTimerExpires{}, cfg).actions.empty());
}

TEST(FsmRestart, ManualStartWhileARestartIsPending) {
  const auto cfg = config();
  const auto idle = run({}, {f::ManualStart{}, f::TcpCrAcked{}, f::HoldTimerExpires{}}, cfg).next;
  ASSERT_TRUE(idle.restart_pending);
  // Active start: the ConnectRetry timer is restarted as the connect timeout.
  auto t = f::step(idle, f::ManualStart{}, cfg);
  EXPECT_EQ(names(t.actions), (std::vector<std::string>{"StartTimer(ConnectRetry, 30)", "ConnectTcp"}));
  EXPECT_FALSE(t.next.restart_pending);
  // Passive start: nothing will use the timer, so it is stopped.
  t = f::step(idle, f::ManualStartPassive{}, cfg);
  EXPECT_EQ(t.next.state, State::Active);
  EXPECT_EQ(names(t.actions), (std::vector<std::string>{"StopTimer(ConnectRetry)"}));
}

TEST(FsmRestart, CollisionDumpDoesNotRestart) {
  const auto cfg = config();
  auto t = run({}, {f::ManualStart{}, f::TcpCrAcked{}, f::BgpOpen{peer_open()}}, cfg);
  ASSERT_EQ(t.next.state, State::OpenConfirm);
  t = f::step(t.next, f::collision_dump_event(), cfg);
  EXPECT_EQ(t.next.state, State::Idle);
  EXPECT_FALSE(t.next.restart_pending);
  EXPECT_FALSE(connect_retry_started(t.actions));
  const auto* n = find_action<f::SendNotification>(t.actions);
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->notification, w::NotificationMessage::cease(w::CeaseSubcode::ConnectionCollisionResolution));
}

// AutomaticStop (Event 8): the local system ends the session with the Cease it names
// and comes back as it says (maximum-prefix restart, clear bgp, output cap).
TEST(FsmRestart, AutomaticStopRestartsAsItSays) {
  const auto cfg = config();
  const auto established = run({}, {f::ManualStart{}, f::TcpCrAcked{}, f::BgpOpen{peer_open()}, f::KeepAliveMsg{}},
                               cfg).next;
  ASSERT_EQ(established.state, State::Established);
  const w::NotificationMessage max_prefix =
      w::NotificationMessage::cease(w::CeaseSubcode::MaximumNumberOfPrefixesReached, {0, 25, 70, 0, 0, 0, 10});
  f::AutomaticStop stop{max_prefix, f::AutomaticStop::Restart::Never};

  auto t = f::step(established, stop, cfg);
  EXPECT_EQ(t.next.state, State::Idle);
  EXPECT_FALSE(t.next.restart_pending);
  EXPECT_FALSE(connect_retry_started(t.actions));
  const auto* n = find_action<f::SendNotification>(t.actions);
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->notification, max_prefix);  // RFC 4486 data travels as given
  const auto* d = find_action<f::SessionDown>(t.actions);
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->reason, "NOTIFICATION sent: Cease/Maximum Number of Prefixes Reached");
  EXPECT_TRUE(d->was_established);
  EXPECT_TRUE(f::step(t.next, f::ConnectRetryTimerExpires{}, cfg).actions.empty());  // stays down
  EXPECT_EQ(f::step(t.next, f::ManualStart{}, cfg).next.state, State::Connect);

  stop.restart = f::AutomaticStop::Restart::After;
  stop.restart_after = 300;  // `maximum-prefix N restart 5`
  t = f::step(established, stop, cfg);
  EXPECT_EQ(connect_retry_started(t.actions), 300u);
  EXPECT_TRUE(t.next.restart_pending);
  EXPECT_EQ(f::step(t.next, f::ConnectRetryTimerExpires{}, cfg).next.state, State::Connect);

  // Output cap: Out of Resources, back-off restart, queued output dropped.
  f::AutomaticStop cap{w::NotificationMessage::cease(w::CeaseSubcode::OutOfResources)};
  cap.discard_output = true;
  t = f::step(established, cap, cfg);
  EXPECT_EQ(connect_retry_started(t.actions), 30u);
  const auto* c = find_action<f::CloseTcp>(t.actions);
  ASSERT_NE(c, nullptr);
  EXPECT_TRUE(c->discard_output);

  // Already in Idle with a restart pending: the stop replaces the restart.
  const auto idle = run({}, {f::ManualStart{}, f::TcpCrAcked{}, f::HoldTimerExpires{}}, cfg).next;
  ASSERT_TRUE(idle.restart_pending);
  stop.restart = f::AutomaticStop::Restart::Never;
  t = f::step(idle, stop, cfg);
  EXPECT_EQ(t.actions, std::vector<f::Action>{f::StopTimer{f::Timer::ConnectRetry}});
  EXPECT_FALSE(t.next.restart_pending);
}

// RFC 9687: the send hold timer (run by the session) ends a session whose output does
// not move, without flushing what is queued.
TEST(FsmSendHold, ExpiryInEstablishedSendsCode8AndDropsTheOutput) {
  const auto cfg = config();
  const auto established = run({}, {f::ManualStart{}, f::TcpCrAcked{}, f::BgpOpen{peer_open()}, f::KeepAliveMsg{}},
                               cfg).next;
  const auto t = f::step(established, f::SendHoldTimerExpires{}, cfg);
  EXPECT_EQ(t.next.state, State::Idle);
  EXPECT_TRUE(t.next.restart_pending);
  const auto* n = find_action<f::SendNotification>(t.actions);
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->notification, (w::NotificationMessage{8, 0, {}}));
  const auto* c = find_action<f::CloseTcp>(t.actions);
  ASSERT_NE(c, nullptr);
  EXPECT_TRUE(c->discard_output);
  EXPECT_EQ(w::error_code_name(8), "Send Hold Timer Expired");
}

// RFC 6608 §4: unexpected messages carry their type in the one-octet data field; a
// ROUTE-REFRESH before Established is one of them (m1-rfc §11).
TEST(FsmUnexpected, MessageTypeIsTheData) {
  const auto cfg = config();
  const auto open_sent = run({}, {f::ManualStart{}, f::TcpCrAcked{}}, cfg).next;
  const auto open_confirm = f::step(open_sent, f::BgpOpen{peer_open()}, cfg).next;
  struct Case {
    f::FsmState state;
    f::Event event;
    w::NotificationMessage sent;
  };
  for (const auto& c : {Case{open_sent, f::RouteRefreshMsg{}, {5, 1, {5}}}, Case{open_sent, f::KeepAliveMsg{}, {5, 1, {4}}},
                        Case{open_sent, f::UpdateMsg{}, {5, 1, {2}}}, Case{open_confirm, f::RouteRefreshMsg{}, {5, 2, {5}}},
                        Case{open_confirm, f::UpdateMsg{}, {5, 2, {2}}}, Case{open_confirm, f::BgpOpen{peer_open()}, {5, 2, {1}}}}) {
    const auto t = f::step(c.state, c.event, cfg);
    EXPECT_EQ(t.next.state, State::Idle) << f::event_name(c.event);
    const auto* n = find_action<f::SendNotification>(t.actions);
    ASSERT_NE(n, nullptr);
    EXPECT_EQ(n->notification, c.sent) << f::event_name(c.event) << " in " << f::to_string(c.state.state);
  }
  // In Established a ROUTE-REFRESH is the session's to answer.
  const auto established = f::step(open_confirm, f::KeepAliveMsg{}, cfg).next;
  const auto t = f::step(established, f::RouteRefreshMsg{}, cfg);
  EXPECT_EQ(t.next.state, State::Established);
  EXPECT_TRUE(t.actions.empty());
}

TEST(FsmPassive, ConfiguredPassiveWaitsInActiveAndNeverConnects) {
  auto cfg = config();
  cfg.passive = true;
  auto t = f::step({}, f::ManualStart{}, cfg);
  EXPECT_EQ(t.next.state, State::Active);
  EXPECT_TRUE(t.next.passive);
  EXPECT_TRUE(t.actions.empty());
  EXPECT_TRUE(f::step(t.next, f::ConnectRetryTimerExpires{}, cfg).actions.empty());

  t = f::step(t.next, f::TcpConnectionConfirmed{}, cfg);
  ASSERT_EQ(t.next.state, State::OpenSent);
  EXPECT_EQ(names(t.actions),
            (std::vector<std::string>{f::to_string(f::SendOpen{*t.next.local_open}), "StartTimer(Hold, 240)"}));
  t = f::step(t.next, f::TcpConnectionFails{}, cfg);
  EXPECT_EQ(t.next.state, State::Active);
  EXPECT_EQ(names(t.actions), (std::vector<std::string>{"CloseTcp", "StopTimer(Hold)"}));

  // A session error restarts it passive: back to Active, still no ConnectTcp.
  t = run(t.next, {f::TcpConnectionConfirmed{}, f::HoldTimerExpires{}}, cfg);
  ASSERT_EQ(t.next.state, State::Idle);
  ASSERT_TRUE(t.next.restart_pending);
  t = f::step(t.next, f::ConnectRetryTimerExpires{}, cfg);
  EXPECT_EQ(t.next.state, State::Active);
  EXPECT_TRUE(t.actions.empty());
}

TEST(FsmPassive, PassiveStartEventsMakeAnActivePeerPassive) {
  const auto cfg = config();
  for (const f::Event& start : {f::Event{f::ManualStartPassive{}}, f::Event{f::AutomaticStartPassive{}}}) {
    const auto t = f::step({}, start, cfg);
    EXPECT_EQ(t.next.state, State::Active);
    EXPECT_TRUE(t.next.passive);
    EXPECT_TRUE(t.actions.empty());
  }
}

// Exhaustive: from a passive start, no sequence of up to four events emits ConnectTcp.
TEST(FsmPassive, NoEventSequenceConnectsOut) {
  auto cfg = config();
  cfg.passive = true;
  const std::vector<f::Event> events = {
      f::ManualStart{},       f::AutomaticStart{},       f::ConnectRetryTimerExpires{}, f::HoldTimerExpires{},
      f::KeepaliveTimerExpires{}, f::TcpCrAcked{},       f::TcpConnectionConfirmed{},   f::TcpConnectionFails{},
      f::BgpOpen{peer_open()}, f::NotifMsg{{6, 2, {}}},  f::KeepAliveMsg{},             f::UpdateMsg{},
      f::ManualStop{}};
  std::vector<f::FsmState> frontier{f::step({}, f::ManualStart{}, cfg).next};
  std::size_t steps = 0;
  for (int depth = 0; depth < 4; ++depth) {
    std::vector<f::FsmState> next;
    for (const auto& s : frontier)
      for (const auto& e : events) {
        const auto t = f::step(s, e, cfg);
        ++steps;
        ASSERT_FALSE(has_connect(t.actions)) << f::to_string(s.state) << " x " << f::event_name(e);
        next.push_back(t.next);
      }
    frontier = std::move(next);
  }
  EXPECT_EQ(steps, 13u + 169u + 2197u + 28561u);
}

TEST(FsmReasons, SessionDownSaysWhy) {
  const auto cfg = config();
  const auto established = run({}, {f::ManualStart{}, f::TcpCrAcked{}, f::BgpOpen{peer_open()}, f::KeepAliveMsg{}},
                               cfg).next;
  ASSERT_EQ(established.state, State::Established);
  struct Case {
    f::Event event;
    std::string reason;
  };
  const std::vector<Case> cases = {
      {f::HoldTimerExpires{}, "NOTIFICATION sent: Hold Timer Expired"},
      {f::TcpConnectionFails{}, "TCP connection failed"},
      {f::NotifMsg{w::NotificationMessage::cease(w::CeaseSubcode::AdministrativeReset)},
       "NOTIFICATION received: Cease/Administrative Reset"},
      {f::UpdateMsgErr{w::DecodeError::make(w::ErrorCode::UpdateMessage, 11, 40, "AS_PATH segment overruns")},
       "NOTIFICATION sent: UPDATE Message Error/Malformed AS_PATH (AS_PATH segment overruns)"},
      {f::BgpOpen{peer_open()},
       "NOTIFICATION sent: Finite State Machine Error/Receive Unexpected Message in Established State "
       "(unexpected BgpOpen (19) in Established)"},
  };
  for (const auto& c : cases) {
    const auto t = f::step(established, c.event, cfg);
    const auto* d = find_action<f::SessionDown>(t.actions);
    ASSERT_NE(d, nullptr) << f::event_name(c.event);
    EXPECT_EQ(d->reason, c.reason);
    EXPECT_TRUE(d->was_established);
  }
}

TEST(FsmNotification, VersionErrorIsEvent24) {
  EXPECT_TRUE(std::holds_alternative<f::NotifMsgVerErr>(f::notification_event({2, 1, {0, 4}})));
  EXPECT_TRUE(std::holds_alternative<f::NotifMsg>(f::notification_event({2, 2, {}})));
  EXPECT_TRUE(std::holds_alternative<f::NotifMsg>(f::notification_event({6, 2, {}})));
}

TEST(FsmNames, EventsCarryTheirRfcNumbers) {
  EXPECT_EQ(f::event_name(f::HoldTimerExpires{}), "HoldTimerExpires (10)");
  EXPECT_EQ(f::event_name(f::UpdateMsgErr{}), "UpdateMsgErr (28)");
  EXPECT_EQ(f::to_string(f::Action{f::StartTimer{f::Timer::Keepalive, 30}}), "StartTimer(Keepalive, 30)");
  EXPECT_EQ(f::to_string(State::OpenConfirm), "OpenConfirm");
}

}  // namespace
}  // namespace evpnd::test::fsm
