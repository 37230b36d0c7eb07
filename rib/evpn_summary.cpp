#include "rib/evpn_summary.hpp"

namespace evpnd::rib {

EvpnSummary summarize_evpn(const bgp::wire::PathAttributes& attrs) {
  EvpnSummary s;
  for (const auto& c : attrs.extended_communities) {
    if (auto rt = evpn::RouteTarget::decode(c)) {
      s.route_targets.push_back(*rt);
    } else if (auto mm = evpn::MacMobility::decode(c); mm && !s.has_mobility) {
      // RFC 7432 §7.7 allows one; the first counts, as in FRR.
      s.has_mobility = true;
      s.mobility_sequence = mm->sequence;
      s.sticky = mm->sticky;
    } else if (auto enc = evpn::Encapsulation::decode(c); enc && !s.encapsulation) {
      s.encapsulation = enc->tunnel_type;
    } else if (auto rmac = evpn::RouterMac::decode(c); rmac && !s.router_mac) {
      s.router_mac = rmac->mac;
    }
  }
  if (attrs.mp_reach) s.next_hop = attrs.mp_reach->next_hop_address();
  if (!s.next_hop && attrs.next_hop) s.next_hop = attrs.next_hop;
  return s;
}

}  // namespace evpnd::rib
