#pragma once
// In-memory connections for the conformance harness: a Pipe is one connection between
// the speaker (its end is a bgp::Transport) and the test (the other end: send bytes in,
// take what the speaker wrote). Completions are posted to the io_context, as a socket's
// would be, so the speaker sees the same order of events it sees over TCP, and a test
// that runs the io_context until it is idle has everything delivered.
//
// MemoryConnector opens pipes when the speaker connects out: the test says per neighbor
// address whether a connection is accepted (and gets the pipe) or refused.
#include <cstdint>
#include <cstring>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bgp/transport.hpp"

namespace evpnd::test {

namespace asio = boost::asio;

class Pipe : public std::enable_shared_from_this<Pipe> {
 public:
  Pipe(asio::io_context& io, bgp::tcp::endpoint speaker_side) : io_(io), local_(speaker_side) {}

  // The speaker's end.
  std::unique_ptr<bgp::Transport> speaker_end();

  // The test's end.
  void send(const std::vector<std::uint8_t>& bytes) {
    if (test_closed_) return;
    inbound_.insert(inbound_.end(), bytes.begin(), bytes.end());
    deliver();
  }
  // The peer closes its side (the speaker reads end of file).
  void close_from_test() {
    test_closed_ = true;
    deliver();
  }
  // What the speaker wrote since the last call.
  std::vector<std::uint8_t> take_written() { return std::exchange(outbound_, {}); }
  [[nodiscard]] bool closed_by_speaker() const { return speaker_closed_; }

 private:
  friend class PipeTransport;
  struct Read {
    std::span<std::uint8_t> into;
    bgp::Transport::Done done;
  };

  void deliver() {
    if (!pending_read_) return;
    if (!inbound_.empty()) {
      const std::size_t n = std::min(inbound_.size(), pending_read_->into.size());
      std::copy_n(inbound_.begin(), n, pending_read_->into.begin());
      inbound_.erase(inbound_.begin(), inbound_.begin() + static_cast<std::ptrdiff_t>(n));
      complete(std::exchange(pending_read_, std::nullopt)->done, {}, n);
    } else if (test_closed_) {
      complete(std::exchange(pending_read_, std::nullopt)->done, asio::error::eof, 0);
    }
  }
  void complete(bgp::Transport::Done done, boost::system::error_code ec, std::size_t n) {
    // A closed end completes nothing with success (Transport's promise).
    asio::post(io_, [self = shared_from_this(), done = std::move(done), ec, n] {
      if (self->speaker_closed_ && !ec) return done(asio::error::operation_aborted, 0);
      done(ec, n);
    });
  }

  asio::io_context& io_;
  bgp::tcp::endpoint local_;
  std::deque<std::uint8_t> inbound_;   // test -> speaker
  std::vector<std::uint8_t> outbound_; // speaker -> test
  std::optional<Read> pending_read_;
  bool test_closed_ = false;
  bool speaker_closed_ = false;
};

class PipeTransport final : public bgp::Transport {
 public:
  explicit PipeTransport(std::shared_ptr<Pipe> pipe) : pipe_(std::move(pipe)) {}
  ~PipeTransport() override { close(false, {}); }

  void read_some(std::span<std::uint8_t> into, Done done) override {
    pipe_->pending_read_ = Pipe::Read{into, std::move(done)};
    pipe_->deliver();
  }
  void write(std::span<const asio::const_buffer> buffers, Done done) override {
    std::size_t n = 0;
    for (const auto& b : buffers) {
      const auto* p = static_cast<const std::uint8_t*>(b.data());
      pipe_->outbound_.insert(pipe_->outbound_.end(), p, p + b.size());
      n += b.size();
    }
    pipe_->complete(std::move(done), {}, n);
  }
  void close(bool, std::chrono::milliseconds) override {
    if (pipe_->speaker_closed_) return;
    pipe_->speaker_closed_ = true;
    if (pipe_->pending_read_)
      pipe_->complete(std::exchange(pipe_->pending_read_, std::nullopt)->done, asio::error::operation_aborted, 0);
  }
  [[nodiscard]] std::optional<bgp::tcp::endpoint> local_endpoint() const override { return pipe_->local_; }

 private:
  std::shared_ptr<Pipe> pipe_;
};

inline std::unique_ptr<bgp::Transport> Pipe::speaker_end() { return std::make_unique<PipeTransport>(shared_from_this()); }

class MemoryConnector final : public bgp::Connector {
 public:
  // `on_connect` answers each attempt: a pipe to accept it (the test keeps the pipe), or
  // null to refuse it ("connection refused").
  using Answer = std::function<std::shared_ptr<Pipe>(const bgp::SessionEndpoint&)>;
  MemoryConnector(asio::io_context& io, Answer on_connect) : io_(io), answer_(std::move(on_connect)) {}

  Cancel connect(const bgp::SessionEndpoint& endpoint, const std::string&, Connected done) override {
    auto cancelled = std::make_shared<bool>(false);
    asio::post(io_, [this, endpoint, cancelled, done = std::move(done)] {
      if (*cancelled) return;
      auto pipe = answer_(endpoint);
      if (!pipe) return done(nullptr, "connect: Connection refused");
      done(pipe->speaker_end(), {});
    });
    return [cancelled] { *cancelled = true; };
  }

 private:
  asio::io_context& io_;
  Answer answer_;
};

}  // namespace evpnd::test
