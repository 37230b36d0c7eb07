#pragma once
// bgp::Session: one TCP connection to a peer, driven by one instance of the pure FSM
// (bgp/fsm). The session turns socket and timer happenings into FSM events and carries
// out the FSM's actions (connect, send, start/stop timers, close); it decides nothing
// about the protocol itself. A Peer owns one session, and a second one while a
// connection collision (RFC 4271 §6.8) is being resolved.
#include "bgp/asio.hpp"
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "bgp/fsm/fsm.hpp"
#include "bgp/wire/context.hpp"
#include "bgp/wire/message.hpp"

namespace evpnd::bgp {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

struct SessionEndpoint {
  wire::IpAddress remote;
  std::uint16_t port = 179;
  std::optional<wire::IpAddress> local;  // bind before connecting (update-source)
};

struct SessionCounters {
  std::uint64_t messages_in = 0, messages_out = 0;
  std::uint64_t updates_in = 0, updates_out = 0;
  std::uint64_t keepalives_in = 0, keepalives_out = 0;
  std::uint64_t notifications_in = 0, notifications_out = 0;
  std::uint64_t opens_in = 0, opens_out = 0;
  std::uint64_t route_refresh_in = 0;
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  struct Callbacks {
    // Reached Established.
    std::function<void(Session&, const fsm::Negotiated&)> up;
    // Dropped to Idle; `was_established` says whether a SessionUp preceded it.
    std::function<void(Session&, const std::string& reason, bool was_established)> down;
    // The FSM state changed (collision detection watches OpenConfirm).
    std::function<void(Session&, fsm::State from, fsm::State to)> state_changed;
    // An UPDATE arrived in Established (the FSM has already restarted the hold timer).
    std::function<void(Session&, const wire::DecodedUpdate&)> update;
    // A ROUTE-REFRESH arrived in Established.
    std::function<void(Session&, const wire::RouteRefreshMessage&)> route_refresh;
  };

  Session(asio::io_context& io, fsm::PeerConfig config, std::string hostname, SessionEndpoint endpoint,
          Callbacks callbacks, std::string log_name);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Starts the FSM: connects out (active) or waits for the Peer to attach (passive).
  void start(bool passive);
  // Hands an accepted inbound connection to this session (RFC 4271 event 17).
  void attach(tcp::socket socket);
  // Event 2: Cease/Administrative Shutdown and back to Idle, no restart.
  void stop();
  // Event 23: this connection lost a collision (Cease/Connection Collision Resolution);
  // the session then retires.
  void dump_for_collision();
  // Takes no more events: flushes what is queued, closes, stops its timers.
  void retire();
  [[nodiscard]] bool retired() const { return retired_; }
  // Sends a whole encoded message (UPDATEs built by the speaker). Ignored unless Established.
  void send_encoded(wire::ByteVec message, bool is_update);
  // Ends a session whose UPDATE was found malformed after decoding (RFC 7606 reset).
  void reset_for_update_error(const wire::DecodeError& error);

  [[nodiscard]] fsm::State state() const { return fsm_.state; }
  [[nodiscard]] bool inbound() const { return inbound_; }
  [[nodiscard]] bool open_received() const { return peer_open_.has_value(); }
  [[nodiscard]] const std::optional<wire::OpenMessage>& peer_open() const { return peer_open_; }
  [[nodiscard]] const fsm::FsmState& fsm_state() const { return fsm_; }
  [[nodiscard]] const wire::CodecContext& codec() const { return codec_; }
  [[nodiscard]] const SessionCounters& counters() const { return counters_; }
  [[nodiscard]] std::optional<tcp::endpoint> local_endpoint() const;
  [[nodiscard]] const std::string& last_error() const { return last_error_; }
  [[nodiscard]] bool has_pending_output() const { return writing_ || !tx_.empty(); }

 private:
  void handle(const fsm::Event& event);
  void finish_retire();
  void execute(const fsm::Action& action);
  void connect();
  void read_more();
  void on_bytes();
  void dispatch(wire::DecodedMessage message, std::size_t size);
  void write(wire::ByteVec message);
  void write_next();
  void close_socket();
  asio::steady_timer& timer(fsm::Timer t);
  void start_timer(fsm::Timer t, std::uint32_t seconds);
  void stop_timer(fsm::Timer t);

  asio::io_context& io_;
  fsm::PeerConfig config_;
  std::string hostname_;
  SessionEndpoint endpoint_;
  Callbacks callbacks_;
  std::string name_;

  fsm::FsmState fsm_;
  wire::CodecContext codec_;
  std::optional<wire::OpenMessage> peer_open_;

  std::optional<tcp::socket> socket_;
  bool inbound_ = false;
  std::uint64_t connection_generation_ = 0;  // stale handlers of an old socket are ignored
  std::vector<std::uint8_t> rx_;
  std::size_t rx_used_ = 0;
  std::deque<wire::ByteVec> tx_;
  bool writing_ = false;
  bool close_after_flush_ = false;

  asio::steady_timer connect_retry_timer_, hold_timer_, keepalive_timer_;
  std::uint64_t timer_generation_[3] = {0, 0, 0};

  SessionCounters counters_;
  std::string last_error_;
  bool in_handle_ = false;
  bool retired_ = false;
  std::deque<fsm::Event> pending_events_;
};

}  // namespace evpnd::bgp
