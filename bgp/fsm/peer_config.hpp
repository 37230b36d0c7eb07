#pragma once
// The part of a neighbor's configuration the FSM decides with. Plain values: the FSM
// never sees a socket, a clock or the config file.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bgp/wire/open.hpp"
#include "bgp/wire/types.hpp"

namespace evpnd::bgp::fsm {

// `neighbor X remote-as N|internal|external` (FRR semantics: internal = our AS,
// external = any AS but ours).
enum class RemoteAsKind : std::uint8_t { Number, Internal, External };

struct PeerConfig {
  wire::Asn local_as;
  wire::RouterId local_id;
  RemoteAsKind remote_as_kind = RemoteAsKind::Number;
  wire::Asn remote_as;                 // meaningful when kind == Number
  std::uint16_t hold_time = 180;       // seconds we propose; 0 disables keepalives
  std::uint16_t keepalive = 60;        // seconds; the effective value is min(this, hold/3)
  std::uint16_t connect_retry = 120;   // seconds, base of the back-off
  std::uint16_t connect_retry_max = 600;  // back-off cap
  bool passive = false;                // never connect out; wait for the peer
  std::vector<wire::AfiSafi> families; // families we activate (sent as MP capabilities)
  std::uint16_t min_hold_time = 3;     // RFC 4271 §4.2: a hold time of 1 or 2 is refused
  // Sent in the FQDN capability (FRR's hostname capability) when not empty.
  std::string hostname;
  std::string domain;
  // RFC 7911 ADD-PATH directions we advertise per family; empty: capability not sent.
  std::vector<wire::AddPathCap::Entry> add_path;
  // RFC 4724: the Graceful Restart capability we advertise; none: not sent.
  struct GracefulRestart {
    std::uint16_t restart_time = 120;
    bool restart_state = false;                  // the R bit: we have just restarted
    std::vector<wire::AfiSafi> forwarding_kept;  // families sent with the F bit
    friend bool operator==(const GracefulRestart&, const GracefulRestart&) = default;
  };
  std::optional<GracefulRestart> graceful_restart;
};

}  // namespace evpnd::bgp::fsm
