#include "bgp/inbound.hpp"

#include <algorithm>

#include "evpn/ext_community.hpp"
#include "evpn/nlri.hpp"

namespace evpnd::bgp {

namespace {

// INTEROP §1/§4: a received route whose label looks like an MPLS-shifted VNI, or whose
// IMET disagrees with its PMSI tunnel, is accepted but noted, so that an operator can
// see why a peer's VNI "looks wrong".
void note_interop_oddities(const evpn::EvpnNlri& n, const wire::PathAttributes& a, bool has_encap,
                           std::vector<UpdateNote>& notes) {
  if (const auto* mac = std::get_if<evpn::MacIpRoute>(&n.route)) {
    if (mac->label1.looks_mpls_shifted() && !has_encap)
      notes.push_back({"INTEROP §1", 0, wire::AttrAction::None,
                       "Type-2 " + evpn::to_string(n.route) + " label " + std::to_string(mac->label1.raw) +
                           " has the MPLS bottom-of-stack bit set and no encapsulation community: "
                           "the sender may be MPLS-shifting the VNI"});
  }
  if (const auto* imet = std::get_if<evpn::ImetRoute>(&n.route)) {
    if (!a.pmsi_tunnel) {
      notes.push_back({"INTEROP §3", 0, wire::AttrAction::None,
                       "Type-3 " + evpn::to_string(n.route) +
                           " has no PMSI tunnel attribute: FRR builds no flood entry for it"});
    } else if (a.pmsi_tunnel->tunnel_type == wire::PmsiTunnel::kIngressReplication &&
               a.pmsi_tunnel->tunnel_id.size() == imet->originating_ip.size() &&
               !std::equal(a.pmsi_tunnel->tunnel_id.begin(), a.pmsi_tunnel->tunnel_id.end(),
                           imet->originating_ip.data())) {
      notes.push_back({"INTEROP §4", 0, wire::AttrAction::None,
                       "Type-3 " + evpn::to_string(n.route) +
                           ": PMSI tunnel endpoint differs from the originating router IP"});
    }
  }
}

// RFC 9136 §3: a Type-5 route that must be treated as withdrawn; nullopt when valid.
std::optional<std::string> invalid_type5(const evpn::IpPrefixRoute& r, const wire::PathAttributes& a) {
  const auto router_mac = evpn::find_ext_community<evpn::RouterMac>(a.extended_communities);
  // §3.2: "The route MUST be treat as withdraw in case of an invalid MAC address" in the
  // EVPN Router's MAC Extended Community.
  if (router_mac && (router_mac->mac.is_zero() || router_mac->mac.is_multicast()))
    return "router's MAC " + router_mac->mac.to_string() + " is not a unicast address (RFC 9136 §3.2)";
  const bool esi = !r.esi.is_zero();
  const bool gateway = !r.gateway.is_unspecified();
  // §3.2: an ESI and a GW IP address both non-zero SHOULD be treated as withdraw (only
  // one overlay index may be used).
  if (esi && gateway) return "both an ESI and a gateway IP address are set (RFC 9136 §3.2)";
  // §3.1: "If the received label is zero and the route does not contain an Overlay
  // Index, it MUST be "treat as withdraw"". The overlay indexes are the ESI, the GW IP
  // address and the router's MAC (§3.2).
  if (r.label.raw == 0 && !esi && !gateway && !router_mac)
    return "label 0 and no overlay index (RFC 9136 §3.1)";
  return std::nullopt;
}

bool negotiated(const InboundPolicy& p, wire::AfiSafi f) {
  return p.families.empty() || std::find(p.families.begin(), p.families.end(), f) != p.families.end();
}

// RFC 4271 §6.3 (RFC 4760 §7 picks Optional Attribute Error for MP attributes): "The Data
// field MUST contain the attribute (type, length, and value)".
wire::DecodeError with_attribute(wire::DecodeError e, const wire::WirePosition& at, wire::ByteSpan raw) {
  if (at.attribute_length && at.attribute_offset + at.attribute_length <= raw.size()) {
    const auto attr = raw.subspan(at.attribute_offset, at.attribute_length);
    e.data.assign(attr.begin(), attr.end());
  }
  return e;
}

// The EVPN NLRI of an MP attribute, walked straight from the message without building a
// vector (evpn::for_each_evpn_nlri): first a pass that only decodes, so that an UPDATE with
// a malformed NLRI changes nothing, then the pass that applies. Decoding is cheap next to
// a table insert, so two passes cost less than one allocation per NLRI.
template <class Mp, class F>
std::optional<wire::DecodeError> walk_evpn_nlri(const Mp& mp, bool add_path, wire::ByteSpan raw, F&& f) {
  if (auto ok = evpn::for_each_evpn_nlri(mp.nlri, add_path, mp.position.nlri_offset, [](const evpn::EvpnNlri&) {});
      !ok)
    return with_attribute(std::move(ok.error()), mp.position, raw);
  (void)evpn::for_each_evpn_nlri(mp.nlri, add_path, mp.position.nlri_offset, std::forward<F>(f));
  return std::nullopt;
}

}  // namespace

InboundResult apply_update(const wire::DecodedUpdate& decoded, wire::ByteSpan raw, const wire::CodecContext& ctx,
                           const InboundPolicy& policy, PeerTables& tables, rib::AttrStore& store) {
  InboundResult r;
  const auto& u = decoded.update;
  for (const auto& f : decoded.findings) r.notes.push_back(to_note(f));
  r.end_of_rib = u.end_of_rib();

  const auto evpn = wire::AfiSafi::l2vpn_evpn();
  const auto ipv4 = wire::AfiSafi::ipv4_unicast();
  const bool add_path = ctx.add_path_receive(evpn);
  rib::AdjRibIn& adj_in = tables.evpn;

  // RFC 7606 §2: treat-as-withdraw removes every route the UPDATE carries; the routes
  // of MP_UNREACH are withdrawn in any case.
  const bool withdraw_all = decoded.action == wire::AttrAction::TreatAsWithdraw;
  r.treated_as_withdraw = withdraw_all;
  // RFC 4456 §8: "A router that recognizes the ORIGINATOR_ID attribute SHOULD ignore a
  // route received with its BGP Identifier as the ORIGINATOR_ID." and "If the local
  // CLUSTER_ID is found in the CLUSTER_LIST, the advertisement received SHOULD be ignored."
  bool reflected_back = policy.router_id && u.attrs.originator_id == policy.router_id;
  if (policy.cluster_id && std::find(u.attrs.cluster_list.begin(), u.attrs.cluster_list.end(), *policy.cluster_id) !=
                               u.attrs.cluster_list.end())
    reflected_back = true;
  auto as_loop = [&](std::uint8_t allowed) {
    return policy.local_as && u.attrs.as_path && u.attrs.as_path->count(*policy.local_as) > allowed;
  };
  const bool loop = reflected_back || as_loop(policy.allowas_in);
  const bool loop_v4 = reflected_back || as_loop(policy.allowas_in_ipv4);
  rib::AttrRef shared;  // interned on first use: an UPDATE that only withdraws needs none
  auto intern = [&]() -> const rib::AttrRef& {
    if (!shared) shared = store.intern(u.attrs);
    return shared;
  };

  auto skip_family = [&](wire::AfiSafi f, std::size_t n) {
    if (negotiated(policy, f)) return false;
    r.not_negotiated += n ? n : 1;
    r.notes.push_back({"RFC 4760 §8", 0, wire::AttrAction::None,
                       "UPDATE for " + wire::to_string(f) + ", which the session did not negotiate, ignored"});
    return true;
  };

  // IPv4 unicast: the Withdrawn Routes and NLRI fields (RFC 4271 §4.3) and MP attributes
  // of AFI 1 / SAFI 1 (RFC 4760), into the ipv4 unicast Loc-RIB.
  auto withdraw_v4 = [&](const std::vector<wire::Prefix>& prefixes) {
    for (const auto& p : prefixes)
      if (tables.ipv4.withdraw(p)) ++r.withdrawn;
  };
  auto announce_v4 = [&](const std::vector<wire::Prefix>& prefixes) {
    if (withdraw_all || !policy.accept || loop_v4) {
      for (const auto& p : prefixes) {
        if (tables.ipv4.withdraw(p)) ++r.withdrawn;
        if (!policy.accept) ++r.filtered;
        else if (loop_v4 && !withdraw_all) ++r.looped;
      }
      return;
    }
    for (const auto& p : prefixes) {
      tables.ipv4.announce(p, intern());
      ++r.announced;
    }
  };
  if (!u.withdrawn.empty() && !skip_family(ipv4, u.withdrawn.size())) withdraw_v4(u.withdrawn);
  if (!u.nlri.empty() && !skip_family(ipv4, u.nlri.size())) announce_v4(u.nlri);

  if (u.attrs.mp_unreach && u.attrs.mp_unreach->family == evpn) {
    const auto& mp = *u.attrs.mp_unreach;
    if (!skip_family(evpn, 0)) {
      r.reset = walk_evpn_nlri(mp, add_path, raw, [&](const evpn::EvpnNlri& n) {
        if (adj_in.withdraw(n)) ++r.withdrawn;
      });
      if (r.reset) return r;
    }
  } else if (u.attrs.mp_unreach) {
    const auto& mu = *u.attrs.mp_unreach;
    if (!skip_family(mu.family, mu.prefixes.size())) {
      if (mu.family == ipv4) withdraw_v4(mu.prefixes);
      else r.other_families += mu.prefixes.size();
    }
  }

  if (!u.attrs.mp_reach) return r;
  const auto& mp = *u.attrs.mp_reach;
  if (mp.family != evpn) {
    if (!skip_family(mp.family, mp.prefixes.size())) {
      if (mp.family == ipv4) announce_v4(mp.prefixes);
      else r.other_families += mp.prefixes.size();
    }
    return r;
  }
  if (skip_family(evpn, 0)) return r;
  if (withdraw_all || !policy.accept || loop) {
    // Not accepted: a path we held under the same key is implicitly withdrawn.
    r.reset = walk_evpn_nlri(mp, add_path, raw, [&](const evpn::EvpnNlri& n) {
      if (adj_in.withdraw(n)) ++r.withdrawn;
      if (!policy.accept)
        ++r.filtered;
      else if (loop && !withdraw_all)
        ++r.looped;
    });
    return r;
  }
  bool has_encap = false;
  r.reset = walk_evpn_nlri(mp, add_path, raw, [&](const evpn::EvpnNlri& n) {
    if (std::holds_alternative<evpn::UnknownRoute>(n.route)) {
      // RFC 7606 §5.4: "A BGP speaker advertising support for such a typed address family
      // MUST handle routes with unrecognized NLRI types within that address family by
      // discarding them, unless the relevant specification for that address family
      // specifies otherwise." RFC 7432 does not.
      ++r.unknown_types;
      if (!policy.keep_unknown_route_types) {
        r.notes.push_back({"RFC 7606 §5.4", 0, wire::AttrAction::None,
                           "EVPN route type " + std::to_string(evpn::route_type(n.route)) + " is not known: discarded"});
        return;
      }
    }
    if (!shared) {
      intern();
      has_encap = evpn::find_ext_community<evpn::Encapsulation>(shared->extended_communities).has_value();
    }
    if (const auto* t5 = std::get_if<evpn::IpPrefixRoute>(&n.route)) {
      if (auto why = invalid_type5(*t5, *shared)) {
        ++r.invalid_type5;
        r.notes.push_back({"RFC 9136 §3", 0, wire::AttrAction::TreatAsWithdraw,
                           "Type-5 " + evpn::to_string(n.route) + " treated as withdrawn: " + *why});
        if (adj_in.withdraw(n)) ++r.withdrawn;
        return;
      }
    }
    note_interop_oddities(n, *shared, has_encap, r.notes);
    adj_in.announce(n, shared);
    ++r.announced;
  });
  return r;
}

}  // namespace evpnd::bgp
