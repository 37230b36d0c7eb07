#pragma once
// When may a restarted leaf remove what its earlier life installed and nothing now wants?
// Once every EVPN peer it is configured for has sent its whole table again: Established,
// with the l2vpn evpn End-of-RIB of this session received (RFC 4724 §4.1: the restarting
// speaker waits for End-of-RIB from its peers before it removes stale forwarding
// state). A peer that is not up yet, or one that never sends End-of-RIB, leaves the
// decision to the leaf's timer.
#include <span>

#include "bgp/config.hpp"
#include "bgp/peer_view.hpp"

namespace evpnd::leaf {

[[nodiscard]] bool evpn_peers_converged(const bgp::BgpConfig& config, std::span<const bgp::PeerView> peers);

}  // namespace evpnd::leaf
