#include "bgp/peer.hpp"

#include "bgp/outbound.hpp"

#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>
#include <utility>

#include "bgp/fsm/collision.hpp"
#include "bgp/tcp_transport.hpp"

namespace evpnd::bgp {

namespace {

wire::IpAddress from_asio(const asio::ip::address& a) {
  if (a.is_v4()) return wire::IpAddress::v4(a.to_v4().to_uint());
  auto v6 = a.to_v6();
  if (v6.is_v4_mapped()) return wire::IpAddress::v4(asio::ip::make_address_v4(asio::ip::v4_mapped, v6).to_uint());
  std::array<std::uint8_t, 16> b{};
  auto bytes = v6.to_bytes();
  std::memcpy(b.data(), bytes.data(), 16);
  return wire::IpAddress::v6(b);
}

fsm::PeerConfig make_fsm_config(const BgpConfig& g, const NeighborConfig& n) {
  fsm::PeerConfig c;
  c.local_as = g.asn.value_or(wire::Asn{});
  c.local_id = g.router_id.value_or(wire::RouterId{});
  c.remote_as_kind = n.remote_as_kind;
  c.remote_as = n.remote_as;
  // `frr defaults datacenter` changes the timers of neighbors that set none.
  const auto defaults = g.timer_defaults();
  c.hold_time = n.hold_time.value_or(defaults.hold_time);
  c.keepalive = n.keepalive.value_or(defaults.keepalive);
  c.connect_retry = n.connect_retry.value_or(defaults.connect_retry);
  c.passive = n.passive;
  c.hostname = g.hostname;
  if (g.ipv4_unicast_active(n)) c.families.push_back(wire::AfiSafi::ipv4_unicast());
  if (n.l2vpn_evpn) c.families.push_back(wire::AfiSafi::l2vpn_evpn());
  if (const auto& gr = g.graceful_restart; gr.enabled) {
    fsm::PeerConfig::GracefulRestart adv;
    adv.restart_time = gr.restart_time;
    for (const auto f : c.families)
      // The leaf's kernel entries outlive evpnd (leaf/leaf.hpp); other forwarding state
      // is not evpnd's to keep unless the operator says it is.
      if (gr.preserve_fw_state || (f == wire::AfiSafi::l2vpn_evpn() && g.advertise_all_vni))
        adv.forwarding_kept.push_back(f);
    c.graceful_restart = std::move(adv);
  }
  return c;
}

const MaximumPrefix* maximum_prefix(const NeighborConfig& n, wire::AfiSafi f) {
  if (f == wire::AfiSafi::l2vpn_evpn() && n.maximum_prefix_evpn) return &*n.maximum_prefix_evpn;
  if (f == wire::AfiSafi::ipv4_unicast() && n.maximum_prefix_ipv4) return &*n.maximum_prefix_ipv4;
  return nullptr;
}

// RFC 4486 §4: the data of Cease / Maximum Number of Prefixes Reached is AFI (2), SAFI
// (1) and the prefix upper bound (4).
wire::ByteVec max_prefix_data(wire::AfiSafi f, std::uint32_t limit) {
  return {static_cast<std::uint8_t>(f.afi >> 8), static_cast<std::uint8_t>(f.afi), f.safi,
          static_cast<std::uint8_t>(limit >> 24), static_cast<std::uint8_t>(limit >> 16),
          static_cast<std::uint8_t>(limit >> 8), static_cast<std::uint8_t>(limit)};
}

}  // namespace

std::optional<wire::IpAddress> resolve_update_source(const std::string& source, wire::IpAddress::Family family) {
  if (auto a = wire::IpAddress::parse(source)) return a;
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return std::nullopt;
  std::optional<wire::IpAddress> found;
  for (ifaddrs* i = list; i && !found; i = i->ifa_next) {
    if (!i->ifa_addr || source != i->ifa_name) continue;
    if (family == wire::IpAddress::Family::V4 && i->ifa_addr->sa_family == AF_INET) {
      const auto* sin = reinterpret_cast<const sockaddr_in*>(i->ifa_addr);
      auto a = wire::IpAddress::v4(ntohl(sin->sin_addr.s_addr));
      // On `lo` the VTEP address sits beside 127.0.0.1; FRR's update-source lo picks it.
      if ((a.v4_host_order() >> 24) != 127) found = a;
    } else if (family == wire::IpAddress::Family::V6 && i->ifa_addr->sa_family == AF_INET6) {
      const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(i->ifa_addr);
      std::array<std::uint8_t, 16> b{};
      std::memcpy(b.data(), &sin6->sin6_addr, 16);
      auto a = wire::IpAddress::v6(b);
      const bool link_local = b[0] == 0xfe && (b[1] & 0xc0) == 0x80;
      const bool loopback = a == *wire::IpAddress::parse("::1");
      if (!link_local && !loopback) found = a;
    }
  }
  freeifaddrs(list);
  return found;
}

Peer::Peer(SessionIo io, const BgpConfig& global, NeighborConfig config, rib::AttrStore& attrs,
           rib::EvpnRib& rib, rib::Ipv4Rib& ipv4_rib, rib::PeerId id, Hooks hooks, Options options)
    : io_(io),
      global_(global),
      created_at_(io.clock.now()),
      config_(std::move(config)),
      fsm_config_(make_fsm_config(global, config_)),
      attrs_(attrs),
      rib_(rib),
      ipv4_rib_(ipv4_rib),
      rib_id_(id),
      hooks_(std::move(hooks)),
      options_(options),
      name_("peer " + config_.address.to_string()),
      tables_(rib, ipv4_rib, id) {
  endpoint_.remote = config_.address;
  endpoint_.port = config_.port.value_or(179);
  endpoint_.password = config_.password;
  endpoint_.ttl_security_hops = config_.ttl_security_hops.value_or(0);
  if (config_.send_hold_time) options_.limits.send_hold_time = *config_.send_hold_time;
  if (config_.update_source) {
    endpoint_.local = resolve_update_source(*config_.update_source, config_.address.family());
    if (!endpoint_.local)
      spdlog::warn("[{}] update-source {} has no usable address; connecting from the routing default", name_,
                   *config_.update_source);
  }
}

Peer::~Peer() {
  if (main_) main_->retire();
  if (candidate_) candidate_->retire();
}

std::shared_ptr<Session> Peer::make_session(const std::string& tag) {
  Session::Callbacks cb;
  cb.up = [this](Session& s, const fsm::Negotiated& n) { on_up(s, n); };
  cb.down = [this](Session& s, const std::string& why, bool was_established) { on_down(s, why, was_established); };
  cb.state_changed = [this](Session& s, fsm::State from, fsm::State to) { on_state(s, from, to); };
  cb.update = [this](Session& s, const wire::DecodedUpdate& u, wire::ByteSpan raw) { on_update(s, u, raw); };
  cb.route_refresh = [this](Session& s, const wire::RouteRefreshMessage& m) { on_route_refresh(s, m); };
  cb.output_drained = [this](Session& s) {
    if (&s == main_.get() && hooks_.output_drained) hooks_.output_drained(*this);
  };
  auto cfg = fsm_config_;
  // The R bit (RFC 4724 §3) in the sessions of our first restart-time seconds: a peer
  // must not wait for our End-of-RIB before it sends us its routes.
  if (cfg.graceful_restart)
    cfg.graceful_restart->restart_state = io_.clock.now() - created_at_ < std::chrono::seconds(cfg.graceful_restart->restart_time);
  return std::make_shared<Session>(io_, std::move(cfg), endpoint_, options_.limits, std::move(cb), name_ + tag);
}

void Peer::start() {
  main_ = make_session("");
  main_->start(fsm_config_.passive);
}

void Peer::accept(tcp::socket socket) { accept(adopt_tcp(std::move(socket), endpoint_, name_)); }

void Peer::accept(std::unique_ptr<Transport> socket) {
  if (shut_down_ || !main_) return;  // the connection closes as it goes out of scope
  if (prefix_overflow_) {
    if (!prefix_overflow_until_ || io_.clock.now() < *prefix_overflow_until_) {
      spdlog::info("[{}] refused a connection: down after exceeding maximum-prefix ({})", name_,
                   prefix_overflow_until_ ? "until the restart time" : "until `clear bgp`");
      return;
    }
    prefix_overflow_ = false;
  }
  switch (main_->state()) {
    case fsm::State::Idle:
      // Between retries: take the peer's connection. Start passive: an active start
      // would open a connection of our own that attach() then abandons, and the peer,
      // having already accepted it, may pick that dead one in its collision resolution
      // and drop the good one. If this session ends, on_state restarts it active.
      main_->start(true);
      main_->attach(std::move(socket));
      return;
    case fsm::State::Active:
      // Waiting, with no connection of our own under way: this one is the session.
      main_->attach(std::move(socket));
      return;
    case fsm::State::Connect:
    case fsm::State::OpenSent:
    case fsm::State::OpenConfirm:
    case fsm::State::Established:
      // RFC 4271 §6.8: run the second connection until an OPEN tells us which one wins.
      // In Connect our own attempt may already have reached the peer, which may keep it
      // in its own resolution: dropping it here would leave the peer holding a dead
      // connection. In Established the answer is always that the new one goes (§8.2.2:
      // "the second connection SHALL be tracked until it sends an OPEN message"), with
      // a Cease / Connection Collision Resolution, not a silent close.
      if (candidate_) return;
      candidate_ = make_session(" (in)");
      candidate_->start(true);
      candidate_->attach(std::move(socket));
      return;
  }
}

void Peer::shutdown(const std::string& reason, bool restarting) {
  shut_down_ = true;
  // Negotiated means both sides advertised the capability (ours only when configured).
  const bool graceful = restarting && negotiated_ && negotiated_->graceful_restart;
  spdlog::info("[{}] shutting down: {}{}", name_, reason, graceful ? " (graceful restart: the peer keeps our routes)" : "");
  if (candidate_) candidate_->retire();
  candidate_.reset();
  if (main_) main_->stop(!graceful);
}

void Peer::clear() {
  if (!main_ || shut_down_) return;
  spdlog::info("[{}] clear: resetting the session", name_);
  prefix_overflow_ = false;
  const auto st = main_->state();
  if (st == fsm::State::Idle && !main_->fsm_state().restart_pending) {
    main_->manual_start();
    return;
  }
  fsm::AutomaticStop stop{wire::NotificationMessage::cease(wire::CeaseSubcode::AdministrativeReset),
                          fsm::AutomaticStop::Restart::After, 1};
  main_->automatic_stop(std::move(stop));
}

bool Peer::request_refresh() {
  if (!established() || !negotiated_ || !negotiated_->route_refresh) return false;
  for (const auto& f : negotiated_->families)
    send_message(route_refresh_message(f, wire::RouteRefreshMessage::Subtype::Normal, main_->codec()),
                 wire::MessageType::RouteRefresh);
  return true;
}

void Peer::send_updates(std::vector<wire::ByteVec> messages) {
  if (!established()) return;
  for (auto& m : messages) main_->send_encoded(std::move(m), wire::MessageType::Update);
}

void Peer::send_shared(std::span<const SharedMessage> messages, wire::MessageType type) {
  if (!established()) return;
  for (const auto& m : messages) main_->send_shared(m, type);
}

ExportKey Peer::export_key(wire::AfiSafi family) const {
  const bool v4 = family == wire::AfiSafi::ipv4_unicast();
  const auto& o = v4 ? config_.ipv4_options : config_.evpn_options;
  ExportKey k;
  k.ibgp = ibgp();
  k.rr_client = o.route_reflector_client;
  // l2vpn evpn keeps the VTEP next hop unless told (INTEROP §5); ipv4 unicast to an eBGP
  // peer carries our address (RFC 4271 §5.1.3, FRR's default) unless `attribute-unchanged
  // next-hop`.
  const bool self = o.next_hop_self || (v4 && !k.ibgp && !o.next_hop_unchanged);
  const auto local = local_address();
  if (self) k.next_hop_self = local;
  k.next_hop_self_force = o.next_hop_self_force;
  if (v4) k.local_next_hop = local;
  const auto& c = codec();
  k.four_octet_as = c.four_octet_as;
  k.add_path_send = c.add_path_send(family);
  k.extended_message = c.extended_message_tx;
  return k;
}

bool Peer::exports(wire::AfiSafi family) const { return family_active(family) && !policy_blocked(); }

void Peer::set_prefixes_sent(wire::AfiSafi family, std::size_t n) {
  if (family == wire::AfiSafi::ipv4_unicast()) ipv4_prefixes_sent_ = n;
  else prefixes_sent_ = n;
}

void Peer::send_message(wire::ByteVec message, wire::MessageType type) {
  if (established()) main_->send_encoded(std::move(message), type);
}

void Peer::notify_when_drained() {
  if (established()) main_->notify_when_drained();
}

bool Peer::established() const { return main_ && main_->state() == fsm::State::Established; }

bool Peer::ibgp() const {
  if (negotiated_) return negotiated_->ibgp;
  switch (config_.remote_as_kind) {
    case fsm::RemoteAsKind::Internal: return true;
    case fsm::RemoteAsKind::External: return false;
    case fsm::RemoteAsKind::Number: return global_.asn && config_.remote_as == *global_.asn;
  }
  return false;
}

bool Peer::policy_blocked() const { return !ibgp() && global_.ebgp_requires_policy; }

bool Peer::family_active(wire::AfiSafi f) const { return established() && negotiated_ && negotiated_->family_active(f); }

bool Peer::exchanges_evpn() const { return exports(wire::AfiSafi::l2vpn_evpn()); }

const wire::CodecContext& Peer::codec() const {
  static const wire::CodecContext kNone{};
  return main_ ? main_->codec() : kNone;
}

bool Peer::has_pending_output() const { return main_ && main_->has_pending_output(); }
std::size_t Peer::queued_bytes() const { return main_ ? main_->queued_bytes() : 0; }

void Peer::on_up(Session& s, const fsm::Negotiated& n) {
  // The other connection goes (RFC 4271 §6.8). Swap first: dumping it runs its state
  // callback, which must find it neither main_ nor candidate_.
  if (&s != main_.get()) {
    auto old = std::exchange(main_, candidate_);
    candidate_.reset();
    if (old) old->dump_for_collision();
  } else if (candidate_) {
    auto old = std::exchange(candidate_, nullptr);
    old->dump_for_collision();
  }
  negotiated_ = n;
  // What best path needs of this source, now that the OPEN has told us.
  rib::PeerInfo info;
  info.address = config_.address;
  info.router_id = s.peer_open() ? s.peer_open()->bgp_id : wire::RouterId{};
  info.asn = n.peer_as.value;
  info.ibgp = n.ibgp;
  info.rr_client = config_.evpn_options.route_reflector_client;
  rib_.set_peer(rib_id_, info);
  info.rr_client = config_.ipv4_options.route_reflector_client;
  ipv4_rib_.set_peer(rib_id_, info);
  established_since_ = io_.clock.now();
  ++established_transitions_;
  end_of_rib_families_.clear();
  prefixes_sent_ = 0;
  prefixes_filtered_ = 0;
  prefixes_looped_ = 0;
  max_prefix_warned_.clear();
  if (policy_blocked())
    spdlog::warn("[{}] eBGP session without policy: no routes accepted or sent (RFC 8212; "
                 "`no bgp ebgp-requires-policy` turns this off)",
                 name_);
  if (hooks_.send_table)
    for (const auto& f : n.families) hooks_.send_table(*this, f, TableSendReason::Initial);
}

void Peer::on_down(Session& s, const std::string& reason, bool was_established) {
  if (&s != main_.get()) return;
  if (was_established) {
    ++dropped_;
    last_reset_ = reason;
    // RFC 4271 §9: the peer's routes go with the session (no graceful restart yet).
    tables_.clear();
    if (hooks_.routes_changed) hooks_.routes_changed(*this);
    stale_refresh_.clear();
    negotiated_.reset();
    established_since_.reset();
    prefixes_sent_ = 0;
    ipv4_prefixes_sent_ = 0;
    spdlog::warn("[{}] down after being Established: {}", name_, reason);
  }
}

void Peer::on_state(Session& s, fsm::State /*from*/, fsm::State to) {
  if (&s == candidate_.get() && to == fsm::State::Idle) {
    candidate_->retire();
    candidate_.reset();
    return;
  }
  if (&s == main_.get() && to == fsm::State::Idle && candidate_ && candidate_->state() != fsm::State::Idle) {
    // Our connection failed while the peer's was still opening: carry on with that one.
    main_->retire();
    main_ = candidate_;
    candidate_.reset();
    return;
  }
  if (to == fsm::State::OpenConfirm) resolve_collision(s);
}

// RFC 4271 §6.8: `fresh` has just received the peer's OPEN; if the other connection is
// still opening, or Established, one of the two must go.
void Peer::resolve_collision(Session& fresh) {
  if (!main_ || !candidate_) return;
  auto& other = (&fresh == main_.get()) ? candidate_ : main_;
  fsm::CollisionInput in;
  in.existing_state = other->state();
  in.existing_initiator = other->inbound() ? fsm::Initiator::Remote : fsm::Initiator::Local;
  in.new_initiator = fresh.inbound() ? fsm::Initiator::Remote : fsm::Initiator::Local;
  in.local_id = fsm_config_.local_id;
  in.remote_id = fresh.peer_open() ? fresh.peer_open()->bgp_id : wire::RouterId{};
  in.local_as = fsm_config_.local_as;
  in.remote_as = fresh.fsm_state().negotiated ? fresh.fsm_state().negotiated->peer_as : wire::Asn{};
  const auto decision = fsm::resolve_collision(in);
  if (decision == fsm::CollisionDecision::NoCollision) return;
  const bool drop_fresh = decision == fsm::CollisionDecision::CloseNew;
  Session* loser = drop_fresh ? &fresh : other.get();
  spdlog::info("[{}] connection collision: closing the {} connection", name_,
               loser->inbound() ? "inbound" : "outbound");
  // Keep the survivor as main_ and retire the loser.
  std::shared_ptr<Session> keep = (loser == main_.get()) ? candidate_ : main_;
  std::shared_ptr<Session> drop = (loser == main_.get()) ? main_ : candidate_;
  main_ = keep;
  candidate_.reset();
  ++collisions_resolved_;
  drop->dump_for_collision();
}

void Peer::on_update(Session& s, const wire::DecodedUpdate& u, wire::ByteSpan raw) {
  if (&s != main_.get()) return;
  InboundPolicy policy;
  policy.accept = !policy_blocked();
  policy.local_as = fsm_config_.local_as.value;
  policy.allowas_in = config_.evpn_options.allowas_in.value_or(0);
  policy.allowas_in_ipv4 = config_.ipv4_options.allowas_in.value_or(0);
  if (ibgp()) {
    policy.router_id = fsm_config_.local_id;
    policy.cluster_id = global_.cluster_id.value_or(fsm_config_.local_id).value;
  }
  if (negotiated_) policy.families = negotiated_->families;
  policy.keep_unknown_route_types = global_.evpn_unknown_route_types_reflect;
  auto r = apply_update(u, raw, s.codec(), policy, tables_, attrs_);
  const auto now = io_.clock.now();
  for (const auto& note : r.notes)
    if (auto line = findings_.add(note, now)) spdlog::warn("[{}] {}", name_, *line);
  prefixes_filtered_ += r.filtered;
  prefixes_looped_ += r.looped;
  unknown_route_types_ += r.unknown_types;
  not_negotiated_ += r.not_negotiated;
  invalid_type5_ += r.invalid_type5;
  if (r.end_of_rib) {
    ++end_of_rib_received_;
    if (std::find(end_of_rib_families_.begin(), end_of_rib_families_.end(), *r.end_of_rib) == end_of_rib_families_.end())
      end_of_rib_families_.push_back(*r.end_of_rib);
    spdlog::info("[{}] End-of-RIB received for {}", name_, wire::to_string(*r.end_of_rib));
  }
  if (r.reset) {
    spdlog::warn("[{}] malformed EVPN NLRI: {}", name_, r.reset->reason);
    s.reset_for_update_error(*r.reset);
    return;
  }
  if ((r.announced || r.withdrawn) && hooks_.routes_changed) hooks_.routes_changed(*this);
  if (r.announced) {
    check_maximum_prefix(wire::AfiSafi::l2vpn_evpn(), tables_.evpn.size());
    if (established()) check_maximum_prefix(wire::AfiSafi::ipv4_unicast(), tables_.ipv4.size());
  }
}

// FRR's maximum-prefix: a warning once the count reaches THRESHOLD percent of N; above N
// the session ends with Cease / Maximum Number of Prefixes Reached (RFC 4486) unless
// warning-only, and comes back after `restart` minutes or at `clear bgp`.
void Peer::check_maximum_prefix(wire::AfiSafi family, std::size_t count) {
  const MaximumPrefix* max = maximum_prefix(config_, family);
  if (!max) return;
  const auto warned = std::find(max_prefix_warned_.begin(), max_prefix_warned_.end(), family);
  const std::uint64_t threshold = std::uint64_t{max->limit} * max->threshold_percent / 100;
  if (count >= threshold && warned == max_prefix_warned_.end()) {
    max_prefix_warned_.push_back(family);
    spdlog::warn("[{}] {} prefixes received: {} of the maximum {} ({}%)", name_, wire::to_string(family), count,
                 max->limit, max->threshold_percent);
  } else if (count < threshold && warned != max_prefix_warned_.end()) {
    max_prefix_warned_.erase(warned);
  }
  if (count <= max->limit) return;
  if (max->warning_only) {
    spdlog::warn("[{}] {} prefixes received: {} exceeds the maximum {} (warning-only)", name_,
                 wire::to_string(family), count, max->limit);
    return;
  }
  spdlog::error("[{}] {} prefixes received: {} exceeds the maximum {}; closing the session{}", name_,
                wire::to_string(family), count, max->limit,
                max->restart_minutes ? ", restart in " + std::to_string(max->restart_minutes) + " minutes"
                                     : " until `clear bgp`");
  prefix_overflow_ = true;
  prefix_overflow_until_.reset();
  if (max->restart_minutes)
    prefix_overflow_until_ = io_.clock.now() + std::chrono::minutes(max->restart_minutes);
  fsm::AutomaticStop stop{
      wire::NotificationMessage::cease(wire::CeaseSubcode::MaximumNumberOfPrefixesReached,
                                       max_prefix_data(family, max->limit)),
      max->restart_minutes ? fsm::AutomaticStop::Restart::After : fsm::AutomaticStop::Restart::Never,
      std::uint32_t{max->restart_minutes} * 60u};
  main_->automatic_stop(std::move(stop));
}

// RFC 2918 §4 and RFC 7313 §4-5.
void Peer::on_route_refresh(Session& s, const wire::RouteRefreshMessage& m) {
  if (&s != main_.get() || !negotiated_) return;
  const auto sub = static_cast<std::uint8_t>(m.subtype);
  // RFC 7313 §5: "When the BGP speaker receives a ROUTE-REFRESH message with a "Message
  // Subtype" field other than 0, 1, or 2, it MUST ignore the received ROUTE-REFRESH
  // message." RFC 2918 §4: "If a BGP speaker receives from its peer a ROUTE-REFRESH
  // message with the <AFI, SAFI> that the speaker didn't advertise to the peer at the
  // session establishment time via capability advertisement, the speaker shall ignore
  // such a message."
  if (sub > 2 || !negotiated_->family_active(m.family)) {
    ++refresh_ignored_;
    spdlog::info("[{}] ROUTE-REFRESH subtype {} for {} ignored ({})", name_, sub, wire::to_string(m.family),
                 sub > 2 ? "unknown subtype, RFC 7313 §5" : "family not negotiated, RFC 2918 §4");
    return;
  }
  switch (m.subtype) {
    case wire::RouteRefreshMessage::Subtype::Normal:
      spdlog::info("[{}] route refresh requested for {}", name_, wire::to_string(m.family));
      if (hooks_.send_table) hooks_.send_table(*this, m.family, TableSendReason::Refresh);
      return;
    case wire::RouteRefreshMessage::Subtype::BeginOfRibRefresh: {
      if (!negotiated_->enhanced_route_refresh) {
        ++refresh_ignored_;
        return;
      }
      // RFC 7313 §4: "When a BGP speaker receives a BoRR message from a peer, it MUST
      // mark all the routes with the given Address Family Identifier and Subsequent
      // Address Family Identifier, <AFI, SAFI> [RFC2918], from that peer as stale." A
      // BoRR while one is pending restarts nothing (FRR does the same).
      for (const auto& st : stale_refresh_)
        if (st.family == m.family) return;
      std::size_t marked = 0;
      if (m.family == wire::AfiSafi::l2vpn_evpn()) marked = tables_.evpn.mark_stale();
      if (m.family == wire::AfiSafi::ipv4_unicast()) marked = tables_.ipv4.mark_stale();
      auto timer = io_.clock.make_timer();
      timer->wait_for(options_.stale_path_time, [this, family = m.family] {
        sweep_stale(family, "stale timer expired before the End-of-RIB-Refresh");
      });
      stale_refresh_.push_back({m.family, std::move(timer)});
      spdlog::info("[{}] BoRR for {}: {} paths marked stale", name_, wire::to_string(m.family), marked);
      return;
    }
    case wire::RouteRefreshMessage::Subtype::EndOfRibRefresh: {
      if (!negotiated_->enhanced_route_refresh) {
        ++refresh_ignored_;
        return;
      }
      const bool pending = std::any_of(stale_refresh_.begin(), stale_refresh_.end(),
                                       [&](const StaleRefresh& st) { return st.family == m.family; });
      if (!pending) {
        ++refresh_ignored_;
        spdlog::info("[{}] EoRR for {} without a BoRR ignored", name_, wire::to_string(m.family));
        return;
      }
      // "When a BGP speaker receives an EoRR message from a peer, it MUST immediately
      // remove any routes from the peer that are still marked as stale for that
      // <AFI, SAFI>."
      sweep_stale(m.family, "End-of-RIB-Refresh");
      return;
    }
  }
}

void Peer::sweep_stale(wire::AfiSafi family, const char* why) {
  std::erase_if(stale_refresh_, [&](const StaleRefresh& st) { return st.family == family; });
  std::size_t removed = 0;
  if (family == wire::AfiSafi::l2vpn_evpn()) removed = tables_.evpn.sweep_stale();
  if (family == wire::AfiSafi::ipv4_unicast()) removed = tables_.ipv4.sweep_stale();
  if (removed && hooks_.routes_changed) hooks_.routes_changed(*this);
  spdlog::info("[{}] {} for {}: {} stale paths removed", name_, why, wire::to_string(family), removed);
}

PeerView Peer::view() const {
  PeerView v;
  v.address = config_.address;
  v.rib_id = rib_id_.value;
  v.description = config_.description;
  v.remote_as_kind = config_.remote_as_kind;
  v.configured_remote_as = config_.remote_as;
  v.state = main_ ? main_->state() : fsm::State::Idle;
  v.ibgp = ibgp();
  v.passive = config_.passive;
  v.policy_blocked = policy_blocked();
  v.configured_hold_time = fsm_config_.hold_time;
  v.configured_keepalive = fsm_config_.keepalive;
  if (negotiated_) {
    v.remote_as = negotiated_->peer_as;
    v.remote_id = negotiated_->peer_id;
    v.remote_hostname = negotiated_->peer_hostname;
    v.families = negotiated_->families;
    v.hold_time = negotiated_->hold_time;
    v.keepalive = negotiated_->keepalive;
  }
  v.established_since = established_since_;
  v.established_transitions = established_transitions_;
  v.dropped = dropped_;
  v.prefixes_received = tables_.evpn.size();
  v.ipv4_prefixes_received = tables_.ipv4.size();
  v.prefixes_sent = prefixes_sent_;
  v.ipv4_prefixes_sent = ipv4_prefixes_sent_;
  v.prefixes_filtered = prefixes_filtered_;
  v.prefixes_looped = prefixes_looped_;
  v.end_of_rib_received = end_of_rib_received_;
  v.end_of_rib_families = end_of_rib_families_;
  v.graceful_restart_configured = global_.graceful_restart.enabled;
  if (negotiated_) {
    v.peer_graceful_restart = negotiated_->peer_graceful_restart;
    v.graceful_restart = negotiated_->graceful_restart;
  }
  v.unknown_route_types = unknown_route_types_;
  v.not_negotiated = not_negotiated_;
  v.invalid_type5 = invalid_type5_;
  v.refresh_ignored = refresh_ignored_;
  v.findings = findings_.entries();
  v.password = !config_.password.empty();
  v.ttl_security_hops = config_.ttl_security_hops.value_or(0);
  v.last_reset = last_reset_;
  v.prefix_overflow = prefix_overflow_;
  v.collisions_resolved = collisions_resolved_;
  if (main_) {
    v.last_error = main_->last_error();
    v.counters = main_->counters();
    v.queued_bytes = main_->queued_bytes();
    if (auto ep = main_->local_endpoint()) v.local_address = from_asio(ep->address()).to_string();
  }
  return v;
}

std::optional<wire::IpAddress> Peer::local_address() const {
  if (!main_) return std::nullopt;
  auto ep = main_->local_endpoint();
  if (!ep) return std::nullopt;
  return from_asio(ep->address());
}

wire::IpAddress peer_address_of(const tcp::endpoint& ep) { return from_asio(ep.address()); }

}  // namespace evpnd::bgp
