// The FIB programmer's bookkeeping (fib/fib_queue.hpp): folding, unchanged entries,
// retries with back-off, reconcile of what an earlier life installed.
#include "fib/fib_queue.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "support/evpn_values.hpp"

namespace evpnd::fib {
namespace {

using namespace std::chrono_literals;

using test::ip;
using test::mac;
using test::vni;
const TimePoint kT0{};
const OperationResult kOk{};
const OperationResult kBusy{EBUSY, "busy"};

RemoteMac at(std::uint8_t m, std::string_view vtep) { return RemoteMac{vni(100), mac(m), ip(vtep), false}; }

TEST(FibQueue, ALaterOperationOnTheSameEntryReplacesTheQueuedOne) {
  FibQueue q;
  q.want(at(1, "10.0.0.1"));
  q.want(at(2, "10.0.0.1"));
  q.want(at(1, "10.0.0.3"));  // the MAC moved before anything was sent
  auto b = q.next_batch(kT0, 100);
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b[0], Operation(at(1, "10.0.0.3")));  // keeps its place, ends where it moved
  EXPECT_EQ(b[1], Operation(at(2, "10.0.0.1")));
  EXPECT_EQ(q.counters().folded, 1u);
}

TEST(FibQueue, AnEntryAlreadySoCostsNothing) {
  FibQueue q;
  q.want(at(1, "10.0.0.1"));
  auto b = q.next_batch(kT0, 100);
  q.done(b, std::vector{kOk}, kT0);
  q.want(at(1, "10.0.0.1"));
  q.want(RemoteMacGone{vni(100), mac(9)});  // never installed
  EXPECT_EQ(q.pending(), 0u);
  EXPECT_EQ(q.counters().unchanged, 2u);
  EXPECT_EQ(q.installed_count(), 1u);
}

TEST(FibQueue, AnEntryInFlightIsNotSentTwiceAndWhatFollowsGoesNext) {
  FibQueue q;
  q.want(at(1, "10.0.0.1"));
  auto b1 = q.next_batch(kT0, 100);
  q.want(at(1, "10.0.0.3"));
  EXPECT_TRUE(q.next_batch(kT0, 100).empty());
  q.done(b1, std::vector{kOk}, kT0);
  auto b2 = q.next_batch(kT0, 100);
  ASSERT_EQ(b2.size(), 1u);
  EXPECT_EQ(b2[0], Operation(at(1, "10.0.0.3")));
}

TEST(FibQueue, ARemovalWantedWhileTheAddIsInFlightStillGoes) {
  FibQueue q;
  q.want(at(1, "10.0.0.1"));
  auto b1 = q.next_batch(kT0, 100);
  q.want(RemoteMacGone{vni(100), mac(1)});
  q.done(b1, std::vector{kOk}, kT0);
  auto b2 = q.next_batch(kT0, 100);
  ASSERT_EQ(b2.size(), 1u);
  EXPECT_EQ(b2[0], Operation(RemoteMacGone{vni(100), mac(1)}));
  q.done(b2, std::vector{kOk}, kT0);
  EXPECT_EQ(q.installed_count(), 0u);
}

TEST(FibQueue, FailuresAreRetriedWithADoublingBackOffNeverDropped) {
  FibQueue q;
  q.want(at(1, "10.0.0.1"));
  auto b = q.next_batch(kT0, 100);
  q.done(b, std::vector{kBusy}, kT0);
  EXPECT_EQ(q.next_retry(), kT0 + 100ms);
  EXPECT_TRUE(q.next_batch(kT0 + 99ms, 100).empty());
  b = q.next_batch(kT0 + 100ms, 100);
  ASSERT_EQ(b.size(), 1u);
  q.done(b, std::vector{kBusy}, kT0 + 100ms);
  EXPECT_EQ(q.next_retry(), kT0 + 300ms);  // 200 ms after the second failure
  b = q.next_batch(kT0 + 300ms, 100);
  q.done(b, std::vector{kOk}, kT0 + 300ms);
  EXPECT_EQ(q.installed_count(), 1u);
  EXPECT_EQ(q.counters().failed, 2u);
  EXPECT_EQ(q.counters().retried, 2u);
  EXPECT_EQ(q.counters().applied, 1u);
  ASSERT_EQ(q.recent_failures().size(), 2u);
  EXPECT_EQ(q.recent_failures().back().attempts, 2u);
  EXPECT_EQ(q.next_retry(), std::nullopt);
}

TEST(FibQueue, TheBackOffStopsGrowingAtItsCeiling) {
  FibQueue q;
  q.want(at(1, "10.0.0.1"));
  TimePoint t = kT0;
  for (int i = 0; i < 20; ++i) {
    auto b = q.next_batch(t, 100);
    ASSERT_EQ(b.size(), 1u);
    q.done(b, std::vector{kBusy}, t);
    t = *q.next_retry();
  }
  auto b = q.next_batch(t, 100);
  q.done(b, std::vector{kBusy}, t);
  EXPECT_EQ(*q.next_retry() - t, FibQueue::kMaxRetry);
}

TEST(FibQueue, AFailedOperationSupersededMeanwhileIsNotRetried) {
  FibQueue q;
  q.want(at(1, "10.0.0.1"));
  auto b = q.next_batch(kT0, 100);
  q.want(at(1, "10.0.0.3"));
  q.done(b, std::vector{kBusy}, kT0);
  b = q.next_batch(kT0, 100);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0], Operation(at(1, "10.0.0.3")));
}

TEST(FibQueue, BatchesAreBoundedAndInOrder) {
  FibQueue q;
  for (std::uint8_t i = 0; i < 10; ++i) q.want(at(i, "10.0.0.1"));
  auto b = q.next_batch(kT0, 4);
  ASSERT_EQ(b.size(), 4u);
  EXPECT_EQ(b[0], Operation(at(0, "10.0.0.1")));
  EXPECT_EQ(b[3], Operation(at(3, "10.0.0.1")));
  EXPECT_EQ(q.pending(), 6u);
}

// MAC `m` wanted, sent and refused at kT0: it waits 100 ms for its retry, first in the queue.
void fail_once(FibQueue& q, std::uint8_t m) {
  q.want(at(m, "10.0.0.1"));
  const auto b = q.next_batch(kT0, 100);
  q.done(b, std::vector{kBusy}, kT0);
}

TEST(FibQueue, EntriesBehindAWaitingOneGoAndItKeepsItsPlace) {
  FibQueue q;
  fail_once(q, 1);
  for (std::uint8_t i = 2; i < 6; ++i) q.want(at(i, "10.0.0.1"));
  auto b = q.next_batch(kT0 + 10ms, 2);
  ASSERT_EQ(b.size(), 2u);  // the two behind it, in order
  EXPECT_EQ(b[0], Operation(at(2, "10.0.0.1")));
  EXPECT_EQ(b[1], Operation(at(3, "10.0.0.1")));
  q.done(b, std::vector{kOk, kOk}, kT0 + 10ms);
  q.want(at(4, "10.0.0.2"));  // folded in place
  b = q.next_batch(kT0 + 100ms, 100);
  ASSERT_EQ(b.size(), 3u);  // MAC 1 is due now and still goes first
  EXPECT_EQ(b[0], Operation(at(1, "10.0.0.1")));
  EXPECT_EQ(b[1], Operation(at(4, "10.0.0.2")));
  EXPECT_EQ(b[2], Operation(at(5, "10.0.0.1")));
  EXPECT_EQ(q.pending(), 0u);
}

TEST(FibQueue, ManyPositionsLeftBehindAWaitingOneAreDroppedAndNothingIsLost) {
  FibQueue q;
  fail_once(q, 0);
  // 10,000 entries behind it, each sent and answered, each wanted again (another VTEP)
  // and sent again: far more stale positions than live ones.
  std::vector<Operation> ops;
  for (std::uint32_t i = 1; i <= 10'000; ++i) {
    RemoteMac m{vni(100), mac(0), ip("10.0.0.1"), false};
    m.mac.bytes[4] = static_cast<std::uint8_t>(i >> 8);
    m.mac.bytes[5] = static_cast<std::uint8_t>(i);
    ops.emplace_back(m);
  }
  for (const auto& vtep : {"10.0.0.1", "10.0.0.2"}) {
    for (auto op : ops) {
      std::get<RemoteMac>(op).vtep = ip(vtep);
      q.want(op);
    }
    std::size_t sent = 0;
    for (auto batch = q.next_batch(kT0 + 1ms, 512); !batch.empty(); batch = q.next_batch(kT0 + 1ms, 512)) {
      sent += batch.size();
      q.done(batch, std::vector<OperationResult>(batch.size()), kT0 + 1ms);
    }
    EXPECT_EQ(sent, ops.size());
  }
  EXPECT_EQ(q.installed_count(), 10'000u);
  EXPECT_EQ(q.pending(), 1u);  // the waiting one, which still goes when due
  const auto b = q.next_batch(kT0 + 100ms, 10);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0], Operation(at(0, "10.0.0.1")));
}

TEST(FibQueue, ReconcileKeepsWhatIsWantedUnwrittenAndSweepsTheRest) {
  FibQueue q;
  Installed before;
  before.macs = {at(1, "10.0.0.1"), at(2, "10.0.0.1"), at(3, "10.0.0.1")};
  before.flood = {FloodVtep{vni(100), ip("10.0.0.1")}};
  q.adopt_installed(before);
  q.want(at(1, "10.0.0.1"));                      // as it is: no write
  q.want(at(2, "10.0.0.3"));                      // moved while we were away: one write
  q.want(FloodVtep{vni(100), ip("10.0.0.1")});    // as it is
  EXPECT_EQ(q.unconfirmed_count(), 1u);           // MAC 3
  auto b = q.next_batch(kT0, 100);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0], Operation(at(2, "10.0.0.3")));
  q.done(b, std::vector{kOk}, kT0);
  EXPECT_EQ(q.sweep_unconfirmed(), 1u);
  b = q.next_batch(kT0, 100);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0], Operation(RemoteMacGone{vni(100), mac(3)}));
  q.done(b, std::vector{kOk}, kT0);
  EXPECT_EQ(q.installed_count(), 3u);
  EXPECT_EQ(q.counters().swept, 1u);
}

TEST(FibQueue, AGoneVniIsForgottenAndItsFailuresAreNotRetried) {
  FibQueue q;
  q.want(at(1, "10.0.0.1"));
  q.want(FloodVtep{vni(100), ip("10.0.0.1")});
  auto b = q.next_batch(kT0, 1);
  q.forget_vni(vni(100));
  EXPECT_EQ(q.pending(), 0u);
  q.done(b, std::vector{OperationResult{ENODEV, "no such device"}}, kT0);
  EXPECT_EQ(q.pending(), 0u);
  EXPECT_EQ(q.next_retry(), std::nullopt);
  EXPECT_TRUE(q.next_batch(kT0, 100).empty());
}

}  // namespace
}  // namespace evpnd::fib
