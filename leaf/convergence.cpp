#include "leaf/convergence.hpp"

#include <algorithm>

namespace evpnd::leaf {

bool evpn_peers_converged(const bgp::BgpConfig& config, std::span<const bgp::PeerView> peers) {
  bool any = false;
  for (const auto& n : config.neighbors) {
    if (!n.l2vpn_evpn) continue;
    any = true;
    const auto p = std::find_if(peers.begin(), peers.end(), [&](const bgp::PeerView& v) { return v.address == n.address; });
    if (p == peers.end() || p->state != bgp::fsm::State::Established) return false;
    const auto& eor = p->end_of_rib_families;
    if (std::find(eor.begin(), eor.end(), bgp::wire::AfiSafi::l2vpn_evpn()) == eor.end()) return false;
  }
  return any;
}

}  // namespace evpnd::leaf
