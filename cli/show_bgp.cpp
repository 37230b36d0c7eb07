#include "cli/show_bgp.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <map>
#include <sstream>

#include "evpn/ext_community.hpp"
#include "evpn/nlri.hpp"

namespace evpnd::cli {

namespace wire = bgp::wire;
using nlohmann::ordered_json;

namespace {

std::string state_name(const bgp::PeerView& p) { return std::string(bgp::fsm::to_string(p.state)); }

std::int64_t uptime_seconds(const bgp::PeerView& p, std::chrono::steady_clock::time_point now) {
  if (!p.established_since) return 0;
  return std::chrono::duration_cast<std::chrono::seconds>(now - *p.established_since).count();
}

std::string origin_name(std::optional<wire::Origin> o) {
  if (!o) return "";
  switch (*o) {
    case wire::Origin::Igp: return "IGP";
    case wire::Origin::Egp: return "EGP";
    case wire::Origin::Incomplete: return "incomplete";
  }
  return "";
}

char origin_code(std::optional<wire::Origin> o) {
  if (!o) return ' ';
  switch (*o) {
    case wire::Origin::Igp: return 'i';
    case wire::Origin::Egp: return 'e';
    case wire::Origin::Incomplete: return '?';
  }
  return ' ';
}

std::string next_hop_of(const wire::PathAttributes& a) {
  if (a.mp_reach) {
    if (auto nh = a.mp_reach->next_hop_address()) return nh->to_string();
  }
  if (a.next_hop) return a.next_hop->to_string();
  return "";
}

std::string ip_or_hex(const wire::ByteVec& b) {
  if (b.size() == 4) return wire::IpAddress::v4(std::array<std::uint8_t, 4>{b[0], b[1], b[2], b[3]}).to_string();
  if (b.size() == 16) {
    std::array<std::uint8_t, 16> a{};
    std::copy(b.begin(), b.end(), a.begin());
    return wire::IpAddress::v6(a).to_string();
  }
  std::string s;
  char buf[4];
  for (auto x : b) {
    std::snprintf(buf, sizeof buf, "%02x", x);
    s += buf;
  }
  return s;
}

struct Row {
  const PathSource* source;
  const rib::RibPath* path;
};

// Paths grouped the way FRR shows them: by RD, then by prefix string.
std::map<std::string, std::map<std::string, std::vector<Row>>> group(const std::vector<PathSource>& sources,
                                                                     const EvpnRouteFilter& f) {
  std::map<std::string, std::map<std::string, std::vector<Row>>> out;
  for (const auto& s : sources) {
    if (!s.table) continue;
    for (const auto* p : s.table->sorted()) {
      if (f.route_type && evpn::route_type(p->route) != *f.route_type) continue;
      const auto* rd = evpn::route_rd(p->route);
      out[rd ? rd->to_string() : "unknown"][evpn::to_string(p->route)].push_back(Row{&s, p});
    }
  }
  return out;
}

void route_fields(const evpn::EvpnRoute& r, ordered_json& j) {
  j["routeType"] = evpn::route_type(r);
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, evpn::EadRoute>) {
          j["ethTag"] = v.etag.value;
          j["esi"] = v.esi.to_string();
          j["label"] = v.label.raw;
        } else if constexpr (std::is_same_v<T, evpn::MacIpRoute>) {
          j["ethTag"] = v.etag.value;
          j["esi"] = v.esi.to_string();
          j["macLen"] = 48;
          j["mac"] = v.mac.to_string();
          j["ipLen"] = v.ip ? (v.ip->is_v4() ? 32 : 128) : 0;
          if (v.ip) j["ip"] = v.ip->to_string();
          j["label"] = v.label1.raw;
          if (v.label2) j["label2"] = v.label2->raw;
        } else if constexpr (std::is_same_v<T, evpn::ImetRoute>) {
          j["ethTag"] = v.etag.value;
          j["ipLen"] = v.originating_ip.is_v4() ? 32 : 128;
          j["originatingIp"] = v.originating_ip.to_string();
        } else if constexpr (std::is_same_v<T, evpn::EsRoute>) {
          j["esi"] = v.esi.to_string();
          j["ipLen"] = v.originating_ip.is_v4() ? 32 : 128;
          j["originatingIp"] = v.originating_ip.to_string();
        } else if constexpr (std::is_same_v<T, evpn::IpPrefixRoute>) {
          j["ethTag"] = v.etag.value;
          j["esi"] = v.esi.to_string();
          j["ipLen"] = v.prefix_length;
          j["ip"] = v.prefix.to_string();
          j["gatewayIp"] = v.gateway.to_string();
          j["label"] = v.label.raw;
        } else {
          j["unknownType"] = true;
        }
      },
      r);
}

// The Loc-RIB entry of the row's key when the row's path is its best one.
const rib::EvpnRib::Entry* best_entry(const Row& row, const rib::EvpnRib* rib) {
  if (!rib) return nullptr;
  const auto* e = rib->find(evpn::route_key(row.path->route));
  const auto* best = e ? rib::EvpnRib::best_of(*e) : nullptr;
  if (!best || best->peer != row.source->id || best->add_path_id() != row.path->path_id) return nullptr;
  return e;
}

ordered_json path_json(const Row& row, const rib::EvpnRib* rib) {
  const auto& a = *row.path->attrs;
  ordered_json j;
  j["valid"] = true;
  if (const auto* e = best_entry(row, rib))
    j["bestpath"] = ordered_json{{"overall", true}, {"selectionReason", std::string(rib::to_string(e->reason))}};
  j["pathFrom"] = row.source->peer == "local" ? "local" : (row.source->ibgp ? "internal" : "external");
  j["rd"] = evpn::route_rd(row.path->route) ? evpn::route_rd(row.path->route)->to_string() : "";
  j["prefix"] = evpn::to_string(row.path->route);
  route_fields(row.path->route, j);
  if (row.path->path_id) j["pathId"] = *row.path->path_id;
  j["peerId"] = row.source->peer;
  j["path"] = a.as_path ? a.as_path->to_string() : "";
  j["origin"] = origin_name(a.origin);
  if (a.med) j["metric"] = *a.med;
  if (a.local_pref) j["locPrf"] = *a.local_pref;
  // RFC 4456, in FRR's keys.
  if (a.originator_id) j["originatorId"] = a.originator_id->to_string();
  if (!a.cluster_list.empty()) {
    ordered_json list = ordered_json::array();
    for (auto c : a.cluster_list) list.push_back(wire::RouterId{c}.to_string());
    j["clusterList"] = ordered_json{{"list", std::move(list)}};
  }
  if (!a.extended_communities.empty())
    j["extendedCommunity"] = ordered_json{{"string", evpn::describe_all(a.extended_communities, evpn::DescribeOrder::FrrSorted)}};
  if (auto mm = evpn::find_ext_community<evpn::MacMobility>(a.extended_communities))
    j["macMobility"] = ordered_json{{"seq", mm->sequence}, {"sticky", mm->sticky}};
  if (a.pmsi_tunnel) {
    const auto& p = *a.pmsi_tunnel;
    j["pmsi"] = ordered_json{
        {"type", p.tunnel_type == wire::PmsiTunnel::kIngressReplication ? "ingress-replication"
                                                                        : std::to_string(p.tunnel_type)},
        {"flags", p.flags},
        {"label", p.label},
        {"tunnelId", ip_or_hex(p.tunnel_id)}};
  }
  const auto nh = next_hop_of(a);
  j["nexthops"] = ordered_json::array(
      {ordered_json{{"ip", nh}, {"afi", nh.find(':') == std::string::npos ? "ipv4" : "ipv6"}, {"used", true}}});
  return j;
}

}  // namespace

std::string format_uptime(std::chrono::seconds s) {
  // FRR's peer_uptime (bgpd.c) prints fields of gmtime() of the duration: days below a
  // week, weeks below a year (365 days), then years since 1970, weeks and days.
  constexpr std::int64_t kDay = 86400, kWeek = 7 * kDay, kYear = 365 * kDay;
  const std::time_t t = static_cast<std::time_t>(std::max<std::int64_t>(0, s.count()));
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  if (t < kDay)
    std::snprintf(buf, sizeof buf, "%02d:%02d:%02d", tm.tm_hour, tm.tm_min, tm.tm_sec);
  else if (t < kWeek)
    std::snprintf(buf, sizeof buf, "%dd%02dh%02dm", tm.tm_yday, tm.tm_hour, tm.tm_min);
  else if (t < kYear)
    std::snprintf(buf, sizeof buf, "%02dw%dd%02dh", tm.tm_yday / 7, tm.tm_yday % 7, tm.tm_hour);
  else
    std::snprintf(buf, sizeof buf, "%02dy%02dw%dd", tm.tm_year - 70, tm.tm_yday / 7, tm.tm_yday % 7);
  return buf;
}

namespace {
std::size_t received_in(const bgp::PeerView& p, wire::AfiSafi f) {
  return f == wire::AfiSafi::ipv4_unicast() ? p.ipv4_prefixes_received : p.prefixes_received;
}
std::size_t sent_in(const bgp::PeerView& p, wire::AfiSafi f) {
  return f == wire::AfiSafi::ipv4_unicast() ? p.ipv4_prefixes_sent : p.prefixes_sent;
}
}  // namespace

ordered_json evpn_summary_json(const bgp::BgpConfig& cfg, const std::vector<bgp::PeerView>& peers,
                               std::chrono::steady_clock::time_point now, wire::AfiSafi family) {
  ordered_json j;
  j["routerId"] = cfg.router_id ? cfg.router_id->to_string() : "0.0.0.0";
  j["as"] = cfg.asn ? cfg.asn->value : 0;
  ordered_json ps = ordered_json::object();
  std::size_t failed = 0;
  for (const auto& p : peers) {
    ordered_json e;
    if (!p.remote_hostname.empty()) e["hostname"] = p.remote_hostname;
    e["remoteAs"] = p.remote_as ? p.remote_as->value : p.configured_remote_as.value;
    e["localAs"] = cfg.asn ? cfg.asn->value : 0;
    e["version"] = 4;
    e["msgRcvd"] = p.counters.messages_in;
    e["msgSent"] = p.counters.messages_out;
    const auto up = uptime_seconds(p, now);
    e["peerUptime"] = p.established_since ? format_uptime(std::chrono::seconds(up)) : "never";
    e["peerUptimeMsec"] = up * 1000;
    e["uptimeSec"] = up;
    e["pfxRcd"] = received_in(p, family);
    e["pfxSnt"] = sent_in(p, family);
    if (p.prefixes_looped) e["pfxAsPathLoop"] = p.prefixes_looped;
    e["state"] = state_name(p);
    e["peerState"] = p.policy_blocked ? "Policy" : "OK";
    e["connectionsEstablished"] = p.established_transitions;
    e["connectionsDropped"] = p.dropped;
    e["holdTime"] = p.hold_time;
    e["keepalive"] = p.keepalive;
    e["idType"] = p.address.is_v4() ? "ipv4" : "ipv6";
    if (!p.description.empty()) e["desc"] = p.description;
    if (!p.last_error.empty()) e["lastError"] = p.last_error;
    if (p.state != bgp::fsm::State::Established) ++failed;
    ps[p.address.to_string()] = std::move(e);
  }
  j["peers"] = std::move(ps);
  j["failedPeers"] = failed;
  j["totalPeers"] = peers.size();
  return j;
}

std::string evpn_summary_text(const bgp::BgpConfig& cfg, const std::vector<bgp::PeerView>& peers,
                              std::chrono::steady_clock::time_point now, wire::AfiSafi family) {
  std::ostringstream o;
  o << "BGP router identifier " << (cfg.router_id ? cfg.router_id->to_string() : "0.0.0.0") << ", local AS number "
    << (cfg.asn ? cfg.asn->value : 0) << "\n\n";
  char line[256];
  std::snprintf(line, sizeof line, "%-16s %1s %10s %9s %9s %8s %-12s %12s %8s %s\n", "Neighbor", "V", "AS", "MsgRcvd",
                "MsgSent", "Up/Down", "State/PfxRcd", "PfxSnt", "Hold/KA", "Desc");
  o << line;
  for (const auto& p : peers) {
    std::string state = p.state == bgp::fsm::State::Established
                            ? (p.policy_blocked ? std::string("(Policy)") : std::to_string(received_in(p, family)))
                            : state_name(p);
    const auto up = p.established_since ? format_uptime(std::chrono::seconds(uptime_seconds(p, now))) : "never";
    const auto as = p.remote_as ? p.remote_as->value : p.configured_remote_as.value;
    const std::string timers = std::to_string(p.hold_time) + "/" + std::to_string(p.keepalive);
    std::snprintf(line, sizeof line, "%-16s %1d %10u %9llu %9llu %8s %-12s %12zu %8s %s\n",
                  p.address.to_string().c_str(), 4, as, static_cast<unsigned long long>(p.counters.messages_in),
                  static_cast<unsigned long long>(p.counters.messages_out), up.c_str(), state.c_str(),
                  p.policy_blocked ? std::size_t{0} : sent_in(p, family), timers.c_str(), p.description.c_str());
    o << line;
  }
  o << "\nTotal number of neighbors " << peers.size() << "\n";
  return o.str();
}

ordered_json evpn_routes_json(const bgp::BgpConfig& cfg, const std::vector<PathSource>& sources,
                              const EvpnRouteFilter& filter, const rib::EvpnRib* rib) {
  ordered_json j;
  j["bgpLocalRouterId"] = cfg.router_id ? cfg.router_id->to_string() : "0.0.0.0";
  j["defaultLocPrf"] = 100;
  j["localAS"] = cfg.asn ? cfg.asn->value : 0;
  std::size_t prefixes = 0, paths = 0;
  for (const auto& [rd, by_prefix] : group(sources, filter)) {
    ordered_json rdj;
    rdj["rd"] = rd;
    for (const auto& [prefix, rows] : by_prefix) {
      ordered_json pj;
      pj["prefix"] = prefix;
      ordered_json arr = ordered_json::array();
      for (const auto& r : rows) arr.push_back(path_json(r, rib));
      paths += rows.size();
      pj["paths"] = std::move(arr);
      rdj[prefix] = std::move(pj);
      ++prefixes;
    }
    j[rd] = std::move(rdj);
  }
  j["numPrefix"] = prefixes;
  j["numPaths"] = paths;
  return j;
}

std::string evpn_routes_text(const bgp::BgpConfig& cfg, const std::vector<PathSource>& sources,
                             const EvpnRouteFilter& filter, const rib::EvpnRib* rib) {
  std::ostringstream o;
  o << "BGP table version is 0, local router ID is " << (cfg.router_id ? cfg.router_id->to_string() : "0.0.0.0")
    << "\n"
    << "Status codes: * valid, > best, i - internal, l - local\n"
    << "Origin codes: i - IGP, e - EGP, ? - incomplete\n"
    << "EVPN type-1 prefix: [1]:[EthTag]:[ESI]:[IPlen]:[VTEP-IP]:[Frag-id]\n"
    << "EVPN type-2 prefix: [2]:[EthTag]:[MAClen]:[MAC]:[IPlen]:[IP]\n"
    << "EVPN type-3 prefix: [3]:[EthTag]:[IPlen]:[OrigIP]\n"
    << "EVPN type-4 prefix: [4]:[ESI]:[IPlen]:[OrigIP]\n"
    << "EVPN type-5 prefix: [5]:[EthTag]:[IPlen]:[IP]\n\n"
    << "   Network          Next Hop            Metric LocPrf Weight Path\n"
    << "                    Extended Community\n";
  std::size_t prefixes = 0, paths = 0;
  char line[512];
  for (const auto& [rd, by_prefix] : group(sources, filter)) {
    o << "Route Distinguisher: " << rd << "\n";
    for (const auto& [prefix, rows] : by_prefix) {
      ++prefixes;
      for (const auto& r : rows) {
        ++paths;
        const auto& a = *r.path->attrs;
        std::string status = best_entry(r, rib) ? "*>" : "* ";
        status += r.source->peer == "local" ? "l" : (r.source->ibgp ? "i" : " ");
        o << status << prefix << "\n";
        std::string med = a.med ? std::to_string(*a.med) : "";
        std::string lp = a.local_pref ? std::to_string(*a.local_pref) : "";
        std::string path = a.as_path ? a.as_path->to_string() : "";
        std::snprintf(line, sizeof line, "                    %-19s %6s %6s %6d %s%s%c\n", next_hop_of(a).c_str(),
                      med.c_str(), lp.c_str(), 0, path.c_str(), path.empty() ? "" : " ", origin_code(a.origin));
        o << line;
        if (!a.extended_communities.empty())
          o << "                    " << evpn::describe_all(a.extended_communities, evpn::DescribeOrder::FrrSorted) << "\n";
        if (a.pmsi_tunnel)
          o << "                    PMSI type " << static_cast<int>(a.pmsi_tunnel->tunnel_type) << " label "
            << a.pmsi_tunnel->label << " tunnel " << ip_or_hex(a.pmsi_tunnel->tunnel_id) << "\n";
      }
    }
  }
  o << "\nDisplayed " << prefixes << " prefixes (" << paths << " paths)\n";
  return o.str();
}

// FRR's lastResetDueTo / lastNotificationReason split of a session-down reason:
// "NOTIFICATION sent: Cease/X (why)" -> "BGP Notification send", "Cease/X".
struct ResetReason {
  std::string due_to;
  std::string notification;
};
ResetReason reset_reason(const std::string& reason) {
  for (const auto& [prefix, due] : {std::pair<std::string_view, const char*>{"NOTIFICATION sent: ", "BGP Notification send"},
                                    {"NOTIFICATION received: ", "BGP Notification received"}}) {
    if (!reason.starts_with(prefix)) continue;
    std::string n = reason.substr(prefix.size());
    if (auto paren = n.find(" ("); paren != std::string::npos) n.resize(paren);
    return {due, n};
  }
  return {reason, ""};
}

ordered_json findings_json(const bgp::PeerView& p) {
  ordered_json a = ordered_json::array();
  for (const auto& f : p.findings) {
    ordered_json e;
    e["rule"] = std::string(f.rule);
    if (f.attribute) e["attribute"] = wire::attribute_name(f.attribute);
    e["action"] = std::string(wire::to_string(f.action));
    e["count"] = f.count;
    e["last"] = f.last_text;
    a.push_back(std::move(e));
  }
  return a;
}

ordered_json neighbors_json(const std::vector<bgp::PeerView>& peers, std::chrono::steady_clock::time_point now) {
  ordered_json j = ordered_json::object();
  for (const auto& p : peers) {
    ordered_json e;
    e["remoteAs"] = p.remote_as ? p.remote_as->value : p.configured_remote_as.value;
    e["nbrInternalLink"] = p.ibgp;
    if (!p.description.empty()) e["nbrDesc"] = p.description;
    if (!p.remote_hostname.empty()) e["hostname"] = p.remote_hostname;
    e["remoteRouterId"] = p.remote_id ? p.remote_id->to_string() : "0.0.0.0";
    e["bgpState"] = state_name(p);
    e["bgpTimerUpMsec"] = uptime_seconds(p, now) * 1000;
    e["bgpTimerConfiguredHoldTimeMsecs"] = p.configured_hold_time * 1000;
    e["bgpTimerConfiguredKeepAliveIntervalMsecs"] = p.configured_keepalive * 1000;
    e["bgpTimerHoldTimeMsecs"] = p.hold_time * 1000;
    e["bgpTimerKeepAliveIntervalMsecs"] = p.keepalive * 1000;
    ordered_json fams = ordered_json::array();
    for (const auto& f : p.families) fams.push_back(wire::to_string(f));
    e["afiSafis"] = std::move(fams);
    e["messageStats"] = ordered_json{{"opensSent", p.counters.opens_out},
                                     {"opensRecv", p.counters.opens_in},
                                     {"notificationsSent", p.counters.notifications_out},
                                     {"notificationsRecv", p.counters.notifications_in},
                                     {"updatesSent", p.counters.updates_out},
                                     {"updatesRecv", p.counters.updates_in},
                                     {"keepalivesSent", p.counters.keepalives_out},
                                     {"keepalivesRecv", p.counters.keepalives_in},
                                     {"routeRefreshRecv", p.counters.route_refresh_in},
                                     {"routeRefreshSent", p.counters.route_refresh_out},
                                     {"totalSent", p.counters.messages_out},
                                     {"totalRecv", p.counters.messages_in}};
    e["connectionsEstablished"] = p.established_transitions;
    e["connectionsDropped"] = p.dropped;
    e["endOfRibRecv"] = p.end_of_rib_received;
    // FRR's object and its keys where they mean the same; evpnd is a restarting speaker
    // only (no helper mode yet: a peer's restart drops its routes).
    ordered_json eor = ordered_json::object();
    for (const auto& f : p.end_of_rib_families) eor[wire::to_string(f)] = true;
    e["gracefulRestartInfo"] = ordered_json{{"localGrMode", p.graceful_restart_configured ? "Restart" : "Disable"},
                                            {"remoteGrCapability", p.peer_graceful_restart},
                                            {"negotiated", p.graceful_restart},
                                            {"endOfRibRecv", std::move(eor)}};
    if (!p.local_address.empty()) e["hostLocal"] = p.local_address;
    if (!p.last_error.empty()) e["lastErrorDescription"] = p.last_error;
    if (!p.last_reset.empty()) {
      const auto r = reset_reason(p.last_reset);
      e["lastResetDueTo"] = r.due_to;
      if (!r.notification.empty()) e["lastNotificationReason"] = r.notification;
      e["lastResetDetail"] = p.last_reset;
    }
    e["policyBlocked"] = p.policy_blocked;
    if (p.prefix_overflow) e["prefixOverflow"] = true;  // FRR shows the state as "Idle (PfxCt)"
    e["tcpMd5"] = p.password;
    if (p.ttl_security_hops) e["ttlSecurityHops"] = p.ttl_security_hops;
    e["outputQueueBytes"] = p.queued_bytes;
    // What the peer's UPDATEs made us note (evpnd): RFC 7606 findings per rule, EVPN
    // routes of unknown types (RFC 7606 §5.4), NLRI of families not negotiated, Type-5
    // routes treated as withdrawn (RFC 9136 §3), ROUTE-REFRESH ignored (RFC 7313 §5).
    e["updateFindings"] = findings_json(p);
    e["evpnPathsLooped"] = p.prefixes_looped;  // our AS in their AS_PATH (RFC 4271 §9.1.2)
    e["evpnUnknownRouteTypes"] = p.unknown_route_types;
    e["nlriNotNegotiated"] = p.not_negotiated;
    e["evpnType5TreatedAsWithdraw"] = p.invalid_type5;
    e["routeRefreshIgnored"] = p.refresh_ignored;
    j[p.address.to_string()] = std::move(e);
  }
  return j;
}

std::string neighbors_text(const std::vector<bgp::PeerView>& peers, std::chrono::steady_clock::time_point now) {
  std::ostringstream o;
  for (const auto& p : peers) {
    o << "BGP neighbor is " << p.address.to_string() << ", remote AS "
      << (p.remote_as ? p.remote_as->value : p.configured_remote_as.value) << ", "
      << (p.ibgp ? "internal" : "external") << " link\n";
    if (!p.description.empty()) o << " Description: " << p.description << "\n";
    if (!p.remote_hostname.empty()) o << " Hostname: " << p.remote_hostname << "\n";
    o << "  BGP version 4, remote router ID " << (p.remote_id ? p.remote_id->to_string() : "0.0.0.0") << "\n";
    o << "  BGP state = " << state_name(p);
    if (p.established_since) o << ", up for " << format_uptime(std::chrono::seconds(uptime_seconds(p, now)));
    o << "\n";
    o << "  Hold time is " << p.hold_time << " seconds, keepalive interval is " << p.keepalive << " seconds\n";
    o << "  Configured hold time is " << p.configured_hold_time << " seconds, keepalive interval is "
      << p.configured_keepalive << " seconds\n";
    for (const auto& f : p.families) o << "  Address family " << wire::to_string(f) << ": negotiated\n";
    if (p.policy_blocked)
      o << "  Inbound and outbound updates discarded: eBGP without policy (RFC 8212, bgp ebgp-requires-policy)\n";
    o << "  Messages: " << p.counters.messages_in << " received, " << p.counters.messages_out << " sent ("
      << p.counters.updates_in << "/" << p.counters.updates_out << " updates)\n";
    o << "  Connections established " << p.established_transitions << "; dropped " << p.dropped << "\n";
    o << "  EVPN paths received " << p.prefixes_received << ", sent " << p.prefixes_sent << "\n";
    if (p.prefixes_looped)
      o << "  Paths dropped for an AS path holding our AS: " << p.prefixes_looped << "\n";
    if (p.unknown_route_types)
      o << "  EVPN routes of unknown types received: " << p.unknown_route_types << " (RFC 7606 5.4)\n";
    if (p.not_negotiated) o << "  NLRI of families not negotiated, ignored: " << p.not_negotiated << "\n";
    if (p.invalid_type5) o << "  Type-5 routes treated as withdrawn: " << p.invalid_type5 << " (RFC 9136 3)\n";
    if (p.refresh_ignored) o << "  ROUTE-REFRESH messages ignored: " << p.refresh_ignored << "\n";
    if (p.password) o << "  TCP-MD5 authentication is configured\n";
    if (p.ttl_security_hops)
      o << "  ttl-security: " << static_cast<int>(p.ttl_security_hops) << " hops (GTSM, minimum TTL "
        << 256 - p.ttl_security_hops << ")\n";
    if (p.prefix_overflow) o << "  Down: maximum-prefix exceeded (clear bgp to restart)\n";
    if (!p.findings.empty()) {
      o << "  Noted in UPDATEs:\n";
      for (const auto& f : p.findings) {
        o << "    " << f.rule;
        if (f.attribute) o << " " << wire::attribute_name(f.attribute);
        if (f.action != wire::AttrAction::None) o << " " << wire::to_string(f.action);
        o << ": " << f.count << " (last: " << f.last_text << ")\n";
      }
    }
    if (!p.local_address.empty()) o << "  Local host: " << p.local_address << "\n";
    if (!p.last_error.empty()) o << "  Last error: " << p.last_error << "\n";
    if (!p.last_reset.empty()) o << "  Last reset: " << p.last_reset << "\n";
    o << "\n";
  }
  return o.str();
}

}  // namespace evpnd::cli
