#include "fib/programmer.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>

namespace evpnd::fib {

namespace asio = boost::asio;

// The backend's thread: its io_context, the backend, and the watch on its events.
struct Programmer::Worker {
  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> guard{io.get_executor()};
  std::unique_ptr<Backend> backend;
  std::unique_ptr<asio::posix::stream_descriptor> events;
  std::thread thread;

  explicit Worker(std::unique_ptr<Backend> b) : backend(std::move(b)) {
    thread = std::thread([this] { io.run(); });
  }
  ~Worker() {
    asio::post(io, [this] {
      // The descriptor belongs to the backend: let go of it without closing it.
      if (events) {
        events->cancel();
        events->release();
      }
    });
    guard.reset();
    thread.join();
  }
};

Programmer::Programmer(asio::io_context& main, std::unique_ptr<Backend> backend, EventSink on_events)
    : main_(main), on_events_(std::move(on_events)), retry_timer_(main),
      worker_(std::make_unique<Worker>(std::move(backend))) {}

Programmer::~Programmer() {
  *alive_ = false;
  worker_.reset();
}

void Programmer::run(Job job) {
  // Work on the backend thread reaches the worker through `w`, never through worker_,
  // which is already null while ~Worker drains the queue.
  Worker& w = *worker_;
  asio::post(w.io, [&w, &main = main_, job = std::move(job), alive = alive_] {
    auto then = job(*w.backend);
    asio::post(main, [alive, then = std::move(then)] {
      if (*alive && then) then();
    });
  });
}

void Programmer::watch_events() {
  Worker& w = *worker_;
  asio::post(w.io, [this, &w, &main = main_, alive = alive_] {
    const int fd = w.backend->event_fd();
    if (fd < 0 || w.events) return;
    w.events = std::make_unique<asio::posix::stream_descriptor>(w.io, fd);
    // The wait re-arms itself; the last copy goes when the wait is cancelled.
    auto wait = std::make_shared<std::function<void()>>();
    *wait = [this, &w, &main, alive, weak = std::weak_ptr(wait)] {
      w.events->async_wait(asio::posix::stream_descriptor::wait_read,
                           [this, &w, &main, alive, self = weak.lock()](const boost::system::error_code& ec) {
                             if (ec) return;  // cancelled: the programmer is going
                             auto events = w.backend->read_events();
                             if (!events.empty()) {
                               asio::post(main, [this, alive, events = std::move(events)]() mutable {
                                 if (*alive) on_events_(std::move(events));
                               });
                             }
                             (*self)();
                           });
    };
    (*wait)();
  });
}

void Programmer::want(const Operation& op) {
  queue_.want(op);
  kick();
}

void Programmer::sweep_unconfirmed() {
  if (queue_.sweep_unconfirmed() > 0) kick();
}

void Programmer::kick() {
  // Once per pass of the main loop: what one pass wants goes in one batch.
  if (kick_posted_ || queue_.in_flight()) return;
  kick_posted_ = true;
  asio::post(main_, [this, alive = alive_] {
    if (!*alive) return;
    kick_posted_ = false;
    send_batch();
  });
}

void Programmer::send_batch() {
  if (queue_.in_flight()) return;
  auto batch = queue_.next_batch(std::chrono::steady_clock::now(), kMaxBatch);
  if (batch.empty()) {
    arm_retry();
    return;
  }
  Worker& w = *worker_;
  asio::post(w.io, [this, &w, &main = main_, alive = alive_, batch = std::move(batch)]() mutable {
    auto results = w.backend->apply(batch);
    asio::post(main, [this, alive, batch = std::move(batch), results = std::move(results)] {
      if (!*alive) return;
      queue_.done(batch, results, std::chrono::steady_clock::now());
      send_batch();
    });
  });
}

void Programmer::arm_retry() {
  const auto due = queue_.next_retry();
  if (!due) return;
  retry_timer_.expires_at(*due);
  retry_timer_.async_wait([this, alive = alive_](const boost::system::error_code& ec) {
    if (ec || !*alive) return;
    send_batch();
  });
}

}  // namespace evpnd::fib
