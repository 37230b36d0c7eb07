#include "bgp/speaker.hpp"

#include <spdlog/spdlog.h>

#include <cstring>
#include <map>

#include "bgp/outbound.hpp"

namespace evpnd::bgp {

namespace {

constexpr auto kShutdownFlushLimit = std::chrono::seconds(2);
constexpr auto kShutdownPoll = std::chrono::milliseconds(50);

tcp::endpoint listen_endpoint(const std::optional<wire::IpAddress>& a, std::uint16_t port, bool v6) {
  if (!a) return {v6 ? tcp::v6() : tcp::v4(), port};
  if (a->is_v4()) return {asio::ip::address_v4(a->v4_host_order()), port};
  asio::ip::address_v6::bytes_type b{};
  std::memcpy(b.data(), a->data(), 16);
  return {asio::ip::address_v6(b), port};
}

}  // namespace

Speaker::Speaker(asio::io_context& io, BgpConfig config, SpeakerOptions options)
    : io_(io), config_(std::move(config)), options_(std::move(options)) {}

Speaker::~Speaker() {
  for (auto& a : acceptors_) {
    boost::system::error_code ec;
    a->close(ec);
  }
}

std::optional<std::string> Speaker::start() {
  if (options_.listen) {
    std::vector<tcp::endpoint> eps;
    if (options_.listen_address) {
      eps.push_back(listen_endpoint(options_.listen_address, options_.port, false));
    } else {
      eps.push_back(listen_endpoint(std::nullopt, options_.port, false));
      eps.push_back(listen_endpoint(std::nullopt, options_.port, true));
    }
    for (const auto& ep : eps) {
      auto acc = std::make_unique<tcp::acceptor>(io_);
      boost::system::error_code ec;
      acc->open(ep.protocol(), ec);
      if (!ec) acc->set_option(tcp::acceptor::reuse_address(true), ec);
      if (!ec && ep.protocol() == tcp::v6()) acc->set_option(asio::ip::v6_only(true), ec);
      if (!ec) acc->bind(ep, ec);
      if (!ec) acc->listen(asio::socket_base::max_listen_connections, ec);
      if (ec) {
        // A host without IPv6 still runs on IPv4 when we were not told an address.
        if (!options_.listen_address && ep.protocol() == tcp::v6()) {
          spdlog::warn("not listening on [::]:{}: {}", options_.port, ec.message());
          continue;
        }
        return "cannot listen on " + ep.address().to_string() + " port " + std::to_string(ep.port()) + ": " +
               ec.message();
      }
      spdlog::info("listening on {} port {}", ep.address().to_string(), ep.port());
      acceptors_.push_back(std::move(acc));
      accept_on(*acceptors_.back());
    }
  }
  for (const auto& n : config_.neighbors) {
    Peer::Hooks hooks;
    hooks.established = [this](Peer& p) { send_table(p); };
    hooks.refresh_requested = [this](Peer& p) { send_table(p); };
    peers_.push_back(std::make_unique<Peer>(io_, config_, n, attrs_, std::move(hooks)));
  }
  for (auto& p : peers_) p->start();
  return std::nullopt;
}

void Speaker::accept_on(tcp::acceptor& acceptor) {
  acceptor.async_accept([this, &acceptor](const boost::system::error_code& ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted) return;
    if (!ec) {
      boost::system::error_code e2;
      auto remote = socket.remote_endpoint(e2);
      if (!e2) {
        const auto addr = peer_address_of(remote);
        if (Peer* p = find_peer(addr)) {
          socket.set_option(tcp::no_delay(true), e2);
          p->accept(std::move(socket));
        } else {
          spdlog::info("refused connection from {}: not a configured neighbor", addr.to_string());
        }
      }
    } else {
      spdlog::warn("accept: {}", ec.message());
    }
    accept_on(acceptor);
  });
}

Peer* Speaker::find_peer(const wire::IpAddress& a) {
  for (auto& p : peers_)
    if (p->config().address == a) return p.get();
  return nullptr;
}

void Speaker::shutdown(std::function<void()> done) {
  for (auto& a : acceptors_) {
    boost::system::error_code ec;
    a->close(ec);
  }
  for (auto& p : peers_) p->shutdown("evpnd is shutting down");
  // Give the Cease NOTIFICATIONs a bounded time to leave before the caller exits.
  const auto deadline = std::chrono::steady_clock::now() + kShutdownFlushLimit;
  shutdown_timer_ = std::make_unique<asio::steady_timer>(io_);
  auto poll = std::make_shared<std::function<void()>>();
  *poll = [this, deadline, done = std::move(done), poll] {
    bool pending = false;
    for (auto& p : peers_) pending |= p->has_pending_output();
    if (!pending || std::chrono::steady_clock::now() >= deadline) {
      auto finish = done;
      *poll = nullptr;  // break the self-reference
      finish();
      return;
    }
    shutdown_timer_->expires_after(kShutdownPoll);
    shutdown_timer_->async_wait([poll](const boost::system::error_code&) {
      if (*poll) (*poll)();
    });
  };
  asio::post(io_, [poll] { (*poll)(); });
}

std::vector<PeerView> Speaker::peers() const {
  std::vector<PeerView> v;
  v.reserve(peers_.size());
  for (const auto& p : peers_) v.push_back(p->view());
  return v;
}

std::vector<wire::IpAddress> Speaker::peer_addresses() const {
  std::vector<wire::IpAddress> v;
  for (const auto& p : peers_) v.push_back(p->config().address);
  return v;
}

const rib::AdjRibIn* Speaker::adj_rib_in(const wire::IpAddress& peer) const {
  for (const auto& p : peers_)
    if (p->config().address == peer) return &p->adj_rib_in();
  return nullptr;
}

// Sends every originated route, packed by attribute set, then End-of-RIB (RFC 4724 §2)
// for each family the session carries.
void Speaker::send_table(Peer& peer) {
  if (!peer.established()) return;
  const auto& codec = peer.codec();
  peer.reset_prefixes_sent();
  if (peer.exchanges_evpn()) {
    std::map<const wire::PathAttributes*, std::vector<evpn::EvpnNlri>> groups;
    std::map<const wire::PathAttributes*, rib::AttrRef> refs;
    for (const auto* path : originated_.sorted()) {
      groups[path->attrs.get()].push_back(evpn::EvpnNlri{std::nullopt, path->route});
      refs[path->attrs.get()] = path->attrs;
    }
    const ExportContext ex{peer.ibgp(), config_.asn.value_or(wire::Asn{})};
    for (auto& [attrs, nlri] : groups) {
      auto msgs = build_evpn_updates(export_attributes(*refs[attrs], ex), nlri, codec);
      peer.send_updates(std::move(msgs), nlri.size(), false);
    }
  }
  for (const auto& f : peer.view().families) {
    if (f == wire::AfiSafi::l2vpn_evpn() && !peer.exchanges_evpn()) continue;
    peer.send_updates({wire::encode_message(wire::Message{wire::make_end_of_rib(f)}, codec)}, 0, false);
  }
}

void Speaker::originate(const evpn::EvpnNlri& nlri, wire::PathAttributes attrs) {
  auto ref = attrs_.intern(std::move(attrs));
  const bool fresh = originated_.announce(nlri, ref);
  const ExportContext base{true, config_.asn.value_or(wire::Asn{})};
  for (auto& p : peers_) {
    if (!p->exchanges_evpn()) continue;
    ExportContext ex = base;
    ex.ibgp = p->ibgp();
    std::vector<evpn::EvpnNlri> one{evpn::EvpnNlri{std::nullopt, nlri.route}};
    p->send_updates(build_evpn_updates(export_attributes(*ref, ex), one, p->codec()), fresh ? 1 : 0, false);
  }
}

bool Speaker::withdraw_originated(const evpn::EvpnNlri& nlri) {
  if (!originated_.withdraw(nlri)) return false;
  for (auto& p : peers_) {
    if (!p->exchanges_evpn()) continue;
    std::vector<evpn::EvpnNlri> one{evpn::EvpnNlri{std::nullopt, nlri.route}};
    p->send_updates(build_evpn_withdrawals(one, p->codec()), 1, true);
  }
  return true;
}

}  // namespace evpnd::bgp
