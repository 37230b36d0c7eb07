#pragma once
// The BGP instance's configuration as the config file and `show running-config` know it
// (FRR's `router bgp` stanza). cli/ parses and prints it; the speaker runs it.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bgp/fsm/peer_config.hpp"
#include "bgp/wire/types.hpp"
#include "bgp/wire/update.hpp"
#include "evpn/instance.hpp"

namespace evpnd::bgp {

// RFC 2385 keys are at most 80 octets on Linux (TCP_MD5SIG_MAXKEYLEN), as in FRR.
constexpr std::size_t kMaxPasswordLength = 80;

// `neighbor X maximum-prefix N [THRESHOLD] [warning-only] [restart MINUTES]` in an
// address family (FRR's syntax and defaults).
struct MaximumPrefix {
  std::uint32_t limit = 0;
  std::uint8_t threshold_percent = 75;  // warn from this share of the limit on
  bool warning_only = false;            // only warn; the session stays
  std::uint16_t restart_minutes = 0;    // 0: down until `clear bgp`
  friend bool operator==(const MaximumPrefix&, const MaximumPrefix&) = default;
};

// What a neighbor does differently in one address family (FRR's per-AF peer flags).
struct NeighborFamilyOptions {
  bool route_reflector_client = false;    // `neighbor X route-reflector-client` (RFC 4456)
  // `neighbor X allowas-in [N]`: accept routes with our AS in the AS_PATH up to N times
  // (FRR's default N is 3).
  std::optional<std::uint8_t> allowas_in;
  // `neighbor X next-hop-self`: paths learned from eBGP go out with our address as next
  // hop; with `force`, reflected ones (iBGP to iBGP) too. FRR's rule: plain
  // next-hop-self leaves a reflected path's next hop alone.
  bool next_hop_self = false;
  bool next_hop_self_force = false;
  // `neighbor X attribute-unchanged next-hop`: the next hop is passed on as received.
  // That is already evpnd's default for l2vpn evpn (INTEROP §5); kept to round-trip.
  bool next_hop_unchanged = false;
  friend bool operator==(const NeighborFamilyOptions&, const NeighborFamilyOptions&) = default;
};
inline constexpr std::uint8_t kDefaultAllowasIn = 3;

struct NeighborConfig {
  wire::IpAddress address;
  fsm::RemoteAsKind remote_as_kind = fsm::RemoteAsKind::Number;
  wire::Asn remote_as;
  std::optional<std::uint16_t> keepalive;      // `neighbor X timers K H`
  std::optional<std::uint16_t> hold_time;
  std::optional<std::uint16_t> connect_retry;  // `neighbor X timers connect N`
  // `neighbor X timers send-hold N` (ours): RFC 9687 SendHoldTime; unset: the RFC's
  // max(8 minutes, 2 x negotiated hold time).
  std::optional<std::uint16_t> send_hold_time;
  std::string password;                        // `neighbor X password WORD` (TCP-MD5, RFC 2385)
  std::optional<std::uint8_t> ttl_security_hops;  // `neighbor X ttl-security hops N` (RFC 5082)
  bool passive = false;
  std::optional<std::string> update_source;    // an address or an interface name
  std::string description;
  std::optional<std::uint16_t> port;           // `neighbor X port N` (tests, non-default peers)
  // Address families: ipv4 unicast is active unless `no bgp default ipv4-unicast`
  // or `no neighbor X activate` under `address-family ipv4 unicast`.
  // The parser stores it only where it differs from BgpConfig::default_ipv4_unicast
  // (FRR fixes a neighbor's ipv4 state when the neighbor is created); read it through
  // BgpConfig::ipv4_unicast_active().
  std::optional<bool> ipv4_unicast;            // explicit activate / no activate
  bool l2vpn_evpn = false;
  std::optional<MaximumPrefix> maximum_prefix_ipv4;
  std::optional<MaximumPrefix> maximum_prefix_evpn;
  NeighborFamilyOptions ipv4_options;
  NeighborFamilyOptions evpn_options;

  friend bool operator==(const NeighborConfig&, const NeighborConfig&) = default;
};

// `frr defaults PROFILE`: FRR's per-profile defaults that matter to us. The datacenter
// profile turns RFC 8212 off and uses fast timers (bgpd/bgp_vty.c, bgpd/bgp_vty.h
// FRR_CFG_DEFAULT_*).
enum class DefaultsProfile : std::uint8_t { Traditional, Datacenter };

struct TimerDefaults {
  std::uint16_t keepalive;
  std::uint16_t hold_time;
  std::uint16_t connect_retry;
};

// `bgp graceful-restart` (RFC 4724), the restarting speaker's side: evpnd advertises the
// capability, with the Forwarding State bit for l2vpn evpn (the kernel keeps the FDB
// entries evpnd installed while it restarts; the leaf adopts them again) and for the
// other families only with `preserve-fw-state`, as FRR does; and ends its sessions
// without a NOTIFICATION when it stops, so that helpers keep its routes meanwhile.
struct GracefulRestartConfig {
  bool enabled = false;
  std::uint16_t restart_time = 120;  // `bgp graceful-restart restart-time N` (FRR's default)
  bool preserve_fw_state = false;    // `bgp graceful-restart preserve-fw-state`
  friend bool operator==(const GracefulRestartConfig&, const GracefulRestartConfig&) = default;
};

struct BgpConfig {
  std::string hostname;                         // `hostname NAME` (sent in the FQDN capability)
  std::optional<wire::Asn> asn;                 // `router bgp ASN`; unset: no BGP instance
  std::optional<wire::RouterId> router_id;      // `bgp router-id A.B.C.D`
  // `bgp cluster-id A.B.C.D` (RFC 4456 §7); unset: the router ID, as the RFC says.
  std::optional<wire::RouterId> cluster_id;
  bool default_ipv4_unicast = true;             // `no bgp default ipv4-unicast`
  bool ebgp_requires_policy = true;             // RFC 8212 (FRR default on)
  GracefulRestartConfig graceful_restart;
  DefaultsProfile defaults_profile = DefaultsProfile::Traditional;  // `frr defaults`
  // `advertise-all-vni` under `address-family l2vpn evpn`: every L2VNI the kernel has
  // (leaf/leaf.hpp) is an EVPN instance; without it, as in FRR, none is.
  bool advertise_all_vni = false;
  // `vni N` stanzas (rd, route-target) and `vni N create ...` lines, by VNI.
  std::vector<evpn::VniConfig> vnis;
  // `autort rfc8365-compatible`: auto RTs in RFC 8365's form (evpn/instance.hpp).
  bool autort_rfc8365 = false;
  // `bgp evpn unknown-route-types reflect` (ours; FRR has none): keep EVPN routes of
  // unknown types, opaque, instead of discarding them (RFC 7606 §5.4), so that a route
  // reflector in a mixed-vendor fabric passes them on.
  bool evpn_unknown_route_types_reflect = false;
  std::vector<NeighborConfig> neighbors;
  // `network A.B.C.D/M` under `address-family ipv4 unicast`: prefixes this speaker
  // originates (a VTEP loopback, say), in the order written; no path ids.
  std::vector<wire::Prefix> networks;

  friend bool operator==(const BgpConfig&, const BgpConfig&) = default;

  // Timers for a neighbor without `neighbor X timers ...` (FRR: 60/180/120 traditional,
  // 3/9/10 datacenter).
  [[nodiscard]] TimerDefaults timer_defaults() const {
    if (defaults_profile == DefaultsProfile::Datacenter) return {3, 9, 10};
    return {60, 180, 120};
  }
  [[nodiscard]] bool ipv4_unicast_active(const NeighborConfig& n) const {
    return n.ipv4_unicast.value_or(default_ipv4_unicast);
  }

  [[nodiscard]] const evpn::VniConfig* find_vni(evpn::Vni vni) const {
    for (const auto& v : vnis)
      if (v.vni == vni) return &v;
    return nullptr;
  }
  [[nodiscard]] const NeighborConfig* find_neighbor(const wire::IpAddress& a) const {
    for (const auto& n : neighbors)
      if (n.address == a) return &n;
    return nullptr;
  }
};

}  // namespace evpnd::bgp
