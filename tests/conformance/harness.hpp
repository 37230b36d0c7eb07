#pragma once
// The conformance harness (STYLE rule 24): a real bgp::Speaker, configured from FRR-style
// text, whose neighbors are scripted peers on in-memory pipes and whose time is a manual
// clock. Nothing is random and nothing waits on wall time: the io_context runs until it
// is idle after every step, so a scenario replays to the same bytes on every run.
//
// A scripted peer answers the speaker's OPEN with its own (the capabilities it is told
// to have) and a KEEPALIVE, keeps the session alive with a KEEPALIVE every third of the
// negotiated hold time while the clock moves (unless silenced), and records every
// message the speaker sends it for the scenario to look at.
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bgp/speaker.hpp"
#include "bgp/wire/message.hpp"
#include "cli/operational.hpp"
#include "support/manual_clock.hpp"
#include "support/memory_transport.hpp"

namespace evpnd::test {

struct ScriptedPeerSpec {
  bgp::wire::IpAddress address;
  bgp::wire::Asn asn;
  bgp::wire::RouterId router_id;
  std::uint16_t hold_time = 90;
  // The speaker's address on this session (its next-hop-self address).
  bgp::wire::IpAddress speaker_address;
  std::vector<bgp::wire::AfiSafi> families = {bgp::wire::AfiSafi::l2vpn_evpn()};
  bool route_refresh = true;
  bool enhanced_route_refresh = true;
};

class ScriptedPeer {
 public:
  explicit ScriptedPeer(ScriptedPeerSpec spec) : spec_(std::move(spec)) {}

  [[nodiscard]] const ScriptedPeerSpec& spec() const { return spec_; }
  [[nodiscard]] bool established() const { return established_; }
  [[nodiscard]] bool connected() const { return pipe_ && !pipe_->closed_by_speaker(); }
  [[nodiscard]] const bgp::wire::CodecContext& codec() const { return codec_; }

  // A connection, the speaker's end of which is `pipe`.
  void attach(std::shared_ptr<Pipe> pipe);
  // Reads what the speaker wrote and answers the session's set-up; returns how many
  // messages it read.
  std::size_t pump(bgp::Clock::TimePoint now);
  // A KEEPALIVE when one is due; returns whether it sent one.
  bool keep_alive(bgp::Clock::TimePoint now);
  void send(const std::vector<std::uint8_t>& message);
  void close();
  void set_keepalives(bool on) { keepalives_ = on; }
  void set_accepting(bool on) { accepting_ = on; }
  [[nodiscard]] bool accepting() const { return accepting_; }
  // The messages received since the last call.
  std::vector<bgp::wire::DecodedMessage> take_received() { return std::exchange(received_, {}); }

 private:
  ScriptedPeerSpec spec_;
  std::shared_ptr<Pipe> pipe_;
  std::vector<std::uint8_t> rx_;
  bgp::wire::CodecContext codec_;
  bool established_ = false;
  bool open_sent_ = false;
  bool keepalives_ = true;
  bool accepting_ = true;
  std::chrono::seconds keepalive_every_{30};
  bgp::Clock::TimePoint last_sent_{};
  std::vector<bgp::wire::DecodedMessage> received_;
};

class Harness {
 public:
  // `config`: FRR-style configuration text (as evpnd.conf). Throws std::runtime_error
  // when it does not parse.
  explicit Harness(const std::string& config);
  ~Harness();
  Harness(const Harness&) = delete;
  Harness& operator=(const Harness&) = delete;

  ScriptedPeer& add_peer(ScriptedPeerSpec spec);
  ScriptedPeer& peer(const bgp::wire::IpAddress& address);
  // Starts the speaker (it connects to its neighbors) and runs until idle.
  void start();
  // The peer at `address` connects to the speaker (an inbound session).
  void connect_inbound(const bgp::wire::IpAddress& address);
  // Runs the io_context and the peers until nothing more happens.
  void settle();
  // Moves the clock forward one second at a time, settling after each.
  void advance(std::chrono::seconds d);
  // Advances until every peer that accepts connections is Established; false if that
  // takes longer than `limit` (of manual time).
  bool establish(std::chrono::seconds limit = std::chrono::seconds(30));
  cli::CommandResult exec(const std::string& line);

  [[nodiscard]] const bgp::BgpConfig& config() const { return config_; }
  [[nodiscard]] bgp::Speaker& speaker() { return *speaker_; }
  [[nodiscard]] ManualClock& clock() { return clock_; }

 private:
  asio::io_context io_;
  ManualClock clock_;
  MemoryConnector connector_;
  bgp::BgpConfig config_;
  std::map<bgp::wire::IpAddress, std::unique_ptr<ScriptedPeer>> peers_;
  std::unique_ptr<bgp::Speaker> speaker_;
  std::unique_ptr<cli::OperationalCommands> commands_;
};

}  // namespace evpnd::test
