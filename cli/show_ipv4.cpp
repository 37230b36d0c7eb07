#include "cli/show_ipv4.hpp"

#include <cstdio>

#include "bgp/outbound.hpp"

namespace evpnd::cli {

namespace wire = bgp::wire;
using nlohmann::ordered_json;

namespace {

std::string prefix_text(const rib::PrefixKey& k) { return k.address.to_string() + "/" + std::to_string(k.length); }

std::string origin_name(std::optional<wire::Origin> o) {
  switch (o.value_or(wire::Origin::Incomplete)) {
    case wire::Origin::Igp: return "IGP";
    case wire::Origin::Egp: return "EGP";
    case wire::Origin::Incomplete: return "incomplete";
  }
  return "";
}

char origin_code(std::optional<wire::Origin> o) {
  switch (o.value_or(wire::Origin::Incomplete)) {
    case wire::Origin::Igp: return 'i';
    case wire::Origin::Egp: return 'e';
    case wire::Origin::Incomplete: return '?';
  }
  return '?';
}

// The next hop as the path holds it: NEXT_HOP, or an MP_REACH of ipv4 unicast; a route
// we originate has none yet (FRR shows 0.0.0.0).
std::string next_hop_text(const wire::PathAttributes& a) {
  const auto nh = bgp::ipv4_next_hop(a);
  return nh ? nh->to_string() : "0.0.0.0";
}

void header_json(const bgp::BgpConfig& cfg, ordered_json& j) {
  j["vrfId"] = 0;
  j["vrfName"] = "default";
  j["routerId"] = cfg.router_id ? cfg.router_id->to_string() : "0.0.0.0";
  j["defaultLocPrf"] = 100;
  j["localAS"] = cfg.asn ? cfg.asn->value : 0;
}

// `weight`: ours, for paths in our table; a path as sent has none.
void attrs_json(const wire::PathAttributes& a, std::optional<std::uint32_t> weight, ordered_json& p) {
  if (a.med) p["metric"] = *a.med;
  if (a.local_pref) p["locPrf"] = *a.local_pref;
  if (weight) p["weight"] = *weight;
  p["path"] = a.as_path ? a.as_path->to_string() : "";
  p["origin"] = origin_name(a.origin);
  if (a.originator_id) p["originatorId"] = a.originator_id->to_string();
  if (!a.cluster_list.empty()) {
    ordered_json list = ordered_json::array();
    for (auto c : a.cluster_list) list.push_back(wire::RouterId{c}.to_string());
    p["clusterList"] = ordered_json{{"list", std::move(list)}};
  }
  p["nexthops"] = ordered_json::array({ordered_json{{"ip", next_hop_text(a)}, {"afi", "ipv4"}, {"used", true}}});
}

std::string text_header(const bgp::BgpConfig& cfg) {
  std::string s = "BGP table version is 0, local router ID is " +
                  (cfg.router_id ? cfg.router_id->to_string() : std::string("0.0.0.0")) + ", vrf id 0\n";
  s += "Default local pref 100, local AS " + std::to_string(cfg.asn ? cfg.asn->value : 0) + "\n";
  s += "Status codes:  * valid, > best, i internal, S Stale\n";
  s += "Origin codes:  i - IGP, e - EGP, ? - incomplete\n\n";
  s += "   Network          Next Hop            Metric LocPrf Weight Path\n";
  return s;
}

std::string text_row(const std::string& status, const std::string& network, const wire::PathAttributes& a,
                     std::uint32_t weight) {
  char line[256];
  const std::string med = a.med ? std::to_string(*a.med) : "";
  const std::string lp = a.local_pref ? std::to_string(*a.local_pref) : "";
  std::string path = a.as_path ? a.as_path->to_string() : "";
  if (!path.empty()) path += " ";
  path += origin_code(a.origin);
  std::snprintf(line, sizeof line, "%-3s%-16s %-19s %6s %6s %6u %s\n", status.c_str(), network.c_str(),
                next_hop_text(a).c_str(), med.c_str(), lp.c_str(), weight, path.c_str());
  return line;
}

}  // namespace

ordered_json ipv4_routes_json(const bgp::BgpConfig& cfg, const rib::Ipv4Rib& rib, const SourceNames& names,
                              std::optional<rib::PeerId> only) {
  ordered_json j;
  header_json(cfg, j);
  ordered_json routes = ordered_json::object();
  for (const auto& [key, entry] : rib.table()) {
    ordered_json paths = ordered_json::array();
    for (std::size_t i = 0; i < entry.paths.size(); ++i) {
      const auto& path = entry.paths[i];
      if (only && path.peer != *only) continue;
      const SourceName who = names(path.peer);
      ordered_json p;
      p["valid"] = true;
      if (entry.best == i) {
        p["bestpath"] = true;
        p["selectionReason"] = std::string(rib::to_string(entry.reason));
      }
      if (path.stale) p["stale"] = true;
      p["pathFrom"] = who.local ? "local" : (who.ibgp ? "internal" : "external");
      p["prefix"] = key.address.to_string();
      p["prefixLen"] = key.length;
      p["network"] = prefix_text(key);
      if (auto id = path.add_path_id()) p["pathId"] = *id;
      attrs_json(*path.attrs, rib.peer(path.peer).weight, p);
      p["peerId"] = who.local ? "(unspec)" : who.address;
      paths.push_back(std::move(p));
    }
    if (!paths.empty()) routes[prefix_text(key)] = std::move(paths);
  }
  j["routes"] = std::move(routes);
  return j;
}

std::string ipv4_routes_text(const bgp::BgpConfig& cfg, const rib::Ipv4Rib& rib, const SourceNames& names,
                             std::optional<rib::PeerId> only) {
  std::string s = text_header(cfg);
  std::size_t prefixes = 0, paths = 0;
  for (const auto& [key, entry] : rib.table()) {
    bool first = true;
    for (std::size_t i = 0; i < entry.paths.size(); ++i) {
      const auto& path = entry.paths[i];
      if (only && path.peer != *only) continue;
      const SourceName who = names(path.peer);
      std::string status = path.stale ? "S" : "*";
      status += entry.best == i ? ">" : " ";
      if (!who.local && who.ibgp) status += "i";
      // FRR prints the network on the first path of a prefix only.
      s += text_row(status, first ? prefix_text(key) : "", *path.attrs, rib.peer(path.peer).weight);
      prefixes += first;
      first = false;
      ++paths;
    }
  }
  s += "\nDisplayed  " + std::to_string(prefixes) + " routes and " + std::to_string(paths) + " total paths\n";
  return s;
}

ordered_json ipv4_advertised_json(const bgp::BgpConfig& cfg, const std::vector<bgp::Speaker::SentPrefix>& sent) {
  ordered_json j;
  header_json(cfg, j);
  ordered_json routes = ordered_json::object();
  for (const auto& r : sent) {
    const rib::PrefixKey key{r.prefix.address, r.prefix.length};
    ordered_json p;
    p["prefix"] = key.address.to_string();
    p["prefixLen"] = key.length;
    p["network"] = prefix_text(key);
    attrs_json(*r.attrs, std::nullopt, p);
    routes[prefix_text(key)] = std::move(p);
  }
  j["advertisedRoutes"] = std::move(routes);
  j["totalPrefixCounter"] = sent.size();
  return j;
}

std::string ipv4_advertised_text(const bgp::BgpConfig& cfg, const std::vector<bgp::Speaker::SentPrefix>& sent) {
  std::string s = text_header(cfg);
  for (const auto& r : sent) s += text_row("*>", prefix_text({r.prefix.address, r.prefix.length}), *r.attrs, 0);
  s += "\nTotal number of prefixes " + std::to_string(sent.size()) + "\n";
  return s;
}

}  // namespace evpnd::cli
