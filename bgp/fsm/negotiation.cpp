// Building our OPEN and combining it with the peer's (RFC 5492: a capability is in
// effect when both sides advertised it).
#include <algorithm>

#include "bgp/fsm/negotiation.hpp"

namespace evpnd::bgp::fsm {
namespace {

using wire::AddPathDirection;
using wire::AfiSafi;
using wire::OpenMessage;

bool contains(const std::vector<AfiSafi>& v, AfiSafi f) { return std::find(v.begin(), v.end(), f) != v.end(); }

// A capability the codec kept as raw bytes (unmodelled code, or a value it could not parse).
bool has_unknown_code(const OpenMessage& m, wire::CapabilityCode code) {
  for (const auto& p : m.params)
    for (const auto& c : p.capabilities)
      if (auto* u = std::get_if<wire::UnknownCap>(&c); u && u->code == static_cast<std::uint8_t>(code)) return true;
  return false;
}

template <class T>
bool has(const OpenMessage& m) {
  return m.find<T>() != nullptr;
}

bool sends(AddPathDirection d) { return d == AddPathDirection::Send || d == AddPathDirection::Both; }
bool receives(AddPathDirection d) { return d == AddPathDirection::Receive || d == AddPathDirection::Both; }

// The ADD-PATH direction an OPEN announces for `f`, across all its capability 69
// entries (a later entry for the same family replaces an earlier one).
std::optional<AddPathDirection> add_path_direction(const OpenMessage& m, AfiSafi f) {
  std::optional<AddPathDirection> out;
  for (const auto& p : m.params)
    for (const auto& c : p.capabilities)
      if (auto* ap = std::get_if<wire::AddPathCap>(&c))
        for (const auto& e : ap->entries)
          if (e.family == f) out = e.direction;
  return out;
}

std::vector<AfiSafi> add_path_families(const OpenMessage& m) {
  std::vector<AfiSafi> out;
  for (const auto& p : m.params)
    for (const auto& c : p.capabilities)
      if (auto* ap = std::get_if<wire::AddPathCap>(&c))
        for (const auto& e : ap->entries)
          if (!contains(out, e.family)) out.push_back(e.family);
  return out;
}

}  // namespace

bool Negotiated::family_active(wire::AfiSafi f) const { return contains(families, f); }

wire::CodecContext Negotiated::codec_context() const {
  wire::CodecContext c;
  c.four_octet_as = four_octet_as;
  c.extended_message_rx = extended_message_rx;
  c.extended_message_tx = extended_message_tx;
  c.enhanced_route_refresh = enhanced_route_refresh;  // we always advertise 70
  c.ibgp = ibgp;
  c.multiprotocol = std::any_of(families.begin(), families.end(),
                                [](AfiSafi f) { return f != AfiSafi::ipv4_unicast(); });
  c.add_path_rx = add_path_rx;
  c.add_path_tx = add_path_tx;
  return c;
}

wire::OpenMessage build_open(const PeerConfig& cfg, std::string_view hostname) {
  std::vector<wire::Capability> caps;
  for (const auto& f : cfg.families) caps.emplace_back(wire::MultiprotocolCap{f});
  caps.emplace_back(wire::RouteRefreshCap{});
  caps.emplace_back(wire::EnhancedRouteRefreshCap{});
  caps.emplace_back(wire::FourOctetAsCap{cfg.local_as});
  caps.emplace_back(wire::ExtendedMessageCap{});
  if (!cfg.add_path.empty()) caps.emplace_back(wire::AddPathCap{cfg.add_path});
  if (!hostname.empty()) caps.emplace_back(wire::FqdnCap{std::string(hostname), cfg.domain});
  if (const auto& gr = cfg.graceful_restart) {
    // RFC 4724 §3: one entry per family we keep routes for, F = 0x80 when its forwarding
    // state survived; R = 0x8 in the upper bits of the restart-time octets.
    wire::GracefulRestartCap cap;
    cap.flags = gr->restart_state ? 0x8 : 0;
    cap.restart_time = std::min<std::uint16_t>(gr->restart_time, 4095);
    for (const auto& f : cfg.families)
      cap.entries.push_back({f, static_cast<std::uint8_t>(contains(gr->forwarding_kept, f) ? 0x80 : 0)});
    caps.emplace_back(std::move(cap));
  }
  return wire::make_open(cfg.local_as, cfg.hold_time, cfg.local_id, std::move(caps));
}

wire::Asn peer_asn(const wire::OpenMessage& peer) {
  if (const auto* as4 = peer.find<wire::FourOctetAsCap>()) return as4->asn;
  return wire::Asn{peer.my_as};
}

std::vector<wire::AfiSafi> open_families(const wire::OpenMessage& open) {
  std::vector<AfiSafi> out;
  for (const auto& p : open.params)
    for (const auto& c : p.capabilities)
      if (auto* mp = std::get_if<wire::MultiprotocolCap>(&c); mp && !contains(out, mp->family))
        out.push_back(mp->family);
  if (out.empty()) out.push_back(AfiSafi::ipv4_unicast());  // see Negotiated::families
  return out;
}

Negotiated negotiate(const wire::OpenMessage& local, const wire::OpenMessage& peer, const PeerConfig& cfg) {
  Negotiated n;
  n.peer_as = peer_asn(peer);
  n.peer_id = peer.bgp_id;
  n.ibgp = n.peer_as == cfg.local_as;

  // RFC 4271 §4.2: the smaller of the two hold times; keepalive a third of it at most.
  n.hold_time = std::min(local.hold_time, peer.hold_time);
  if (n.hold_time > 0) {
    const std::uint16_t third = n.hold_time / 3;
    n.keepalive = std::max<std::uint16_t>(1, std::min(cfg.keepalive, third));
  }

  const auto peer_families = open_families(peer);
  for (const auto& f : open_families(local))
    if (contains(peer_families, f)) n.families.push_back(f);

  n.four_octet_as = has<wire::FourOctetAsCap>(local) && has<wire::FourOctetAsCap>(peer);
  // FRR still sends the pre-standard code 128 next to 2; either one from the peer will do.
  const bool peer_rr = has<wire::RouteRefreshCap>(peer) || has_unknown_code(peer, wire::CapabilityCode::RouteRefreshOld);
  n.route_refresh = has<wire::RouteRefreshCap>(local) && peer_rr;
  n.enhanced_route_refresh = has<wire::EnhancedRouteRefreshCap>(local) && has<wire::EnhancedRouteRefreshCap>(peer);
  n.extended_message_rx = has<wire::ExtendedMessageCap>(local);
  n.extended_message_tx = has<wire::ExtendedMessageCap>(peer);

  for (const auto& f : add_path_families(local)) {
    const auto ours = add_path_direction(local, f);
    const auto theirs = add_path_direction(peer, f);
    if (!ours || !theirs) continue;
    if (receives(*ours) && sends(*theirs)) n.add_path_rx.push_back(f);
    if (sends(*ours) && receives(*theirs)) n.add_path_tx.push_back(f);
  }

  n.peer_graceful_restart = has<wire::GracefulRestartCap>(peer) || has_unknown_code(peer, wire::CapabilityCode::GracefulRestart);
  n.graceful_restart = n.peer_graceful_restart && has<wire::GracefulRestartCap>(local);
  if (const auto* fqdn = peer.find<wire::FqdnCap>()) {
    n.peer_hostname = fqdn->hostname;
    n.peer_domain = fqdn->domain;
  }
  return n;
}

}  // namespace evpnd::bgp::fsm
