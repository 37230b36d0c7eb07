#include "bgp/inbound.hpp"

#include "evpn/ext_community.hpp"
#include "evpn/nlri.hpp"

namespace evpnd::bgp {

namespace {

// INTEROP §1/§4: a received route whose label looks like an MPLS-shifted VNI, or whose
// IMET disagrees with its PMSI tunnel, is accepted but noted, so that an operator can
// see why a peer's VNI "looks wrong".
void note_interop_oddities(const evpn::EvpnNlri& n, const wire::PathAttributes& a, std::vector<std::string>& notes) {
  if (const auto* mac = std::get_if<evpn::MacIpRoute>(&n.route)) {
    bool has_encap = false;
    for (const auto& ec : a.extended_communities)
      if (std::holds_alternative<evpn::Encapsulation>(evpn::decode_ext_community(ec))) has_encap = true;
    if (mac->label1.looks_mpls_shifted() && !has_encap)
      notes.push_back("Type-2 " + evpn::to_string(n.route) + " label " + std::to_string(mac->label1.raw) +
                      " has the MPLS bottom-of-stack bit set and no encapsulation community: "
                      "the sender may be MPLS-shifting the VNI");
  }
  if (const auto* imet = std::get_if<evpn::ImetRoute>(&n.route)) {
    if (!a.pmsi_tunnel) {
      notes.push_back("Type-3 " + evpn::to_string(n.route) +
                      " has no PMSI tunnel attribute: FRR builds no flood entry for it");
    } else if (a.pmsi_tunnel->tunnel_type == wire::PmsiTunnel::kIngressReplication &&
               a.pmsi_tunnel->tunnel_id.size() == imet->originating_ip.size() &&
               !std::equal(a.pmsi_tunnel->tunnel_id.begin(), a.pmsi_tunnel->tunnel_id.end(),
                           imet->originating_ip.data())) {
      notes.push_back("Type-3 " + evpn::to_string(n.route) +
                      ": PMSI tunnel endpoint differs from the originating router IP");
    }
  }
}

}  // namespace

InboundResult apply_update(const wire::DecodedUpdate& decoded, const wire::CodecContext& ctx,
                           const InboundPolicy& policy, rib::AdjRibIn& adj_in, rib::AttrStore& store) {
  InboundResult r;
  const auto& u = decoded.update;
  for (const auto& f : decoded.findings)
    r.notes.push_back("RFC 7606 " + std::string(wire::to_string(f.action)) + " (attribute " +
                      std::to_string(f.type) + "): " + f.reason);
  r.end_of_rib = u.end_of_rib();
  r.other_families += u.nlri.size() + u.withdrawn.size();

  const auto evpn = wire::AfiSafi::l2vpn_evpn();
  const bool add_path = ctx.add_path_receive(evpn);

  // RFC 7606 §2: treat-as-withdraw removes every route the UPDATE carries; the routes
  // of MP_UNREACH are withdrawn in any case.
  const bool withdraw_all = decoded.action == wire::AttrAction::TreatAsWithdraw;
  r.treated_as_withdraw = withdraw_all;

  if (u.attrs.mp_unreach && u.attrs.mp_unreach->family == evpn) {
    auto routes = evpn::decode_evpn_nlris(u.attrs.mp_unreach->nlri, add_path, 0);
    if (!routes) {
      r.reset = routes.error();
      return r;
    }
    for (const auto& n : *routes)
      if (adj_in.withdraw(n)) ++r.withdrawn;
  } else if (u.attrs.mp_unreach) {
    r.other_families += u.attrs.mp_unreach->prefixes.size();
  }

  if (u.attrs.mp_reach && u.attrs.mp_reach->family == evpn) {
    auto routes = evpn::decode_evpn_nlris(u.attrs.mp_reach->nlri, add_path, 0);
    if (!routes) {
      r.reset = routes.error();
      return r;
    }
    const bool loop = policy.local_as && u.attrs.as_path && u.attrs.as_path->contains(*policy.local_as);
    if (withdraw_all || !policy.accept || loop) {
      // Not accepted: a path we held under the same key is implicitly withdrawn.
      for (const auto& n : *routes) {
        if (adj_in.withdraw(n)) ++r.withdrawn;
        if (!policy.accept)
          ++r.filtered;
        else if (loop && !withdraw_all)
          ++r.looped;
      }
      return r;
    }
    auto shared = store.intern(u.attrs);
    for (const auto& n : *routes) {
      note_interop_oddities(n, *shared, r.notes);
      adj_in.announce(n, shared);
      ++r.announced;
    }
  } else if (u.attrs.mp_reach) {
    r.other_families += u.attrs.mp_reach->prefixes.size();
  }
  return r;
}

}  // namespace evpnd::bgp
