// Names and helpers shared by the text and JSON message renderers.
#include <cstdio>

#include "bgp/wire/reader.hpp"
#include "cli/message_render.hpp"
#include "cli/message_render_internal.hpp"

namespace evpnd::cli {

namespace wire = bgp::wire;

std::string hex_spaced(wire::ByteSpan b) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s;
  s.reserve(b.size() * 3);
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (i) s.push_back(' ');
    s.push_back(kDigits[b[i] >> 4]);
    s.push_back(kDigits[b[i] & 0xF]);
  }
  return s;
}

std::string hex_compact(wire::ByteSpan b) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s;
  s.reserve(b.size() * 2);
  for (auto x : b) {
    s.push_back(kDigits[x >> 4]);
    s.push_back(kDigits[x & 0xF]);
  }
  return s;
}

std::string message_type_name(std::uint8_t type) {
  switch (static_cast<wire::MessageType>(type)) {
    case wire::MessageType::Open: return "OPEN";
    case wire::MessageType::Update: return "UPDATE";
    case wire::MessageType::Notification: return "NOTIFICATION";
    case wire::MessageType::Keepalive: return "KEEPALIVE";
    case wire::MessageType::RouteRefresh: return "ROUTE-REFRESH";
  }
  return "type " + std::to_string(type);
}

std::string attribute_name(std::uint8_t type) { return wire::attribute_name(type); }

namespace detail {

std::optional<std::size_t> mp_nlri_offset(wire::ByteSpan raw, std::uint8_t attr_type) {
  // RFC 4271 §4.3: header, withdrawn length + routes, attribute length + attributes.
  if (raw.size() < wire::kHeaderSize || raw[18] != static_cast<std::uint8_t>(wire::MessageType::Update))
    return std::nullopt;
  wire::Reader r(raw.subspan(wire::kHeaderSize), wire::kHeaderSize);
  auto wlen = r.u16();
  if (!wlen || !r.skip(*wlen)) return std::nullopt;
  auto alen = r.u16();
  if (!alen) return std::nullopt;
  auto attrs = r.sub(*alen);
  if (!attrs) return std::nullopt;
  while (!attrs->empty()) {
    auto flags = attrs->u8();
    auto type = attrs->u8();
    if (!flags || !type) return std::nullopt;
    std::optional<std::uint16_t> len;
    if (*flags & wire::attr_flag::kExtendedLength)
      len = attrs->u16();
    else if (auto l = attrs->u8())
      len = *l;
    if (!len) return std::nullopt;
    auto value = attrs->sub(*len);
    if (!value) return std::nullopt;
    if (*type != attr_type) continue;
    // MP_REACH: AFI (2), SAFI (1), next-hop length (1) and next hop, reserved (1);
    // MP_UNREACH: AFI, SAFI (RFC 4760 §3, §4).
    if (!value->skip(3)) return std::nullopt;
    if (attr_type == static_cast<std::uint8_t>(wire::AttrType::MpReachNlri)) {
      auto nhlen = value->u8();
      if (!nhlen || !value->skip(std::size_t{*nhlen} + 1)) return std::nullopt;
    }
    return value->offset();
  }
  return std::nullopt;
}

EvpnSection decode_evpn_section(wire::ByteSpan nlri, std::uint8_t attr_type, const wire::CodecContext& ctx,
                                wire::ByteSpan raw) {
  EvpnSection s;
  const auto base = mp_nlri_offset(raw, attr_type);
  const bool add_path = ctx.add_path_receive(wire::AfiSafi::l2vpn_evpn());
  auto r = evpn::for_each_evpn_nlri(nlri, add_path, base.value_or(0),
                                    [&](const evpn::EvpnNlri& n) { s.nlri.push_back(n); });
  if (!r) {
    s.error = std::move(r.error());
    if (!base)
      s.error->reason += " (offset counted from the start of the " + attribute_name(attr_type) + " NLRI field)";
  }
  return s;
}

std::vector<wire::PathAttributes::Slot> attribute_slots(const wire::PathAttributes& a) {
  if (!a.wire_order.empty()) return a.wire_order;
  using wire::AttrType;
  std::vector<wire::PathAttributes::Slot> v;
  auto add = [&](bool present, AttrType t, std::uint8_t flags) {
    if (present) v.push_back({static_cast<std::uint8_t>(t), flags});
  };
  add(a.origin.has_value(), AttrType::Origin, 0x40);
  add(a.as_path.has_value(), AttrType::AsPath, 0x40);
  add(a.next_hop.has_value(), AttrType::NextHop, 0x40);
  add(a.med.has_value(), AttrType::MultiExitDisc, 0x80);
  add(a.local_pref.has_value(), AttrType::LocalPref, 0x40);
  add(a.atomic_aggregate, AttrType::AtomicAggregate, 0x40);
  add(a.aggregator.has_value(), AttrType::Aggregator, 0xC0);
  add(!a.communities.empty(), AttrType::Communities, 0xC0);
  add(a.originator_id.has_value(), AttrType::OriginatorId, 0x80);
  add(!a.cluster_list.empty(), AttrType::ClusterList, 0x80);
  add(a.mp_reach.has_value(), AttrType::MpReachNlri, 0x80);
  add(a.mp_unreach.has_value(), AttrType::MpUnreachNlri, 0x80);
  add(!a.extended_communities.empty(), AttrType::ExtendedCommunities, 0xC0);
  add(a.pmsi_tunnel.has_value(), AttrType::PmsiTunnel, 0xC0);
  add(!a.large_communities.empty(), AttrType::LargeCommunities, 0xC0);
  for (const auto& u : a.unknown) v.push_back({u.type, u.flags});
  return v;
}

std::string origin_name(wire::Origin o) {
  switch (o) {
    case wire::Origin::Igp: return "IGP";
    case wire::Origin::Egp: return "EGP";
    case wire::Origin::Incomplete: return "incomplete";
  }
  return "?";
}

std::string community_text(std::uint32_t c) {
  // RFC 1997, RFC 7999 (BLACKHOLE), RFC 8326 (GRACEFUL_SHUTDOWN), RFC 9494 (LLGR), with
  // FRR's spelling (community_str).
  switch (c) {
    case 0xFFFFFF01: return "no-export";
    case 0xFFFFFF02: return "no-advertise";
    case 0xFFFFFF03: return "local-AS";
    case 0xFFFFFF04: return "no-peer";
    case 0xFFFF0000: return "graceful-shutdown";
    case 0xFFFF0001: return "accept-own";
    case 0xFFFF0006: return "llgr-stale";
    case 0xFFFF0007: return "no-llgr";
    case 0xFFFF029A: return "blackhole";
    default: break;
  }
  return std::to_string(c >> 16) + ":" + std::to_string(c & 0xFFFF);
}

std::string large_community_text(const wire::LargeCommunity& c) {
  return std::to_string(c.global_admin) + ":" + std::to_string(c.local1) + ":" + std::to_string(c.local2);
}

std::string prefix_text(const wire::Prefix& p) { return p.address.to_string() + "/" + std::to_string(p.length); }

std::string pmsi_type_name(std::uint8_t type) {
  switch (type) {  // RFC 6514 §5, RFC 7524
    case 0: return "no-tunnel-info";
    case 1: return "rsvp-te-p2mp";
    case 2: return "mldp-p2mp";
    case 3: return "pim-ssm";
    case 4: return "pim-sm";
    case 5: return "bidir-pim";
    case 6: return "ingress-replication";
    case 7: return "mldp-mp2mp";
    default: return "type-" + std::to_string(type);
  }
}

std::string tunnel_id_text(const wire::ByteVec& id) {
  if (id.size() == 4) return wire::IpAddress::v4(std::array<std::uint8_t, 4>{id[0], id[1], id[2], id[3]}).to_string();
  if (id.size() == 16) {
    std::array<std::uint8_t, 16> a{};
    std::copy(id.begin(), id.end(), a.begin());
    return wire::IpAddress::v6(a).to_string();
  }
  return hex_compact(id);
}

std::string capability_name(std::uint8_t code) {
  switch (code) {  // IANA "Capability Codes"
    case 1: return "multiprotocol";
    case 2: return "route-refresh";
    case 3: return "outbound-route-filtering";
    case 5: return "extended-next-hop";
    case 6: return "extended-message";
    case 7: return "bgpsec";
    case 8: return "multiple-labels";
    case 9: return "role";
    case 64: return "graceful-restart";
    case 65: return "four-octet-as";
    case 67: return "dynamic";
    case 69: return "add-path";
    case 70: return "enhanced-route-refresh";
    case 71: return "long-lived-graceful-restart";
    case 73: return "fqdn";
    case 75: return "software-version";
    case 128: return "route-refresh-old";
    default: return "capability-" + std::to_string(code);
  }
}

std::string add_path_direction_name(wire::AddPathDirection d) {
  switch (d) {
    case wire::AddPathDirection::Receive: return "receive";
    case wire::AddPathDirection::Send: return "send";
    case wire::AddPathDirection::Both: return "send-receive";
  }
  return "direction-" + std::to_string(static_cast<int>(d));
}

std::string as_segment_type_name(wire::AsPathSegmentType t) {
  switch (t) {
    case wire::AsPathSegmentType::Set: return "as-set";
    case wire::AsPathSegmentType::Sequence: return "as-sequence";
    case wire::AsPathSegmentType::ConfedSequence: return "as-confed-sequence";
    case wire::AsPathSegmentType::ConfedSet: return "as-confed-set";
  }
  return "segment-" + std::to_string(static_cast<int>(t));
}

std::string route_type_name(std::uint8_t type) {
  switch (static_cast<evpn::RouteType>(type)) {
    case evpn::RouteType::EthernetAutoDiscovery: return "ethernet-auto-discovery";
    case evpn::RouteType::MacIpAdvertisement: return "mac-ip";
    case evpn::RouteType::InclusiveMulticast: return "inclusive-multicast";
    case evpn::RouteType::EthernetSegment: return "ethernet-segment";
    case evpn::RouteType::IpPrefix: return "ip-prefix";
  }
  return "unknown";
}

std::string flags_hex(std::uint8_t f) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02x", unsigned{f});
  return buf;
}

std::string route_refresh_subtype_name(wire::RouteRefreshMessage::Subtype s) {
  switch (s) {  // RFC 7313 §3.2
    case wire::RouteRefreshMessage::Subtype::Normal: return "normal";
    case wire::RouteRefreshMessage::Subtype::BeginOfRibRefresh: return "begin-of-rib-refresh";
    case wire::RouteRefreshMessage::Subtype::EndOfRibRefresh: return "end-of-rib-refresh";
  }
  return "subtype-" + std::to_string(static_cast<int>(s));
}

std::string printable(std::string_view s) {
  std::string out;
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7F || c == '"' || c == '\\') {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", unsigned{c});
      out += buf;
    } else {
      out.push_back(ch);
    }
  }
  return out;
}

std::vector<FamilyCounts> family_counts(const wire::DecodedUpdate& d, const wire::CodecContext& ctx,
                                        wire::ByteSpan raw) {
  std::vector<FamilyCounts> v;
  auto at = [&](wire::AfiSafi f) -> FamilyCounts& {
    for (auto& c : v)
      if (c.family == f) return c;
    v.push_back(FamilyCounts{f});
    return v.back();
  };
  const auto& u = d.update;
  if (!u.nlri.empty()) at(wire::AfiSafi::ipv4_unicast()).announced += u.nlri.size();
  if (!u.withdrawn.empty()) at(wire::AfiSafi::ipv4_unicast()).withdrawn += u.withdrawn.size();
  auto count = [&](wire::AfiSafi f, const wire::ByteVec& nlri, const std::vector<wire::Prefix>& prefixes,
                   std::uint8_t attr) -> std::size_t {
    if (f == wire::AfiSafi::l2vpn_evpn()) return decode_evpn_section(nlri, attr, ctx, raw).nlri.size();
    return prefixes.size();
  };
  if (const auto& m = u.attrs.mp_reach)
    at(m->family).announced += count(m->family, m->nlri, m->prefixes, 14);
  if (const auto& m = u.attrs.mp_unreach)
    at(m->family).withdrawn += count(m->family, m->nlri, m->prefixes, 15);
  return v;
}

}  // namespace detail

nlohmann::ordered_json error_json(const wire::DecodeError& e) {
  nlohmann::ordered_json j;
  j["code"] = e.code;
  j["codeName"] = std::string(wire::error_code_name(e.code));
  j["subcode"] = e.subcode;
  j["subcodeName"] = std::string(wire::error_subcode_name(e.code, e.subcode));
  j["offset"] = e.offset;
  j["reason"] = e.reason;
  j["data"] = hex_compact(e.data);
  return j;
}

std::string error_text(const wire::DecodeError& e) {
  std::string s = std::string(wire::error_code_name(e.code)) + " (" + std::to_string(e.code) + ") / " +
                  std::string(wire::error_subcode_name(e.code, e.subcode)) + " (" + std::to_string(e.subcode) +
                  ") at offset " + std::to_string(e.offset) + ": " + e.reason;
  if (!e.data.empty()) s += "; data " + hex_spaced(e.data);
  return s;
}

std::optional<wire::DecodeError> evpn_nlri_error(const wire::DecodedMessage& m, const wire::CodecContext& ctx,
                                                 wire::ByteSpan raw) {
  const auto* d = std::get_if<wire::DecodedUpdate>(&m);
  if (!d) return std::nullopt;
  const auto& a = d->update.attrs;
  if (a.mp_reach && a.mp_reach->family == wire::AfiSafi::l2vpn_evpn()) {
    if (auto s = detail::decode_evpn_section(a.mp_reach->nlri, 14, ctx, raw); s.error) return s.error;
  }
  if (a.mp_unreach && a.mp_unreach->family == wire::AfiSafi::l2vpn_evpn()) {
    if (auto s = detail::decode_evpn_section(a.mp_unreach->nlri, 15, ctx, raw); s.error) return s.error;
  }
  return std::nullopt;
}

}  // namespace evpnd::cli
