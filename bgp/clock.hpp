#pragma once
// bgp::Clock: the seam through which sessions, peers and update groups see time. The
// daemon runs on SteadyClock (asio timers on the steady clock); the conformance harness
// (tests/conformance) runs the same code on a manual clock that moves only when the test
// says, so that hold timers, keepalives and stale sweeps happen at exact, repeatable
// points and a replayed scenario gives the same output on every run.
//
// A Timer calls its handler once when its deadline passes, unless it is cancelled or
// given a new deadline first: then the old handler is never called (no error code to
// check, no stale handler to guard against). Destroying a timer cancels it.
#include <chrono>
#include <functional>
#include <memory>

#include "bgp/asio.hpp"

namespace evpnd::bgp {

namespace asio = boost::asio;

class Timer {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  virtual ~Timer() = default;
  virtual void wait_until(TimePoint deadline, std::function<void()> fired) = 0;
  void wait_for(std::chrono::steady_clock::duration d, std::function<void()> fired);
  virtual void cancel() = 0;

 protected:
  [[nodiscard]] virtual TimePoint now() const = 0;
};

class Clock {
 public:
  using TimePoint = Timer::TimePoint;
  virtual ~Clock() = default;
  [[nodiscard]] virtual TimePoint now() const = 0;
  [[nodiscard]] virtual std::unique_ptr<Timer> make_timer() = 0;
};

// Real time: std::chrono::steady_clock, timers on the io_context.
class SteadyClock final : public Clock {
 public:
  explicit SteadyClock(asio::io_context& io) : io_(io) {}
  [[nodiscard]] TimePoint now() const override { return std::chrono::steady_clock::now(); }
  [[nodiscard]] std::unique_ptr<Timer> make_timer() override;

 private:
  asio::io_context& io_;
};

}  // namespace evpnd::bgp
