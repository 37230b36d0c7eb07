// JSON form of decoded messages (see message_render.hpp for the key conventions).
#include <type_traits>

#include "cli/message_render.hpp"
#include "cli/message_render_internal.hpp"
#include "evpn/ext_community.hpp"
#include "evpn/nlri.hpp"

namespace evpnd::cli {

namespace wire = bgp::wire;
using nlohmann::ordered_json;

namespace {

using namespace detail;

ordered_json family_json(wire::AfiSafi f) {
  return ordered_json{{"afi", f.afi}, {"safi", f.safi}, {"family", wire::to_string(f)}};
}

void label_json(ordered_json& j, const char* key, const evpn::Label& l) {
  j[key] = l.raw;
  // INTEROP.md §1: a raw VNI is expected here; flag a value that looks MPLS-encoded.
  if (l.looks_mpls_shifted()) j[std::string(key) + "AsMpls"] = l.mpls_label();
}

ordered_json evpn_route_json(const evpn::EvpnNlri& n) {
  ordered_json j;
  j["prefix"] = evpn::to_string(n.route);
  const auto type = evpn::route_type(n.route);
  j["routeType"] = type;
  j["routeTypeName"] = route_type_name(type);
  if (n.path_id) j["pathId"] = *n.path_id;
  if (const auto* rd = evpn::route_rd(n.route)) j["rd"] = rd->to_string();
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, evpn::EadRoute>) {
          j["esi"] = v.esi.to_string();
          j["ethTag"] = v.etag.value;
          label_json(j, "label", v.label);
        } else if constexpr (std::is_same_v<T, evpn::MacIpRoute>) {
          j["esi"] = v.esi.to_string();
          j["ethTag"] = v.etag.value;
          j["macLen"] = 48;
          j["mac"] = v.mac.to_string();
          j["ipLen"] = v.ip ? (v.ip->is_v4() ? 32 : 128) : 0;
          if (v.ip) j["ip"] = v.ip->to_string();
          label_json(j, "label", v.label1);
          if (v.label2) label_json(j, "label2", *v.label2);
        } else if constexpr (std::is_same_v<T, evpn::ImetRoute>) {
          j["ethTag"] = v.etag.value;
          j["ipLen"] = v.originating_ip.is_v4() ? 32 : 128;
          j["originatingIp"] = v.originating_ip.to_string();
        } else if constexpr (std::is_same_v<T, evpn::EsRoute>) {
          j["esi"] = v.esi.to_string();
          j["ipLen"] = v.originating_ip.is_v4() ? 32 : 128;
          j["originatingIp"] = v.originating_ip.to_string();
        } else if constexpr (std::is_same_v<T, evpn::IpPrefixRoute>) {
          j["esi"] = v.esi.to_string();
          j["ethTag"] = v.etag.value;
          j["ipLen"] = v.prefix_length;
          j["ip"] = v.prefix.to_string();
          j["gatewayIp"] = v.gateway.to_string();
          label_json(j, "label", v.label);
        } else {
          j["body"] = hex_compact(v.body);
        }
      },
      n.route);
  return j;
}

ordered_json prefixes_json(const std::vector<wire::Prefix>& ps) {
  ordered_json a = ordered_json::array();
  for (const auto& p : ps) {
    ordered_json e{{"prefix", prefix_text(p)}};
    if (p.path_id) e["pathId"] = *p.path_id;
    a.push_back(std::move(e));
  }
  return a;
}

// The NLRI of an MP_REACH/MP_UNREACH: EVPN decoded here, unicast as the codec decoded it.
void mp_nlri_json(ordered_json& j, wire::AfiSafi family, const wire::ByteVec& nlri,
                  const std::vector<wire::Prefix>& prefixes, std::uint8_t attr, const wire::CodecContext& ctx,
                  wire::ByteSpan raw, ordered_json& message) {
  if (family == wire::AfiSafi::l2vpn_evpn()) {
    auto s = decode_evpn_section(nlri, attr, ctx, raw);
    ordered_json a = ordered_json::array();
    for (const auto& n : s.nlri) a.push_back(evpn_route_json(n));
    j["nlri"] = std::move(a);
    if (s.error && !message.contains("error")) message["error"] = error_json(*s.error);
  } else if (family == wire::AfiSafi::ipv4_unicast() || family == wire::AfiSafi::ipv6_unicast()) {
    j["nlri"] = prefixes_json(prefixes);
  } else {
    j["nlriHex"] = hex_compact(nlri);
  }
}

ordered_json ext_community_json(const wire::ExtendedCommunity& c) {
  ordered_json j;
  const auto v = evpn::decode_ext_community(c);
  j["string"] = evpn::describe(v);
  j["hex"] = hex_compact(c.bytes);
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, evpn::RouteTarget>) {
          j["kind"] = "route-target";
          j["format"] = x.format == evpn::RouteTarget::Format::As2    ? "as2"
                        : x.format == evpn::RouteTarget::Format::Ipv4 ? "ipv4"
                                                                      : "as4";
          j["value"] = x.to_string();
        } else if constexpr (std::is_same_v<T, evpn::Encapsulation>) {
          j["kind"] = "encapsulation";
          j["tunnelType"] = x.tunnel_type;
        } else if constexpr (std::is_same_v<T, evpn::MacMobility>) {
          j["kind"] = "mac-mobility";
          j["sequence"] = x.sequence;
          j["sticky"] = x.sticky;
        } else if constexpr (std::is_same_v<T, evpn::EsiLabel>) {
          j["kind"] = "esi-label";
          j["singleActive"] = x.single_active;
          j["label"] = x.label.raw;
        } else if constexpr (std::is_same_v<T, evpn::EsImportRouteTarget>) {
          j["kind"] = "es-import-route-target";
          j["mac"] = x.mac.to_string();
        } else if constexpr (std::is_same_v<T, evpn::RouterMac>) {
          j["kind"] = "router-mac";
          j["mac"] = x.mac.to_string();
        } else if constexpr (std::is_same_v<T, evpn::DfElection>) {
          j["kind"] = "df-election";
          j["algorithm"] = x.algorithm;
          j["bitmap"] = x.bitmap;
          j["preference"] = x.preference;
        } else if constexpr (std::is_same_v<T, evpn::ArpNd>) {
          j["kind"] = "arp-nd";
          j["router"] = (x.flags & evpn::ArpNd::kRouterFlag) != 0;
          j["override"] = (x.flags & evpn::ArpNd::kOverrideFlag) != 0;
          j["proxy"] = (x.flags & evpn::ArpNd::kProxyFlag) != 0;
        } else if constexpr (std::is_same_v<T, evpn::DefaultGateway>) {
          j["kind"] = "default-gateway";
        } else {
          j["kind"] = "other";
          j["type"] = c.type();
          j["subtype"] = c.subtype();
        }
      },
      v);
  return j;
}

ordered_json as_path_json(const wire::AsPath& p) {
  ordered_json segs = ordered_json::array();
  for (const auto& s : p.segments)
    segs.push_back(ordered_json{{"type", as_segment_type_name(s.type)}, {"list", s.asns}});
  return ordered_json{{"string", p.to_string()}, {"segments", std::move(segs)}, {"length", p.length()}};
}

ordered_json attributes_json(const wire::PathAttributes& a, const wire::CodecContext& ctx, wire::ByteSpan raw,
                             ordered_json& message) {
  ordered_json j;
  ordered_json order = ordered_json::array();
  for (const auto& s : attribute_slots(a))
    order.push_back(ordered_json{{"type", s.type}, {"name", attribute_name(s.type)}, {"flags", s.flags}});
  j["order"] = std::move(order);
  if (a.origin) j["origin"] = origin_name(*a.origin);
  if (a.as_path) j["asPath"] = as_path_json(*a.as_path);
  if (a.next_hop) j["nextHop"] = a.next_hop->to_string();
  if (a.med) j["med"] = *a.med;
  if (a.local_pref) j["localPref"] = *a.local_pref;
  if (a.atomic_aggregate) j["atomicAggregate"] = true;
  if (a.aggregator)
    j["aggregator"] = ordered_json{{"as", a.aggregator->asn.value}, {"address", a.aggregator->address.to_string()}};
  if (!a.communities.empty()) {
    ordered_json c = ordered_json::array();
    for (auto v : a.communities) c.push_back(community_text(v));
    j["communities"] = std::move(c);
  }
  if (a.originator_id) j["originatorId"] = a.originator_id->to_string();
  if (!a.cluster_list.empty()) {
    ordered_json c = ordered_json::array();
    for (auto v : a.cluster_list) c.push_back(wire::IpAddress::v4(v).to_string());
    j["clusterList"] = std::move(c);
  }
  if (const auto& m = a.mp_reach) {
    ordered_json r = family_json(m->family);
    if (auto nh = m->next_hop_address()) r["nextHop"] = nh->to_string();
    if (m->next_hop.size() == 32) {
      std::array<std::uint8_t, 16> ll{};
      std::copy(m->next_hop.begin() + 16, m->next_hop.end(), ll.begin());
      r["nextHopLinkLocal"] = wire::IpAddress::v6(ll).to_string();
    }
    r["nextHopLength"] = m->next_hop.size();
    if (!m->next_hop_address()) r["nextHopHex"] = hex_compact(m->next_hop);
    mp_nlri_json(r, m->family, m->nlri, m->prefixes, 14, ctx, raw, message);
    j["mpReach"] = std::move(r);
  }
  if (const auto& m = a.mp_unreach) {
    ordered_json r = family_json(m->family);
    mp_nlri_json(r, m->family, m->nlri, m->prefixes, 15, ctx, raw, message);
    j["mpUnreach"] = std::move(r);
  }
  if (!a.extended_communities.empty()) {
    ordered_json list = ordered_json::array();
    for (const auto& c : a.extended_communities) list.push_back(ext_community_json(c));
    j["extendedCommunity"] =
        ordered_json{{"string", evpn::describe_all(a.extended_communities)}, {"list", std::move(list)}};
  }
  if (!a.large_communities.empty()) {
    ordered_json c = ordered_json::array();
    for (const auto& v : a.large_communities) c.push_back(large_community_text(v));
    j["largeCommunities"] = std::move(c);
  }
  if (const auto& p = a.pmsi_tunnel) {
    j["pmsiTunnel"] = ordered_json{{"flags", p->flags},
                                   {"leafInfoRequired", (p->flags & 0x01) != 0},
                                   {"tunnelType", p->tunnel_type},
                                   {"tunnelTypeName", pmsi_type_name(p->tunnel_type)},
                                   {"label", p->label},
                                   {"tunnelId", tunnel_id_text(p->tunnel_id)}};
  }
  if (!a.unknown.empty()) {
    ordered_json u = ordered_json::array();
    for (const auto& v : a.unknown)
      u.push_back(ordered_json{{"type", v.type}, {"flags", v.flags}, {"value", hex_compact(v.value)}});
    j["unknown"] = std::move(u);
  }
  return j;
}

void update_json(ordered_json& j, const wire::DecodedUpdate& d, const wire::CodecContext& ctx, wire::ByteSpan raw) {
  const auto& u = d.update;
  if (auto eor = u.end_of_rib()) j["endOfRib"] = wire::to_string(*eor);
  j["action"] = std::string(wire::to_string(d.action));
  ordered_json findings = ordered_json::array();
  for (const auto& f : d.findings) {
    findings.push_back(ordered_json{
        {"attrType", f.type},
        {"attrName", f.type ? attribute_name(f.type) : ""},
        {"action", std::string(wire::to_string(f.action))},
        {"subcode", f.subcode},
        {"subcodeName",
         std::string(wire::error_subcode_name(static_cast<std::uint8_t>(wire::ErrorCode::UpdateMessage), f.subcode))},
        {"offset", f.offset},
        {"reason", f.reason}});
  }
  j["findings"] = std::move(findings);
  j["withdrawn"] = prefixes_json(u.withdrawn);
  j["attributes"] = attributes_json(u.attrs, ctx, raw, j);
  j["nlri"] = prefixes_json(u.nlri);
}

ordered_json capability_json(const wire::Capability& c) {
  ordered_json j;
  const auto code = wire::capability_code(c);
  j["code"] = code;
  j["name"] = capability_name(code);
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, wire::MultiprotocolCap>) {
          j.update(family_json(v.family));
        } else if constexpr (std::is_same_v<T, wire::ExtendedNextHopCap>) {
          ordered_json e = ordered_json::array();
          for (const auto& x : v.entries)
            e.push_back(ordered_json{{"afi", x.nlri_afi}, {"safi", x.nlri_safi}, {"nextHopAfi", x.next_hop_afi}});
          j["entries"] = std::move(e);
        } else if constexpr (std::is_same_v<T, wire::GracefulRestartCap>) {
          j["restartFlags"] = v.flags;
          j["restartTime"] = v.restart_time;
          ordered_json e = ordered_json::array();
          for (const auto& x : v.entries) {
            auto f = family_json(x.family);
            f["flags"] = x.flags;
            f["forwardingPreserved"] = (x.flags & 0x80) != 0;
            e.push_back(std::move(f));
          }
          j["families"] = std::move(e);
        } else if constexpr (std::is_same_v<T, wire::FourOctetAsCap>) {
          j["asn"] = v.asn.value;
        } else if constexpr (std::is_same_v<T, wire::AddPathCap>) {
          ordered_json e = ordered_json::array();
          for (const auto& x : v.entries) {
            auto f = family_json(x.family);
            f["direction"] = add_path_direction_name(x.direction);
            e.push_back(std::move(f));
          }
          j["families"] = std::move(e);
        } else if constexpr (std::is_same_v<T, wire::FqdnCap>) {
          j["hostname"] = v.hostname;
          j["domain"] = v.domain;
        } else if constexpr (std::is_same_v<T, wire::UnknownCap>) {
          j["value"] = hex_compact(v.value);
        }
      },
      c);
  return j;
}

void open_json(ordered_json& j, const wire::OpenMessage& o) {
  j["version"] = o.version;
  j["myAs"] = o.my_as;
  j["asn"] = o.asn().value;
  j["holdTime"] = o.hold_time;
  j["bgpId"] = o.bgp_id.to_string();
  j["extendedParameters"] = o.extended_params;
  j["optionalParameters"] = o.params.size();
  ordered_json caps = ordered_json::array();
  ordered_json other = ordered_json::array();
  for (const auto& p : o.params) {
    if (p.type != wire::OptionalParameter::kCapabilities) {
      other.push_back(ordered_json{{"type", p.type}, {"value", hex_compact(p.value)}});
      continue;
    }
    for (const auto& c : p.capabilities) caps.push_back(capability_json(c));
  }
  j["capabilities"] = std::move(caps);
  if (!other.empty()) j["otherParameters"] = std::move(other);
}

}  // namespace

ordered_json message_json(const wire::DecodedMessage& m, const wire::CodecContext& ctx, wire::ByteSpan raw) {
  ordered_json j;
  const auto type = static_cast<std::uint8_t>(m.index() + 1);  // variant order = RFC type codes
  j["type"] = message_type_name(type);
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, wire::OpenMessage>) {
          open_json(j, v);
        } else if constexpr (std::is_same_v<T, wire::DecodedUpdate>) {
          update_json(j, v, ctx, raw);
        } else if constexpr (std::is_same_v<T, wire::NotificationMessage>) {
          j["code"] = v.code;
          j["codeName"] = std::string(wire::error_code_name(v.code));
          j["subcode"] = v.subcode;
          j["subcodeName"] = std::string(wire::error_subcode_name(v.code, v.subcode));
          j["data"] = hex_compact(v.data);
          if (auto text = v.shutdown_communication()) j["shutdownCommunication"] = *text;
        } else if constexpr (std::is_same_v<T, wire::RouteRefreshMessage>) {
          j.update(family_json(v.family));
          j["subtype"] = route_refresh_subtype_name(v.subtype);
        }
      },
      m);
  return j;
}

}  // namespace evpnd::cli
