#pragma once
// What EVPN consumers need from a path's attributes, decoded once when the attribute set
// is interned: best path (MAC mobility), import (route targets), the VTEP (encapsulation,
// router MAC, the next hop as an address). Nobody downstream walks the extended
// communities again.
#include <optional>
#include <vector>

#include "bgp/wire/types.hpp"
#include "bgp/wire/update.hpp"
#include "evpn/ext_community.hpp"

namespace evpnd::rib {

struct EvpnSummary {
  std::vector<evpn::RouteTarget> route_targets;  // in the order received
  // RFC 7432 §7.7: no MAC Mobility community means sequence 0, not sticky.
  std::uint32_t mobility_sequence = 0;
  bool sticky = false;
  bool has_mobility = false;
  std::optional<std::uint16_t> encapsulation;    // RFC 9012 tunnel type
  std::optional<evpn::MacAddress> router_mac;    // RFC 9135 §8.1
  std::optional<bgp::wire::IpAddress> next_hop;  // the MP_REACH next hop (the VTEP)
  friend bool operator==(const EvpnSummary&, const EvpnSummary&) = default;
};

EvpnSummary summarize_evpn(const bgp::wire::PathAttributes& attrs);

}  // namespace evpnd::rib
