#pragma once
// An EVPN route split in two (RFC 7432 §7, RFC 9136 §3.1, INTEROP §11): the key, which
// identifies the route in a table (EvpnRouteKey), and the rest, which belongs to each
// path (ESI, labels, gateway IP). A table stores the key once and each path's RouteData
// beside it; join() puts the route back together for encoding and show.
//
//   type  key (route_key)                     data (RouteData)
//   1     RD, ESI, Ethernet Tag               label
//   2     RD, Ethernet Tag, MAC, IP           ESI, label1, label2
//   3     RD, Ethernet Tag, originating IP    -
//   4     RD, ESI, originating IP             -
//   5     RD, Ethernet Tag, prefix, length    ESI, gateway IP, label
//   other the whole body                      -
#include <optional>

#include "evpn/nlri.hpp"

namespace evpnd::evpn {

struct RouteData {
  EthernetSegmentId esi{};                 // Types 2 and 5 (1 and 4 have it in the key)
  Label label{};                           // Type 1 label, Type 2 label1, Type 5 label
  std::optional<Label> label2;             // Type 2, symmetric IRB (RFC 9135)
  std::optional<wire::IpAddress> gateway;  // Type 5 (the family of its prefix)
  friend bool operator==(const RouteData&, const RouteData&) = default;
};

RouteData route_data(const EvpnRoute& r);
// The route whose key is `k` and whose path data is `d`: join(route_key(r), route_data(r)) == r.
EvpnRoute join(const EvpnRouteKey& k, const RouteData& d);

}  // namespace evpnd::evpn
