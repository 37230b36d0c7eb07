#include "bgp/speaker.hpp"

#include <spdlog/spdlog.h>

#include <malloc.h>

#include <cstring>

#include "bgp/outbound.hpp"
#include "bgp/socket_options.hpp"

namespace evpnd::bgp {

namespace {

constexpr auto kShutdownFlushLimit = std::chrono::seconds(2);
constexpr auto kShutdownPoll = std::chrono::milliseconds(50);
// A table send encodes this many routes at a time, and stops while the peer's queue is
// above kTableHighWater (it resumes when the queue drains below Session::kLowWater).
constexpr std::size_t kTablePart = 2048;
constexpr std::size_t kTableHighWater = 1u << 20;
constexpr std::size_t kTrimAfterWithdrawals = 10000;

tcp::endpoint listen_endpoint(const std::optional<wire::IpAddress>& a, std::uint16_t port, bool v6) {
  if (!a) return {v6 ? tcp::v6() : tcp::v4(), port};
  if (a->is_v4()) return {asio::ip::address_v4(a->v4_host_order()), port};
  asio::ip::address_v6::bytes_type b{};
  std::memcpy(b.data(), a->data(), 16);
  return {asio::ip::address_v6(b), port};
}

wire::ByteVec route_refresh(wire::AfiSafi f, wire::RouteRefreshMessage::Subtype sub, const wire::CodecContext& ctx) {
  return wire::encode_message(wire::Message{wire::RouteRefreshMessage{f, sub}}, ctx);
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
  for (const auto& n : config_.neighbors) {
    Peer::Hooks hooks;
    hooks.send_table = [this](Peer& p, wire::AfiSafi f, TableSendReason why) { start_table(p, f, why); };
    hooks.output_drained = [this](Peer& p) { continue_tables(p); };
    hooks.routes_changed = [this](Peer&) { schedule_flush(); };
    rib::PeerInfo info;
    info.address = n.address;
    info.rr_client = n.evpn_options.route_reflector_client;
    const auto id = rib_.add_peer(info);
    peers_.push_back(std::make_unique<Peer>(io_, config_, n, attrs_, rib_, id, std::move(hooks), popts));
  }
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

std::optional<rib::PathTable> Speaker::adj_rib_in(const wire::IpAddress& peer) const {
  for (const auto& p : peers_)
    if (p->config().address == peer) return p->adj_rib_in().snapshot();
  return std::nullopt;
}

std::size_t Speaker::advertised_to(const wire::IpAddress& peer) const {
  for (const auto& p : peers_) {
    if (p->config().address != peer) continue;
    auto it = adj_out_.find(p.get());
    return it == adj_out_.end() ? 0 : it->second.size();
  }
  return 0;
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

// A new send of `family` to `peer` replaces one in progress (RFC 7313 §4 re-advertises
// the whole Adj-RIB-Out between BoRR and EoRR).
void Speaker::start_table(Peer& peer, wire::AfiSafi family, TableSendReason reason) {
  if (!peer.established()) return;
  // Decide what is undecided first: the table is the Loc-RIB's best paths, and a key
  // still waiting for best path would otherwise follow the End-of-RIB.
  if (rib_.dirty()) flush();
  auto& sends = table_sends_[&peer];
  std::erase_if(sends, [&](const TableSend& t) { return t.family == family; });
  TableSend t{family, reason, std::nullopt, false};
  if (family != wire::AfiSafi::l2vpn_evpn() || !peer.exchanges_evpn()) t.done = true;  // nothing of ours to send
  if (reason == TableSendReason::Initial && family == wire::AfiSafi::l2vpn_evpn()) {
    peer.reset_prefixes_sent();
    adj_out_[&peer].clear();
    pending_.erase(&peer);  // the table covers them
  }
  // RFC 7313 §4: "Before the speaker starts a route refresh that is either initiated
  // locally, or in response to a "normal route refresh request" from the peer, the
  // speaker MUST send a BoRR message."
  if (reason == TableSendReason::Refresh && peer.enhanced_route_refresh())
    peer.send_message(route_refresh(family, wire::RouteRefreshMessage::Subtype::BeginOfRibRefresh, peer.codec()),
                      wire::MessageType::RouteRefresh);
  sends.push_back(std::move(t));
  continue_tables(peer);
}

void Speaker::continue_tables(Peer& peer) {
  auto it = table_sends_.find(&peer);
  if (it == table_sends_.end()) return drain_pending(peer);
  auto& sends = it->second;
  if (!peer.established()) {
    table_sends_.erase(it);
    pending_.erase(&peer);
    return;
  }
  const auto& codec = peer.codec();
  const auto& table = rib_.table();
  while (!sends.empty()) {
    TableSend& t = sends.front();
    while (!t.done) {
      if (peer.queued_bytes() >= kTableHighWater) {
        peer.notify_when_drained();
        return;
      }
      // The next part of the Loc-RIB in key order, from where the last part ended (keys
      // added or removed meanwhile are simply met or not met).
      Outgoing out;
      auto e = t.after ? table.upper_bound(*t.after) : table.begin();
      for (std::size_t n = 0; e != table.end() && n < kTablePart; ++e, ++n) export_key(peer, e->first, &e->second, out);
      if (e == table.end()) t.done = true;
      else t.after = std::prev(e)->first;  // the part ended before `e`: resume there
      // (A refresh may also withdraw: a key the peer holds that it may no longer have.)
      send(peer, out);
    }
    // The whole table is out: RFC 4724 End-of-RIB after the initial send, RFC 7313
    // §4 EoRR after a refresh ("After the speaker completes the re-advertisement of the
    // entire Adj-RIB-Out to the peer, it MUST send an EoRR message").
    if (t.reason == TableSendReason::Initial) {
      peer.send_updates({wire::encode_message(wire::Message{wire::make_end_of_rib(t.family)}, codec)});
    } else if (peer.enhanced_route_refresh()) {
      peer.send_message(route_refresh(t.family, wire::RouteRefreshMessage::Subtype::EndOfRibRefresh, codec),
                        wire::MessageType::RouteRefresh);
    }
    sends.erase(sends.begin());
  }
  table_sends_.erase(it);
  drain_pending(peer);
}

void Speaker::drain_pending(Peer& peer) {
  auto it = pending_.find(&peer);
  if (it == pending_.end()) return;
  auto& keys = it->second;
  if (!peer.established() || !peer.exchanges_evpn()) {
    pending_.erase(it);
    return;
  }
  while (!keys.empty()) {
    if (peer.queued_bytes() >= kTableHighWater) {
      peer.notify_when_drained();
      return;
    }
    Outgoing out;
    for (std::size_t n = 0; !keys.empty() && n < kTablePart; ++n) {
      auto k = keys.begin();
      export_key(peer, *k, rib_.find(*k), out);
      keys.erase(k);
    }
    send(peer, out);
  }
  pending_.erase(it);
}

bool Speaker::export_key(Peer& peer, const evpn::EvpnRouteKey& key, const rib::EvpnRib::Entry* entry, Outgoing& out) {
  auto& sent = adj_out_[&peer];
  const rib::EvpnRib::Path* best = entry ? rib::EvpnRib::best_of(*entry) : nullptr;
  if (best && may_advertise(*best->attrs, rib_.peer(best->peer), best->peer == peer.rib_id(),
                            rib_.peer(peer.rib_id()))) {
    const Outgoing::GroupKey group{best->attrs.get(), best->peer};
    auto [slot, fresh] = out.index.try_emplace(group, out.groups.size());
    if (fresh) out.groups.emplace_back(group, std::vector<evpn::EvpnNlri>{});
    out.groups[slot->second].second.push_back(evpn::EvpnNlri{std::nullopt, rib::EvpnRib::route_of(key, *best)});
    sent.insert(key);
    return true;
  }
  if (sent.erase(key) == 0) return false;
  out.withdrawals.push_back(evpn::EvpnNlri{std::nullopt, evpn::route_of_key(key)});
  return true;
}

ExportContext Speaker::export_context(const Peer& peer) const {
  ExportContext ex;
  ex.ibgp = peer.ibgp();
  ex.local_as = config_.asn.value_or(wire::Asn{});
  ex.cluster_id = config_.cluster_id.value_or(config_.router_id.value_or(wire::RouterId{}));
  if (peer.config().evpn_options.next_hop_self) ex.next_hop_self = peer.local_address();
  return ex;
}

std::optional<rib::PathTable> Speaker::advertised_routes(const wire::IpAddress& address) const {
  for (const auto& p : peers_) {
    if (p->config().address != address) continue;
    rib::PathTable out;
    auto it = adj_out_.find(p.get());
    if (it == adj_out_.end()) return out;
    ExportContext ex = export_context(*p);
    for (const auto& key : it->second) {
      const auto* e = rib_.find(key);
      const auto* best = e ? rib::EvpnRib::best_of(*e) : nullptr;
      if (!best) continue;
      ex.from = &rib_.peer(best->peer);
      out.announce(evpn::EvpnNlri{std::nullopt, rib::EvpnRib::route_of(key, *best)},
                   std::make_shared<const rib::InternedAttributes>(export_attributes(*best->attrs, ex)));
    }
    return out;
  }
  return std::nullopt;
}

void Speaker::send(Peer& peer, Outgoing& out) {
  const auto& codec = peer.codec();
  ExportContext ex = export_context(peer);
  if (!out.withdrawals.empty())
    peer.send_updates(build_evpn_withdrawals(out.withdrawals, codec));
  for (auto& [group, nlri] : out.groups) {
    ex.from = &rib_.peer(group.from);
    peer.send_updates(build_evpn_updates(export_attributes(*group.attrs, ex), nlri, codec));
  }
  peer.set_prefixes_sent(adj_out_[&peer].size());
}

void Speaker::schedule_flush() {
  if (flush_scheduled_) return;
  flush_scheduled_ = true;
  // After the read pass (and any other handlers already queued) has run.
  asio::post(io_, [this] { flush(); });
}

void Speaker::flush() {
  flush_scheduled_ = false;
  const auto changes = rib_.run_best_path();
  if (changes.empty()) return;
  std::size_t withdrawn = 0;
  for (const auto& c : changes) withdrawn += c.change == rib::EvpnRib::Change::Withdrawn;
  for (auto& p : peers_) {
    if (!p->established() || !p->exchanges_evpn()) {
      adj_out_.erase(p.get());
      pending_.erase(p.get());
      continue;
    }
    auto& keys = pending_[p.get()];
    for (const auto& c : changes)
      if (c.change != rib::EvpnRib::Change::Unchanged) keys.insert(keys.end(), c.key);
    // A peer in the middle of a table send gets its changes after the table part.
    if (!table_sends_.contains(p.get())) drain_pending(*p);
  }
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

}  // namespace evpnd::bgp
