#pragma once
// A read-only snapshot of one peer, for `show` and the management API. Plain values:
// cli/ renders it without touching sessions.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bgp/finding_log.hpp"
#include "bgp/fsm/fsm.hpp"
#include "bgp/session_counters.hpp"
#include "bgp/wire/types.hpp"

namespace evpnd::bgp {

struct PeerView {
  wire::IpAddress address;
  std::uint32_t rib_id = 0;                   // the peer's source id in the Loc-RIB (rib::PeerId)
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
  std::size_t ipv4_prefixes_received = 0;     // IPv4 unicast paths in the Adj-RIB-In
  std::size_t prefixes_sent = 0;              // EVPN keys in the Adj-RIB-Out
  std::size_t ipv4_prefixes_sent = 0;
  std::size_t prefixes_filtered = 0;
  std::size_t prefixes_looped = 0;            // our AS in their AS_PATH (RFC 4271 §9.1.2)
  std::uint64_t end_of_rib_received = 0;
  std::vector<wire::AfiSafi> end_of_rib_families;  // End-of-RIB received in this session
  bool graceful_restart_configured = false;   // `bgp graceful-restart`
  bool peer_graceful_restart = false;         // the peer sent the capability (this session)
  bool graceful_restart = false;              // both did: we stop without a NOTIFICATION
  std::uint64_t unknown_route_types = 0;      // EVPN NLRI of unknown types (RFC 7606 §5.4)
  std::uint64_t not_negotiated = 0;           // NLRI of families not negotiated, ignored
  std::uint64_t invalid_type5 = 0;            // Type-5 treated as withdrawn (RFC 9136 §3)
  std::uint64_t refresh_ignored = 0;          // ROUTE-REFRESH ignored (RFC 2918 §4, RFC 7313 §5)
  std::vector<FindingLog::Entry> findings;    // RFC 7606 findings and interop notes, per rule
  bool password = false;                      // TCP-MD5 configured
  std::uint8_t ttl_security_hops = 0;
  std::size_t queued_bytes = 0;               // encoded output waiting for the socket
  bool prefix_overflow = false;
  std::uint64_t collisions_resolved = 0;      // connections closed by RFC 4271 §6.8 resolution               // down after maximum-prefix (FRR's "Idle (PfxCt)")
  std::string last_error;
  std::string last_reset;                     // why the last Established session ended
  std::string local_address;                  // of the current connection
  SessionCounters counters;
};

}  // namespace evpnd::bgp
