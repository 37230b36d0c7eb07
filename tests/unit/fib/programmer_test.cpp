// fib::Programmer with a scripted backend on its own thread: operations reach the backend
// in batches, a failed add is retried with back-off and counted until it succeeds (never
// lost), events come back to the main loop, and the main loop never waits for a slow
// backend.
#include "support/run_until.hpp"
#include "fib/programmer.hpp"

#include <gtest/gtest.h>

#include "support/evpn_values.hpp"

#include <atomic>
#include <mutex>
#include <sys/eventfd.h>
#include <unistd.h>

namespace evpnd::fib {
namespace {

using namespace std::chrono_literals;

using test::ip;
using test::mac;
using test::vni;

// Fails the first `failures` attempts of every operation with EBUSY; can be made slow;
// reports events through an eventfd.
class ScriptedBackend : public Backend {
 public:
  explicit ScriptedBackend(int failures, std::chrono::milliseconds delay = 0ms)
      : failures_(failures), delay_(delay), efd_(::eventfd(0, EFD_NONBLOCK)) {}
  ~ScriptedBackend() override { ::close(efd_); }

  std::variant<VniDevice, std::string> ensure_vni(const VniSpec& spec) override {
    return VniDevice{spec.vni, "br", "vx", ip("10.0.0.2"), "br", true, 0};
  }
  std::vector<VniDevice> discover() override { return {}; }
  std::vector<Event> local_state() override { return {}; }
  Installed installed() override { return {}; }
  std::vector<OperationResult> apply(std::span<const Operation> ops) override {
    std::this_thread::sleep_for(delay_);
    std::vector<OperationResult> out;
    std::lock_guard lock(mu_);
    ++batches_;
    for (const auto& op : ops) {
      int& n = attempts_[key_of(op)];
      if (n++ < failures_) {
        out.push_back({EBUSY, "busy"});
      } else {
        out.push_back({});
        applied_.push_back(op);
      }
    }
    return out;
  }
  [[nodiscard]] int event_fd() const override { return efd_; }
  std::vector<Event> read_events() override {
    std::uint64_t n = 0;
    if (::read(efd_, &n, sizeof n) != sizeof n) return {};
    std::vector<Event> out;
    for (std::uint64_t i = 0; i < n; ++i) out.push_back(LocalMacGone{vni(100), mac(static_cast<std::uint8_t>(i))});
    return out;
  }
  void raise_events(std::uint64_t n) { [[maybe_unused]] auto r = ::write(efd_, &n, sizeof n); }

  std::vector<Operation> applied() {
    std::lock_guard lock(mu_);
    return applied_;
  }
  int batches() {
    std::lock_guard lock(mu_);
    return batches_;
  }

 private:
  int failures_;
  std::chrono::milliseconds delay_;
  int efd_;
  std::mutex mu_;
  std::map<EntryKey, int> attempts_;
  std::vector<Operation> applied_;
  int batches_ = 0;
};

using test::run_until;

TEST(Programmer, AFailedAddIsRetriedAndCountedUntilItSucceeds) {
  boost::asio::io_context io;
  auto backend = std::make_unique<ScriptedBackend>(3);
  auto* b = backend.get();
  Programmer p(io, std::move(backend), [](std::vector<Event>) {});
  const RemoteMac m{vni(100), mac(1), ip("10.0.0.1"), false};
  p.want(m);
  // 3 failures: retried after 100, 200 and 400 ms.
  ASSERT_TRUE(run_until(io, [&] { return p.queue().installed_count() == 1; }));
  EXPECT_EQ(b->applied(), std::vector<Operation>{m});
  EXPECT_EQ(p.queue().counters().failed, 3u);
  EXPECT_EQ(p.queue().counters().retried, 3u);
  EXPECT_EQ(p.queue().counters().applied, 1u);
  EXPECT_EQ(p.queue().recent_failures().size(), 3u);
  EXPECT_EQ(p.queue().pending(), 0u);
}

TEST(Programmer, WhatOnePassWantsGoesInOneBatch) {
  boost::asio::io_context io;
  auto backend = std::make_unique<ScriptedBackend>(0);
  auto* b = backend.get();
  Programmer p(io, std::move(backend), [](std::vector<Event>) {});
  for (std::uint8_t i = 0; i < 100; ++i) p.want(RemoteMac{vni(100), mac(i), ip("10.0.0.1"), false});
  ASSERT_TRUE(run_until(io, [&] { return p.queue().installed_count() == 100; }));
  EXPECT_EQ(b->batches(), 1);
}

TEST(Programmer, ASlowBackendNeverBlocksTheMainLoopAndWantsFoldMeanwhile) {
  boost::asio::io_context io;
  auto backend = std::make_unique<ScriptedBackend>(0, 300ms);
  auto* b = backend.get();
  Programmer p(io, std::move(backend), [](std::vector<Event>) {});
  p.want(RemoteMac{vni(100), mac(1), ip("10.0.0.1"), false});
  // Let the first batch reach the backend, then keep wanting while it sleeps.
  ASSERT_TRUE(run_until(io, [&] { return p.queue().in_flight(); }));
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < 10; ++i) p.want(RemoteMac{vni(100), mac(2), ip(i % 2 ? "10.0.0.3" : "10.0.0.4"), false});
  io.restart();
  io.run_for(20ms);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 200ms);  // the loop ran while the backend slept
  ASSERT_TRUE(run_until(io, [&] { return p.queue().installed_count() == 2 && !p.queue().in_flight(); }));
  const auto applied = b->applied();
  ASSERT_EQ(applied.size(), 2u);  // MAC 2 written once, where it ended
  EXPECT_EQ(applied[1], Operation(RemoteMac{vni(100), mac(2), ip("10.0.0.3"), false}));
  EXPECT_EQ(p.queue().counters().folded, 9u);
}

TEST(Programmer, BackendEventsComeBackToTheMainLoop) {
  boost::asio::io_context io;
  auto backend = std::make_unique<ScriptedBackend>(0);
  auto* b = backend.get();
  std::vector<Event> got;
  const auto main_thread = std::this_thread::get_id();
  bool on_main = true;
  Programmer p(io, std::move(backend), [&](std::vector<Event> ev) {
    on_main = on_main && std::this_thread::get_id() == main_thread;
    got.insert(got.end(), ev.begin(), ev.end());
  });
  p.watch_events();
  b->raise_events(3);
  ASSERT_TRUE(run_until(io, [&] { return got.size() == 3; }));
  EXPECT_TRUE(on_main);
}

TEST(Programmer, AJobRunsOnTheBackendThreadAndItsContinuationOnTheMainLoop) {
  boost::asio::io_context io;
  Programmer p(io, std::make_unique<ScriptedBackend>(0), [](std::vector<Event>) {});
  const auto main_thread = std::this_thread::get_id();
  std::atomic<bool> job_off_main{false};
  bool then_on_main = false, done = false;
  p.run([&](Backend& b) -> std::function<void()> {
    job_off_main = std::this_thread::get_id() != main_thread;
    auto d = b.ensure_vni(VniSpec{vni(100), {}, {}, {}, false});
    return [&, ok = std::holds_alternative<VniDevice>(d)] {
      then_on_main = std::this_thread::get_id() == main_thread && ok;
      done = true;
    };
  });
  ASSERT_TRUE(run_until(io, [&] { return done; }));
  EXPECT_TRUE(job_off_main);
  EXPECT_TRUE(then_on_main);
}

}  // namespace
}  // namespace evpnd::fib
