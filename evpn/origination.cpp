#include "evpn/origination.hpp"

#include <variant>

namespace evpnd::evpn {

namespace wire = bgp::wire;

namespace {
wire::ByteVec address_bytes(const wire::IpAddress& a) { return wire::ByteVec(a.data(), a.data() + a.size()); }
}  // namespace

wire::PathAttributes origination_attributes(const EvpnRoute& route, const OriginationParams& p) {
  wire::PathAttributes a;
  a.origin = wire::Origin::Igp;
  a.mp_reach = wire::MpReach{wire::AfiSafi::l2vpn_evpn(), address_bytes(p.next_hop), {}, {}, {}};
  for (const auto& rt : p.route_targets) a.extended_communities.push_back(rt.encode());
  a.extended_communities.push_back(Encapsulation{Encapsulation::kVxlan}.encode());
  const bool mac_route = std::holds_alternative<MacIpRoute>(route);
  if (mac_route && (p.mobility_sequence > 0 || p.sticky))
    a.extended_communities.push_back(MacMobility{p.sticky, p.mobility_sequence}.encode());
  if (p.router_mac) a.extended_communities.push_back(RouterMac{*p.router_mac}.encode());
  if (p.default_gateway) a.extended_communities.push_back(DefaultGateway{}.encode());
  if (const auto* imet = std::get_if<ImetRoute>(&route))
    a.pmsi_tunnel = wire::PmsiTunnel{0, wire::PmsiTunnel::kIngressReplication, p.vni, address_bytes(imet->originating_ip)};
  return a;
}

std::vector<EvpnNlri> consecutive_macs(const MacIpRoute& first, std::uint32_t count) {
  std::vector<EvpnNlri> out(count, EvpnNlri{std::nullopt, first});
  std::uint64_t base = 0;
  for (auto b : first.mac.bytes) base = (base << 8) | b;
  for (std::uint32_t i = 0; i < count; ++i) {
    auto& m = std::get<MacIpRoute>(out[i].route).mac;
    std::uint64_t v = base + i;
    for (int b = 5; b >= 0; --b, v >>= 8) m.bytes[static_cast<std::size_t>(b)] = static_cast<std::uint8_t>(v);
  }
  return out;
}

}  // namespace evpnd::evpn
