// fib::NetlinkBackend against a scripted kernel (scripted_kernel.hpp): the error paths a
// real kernel cannot be made to take on demand. A refused add is reported with the
// kernel's words, retried by the programmer with back-off, counted, and never lost; a
// refused removal likewise; what the kernel already lacks is no failure. The links are
// the ones recorded from a real kernel (captured_links.hex: br1 = 2, vx1 = 3 with VNI
// 100 and local 10.0.0.2, v1 = 4).
#include <gtest/gtest.h>
#include <linux/rtnetlink.h>

#include <boost/asio/io_context.hpp>
#include <chrono>

#include "fib/netlink/netlink_backend.hpp"
#include "fib/programmer.hpp"
#include "unit/netlink/captured.hpp"
#include "unit/netlink/scripted_kernel.hpp"

namespace evpnd::fib::netlink::test {
namespace {

using namespace std::chrono_literals;
using Entry = ScriptedKernel::FdbEntry;

MacAddress mac(const char* text) { return *MacAddress::parse(text); }
IpAddress ip(const char* text) { return *IpAddress::parse(text); }
Vni vni100() { return *Vni::make(100); }

constexpr int kVxlan = 3;

template <class F>
bool run_until(boost::asio::io_context& io, F done, std::chrono::milliseconds limit = 5000ms) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (!done() && std::chrono::steady_clock::now() < end) {
    io.restart();
    io.run_for(5ms);
  }
  return done();
}

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

}  // namespace
}  // namespace evpnd::fib::netlink::test
