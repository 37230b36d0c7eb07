#include "bgp/session.hpp"

#include <spdlog/spdlog.h>

#include <cstring>

#include "bgp/socket_options.hpp"

namespace evpnd::bgp {

namespace {

constexpr std::size_t kReadChunk = 64 * 1024;
// One gathered write takes at most this much (it is also the unit of progress the send
// hold timer sees).
constexpr std::size_t kMaxGatherBytes = 256u << 10;
constexpr std::size_t kMaxGatherMessages = 64;
// RFC 9687 suggests max(8 minutes, 2 x the negotiated hold time).
constexpr std::uint32_t kSendHoldFloor = 480;

fsm::Event expiry_event(fsm::Timer t) {
  switch (t) {
    case fsm::Timer::ConnectRetry: return fsm::ConnectRetryTimerExpires{};
    case fsm::Timer::Hold: return fsm::HoldTimerExpires{};
    case fsm::Timer::Keepalive: return fsm::KeepaliveTimerExpires{};
  }
  return fsm::HoldTimerExpires{};
}

bool counts_for_output_cap(wire::MessageType type) {
  return type == wire::MessageType::Update || type == wire::MessageType::RouteRefresh;
}

}  // namespace

Session::Session(SessionIo io, fsm::PeerConfig config, SessionEndpoint endpoint, SessionLimits limits,
                 Callbacks callbacks, std::string log_name)
    : io_(io.io),
      clock_(io.clock),
      connector_(io.connector),
      config_(std::move(config)),
      endpoint_(std::move(endpoint)),
      limits_(limits),
      callbacks_(std::move(callbacks)),
      name_(std::move(log_name)),
      flush_timer_(clock_.make_timer()),
      connect_retry_timer_(clock_),
      hold_timer_(clock_),
      keepalive_timer_(clock_),
      send_hold_timer_(clock_) {}

Session::~Session() {
  if (cancel_connect_) cancel_connect_();
  if (transport_) transport_->close(false, {});
}

void Session::start(bool passive) {
  if (passive)
    handle(fsm::AutomaticStartPassive{});
  else
    handle(fsm::AutomaticStart{});
}

void Session::attach(std::unique_ptr<Transport> transport) {
  close_socket();
  transport_ = std::move(transport);
  inbound_ = true;
  ++connection_generation_;
  read_more();
  handle(fsm::TcpConnectionConfirmed{});
}

void Session::stop(bool notify) { handle(fsm::ManualStop{notify}); }

void Session::automatic_stop(fsm::AutomaticStop stop) { handle(std::move(stop)); }

void Session::manual_start() {
  if (config_.passive)
    handle(fsm::ManualStartPassive{});
  else
    handle(fsm::ManualStart{});
}

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
  stop_deadline(send_hold_timer_);
  close_tcp(false);
}

void Session::reset_for_update_error(const wire::DecodeError& error) { handle(fsm::UpdateMsgErr{error}); }

void Session::send_encoded(wire::ByteVec message, wire::MessageType type) {
  send_shared(std::make_shared<const wire::ByteVec>(std::move(message)), type);
}

void Session::send_shared(Buffer message, wire::MessageType type) {
  if (fsm_.state != fsm::State::Established || close_after_flush_) return;
  if (counts_for_output_cap(type) && queued_bytes_ + message->size() > limits_.max_queued_bytes) {
    // The peer reads slower than we produce, for longer than the queue allows: end the
    // session rather than grow without bound (RFC 4486 Out of Resources). What is not
    // yet written is dropped; the NOTIFICATION follows the write in flight.
    last_error_ = "output queue over " + std::to_string(limits_.max_queued_bytes >> 20) + " MiB: the peer reads too slowly";
    spdlog::warn("[{}] {}", name_, last_error_);
    fsm::AutomaticStop stop{wire::NotificationMessage::cease(wire::CeaseSubcode::OutOfResources)};
    stop.discard_output = true;
    handle(std::move(stop));
    return;
  }
  if (type == wire::MessageType::Update) {
    ++counters_.updates_out;
    // RFC 4271 §8.2.2: "Each time the local system sends a KEEPALIVE or UPDATE message,
    // it restarts its KeepaliveTimer" (m1-rfc §13).
    if (keepalive_timer_.deadline && keepalive_period_.count() > 0)
      start_deadline(keepalive_timer_, keepalive_period_, fsm::KeepaliveTimerExpires{});
  } else if (type == wire::MessageType::RouteRefresh) {
    ++counters_.route_refresh_out;
  }
  write(std::move(message));
}

void Session::notify_when_drained() {
  if (queued_bytes_ < kLowWater) {
    asio::post(io_, [self = shared_from_this(), gen = socket_generation_] {
      if (gen == self->socket_generation_ && self->callbacks_.output_drained) self->callbacks_.output_drained(*self);
    });
    return;
  }
  drain_wanted_ = true;
}

std::optional<tcp::endpoint> Session::local_endpoint() const {
  if (!transport_) return std::nullopt;
  return transport_->local_endpoint();
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
    current_event_ = ev;
    const fsm::State before = fsm_.state;
    // Say why a connection never came up, before the FSM's reason replaces it.
    if (before == fsm::State::Connect && std::holds_alternative<fsm::ConnectRetryTimerExpires>(ev))
      last_error_ = connect_timeout_reason();
    fsm::Transition t = fsm::step(fsm_, ev, config_);
    fsm_ = std::move(t.next);
    if (before != fsm_.state) {
      spdlog::debug("[{}] {} -> {} on {}", name_, fsm::to_string(before), fsm::to_string(fsm_.state),
                    fsm::event_name(ev));
    }
    for (const auto& a : t.actions) execute(a);
    if (before == fsm::State::OpenSent && std::holds_alternative<fsm::HoldTimerExpires>(ev) &&
        endpoint_.ttl_security_hops)
      last_error_ += "; ttl-security hops " + std::to_string(endpoint_.ttl_security_hops) +
                     " is set: the kernel drops segments that arrive with a TTL below " +
                     std::to_string(gtsm_min_ttl(endpoint_.ttl_security_hops));
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
          close_tcp(a.discard_output);
        } else if constexpr (std::is_same_v<A, fsm::SendOpen>) {
          ++counters_.opens_out;
          write(std::make_shared<const wire::ByteVec>(wire::encode_message(wire::Message{a.open}, codec_)));
        } else if constexpr (std::is_same_v<A, fsm::SendKeepalive>) {
          ++counters_.keepalives_out;
          write(std::make_shared<const wire::ByteVec>(
              wire::encode_message(wire::Message{wire::KeepaliveMessage{}}, codec_)));
        } else if constexpr (std::is_same_v<A, fsm::SendNotification>) {
          ++counters_.notifications_out;
          last_error_ = "sent " + a.notification.describe();
          spdlog::warn("[{}] sending NOTIFICATION {}", name_, a.notification.describe());
          write(std::make_shared<const wire::ByteVec>(wire::encode_message(wire::Message{a.notification}, codec_)));
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
          // The FSM knows only that TCP failed; the socket said how.
          std::string reason = a.reason;
          if (std::holds_alternative<fsm::TcpConnectionFails>(current_event_) && !socket_error_.empty())
            reason += " (" + socket_error_ + ")";
          if (!reason.empty()) last_error_ = reason;
          if (a.was_established)
            spdlog::warn("[{}] session down: {}", name_, reason);
          else
            spdlog::debug("[{}] connection ended: {}", name_, reason);
          if (callbacks_.down) callbacks_.down(*this, reason, a.was_established);
        }
      },
      action);
}

// CloseTcp: stop reading now; send what is queued (for at most limits_.flush_limit),
// then close.
// With discard_output, messages not yet handed to the socket are dropped first, except
// NOTIFICATIONs: the peer is behind, and what it would get later no longer matters.
void Session::close_tcp(bool discard_output) {
  ++connection_generation_;  // stop reading; stale read and connect handlers return
  peer_open_.reset();
  stop_deadline(send_hold_timer_);
  if (discard_output) {
    for (std::size_t i = tx_.size(); i-- > in_flight_;) {
      if ((*tx_[i])[18] == static_cast<std::uint8_t>(wire::MessageType::Notification)) continue;
      queued_bytes_ -= tx_[i]->size();
      tx_.erase(tx_.begin() + static_cast<std::ptrdiff_t>(i));
    }
  }
  if (!writing_ && tx_.empty()) {
    close_socket(true);
    return;
  }
  if (close_after_flush_) return;
  close_after_flush_ = true;
  flush_timer_->wait_for(limits_.flush_limit, [weak = weak_from_this(), gen = socket_generation_] {
    auto self = weak.lock();
    if (!self || gen != self->socket_generation_) return;
    spdlog::debug("[{}] closing: queued output did not leave within {} ms", self->name_,
                  self->limits_.flush_limit.count());
    self->close_socket();
  });
}

void Session::connect() {
  close_socket();
  inbound_ = false;
  const auto gen = ++connection_generation_;
  if (!endpoint_.password.empty()) {
    if (auto c = read_md5_drop_counters()) md5_drops_at_connect_ = c->total();
  }
  cancel_connect_ = connector_.connect(
      endpoint_, name_, [weak = weak_from_this(), gen](std::unique_ptr<Transport> transport, const std::string& error) {
        auto self = weak.lock();
        if (!self || gen != self->connection_generation_) return;
        self->cancel_connect_ = nullptr;
        if (!transport) {
          self->socket_error_ = error;
          self->last_error_ = error;
          self->handle(fsm::TcpConnectionFails{});
          return;
        }
        self->transport_ = std::move(transport);
        self->read_more();
        self->handle(fsm::TcpCrAcked{});
      });
}

std::string Session::connect_timeout_reason() const {
  std::string why = "connect: no answer within " + std::to_string(connect_retry_period_.count()) + " s";
  if (!endpoint_.password.empty()) {
    why += "; TCP-MD5 is configured: a password that differs at either end makes the SYN vanish";
    const auto now = read_md5_drop_counters();
    if (now && md5_drops_at_connect_ && now->total() > *md5_drops_at_connect_)
      why += " (kernel counters: TCPMD5Failure " + std::to_string(now->failure) + ", TCPMD5NotFound " +
             std::to_string(now->not_found) + ", TCPMD5Unexpected " + std::to_string(now->unexpected) + ")";
  }
  if (endpoint_.ttl_security_hops)
    why += "; ttl-security hops " + std::to_string(endpoint_.ttl_security_hops) +
           ": segments arriving with a TTL below " + std::to_string(gtsm_min_ttl(endpoint_.ttl_security_hops)) +
           " are dropped";
  return why;
}

void Session::read_more() {
  if (!transport_) return;
  if (rx_.size() - rx_used_ < kReadChunk / 4) rx_.resize(rx_used_ + kReadChunk);
  const auto gen = connection_generation_;
  transport_->read_some(std::span(rx_.data() + rx_used_, rx_.size() - rx_used_),
                           [self = shared_from_this(), gen](const boost::system::error_code& ec, std::size_t n) {
                             if (gen != self->connection_generation_) return;
                             if (ec) {
                               self->socket_error_ = ec == asio::error::eof ? "peer closed the connection"
                                                                            : "read: " + ec.message();
                               self->last_error_ = self->socket_error_;
                               self->handle(fsm::TcpConnectionFails{});
                               return;
                             }
                             self->rx_used_ += n;
                             self->on_bytes();
                             if (gen == self->connection_generation_) self->read_more();
                           });
}

// Frames and decodes every whole message in the buffer before reading again.
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
    dispatch(std::move(decoded.value()), msg);
  }
  if (gen != connection_generation_) return;
  if (off > 0) {
    std::memmove(rx_.data(), rx_.data() + off, rx_used_ - off);
    rx_used_ -= off;
  }
}

void Session::dispatch(wire::DecodedMessage message, wire::ByteSpan raw) {
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
          if (fsm_.state == fsm::State::Established && callbacks_.update) callbacks_.update(*this, m, raw);
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
          // RFC 6608: before Established it is an unexpected message (the FSM says so).
          handle(fsm::RouteRefreshMsg{});
          if (fsm_.state == fsm::State::Established && callbacks_.route_refresh) callbacks_.route_refresh(*this, m);
        }
      },
      message);
}

void Session::write(Buffer message) {
  if (!transport_) return;
  ++counters_.messages_out;
  queued_bytes_ += message->size();
  const bool was_idle = tx_.empty();
  tx_.push_back(std::move(message));
  // RFC 9687: from OpenConfirm on, output that makes no progress for the send hold time
  // ends the session.
  if (was_idle && (fsm_.state == fsm::State::OpenConfirm || fsm_.state == fsm::State::Established) &&
      !send_hold_timer_.deadline) {
    const std::uint32_t hold = fsm_.negotiated ? fsm_.negotiated->hold_time : 0;
    const std::uint32_t period =
        limits_.send_hold_time ? limits_.send_hold_time : std::max<std::uint32_t>(kSendHoldFloor, 2u * hold);
    send_hold_period_ = std::chrono::seconds(period);
    start_deadline(send_hold_timer_, send_hold_period_, fsm::SendHoldTimerExpires{});
  }
  if (!writing_) write_next();
}

void Session::write_next() {
  if (tx_.empty() || !transport_) {
    writing_ = false;
    if (close_after_flush_) close_socket(true);
    return;
  }
  writing_ = true;
  gather_.clear();
  std::size_t bytes = 0;
  for (const auto& m : tx_) {
    if (!gather_.empty() && (gather_.size() >= kMaxGatherMessages || bytes + m->size() > kMaxGatherBytes)) break;
    gather_.emplace_back(asio::buffer(*m));
    bytes += m->size();
  }
  in_flight_ = gather_.size();
  transport_->write(gather_,
                    [self = shared_from_this(), gen = socket_generation_](const boost::system::error_code& ec,
                                                                          std::size_t) {
                      // A handler of an earlier socket: the queue is the next connection's now.
                      if (gen != self->socket_generation_) return;
                      for (std::size_t i = 0; i < self->in_flight_; ++i) {
                        self->queued_bytes_ -= self->tx_.front()->size();
                        self->tx_.pop_front();
                      }
                      self->in_flight_ = 0;
                      self->writing_ = false;
                      if (ec) {
                        if (self->close_after_flush_) {
                          self->close_socket();
                        } else {
                          self->socket_error_ = "write: " + ec.message();
                          self->last_error_ = self->socket_error_;
                          self->handle(fsm::TcpConnectionFails{});
                        }
                        return;
                      }
                      self->progress_send_hold();
                      if (self->drain_wanted_ && self->queued_bytes_ < kLowWater && !self->close_after_flush_) {
                        self->drain_wanted_ = false;
                        if (self->callbacks_.output_drained) self->callbacks_.output_drained(*self);
                        if (gen != self->socket_generation_) return;
                      }
                      if (!self->writing_) self->write_next();
                    });
}

// RFC 9687: the send hold timer measures how long queued output has made no progress.
void Session::progress_send_hold() {
  if (!send_hold_timer_.deadline) return;
  if (tx_.empty())
    stop_deadline(send_hold_timer_);
  else
    start_deadline(send_hold_timer_, send_hold_period_, fsm::SendHoldTimerExpires{});
}

// `graceful`: everything queued has been written; let the peer read it (LingeringClose).
// Otherwise the connection is dropped at once (a stuck flush, a new connection, an error).
void Session::close_socket(bool graceful) {
  ++socket_generation_;
  close_after_flush_ = false;
  writing_ = false;
  drain_wanted_ = false;
  tx_.clear();
  queued_bytes_ = 0;
  in_flight_ = 0;
  rx_used_ = 0;
  flush_timer_->cancel();
  stop_deadline(send_hold_timer_);
  if (cancel_connect_) {
    cancel_connect_();
    cancel_connect_ = nullptr;
  }
  if (transport_) {
    transport_->close(graceful, limits_.flush_limit);
    transport_.reset();
  }
}

Session::DeadlineTimer& Session::timer(fsm::Timer t) {
  switch (t) {
    case fsm::Timer::ConnectRetry: return connect_retry_timer_;
    case fsm::Timer::Hold: return hold_timer_;
    case fsm::Timer::Keepalive: return keepalive_timer_;
  }
  return hold_timer_;
}

void Session::start_deadline(DeadlineTimer& t, std::chrono::seconds period, fsm::Event on_expiry) {
  const auto deadline = clock_.now() + period;
  // A later deadline only moves the mark; an earlier one (a new, shorter period) re-arms.
  const bool rearm = !t.armed_for || deadline < *t.armed_for;
  t.deadline = deadline;
  if (rearm) arm(t, std::move(on_expiry));
}

// The timers belong to the session and die with it, so `t` outlives its handler; the
// session itself is held only for the length of the handler.
void Session::arm(DeadlineTimer& t, fsm::Event on_expiry) {
  t.armed_for = *t.deadline;
  t.timer->wait_until(*t.deadline, [weak = weak_from_this(), &t, ev = std::move(on_expiry)] {
    auto self = weak.lock();
    if (!self) return;
    t.armed_for.reset();
    if (!t.deadline) return;
    if (self->clock_.now() < *t.deadline) {
      self->arm(t, ev);  // restarted since we armed: wait for the rest
      return;
    }
    t.deadline.reset();
    spdlog::trace("[{}] {} expired", self->name_, fsm::event_name(ev));
    self->handle(ev);
  });
}

void Session::stop_deadline(DeadlineTimer& t) {
  t.deadline.reset();
  t.armed_for.reset();
  t.timer->cancel();
}

void Session::start_timer(fsm::Timer t, std::uint32_t seconds) {
  const auto period = std::chrono::seconds(seconds);
  if (t == fsm::Timer::Keepalive) keepalive_period_ = period;
  if (t == fsm::Timer::ConnectRetry) connect_retry_period_ = period;
  start_deadline(timer(t), period, expiry_event(t));
}

void Session::stop_timer(fsm::Timer t) { stop_deadline(timer(t)); }

}  // namespace evpnd::bgp
