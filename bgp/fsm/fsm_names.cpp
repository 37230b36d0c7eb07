// Text for states, events and actions (logs, show, test failure messages).
#include <type_traits>

#include "bgp/fsm/fsm.hpp"

namespace evpnd::bgp::fsm {
namespace {

template <class T>
constexpr std::string_view event_label() {
  if constexpr (std::is_same_v<T, ManualStart>) return "ManualStart (1)";
  else if constexpr (std::is_same_v<T, ManualStop>) return "ManualStop (2)";
  else if constexpr (std::is_same_v<T, AutomaticStart>) return "AutomaticStart (3)";
  else if constexpr (std::is_same_v<T, ManualStartPassive>) return "ManualStartPassive (4)";
  else if constexpr (std::is_same_v<T, AutomaticStartPassive>) return "AutomaticStartPassive (5)";
  else if constexpr (std::is_same_v<T, AutomaticStop>) return "AutomaticStop (8)";
  else if constexpr (std::is_same_v<T, ConnectRetryTimerExpires>) return "ConnectRetryTimerExpires (9)";
  else if constexpr (std::is_same_v<T, HoldTimerExpires>) return "HoldTimerExpires (10)";
  else if constexpr (std::is_same_v<T, KeepaliveTimerExpires>) return "KeepaliveTimerExpires (11)";
  else if constexpr (std::is_same_v<T, TcpCrAcked>) return "TcpCrAcked (16)";
  else if constexpr (std::is_same_v<T, TcpConnectionConfirmed>) return "TcpConnectionConfirmed (17)";
  else if constexpr (std::is_same_v<T, TcpConnectionFails>) return "TcpConnectionFails (18)";
  else if constexpr (std::is_same_v<T, BgpOpen>) return "BgpOpen (19)";
  else if constexpr (std::is_same_v<T, BgpHeaderErr>) return "BgpHeaderErr (21)";
  else if constexpr (std::is_same_v<T, BgpOpenMsgErr>) return "BgpOpenMsgErr (22)";
  else if constexpr (std::is_same_v<T, OpenCollisionDump>) return "OpenCollisionDump (23)";
  else if constexpr (std::is_same_v<T, NotifMsgVerErr>) return "NotifMsgVerErr (24)";
  else if constexpr (std::is_same_v<T, NotifMsg>) return "NotifMsg (25)";
  else if constexpr (std::is_same_v<T, KeepAliveMsg>) return "KeepAliveMsg (26)";
  else if constexpr (std::is_same_v<T, UpdateMsg>) return "UpdateMsg (27)";
  else if constexpr (std::is_same_v<T, UpdateMsgErr>) return "UpdateMsgErr (28)";
  else if constexpr (std::is_same_v<T, SendHoldTimerExpires>) return "SendHoldTimerExpires (29, RFC 9687)";
  else if constexpr (std::is_same_v<T, RouteRefreshMsg>) return "RouteRefreshMsg";
  else static_assert(!sizeof(T), "name every event");
}

std::string notification_text(const wire::NotificationMessage& n) {
  return std::to_string(n.code) + "/" + std::to_string(n.subcode) + " " + std::string(wire::error_code_name(n.code)) +
         "/" + std::string(wire::error_subcode_name(n.code, n.subcode));
}

}  // namespace

std::string_view to_string(State s) {
  switch (s) {
    case State::Idle: return "Idle";
    case State::Connect: return "Connect";
    case State::Active: return "Active";
    case State::OpenSent: return "OpenSent";
    case State::OpenConfirm: return "OpenConfirm";
    case State::Established: return "Established";
  }
  return "?";
}

std::string_view to_string(Timer t) {
  switch (t) {
    case Timer::ConnectRetry: return "ConnectRetry";
    case Timer::Hold: return "Hold";
    case Timer::Keepalive: return "Keepalive";
  }
  return "?";
}

std::string event_name(const Event& e) {
  return std::visit([](const auto& ev) { return std::string(event_label<std::decay_t<decltype(ev)>>()); }, e);
}

std::string to_string(const Action& a) {
  return std::visit(
      [](const auto& act) -> std::string {
        using A = std::decay_t<decltype(act)>;
        if constexpr (std::is_same_v<A, ConnectTcp>) return "ConnectTcp";
        else if constexpr (std::is_same_v<A, CloseTcp>) return act.discard_output ? "CloseTcp(discard output)" : "CloseTcp";
        else if constexpr (std::is_same_v<A, SendOpen>)
          return "SendOpen(AS " + std::to_string(act.open.my_as) + ", hold " + std::to_string(act.open.hold_time) +
                 ", id " + act.open.bgp_id.to_string() + ")";
        else if constexpr (std::is_same_v<A, SendKeepalive>) return "SendKeepalive";
        else if constexpr (std::is_same_v<A, SendNotification>)
          return "SendNotification(" + notification_text(act.notification) + ")";
        else if constexpr (std::is_same_v<A, StartTimer>)
          return "StartTimer(" + std::string(to_string(act.timer)) + ", " + std::to_string(act.seconds) + ")";
        else if constexpr (std::is_same_v<A, StopTimer>) return "StopTimer(" + std::string(to_string(act.timer)) + ")";
        else if constexpr (std::is_same_v<A, SessionUp>)
          return "SessionUp(AS " + std::to_string(act.negotiated.peer_as.value) + ", hold " +
                 std::to_string(act.negotiated.hold_time) + ")";
        else if constexpr (std::is_same_v<A, SessionDown>)
          return std::string("SessionDown(") + (act.was_established ? "was up, " : "") + act.reason + ")";
        else static_assert(!sizeof(A), "name every action");
      },
      a);
}

}  // namespace evpnd::bgp::fsm
