// RFC 4271 §8.2.2, one function per state. Each returns the next state and the actions
// in the order the caller must run them. The departures from the RFC table are listed
// in fsm.hpp.
#include "bgp/fsm/fsm.hpp"

#include <algorithm>
#include <type_traits>
#include <utility>

namespace evpnd::bgp::fsm {
namespace {

using wire::CeaseSubcode;
using wire::ErrorCode;
using wire::FsmSubcode;
using wire::NotificationMessage;

template <class E, class... Ts>
constexpr bool is_one_of = (std::is_same_v<E, Ts> || ...);

template <class E>
constexpr bool is_start = is_one_of<E, ManualStart, AutomaticStart, ManualStartPassive, AutomaticStartPassive>;
template <class E>
constexpr bool is_tcp_up = is_one_of<E, TcpCrAcked, TcpConnectionConfirmed>;

std::uint32_t base_interval(const PeerConfig& cfg) { return std::max<std::uint32_t>(1, cfg.connect_retry); }

std::uint32_t current_interval(const FsmState& s, const PeerConfig& cfg) {
  return s.connect_retry_interval != 0 ? s.connect_retry_interval : base_interval(cfg);
}

// Counts one failure: returns the period to wait now, then doubles the next one up to
// connect_retry_max (the back-off described in fsm.hpp).
std::uint32_t count_failure(FsmState& s, const PeerConfig& cfg) {
  const std::uint32_t now = current_interval(s, cfg);
  const std::uint32_t cap = std::max<std::uint32_t>(cfg.connect_retry_max, base_interval(cfg));
  s.connect_retry_counter += 1;
  s.connect_retry_interval = std::min(now * 2, cap);
  return now;
}

std::string describe(const NotificationMessage& n) { return n.describe(); }

NotificationMessage make_notification(ErrorCode code, std::uint8_t subcode) {
  return {static_cast<std::uint8_t>(code), subcode, {}};
}

NotificationMessage fsm_error(FsmSubcode sub) {
  return make_notification(ErrorCode::FiniteStateMachine, static_cast<std::uint8_t>(sub));
}

// RFC 6608 §4: "The Data field is a 1-octet, unsigned integer that indicates the type of
// the unexpected message." nullopt for events that are not messages.
std::optional<std::uint8_t> message_type(const Event& e) {
  return std::visit(
      [](const auto& ev) -> std::optional<std::uint8_t> {
        using E = std::decay_t<decltype(ev)>;
        if constexpr (std::is_same_v<E, BgpOpen>) return 1;
        else if constexpr (is_one_of<E, UpdateMsg, UpdateMsgErr>) return 2;
        else if constexpr (std::is_same_v<E, KeepAliveMsg>) return 4;
        else if constexpr (std::is_same_v<E, RouteRefreshMsg>) return 5;
        else return std::nullopt;
      },
      e);
}

// RFC 6608 §4: the subcode names the state an unexpected message arrived in.
FsmSubcode unexpected_message_subcode(State s) {
  switch (s) {
    case State::OpenSent: return FsmSubcode::UnexpectedMessageInOpenSent;
    case State::OpenConfirm: return FsmSubcode::UnexpectedMessageInOpenConfirm;
    case State::Established: return FsmSubcode::UnexpectedMessageInEstablished;
    default: return FsmSubcode::Unspecific;
  }
}

Transition stay(const FsmState& s, std::vector<Action> actions = {}) { return {s, std::move(actions)}; }

// How a drop to Idle counts and whether the session comes back by itself.
enum class DropKind : std::uint8_t {
  Failure,        // counter + 1, back-off, automatic restart
  FailureNoCount, // automatic restart with the current interval (NotifMsgVerErr in OpenSent)
  ManualStop,     // counter and interval reset, no restart
  Collision,      // counter + 1 (RFC 4271 §8.2.2), no restart: the other connection lives on
};

Transition drop_to_idle(const FsmState& s, const PeerConfig& cfg, std::optional<NotificationMessage> notification,
                        std::string reason, DropKind kind, CloseTcp close = {},
                        const AutomaticStop* local_stop = nullptr) {
  const State from = s.state;
  const bool connection_up = from == State::OpenSent || from == State::OpenConfirm || from == State::Established;
  const bool confirm_or_up = from == State::OpenConfirm || from == State::Established;
  const bool connect_retry_running = from == State::Connect || (from == State::Active && !s.passive);

  FsmState next = s;
  next.state = State::Idle;
  next.local_open.reset();
  next.peer_open.reset();
  next.negotiated.reset();

  std::optional<std::uint32_t> restart_after;
  switch (kind) {
    case DropKind::Failure: restart_after = count_failure(next, cfg); break;
    case DropKind::FailureNoCount: restart_after = current_interval(next, cfg); break;
    case DropKind::ManualStop:
      next.connect_retry_counter = 0;
      next.connect_retry_interval = base_interval(cfg);
      break;
    case DropKind::Collision: count_failure(next, cfg); break;
  }
  if (local_stop) {
    switch (local_stop->restart) {
      case AutomaticStop::Restart::BackOff: break;
      case AutomaticStop::Restart::After: restart_after = local_stop->restart_after; break;
      case AutomaticStop::Restart::Never: restart_after.reset(); break;
    }
  }
  next.restart_pending = restart_after.has_value();

  std::vector<Action> actions;
  if (notification) actions.emplace_back(SendNotification{std::move(*notification)});
  actions.emplace_back(close);
  if (connection_up) actions.emplace_back(StopTimer{Timer::Hold});
  if (confirm_or_up) actions.emplace_back(StopTimer{Timer::Keepalive});
  if (restart_after)
    actions.emplace_back(StartTimer{Timer::ConnectRetry, *restart_after});
  else if (connect_retry_running)
    actions.emplace_back(StopTimer{Timer::ConnectRetry});
  actions.emplace_back(SessionDown{std::move(reason), from == State::Established});
  return {std::move(next), std::move(actions)};
}

// "NOTIFICATION sent: <code/subcode> (detail)": every reason for a drop in which we sent
// one reads the same, so `show bgp neighbors` can split it as FRR does.
std::string sent_reason(const NotificationMessage& n, std::string_view detail = {}) {
  std::string reason = "NOTIFICATION sent: " + describe(n);
  if (!detail.empty()) reason.append(" (").append(detail).append(")");
  return reason;
}

// Sends `n` and drops to Idle as a failure; the reason names what we sent.
Transition send_and_drop(const FsmState& s, const PeerConfig& cfg, NotificationMessage n, std::string_view detail = {}) {
  std::string reason = sent_reason(n, detail);
  return drop_to_idle(s, cfg, std::move(n), std::move(reason), DropKind::Failure);
}

Transition send_decode_error(const FsmState& s, const PeerConfig& cfg, const wire::DecodeError& e) {
  return send_and_drop(s, cfg, NotificationMessage::from(e), e.reason);
}

std::string in_state(const Event& e, State s) { return event_name(e) + " in " + std::string(to_string(s)); }

// Idle, ManualStart/AutomaticStart (RFC 4271 §8.2.2 Idle): Connect and a connect attempt,
// or Active and wait when passive.
Transition start(const FsmState& s, const PeerConfig& cfg, bool manual, bool passive_event) {
  FsmState next = s;
  next.passive = passive_event || cfg.passive;
  if (manual) {
    next.connect_retry_counter = 0;
    next.connect_retry_interval = base_interval(cfg);
  }
  next.restart_pending = false;
  std::vector<Action> actions;
  if (next.passive) {
    next.state = State::Active;
    if (s.restart_pending) actions.emplace_back(StopTimer{Timer::ConnectRetry});
  } else {
    next.state = State::Connect;
    actions.emplace_back(StartTimer{Timer::ConnectRetry, current_interval(next, cfg)});
    actions.emplace_back(ConnectTcp{});
  }
  return {std::move(next), std::move(actions)};
}

// Connect/Active, the connection is up: send our OPEN and wait for the peer's under a
// large hold timer.
Transition connection_up(const FsmState& s, const PeerConfig& cfg) {
  FsmState next = s;
  next.state = State::OpenSent;
  next.local_open = build_open(cfg, cfg.hostname);
  std::vector<Action> actions;
  if (s.state == State::Connect || !s.passive) actions.emplace_back(StopTimer{Timer::ConnectRetry});
  actions.emplace_back(SendOpen{*next.local_open});
  actions.emplace_back(StartTimer{Timer::Hold, kLargeHoldTime});
  return {std::move(next), std::move(actions)};
}

Transition on_idle(const FsmState& s, const Event& e, const PeerConfig& cfg) {
  return std::visit(
      [&](const auto& ev) -> Transition {
        using E = std::decay_t<decltype(ev)>;
        if constexpr (is_start<E>) {
          constexpr bool manual = is_one_of<E, ManualStart, ManualStartPassive>;
          constexpr bool passive = is_one_of<E, ManualStartPassive, AutomaticStartPassive>;
          return start(s, cfg, manual, passive);
        } else if constexpr (std::is_same_v<E, ManualStop>) {
          FsmState next = s;
          next.connect_retry_counter = 0;
          next.connect_retry_interval = base_interval(cfg);
          next.restart_pending = false;
          std::vector<Action> actions;
          if (s.restart_pending) actions.emplace_back(StopTimer{Timer::ConnectRetry});
          return {std::move(next), std::move(actions)};
        } else if constexpr (std::is_same_v<E, AutomaticStop>) {
          // Already down: only the restart it names changes.
          FsmState next = s;
          std::vector<Action> actions;
          if (s.restart_pending) actions.emplace_back(StopTimer{Timer::ConnectRetry});
          next.restart_pending = false;
          if (ev.restart != AutomaticStop::Restart::Never) {
            const std::uint32_t wait =
                ev.restart == AutomaticStop::Restart::After ? ev.restart_after : current_interval(s, cfg);
            actions.emplace_back(StartTimer{Timer::ConnectRetry, wait});
            next.restart_pending = true;
          }
          return {std::move(next), std::move(actions)};
        } else if constexpr (std::is_same_v<E, ConnectRetryTimerExpires>) {
          // The automatic restart scheduled by the last drop to Idle.
          if (!s.restart_pending) return stay(s);
          FsmState fired = s;
          fired.restart_pending = false;  // the timer has run out: nothing left to stop
          // The restart is AutomaticStart or AutomaticStartPassive as the configured
          // PassiveTcpEstablishment says (RFC 4271 §8.1.2), not as the last start was: a
          // session started passive to take one inbound connection connects out again.
          return start(fired, cfg, false, cfg.passive);
        } else if constexpr (is_tcp_up<E>) {
          // Not started: the connection is not wanted (§8.2.2 Idle refuses connections).
          return stay(s, {CloseTcp{}});
        } else {
          return stay(s);  // §8.2.2 Idle: other events are ignored
        }
      },
      e);
}

// Connect and Active share all but the retry timer and TCP failure handling.
Transition on_connect_or_active(const FsmState& s, const Event& e, const PeerConfig& cfg) {
  return std::visit(
      [&](const auto& ev) -> Transition {
        using E = std::decay_t<decltype(ev)>;
        if constexpr (is_start<E>) {
          return stay(s);
        } else if constexpr (std::is_same_v<E, ManualStop>) {
          return drop_to_idle(s, cfg, std::nullopt, "manual stop", DropKind::ManualStop);
        } else if constexpr (std::is_same_v<E, AutomaticStop>) {
          // No OPEN exchanged yet: nothing to send.
          return drop_to_idle(s, cfg, std::nullopt, "automatic stop: " + describe(ev.cease), DropKind::Failure,
                              CloseTcp{}, &ev);
        } else if constexpr (std::is_same_v<E, ConnectRetryTimerExpires>) {
          FsmState next = s;
          if (s.state == State::Connect) {
            // The attempt timed out: abandon it and try again, backing off (a failure).
            const std::uint32_t wait = count_failure(next, cfg);
            return {std::move(next), {CloseTcp{}, StartTimer{Timer::ConnectRetry, wait}, ConnectTcp{}}};
          }
          if (s.passive) return stay(s);  // passive peers only wait
          next.state = State::Connect;
          return {std::move(next), {StartTimer{Timer::ConnectRetry, current_interval(s, cfg)}, ConnectTcp{}}};
        } else if constexpr (is_tcp_up<E>) {
          return connection_up(s, cfg);
        } else if constexpr (std::is_same_v<E, TcpConnectionFails>) {
          FsmState next = s;
          next.state = State::Active;
          const std::uint32_t wait = count_failure(next, cfg);
          if (s.passive) return {std::move(next), {}};
          return {std::move(next), {StartTimer{Timer::ConnectRetry, wait}}};
        } else {
          // No OPEN has been exchanged: drop without NOTIFICATION (no
          // SendNOTIFICATIONwithoutOPEN), count the failure and restart.
          return drop_to_idle(s, cfg, std::nullopt, "unexpected " + in_state(e, s.state), DropKind::Failure);
        }
      },
      e);
}

Transition unexpected_message(const FsmState& s, const Event& e, const PeerConfig& cfg) {
  NotificationMessage n = fsm_error(unexpected_message_subcode(s.state));
  if (auto type = message_type(e)) n.data = {*type};
  return send_and_drop(s, cfg, std::move(n), "unexpected " + in_state(e, s.state));
}

// Events handled alike in OpenSent, OpenConfirm and Established. Returns nullopt for
// the events each state decides itself.
std::optional<Transition> common_open_states(const FsmState& s, const Event& e, const PeerConfig& cfg) {
  return std::visit(
      [&](const auto& ev) -> std::optional<Transition> {
        using E = std::decay_t<decltype(ev)>;
        if constexpr (is_start<E> || is_tcp_up<E>) {
          // Starts are ignored; a second connection is the speaker's (collision.hpp).
          return stay(s);
        } else if constexpr (std::is_same_v<E, ManualStop>) {
          std::optional<NotificationMessage> cease;
          if (ev.notify) cease = NotificationMessage::cease(CeaseSubcode::AdministrativeShutdown);
          return drop_to_idle(s, cfg, cease, ev.notify ? "manual stop" : "manual stop (graceful restart: no NOTIFICATION)",
                              DropKind::ManualStop);
        } else if constexpr (std::is_same_v<E, AutomaticStop>) {
          return drop_to_idle(s, cfg, ev.cease, sent_reason(ev.cease), DropKind::Failure,
                              CloseTcp{.discard_output = ev.discard_output}, &ev);
        } else if constexpr (std::is_same_v<E, HoldTimerExpires>) {
          const auto n = make_notification(ErrorCode::HoldTimerExpired, 0);
          return drop_to_idle(s, cfg, n, sent_reason(n), DropKind::Failure);
        } else if constexpr (std::is_same_v<E, SendHoldTimerExpires>) {
          if (s.state == State::OpenSent) return std::nullopt;  // not run there: unexpected
          // RFC 9687 §4: send Send Hold Timer Expired, do not wait for it to leave,
          // drop the connection and go to Idle, counting the failure.
          const auto n = make_notification(ErrorCode::SendHoldTimerExpired, 0);
          return drop_to_idle(s, cfg, n, sent_reason(n, "the peer is not reading, RFC 9687"), DropKind::Failure,
                              CloseTcp{.discard_output = true});
        } else if constexpr (std::is_same_v<E, ConnectRetryTimerExpires>) {
          return send_and_drop(s, cfg, fsm_error(FsmSubcode::Unspecific), "unexpected " + in_state(e, s.state));
        } else if constexpr (is_one_of<E, BgpHeaderErr, BgpOpenMsgErr>) {
          return send_decode_error(s, cfg, ev.error);
        } else if constexpr (std::is_same_v<E, OpenCollisionDump>) {
          const auto n = NotificationMessage::cease(ev.subcode);
          return drop_to_idle(s, cfg, n, sent_reason(n), DropKind::Collision);
        } else if constexpr (std::is_same_v<E, NotifMsg>) {
          return drop_to_idle(s, cfg, std::nullopt, "NOTIFICATION received: " + describe(ev.notification),
                              DropKind::Failure);
        } else if constexpr (std::is_same_v<E, BgpOpen>) {
          if (s.state == State::OpenSent) return std::nullopt;
          // RFC 6608: a second OPEN on this connection. (A collision between two
          // connections is resolved by the speaker and arrives as OpenCollisionDump.)
          return unexpected_message(s, e, cfg);
        } else {
          return std::nullopt;
        }
      },
      e);
}

// OpenSent: wait for the peer's OPEN (RFC 4271 §8.2.2 OpenSent).
Transition on_open_sent(const FsmState& s, const Event& e, const PeerConfig& cfg) {
  if (auto t = common_open_states(s, e, cfg)) return std::move(*t);
  return std::visit(
      [&](const auto& ev) -> Transition {
        using E = std::decay_t<decltype(ev)>;
        if constexpr (std::is_same_v<E, BgpOpen>) {
          if (auto err = check_open(ev.open, cfg)) return send_decode_error(s, cfg, *err);
          FsmState next = s;
          if (!next.local_open) next.local_open = build_open(cfg, cfg.hostname);
          next.state = State::OpenConfirm;
          next.peer_open = ev.open;
          next.negotiated = negotiate(*next.local_open, ev.open, cfg);
          const Negotiated& n = *next.negotiated;
          std::vector<Action> actions{SendKeepalive{}};
          if (n.hold_time > 0) {
            actions.emplace_back(StartTimer{Timer::Keepalive, n.keepalive});
            actions.emplace_back(StartTimer{Timer::Hold, n.hold_time});
          } else {
            // RFC 4271 §4.4: a zero hold time means no KEEPALIVEs and no hold timer.
            actions.emplace_back(StopTimer{Timer::Hold});
          }
          return {std::move(next), std::move(actions)};
        } else if constexpr (std::is_same_v<E, TcpConnectionFails>) {
          // §8.2.2 OpenSent: close, restart the ConnectRetry timer, listen in Active.
          FsmState next = s;
          next.state = State::Active;
          next.local_open.reset();
          const std::uint32_t wait = count_failure(next, cfg);
          std::vector<Action> actions{CloseTcp{}, StopTimer{Timer::Hold}};
          if (!s.passive) actions.emplace_back(StartTimer{Timer::ConnectRetry, wait});
          return {std::move(next), std::move(actions)};
        } else if constexpr (std::is_same_v<E, NotifMsgVerErr>) {
          // §8.2.2 OpenSent, Event 24: Idle without counting a failure.
          return drop_to_idle(s, cfg, std::nullopt, "NOTIFICATION received: " + describe(ev.notification),
                              DropKind::FailureNoCount);
        } else if constexpr (is_one_of<E, KeepaliveTimerExpires, SendHoldTimerExpires>) {
          return send_and_drop(s, cfg, fsm_error(FsmSubcode::Unspecific), "unexpected " + in_state(e, s.state));
        } else {
          // KEEPALIVE, UPDATE (valid or not), ROUTE-REFRESH before the OPEN: RFC 6608.
          return unexpected_message(s, e, cfg);
        }
      },
      e);
}

// OpenConfirm and Established differ only in KEEPALIVE/UPDATE handling.
Transition on_confirm_or_established(const FsmState& s, const Event& e, const PeerConfig& cfg) {
  if (auto t = common_open_states(s, e, cfg)) return std::move(*t);
  static const Negotiated kNone{};
  const Negotiated& n = s.negotiated ? *s.negotiated : kNone;
  const bool established = s.state == State::Established;
  return std::visit(
      [&](const auto& ev) -> Transition {
        using E = std::decay_t<decltype(ev)>;
        if constexpr (std::is_same_v<E, KeepaliveTimerExpires>) {
          std::vector<Action> actions{SendKeepalive{}};
          if (n.keepalive > 0) actions.emplace_back(StartTimer{Timer::Keepalive, n.keepalive});
          return stay(s, std::move(actions));
        } else if constexpr (is_one_of<E, TcpConnectionFails, NotifMsgVerErr>) {
          std::string reason = "TCP connection failed";
          if constexpr (std::is_same_v<E, NotifMsgVerErr>) reason = "NOTIFICATION received: " + describe(ev.notification);
          return drop_to_idle(s, cfg, std::nullopt, std::move(reason), DropKind::Failure);
        } else if constexpr (std::is_same_v<E, KeepAliveMsg>) {
          std::vector<Action> actions;
          if (n.hold_time > 0) actions.emplace_back(StartTimer{Timer::Hold, n.hold_time});
          if (established) return stay(s, std::move(actions));
          FsmState next = s;
          next.state = State::Established;
          next.connect_retry_interval = base_interval(cfg);  // the back-off ends here
          actions.emplace_back(SessionUp{n});
          return {std::move(next), std::move(actions)};
        } else if constexpr (std::is_same_v<E, UpdateMsg>) {
          if (!established) return unexpected_message(s, e, cfg);
          if (n.hold_time == 0) return stay(s);
          return stay(s, {StartTimer{Timer::Hold, n.hold_time}});
        } else if constexpr (std::is_same_v<E, UpdateMsgErr>) {
          if (!established) return unexpected_message(s, e, cfg);
          return send_decode_error(s, cfg, ev.error);
        } else if constexpr (std::is_same_v<E, RouteRefreshMsg>) {
          // Established: the caller answers it (RFC 2918, RFC 7313). OpenConfirm: RFC 6608.
          if (established) return stay(s);
          return unexpected_message(s, e, cfg);
        } else {
          return unexpected_message(s, e, cfg);
        }
      },
      e);
}

}  // namespace

Event notification_event(wire::NotificationMessage n) {
  if (n.code == static_cast<std::uint8_t>(ErrorCode::OpenMessage) &&
      n.subcode == static_cast<std::uint8_t>(wire::OpenSubcode::UnsupportedVersionNumber))
    return NotifMsgVerErr{std::move(n)};
  return NotifMsg{std::move(n)};
}

Transition step(const FsmState& s, const Event& e, const PeerConfig& cfg) {
  switch (s.state) {
    case State::Idle: return on_idle(s, e, cfg);
    case State::Connect:
    case State::Active: return on_connect_or_active(s, e, cfg);
    case State::OpenSent: return on_open_sent(s, e, cfg);
    case State::OpenConfirm:
    case State::Established: return on_confirm_or_established(s, e, cfg);
  }
  return stay(s);
}

}  // namespace evpnd::bgp::fsm
