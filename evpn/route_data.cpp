#include "evpn/route_data.hpp"

namespace evpnd::evpn {

RouteData route_data(const EvpnRoute& r) {
  RouteData d;
  if (const auto* x = std::get_if<EadRoute>(&r)) {
    d.label = x->label;
  } else if (const auto* x = std::get_if<MacIpRoute>(&r)) {
    d.esi = x->esi;
    d.label = x->label1;
    d.label2 = x->label2;
  } else if (const auto* x = std::get_if<IpPrefixRoute>(&r)) {
    d.esi = x->esi;
    d.label = x->label;
    d.gateway = x->gateway;
  }
  return d;
}

EvpnRoute join(const EvpnRouteKey& k, const RouteData& d) {
  EvpnRoute r = route_of_key(k);
  if (auto* x = std::get_if<EadRoute>(&r)) {
    x->label = d.label;
  } else if (auto* x = std::get_if<MacIpRoute>(&r)) {
    x->esi = d.esi;
    x->label1 = d.label;
    x->label2 = d.label2;
  } else if (auto* x = std::get_if<IpPrefixRoute>(&r)) {
    x->esi = d.esi;
    x->label = d.label;
    if (d.gateway) x->gateway = *d.gateway;
  }
  return r;
}

}  // namespace evpnd::evpn
