#pragma once
// The rules for the attributes of an EVPN route evpnd originates, in one place (the VTEP
// model of issue 7 and the `test evpn originate` hook both use them):
//   - the next hop is the VTEP address, carried in MP_REACH (RFC 7432 §7, RFC 8365 §5.1.3);
//   - the BGP Encapsulation extended community says VXLAN on every route (RFC 8365 §5.1.3,
//     INTEROP §1/§2: without it receivers may read the label as an MPLS label, not a VNI);
//   - the label is the VNI itself, 24 bits (RFC 8365 §5.1.3);
//   - a Type-3 carries a PMSI Tunnel attribute of type ingress replication whose tunnel
//     endpoint is the originating router's IP and whose label is the VNI (RFC 7432 §11.1,
//     RFC 8365 §5.1.3; INTEROP §3/§4);
//   - the MAC Mobility community goes on a Type-2 only when its sequence is above 0 or
//     the MAC is sticky (RFC 7432 §15.1: absent means sequence 0);
//   - the router's MAC (RFC 9135 §8.1) and the default gateway community (RFC 7432
//     §7.8) when asked for.
// No I/O: values in, attributes out.
#include <cstdint>
#include <optional>
#include <vector>

#include "bgp/wire/update.hpp"
#include "evpn/ext_community.hpp"
#include "evpn/nlri.hpp"

namespace evpnd::evpn {

struct OriginationParams {
  bgp::wire::IpAddress next_hop;  // the VTEP
  std::vector<RouteTarget> route_targets;
  std::uint32_t vni = 0;
  std::uint32_t mobility_sequence = 0;
  bool sticky = false;
  std::optional<MacAddress> router_mac;
  bool default_gateway = false;
};

// The attributes of `route` (a Type-2 or a Type-3; others get the common part only).
// ORIGIN IGP; AS_PATH and LOCAL_PREF are the export's (per peer), not the route's.
bgp::wire::PathAttributes origination_attributes(const EvpnRoute& route, const OriginationParams& p);

// `count` copies of `first` whose MACs count up from first's (02:..:ff is followed by
// 02:..:01:00): bulk routes for tests and benchmarks.
std::vector<EvpnNlri> consecutive_macs(const MacIpRoute& first, std::uint32_t count);

}  // namespace evpnd::evpn
