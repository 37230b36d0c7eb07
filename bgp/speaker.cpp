#include "bgp/speaker.hpp"

#include <spdlog/spdlog.h>

#include <malloc.h>

#include <algorithm>
#include <cassert>
#include <cstring>

#include "bgp/outbound.hpp"
#include "bgp/socket_options.hpp"

namespace evpnd::bgp {

namespace {

constexpr auto kShutdownFlushLimit = std::chrono::seconds(2);
constexpr auto kShutdownPoll = std::chrono::milliseconds(50);
constexpr std::size_t kTrimAfterWithdrawals = 10000;

tcp::endpoint listen_endpoint(const std::optional<wire::IpAddress>& a, std::uint16_t port, bool v6) {
  if (!a) return {v6 ? tcp::v6() : tcp::v4(), port};
  if (a->is_v4()) return {asio::ip::address_v4(a->v4_host_order()), port};
  asio::ip::address_v6::bytes_type b{};
  std::memcpy(b.data(), a->data(), 16);
  return {asio::ip::address_v6(b), port};
}

UpdateGroups::Globals export_globals(const BgpConfig& c) {
  UpdateGroups::Globals g;
  g.local_as = c.asn.value_or(wire::Asn{});
  g.cluster_id = c.cluster_id.value_or(c.router_id.value_or(wire::RouterId{}));
  return g;
}

}  // namespace

Speaker::Speaker(asio::io_context& io, BgpConfig config, SpeakerOptions options)
    : io_(io),
      config_(std::move(config)),
      options_(std::move(options)),
      steady_clock_(options_.clock ? nullptr : std::make_unique<SteadyClock>(io_)),
      tcp_connector_(options_.connector ? nullptr : std::make_unique<TcpConnector>(io_)),
      clock_(options_.clock ? *options_.clock : *steady_clock_),
      connector_(options_.connector ? *options_.connector : *tcp_connector_),
      groups_(clock_, rib_, export_globals(config_)),
      ipv4_groups_(clock_, ipv4_rib_, export_globals(config_)) {}

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
      set_listener_options(*acc);
      spdlog::info("listening on {} port {}", ep.address().to_string(), ep.port());
      acceptors_.push_back(std::move(acc));
      accept_on(*acceptors_.back());
    }
  }
  Peer::Options popts;
  popts.limits = options_.limits;
  // The local source: our router ID and AS, and FRR's weight for local routes.
  rib::PeerInfo local;
  local.router_id = config_.router_id.value_or(wire::RouterId{});
  local.asn = config_.asn.value_or(wire::Asn{}).value;
  local.weight = rib::kLocalWeight;
  rib_.set_peer(rib::kLocalPeer, local);
  ipv4_rib_.set_peer(rib::kLocalPeer, local);
  for (const auto& n : config_.neighbors) {
    Peer::Hooks hooks;
    hooks.send_table = [this](Peer& p, wire::AfiSafi f, TableSendReason why) { start_table(p, f, why); };
    hooks.output_drained = [this](Peer& p) {
      groups_.output_drained(p);
      ipv4_groups_.output_drained(p);
    };
    hooks.routes_changed = [this](Peer&) { schedule_flush(); };
    rib::PeerInfo info;
    info.address = n.address;
    info.rr_client = n.evpn_options.route_reflector_client;
    const auto id = rib_.add_peer(info);
    info.rr_client = n.ipv4_options.route_reflector_client;
    // Both RIBs number their sources the same way: one id per peer for both.
    [[maybe_unused]] const auto v4_id = ipv4_rib_.add_peer(info);
    assert(v4_id == id);
    peers_.push_back(std::make_unique<Peer>(SessionIo{io_, clock_, connector_}, config_, n, attrs_, rib_, ipv4_rib_, id, std::move(hooks), popts));
  }
  for (const auto& p : config_.networks) originate_prefix(p);
  for (auto& p : peers_) p->start();
  return std::nullopt;
}

// Per-neighbor options a listener needs before the connection exists: the TCP-MD5 key
// (the kernel checks the SYN against it, RFC 2385) and, for ttl-security, TTL 255 on
// what the kernel sends before accept() (our SYN-ACK must pass the peer's GTSM check).
void Speaker::set_listener_options(tcp::acceptor& acceptor) {
  const bool v6 = acceptor.local_endpoint().protocol() == tcp::v6();
  const int fd = acceptor.native_handle();
  bool gtsm = false;
  for (const auto& n : config_.neighbors) {
    if (n.address.is_v6() != v6) continue;
    if (!n.password.empty()) {
      if (auto err = set_tcp_md5(fd, n.address, n.password))
        spdlog::error("neighbor {}: TCP-MD5 key not set on the listener: {}", n.address.to_string(), *err);
    }
    gtsm |= n.ttl_security_hops.has_value();
  }
  if (gtsm) {
    if (auto err = set_gtsm(fd, v6, 0)) spdlog::error("listener: TTL 255 for ttl-security not set: {}", *err);
  }
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

bool Speaker::accept(std::unique_ptr<Transport> connection, const wire::IpAddress& from) {
  Peer* p = find_peer(from);
  if (!p) {
    spdlog::info("refused connection from {}: not a configured neighbor", from.to_string());
    return false;
  }
  p->accept(std::move(connection));
  return true;
}

Peer* Speaker::find_peer(const wire::IpAddress& a) {
  for (auto& p : peers_)
    if (p->config().address == a) return p.get();
  return nullptr;
}

const Peer* Speaker::find_peer(const wire::IpAddress& a) const {
  for (const auto& p : peers_)
    if (p->config().address == a) return p.get();
  return nullptr;
}

void Speaker::shutdown(std::function<void()> done) {
  for (auto& a : acceptors_) {
    boost::system::error_code ec;
    a->close(ec);
  }
  for (auto& p : peers_) p->shutdown("evpnd is shutting down", true);
  // Give the Cease NOTIFICATIONs a bounded time to leave before the caller exits.
  const auto deadline = clock_.now() + kShutdownFlushLimit;
  shutdown_timer_ = clock_.make_timer();
  auto poll = std::make_shared<std::function<void()>>();
  *poll = [this, deadline, done = std::move(done), poll] {
    bool pending = false;
    for (auto& p : peers_) pending |= p->has_pending_output();
    if (!pending || clock_.now() >= deadline) {
      auto finish = done;
      *poll = nullptr;  // break the self-reference
      finish();
      return;
    }
    shutdown_timer_->wait_for(kShutdownPoll, [poll] {
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

std::optional<rib::PathTable> Speaker::adj_rib_in(const wire::IpAddress& peer) const {
  for (const auto& p : peers_)
    if (p->config().address == peer) return p->adj_rib_in().snapshot();
  return std::nullopt;
}

std::size_t Speaker::advertised_to(const wire::IpAddress& peer) const {
  const Peer* p = find_peer(peer);
  return p ? groups_.advertised_count(*p) : 0;
}

std::vector<Speaker::UpdateGroupView> Speaker::update_groups() const {
  std::vector<UpdateGroupView> out;
  auto add = [&](std::vector<UpdateGroupInfo> views, wire::AfiSafi family) {
    for (auto& g : views) {
      UpdateGroupView v{std::move(g), family, {}};
      for (auto id : v.group.members) v.members.push_back(rib_.peer(id).address);
      out.push_back(std::move(v));
    }
  };
  add(groups_.views(), wire::AfiSafi::l2vpn_evpn());
  add(ipv4_groups_.views(), wire::AfiSafi::ipv4_unicast());
  return out;
}

UpdateGroupCounters Speaker::update_group_totals() const {
  UpdateGroupCounters c = groups_.totals();
  const UpdateGroupCounters v4 = ipv4_groups_.totals();
  c.messages_encoded += v4.messages_encoded;
  c.routes_encoded += v4.routes_encoded;
  c.messages_delivered += v4.messages_delivered;
  return c;
}

bool Speaker::clear(const std::optional<wire::IpAddress>& peer, Clear how) {
  bool found = false;
  for (auto& p : peers_) {
    if (peer && p->config().address != *peer) continue;
    found = true;
    switch (how) {
      case Clear::Hard: p->clear(); break;
      case Clear::SoftIn:
        if (!p->request_refresh() && peer) return false;
        break;
      case Clear::Soft:
        p->request_refresh();
        [[fallthrough]];
      case Clear::SoftOut:
        for (const auto& f : p->view().families) start_table(*p, f, TableSendReason::Refresh);
        break;
    }
  }
  return found;
}

void Speaker::defer_initial_tables(wire::AfiSafi family) {
  if (std::find(deferred_families_.begin(), deferred_families_.end(), family) == deferred_families_.end())
    deferred_families_.push_back(family);
}

void Speaker::release_initial_tables(wire::AfiSafi family) {
  std::erase(deferred_families_, family);
  auto waiting = std::move(deferred_tables_);
  deferred_tables_.clear();
  for (const auto& [address, f] : waiting) {
    if (f != family) {
      deferred_tables_.emplace_back(address, f);
      continue;
    }
    for (auto& p : peers_)
      if (p->config().address == address) start_table(*p, f, TableSendReason::Initial);
  }
}

// A new send of `family` to `peer` replaces one in progress (RFC 7313 §4 re-advertises
// the whole Adj-RIB-Out between BoRR and EoRR).
void Speaker::start_table(Peer& peer, wire::AfiSafi family, TableSendReason reason) {
  if (!peer.established()) return;
  if (reason == TableSendReason::Initial &&
      std::find(deferred_families_.begin(), deferred_families_.end(), family) != deferred_families_.end()) {
    const std::pair waiting{peer.config().address, family};
    if (std::find(deferred_tables_.begin(), deferred_tables_.end(), waiting) == deferred_tables_.end())
      deferred_tables_.push_back(waiting);
    return;
  }
  if (peer.exports(family) && (family == wire::AfiSafi::l2vpn_evpn() || family == wire::AfiSafi::ipv4_unicast())) {
    // Decide what is undecided first: the table is the Loc-RIB's best paths, and a key
    // still waiting for best path would otherwise follow the End-of-RIB.
    if (rib_.dirty() || ipv4_rib_.dirty()) flush();
    if (family == wire::AfiSafi::l2vpn_evpn()) groups_.start_table(peer, reason);
    else ipv4_groups_.start_table(peer, reason);
    return;
  }
  // Nothing of ours to send in this family: the markers alone (RFC 4724, RFC 7313 §4).
  const auto& codec = peer.codec();
  if (reason == TableSendReason::Initial) {
    peer.send_updates({end_of_rib_message(family, codec)});
  } else if (peer.enhanced_route_refresh()) {
    peer.send_message(route_refresh_message(family, wire::RouteRefreshMessage::Subtype::BeginOfRibRefresh, codec),
                      wire::MessageType::RouteRefresh);
    peer.send_message(route_refresh_message(family, wire::RouteRefreshMessage::Subtype::EndOfRibRefresh, codec),
                      wire::MessageType::RouteRefresh);
  }
}

std::optional<rib::PathTable> Speaker::advertised_routes(const wire::IpAddress& address) const {
  const Peer* p = find_peer(address);
  if (!p) return std::nullopt;
  rib::PathTable out;
  const ExportKey key = p->export_key(wire::AfiSafi::l2vpn_evpn());
  for (const auto& k : groups_.advertised_keys(*p)) {
    const auto* e = rib_.find(k);
    const auto* best = e ? rib::EvpnRib::best_of(*e) : nullptr;
    if (!best) continue;
    const ExportContext ex = groups_.export_context(key, &rib_.peer(best->peer));
    out.announce(rib::EvpnRib::plain_nlri_of(k, *best), attrs_.intern(export_attributes(*best->attrs, ex)));
  }
  return out;
}

void Speaker::schedule_flush() {
  if (flush_scheduled_) return;
  flush_scheduled_ = true;
  // After the read pass (and any other handlers already queued) has run.
  asio::post(io_, [this] { flush(); });
}

std::optional<std::vector<Speaker::SentPrefix>> Speaker::advertised_prefixes(const wire::IpAddress& address) const {
  const Peer* p = find_peer(address);
  if (!p) return std::nullopt;
  std::vector<SentPrefix> out;
  const ExportKey key = p->export_key(wire::AfiSafi::ipv4_unicast());
  for (const auto& k : ipv4_groups_.advertised_keys(*p)) {
    const auto* e = ipv4_rib_.find(k);
    const auto* best = e ? rib::Ipv4Rib::best_of(*e) : nullptr;
    if (!best) continue;
    const ExportContext ex = ipv4_groups_.export_context(key, &ipv4_rib_.peer(best->peer));
    out.push_back({rib::Ipv4Rib::plain_nlri_of(k, *best), attrs_.intern(export_attributes(*best->attrs, ex))});
  }
  return out;
}

void Speaker::flush() {
  flush_scheduled_ = false;
  const auto v4 = ipv4_rib_.run_best_path();
  if (!v4.empty()) ipv4_groups_.changed(v4);
  const auto changes = rib_.run_best_path();
  if (changes.empty()) return;
  std::size_t withdrawn = 0;
  for (const auto& c : changes) withdrawn += c.change == rib::RibChange::Withdrawn;
  groups_.changed(changes);
  if (evpn_listener_) evpn_listener_(changes);
  // A large table just went (a peer with many routes went down): give the freed pages
  // back to the system, so that RSS follows what the RIB holds rather than its peak.
  if (withdrawn >= kTrimAfterWithdrawals) ::malloc_trim(0);
}

void Speaker::originate(const evpn::EvpnNlri& nlri, wire::PathAttributes attrs) {
  originate(std::vector<evpn::EvpnNlri>{nlri}, std::move(attrs));
}

void Speaker::originate(const std::vector<evpn::EvpnNlri>& nlri, wire::PathAttributes attrs) {
  auto ref = attrs_.intern(attrs);
  for (const auto& n : nlri) originated_.announce(evpn::EvpnNlri{std::nullopt, n.route}, ref);
  schedule_flush();
}

bool Speaker::withdraw_originated(const evpn::EvpnNlri& nlri) {
  if (!originated_.withdraw(evpn::EvpnNlri{std::nullopt, nlri.route})) return false;
  schedule_flush();
  return true;
}

void Speaker::originate_prefix(const wire::Prefix& prefix) {
  // RFC 4271 §5.1: ORIGIN and AS_PATH (empty; export prepends our AS towards eBGP); the
  // NEXT_HOP is filled in per session (ExportContext::local_next_hop).
  wire::PathAttributes a;
  a.origin = wire::Origin::Igp;
  a.as_path = wire::AsPath{};
  originated_v4_.announce(wire::Prefix{prefix.address, prefix.length, std::nullopt}, attrs_.intern(a));
  schedule_flush();
}

bool Speaker::withdraw_prefix(const wire::Prefix& prefix) {
  if (!originated_v4_.withdraw(wire::Prefix{prefix.address, prefix.length, std::nullopt})) return false;
  schedule_flush();
  return true;
}

}  // namespace evpnd::bgp
