// NetlinkBackend against the running kernel. The test process moves into a network
// namespace of its own before anything else runs (a static initializer, before gtest
// starts), so every device it makes, and every `ip`/`bridge` it runs through popen, lives
// and dies there. It needs root (CAP_NET_ADMIN); without it the tests fail, they do not
// skip: CI runs them as root.
#include "fib/netlink/netlink_backend.hpp"

#include <gtest/gtest.h>
#include <poll.h>
#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

namespace evpnd::fib {
namespace {

int enter_private_netns() {
  if (::unshare(CLONE_NEWNET) != 0) return errno;
  return 0;
}
const int g_netns_error = enter_private_netns();

#define REQUIRE_NETNS() ASSERT_EQ(g_netns_error, 0) << "unshare(CLONE_NEWNET): " << std::strerror(g_netns_error) \
                                                    << " (these tests need root)"

std::string capture(const std::string& command) {
  std::string out;
  FILE* p = ::popen((command + " 2>&1").c_str(), "r");
  if (p == nullptr) return out;
  std::array<char, 4096> buf{};
  while (std::fgets(buf.data(), buf.size(), p) != nullptr) out += buf.data();
  ::pclose(p);
  return out;
}

int run(const std::string& command) { return std::system((command + " >/dev/null 2>&1").c_str()); }

std::vector<std::string> lines_with(const std::string& text, const std::string& needle) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.find(needle) != std::string::npos) out.push_back(line);
  }
  return out;
}

Vni vni(std::uint32_t v) { return *Vni::make(v); }
IpAddress ip(const char* text) { return *IpAddress::parse(text); }
MacAddress mac(const char* text) { return *MacAddress::parse(text); }
MacAddress nth_mac(std::uint32_t i) {
  return MacAddress{{0x02, 0x00, 0x00, 0x01, static_cast<std::uint8_t>(i >> 8), static_cast<std::uint8_t>(i)}};
}

VniSpec create_spec(std::uint32_t v) {
  return VniSpec{vni(v), "br" + std::to_string(v), "vx" + std::to_string(v), ip("10.0.0.2"), true};
}

// Reads events until one satisfies `want` or the timeout passes; every event read is kept.
bool wait_for(NetlinkBackend& backend, std::vector<Event>& seen, const std::function<bool(const Event&)>& want,
              std::chrono::milliseconds timeout = std::chrono::milliseconds(5000)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    for (auto& e : backend.read_events()) {
      seen.push_back(e);
      if (want(e)) return true;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{backend.event_fd(), POLLIN, 0};
    ::poll(&p, 1, static_cast<int>(left.count()));
  }
}

template <typename T>
std::function<bool(const Event&)> is(const T& value) {
  return [value](const Event& e) { return std::holds_alternative<T>(e) && std::get<T>(e) == value; };
}

class NetlinkBackendTest : public ::testing::Test {
 protected:
  void TearDown() override {
    for (const auto& name : cleanup_) run("ip link del " + name);
  }
  std::vector<std::string> cleanup_;
};

TEST_F(NetlinkBackendTest, CreatesAdoptsAndDiscovers) {
  REQUIRE_NETNS();
  NetlinkBackend backend;
  ASSERT_EQ(backend.error(), 0);
  cleanup_ = {"vx100", "br100", "vx200", "br200"};

  auto created = backend.ensure_vni(create_spec(100));
  ASSERT_TRUE(std::holds_alternative<VniDevice>(created)) << std::get<std::string>(created);
  const VniDevice want100{vni(100), "br100", "vx100", ip("10.0.0.2"), "br100", true, 0};
  EXPECT_EQ(std::get<VniDevice>(created), want100);
  const std::string details = capture("ip -d link show vx100");
  EXPECT_NE(details.find("master br100"), std::string::npos) << details;
  EXPECT_NE(details.find("vxlan id 100 local 10.0.0.2"), std::string::npos) << details;
  EXPECT_NE(details.find("dstport 4789"), std::string::npos) << details;
  EXPECT_NE(details.find("nolearning"), std::string::npos) << details;
  EXPECT_NE(capture("ip link show br100").find("state UP"), std::string::npos);

  // Ensuring again adopts what is there.
  auto again = backend.ensure_vni(create_spec(100));
  ASSERT_TRUE(std::holds_alternative<VniDevice>(again));
  EXPECT_EQ(std::get<VniDevice>(again), want100);

  ASSERT_EQ(run("ip link add br200 type bridge"), 0);
  ASSERT_EQ(run("ip link add vx200 type vxlan id 200 local 10.0.0.3 dstport 4789 nolearning"), 0);
  ASSERT_EQ(run("ip link set vx200 master br200 && ip link set br200 up && ip link set vx200 up"), 0);
  auto adopted = backend.ensure_vni(VniSpec{vni(200), std::nullopt, std::nullopt, std::nullopt, false});
  ASSERT_TRUE(std::holds_alternative<VniDevice>(adopted)) << std::get<std::string>(adopted);
  const VniDevice want200{vni(200), "br200", "vx200", ip("10.0.0.3"), "br200", true, 0};
  EXPECT_EQ(std::get<VniDevice>(adopted), want200);

  // Names that do not match, and a VNI with no devices, are refused with a reason.
  auto wrong = backend.ensure_vni(VniSpec{vni(200), "br100", std::nullopt, std::nullopt, false});
  ASSERT_TRUE(std::holds_alternative<std::string>(wrong));
  EXPECT_NE(std::get<std::string>(wrong).find("br200"), std::string::npos) << std::get<std::string>(wrong);
  auto absent = backend.ensure_vni(VniSpec{vni(300), std::nullopt, std::nullopt, std::nullopt, false});
  ASSERT_TRUE(std::holds_alternative<std::string>(absent));

  EXPECT_EQ(backend.discover(), (std::vector<VniDevice>{want100, want200}));
  // A vxlan device outside any bridge, or without a local address, is no usable VNI.
  ASSERT_EQ(run("ip link add vx300 type vxlan id 300 dstport 4789"), 0);
  cleanup_.push_back("vx300");
  EXPECT_EQ(backend.discover().size(), 2u);
}

TEST_F(NetlinkBackendTest, InstallsRemoteEntriesAsZebraDoes) {
  REQUIRE_NETNS();
  NetlinkBackend backend;
  ASSERT_EQ(backend.error(), 0);
  cleanup_ = {"vx101", "br101"};
  ASSERT_TRUE(std::holds_alternative<VniDevice>(backend.ensure_vni(create_spec(101))));

  constexpr std::uint32_t kMacs = 1000;
  std::vector<Operation> ops;
  std::vector<RemoteMac> macs;
  for (std::uint32_t i = 0; i < kMacs; ++i) {
    macs.push_back(RemoteMac{vni(101), nth_mac(i), ip(i % 2 == 0 ? "10.0.0.10" : "10.0.0.11"), i == 999});
    ops.push_back(macs.back());
  }
  const std::vector<FloodVtep> flood = {{vni(101), ip("10.0.0.10")}, {vni(101), ip("10.0.0.11")}};
  for (const auto& f : flood) ops.push_back(f);
  const RemoteNeighbor neighbor{vni(101), ip("192.168.1.20"), nth_mac(0)};
  ops.push_back(neighbor);
  const auto started = std::chrono::steady_clock::now();
  auto results = backend.apply(ops);
  const auto took = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  ASSERT_EQ(results.size(), ops.size());
  for (std::size_t i = 0; i < results.size(); ++i) ASSERT_TRUE(results[i].ok()) << i << ": " << results[i].message;
  std::printf("apply: %zu operations in %.1f ms\n", ops.size(), took * 1000);

  Installed got = backend.installed();
  auto by_mac = [](const RemoteMac& a, const RemoteMac& b) { return a.mac < b.mac; };
  std::sort(got.macs.begin(), got.macs.end(), by_mac);
  EXPECT_EQ(got.macs, macs);
  auto by_vtep = [](const FloodVtep& a, const FloodVtep& b) { return a.vtep < b.vtep; };
  std::sort(got.flood.begin(), got.flood.end(), by_vtep);
  EXPECT_EQ(got.flood, flood);
  EXPECT_EQ(got.neighbors, std::vector<RemoteNeighbor>{neighbor});

  // What the kernel shows: each remote MAC on the vxlan device with its VTEP, and in the bridge.
  const std::string fdb = capture("bridge fdb show br br101");
  const auto mac5 = lines_with(fdb, "02:00:00:01:00:05 ");
  for (const auto& l : mac5) std::printf("  %s\n", l.c_str());
  ASSERT_EQ(mac5.size(), 2u);
  EXPECT_EQ(lines_with(fdb, "dst 10.0.0.11 self extern_learn").size(), kMacs / 2 - 1);  // 999 is sticky
  EXPECT_EQ(lines_with(fdb, "dst 10.0.0.10 self extern_learn").size(), kMacs / 2);
  EXPECT_EQ(lines_with(fdb, "extern_learn master br101").size(), kMacs - 1);
  const auto sticky = lines_with(fdb, "02:00:00:01:03:e7 ");
  for (const auto& l : sticky) std::printf("  %s\n", l.c_str());
  EXPECT_EQ(lines_with(fdb, "02:00:00:01:03:e7 dev vx101 dst 10.0.0.11 self sticky").size(), 1u);
  const auto floods = lines_with(fdb, "00:00:00:00:00:00 ");
  for (const auto& l : floods) std::printf("  %s\n", l.c_str());
  EXPECT_EQ(floods.size(), 2u);
  const std::string neigh = capture("ip neigh show dev br101");
  std::printf("  %s", neigh.c_str());
  EXPECT_NE(neigh.find("192.168.1.20 lladdr 02:00:00:01:00:00 extern_learn NOARP"), std::string::npos) << neigh;

  // A MAC that moves to another VTEP is replaced, not added to.
  results = backend.apply(std::vector<Operation>{RemoteMac{vni(101), nth_mac(5), ip("10.0.0.12"), false}});
  ASSERT_TRUE(results.at(0).ok()) << results[0].message;
  const auto moved = lines_with(capture("bridge fdb show br br101"), "02:00:00:01:00:05 ");
  ASSERT_EQ(moved.size(), 2u);
  EXPECT_EQ(lines_with(capture("bridge fdb show br br101"), "02:00:00:01:00:05 dev vx101 dst 10.0.0.12 self").size(),
            1u);

  // One batch: a removal, an unknown VNI, an addition. The unknown VNI fails alone.
  results = backend.apply(std::vector<Operation>{
      RemoteMacGone{vni(101), nth_mac(6)},
      RemoteMac{vni(999), nth_mac(1), ip("10.0.0.10"), false},
      RemoteMac{vni(101), nth_mac(2000), ip("10.0.0.10"), false},
  });
  ASSERT_EQ(results.size(), 3u);
  EXPECT_TRUE(results[0].ok()) << results[0].message;
  EXPECT_EQ(results[1].error, ENODEV);
  EXPECT_FALSE(results[1].message.empty());
  EXPECT_TRUE(results[2].ok()) << results[2].message;
  const std::string after = capture("bridge fdb show br br101");
  EXPECT_TRUE(lines_with(after, "02:00:00:01:00:06 ").empty()) << "both the vxlan and the bridge entry go";
  EXPECT_EQ(lines_with(after, "02:00:00:01:07:d0 ").size(), 2u);

  // Removing what is not there succeeds; so does removing half an entry (the bridge's
  // half deleted behind our back).
  ASSERT_EQ(run("bridge fdb del 02:00:00:01:00:07 dev vx101 master"), 0);
  results = backend.apply(std::vector<Operation>{
      RemoteMacGone{vni(101), nth_mac(6)},
      RemoteMacGone{vni(101), nth_mac(7)},
      FloodVtepGone{vni(101), ip("10.0.0.11")},
      FloodVtepGone{vni(101), ip("10.0.0.99")},
      RemoteNeighborGone{vni(101), ip("192.168.1.20")},
      RemoteNeighborGone{vni(101), ip("192.168.1.21")},
  });
  for (std::size_t i = 0; i < results.size(); ++i) EXPECT_TRUE(results[i].ok()) << i << ": " << results[i].message;
  const std::string last = capture("bridge fdb show br br101");
  EXPECT_TRUE(lines_with(last, "02:00:00:01:00:07 ").empty());
  EXPECT_EQ(lines_with(last, "00:00:00:00:00:00 ").size(), 1u);
  EXPECT_TRUE(lines_with(capture("ip neigh show dev br101"), "192.168.1.20").empty());
  got = backend.installed();
  EXPECT_EQ(got.macs.size(), kMacs - 2 + 1);
  EXPECT_EQ(got.flood, (std::vector<FloodVtep>{{vni(101), ip("10.0.0.10")}}));
  EXPECT_TRUE(got.neighbors.empty());
}

TEST_F(NetlinkBackendTest, LargeBatchIsAckedInFull) {
  REQUIRE_NETNS();
  NetlinkBackend backend;
  ASSERT_EQ(backend.error(), 0);
  cleanup_ = {"vx103", "br103"};
  ASSERT_TRUE(std::holds_alternative<VniDevice>(backend.ensure_vni(create_spec(103))));
  constexpr std::uint32_t kMacs = 50000;
  std::vector<Operation> ops;
  for (std::uint32_t i = 0; i < kMacs; ++i) {
    MacAddress m{{0x02, 0x01, 0x00, static_cast<std::uint8_t>(i >> 16), static_cast<std::uint8_t>(i >> 8),
                  static_cast<std::uint8_t>(i)}};
    ops.push_back(RemoteMac{vni(103), m, ip("10.0.0.10"), false});
  }
  auto started = std::chrono::steady_clock::now();
  auto results = backend.apply(ops);
  double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf("apply: %u remote MACs in %.0f ms (%.0f/s, this build)\n", kMacs, took * 1000, kMacs / took);
  ASSERT_EQ(results.size(), ops.size());
  EXPECT_EQ(std::count_if(results.begin(), results.end(), [](const OperationResult& r) { return r.ok(); }), kMacs);
  EXPECT_EQ(backend.installed().macs.size(), kMacs);
  // Our own entries do not come back as local events.
  for (const auto& e : backend.read_events()) {
    EXPECT_FALSE(std::holds_alternative<LocalMacLearned>(e) || std::holds_alternative<LocalMacGone>(e));
  }
  for (auto& op : ops) op = RemoteMacGone{vni(103), std::get<RemoteMac>(op).mac};
  started = std::chrono::steady_clock::now();
  results = backend.apply(ops);
  took = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf("apply: %u removals in %.0f ms\n", kMacs, took * 1000);
  EXPECT_EQ(std::count_if(results.begin(), results.end(), [](const OperationResult& r) { return r.ok(); }), kMacs);
  EXPECT_TRUE(backend.installed().macs.empty());
}

TEST_F(NetlinkBackendTest, ReportsLocalHostsAndLinks) {
  REQUIRE_NETNS();
  NetlinkBackend backend;
  ASSERT_EQ(backend.error(), 0);
  cleanup_ = {"vx102", "br102", "v102a"};
  auto ensured = backend.ensure_vni(create_spec(102));
  ASSERT_TRUE(std::holds_alternative<VniDevice>(ensured));
  std::vector<Event> seen;
  backend.read_events();  // what creating the devices said

  ASSERT_EQ(run("ip link add v102a type veth peer name v102b"), 0);
  ASSERT_EQ(run("ip link set v102a master br102 && ip link set v102a up && ip link set v102b up"), 0);
  ASSERT_EQ(run("bridge fdb add 02:00:00:02:00:01 dev v102a master static"), 0);
  const LocalMacLearned host{vni(102), mac("02:00:00:02:00:01"), "v102a", true};
  EXPECT_TRUE(wait_for(backend, seen, is(host)));
  ASSERT_EQ(run("bridge fdb del 02:00:00:02:00:01 dev v102a master"), 0);
  EXPECT_TRUE(wait_for(backend, seen, is(LocalMacGone{vni(102), mac("02:00:00:02:00:01")})));

  ASSERT_EQ(run("ip neigh add 192.168.2.5 lladdr 02:00:00:02:00:05 dev br102 nud reachable"), 0);
  const LocalNeighborLearned neighbor{vni(102), ip("192.168.2.5"), mac("02:00:00:02:00:05")};
  EXPECT_TRUE(wait_for(backend, seen, is(neighbor)));

  // Our own remote MAC and neighbour are no local hosts.
  auto results = backend.apply(std::vector<Operation>{RemoteMac{vni(102), mac("02:00:00:02:00:09"), ip("10.0.0.10"), false},
                                                       RemoteNeighbor{vni(102), ip("192.168.2.9"), mac("02:00:00:02:00:09")}});
  ASSERT_TRUE(results[0].ok() && results[1].ok());
  ASSERT_EQ(run("bridge fdb add 02:00:00:02:00:02 dev v102a master static"), 0);
  const LocalMacLearned second{vni(102), mac("02:00:00:02:00:02"), "v102a", true};
  EXPECT_TRUE(wait_for(backend, seen, is(second)));
  for (const auto& e : seen) {
    if (const auto* m = std::get_if<LocalMacLearned>(&e)) {
      EXPECT_NE(m->mac, mac("02:00:00:02:00:09"));
    }
    if (const auto* n = std::get_if<LocalNeighborLearned>(&e)) {
      EXPECT_NE(n->ip, ip("192.168.2.9"));
    }
  }

  // A local host that takes its MAC back from a remote entry of ours is local again,
  // though the kernel keeps the entry's extern_learn flag.
  results = backend.apply(std::vector<Operation>{RemoteMac{vni(102), mac("02:00:00:02:00:02"), ip("10.0.0.10"), false}});
  ASSERT_TRUE(results[0].ok()) << results[0].message;
  ASSERT_EQ(run("bridge fdb replace 02:00:00:02:00:02 dev v102a master static"), 0);
  EXPECT_TRUE(wait_for(backend, seen, is(second)));
  // Withdrawing the remote MAC then removes the vxlan device's entry and leaves the host's:
  // the bridge's half is no longer ours to delete (ENOENT for the vxlan port, success).
  results = backend.apply(std::vector<Operation>{RemoteMacGone{vni(102), mac("02:00:00:02:00:02")}});
  ASSERT_TRUE(results[0].ok()) << results[0].message;
  const auto left = lines_with(capture("bridge fdb show br br102"), "02:00:00:02:00:02 ");
  ASSERT_EQ(left.size(), 1u);
  EXPECT_NE(left[0].find("dev v102a"), std::string::npos) << left[0];

  // local_state() reports what is there now.
  const auto state = backend.local_state();
  EXPECT_NE(std::find(state.begin(), state.end(), Event{second}), state.end());
  EXPECT_NE(std::find(state.begin(), state.end(), Event{neighbor}), state.end());
  for (const auto& e : state) {
    if (const auto* m = std::get_if<LocalMacLearned>(&e)) {
      EXPECT_EQ(m->port, "v102a");  // never the vxlan device, the bridge or a port's own address
      EXPECT_NE(m->mac, mac("02:00:00:02:00:09"));
    }
  }

  // The vxlan device going down, then away.
  ASSERT_EQ(run("ip link set vx102 down"), 0);
  VniDevice down = std::get<VniDevice>(ensured);
  down.up = false;
  EXPECT_TRUE(wait_for(backend, seen, is(VniAppeared{down})));
  ASSERT_EQ(run("ip link del vx102"), 0);
  EXPECT_TRUE(wait_for(backend, seen, is(VniGone{vni(102)})));
  results = backend.apply(std::vector<Operation>{RemoteMac{vni(102), mac("02:00:00:02:00:0a"), ip("10.0.0.10"), false}});
  EXPECT_EQ(results.at(0).error, ENODEV);
}

TEST_F(NetlinkBackendTest, PinsAStaticMacToAPortOfTheBridge) {
  REQUIRE_NETNS();
  NetlinkBackend backend;
  ASSERT_EQ(backend.error(), 0);
  cleanup_ = {"vx103", "br103", "v103a", "v103x"};
  auto ensured = backend.ensure_vni(create_spec(103));
  ASSERT_TRUE(std::holds_alternative<VniDevice>(ensured));
  ASSERT_EQ(run("ip link add v103a type veth peer name v103b"), 0);
  ASSERT_EQ(run("ip link set v103a master br103 && ip link set v103a up && ip link set v103b up"), 0);
  ASSERT_EQ(run("ip link add v103x type veth peer name v103y"), 0);  // in no bridge
  std::vector<Event> seen;
  backend.read_events();

  const auto port = *vtep::PortName::make("v103a");
  auto results = backend.apply(std::vector<Operation>{LocalStaticMac{vni(103), mac("02:00:00:03:00:01"), port}});
  ASSERT_TRUE(results[0].ok()) << results[0].message;
  const auto entry = lines_with(capture("bridge fdb show br br103"), "02:00:00:03:00:01 ");
  ASSERT_EQ(entry.size(), 1u);
  EXPECT_NE(entry[0].find("dev v103a master br103 static"), std::string::npos) << entry[0];
  // What the kernel then says about it is a static local host: the model advertises it sticky.
  const LocalMacLearned pinned{vni(103), mac("02:00:00:03:00:01"), "v103a", true};
  EXPECT_TRUE(wait_for(backend, seen, is(pinned)));

  // Pinning it again (a restart) replaces, never fails.
  results = backend.apply(std::vector<Operation>{LocalStaticMac{vni(103), mac("02:00:00:03:00:01"), port}});
  EXPECT_TRUE(results[0].ok()) << results[0].message;

  // A port outside the VNI's bridge, or no such interface: refused with the reason.
  results = backend.apply(std::vector<Operation>{
      LocalStaticMac{vni(103), mac("02:00:00:03:00:02"), *vtep::PortName::make("v103x")},
      LocalStaticMac{vni(103), mac("02:00:00:03:00:03"), *vtep::PortName::make("nosuchport")}});
  EXPECT_EQ(results[0].error, EINVAL);
  EXPECT_NE(results[0].message.find("not a port of bridge br103"), std::string::npos) << results[0].message;
  EXPECT_EQ(results[1].error, ENODEV);

  results = backend.apply(std::vector<Operation>{LocalStaticMacGone{vni(103), mac("02:00:00:03:00:01"), port}});
  ASSERT_TRUE(results[0].ok()) << results[0].message;
  EXPECT_TRUE(lines_with(capture("bridge fdb show br br103"), "02:00:00:03:00:01 ").empty());
  EXPECT_TRUE(wait_for(backend, seen, is(LocalMacGone{vni(103), mac("02:00:00:03:00:01")})));
  // Gone already is gone.
  results = backend.apply(std::vector<Operation>{LocalStaticMacGone{vni(103), mac("02:00:00:03:00:01"), port}});
  EXPECT_TRUE(results[0].ok()) << results[0].message;
}

}  // namespace
}  // namespace evpnd::fib
