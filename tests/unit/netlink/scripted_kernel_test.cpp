// fib::NetlinkBackend against a scripted kernel (scripted_kernel.hpp): the error paths a
// real kernel cannot be made to take on demand. A refused add is reported with the
// kernel's words, retried by the programmer with back-off, counted, and never lost; a
// refused removal likewise; what the kernel already lacks is no failure. The links are
// the ones recorded from a real kernel (captured_links.hex: br1 = 2, vx1 = 3 with VNI
// 100 and local 10.0.0.2, v1 = 5). A VLAN-aware bridge and a single vxlan device, which
// this kernel cannot build, are composed after the rtnetlink ABI (composed.hpp).
#include <gtest/gtest.h>
#include <linux/rtnetlink.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <chrono>

#include "support/run_until.hpp"
#include "fib/netlink/netlink_backend.hpp"
#include "fib/programmer.hpp"
#include "unit/netlink/captured.hpp"
#include "unit/netlink/composed.hpp"
#include "unit/netlink/scripted_kernel.hpp"

namespace evpnd::fib::netlink::test {
namespace {

using namespace std::chrono_literals;
using Entry = ScriptedKernel::FdbEntry;

MacAddress mac(const char* text) { return *MacAddress::parse(text); }
IpAddress ip(const char* text) { return *IpAddress::parse(text); }
Vni vni100() { return *Vni::make(100); }

constexpr int kVxlan = 3;

using evpnd::test::run_until;

// A backend over the scripted kernel with VNI 100 adopted, handed to a programmer.
struct Leaf {
  ScriptedKernel kernel{load_hex("captured_links.hex")};
  boost::asio::io_context io;
  std::unique_ptr<Programmer> programmer;

  Leaf() {
    auto backend = std::make_unique<NetlinkBackend>(kernel.backend_sockets());
    EXPECT_EQ(backend->error(), 0);
    auto device = backend->ensure_vni(VniSpec{vni100(), {}, {}, {}, false});
    EXPECT_TRUE(std::holds_alternative<VniDevice>(device));
    programmer = std::make_unique<Programmer>(io, std::move(backend), [](std::vector<Event>) {});
  }
  const FibQueue& queue() const { return programmer->queue(); }
};

TEST(ScriptedKernel, AdoptsTheRecordedDevices) {
  ScriptedKernel kernel{load_hex("captured_links.hex")};
  NetlinkBackend backend(kernel.backend_sockets());
  ASSERT_EQ(backend.error(), 0);
  const auto found = backend.discover();
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].vni, vni100());
  EXPECT_EQ(found[0].bridge, "br1");
  EXPECT_EQ(found[0].vxlan, "vx1");
  EXPECT_EQ(found[0].local, ip("10.0.0.2"));
}

TEST(ScriptedKernel, ARefusedAddIsReportedWithTheKernelsWords) {
  ScriptedKernel kernel{load_hex("captured_links.hex")};
  NetlinkBackend backend(kernel.backend_sockets());
  ASSERT_TRUE(std::holds_alternative<VniDevice>(backend.ensure_vni(VniSpec{vni100(), {}, {}, {}, false})));
  kernel.fail_next(RTM_NEWNEIGH, ENOSPC, 1, "FDB is full");
  const std::vector<Operation> ops = {RemoteMac{vni100(), mac("02:00:00:00:00:01"), ip("10.0.0.9"), false},
                                      RemoteMac{vni100(), mac("02:00:00:00:00:02"), ip("10.0.0.9"), false}};
  const auto results = backend.apply(ops);
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].error, ENOSPC);
  EXPECT_NE(results[0].message.find("FDB is full"), std::string::npos) << results[0].message;
  EXPECT_TRUE(results[1].ok());
  EXPECT_EQ(kernel.fdb(), (std::vector<Entry>{{kVxlan, mac("02:00:00:00:00:02"), ip("10.0.0.9")}}));
}

TEST(ScriptedKernel, AFailedAddIsRetriedAndCountedNeverLost) {
  Leaf leaf;
  // The first two requests of the batch are refused; then the first again on its retry.
  leaf.kernel.fail_next(RTM_NEWNEIGH, EBUSY, 3, "scripted: busy");
  std::vector<Entry> want;
  for (const char* m : {"02:00:00:00:00:01", "02:00:00:00:00:02", "02:00:00:00:00:03"}) {
    leaf.programmer->want(RemoteMac{vni100(), mac(m), ip("10.0.0.9"), false});
    want.push_back({kVxlan, mac(m), ip("10.0.0.9")});
  }
  leaf.programmer->want(FloodVtep{vni100(), ip("10.0.0.9")});
  want.push_back({kVxlan, MacAddress{}, ip("10.0.0.9")});
  std::sort(want.begin(), want.end());
  ASSERT_TRUE(run_until(leaf.io, [&] { return leaf.queue().installed_count() == 4 && leaf.queue().pending() == 0; }));
  EXPECT_EQ(leaf.kernel.fdb(), want);
  EXPECT_EQ(leaf.kernel.refused(RTM_NEWNEIGH), 3u);
  // 4 first attempts, 2 retries of which one was refused again, 1 more retry.
  EXPECT_EQ(leaf.kernel.requests(RTM_NEWNEIGH), 7u);
  EXPECT_EQ(leaf.queue().counters().failed, 3u);
  EXPECT_EQ(leaf.queue().counters().retried, 3u);
  ASSERT_EQ(leaf.queue().recent_failures().size(), 3u);
  const auto& last = leaf.queue().recent_failures().back();
  EXPECT_EQ(last.result.error, EBUSY);
  EXPECT_NE(last.result.message.find("scripted: busy"), std::string::npos) << last.result.message;
}

TEST(ScriptedKernel, ARefusedRemovalIsRetriedAndAMissingEntryIsNoFailure) {
  Leaf leaf;
  const RemoteMac a{vni100(), mac("02:00:00:00:00:01"), ip("10.0.0.9"), false};
  const RemoteMac b{vni100(), mac("02:00:00:00:00:02"), ip("10.0.0.9"), false};
  leaf.programmer->want(a);
  leaf.programmer->want(b);
  ASSERT_TRUE(run_until(leaf.io, [&] { return leaf.queue().installed_count() == 2; }));
  ASSERT_EQ(leaf.kernel.fdb().size(), 2u);
  // Both removed; the kernel refuses the first request (a's bridge half) once.
  leaf.kernel.fail_next(RTM_DELNEIGH, EBUSY, 1);
  leaf.programmer->want(RemoteMacGone{a.vni, a.mac});
  leaf.programmer->want(RemoteMacGone{b.vni, b.mac});
  ASSERT_TRUE(run_until(leaf.io, [&] { return leaf.queue().installed_count() == 0 && leaf.queue().pending() == 0; }));
  EXPECT_TRUE(leaf.kernel.fdb().empty());
  EXPECT_EQ(leaf.queue().counters().failed, 1u);
  EXPECT_EQ(leaf.queue().counters().retried, 1u);
}

TEST(ScriptedKernel, ReconcileReadsBackWhatTheKernelHolds) {
  Leaf leaf;
  leaf.programmer->want(RemoteMac{vni100(), mac("02:00:00:00:00:01"), ip("10.0.0.9"), true});
  leaf.programmer->want(FloodVtep{vni100(), ip("10.0.0.8")});
  ASSERT_TRUE(run_until(leaf.io, [&] { return leaf.queue().installed_count() == 2; }));
  // What a restarted evpnd reads back on start: the entries, from the kernel.
  Installed got;
  bool done = false;
  leaf.programmer->run([&](Backend& backend) -> std::function<void()> {
    auto installed = backend.installed();
    return [&, installed] {
      got = installed;
      done = true;
    };
  });
  ASSERT_TRUE(run_until(leaf.io, [&] { return done; }));
  EXPECT_EQ(got.macs, (std::vector<RemoteMac>{{vni100(), mac("02:00:00:00:00:01"), ip("10.0.0.9"), true}}));
  EXPECT_EQ(got.flood, (std::vector<FloodVtep>{{vni100(), ip("10.0.0.8")}}));
}

// ---- a VLAN-aware bridge (composed messages: this kernel has no bridge VLAN filtering)

// br2 (10) filters VLANs; vx200 (11, VNI 200) has PVID 20 and vx300 (12, VNI 300) no PVID;
// br2.20 (13) is the VLAN 20 device on br2; p1 (14) is a host port in VLAN 20.
constexpr int kBr2 = 10, kVx200 = 11, kVx300 = 12, kSvi20 = 13, kPort = 14;

ScriptedKernel vlan_aware_kernel() {
  using composed::Link;
  std::vector<Bytes> links = {
      composed::link(Link{kBr2, "br2", "bridge", 0, true, 0, {}, 0, 0, false}),
      composed::link(Link{kVx200, "vx200", "vxlan", kBr2, false, 200, ip("10.0.0.2"), 0, 0, false}),
      composed::link(Link{kVx300, "vx300", "vxlan", kBr2, false, 300, ip("10.0.0.2"), 0, 0, false}),
      composed::link(Link{kSvi20, "br2.20", "vlan", 0, false, 0, {}, 20, kBr2, false}),
      composed::link(Link{kPort, "p1", "veth", kBr2, false, 0, {}, 0, 0, false}),
  };
  std::vector<Bytes> vlans = {
      composed::port_vlans(kVx200, kBr2, {20}, 20),
      composed::port_vlans(kVx300, kBr2, {30}, std::nullopt),
      composed::port_vlans(kPort, kBr2, {20}, 20),
  };
  return ScriptedKernel{std::move(links), std::move(vlans)};
}

Vni vni(std::uint32_t v) { return *Vni::make(v); }

TEST(ScriptedKernel, AVlanAwareBridgeGivesTheVniThePortsPvidAndTheVlanDeviceAsSvi) {
  auto kernel = vlan_aware_kernel();
  NetlinkBackend backend(kernel.backend_sockets());
  ASSERT_EQ(backend.error(), 0);
  const auto found = backend.discover();
  ASSERT_EQ(found.size(), 1u);  // vx300 has no access VLAN: no VNI, as zebra has none
  EXPECT_EQ(found[0], (VniDevice{vni(200), "br2", "vx200", ip("10.0.0.2"), "br2.20", true, 20}));
  auto refused = backend.ensure_vni(VniSpec{vni(300), {}, {}, {}, false});
  ASSERT_TRUE(std::holds_alternative<std::string>(refused));
  EXPECT_NE(std::get<std::string>(refused).find("no PVID"), std::string::npos) << std::get<std::string>(refused);
}

TEST(ScriptedKernel, OnAVlanAwareBridgeTheBridgesEntriesCarryTheVlan) {
  auto kernel = vlan_aware_kernel();
  NetlinkBackend backend(kernel.backend_sockets());
  ASSERT_TRUE(std::holds_alternative<VniDevice>(backend.ensure_vni(VniSpec{vni(200), {}, {}, {}, false})));
  const std::vector<Operation> ops = {
      RemoteMac{vni(200), mac("02:00:00:00:00:01"), ip("10.0.0.9"), false},
      RemoteMacGone{vni(200), mac("02:00:00:00:00:01")},
      RemoteNeighbor{vni(200), ip("192.168.20.9"), mac("02:00:00:00:00:01")},
      FloodVtep{vni(200), ip("10.0.0.9")},
      LocalStaticMac{vni(200), mac("02:00:00:00:00:05"), *vtep::PortName::make("p1")},
  };
  const auto results = backend.apply(ops);
  for (const auto& r : results) EXPECT_TRUE(r.ok()) << r.message;
  std::vector<FdbMessage> fdb;
  std::vector<NeighborMessage> neighbors;
  for (const auto& b : kernel.received()) {
    const auto* nlh = reinterpret_cast<const nlmsghdr*>(b.data());
    if (auto f = parse_fdb(nlh)) fdb.push_back(*f);
    if (auto n = parse_neighbor(nlh)) neighbors.push_back(*n);
  }
  ASSERT_EQ(fdb.size(), 5u);  // add, delete (bridge, vxlan), flood, static
  EXPECT_EQ(fdb[0].ifindex, kVx200);
  EXPECT_EQ(fdb[0].master, kBr2);
  EXPECT_EQ(fdb[0].vlan, 20);  // zebra's NDA_VLAN for the bridge's half
  EXPECT_EQ(fdb[1].vlan, 20);  // the bridge's entry is removed in its VLAN
  EXPECT_EQ(fdb[2].vlan, 0);   // the vxlan device's table has none
  EXPECT_EQ(fdb[3].vlan, 0);   // nor has the flood list
  EXPECT_TRUE(fdb[3].mac.is_zero());
  EXPECT_EQ(fdb[4].ifindex, kPort);
  EXPECT_EQ(fdb[4].vlan, 20);
  ASSERT_EQ(neighbors.size(), 1u);
  EXPECT_EQ(neighbors[0].ifindex, kSvi20);  // ARP suppression on the VLAN's SVI
}

TEST(ScriptedKernel, OnAVlanAwareBridgeLearningMapsTheVlanToTheVni) {
  auto kernel = vlan_aware_kernel();
  NetlinkBackend backend(kernel.backend_sockets());
  ASSERT_TRUE(std::holds_alternative<VniDevice>(backend.ensure_vni(VniSpec{vni(200), {}, {}, {}, false})));
  backend.read_events();
  kernel.notify(composed::learned_mac(kPort, kBr2, mac("02:00:00:00:20:01"), 20));
  kernel.notify(composed::learned_mac(kPort, kBr2, mac("02:00:00:00:30:01"), 30));  // no VNI's VLAN
  kernel.notify(composed::learned_mac(kPort, kBr2, mac("02:00:00:00:00:99"), 0));   // untagged: none either
  kernel.notify(composed::learned_neighbor(kSvi20, ip("192.168.20.5"), mac("02:00:00:00:20:01")));
  const auto events = backend.read_events();
  const std::vector<Event> want = {LocalMacLearned{vni(200), mac("02:00:00:00:20:01"), "p1", false},
                                   LocalNeighborLearned{vni(200), ip("192.168.20.5"), mac("02:00:00:00:20:01")}};
  EXPECT_EQ(events, want);

  // The vxlan port's access VLAN changes to 21, which has no VLAN device: the VNI moves
  // with it and has no SVI now.
  kernel.notify(composed::port_vlans(kVx200, kBr2, {21}, 21));
  const auto moved = backend.read_events();
  ASSERT_EQ(moved.size(), 1u);
  const VniDevice in21{vni(200), "br2", "vx200", ip("10.0.0.2"), "", true, 21};
  EXPECT_EQ(moved[0], Event{VniAppeared{in21}});
  kernel.notify(composed::learned_mac(kPort, kBr2, mac("02:00:00:00:20:02"), 20));
  EXPECT_TRUE(backend.read_events().empty());
  const auto refused = backend.apply(std::vector<Operation>{
      RemoteNeighbor{vni(200), ip("192.168.20.9"), mac("02:00:00:00:00:01")}});
  EXPECT_EQ(refused[0].error, ENODEV);
  EXPECT_NE(refused[0].message.find("no SVI"), std::string::npos) << refused[0].message;
}

// ---- a single vxlan device (composed messages: no VLAN filtering here, so no tunnel map)

// br3 (20) filters VLANs; vxlan0 (21) is `external` under it with the map VLAN 10 -> VNI
// 1000 and VLANs 20-21 -> VNIs 2000-2001 (one run, as the kernel sends it); br3.10 (22)
// is VLAN 10's device; p2 (23) a host port in VLANs 10 and 20.
constexpr int kBr3 = 20, kSvd = 21, kSvi10 = 22, kPort2 = 23;

std::vector<composed::Tunnel> svd_map() {
  return {{10, 1000, 0}, {20, 2000, BRIDGE_VLAN_INFO_RANGE_BEGIN}, {21, 2001, BRIDGE_VLAN_INFO_RANGE_END}};
}

ScriptedKernel single_vxlan_device_kernel() {
  using composed::Link;
  std::vector<Bytes> links = {
      composed::link(Link{kBr3, "br3", "bridge", 0, true, 0, {}, 0, 0, false}),
      composed::link(Link{kSvd, "vxlan0", "vxlan", kBr3, false, 0, ip("10.0.0.2"), 0, 0, true}),
      composed::link(Link{kSvi10, "br3.10", "vlan", 0, false, 0, {}, 10, kBr3, false}),
      composed::link(Link{kPort2, "p2", "veth", kBr3, false, 0, {}, 0, 0, false}),
  };
  std::vector<Bytes> vlans = {
      composed::port_vlans(kSvd, kBr3, {10, 20, 21}, std::nullopt, svd_map()),
      composed::port_vlans(kPort2, kBr3, {10, 20}, std::nullopt),
  };
  return ScriptedKernel{std::move(links), std::move(vlans)};
}

TEST(ScriptedKernel, ASingleVxlanDeviceCarriesEveryVniOfItsMap) {
  auto kernel = single_vxlan_device_kernel();
  NetlinkBackend backend(kernel.backend_sockets());
  ASSERT_EQ(backend.error(), 0);
  const std::vector<VniDevice> want = {
      {vni(1000), "br3", "vxlan0", ip("10.0.0.2"), "br3.10", true, 10},
      {vni(2000), "br3", "vxlan0", ip("10.0.0.2"), "", true, 20},  // no VLAN device: no SVI
      {vni(2001), "br3", "vxlan0", ip("10.0.0.2"), "", true, 21},
  };
  EXPECT_EQ(backend.discover(), want);
  auto unmapped = backend.ensure_vni(VniSpec{vni(3000), {}, {}, {}, false});
  ASSERT_TRUE(std::holds_alternative<std::string>(unmapped));
  EXPECT_NE(std::get<std::string>(unmapped).find("no vxlan device"), std::string::npos);
}

TEST(ScriptedKernel, OnASingleVxlanDeviceEntriesAreKeyedByVniAndReadBackPerVni) {
  auto kernel = single_vxlan_device_kernel();
  NetlinkBackend backend(kernel.backend_sockets());
  for (std::uint32_t v : {1000u, 2000u}) {
    ASSERT_TRUE(std::holds_alternative<VniDevice>(backend.ensure_vni(VniSpec{vni(v), {}, {}, {}, false})));
  }
  // The same MAC in two VNIs is two entries of the one device (its table is keyed by
  // MAC and VNI), each with its VTEP.
  const MacAddress host = mac("02:00:00:00:00:01");
  const std::vector<Operation> ops = {
      RemoteMac{vni(1000), host, ip("10.0.0.9"), false},
      RemoteMac{vni(2000), host, ip("10.0.0.8"), true},
      FloodVtep{vni(1000), ip("10.0.0.9")},
      FloodVtep{vni(2000), ip("10.0.0.8")},
      RemoteNeighbor{vni(1000), ip("192.168.10.9"), host},
  };
  for (const auto& r : backend.apply(ops)) EXPECT_TRUE(r.ok()) << r.message;
  std::vector<FdbMessage> sent;
  for (const auto& b : kernel.received()) {
    if (auto f = parse_fdb(reinterpret_cast<const nlmsghdr*>(b.data()))) sent.push_back(*f);
  }
  ASSERT_EQ(sent.size(), 4u);
  EXPECT_EQ(sent[0].ifindex, kSvd);
  EXPECT_EQ(sent[0].vlan, 10);  // the bridge's half: by VLAN
  EXPECT_EQ(sent[0].src_vni, 1000u);  // the device's half: by VNI
  EXPECT_EQ(sent[1].vlan, 20);
  EXPECT_EQ(sent[1].src_vni, 2000u);
  EXPECT_EQ(sent[2].src_vni, 1000u);  // the flood list is per VNI too
  EXPECT_EQ(sent[3].src_vni, 2000u);
  EXPECT_EQ(kernel.fdb().size(), 4u);

  auto held = backend.installed();
  std::sort(held.macs.begin(), held.macs.end(), [](const RemoteMac& a, const RemoteMac& b) { return a.vni < b.vni; });
  const std::vector<RemoteMac> macs = {{vni(1000), host, ip("10.0.0.9"), false}, {vni(2000), host, ip("10.0.0.8"), true}};
  EXPECT_EQ(held.macs, macs);
  EXPECT_EQ(held.flood.size(), 2u);

  // Removing it from VNI 1000 leaves VNI 2000's entry.
  for (const auto& r : backend.apply(std::vector<Operation>{RemoteMacGone{vni(1000), host}})) EXPECT_TRUE(r.ok());
  const auto after = backend.installed();
  const std::vector<RemoteMac> left = {{vni(2000), host, ip("10.0.0.8"), true}};
  EXPECT_EQ(after.macs, left);
}

TEST(ScriptedKernel, OnASingleVxlanDeviceLearningAndMapChangesFollowTheVlan) {
  auto kernel = single_vxlan_device_kernel();
  NetlinkBackend backend(kernel.backend_sockets());
  for (std::uint32_t v : {1000u, 2000u, 2001u}) {
    ASSERT_TRUE(std::holds_alternative<VniDevice>(backend.ensure_vni(VniSpec{vni(v), {}, {}, {}, false})));
  }
  backend.read_events();
  kernel.notify(composed::learned_mac(kPort2, kBr3, mac("02:00:00:00:10:01"), 10));
  kernel.notify(composed::learned_mac(kPort2, kBr3, mac("02:00:00:00:20:01"), 20));
  kernel.notify(composed::learned_mac(kPort2, kBr3, mac("02:00:00:00:30:01"), 30));  // no VNI's VLAN
  kernel.notify(composed::learned_neighbor(kSvi10, ip("192.168.10.5"), mac("02:00:00:00:10:01")));
  const std::vector<Event> learned = {LocalMacLearned{vni(1000), mac("02:00:00:00:10:01"), "p2", false},
                                      LocalMacLearned{vni(2000), mac("02:00:00:00:20:01"), "p2", false},
                                      LocalNeighborLearned{vni(1000), ip("192.168.10.5"), mac("02:00:00:00:10:01")}};
  EXPECT_EQ(backend.read_events(), learned);

  // The map loses VLAN 21 and gains VLAN 30 -> VNI 3000: VNI 2001 goes, VNI 3000 comes.
  kernel.notify(composed::port_vlans(kSvd, kBr3, {10, 20, 30}, std::nullopt,
                                     {{10, 1000, 0}, {20, 2000, 0}, {30, 3000, 0}}));
  const std::vector<Event> remapped = {VniGone{vni(2001)},
                                       VniAppeared{VniDevice{vni(3000), "br3", "vxlan0", ip("10.0.0.2"), "", true, 30}}};
  EXPECT_EQ(backend.read_events(), remapped);
  const auto gone = backend.apply(std::vector<Operation>{FloodVtep{vni(2001), ip("10.0.0.9")}});
  EXPECT_EQ(gone[0].error, ENODEV);  // its devices are gone with its VLAN
}

TEST(ScriptedKernel, AVniOnItsOwnVxlanDeviceAndInAMapIsTheOwnDevices) {
  // vx2001 (24, VNI 2001) on br4 (25, no VLAN filtering) also has the map's VNI 2001.
  using composed::Link;
  std::vector<Bytes> links = {
      composed::link(Link{kBr3, "br3", "bridge", 0, true, 0, {}, 0, 0, false}),
      composed::link(Link{kSvd, "vxlan0", "vxlan", kBr3, false, 0, ip("10.0.0.2"), 0, 0, true}),
      composed::link(Link{25, "br4", "bridge", 0, false, 0, {}, 0, 0, false}),
      composed::link(Link{24, "vx2001", "vxlan", 25, false, 2001, ip("10.0.0.2"), 0, 0, false}),
  };
  ScriptedKernel kernel{std::move(links), {composed::port_vlans(kSvd, kBr3, {10, 20, 21}, std::nullopt, svd_map())}};
  NetlinkBackend backend(kernel.backend_sockets());
  const auto found = backend.discover();
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[2], (VniDevice{vni(2001), "br4", "vx2001", ip("10.0.0.2"), "br4", true, 0}));
  ASSERT_TRUE(std::holds_alternative<VniDevice>(backend.ensure_vni(VniSpec{vni(2001), {}, {}, {}, false})));
  for (const auto& r : backend.apply(std::vector<Operation>{FloodVtep{vni(2001), ip("10.0.0.9")}})) EXPECT_TRUE(r.ok());
  const auto flood = parse_fdb(reinterpret_cast<const nlmsghdr*>(kernel.received().back().data()));
  ASSERT_TRUE(flood);
  EXPECT_EQ(flood->ifindex, 24);
  EXPECT_EQ(flood->src_vni, 0u);  // a device of its own: no VNI in its entries
}

TEST(ScriptedKernel, ASingleVxlanDeviceMapsThousandsOfVlansInOneRun) {
  // `bridge vlan add dev vxlan0 vid 1-4000 tunnel_info id 10001-14000`: two entries on
  // the wire, 4000 VNIs.
  using composed::Link;
  std::vector<Bytes> links = {
      composed::link(Link{kBr3, "br3", "bridge", 0, true, 0, {}, 0, 0, false}),
      composed::link(Link{kSvd, "vxlan0", "vxlan", kBr3, false, 0, ip("10.0.0.2"), 0, 0, true}),
  };
  const std::vector<composed::Tunnel> run = {{1, 10001, BRIDGE_VLAN_INFO_RANGE_BEGIN},
                                             {4000, 14000, BRIDGE_VLAN_INFO_RANGE_END}};
  ScriptedKernel kernel{std::move(links), {composed::port_vlans(kSvd, kBr3, {}, std::nullopt, run)}};
  NetlinkBackend backend(kernel.backend_sockets());
  const auto found = backend.discover();
  ASSERT_EQ(found.size(), 4000u);
  for (std::size_t i = 0; i < found.size(); ++i) {
    EXPECT_EQ(found[i].vni, vni(10001 + static_cast<std::uint32_t>(i)));
    EXPECT_EQ(found[i].vlan, i + 1);
  }
}

}  // namespace
}  // namespace evpnd::fib::netlink::test
