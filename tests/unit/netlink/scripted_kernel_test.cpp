// fib::NetlinkBackend against a scripted kernel (scripted_kernel.hpp): the error paths a
// real kernel cannot be made to take on demand. A refused add is reported with the
// kernel's words, retried by the programmer with back-off, counted, and never lost; a
// refused removal likewise; what the kernel already lacks is no failure. The links are
// the ones recorded from a real kernel (captured_links.hex: br1 = 2, vx1 = 3 with VNI
// 100 and local 10.0.0.2, v1 = 5). A VLAN-aware bridge, which this kernel cannot
// build, is composed after the rtnetlink ABI (composed.hpp).
#include <gtest/gtest.h>
#include <linux/rtnetlink.h>

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
      composed::link(Link{kBr2, "br2", "bridge", 0, true, 0, {}, 0, 0}),
      composed::link(Link{kVx200, "vx200", "vxlan", kBr2, false, 200, ip("10.0.0.2"), 0, 0}),
      composed::link(Link{kVx300, "vx300", "vxlan", kBr2, false, 300, ip("10.0.0.2"), 0, 0}),
      composed::link(Link{kSvi20, "br2.20", "vlan", 0, false, 0, {}, 20, kBr2}),
      composed::link(Link{kPort, "p1", "veth", kBr2, false, 0, {}, 0, 0}),
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

}  // namespace
}  // namespace evpnd::fib::netlink::test
