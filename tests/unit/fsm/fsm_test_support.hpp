#pragma once
// Shared fixtures for the FSM tests: one eBGP EVPN peer configuration, the peer's OPEN
// built with wire::make_open, and readable printing of actions.
#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "bgp/fsm/fsm.hpp"

namespace evpnd::bgp::fsm {

// gtest prints actions through ADL.
inline void PrintTo(const Action& a, std::ostream* os) { *os << to_string(a); }

}  // namespace evpnd::bgp::fsm

namespace evpnd::test::fsm {

namespace f = evpnd::bgp::fsm;
namespace w = evpnd::bgp::wire;

constexpr std::uint32_t kLocalId = 0x0A000001;   // 10.0.0.1
constexpr std::uint32_t kRemoteId = 0x0A000002;  // 10.0.0.2

inline f::PeerConfig config() {
  f::PeerConfig c;
  c.local_as = w::Asn{65001};
  c.local_id = w::RouterId{kLocalId};
  c.remote_as_kind = f::RemoteAsKind::Number;
  c.remote_as = w::Asn{65002};
  c.hold_time = 90;
  c.keepalive = 30;
  c.connect_retry = 30;
  c.connect_retry_max = 120;
  c.families = {w::AfiSafi::l2vpn_evpn()};
  c.hostname = "leaf1";
  return c;
}

// The peer's OPEN as FRR would send it for an EVPN session.
inline w::OpenMessage peer_open(std::uint32_t asn = 65002, std::uint16_t hold = 180, std::uint32_t id = kRemoteId) {
  return w::make_open(w::Asn{asn}, hold, w::RouterId{id},
                      {w::MultiprotocolCap{w::AfiSafi::l2vpn_evpn()}, w::RouteRefreshCap{},
                       w::EnhancedRouteRefreshCap{}, w::FourOctetAsCap{w::Asn{asn}}, w::FqdnCap{"spine1", ""}});
}

inline std::vector<std::string> names(const std::vector<f::Action>& actions) {
  std::vector<std::string> out;
  for (const auto& a : actions) out.push_back(f::to_string(a));
  return out;
}

// Feeds events in order, returning the last transition.
inline f::Transition run(f::FsmState s, const std::vector<f::Event>& events, const f::PeerConfig& cfg) {
  f::Transition t{s, {}};
  for (const auto& e : events) t = f::step(t.next, e, cfg);
  return t;
}

template <class T>
const T* find_action(const std::vector<f::Action>& actions) {
  for (const auto& a : actions)
    if (auto* p = std::get_if<T>(&a)) return p;
  return nullptr;
}

}  // namespace evpnd::test::fsm
