#include "bgp/clock.hpp"

namespace evpnd::bgp {

void Timer::wait_for(std::chrono::steady_clock::duration d, std::function<void()> fired) {
  wait_until(now() + d, std::move(fired));
}

namespace {

// An asio handler can be queued to run (its wait completed) when the timer is re-armed,
// cancelled or destroyed; it then runs with success. The generation, shared with the
// handler, tells it that it no longer counts, without touching a destroyed timer.
class SteadyTimer final : public Timer {
 public:
  explicit SteadyTimer(asio::io_context& io) : timer_(io), generation_(std::make_shared<std::uint64_t>(0)) {}
  ~SteadyTimer() override { cancel(); }

  void wait_until(TimePoint deadline, std::function<void()> fired) override {
    const std::uint64_t gen = ++*generation_;
    timer_.expires_at(deadline);
    timer_.async_wait([generation = generation_, gen, fired = std::move(fired)](const boost::system::error_code& ec) {
      if (ec || *generation != gen) return;
      fired();
    });
  }
  void cancel() override {
    ++*generation_;
    timer_.cancel();
  }

 protected:
  [[nodiscard]] TimePoint now() const override { return std::chrono::steady_clock::now(); }

 private:
  asio::steady_timer timer_;
  std::shared_ptr<std::uint64_t> generation_;
};

}  // namespace

std::unique_ptr<Timer> SteadyClock::make_timer() { return std::make_unique<SteadyTimer>(io_); }

}  // namespace evpnd::bgp
