#pragma once
// fib::Programmer: drives a fib::Backend from the control plane without ever making the
// control plane wait for it. The backend lives on a thread of its own with its own
// io_context; the main loop hands it one batch at a time (what FibQueue folded since the
// last one) and carries on, and the results and the backend's events come back to the
// main loop as posted messages (ARCHITECTURE "Threads"). While a batch is in the kernel,
// new wants fold into the queue, so a slow kernel means bigger batches, not a backlog of
// stale operations. Failed operations are retried with a back-off (fib_queue.hpp).
//
//   main loop                                  backend thread
//   want(op) ─► FibQueue ─ next_batch ─post─►  Backend::apply(batch)
//           ◄──────────────── post(results) ──┘
//   on_events ◄────────────── post(events) ─── event_fd readable ─► Backend::read_events
//   run(job)  ────────────────── post ──────►  job(backend) ─► continuation posted back
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "fib/backend.hpp"
#include "fib/fib_queue.hpp"

namespace evpnd::fib {

class Programmer {
 public:
  using EventSink = std::function<void(std::vector<Event>)>;
  // A job for the backend thread; what it returns runs on the main loop afterwards.
  using Job = std::function<std::function<void()>(Backend&)>;
  static constexpr std::size_t kMaxBatch = 16384;

  Programmer(boost::asio::io_context& main, std::unique_ptr<Backend> backend, EventSink on_events);
  ~Programmer();  // finishes the batch in flight, then stops the thread
  Programmer(const Programmer&) = delete;
  Programmer& operator=(const Programmer&) = delete;

  // Runs `job` on the backend thread (start-up: discover, ensure a VNI, dump the
  // kernel's state) and its continuation on the main loop.
  void run(Job job);
  // Starts delivering the backend's events (after the start-up dumps, so that nothing
  // is reported twice out of order).
  void watch_events();

  void want(const Operation& op);
  void adopt_installed(const Installed& installed) { queue_.adopt_installed(installed); }
  // Removes what an earlier life installed that nothing wants (the RIB has converged).
  void sweep_unconfirmed();
  void forget_vni(Vni vni) { queue_.forget_vni(vni); }

  [[nodiscard]] const FibQueue& queue() const { return queue_; }

 private:
  struct Worker;
  void kick();
  void send_batch();
  void arm_retry();

  boost::asio::io_context& main_;
  FibQueue queue_;
  EventSink on_events_;
  boost::asio::steady_timer retry_timer_;
  bool kick_posted_ = false;
  std::unique_ptr<Worker> worker_;
  // Cleared when the programmer goes, so that nothing posted back runs after it.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace evpnd::fib
