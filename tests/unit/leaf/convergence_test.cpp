// leaf::evpn_peers_converged: a restarted leaf sweeps its stale kernel entries only once
// every configured EVPN peer is back with its End-of-RIB.
#include "leaf/convergence.hpp"

#include <gtest/gtest.h>

namespace evpnd::leaf {
namespace {

using bgp::wire::AfiSafi;

bgp::NeighborConfig neighbor(const char* address, bool evpn) {
  bgp::NeighborConfig n;
  n.address = *bgp::wire::IpAddress::parse(address);
  n.l2vpn_evpn = evpn;
  return n;
}

bgp::PeerView peer(const char* address, bgp::fsm::State state, std::vector<AfiSafi> eor) {
  bgp::PeerView v;
  v.address = *bgp::wire::IpAddress::parse(address);
  v.state = state;
  v.end_of_rib_families = std::move(eor);
  return v;
}

constexpr auto kUp = bgp::fsm::State::Established;

TEST(EvpnPeersConverged, EveryEvpnPeerEstablishedWithItsEndOfRib) {
  bgp::BgpConfig c;
  c.neighbors = {neighbor("10.0.0.1", true), neighbor("10.0.0.2", true)};
  EXPECT_TRUE(evpn_peers_converged(c, std::vector{peer("10.0.0.1", kUp, {AfiSafi::l2vpn_evpn()}),
                                                  peer("10.0.0.2", kUp, {AfiSafi::ipv4_unicast(), AfiSafi::l2vpn_evpn()})}));
}

TEST(EvpnPeersConverged, OnePeerStillSendingOrDownOrMissingIsNotConverged) {
  bgp::BgpConfig c;
  c.neighbors = {neighbor("10.0.0.1", true), neighbor("10.0.0.2", true)};
  const auto done = peer("10.0.0.1", kUp, {AfiSafi::l2vpn_evpn()});
  // Established, but its End-of-RIB is for another family only.
  EXPECT_FALSE(evpn_peers_converged(c, std::vector{done, peer("10.0.0.2", kUp, {AfiSafi::ipv4_unicast()})}));
  // An End-of-RIB from an earlier session does not count once the session is down.
  EXPECT_FALSE(evpn_peers_converged(c, std::vector{done, peer("10.0.0.2", bgp::fsm::State::Active, {})}));
  EXPECT_FALSE(evpn_peers_converged(c, std::vector{done}));
}

TEST(EvpnPeersConverged, PeersWithoutEvpnAreNotWaitedFor) {
  bgp::BgpConfig c;
  c.neighbors = {neighbor("10.0.0.1", true), neighbor("10.0.0.9", false)};
  EXPECT_TRUE(evpn_peers_converged(c, std::vector{peer("10.0.0.1", kUp, {AfiSafi::l2vpn_evpn()}),
                                                  peer("10.0.0.9", bgp::fsm::State::Idle, {})}));
}

TEST(EvpnPeersConverged, NoEvpnPeerAtAllLeavesItToTheTimer) {
  bgp::BgpConfig c;
  EXPECT_FALSE(evpn_peers_converged(c, {}));
  c.neighbors = {neighbor("10.0.0.9", false)};
  EXPECT_FALSE(evpn_peers_converged(c, std::vector{peer("10.0.0.9", kUp, {})}));
}

}  // namespace
}  // namespace evpnd::leaf
