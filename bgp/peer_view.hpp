#pragma once
// A read-only snapshot of one peer, for `show` and the management API. Plain values:
// cli/ renders it without touching sessions.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bgp/fsm/fsm.hpp"
#include "bgp/session.hpp"
#include "bgp/wire/types.hpp"

namespace evpnd::bgp {

struct PeerView {
  wire::IpAddress address;
  std::string description;
  fsm::RemoteAsKind remote_as_kind = fsm::RemoteAsKind::Number;
  wire::Asn configured_remote_as;
  std::optional<wire::Asn> remote_as;        // learned from the OPEN
  std::optional<wire::RouterId> remote_id;
  std::string remote_hostname;                // FQDN capability
  fsm::State state = fsm::State::Idle;
  bool ibgp = false;
  bool passive = false;
  // RFC 8212: eBGP with `bgp ebgp-requires-policy` and no policy: nothing in, nothing out.
  bool policy_blocked = false;
  std::vector<wire::AfiSafi> families;        // negotiated (when Established)
  std::uint16_t hold_time = 0;                // negotiated
  std::uint16_t keepalive = 0;
  std::uint16_t configured_hold_time = 0;
  std::uint16_t configured_keepalive = 0;
  std::optional<std::chrono::steady_clock::time_point> established_since;
  std::uint32_t established_transitions = 0;
  std::uint32_t dropped = 0;
  std::size_t prefixes_received = 0;          // EVPN paths in the Adj-RIB-In
  std::size_t prefixes_sent = 0;
  std::size_t prefixes_filtered = 0;
  std::size_t prefixes_looped = 0;            // our AS in their AS_PATH (RFC 4271 §9.1.2)
  std::uint64_t end_of_rib_received = 0;
  std::string last_error;
  std::string local_address;                  // of the current connection
  SessionCounters counters;
};

}  // namespace evpnd::bgp
