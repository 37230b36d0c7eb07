#include "bgp/outbound.hpp"

#include <algorithm>

#include "bgp/wire/message.hpp"

namespace evpnd::bgp {

namespace {

constexpr std::size_t kMpExtendedLengthMargin = 1;  // MP_REACH may grow past 255 bytes

// Encodes the UPDATE for `attrs` with `nlri` placed in the MP attribute chosen by
// `reach` (MP_REACH for announcements, MP_UNREACH for withdrawals).
wire::ByteVec encode_with_nlri(wire::PathAttributes attrs, wire::ByteVec nlri, bool reach,
                               const wire::CodecContext& ctx) {
  if (reach) {
    attrs.mp_reach->nlri = std::move(nlri);
  } else {
    attrs.mp_unreach = wire::MpUnreach{wire::AfiSafi::l2vpn_evpn(), std::move(nlri), {}, {}};
  }
  wire::UpdateMessage m;
  m.attrs = std::move(attrs);
  return wire::encode_message(wire::Message{std::move(m)}, ctx);
}

std::vector<wire::ByteVec> pack(const wire::PathAttributes& attrs, std::span<const evpn::EvpnNlri> nlri, bool reach,
                                const wire::CodecContext& ctx) {
  std::vector<wire::ByteVec> out;
  if (nlri.empty()) return out;
  const bool add_path = ctx.add_path_send(wire::AfiSafi::l2vpn_evpn());
  const std::size_t overhead = encode_with_nlri(attrs, {}, reach, ctx).size() + kMpExtendedLengthMargin;
  const std::size_t budget = ctx.max_send_size() > overhead ? ctx.max_send_size() - overhead : 0;

  wire::ByteVec batch;
  wire::ByteVec one;
  for (const auto& n : nlri) {
    one.clear();
    evpn::encode_evpn_nlri(n, add_path, one);
    if (!batch.empty() && batch.size() + one.size() > budget) {
      out.push_back(encode_with_nlri(attrs, std::move(batch), reach, ctx));
      batch.clear();
    }
    batch.insert(batch.end(), one.begin(), one.end());
  }
  out.push_back(encode_with_nlri(attrs, std::move(batch), reach, ctx));
  return out;
}

}  // namespace

namespace {
constexpr std::uint32_t kNoExport = 0xFFFFFF01;     // RFC 1997
constexpr std::uint32_t kNoAdvertise = 0xFFFFFF02;  // RFC 1997
bool has_community(const wire::PathAttributes& a, std::uint32_t c) {
  return std::find(a.communities.begin(), a.communities.end(), c) != a.communities.end();
}
}  // namespace

bool may_advertise(const wire::PathAttributes& attrs, const rib::PeerInfo& from, bool to_is_from,
                   const rib::PeerInfo& to) {
  if (to_is_from) return false;
  if (has_community(attrs, kNoAdvertise)) return false;
  if (!to.ibgp && has_community(attrs, kNoExport)) return false;
  if (from.local() || !from.ibgp || !to.ibgp) return true;
  // RFC 4456 §6: a route from a client is reflected to every peer, one from a
  // non-client only to the clients.
  return from.rr_client || to.rr_client;
}

namespace {
// Whether next-hop-self replaces a learned path's next hop: not on reflection (iBGP to
// iBGP) unless forced (FRR's subgroup_announce_check does the same).
bool next_hop_self_applies(const ExportContext& ex) {
  const bool learned = ex.from && !ex.from->local();
  if (!learned || !ex.next_hop_self) return false;
  return ex.next_hop_self_force || !(ex.ibgp && ex.from->ibgp);
}
}  // namespace

wire::PathAttributes export_attributes(const wire::PathAttributes& base, const ExportContext& ex) {
  wire::PathAttributes a = base;
  a.wire_order.clear();
  a.mp_unreach.reset();
  if (a.mp_reach) {
    a.mp_reach->nlri.clear();
    a.mp_reach->prefixes.clear();
  }
  if (!a.origin) a.origin = wire::Origin::Igp;
  if (!a.as_path) a.as_path = wire::AsPath{};
  const bool learned = ex.from && !ex.from->local();
  std::erase_if(a.unknown, [](const wire::UnknownAttribute& u) { return !(u.flags & wire::attr_flag::kTransitive); });
  if (learned)
    for (auto& u : a.unknown) u.flags |= wire::attr_flag::kPartial;
  if (ex.ibgp) {
    // RFC 4271 §5.1.5: sent to internal peers; one received over eBGP is not ours to pass.
    if (learned && !ex.from->ibgp) a.local_pref.reset();
    if (!a.local_pref) a.local_pref = ex.default_local_pref;
    if (learned && ex.from->ibgp) {
      // RFC 4456 §8: "the ORIGINATOR_ID ... created by an RR ... will carry the BGP
      // Identifier of the originator of the route in the local AS" and "When an RR
      // reflects a route, it MUST prepend the local CLUSTER_ID to the CLUSTER_LIST."
      if (!a.originator_id) a.originator_id = ex.from->router_id;
      a.cluster_list.insert(a.cluster_list.begin(), ex.cluster_id.value);
    }
  } else {
    a.local_pref.reset();
    a.originator_id.reset();
    a.cluster_list.clear();
    // RFC 4271 §5.1.4: "The MULTI_EXIT_DISC attribute received from a neighboring AS
    // MUST NOT be propagated to other neighboring ASes."
    if (learned) a.med.reset();
    // RFC 4271 §5.1.2: prepend our AS to a leading AS_SEQUENCE, or start one.
    auto& segs = a.as_path->segments;
    if (!segs.empty() && segs.front().type == wire::AsPathSegmentType::Sequence && segs.front().asns.size() < 255) {
      segs.front().asns.insert(segs.front().asns.begin(), ex.local_as.value);
    } else {
      segs.insert(segs.begin(), wire::AsPathSegment{wire::AsPathSegmentType::Sequence, {ex.local_as.value}});
    }
  }
  if (next_hop_self_applies(ex)) {
    // Wherever the path carries its next hop: MP_REACH (EVPN, or ipv4 from a peer that
    // sends it there) and the NEXT_HOP attribute.
    if (a.mp_reach)
      a.mp_reach->next_hop.assign(ex.next_hop_self->data(), ex.next_hop_self->data() + ex.next_hop_self->size());
    if (a.next_hop) a.next_hop = ex.next_hop_self;
  }
  if (!learned && ex.local_next_hop && (!a.next_hop || a.next_hop->is_unspecified())) a.next_hop = ex.local_next_hop;
  return a;
}

std::vector<wire::ByteVec> build_updates(const wire::PathAttributes& attrs, std::span<const evpn::EvpnNlri> nlri,
                                         const wire::CodecContext& ctx) {
  // Without MP_REACH there is no next hop to announce EVPN routes with.
  if (!attrs.mp_reach) return {};
  return pack(attrs, nlri, true, ctx);
}

std::vector<wire::ByteVec> build_withdrawals(std::span<const evpn::EvpnNlri> nlri, const wire::CodecContext& ctx) {
  return pack(wire::PathAttributes{}, nlri, false, ctx);
}

bool sendable(const wire::PathAttributes& base, const ExportContext&, std::type_identity<evpn::EvpnNlri>) {
  return base.mp_reach.has_value();
}

std::optional<wire::IpAddress> ipv4_next_hop(const wire::PathAttributes& a) {
  if (a.next_hop) return a.next_hop;
  if (a.mp_reach && a.mp_reach->family == wire::AfiSafi::ipv4_unicast()) return a.mp_reach->next_hop_address();
  return std::nullopt;
}

namespace {
// The next hop an ipv4 unicast path has once exported (export_attributes' rules).
std::optional<wire::IpAddress> exported_ipv4_next_hop(const wire::PathAttributes& a, const ExportContext& ex) {
  const bool learned = ex.from && !ex.from->local();
  std::optional<wire::IpAddress> nh = ipv4_next_hop(a);
  if (next_hop_self_applies(ex)) nh = *ex.next_hop_self;
  if (!learned && ex.local_next_hop && (!nh || nh->is_unspecified())) nh = ex.local_next_hop;
  return nh;
}
}  // namespace

bool sendable(const wire::PathAttributes& base, const ExportContext& ex, std::type_identity<wire::Prefix>) {
  const auto nh = exported_ipv4_next_hop(base, ex);
  return nh && nh->is_v4() && !nh->is_unspecified();
}

namespace {

// RFC 4271 §4.3: a prefix is its length octet and the octets the length covers, with
// the RFC 7911 path identifier in front when ADD-PATH is sent.
std::size_t prefix_size(const wire::Prefix& p, bool add_path) {
  return 1 + (p.length + 7u) / 8 + (add_path ? 4 : 0);
}

std::vector<wire::ByteVec> pack_ipv4(const wire::PathAttributes& attrs, std::span<const wire::Prefix> prefixes,
                                     bool reach, const wire::CodecContext& ctx) {
  std::vector<wire::ByteVec> out;
  if (prefixes.empty()) return out;
  const bool add_path = ctx.add_path_send(wire::AfiSafi::ipv4_unicast());
  wire::UpdateMessage m;
  if (reach) m.attrs = attrs;
  const std::size_t overhead = wire::encode_message(wire::Message{m}, ctx).size();
  const std::size_t budget = ctx.max_send_size() > overhead ? ctx.max_send_size() - overhead : 0;
  auto& field = reach ? m.nlri : m.withdrawn;
  std::size_t used = 0;
  for (const auto& p : prefixes) {
    const std::size_t n = prefix_size(p, add_path);
    if (!field.empty() && used + n > budget) {
      out.push_back(wire::encode_message(wire::Message{m}, ctx));
      field.clear();
      used = 0;
    }
    field.push_back(p);
    used += n;
  }
  out.push_back(wire::encode_message(wire::Message{std::move(m)}, ctx));
  return out;
}

}  // namespace

std::vector<wire::ByteVec> build_updates(const wire::PathAttributes& attrs, std::span<const wire::Prefix> nlri,
                                         const wire::CodecContext& ctx) {
  wire::PathAttributes a = attrs;
  const auto next_hop = ipv4_next_hop(a);
  // An IPv6 next hop for IPv4 NLRI needs RFC 8950's extended next hop, which this
  // speaker does not negotiate yet: such a route cannot be sent on.
  if (!next_hop || !next_hop->is_v4() || next_hop->is_unspecified()) return {};
  a.next_hop = next_hop;
  a.mp_reach.reset();
  a.wire_order.clear();
  return pack_ipv4(a, nlri, true, ctx);
}

std::vector<wire::ByteVec> build_withdrawals(std::span<const wire::Prefix> nlri, const wire::CodecContext& ctx) {
  return pack_ipv4({}, nlri, false, ctx);
}

wire::ByteVec end_of_rib_message(wire::AfiSafi family, const wire::CodecContext& ctx) {
  return wire::encode_message(wire::Message{wire::make_end_of_rib(family)}, ctx);
}

wire::ByteVec route_refresh_message(wire::AfiSafi family, wire::RouteRefreshMessage::Subtype subtype,
                                    const wire::CodecContext& ctx) {
  return wire::encode_message(wire::Message{wire::RouteRefreshMessage{family, subtype}}, ctx);
}

}  // namespace evpnd::bgp
