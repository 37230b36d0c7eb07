#pragma once
// The BGP finite state machine of RFC 4271 §8, as a pure function.
//
//   Session (Asio: sockets, timers)                 this file (no I/O, no clock)
//   ───────────────────────────────                 ────────────────────────────
//   TCP events, decoded messages, timer firings ──► step(state, event, config)
//                                               ◄── {next state, actions to run, in order}
//
// The caller owns one FsmState per connection, feeds it Events and runs the returned
// Actions in order (send, then close; stop/start timers; report session up/down).
// Timers are events: nothing here sleeps or reads a clock, so tests fire them at will.
//
// Choices where RFC 4271 §8.2.2 leaves room or where we depart from its table:
// - No DelayOpen, no DampPeerOscillations, no SendNOTIFICATIONwithoutOPEN, no
//   collision detection in Established (an Established connection always wins, §6.8).
// - AutomaticStop (Event 8, optional in RFC 4271) carries the Cease to send and how the
//   session comes back: with the back-off, after a fixed delay, or not by itself. It
//   counts as a failure in every state but Idle, where only its restart choice applies
//   (it replaces or cancels a pending restart).
// - Automatic restart: every error that drops the session to Idle schedules the restart
//   by starting the ConnectRetry timer from Idle (`restart_pending`); when it fires in
//   Idle the FSM starts again as on AutomaticStart (AutomaticStartPassive when the peer
//   is configured passive, whatever the last start was). ManualStop cancels it. A connection
//   dumped by collision resolution (Event 23) is not restarted: the other connection
//   carries the session.
// - Back-off: each failure (TCP connection fails, connect attempt times out, session
//   error) increments connect_retry_counter, starts the ConnectRetry timer with the
//   current interval, then doubles the interval up to connect_retry_max. Reaching
//   Established resets the interval to connect_retry. ManualStart resets both; the
//   automatic restarts keep them, so the back-off holds across flaps.
// - TcpConnectionFails in Connect or Active goes to (or stays in) Active with the
//   back-off timer, as with the DelayOpen branch of §8.2.2, instead of dropping to Idle.
// - A NOTIFICATION received is never answered with one (the peer closes after sending
//   it, §4.5), in every state; NotifMsgVerErr in OpenSent does not count as a failure.
// - Passive peers (config or a *Passive start event) never emit ConnectTcp nor run the
//   ConnectRetry timer in Active: they wait there for an inbound connection.
// - Unexpected messages (KEEPALIVE, UPDATE, ROUTE-REFRESH before Established; OPEN
//   after OpenSent) get an FSM Error with the RFC 6608 subcode and the message type as
//   its one-octet data (RFC 6608 §4); unexpected timer events get FSM Error /
//   Unspecific. The caller must therefore not deliver a timer it has stopped.
// - The SendHoldTimer of RFC 9687 is run by the caller, which alone sees whether its
//   output makes progress; its expiry (Event 29) in OpenConfirm or Established sends
//   Send Hold Timer Expired and closes without flushing, like any session error
//   otherwise (counted, back-off, automatic restart). A ROUTE-REFRESH in Established
//   changes nothing here: the caller answers it.
// - A second TCP connection (Events 16/17 outside Idle/Connect/Active) is ignored here:
//   the speaker runs it in its own FsmState and resolves the collision (collision.hpp).
// - Every drop to Idle from another state reports SessionDown (with was_established),
//   so the caller can log the reason even for sessions that never came up.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "bgp/fsm/negotiation.hpp"
#include "bgp/fsm/peer_config.hpp"
#include "bgp/fsm/shared_value.hpp"
#include "bgp/wire/decode_error.hpp"
#include "bgp/wire/error_codes.hpp"
#include "bgp/wire/notification.hpp"
#include "bgp/wire/open.hpp"

namespace evpnd::bgp::fsm {

enum class State : std::uint8_t { Idle, Connect, Active, OpenSent, OpenConfirm, Established };

enum class Timer : std::uint8_t { ConnectRetry, Hold, Keepalive };

// The hold timer while waiting for the peer's OPEN (RFC 4271 §8.2.2 suggests 4 minutes).
constexpr std::uint16_t kLargeHoldTime = 240;

// ---- Events (RFC 4271 §8.1; the number is the RFC's event number) ----
struct ManualStart {};                 // Event 1
struct ManualStop {                    // Event 2
  // false: close without the Cease NOTIFICATION (a graceful restart: RFC 4724 §4, a
  // helper keeps our routes only when the session ends without one)
  bool notify = true;
};
struct AutomaticStart {};              // Event 3
struct ManualStartPassive {};          // Event 4: ManualStart_with_PassiveTcpEstablishment
struct AutomaticStartPassive {};       // Event 5: AutomaticStart_with_PassiveTcpEstablishment
struct AutomaticStop {                 // Event 8: the local system ends the session by itself:
                                       // maximum-prefix, output cap, `clear bgp`
  wire::NotificationMessage cease;     // the Cease to send, with its subcode and data (RFC 4486)
  enum class Restart : std::uint8_t {
    BackOff,  // as after any failure (the connect-retry back-off)
    After,    // after `restart_after` seconds (`maximum-prefix ... restart`, `clear bgp`)
    Never,    // stays down until a manual start (`clear bgp`)
  };
  Restart restart = Restart::BackOff;
  std::uint32_t restart_after = 0;
  bool discard_output = false;         // close without flushing what is queued
};
struct ConnectRetryTimerExpires {};    // Event 9
struct HoldTimerExpires {};            // Event 10
struct KeepaliveTimerExpires {};       // Event 11
struct TcpCrAcked {};                  // Event 16: our outbound connection is up
struct TcpConnectionConfirmed {};      // Event 17: an inbound connection was accepted
struct TcpConnectionFails {};          // Event 18
struct BgpOpen {                       // Event 19: a decoded OPEN (checks run in step)
  wire::OpenMessage open;
};
struct BgpHeaderErr {                  // Event 21: header check failed; error to send
  wire::DecodeError error;
};
struct BgpOpenMsgErr {                 // Event 22: OPEN failed to decode; error to send
  wire::DecodeError error;
};
struct OpenCollisionDump {             // Event 23: this connection lost the collision
  wire::CeaseSubcode subcode = wire::CeaseSubcode::ConnectionCollisionResolution;
};
struct NotifMsgVerErr {                // Event 24: NOTIFICATION with a version error
  wire::NotificationMessage notification;
};
struct NotifMsg {                      // Event 25: any other NOTIFICATION
  wire::NotificationMessage notification;
};
struct KeepAliveMsg {};                // Event 26
struct UpdateMsg {};                   // Event 27
struct UpdateMsgErr {                  // Event 28: an UPDATE error that resets the session
  wire::DecodeError error;             //           (RFC 7606 "session reset")
};
struct SendHoldTimerExpires {};        // Event 29 (RFC 9687): our output made no progress
struct RouteRefreshMsg {};             // not an RFC 4271 event: a ROUTE-REFRESH arrived, which
                                       // RFC 6608 §4 lists among the unexpected messages
                                       // before Established

using Event = std::variant<ManualStart, ManualStop, AutomaticStart, ManualStartPassive, AutomaticStartPassive,
                           AutomaticStop, ConnectRetryTimerExpires, HoldTimerExpires, KeepaliveTimerExpires, TcpCrAcked,
                           TcpConnectionConfirmed, TcpConnectionFails, BgpOpen, BgpHeaderErr, BgpOpenMsgErr,
                           OpenCollisionDump, NotifMsgVerErr, NotifMsg, KeepAliveMsg, UpdateMsg, UpdateMsgErr,
                           SendHoldTimerExpires, RouteRefreshMsg>;

// Makes the NotifMsgVerErr / NotifMsg event for a received NOTIFICATION.
Event notification_event(wire::NotificationMessage n);

// ---- Actions, run by the caller in the order given ----
struct ConnectTcp {
  friend bool operator==(const ConnectTcp&, const ConnectTcp&) = default;
};
struct CloseTcp {  // close the connection (after sending anything queued) or abort the attempt
  // Drop the queued messages not yet being written (the NOTIFICATION just sent stays):
  // the peer is behind or not reading at all (RFC 9687, output cap), so what it would
  // get later no longer matters.
  bool discard_output = false;
  friend bool operator==(const CloseTcp&, const CloseTcp&) = default;
};
struct SendOpen {
  wire::OpenMessage open;
  friend bool operator==(const SendOpen&, const SendOpen&) = default;
};
struct SendKeepalive {
  friend bool operator==(const SendKeepalive&, const SendKeepalive&) = default;
};
struct SendNotification {
  wire::NotificationMessage notification;
  friend bool operator==(const SendNotification&, const SendNotification&) = default;
};
struct StartTimer {  // (re)start: a running timer of the same kind is replaced
  Timer timer = Timer::ConnectRetry;
  std::uint32_t seconds = 0;
  friend bool operator==(const StartTimer&, const StartTimer&) = default;
};
struct StopTimer {
  Timer timer = Timer::ConnectRetry;
  friend bool operator==(const StopTimer&, const StopTimer&) = default;
};
struct SessionUp {
  Negotiated negotiated;
  friend bool operator==(const SessionUp&, const SessionUp&) = default;
};
struct SessionDown {
  std::string reason;            // "hold timer expired", "NOTIFICATION received: Cease/..."
  bool was_established = false;  // a SessionUp preceded it: the peer's routes must go
  friend bool operator==(const SessionDown&, const SessionDown&) = default;
};

using Action = std::variant<ConnectTcp, CloseTcp, SendOpen, SendKeepalive, SendNotification, StartTimer, StopTimer,
                            SessionUp, SessionDown>;

// ---- The state the caller keeps per connection (a value) ----
struct FsmState {
  State state = State::Idle;
  std::uint32_t connect_retry_counter = 0;   // failures since the last manual start/stop
  std::uint32_t connect_retry_interval = 0;  // next ConnectRetry period; 0: config's connect_retry
  bool passive = false;                      // started passive, or configured so
  bool restart_pending = false;              // Idle, with the ConnectRetry timer as restart delay
  SharedValue<wire::OpenMessage> local_open;  // what we sent (OpenSent on)
  SharedValue<wire::OpenMessage> peer_open;   // what the peer sent (OpenConfirm on)
  SharedValue<Negotiated> negotiated;         // OpenConfirm on

  friend bool operator==(const FsmState&, const FsmState&) = default;
};

struct Transition {
  FsmState next;
  std::vector<Action> actions;
};

// The whole FSM: RFC 4271 §8.2.2 with the choices listed at the top of this file.
Transition step(const FsmState& s, const Event& e, const PeerConfig& cfg);

// Names for logs, show and test messages: "OpenConfirm", "HoldTimerExpires (10)",
// "StartTimer(Hold, 90)".
std::string_view to_string(State s);
std::string_view to_string(Timer t);
std::string event_name(const Event& e);
std::string to_string(const Action& a);

}  // namespace evpnd::bgp::fsm
