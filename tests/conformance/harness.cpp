#include "conformance/harness.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>

#include "bgp/tcp_transport.hpp"
#include "cli/config_parser.hpp"
#include "cli/config_printer.hpp"

namespace evpnd::test {

namespace wire = bgp::wire;
using namespace std::chrono_literals;

namespace {

// Every loop of the harness is bounded: a scenario that makes the speaker spin is a
// failure, not a hang.
constexpr int kSettleRounds = 100000;

}  // namespace

void ScriptedPeer::attach(std::shared_ptr<Pipe> pipe) {
  pipe_ = std::move(pipe);
  rx_.clear();
  established_ = false;
  open_sent_ = false;
  codec_ = wire::CodecContext{};
  codec_.extended_message_rx = true;
}

void ScriptedPeer::send(const std::vector<std::uint8_t>& message) {
  if (pipe_) pipe_->send(message);
}

void ScriptedPeer::close() {
  if (pipe_) pipe_->close_from_test();
  established_ = false;
}

bool ScriptedPeer::keep_alive(bgp::Clock::TimePoint now) {
  if (!established_ || !keepalives_ || !connected() || now - last_sent_ < keepalive_every_) return false;
  send(wire::encode_message(wire::Message{wire::KeepaliveMessage{}}, codec_));
  last_sent_ = now;
  return true;
}

std::size_t ScriptedPeer::pump(bgp::Clock::TimePoint now) {
  if (!pipe_) return 0;
  auto bytes = pipe_->take_written();
  rx_.insert(rx_.end(), bytes.begin(), bytes.end());
  std::size_t off = 0, read = 0;
  while (true) {
    auto framed = wire::frame_length(wire::ByteSpan(rx_.data() + off, rx_.size() - off), codec_);
    if (!framed || !*framed) break;
    auto m = wire::decode_message(wire::ByteSpan(rx_.data() + off, **framed), codec_);
    off += **framed;
    ++read;
    if (!m) continue;
    if (auto* open = std::get_if<wire::OpenMessage>(&*m); open && !open_sent_) {
      std::vector<wire::Capability> caps;
      for (const auto& f : spec_.families) caps.push_back(wire::MultiprotocolCap{f});
      if (spec_.route_refresh) caps.push_back(wire::RouteRefreshCap{});
      if (spec_.enhanced_route_refresh) caps.push_back(wire::EnhancedRouteRefreshCap{});
      caps.push_back(wire::FourOctetAsCap{spec_.asn});
      send(wire::encode_message(wire::Message{wire::make_open(spec_.asn, spec_.hold_time, spec_.router_id, caps)}, {}));
      send(wire::encode_message(wire::Message{wire::KeepaliveMessage{}}, {}));
      open_sent_ = true;
      last_sent_ = now;
      const std::uint16_t hold = std::min(open->hold_time, spec_.hold_time);
      keepalive_every_ = std::chrono::seconds(std::max(1, hold / 3));
      codec_.four_octet_as = open->find<wire::FourOctetAsCap>() != nullptr;
      codec_.enhanced_route_refresh = open->find<wire::EnhancedRouteRefreshCap>() != nullptr;
      codec_.ibgp = open->asn() == spec_.asn;
    } else if (std::holds_alternative<wire::KeepaliveMessage>(*m) && open_sent_) {
      established_ = true;
    } else if (std::holds_alternative<wire::NotificationMessage>(*m)) {
      established_ = false;
    }
    received_.push_back(std::move(*m));
  }
  rx_.erase(rx_.begin(), rx_.begin() + static_cast<std::ptrdiff_t>(off));
  if (pipe_->closed_by_speaker()) established_ = false;
  return read;
}

Harness::Harness(const std::string& config)
    : connector_(io_, [this](const bgp::SessionEndpoint& ep) -> std::shared_ptr<Pipe> {
        auto it = peers_.find(ep.remote);
        if (it == peers_.end() || !it->second->accepting()) return nullptr;
        auto pipe = std::make_shared<Pipe>(io_, bgp::to_endpoint(it->second->spec().speaker_address, 40000));
        it->second->attach(pipe);
        return pipe;
      }) {
  spdlog::set_level(std::getenv("EVPND_TEST_LOG") ? spdlog::level::debug : spdlog::level::off);
  auto parsed = cli::parse_config(config, "scenario");
  if (!parsed) {
    std::string why;
    for (const auto& e : parsed.error()) why += cli::to_string(e) + "\n";
    throw std::runtime_error("configuration does not parse:\n" + why);
  }
  config_ = parsed->config;
}

Harness::~Harness() {
  // Everything that holds a timer goes while the clock is still there: the speaker, the
  // completions it left queued (they hold its sessions), then the peers' pipes.
  commands_.reset();
  speaker_.reset();
  io_.restart();
  io_.poll();
  peers_.clear();
  io_.restart();
  io_.poll();
}

ScriptedPeer& Harness::add_peer(ScriptedPeerSpec spec) {
  auto address = spec.address;
  auto& p = peers_[address];
  p = std::make_unique<ScriptedPeer>(std::move(spec));
  return *p;
}

ScriptedPeer& Harness::peer(const wire::IpAddress& address) {
  auto it = peers_.find(address);
  if (it == peers_.end()) throw std::runtime_error("no scripted peer " + address.to_string());
  return *it->second;
}

void Harness::start() {
  bgp::SpeakerOptions o;
  o.listen = false;
  o.clock = &clock_;
  o.connector = &connector_;
  speaker_ = std::make_unique<bgp::Speaker>(io_, config_, o);
  if (auto err = speaker_->start()) throw std::runtime_error(*err);
  commands_ = std::make_unique<cli::OperationalCommands>(
      *speaker_, [this] { return cli::print_config(speaker_->config()); }, true);
  settle();
}

void Harness::connect_inbound(const wire::IpAddress& address) {
  auto& p = peer(address);
  auto pipe = std::make_shared<Pipe>(io_, bgp::to_endpoint(p.spec().speaker_address, 179));
  p.attach(pipe);
  speaker_->accept(pipe->speaker_end(), address);
  settle();
}

void Harness::settle() {
  for (int round = 0; round < kSettleRounds; ++round) {
    io_.restart();
    std::size_t work = io_.poll();
    for (auto& [_, p] : peers_) work += p->pump(clock_.now());
    if (work == 0) return;
  }
  throw std::runtime_error("the speaker did not settle");
}

void Harness::advance(std::chrono::seconds d) {
  for (auto s = 0s; s < d; ++s) {
    clock_.advance(1s);
    settle();
    for (auto& [_, p] : peers_) p->keep_alive(clock_.now());
    settle();
  }
}

bool Harness::establish(std::chrono::seconds limit) {
  for (auto waited = 0s; waited <= limit; ++waited) {
    settle();
    const bool all = std::all_of(peers_.begin(), peers_.end(), [](const auto& kv) {
      return !kv.second->accepting() || kv.second->established();
    });
    bool speaker_up = true;
    for (const auto& v : speaker_->peers())
      if (peers_.count(v.address) && peers_.at(v.address)->accepting())
        speaker_up &= v.state == bgp::fsm::State::Established;
    if (all && speaker_up) return true;
    advance(1s);
  }
  return false;
}

cli::CommandResult Harness::exec(const std::string& line) {
  auto r = commands_->run(line);
  settle();
  return r;
}

}  // namespace evpnd::test
