#pragma once
// The BGP instance's configuration as the config file and `show running-config` know it
// (FRR's `router bgp` stanza). cli/ parses and prints it; the speaker runs it.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bgp/fsm/peer_config.hpp"
#include "bgp/wire/types.hpp"

namespace evpnd::bgp {

struct NeighborConfig {
  wire::IpAddress address;
  fsm::RemoteAsKind remote_as_kind = fsm::RemoteAsKind::Number;
  wire::Asn remote_as;
  std::optional<std::uint16_t> keepalive;      // `neighbor X timers K H`
  std::optional<std::uint16_t> hold_time;
  std::optional<std::uint16_t> connect_retry;  // `neighbor X timers connect N`
  bool passive = false;
  std::optional<std::string> update_source;    // an address or an interface name
  std::string description;
  std::optional<std::uint16_t> port;           // `neighbor X port N` (tests, non-default peers)
  // Address families: ipv4 unicast is active unless `no bgp default ipv4-unicast`
  // or `no neighbor X activate` under `address-family ipv4 unicast`.
  std::optional<bool> ipv4_unicast;            // explicit activate / no activate
  bool l2vpn_evpn = false;
};

struct BgpConfig {
  std::string hostname;                         // `hostname NAME` (sent in the FQDN capability)
  std::optional<wire::Asn> asn;                 // `router bgp ASN`; unset: no BGP instance
  std::optional<wire::RouterId> router_id;      // `bgp router-id A.B.C.D`
  bool default_ipv4_unicast = true;             // `no bgp default ipv4-unicast`
  bool ebgp_requires_policy = true;             // RFC 8212 (FRR default on)
  std::vector<NeighborConfig> neighbors;

  [[nodiscard]] const NeighborConfig* find_neighbor(const wire::IpAddress& a) const {
    for (const auto& n : neighbors)
      if (n.address == a) return &n;
    return nullptr;
  }
};

}  // namespace evpnd::bgp
