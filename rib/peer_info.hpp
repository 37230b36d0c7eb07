#pragma once
// Where a path came from, as the RIB sees it: a small integer per source (PeerId) and
// what best path and export need to know about that source (PeerInfo). "Local" (routes
// this speaker originates) is a source like any other, with id kLocalPeer, so that every
// path has a real origin and no code compares a peer name with the string "local".
#include <compare>
#include <cstdint>

#include "bgp/wire/types.hpp"

namespace evpnd::rib {

struct PeerId {
  std::uint32_t value = 0;
  friend auto operator<=>(const PeerId&, const PeerId&) = default;
};
inline constexpr PeerId kLocalPeer{0};

struct PeerInfo {
  bgp::wire::IpAddress address;   // unspecified for kLocalPeer
  bgp::wire::RouterId router_id;  // the peer's BGP Identifier (ours for kLocalPeer)
  std::uint32_t asn = 0;          // the peer's AS (ours for kLocalPeer)
  bool ibgp = true;
  bool rr_client = false;         // RFC 4456: `neighbor X route-reflector-client`
  // FRR's `neighbor X weight`: the first step of best path, local to this speaker. FRR
  // gives routes it originates 32768, so they win over any learned path of weight 0.
  std::uint32_t weight = 0;
  [[nodiscard]] bool local() const { return address.is_unspecified(); }
};

// FRR's weight for locally originated routes (bgp_route.c, BGP_ATTR_DEFAULT_WEIGHT).
inline constexpr std::uint32_t kLocalWeight = 32768;

}  // namespace evpnd::rib
