#include "bgp/session.hpp"

#include <spdlog/spdlog.h>

#include <cstring>

namespace evpnd::bgp {

namespace {

constexpr std::size_t kReadChunk = 64 * 1024;

tcp::endpoint to_endpoint(const wire::IpAddress& a, std::uint16_t port) {
  if (a.is_v4()) return {asio::ip::address_v4(a.v4_host_order()), port};
  asio::ip::address_v6::bytes_type b{};
  std::memcpy(b.data(), a.data(), 16);
  return {asio::ip::address_v6(b), port};
}

const char* timer_name(fsm::Timer t) {
  switch (t) {
    case fsm::Timer::ConnectRetry: return "connect-retry";
    case fsm::Timer::Hold: return "hold";
    case fsm::Timer::Keepalive: return "keepalive";
  }
  return "?";
}

}  // namespace

Session::Session(asio::io_context& io, fsm::PeerConfig config, std::string hostname, SessionEndpoint endpoint,
                 Callbacks callbacks, std::string log_name)
    : io_(io),
      config_(std::move(config)),
      hostname_(std::move(hostname)),
      endpoint_(std::move(endpoint)),
      callbacks_(std::move(callbacks)),
      name_(std::move(log_name)),
      connect_retry_timer_(io),
      hold_timer_(io),
      keepalive_timer_(io) {}

Session::~Session() {
  connect_retry_timer_.cancel();
  hold_timer_.cancel();
  keepalive_timer_.cancel();
  if (socket_) {
    boost::system::error_code ec;
    socket_->close(ec);
  }
}

void Session::start(bool passive) {
  if (passive)
    handle(fsm::AutomaticStartPassive{});
  else
    handle(fsm::AutomaticStart{});
}

void Session::attach(tcp::socket socket) {
  close_socket();
  socket_.emplace(std::move(socket));
  inbound_ = true;
  ++connection_generation_;
  read_more();
  handle(fsm::TcpConnectionConfirmed{});
}

void Session::stop() { handle(fsm::ManualStop{}); }

void Session::dump_for_collision() {
  handle(fsm::OpenCollisionDump{});
  retire();
}

// A retired session sends what it has queued (the NOTIFICATION), then closes; it takes
// no further events, so no timer of it can reconnect behind the Peer's back.
void Session::retire() {
  retired_ = true;
  if (in_handle_) return;  // finished by handle() once the queued events have run
  finish_retire();
}

void Session::finish_retire() {
  for (auto t : {fsm::Timer::ConnectRetry, fsm::Timer::Hold, fsm::Timer::Keepalive}) stop_timer(t);
  ++connection_generation_;
  if (writing_ || !tx_.empty())
    close_after_flush_ = true;
  else
    close_socket();
}

void Session::reset_for_update_error(const wire::DecodeError& error) { handle(fsm::UpdateMsgErr{error}); }

void Session::send_encoded(wire::ByteVec message, bool is_update) {
  if (fsm_.state != fsm::State::Established) return;
  if (is_update) ++counters_.updates_out;
  write(std::move(message));
}

std::optional<tcp::endpoint> Session::local_endpoint() const {
  if (!socket_) return std::nullopt;
  boost::system::error_code ec;
  auto ep = socket_->local_endpoint(ec);
  if (ec) return std::nullopt;
  return ep;
}

// Events raised while actions run (a close that fails, say) are queued and handled in
// order after the current transition, so the FSM always sees one event at a time.
void Session::handle(const fsm::Event& event) {
  if (retired_ && !in_handle_) return;
  pending_events_.push_back(event);
  if (in_handle_) return;
  in_handle_ = true;
  while (!pending_events_.empty()) {
    fsm::Event ev = std::move(pending_events_.front());
    pending_events_.pop_front();
    const fsm::State before = fsm_.state;
    fsm::Transition t = fsm::step(fsm_, ev, config_);
    fsm_ = std::move(t.next);
    if (before != fsm_.state) {
      spdlog::debug("[{}] {} -> {} on {}", name_, fsm::to_string(before), fsm::to_string(fsm_.state),
                    fsm::event_name(ev));
    }
    for (const auto& a : t.actions) execute(a);
    if (before != fsm_.state && callbacks_.state_changed && !retired_)
      callbacks_.state_changed(*this, before, fsm_.state);
  }
  in_handle_ = false;
  if (retired_) finish_retire();
}

void Session::execute(const fsm::Action& action) {
  std::visit(
      [&](const auto& a) {
        using A = std::decay_t<decltype(a)>;
        if constexpr (std::is_same_v<A, fsm::ConnectTcp>) {
          connect();
        } else if constexpr (std::is_same_v<A, fsm::CloseTcp>) {
          ++connection_generation_;  // stop reading; stale handlers return
          peer_open_.reset();
          if (writing_ || !tx_.empty())
            close_after_flush_ = true;
          else
            close_socket();
        } else if constexpr (std::is_same_v<A, fsm::SendOpen>) {
          ++counters_.opens_out;
          write(wire::encode_message(wire::Message{a.open}, codec_));
        } else if constexpr (std::is_same_v<A, fsm::SendKeepalive>) {
          ++counters_.keepalives_out;
          write(wire::encode_message(wire::Message{wire::KeepaliveMessage{}}, codec_));
        } else if constexpr (std::is_same_v<A, fsm::SendNotification>) {
          ++counters_.notifications_out;
          last_error_ = "sent " + a.notification.describe();
          spdlog::warn("[{}] sending NOTIFICATION {}", name_, a.notification.describe());
          write(wire::encode_message(wire::Message{a.notification}, codec_));
        } else if constexpr (std::is_same_v<A, fsm::StartTimer>) {
          start_timer(a.timer, a.seconds);
        } else if constexpr (std::is_same_v<A, fsm::StopTimer>) {
          stop_timer(a.timer);
        } else if constexpr (std::is_same_v<A, fsm::SessionUp>) {
          codec_ = a.negotiated.codec_context();
          spdlog::info("[{}] session Established (hold {} s, keepalive {} s)", name_, a.negotiated.hold_time,
                       a.negotiated.keepalive);
          if (callbacks_.up) callbacks_.up(*this, a.negotiated);
        } else if constexpr (std::is_same_v<A, fsm::SessionDown>) {
          codec_ = wire::CodecContext{};
          if (!a.reason.empty()) last_error_ = a.reason;
          if (a.was_established)
            spdlog::warn("[{}] session down: {}", name_, a.reason);
          else
            spdlog::debug("[{}] connection ended: {}", name_, a.reason);
          if (callbacks_.down) callbacks_.down(*this, a.reason, a.was_established);
        }
      },
      action);
}

void Session::connect() {
  close_socket();
  inbound_ = false;
  const auto remote = to_endpoint(endpoint_.remote, endpoint_.port);
  socket_.emplace(io_);
  boost::system::error_code ec;
  socket_->open(remote.protocol(), ec);
  if (!ec && endpoint_.local) socket_->bind(to_endpoint(*endpoint_.local, 0), ec);
  const auto gen = ++connection_generation_;
  if (ec) {
    last_error_ = "connect: " + ec.message();
    // Report the failure from the event loop, not from inside the action.
    asio::post(io_, [self = shared_from_this(), gen] {
      if (gen == self->connection_generation_) self->handle(fsm::TcpConnectionFails{});
    });
    return;
  }
  socket_->async_connect(remote, [self = shared_from_this(), gen](const boost::system::error_code& err) {
    if (gen != self->connection_generation_) return;
    if (err) {
      self->last_error_ = "connect: " + err.message();
      self->handle(fsm::TcpConnectionFails{});
      return;
    }
    boost::system::error_code nd;
    self->socket_->set_option(tcp::no_delay(true), nd);
    self->read_more();
    self->handle(fsm::TcpCrAcked{});
  });
}

void Session::read_more() {
  if (!socket_) return;
  if (rx_.size() - rx_used_ < kReadChunk / 4) rx_.resize(rx_used_ + kReadChunk);
  const auto gen = connection_generation_;
  socket_->async_read_some(asio::buffer(rx_.data() + rx_used_, rx_.size() - rx_used_),
                           [self = shared_from_this(), gen](const boost::system::error_code& ec, std::size_t n) {
                             if (gen != self->connection_generation_) return;
                             if (ec) {
                               self->last_error_ = ec == asio::error::eof ? "peer closed the connection"
                                                                          : "read: " + ec.message();
                               self->handle(fsm::TcpConnectionFails{});
                               return;
                             }
                             self->rx_used_ += n;
                             self->on_bytes();
                             if (gen == self->connection_generation_) self->read_more();
                           });
}

// Frames and decodes every whole message in the buffer before reading again, so a burst
// of UPDATEs is applied as one batch.
void Session::on_bytes() {
  const auto gen = connection_generation_;
  std::size_t off = 0;
  while (gen == connection_generation_) {
    wire::ByteSpan avail(rx_.data() + off, rx_used_ - off);
    auto framed = wire::frame_length(avail, codec_);
    if (!framed) {
      handle(fsm::BgpHeaderErr{framed.error()});
      return;
    }
    if (!framed.value()) break;
    const std::size_t len = *framed.value();
    wire::ByteSpan msg(rx_.data() + off, len);
    const auto type = static_cast<wire::MessageType>(msg[18]);
    auto decoded = wire::decode_message(msg, codec_);
    off += len;
    ++counters_.messages_in;
    if (!decoded) {
      spdlog::warn("[{}] malformed {} message: {}", name_, static_cast<int>(type), decoded.error().reason);
      if (type == wire::MessageType::Open)
        handle(fsm::BgpOpenMsgErr{decoded.error()});
      else if (type == wire::MessageType::Update)
        handle(fsm::UpdateMsgErr{decoded.error()});
      else
        handle(fsm::BgpHeaderErr{decoded.error()});
      return;
    }
    dispatch(std::move(decoded.value()), len);
  }
  if (gen != connection_generation_) return;
  if (off > 0) {
    std::memmove(rx_.data(), rx_.data() + off, rx_used_ - off);
    rx_used_ -= off;
  }
}

void Session::dispatch(wire::DecodedMessage message, std::size_t /*size*/) {
  std::visit(
      [&](auto& m) {
        using M = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<M, wire::OpenMessage>) {
          ++counters_.opens_in;
          peer_open_ = m;
          handle(fsm::BgpOpen{m});
        } else if constexpr (std::is_same_v<M, wire::DecodedUpdate>) {
          ++counters_.updates_in;
          handle(fsm::UpdateMsg{});
          if (fsm_.state == fsm::State::Established && callbacks_.update) callbacks_.update(*this, m);
        } else if constexpr (std::is_same_v<M, wire::NotificationMessage>) {
          ++counters_.notifications_in;
          last_error_ = "received " + m.describe();
          spdlog::warn("[{}] received NOTIFICATION {}", name_, m.describe());
          handle(fsm::notification_event(m));
        } else if constexpr (std::is_same_v<M, wire::KeepaliveMessage>) {
          ++counters_.keepalives_in;
          handle(fsm::KeepAliveMsg{});
        } else if constexpr (std::is_same_v<M, wire::RouteRefreshMessage>) {
          ++counters_.route_refresh_in;
          if (fsm_.state == fsm::State::Established && callbacks_.route_refresh) callbacks_.route_refresh(*this, m);
        }
      },
      message);
}

void Session::write(wire::ByteVec message) {
  if (!socket_) return;
  ++counters_.messages_out;
  tx_.push_back(std::move(message));
  if (!writing_) write_next();
}

void Session::write_next() {
  if (tx_.empty() || !socket_) {
    writing_ = false;
    if (close_after_flush_) close_socket();
    return;
  }
  writing_ = true;
  asio::async_write(*socket_, asio::buffer(tx_.front()),
                    [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
                      if (!self->socket_) return;
                      self->tx_.pop_front();
                      if (ec) {
                        self->tx_.clear();
                        self->writing_ = false;
                        if (self->close_after_flush_) {
                          self->close_socket();
                        } else {
                          self->last_error_ = "write: " + ec.message();
                          self->handle(fsm::TcpConnectionFails{});
                        }
                        return;
                      }
                      self->write_next();
                    });
}

void Session::close_socket() {
  close_after_flush_ = false;
  writing_ = false;
  tx_.clear();
  rx_used_ = 0;
  if (socket_) {
    boost::system::error_code ec;
    socket_->shutdown(tcp::socket::shutdown_both, ec);
    socket_->close(ec);
    socket_.reset();
  }
}

asio::steady_timer& Session::timer(fsm::Timer t) {
  switch (t) {
    case fsm::Timer::ConnectRetry: return connect_retry_timer_;
    case fsm::Timer::Hold: return hold_timer_;
    case fsm::Timer::Keepalive: return keepalive_timer_;
  }
  return hold_timer_;
}

void Session::start_timer(fsm::Timer t, std::uint32_t seconds) {
  const auto idx = static_cast<std::size_t>(t);
  const auto gen = ++timer_generation_[idx];
  auto& tm = timer(t);
  tm.expires_after(std::chrono::seconds(seconds));
  tm.async_wait([self = shared_from_this(), t, idx, gen](const boost::system::error_code& ec) {
    if (ec || gen != self->timer_generation_[idx]) return;
    spdlog::trace("[{}] {} timer expired", self->name_, timer_name(t));
    switch (t) {
      case fsm::Timer::ConnectRetry: self->handle(fsm::ConnectRetryTimerExpires{}); break;
      case fsm::Timer::Hold: self->handle(fsm::HoldTimerExpires{}); break;
      case fsm::Timer::Keepalive: self->handle(fsm::KeepaliveTimerExpires{}); break;
    }
  });
}

void Session::stop_timer(fsm::Timer t) {
  ++timer_generation_[static_cast<std::size_t>(t)];
  timer(t).cancel();
}

}  // namespace evpnd::bgp
