#include "bgp/peer.hpp"

#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <spdlog/spdlog.h>

#include <cstring>

#include "bgp/fsm/collision.hpp"

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
  return c;
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

Peer::Peer(asio::io_context& io, const BgpConfig& global, NeighborConfig config, rib::AttrStore& attrs, Hooks hooks)
    : io_(io),
      global_(global),
      config_(std::move(config)),
      fsm_config_(make_fsm_config(global, config_)),
      attrs_(attrs),
      hooks_(std::move(hooks)),
      name_("peer " + config_.address.to_string()) {
  endpoint_.remote = config_.address;
  endpoint_.port = config_.port.value_or(179);
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
  cb.update = [this](Session& s, const wire::DecodedUpdate& u) { on_update(s, u); };
  cb.route_refresh = [this](Session& s, const wire::RouteRefreshMessage&) {
    if (&s == main_.get() && hooks_.refresh_requested) hooks_.refresh_requested(*this);
  };
  return std::make_shared<Session>(io_, fsm_config_, global_.hostname, endpoint_, std::move(cb), name_ + tag);
}

void Peer::start() {
  main_ = make_session("");
  main_->start(fsm_config_.passive);
}

void Peer::accept(tcp::socket socket) {
  if (shut_down_ || !main_) return;  // the socket closes as it goes out of scope
  switch (main_->state()) {
    case fsm::State::Idle:
      // Between retries: take the peer's connection. Start passive: an active start
      // would open a connection of our own that attach() then abandons, and the peer,
      // having already accepted it, may pick that dead one in its collision resolution
      // and drop the good one. If this session ends, on_state restarts it active.
      main_->start(true);
      main_->attach(std::move(socket));
      return;
    case fsm::State::Connect:
    case fsm::State::Active:
      main_->attach(std::move(socket));
      return;
    case fsm::State::OpenSent:
    case fsm::State::OpenConfirm:
      // RFC 4271 §6.8: run the second connection until its OPEN tells us who wins.
      if (candidate_) return;
      candidate_ = make_session(" (in)");
      candidate_->start(true);
      candidate_->attach(std::move(socket));
      return;
    case fsm::State::Established:
      // §6.8: an Established connection always wins; refuse the new one.
      spdlog::info("[{}] refused a second connection while Established", name_);
      return;
  }
}

void Peer::shutdown(const std::string& reason) {
  shut_down_ = true;
  spdlog::info("[{}] shutting down: {}", name_, reason);
  if (candidate_) candidate_->retire();
  candidate_.reset();
  if (main_) main_->stop();
}

void Peer::send_updates(std::vector<wire::ByteVec> messages, std::size_t nlri_count, bool withdrawal) {
  if (!established()) return;
  for (auto& m : messages) main_->send_encoded(std::move(m), true);
  if (withdrawal)
    prefixes_sent_ = prefixes_sent_ >= nlri_count ? prefixes_sent_ - nlri_count : 0;
  else
    prefixes_sent_ += nlri_count;
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

bool Peer::exchanges_evpn() const {
  return established() && negotiated_ && negotiated_->family_active(wire::AfiSafi::l2vpn_evpn()) && !policy_blocked();
}

const wire::CodecContext& Peer::codec() const {
  static const wire::CodecContext kNone{};
  return main_ ? main_->codec() : kNone;
}

bool Peer::has_pending_output() const { return main_ && main_->has_pending_output(); }

void Peer::on_up(Session& s, const fsm::Negotiated& n) {
  if (&s != main_.get()) {
    // The candidate came up first: it is the session now (RFC 4271 §6.8).
    if (main_) main_->dump_for_collision();
    main_ = candidate_;
    candidate_.reset();
  } else if (candidate_) {
    candidate_->dump_for_collision();
    candidate_.reset();
  }
  negotiated_ = n;
  established_since_ = std::chrono::steady_clock::now();
  ++established_transitions_;
  prefixes_sent_ = 0;
  prefixes_filtered_ = 0;
  prefixes_looped_ = 0;
  if (policy_blocked())
    spdlog::warn("[{}] eBGP session without policy: no routes accepted or sent (RFC 8212; "
                 "`no bgp ebgp-requires-policy` turns this off)",
                 name_);
  if (hooks_.established) hooks_.established(*this);
}

void Peer::on_down(Session& s, const std::string& reason, bool was_established) {
  if (&s != main_.get()) return;
  if (was_established) {
    ++dropped_;
    // RFC 4271 §9: the peer's routes go with the session (no graceful restart yet).
    adj_in_.clear();
    negotiated_.reset();
    established_since_.reset();
    prefixes_sent_ = 0;
    spdlog::warn("[{}] down after being Established: {}", name_, reason);
  }
}

void Peer::on_state(Session& s, fsm::State /*from*/, fsm::State to) {
  if (&s == candidate_.get() && to == fsm::State::Idle) {
    candidate_->retire();
    candidate_.reset();
    return;
  }
  if (&s == main_.get() && to == fsm::State::Idle && candidate_) {
    // Our connection failed while the peer's was still opening: carry on with that one.
    main_->retire();
    main_ = candidate_;
    candidate_.reset();
    return;
  }
  if (&s == main_.get() && to == fsm::State::Idle && !shut_down_ && s.fsm_state().passive != fsm_config_.passive) {
    // A session promoted from an inbound collision candidate was started passive; an
    // active peer must connect out again, so start a fresh session (after this callback).
    asio::post(io_, [this, old = main_] {
      if (old != main_ || shut_down_) return;
      main_->retire();
      main_ = make_session("");
      main_->start(fsm_config_.passive);
    });
    return;
  }
  if (to == fsm::State::OpenConfirm) resolve_collision(s);
}

// RFC 4271 §6.8: `fresh` has just received the peer's OPEN; if the other connection is
// still opening, one of the two must go.
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
  drop->dump_for_collision();
}

PeerView Peer::view() const {
  PeerView v;
  v.address = config_.address;
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
  v.prefixes_received = adj_in_.size();
  v.prefixes_sent = prefixes_sent_;
  v.prefixes_filtered = prefixes_filtered_;
  v.prefixes_looped = prefixes_looped_;
  v.end_of_rib_received = end_of_rib_received_;
  if (main_) {
    v.last_error = main_->last_error();
    v.counters = main_->counters();
    if (auto ep = main_->local_endpoint()) v.local_address = from_asio(ep->address()).to_string();
  }
  return v;
}

void Peer::on_update(Session& s, const wire::DecodedUpdate& u) {
  if (&s != main_.get()) return;
  InboundPolicy policy{.accept = !policy_blocked(), .local_as = fsm_config_.local_as.value};
  auto r = apply_update(u, s.codec(), policy, adj_in_, attrs_);
  for (const auto& note : r.notes) spdlog::warn("[{}] {}", name_, note);
  prefixes_filtered_ += r.filtered;
  prefixes_looped_ += r.looped;
  if (r.end_of_rib) {
    ++end_of_rib_received_;
    spdlog::info("[{}] End-of-RIB received for {}", name_, wire::to_string(*r.end_of_rib));
  }
  if (r.reset) {
    spdlog::warn("[{}] malformed EVPN NLRI: {}", name_, r.reset->reason);
    s.reset_for_update_error(*r.reset);
  }
}

wire::IpAddress peer_address_of(const tcp::endpoint& ep) { return from_asio(ep.address()); }

}  // namespace evpnd::bgp
