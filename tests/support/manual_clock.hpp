#pragma once
// A bgp::Clock that moves only when the test says. advance() walks time forward to each
// due deadline in turn (earliest first, equal deadlines in the order they were set),
// runs that timer's handler there, and ends at the target time; a handler that sets a
// timer due before the target gets it run in the same advance. Nothing here touches the
// io_context: handlers run inside advance(), on the test's thread, like any other event.
#include <cassert>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <utility>

#include "bgp/clock.hpp"

namespace evpnd::test {

class ManualClock final : public bgp::Clock {
 public:
  // Any fixed origin will do; a round one makes times in logs easy to read.
  ManualClock() : now_(TimePoint{} + std::chrono::hours(1000)) {}
  ManualClock(const ManualClock&) = delete;
  ManualClock& operator=(const ManualClock&) = delete;
  ~ManualClock() override { assert(due_.empty() && "every timer dies before its clock"); }

  [[nodiscard]] TimePoint now() const override { return now_; }
  [[nodiscard]] std::unique_ptr<bgp::Timer> make_timer() override { return std::make_unique<ManualTimer>(*this); }

  void advance(std::chrono::steady_clock::duration d) {
    const TimePoint target = now_ + d;
    while (!due_.empty() && due_.begin()->first.first <= target) {
      auto it = due_.begin();
      now_ = std::max(now_, it->first.first);
      auto fired = std::move(it->second.fired);
      it->second.timer->slot_.reset();
      due_.erase(it);
      fired();
    }
    now_ = target;
  }

 private:
  using Slot = std::pair<TimePoint, std::uint64_t>;  // deadline, then the order set

  class ManualTimer final : public bgp::Timer {
   public:
    explicit ManualTimer(ManualClock& clock) : clock_(clock) {}
    ~ManualTimer() override { cancel(); }
    void wait_until(TimePoint deadline, std::function<void()> fired) override {
      cancel();
      slot_ = Slot{deadline, clock_.sequence_++};
      clock_.due_.emplace(*slot_, Entry{this, std::move(fired)});
    }
    void cancel() override {
      if (slot_) clock_.due_.erase(*slot_);
      slot_.reset();
    }

   protected:
    [[nodiscard]] TimePoint now() const override { return clock_.now(); }

   private:
    friend class ManualClock;
    ManualClock& clock_;
    std::optional<Slot> slot_;
  };

  struct Entry {
    ManualTimer* timer;
    std::function<void()> fired;
  };

  TimePoint now_;
  std::uint64_t sequence_ = 0;
  std::map<Slot, Entry> due_;
};

}  // namespace evpnd::test
