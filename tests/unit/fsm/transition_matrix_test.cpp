// The transition matrix (STYLE rule 22): for every (state, event) pair, the next state,
// the connect-retry counter and interval, and the exact actions in order. Timers are
// events fired by the test. SessionDown reasons are compared in fsm_behaviour_test.cpp;
// here only their presence and was_established flag count.
#include <algorithm>
#include <map>
#include <set>

#include "fsm_test_support.hpp"

namespace evpnd::test::fsm {
namespace {

using f::State;
using T = f::Timer;

// Fixture states: two failures already counted (counter 2, interval doubled to 60 from
// the configured 30); Established has the interval reset to 30.
f::FsmState fixture(State s) {
  const auto cfg = config();
  f::FsmState st;
  st.state = s;
  st.connect_retry_counter = 2;
  st.connect_retry_interval = s == State::Established ? 30 : 60;
  if (s == State::OpenSent || s == State::OpenConfirm || s == State::Established)
    st.local_open = f::build_open(cfg, cfg.hostname);
  if (s == State::OpenConfirm || s == State::Established) {
    st.peer_open = peer_open();
    st.negotiated = f::negotiate(*st.local_open, *st.peer_open, cfg);
  }
  return st;
}

w::DecodeError header_error() {
  return w::DecodeError::make(w::ErrorCode::MessageHeader, 2, 16, "length 18", {0x00, 0x12});
}
w::DecodeError open_error() { return w::DecodeError::make(w::ErrorCode::OpenMessage, 0, 29, "bad"); }
w::DecodeError update_error() { return w::DecodeError::make(w::ErrorCode::UpdateMessage, 1, 21, "bad"); }

// One instance of every event, in RFC number order.
std::vector<f::Event> all_events() {
  return {f::ManualStart{},
          f::ManualStop{},
          f::AutomaticStart{},
          f::ManualStartPassive{},
          f::AutomaticStartPassive{},
          f::AutomaticStop{w::NotificationMessage::cease(w::CeaseSubcode::OutOfResources)},
          f::ConnectRetryTimerExpires{},
          f::HoldTimerExpires{},
          f::KeepaliveTimerExpires{},
          f::TcpCrAcked{},
          f::TcpConnectionConfirmed{},
          f::TcpConnectionFails{},
          f::BgpOpen{peer_open()},
          f::BgpHeaderErr{header_error()},
          f::BgpOpenMsgErr{open_error()},
          f::OpenCollisionDump{},
          f::NotifMsgVerErr{{2, 1, {0, 4}}},
          f::NotifMsg{w::NotificationMessage::cease(w::CeaseSubcode::AdministrativeShutdown)},
          f::KeepAliveMsg{},
          f::UpdateMsg{},
          f::UpdateMsgErr{update_error()},
          f::SendHoldTimerExpires{},
          f::RouteRefreshMsg{}};
}

f::Action start(T t, std::uint32_t s) { return f::StartTimer{t, s}; }
f::Action stop(T t) { return f::StopTimer{t}; }
f::Action notify(std::uint8_t code, std::uint8_t sub, w::ByteVec data = {}) {
  return f::SendNotification{{code, sub, std::move(data)}};
}
f::Action down(bool was_established = false) { return f::SessionDown{"", was_established}; }
const f::Action kClose = f::CloseTcp{};
const f::Action kConnect = f::ConnectTcp{};
const f::Action kKeepalive = f::SendKeepalive{};

struct Row {
  State from;
  std::size_t event;  // index into all_events() (== Event::index())
  State to;
  std::uint32_t counter;
  std::uint32_t interval;
  std::vector<f::Action> actions;
};

// Event indices, named as in RFC 4271 §8.1.
enum : std::size_t {
  kManualStart, kManualStop, kAutomaticStart, kManualStartPassive, kAutomaticStartPassive, kAutomaticStop,
  kConnectRetryExpires, kHoldExpires, kKeepaliveExpires, kTcpCrAcked, kTcpConfirmed, kTcpFails,
  kBgpOpen, kHeaderErr, kOpenMsgErr, kCollisionDump, kNotifVerErr, kNotif, kKeepAliveMsg,
  kUpdateMsg, kUpdateMsgErr, kSendHoldExpires, kRouteRefreshMsg,
};

std::vector<Row> matrix() {
  const auto cfg = config();
  const f::Action send_open = f::SendOpen{f::build_open(cfg, cfg.hostname)};
  const f::Action up = f::SessionUp{*fixture(State::OpenConfirm).negotiated};
  const f::Action hdr = notify(1, 2, {0x00, 0x12});
  const f::Action opn = notify(2, 0);
  const f::Action upd = notify(3, 1);
  const f::Action admin = notify(6, 2);
  const f::Action collision = notify(6, 7);
  const f::Action hold_expired = notify(4, 0);
  std::vector<Row> rows;
  auto add = [&](State from, std::initializer_list<std::size_t> events, State to, std::uint32_t counter,
                 std::uint32_t interval, std::vector<f::Action> actions) {
    for (auto e : events) rows.push_back({from, e, to, counter, interval, actions});
  };
  const std::initializer_list<std::size_t> all_messages = {kBgpOpen, kHeaderErr, kOpenMsgErr, kCollisionDump, kNotifVerErr, kNotif,
                                                           kKeepAliveMsg, kUpdateMsg, kUpdateMsgErr, kRouteRefreshMsg};
  // RFC 6608 §4: FSM Error, the state's subcode, and the unexpected message's type as data.
  auto unexpected = [](std::uint8_t sub, std::uint8_t type) { return notify(5, sub, {type}); };

  // ---- Idle: only starts (and the pending restart, see fsm_behaviour_test) do anything.
  add(State::Idle, {kManualStart}, State::Connect, 0, 30, {start(T::ConnectRetry, 30), kConnect});
  add(State::Idle, {kManualStop}, State::Idle, 0, 30, {});
  add(State::Idle, {kAutomaticStart}, State::Connect, 2, 60, {start(T::ConnectRetry, 60), kConnect});
  add(State::Idle, {kManualStartPassive}, State::Active, 0, 30, {});
  add(State::Idle, {kAutomaticStartPassive}, State::Active, 2, 60, {});
  add(State::Idle, {kAutomaticStop}, State::Idle, 2, 60, {start(T::ConnectRetry, 60)});
  add(State::Idle, {kConnectRetryExpires, kHoldExpires, kKeepaliveExpires, kSendHoldExpires, kTcpFails}, State::Idle,
      2, 60, {});
  add(State::Idle, {kTcpCrAcked, kTcpConfirmed}, State::Idle, 2, 60, {kClose});
  add(State::Idle, all_messages, State::Idle, 2, 60, {});

  // ---- Connect
  add(State::Connect, {kManualStart, kAutomaticStart, kManualStartPassive, kAutomaticStartPassive}, State::Connect,
      2, 60, {});
  add(State::Connect, {kManualStop}, State::Idle, 0, 30, {kClose, stop(T::ConnectRetry), down()});
  add(State::Connect, {kConnectRetryExpires}, State::Connect, 3, 120,
      {kClose, start(T::ConnectRetry, 60), kConnect});
  add(State::Connect, {kHoldExpires, kKeepaliveExpires, kSendHoldExpires, kAutomaticStop}, State::Idle, 3, 120,
      {kClose, start(T::ConnectRetry, 60), down()});
  add(State::Connect, {kTcpCrAcked, kTcpConfirmed}, State::OpenSent, 2, 60,
      {stop(T::ConnectRetry), send_open, start(T::Hold, 240)});
  add(State::Connect, {kTcpFails}, State::Active, 3, 120, {start(T::ConnectRetry, 60)});
  add(State::Connect, all_messages, State::Idle, 3, 120, {kClose, start(T::ConnectRetry, 60), down()});

  // ---- Active (not passive)
  add(State::Active, {kManualStart, kAutomaticStart, kManualStartPassive, kAutomaticStartPassive}, State::Active,
      2, 60, {});
  add(State::Active, {kManualStop}, State::Idle, 0, 30, {kClose, stop(T::ConnectRetry), down()});
  add(State::Active, {kConnectRetryExpires}, State::Connect, 2, 60, {start(T::ConnectRetry, 60), kConnect});
  add(State::Active, {kHoldExpires, kKeepaliveExpires, kSendHoldExpires, kAutomaticStop}, State::Idle, 3, 120,
      {kClose, start(T::ConnectRetry, 60), down()});
  add(State::Active, {kTcpCrAcked, kTcpConfirmed}, State::OpenSent, 2, 60,
      {stop(T::ConnectRetry), send_open, start(T::Hold, 240)});
  add(State::Active, {kTcpFails}, State::Active, 3, 120, {start(T::ConnectRetry, 60)});
  add(State::Active, all_messages, State::Idle, 3, 120, {kClose, start(T::ConnectRetry, 60), down()});

  // ---- OpenSent
  const std::vector<f::Action> sent_fail_tail = {kClose, stop(T::Hold), start(T::ConnectRetry, 60), down()};
  auto with = [](f::Action first, std::vector<f::Action> rest) {
    rest.insert(rest.begin(), std::move(first));
    return rest;
  };
  add(State::OpenSent, {kManualStart, kAutomaticStart, kManualStartPassive, kAutomaticStartPassive},
      State::OpenSent, 2, 60, {});
  add(State::OpenSent, {kManualStop}, State::Idle, 0, 30, {admin, kClose, stop(T::Hold), down()});
  // The caller runs no SendHoldTimer before OpenConfirm: its expiry is unexpected here.
  add(State::OpenSent, {kConnectRetryExpires, kKeepaliveExpires, kSendHoldExpires}, State::Idle, 3, 120,
      with(notify(5, 0), sent_fail_tail));
  add(State::OpenSent, {kHoldExpires}, State::Idle, 3, 120, with(hold_expired, sent_fail_tail));
  add(State::OpenSent, {kAutomaticStop}, State::Idle, 3, 120, with(notify(6, 8), sent_fail_tail));
  add(State::OpenSent, {kTcpCrAcked, kTcpConfirmed}, State::OpenSent, 2, 60, {});
  add(State::OpenSent, {kTcpFails}, State::Active, 3, 120, {kClose, stop(T::Hold), start(T::ConnectRetry, 60)});
  add(State::OpenSent, {kBgpOpen}, State::OpenConfirm, 2, 60,
      {kKeepalive, start(T::Keepalive, 30), start(T::Hold, 90)});
  add(State::OpenSent, {kHeaderErr}, State::Idle, 3, 120, with(hdr, sent_fail_tail));
  add(State::OpenSent, {kOpenMsgErr}, State::Idle, 3, 120, with(opn, sent_fail_tail));
  add(State::OpenSent, {kCollisionDump}, State::Idle, 3, 120, {collision, kClose, stop(T::Hold), down()});
  add(State::OpenSent, {kNotifVerErr}, State::Idle, 2, 60, sent_fail_tail);
  add(State::OpenSent, {kNotif}, State::Idle, 3, 120, sent_fail_tail);
  add(State::OpenSent, {kKeepAliveMsg}, State::Idle, 3, 120, with(unexpected(1, 4), sent_fail_tail));
  add(State::OpenSent, {kUpdateMsg, kUpdateMsgErr}, State::Idle, 3, 120, with(unexpected(1, 2), sent_fail_tail));
  add(State::OpenSent, {kRouteRefreshMsg}, State::Idle, 3, 120, with(unexpected(1, 5), sent_fail_tail));

  // ---- OpenConfirm and Established: same shape, different subcodes and intervals.
  for (State s : {State::OpenConfirm, State::Established}) {
    const bool est = s == State::Established;
    const std::uint32_t iv = est ? 30 : 60;
    const std::uint8_t fsm_sub = est ? 3 : 2;
    const std::vector<f::Action> tail = {kClose, stop(T::Hold), stop(T::Keepalive), start(T::ConnectRetry, iv),
                                         down(est)};
    add(s, {kManualStart, kAutomaticStart, kManualStartPassive, kAutomaticStartPassive, kTcpCrAcked, kTcpConfirmed},
        s, 2, iv, {});
    add(s, {kManualStop}, State::Idle, 0, 30, {admin, kClose, stop(T::Hold), stop(T::Keepalive), down(est)});
    add(s, {kConnectRetryExpires}, State::Idle, 3, iv * 2, with(notify(5, 0), tail));
    add(s, {kHoldExpires}, State::Idle, 3, iv * 2, with(hold_expired, tail));
    add(s, {kAutomaticStop}, State::Idle, 3, iv * 2, with(notify(6, 8), tail));
    add(s, {kKeepaliveExpires}, s, 2, iv, {kKeepalive, start(T::Keepalive, 30)});
    add(s, {kTcpFails, kNotifVerErr, kNotif}, State::Idle, 3, iv * 2, tail);
    add(s, {kBgpOpen}, State::Idle, 3, iv * 2, with(unexpected(fsm_sub, 1), tail));
    // RFC 9687: Send Hold Timer Expired, and the queued output is dropped, not flushed.
    add(s, {kSendHoldExpires}, State::Idle, 3, iv * 2,
        {notify(8, 0), f::CloseTcp{.discard_output = true}, stop(T::Hold), stop(T::Keepalive),
         start(T::ConnectRetry, iv), down(est)});
    add(s, {kHeaderErr}, State::Idle, 3, iv * 2, with(hdr, tail));
    add(s, {kOpenMsgErr}, State::Idle, 3, iv * 2, with(opn, tail));
    add(s, {kCollisionDump}, State::Idle, 3, iv * 2,
        {collision, kClose, stop(T::Hold), stop(T::Keepalive), down(est)});
    if (est) {
      add(s, {kKeepAliveMsg, kUpdateMsg}, s, 2, 30, {start(T::Hold, 90)});
      add(s, {kUpdateMsgErr}, State::Idle, 3, 60, with(upd, tail));
      add(s, {kRouteRefreshMsg}, s, 2, 30, {});  // answered by the session
    } else {
      add(s, {kKeepAliveMsg}, State::Established, 2, 30, {start(T::Hold, 90), up});
      add(s, {kUpdateMsg, kUpdateMsgErr}, State::Idle, 3, 120, with(unexpected(fsm_sub, 2), tail));
      add(s, {kRouteRefreshMsg}, State::Idle, 3, 120, with(unexpected(fsm_sub, 5), tail));
    }
  }
  return rows;
}

std::vector<f::Action> without_reasons(std::vector<f::Action> actions) {
  for (auto& a : actions)
    if (auto* d = std::get_if<f::SessionDown>(&a)) d->reason.clear();
  return actions;
}

TEST(FsmMatrix, CoversEveryStateEventPairExactlyOnce) {
  const auto events = all_events();
  ASSERT_EQ(events.size(), std::variant_size_v<f::Event>);
  for (std::size_t i = 0; i < events.size(); ++i) ASSERT_EQ(events[i].index(), i) << "all_events() order";
  std::map<std::pair<State, std::size_t>, int> seen;
  for (const auto& r : matrix()) ++seen[{r.from, r.event}];
  EXPECT_EQ(seen.size(), 6 * events.size());
  for (const auto& [key, n] : seen)
    EXPECT_EQ(n, 1) << f::to_string(key.first) << " x " << f::event_name(events[key.second]);
}

TEST(FsmMatrix, EveryTransition) {
  const auto cfg = config();
  const auto events = all_events();
  for (const auto& r : matrix()) {
    const auto& ev = events[r.event];
    SCOPED_TRACE(std::string(f::to_string(r.from)) + " x " + f::event_name(ev));
    const auto t = f::step(fixture(r.from), ev, cfg);
    EXPECT_EQ(t.next.state, r.to) << "got " << f::to_string(t.next.state);
    EXPECT_EQ(t.next.connect_retry_counter, r.counter);
    EXPECT_EQ(t.next.connect_retry_interval, r.interval);
    EXPECT_EQ(without_reasons(t.actions), r.actions) << ::testing::PrintToString(names(t.actions));

    // Invariants of every transition.
    const bool restart_scheduled = std::any_of(t.actions.begin(), t.actions.end(), [](const f::Action& a) {
      auto* st = std::get_if<f::StartTimer>(&a);
      return st && st->timer == f::Timer::ConnectRetry;
    });
    if (t.next.state == State::Idle) {
      EXPECT_EQ(t.next.restart_pending, restart_scheduled);
      EXPECT_FALSE(t.next.local_open || t.next.peer_open || t.next.negotiated);
    }
    const bool open_sent_on = t.next.state == State::OpenSent || t.next.state == State::OpenConfirm ||
                              t.next.state == State::Established;
    EXPECT_EQ(t.next.local_open.has_value(), open_sent_on);
    EXPECT_EQ(t.next.negotiated.has_value(),
              t.next.state == State::OpenConfirm || t.next.state == State::Established);
    // A transition to Idle from elsewhere always reports SessionDown with a reason.
    if (t.next.state == State::Idle && r.from != State::Idle) {
      const auto* d = find_action<f::SessionDown>(t.actions);
      ASSERT_NE(d, nullptr);
      EXPECT_FALSE(d->reason.empty());
    }
    // Only a passive start from Idle makes the FSM passive; started FSMs ignore starts.
    EXPECT_EQ(t.next.passive,
              r.from == State::Idle && (r.event == kManualStartPassive || r.event == kAutomaticStartPassive));
  }
}

}  // namespace
}  // namespace evpnd::test::fsm
