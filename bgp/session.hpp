#pragma once
// bgp::Session: one TCP connection to a peer, driven by one instance of the pure FSM
// (bgp/fsm). The session turns socket and timer happenings into FSM events and carries
// out the FSM's actions (connect, send, start/stop timers, close); it decides nothing
// about the protocol itself. A Peer owns one session, and a second one while a
// connection collision (RFC 4271 §6.8) is being resolved.
//
// Output: whole encoded messages queue in order and leave in gathered writes. The queue
// is bounded: above `max_queued_bytes` the session ends with Cease/Out of Resources
// (RFC 4486), and the producer of a large table is told when the queue drains
// (`output_drained`) so that it generates the next part only then. A peer that stops
// reading is caught by the RFC 9687 send hold timer, which runs here because only the
// session sees whether its writes make progress.
//
// Timers: the FSM's hold and keepalive timers are deadlines. Restarting one (the hold
// timer on every UPDATE received, the keepalive timer on every UPDATE sent, RFC 4271
// §8.2.2) moves the deadline; the armed wait re-arms for the remainder when it fires
// early, so a busy session does not cancel and re-arm a timer per message.
//
// Seams: the bytes come and go through a Transport (TCP in the daemon), connections are
// opened by a Connector, and time is a Clock's. The conformance harness replaces all
// three to replay sessions deterministically (bgp/transport.hpp, bgp/clock.hpp).
#include "bgp/asio.hpp"
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "bgp/clock.hpp"
#include "bgp/fsm/fsm.hpp"
#include "bgp/session_counters.hpp"
#include "bgp/transport.hpp"
#include "bgp/wire/context.hpp"
#include "bgp/wire/message.hpp"

namespace evpnd::bgp {

// What a session runs on: the event loop, the clock of its timers, and how it opens a
// connection.
struct SessionIo {
  asio::io_context& io;
  Clock& clock;
  Connector& connector;
};

struct SessionLimits {
  // Encoded output a session may hold before it is reset (Cease/Out of Resources).
  std::size_t max_queued_bytes = 64u << 20;
  // RFC 9687 SendHoldTime; 0: the RFC's default, max(8 minutes, 2 x negotiated hold).
  std::uint32_t send_hold_time = 0;
  // A closing session waits this long for its queued output (the NOTIFICATION) to leave.
  std::chrono::milliseconds flush_limit{5000};
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  using Buffer = std::shared_ptr<const wire::ByteVec>;

  struct Callbacks {
    // Reached Established.
    std::function<void(Session&, const fsm::Negotiated&)> up;
    // Dropped to Idle; `was_established` says whether a SessionUp preceded it.
    std::function<void(Session&, const std::string& reason, bool was_established)> down;
    // The FSM state changed (collision detection watches OpenConfirm).
    std::function<void(Session&, fsm::State from, fsm::State to)> state_changed;
    // An UPDATE arrived in Established (the FSM has already restarted the hold timer).
    // `raw` is the whole message, valid during the call.
    std::function<void(Session&, const wire::DecodedUpdate&, wire::ByteSpan raw)> update;
    // A ROUTE-REFRESH arrived in Established.
    std::function<void(Session&, const wire::RouteRefreshMessage&)> route_refresh;
    // The output queue fell below the low-water mark after notify_when_drained().
    std::function<void(Session&)> output_drained;
  };

  // Queued output below which a producer waiting for output_drained is called back.
  static constexpr std::size_t kLowWater = 256u << 10;

  Session(SessionIo io, fsm::PeerConfig config, SessionEndpoint endpoint, SessionLimits limits, Callbacks callbacks,
          std::string log_name);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Starts the FSM: connects out (active) or waits for the Peer to attach (passive).
  void start(bool passive);
  // Hands an accepted inbound connection to this session (RFC 4271 event 17).
  void attach(std::unique_ptr<Transport> transport);
  // Event 2: Cease/Administrative Shutdown (none when !notify: a graceful restart) and
  // back to Idle, no restart.
  void stop(bool notify = true);
  // Event 8: the local system ends the session (maximum-prefix, clear bgp).
  void automatic_stop(fsm::AutomaticStop stop);
  // Event 1 after a stop: starts again (clear bgp on a session that stays down).
  void manual_start();
  // Event 23: this connection lost a collision (Cease/Connection Collision Resolution);
  // the session then retires.
  void dump_for_collision();
  // Takes no more events: flushes what is queued, closes, stops its timers.
  void retire();
  [[nodiscard]] bool retired() const { return retired_; }
  // Sends a whole encoded message (UPDATEs, route refresh built by the speaker). Ignored
  // unless Established.
  void send_encoded(wire::ByteVec message, wire::MessageType type);
  void send_shared(Buffer message, wire::MessageType type);
  // Ends a session whose UPDATE was found malformed after decoding (RFC 7606 reset).
  void reset_for_update_error(const wire::DecodeError& error);
  // Calls output_drained once the queue is below kLowWater (at once if it already is,
  // from the event loop).
  void notify_when_drained();

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
  [[nodiscard]] std::size_t queued_bytes() const { return queued_bytes_; }

 private:
  // A timer held as a deadline (see the top of this file). `armed_for`: the deadline the
  // timer waits for, which may be earlier than `deadline`.
  struct DeadlineTimer {
    explicit DeadlineTimer(Clock& clock) : timer(clock.make_timer()) {}
    std::unique_ptr<Timer> timer;
    std::optional<Clock::TimePoint> deadline;
    std::optional<Clock::TimePoint> armed_for;
  };

  void handle(const fsm::Event& event);
  void finish_retire();
  void execute(const fsm::Action& action);
  void close_tcp(bool discard_output);
  void connect();
  void read_more();
  void on_bytes();
  void dispatch(wire::DecodedMessage message, wire::ByteSpan raw);
  void write(Buffer message);
  void write_next();
  void close_socket(bool graceful = false);
  DeadlineTimer& timer(fsm::Timer t);
  void start_deadline(DeadlineTimer& t, std::chrono::seconds period, fsm::Event on_expiry);
  void arm(DeadlineTimer& t, fsm::Event on_expiry);
  void stop_deadline(DeadlineTimer& t);
  void start_timer(fsm::Timer t, std::uint32_t seconds);
  void stop_timer(fsm::Timer t);
  void progress_send_hold();
  std::string connect_timeout_reason() const;

  asio::io_context& io_;
  Clock& clock_;
  Connector& connector_;
  fsm::PeerConfig config_;
  SessionEndpoint endpoint_;
  SessionLimits limits_;
  Callbacks callbacks_;
  std::string name_;

  fsm::FsmState fsm_;
  wire::CodecContext codec_;
  std::optional<wire::OpenMessage> peer_open_;

  std::unique_ptr<Transport> transport_;
  Connector::Cancel cancel_connect_;  // of the connection attempt in progress
  bool inbound_ = false;
  // Bumped at CloseTcp (before any flush): reads and connects of the old connection stop.
  std::uint64_t connection_generation_ = 0;
  // Bumped whenever transport_ changes: a write handler of an earlier socket must not touch
  // the queue, which by then belongs to the next connection (m1-rfc §1).
  std::uint64_t socket_generation_ = 0;
  std::vector<std::uint8_t> rx_;
  std::size_t rx_used_ = 0;
  std::deque<Buffer> tx_;
  std::vector<asio::const_buffer> gather_;  // the write in flight
  std::size_t queued_bytes_ = 0;  // of tx_, including the messages being written
  std::size_t in_flight_ = 0;     // messages at the front of tx_ in the current write
  bool writing_ = false;
  bool close_after_flush_ = false;
  bool drain_wanted_ = false;
  std::unique_ptr<Timer> flush_timer_;

  DeadlineTimer connect_retry_timer_, hold_timer_, keepalive_timer_, send_hold_timer_;
  std::chrono::seconds keepalive_period_{0};
  std::chrono::seconds send_hold_period_{0};
  std::chrono::seconds connect_retry_period_{0};
  std::optional<std::uint64_t> md5_drops_at_connect_;

  SessionCounters counters_;
  std::string last_error_;
  std::string socket_error_;   // what the socket said when it last failed
  fsm::Event current_event_;   // the event being handled (for SessionDown's detail)
  bool in_handle_ = false;
  bool retired_ = false;
  std::deque<fsm::Event> pending_events_;
};

}  // namespace evpnd::bgp
