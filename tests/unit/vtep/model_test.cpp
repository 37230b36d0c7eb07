// The VTEP model: local/remote decisions of RFC 7432 §15, DAD, flood lists and
// neighbours, as changes out of events in (vtep/model.hpp).
#include "vtep/model.hpp"

#include <gtest/gtest.h>

#include "support/evpn_values.hpp"

namespace evpnd::vtep {
namespace {

using namespace std::chrono_literals;

using test::ip;
using test::mac;
using test::vni;
const IpAddress kMe = ip("10.0.0.2");
const IpAddress kLow = ip("10.0.0.1");   // below us: wins equal-sequence ties
const IpAddress kHigh = ip("10.0.0.3");  // above us
const TimePoint kT0{};

evpn::MacIpRouteKey key(std::string_view rd, std::uint8_t m, std::optional<std::string_view> host = std::nullopt) {
  evpn::MacIpRouteKey k;
  k.rd = *evpn::RouteDistinguisher::parse(rd);
  k.mac = mac(m);
  if (host) k.ip = ip(*host);
  return k;
}

class ModelTest : public ::testing::Test {
 protected:
  ModelTest() {
    m.add_vni(vni(100), kMe);
    EXPECT_TRUE(m.take_changes().empty());
  }
  Model m;
};

TEST_F(ModelTest, ARemoteMacIsInstalledAndRemovedWithItsRoute) {
  m.remote_mac_route(vni(100), key("10.0.0.1:2", 1), RemoteMacPath{kLow, 0, false}, kT0);
  auto c = m.take_changes();
  ASSERT_EQ(c.forwarding.size(), 1u);
  EXPECT_EQ(c.forwarding[0], Operation(RemoteMac{vni(100), mac(1), kLow, false}));
  EXPECT_TRUE(c.originations.empty());
  m.remote_mac_route(vni(100), key("10.0.0.1:2", 1), std::nullopt, kT0);
  c = m.take_changes();
  ASSERT_EQ(c.forwarding.size(), 1u);
  EXPECT_EQ(c.forwarding[0], Operation(RemoteMacGone{vni(100), mac(1)}));
  EXPECT_EQ(m.find(vni(100))->macs.size(), 0u);
}

TEST_F(ModelTest, MacOnlyAndMacIpRoutesOfOneHostInstallOneEntry) {
  m.remote_mac_route(vni(100), key("10.0.0.1:2", 1), RemoteMacPath{kLow, 0, false}, kT0);
  m.remote_mac_route(vni(100), key("10.0.0.1:2", 1, "192.168.1.1"), RemoteMacPath{kLow, 0, false}, kT0);
  auto c = m.take_changes();
  ASSERT_EQ(c.forwarding.size(), 2u);
  EXPECT_EQ(c.forwarding[0], Operation(RemoteMac{vni(100), mac(1), kLow, false}));
  EXPECT_EQ(c.forwarding[1], Operation(RemoteNeighbor{vni(100), ip("192.168.1.1"), mac(1)}));
  // One of the two routes going leaves the entry where it is.
  m.remote_mac_route(vni(100), key("10.0.0.1:2", 1), std::nullopt, kT0);
  EXPECT_TRUE(m.take_changes().forwarding.empty());
}

TEST_F(ModelTest, ALocalMacIsAdvertisedWithSequenceZero) {
  m.local_mac_learned(vni(100), mac(1), "veth0", false, kT0);
  auto c = m.take_changes();
  EXPECT_TRUE(c.forwarding.empty());
  ASSERT_EQ(c.originations.size(), 1u);
  EXPECT_EQ(c.originations[0], Origination(LocalMacRoute{vni(100), mac(1), std::nullopt, 0, false}));
  // Learned again on the same port: nothing new to say.
  m.local_mac_learned(vni(100), mac(1), "veth0", false, kT0 + 1s);
  EXPECT_TRUE(m.take_changes().empty());
  m.local_mac_gone(vni(100), mac(1));
  c = m.take_changes();
  ASSERT_EQ(c.originations.size(), 1u);
  EXPECT_EQ(c.originations[0], Origination(LocalMacRouteGone{vni(100), mac(1), std::nullopt}));
}

TEST_F(ModelTest, AHostThatMovesHereIsAdvertisedWithTheRemoteSequencePlusOne) {
  m.remote_mac_route(vni(100), key("10.0.0.3:2", 1), RemoteMacPath{kHigh, 4, false}, kT0);
  m.take_changes();
  m.local_mac_learned(vni(100), mac(1), "veth0", false, kT0 + 1s);
  auto c = m.take_changes();
  ASSERT_EQ(c.forwarding.size(), 1u);
  EXPECT_EQ(c.forwarding[0], Operation(RemoteMacGone{vni(100), mac(1)}));
  ASSERT_EQ(c.originations.size(), 1u);
  EXPECT_EQ(c.originations[0], Origination(LocalMacRoute{vni(100), mac(1), std::nullopt, 5, false}));
  // The old VTEP withdraws: we stay as we are.
  m.remote_mac_route(vni(100), key("10.0.0.3:2", 1), std::nullopt, kT0 + 2s);
  EXPECT_TRUE(m.take_changes().empty());
}

TEST_F(ModelTest, AHigherRemoteSequenceMeansTheHostMovedAway) {
  m.local_mac_learned(vni(100), mac(1), "veth0", false, kT0);
  m.take_changes();
  m.remote_mac_route(vni(100), key("10.0.0.3:2", 1), RemoteMacPath{kHigh, 1, false}, kT0 + 1s);
  auto c = m.take_changes();
  ASSERT_EQ(c.originations.size(), 1u);
  EXPECT_EQ(c.originations[0], Origination(LocalMacRouteGone{vni(100), mac(1), std::nullopt}));
  ASSERT_EQ(c.forwarding.size(), 1u);
  EXPECT_EQ(c.forwarding[0], Operation(RemoteMac{vni(100), mac(1), kHigh, false}));
  EXPECT_FALSE(m.find(vni(100))->macs.at(mac(1)).local);
}

// Equal sequences from us and another VTEP: the lower address keeps the MAC (§15.1).
TEST_F(ModelTest, EqualSequenceGoesToTheLowerVtepAddress) {
  m.local_mac_learned(vni(100), mac(1), "veth0", false, kT0);
  m.take_changes();
  m.remote_mac_route(vni(100), key("10.0.0.3:2", 1), RemoteMacPath{kHigh, 0, false}, kT0);
  EXPECT_TRUE(m.take_changes().empty());  // 10.0.0.2 < 10.0.0.3: ours stays
  m.remote_mac_route(vni(100), key("10.0.0.1:2", 1), RemoteMacPath{kLow, 0, false}, kT0);
  auto c = m.take_changes();
  ASSERT_EQ(c.forwarding.size(), 1u);
  EXPECT_EQ(c.forwarding[0], Operation(RemoteMac{vni(100), mac(1), kLow, false}));
}

TEST_F(ModelTest, StaticLocalMacsNeverMoveAndGoOutSticky) {
  m.local_mac_learned(vni(100), mac(1), "veth0", true, kT0);
  auto c = m.take_changes();
  ASSERT_EQ(c.originations.size(), 1u);
  EXPECT_EQ(c.originations[0], Origination(LocalMacRoute{vni(100), mac(1), std::nullopt, 0, true}));
  m.remote_mac_route(vni(100), key("10.0.0.3:2", 1), RemoteMacPath{kHigh, 9, false}, kT0);
  EXPECT_TRUE(m.take_changes().empty());
}

TEST_F(ModelTest, AStickyRemoteMacIsNeverTakenOverLocally) {
  m.remote_mac_route(vni(100), key("10.0.0.3:2", 1), RemoteMacPath{kHigh, 0, true}, kT0);
  auto c = m.take_changes();
  ASSERT_EQ(c.forwarding.size(), 1u);
  EXPECT_EQ(c.forwarding[0], Operation(RemoteMac{vni(100), mac(1), kHigh, true}));
  m.local_mac_learned(vni(100), mac(1), "veth0", false, kT0);
  c = m.take_changes();
  EXPECT_TRUE(c.originations.empty());
  EXPECT_TRUE(c.forwarding.empty());
}

TEST_F(ModelTest, TheAnycastGatewayStaysLocalAndNeverCountsAsAMove) {
  m.set_gateway_mac(vni(100), mac(0xfe));
  m.local_mac_learned(vni(100), mac(0xfe), "br100", true, kT0);
  m.take_changes();
  for (int i = 0; i < 10; ++i)
    m.remote_mac_route(vni(100), key("10.0.0.3:2", 0xfe), RemoteMacPath{kHigh, static_cast<std::uint32_t>(i), false},
                       kT0 + std::chrono::seconds(i));
  EXPECT_TRUE(m.take_changes().forwarding.empty());
  EXPECT_FALSE(m.find(vni(100))->macs.at(mac(0xfe)).duplicate);
}

TEST_F(ModelTest, TheAnycastGatewayIsNeverInstalledRemoteEvenBeforeItIsLearnedHere) {
  // Every VTEP's SVI has it: pointing it at one of them would steal the others' traffic.
  m.set_gateway_mac(vni(100), mac(0xfe));
  m.remote_mac_route(vni(100), key("10.0.0.3:2", 0xfe), RemoteMacPath{kHigh, 0, false}, kT0);
  EXPECT_TRUE(m.take_changes().forwarding.empty());
  // Any other MAC of the same VTEP still is.
  m.remote_mac_route(vni(100), key("10.0.0.3:2", 1), RemoteMacPath{kHigh, 0, false}, kT0);
  EXPECT_EQ(m.take_changes().forwarding.size(), 1u);
}

TEST_F(ModelTest, FiveMovesWithin180SecondsFreezeTheMacUntilCleared) {
  // The host flaps between us and 10.0.0.3: each side outbids the other.
  std::uint32_t seq = 0;
  auto t = kT0;
  for (int round = 0; round < 3; ++round) {
    m.local_mac_learned(vni(100), mac(1), "veth0", false, t);  // move here (after the first)
    seq = m.find(vni(100))->macs.at(mac(1)).local ? m.find(vni(100))->macs.at(mac(1)).local->sequence : seq;
    t += 10s;
    m.remote_mac_route(vni(100), key("10.0.0.3:2", 1), RemoteMacPath{kHigh, seq + 1, false}, t);  // move away
    t += 10s;
  }
  const auto& e = m.find(vni(100))->macs.at(mac(1));
  EXPECT_TRUE(e.duplicate);
  m.take_changes();
  // Frozen: the local side does not take the MAC back.
  m.local_mac_learned(vni(100), mac(1), "veth0", false, t);
  EXPECT_TRUE(m.take_changes().originations.empty());
  EXPECT_EQ(m.clear_duplicates(vni(100)), 1u);
  m.local_mac_learned(vni(100), mac(1), "veth0", false, t + 1s);
  auto c = m.take_changes();
  ASSERT_EQ(c.originations.size(), 1u);
  EXPECT_EQ(std::get<LocalMacRoute>(c.originations[0]).sequence, seq + 2);
}

TEST_F(ModelTest, MovesOutsideTheWindowDoNotAddUp) {
  auto t = kT0;
  std::uint32_t seq = 0;
  for (int round = 0; round < 6; ++round) {
    m.local_mac_learned(vni(100), mac(1), "veth0", false, t);
    seq = m.find(vni(100))->macs.at(mac(1)).local->sequence;
    t += 100s;
    m.remote_mac_route(vni(100), key("10.0.0.3:2", 1), RemoteMacPath{kHigh, seq + 1, false}, t);
    t += 100s;
  }
  EXPECT_FALSE(m.find(vni(100))->macs.at(mac(1)).duplicate);
}

TEST_F(ModelTest, LocalNeighboursGiveMacIpRoutesWhileTheirMacIsLocal) {
  m.local_neighbor_learned(vni(100), ip("192.168.1.10"), mac(1));
  EXPECT_TRUE(m.take_changes().originations.empty());  // the MAC is not known here yet
  m.local_mac_learned(vni(100), mac(1), "veth0", false, kT0);
  auto c = m.take_changes();
  ASSERT_EQ(c.originations.size(), 2u);
  EXPECT_EQ(c.originations[0], Origination(LocalMacRoute{vni(100), mac(1), std::nullopt, 0, false}));
  EXPECT_EQ(c.originations[1], Origination(LocalMacRoute{vni(100), mac(1), ip("192.168.1.10"), 0, false}));
  m.local_neighbor_gone(vni(100), ip("192.168.1.10"));
  c = m.take_changes();
  ASSERT_EQ(c.originations.size(), 1u);
  EXPECT_EQ(c.originations[0], Origination(LocalMacRouteGone{vni(100), mac(1), ip("192.168.1.10")}));
}

TEST_F(ModelTest, ARemoteNeighbourIsNotInstalledOverALocalOne) {
  m.local_neighbor_learned(vni(100), ip("192.168.1.10"), mac(1));
  m.remote_mac_route(vni(100), key("10.0.0.3:2", 1, "192.168.1.10"), RemoteMacPath{kHigh, 0, false}, kT0);
  auto c = m.take_changes();
  ASSERT_EQ(c.forwarding.size(), 1u);
  EXPECT_EQ(c.forwarding[0], Operation(RemoteMac{vni(100), mac(1), kHigh, false}));
}

TEST_F(ModelTest, FloodEntriesFollowImetRoutesPerVtep) {
  evpn::ImetRouteKey a{*evpn::RouteDistinguisher::parse("10.0.0.1:2"), {}, kLow};
  evpn::ImetRouteKey b{*evpn::RouteDistinguisher::parse("10.0.0.1:9"), {}, kLow};
  evpn::ImetRouteKey mine{*evpn::RouteDistinguisher::parse("10.0.0.2:2"), {}, kMe};
  m.remote_imet_route(vni(100), a, kLow);
  m.remote_imet_route(vni(100), b, kLow);
  m.remote_imet_route(vni(100), mine, kMe);  // never flood to ourselves
  auto c = m.take_changes();
  ASSERT_EQ(c.forwarding.size(), 1u);
  EXPECT_EQ(c.forwarding[0], Operation(FloodVtep{vni(100), kLow}));
  m.remote_imet_route(vni(100), a, std::nullopt);
  EXPECT_TRUE(m.take_changes().forwarding.empty());  // b still names it
  m.remote_imet_route(vni(100), b, std::nullopt);
  c = m.take_changes();
  ASSERT_EQ(c.forwarding.size(), 1u);
  EXPECT_EQ(c.forwarding[0], Operation(FloodVtepGone{vni(100), kLow}));
}

TEST_F(ModelTest, RemovingAVniUndoesEverythingOfIt) {
  m.remote_mac_route(vni(100), key("10.0.0.1:2", 1, "192.168.1.1"), RemoteMacPath{kLow, 0, false}, kT0);
  m.remote_imet_route(vni(100), evpn::ImetRouteKey{*evpn::RouteDistinguisher::parse("10.0.0.1:2"), {}, kLow}, kLow);
  m.local_mac_learned(vni(100), mac(2), "veth0", false, kT0);
  m.take_changes();
  m.remove_vni(vni(100));
  auto c = m.take_changes();
  EXPECT_EQ(c.forwarding.size(), 3u);  // the MAC, the neighbour, the flood entry
  ASSERT_EQ(c.originations.size(), 1u);
  EXPECT_EQ(c.originations[0], Origination(LocalMacRouteGone{vni(100), mac(2), std::nullopt}));
  EXPECT_EQ(m.find(vni(100)), nullptr);
}

TEST_F(ModelTest, EventsForUnknownVnisAreIgnored) {
  m.local_mac_learned(vni(999), mac(1), "veth0", false, kT0);
  m.remote_mac_route(vni(999), key("10.0.0.1:2", 1), RemoteMacPath{kLow, 0, false}, kT0);
  EXPECT_TRUE(m.take_changes().empty());
}

}  // namespace
}  // namespace evpnd::vtep
