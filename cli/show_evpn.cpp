#include "cli/show_evpn.hpp"

#include <cstdio>

namespace evpnd::cli {

namespace {

using Json = nlohmann::ordered_json;
using Model = vtep::Model;

std::string vni_name(evpn::Vni v) { return std::to_string(v.value()); }

// The anycast gateway is listed even before it is learned: it is local on every VTEP.
bool shown(const Model::MacEntry& e) { return e.local || e.installed || e.gateway; }
bool shown(const Model::NeighborEntry& n) { return n.local || n.installed; }

std::size_t mac_count(const Model::VniState* s) {
  std::size_t n = 0;
  if (s)
    for (const auto& [m, e] : s->macs) n += shown(e);
  return n;
}
std::size_t neighbor_count(const Model::VniState* s) {
  std::size_t n = 0;
  if (s)
    for (const auto& [ip, e] : s->neighbors) n += shown(e);
  return n;
}

Json rts_json(const std::vector<evpn::RouteTarget>& rts) {
  Json a = Json::array();
  for (const auto& rt : rts) a.push_back(rt.to_string());
  return a;
}

std::string rts_text(const std::vector<evpn::RouteTarget>& rts, bool is_auto) {
  std::string out;
  for (const auto& rt : rts) out += "    " + rt.to_string() + (is_auto ? " (auto)" : "") + "\n";
  return out;
}

template <class F>
void for_vnis(const leaf::Leaf& leaf, std::optional<evpn::Vni> only, F&& f) {
  for (const auto& [vni, view] : leaf.vnis())
    if (!only || *only == vni) f(vni, view, leaf.model().find(vni));
}

std::size_t duplicate_count(const Model::VniState* s) {
  std::size_t n = 0;
  if (s)
    for (const auto& [m, e] : s->macs) n += e.duplicate;
  return n;
}

bool passes(const MacFilter& f, const evpn::MacAddress& mac, const Model::MacEntry& e) {
  if (!shown(e) && !(f.duplicate && e.duplicate)) return false;
  if (f.mac && *f.mac != mac) return false;
  if (f.vtep && (e.local || !e.installed || e.installed->vtep != *f.vtep)) return false;
  return !f.duplicate || e.duplicate;
}

std::uint32_t remote_sequence(const Model::MacEntry& e) {
  std::uint32_t s = 0;
  for (const auto& [k, p] : e.remotes) s = std::max(s, p.sequence);
  return s;
}

}  // namespace

std::string evpn_summary_text(const leaf::Leaf& leaf) {
  std::string out = "L2 VNIs: " + std::to_string(leaf.vnis().size()) + "\n";
  out += "L3 VNIs: 0\n";
  out += "Advertise gateway mac-ip: No\nAdvertise svi mac-ip: No\n";
  out += "Duplicate address detection: Enable\n  Detection max-moves 5, time 180\n";
  return out;
}

Json evpn_summary_json(const leaf::Leaf& leaf) {
  Json j;
  j["advertiseGatewayMacip"] = "No";
  j["advertiseSviMacip"] = "No";
  j["numVnis"] = leaf.vnis().size();
  j["numL2Vnis"] = leaf.vnis().size();
  j["numL3Vnis"] = 0;
  j["isDuplicateAddrDetection"] = true;
  j["maxMoves"] = 5;
  j["detectionTime"] = 180;
  return j;
}

std::string evpn_vni_text(const leaf::Leaf& leaf, std::optional<evpn::Vni> only, bool detail) {
  std::string out;
  if (only || detail) {
    for_vnis(leaf, only, [&](evpn::Vni vni, const leaf::Leaf::VniView& v, const Model::VniState* s) {
      if (!out.empty()) out += "\n";
      out += "VNI: " + vni_name(vni) + "\n Type: L2\n Tenant VRF: default\n";
      out += " VxLAN interface: " + v.device.vxlan + "\n Bridge: " + v.device.bridge + "\n";
      out += " SVI interface: " + v.device.svi + "\n";
      if (v.device.vlan != 0) out += " VLAN: " + std::to_string(v.device.vlan) + "\n";
      out += " Local VTEP IP: " + (v.device.local ? v.device.local->to_string() : std::string("-")) + "\n";
      out += " Mcast group: 0.0.0.0\n";
      out += " Remote VTEPs for this VNI:\n";
      if (s)
        for (const auto& [vtep, keys] : s->flood) out += "  " + vtep.to_string() + " flood: HER\n";
      out += " Number of MACs (local and remote) known for this VNI: " + std::to_string(mac_count(s)) + "\n";
      out += " Number of ARPs (IPv4 and IPv6, local and remote) known for this VNI: " +
             std::to_string(neighbor_count(s)) + "\n";
      out += " RD: " + v.instance.rd.to_string() + (v.instance.rd_auto ? " (auto)" : "") + "\n";
      out += " Import Route Target:\n" + rts_text(v.instance.import_rts, v.instance.import_auto);
      out += " Export Route Target:\n" + rts_text(v.instance.export_rts, v.instance.export_auto);
      out += " Routes imported: " + std::to_string(leaf.imported(vni)) + "\n";
      if (const auto* cfg = leaf.config_of(vni)) {
        if (cfg->gateway_mac) out += " Anycast gateway MAC: " + cfg->gateway_mac->to_string() + "\n";
        for (const auto& m : cfg->static_macs)
          out += " Static MAC: " + m.mac.to_string() + " interface " + m.interface + "\n";
      }
      out += " Duplicate MACs: " + std::to_string(duplicate_count(s)) + "\n";
    });
    if (only && out.empty()) out = "% VNI " + vni_name(*only) + " does not exist\n";
    return out;
  }
  char line[160];
  std::snprintf(line, sizeof line, "%-10s %-4s %-21s %-8s %-8s %-15s %-37s\n", "VNI", "Type", "VxLAN IF", "# MACs",
                "# ARPs", "# Remote VTEPs", "Tenant VRF");
  out += line;
  for_vnis(leaf, only, [&](evpn::Vni vni, const leaf::Leaf::VniView& v, const Model::VniState* s) {
    std::snprintf(line, sizeof line, "%-10u %-4s %-21s %-8zu %-8zu %-15zu %-37s\n", vni.value(), "L2",
                  v.device.vxlan.c_str(), mac_count(s), neighbor_count(s), s ? s->flood.size() : 0, "default");
    out += line;
  });
  return out;
}

Json evpn_vni_json(const leaf::Leaf& leaf, std::optional<evpn::Vni> only) {
  Json all = Json::object();
  for_vnis(leaf, only, [&](evpn::Vni vni, const leaf::Leaf::VniView& v, const Model::VniState* s) {
    Json j;
    j["vni"] = vni.value();
    j["type"] = "L2";
    j["tenantVrf"] = "default";
    j["vxlanInterface"] = v.device.vxlan;
    j["vxlanIf"] = v.device.vxlan;  // FRR's key in the all-VNIs form
    j["bridge"] = v.device.bridge;
    if (!v.device.svi.empty()) j["sviInterface"] = v.device.svi;  // FRR's key
    if (v.device.vlan != 0) j["vlan"] = v.device.vlan;              // a VLAN-aware bridge's (ours)
    j["vtepIp"] = v.device.local ? v.device.local->to_string() : "";
    j["mcastGroup"] = "0.0.0.0";
    j["advertiseGatewayMacip"] = "No";
    j["numMacs"] = mac_count(s);
    j["numArpNd"] = neighbor_count(s);
    j["numRemoteVteps"] = s ? s->flood.size() : 0;
    Json remotes = Json::array();
    if (s)
      for (const auto& [vtep, keys] : s->flood) remotes.push_back({{"ip", vtep.to_string()}, {"flood", "HER"}});
    j["remoteVteps"] = remotes;
    // As `show bgp l2vpn evpn vni` shows them.
    j["rd"] = v.instance.rd.to_string();
    j["importRts"] = rts_json(v.instance.import_rts);
    j["exportRts"] = rts_json(v.instance.export_rts);
    j["routesImported"] = leaf.imported(vni);
    all[vni_name(vni)] = std::move(j);
  });
  if (only) return all.contains(vni_name(*only)) ? all[vni_name(*only)] : Json::object();
  return all;
}

namespace {
// `show evpn mac vni N mac M`: zebra's detail layout.
std::string mac_detail_text(const evpn::MacAddress& mac, const Model::MacEntry& e) {
  std::string out = "MAC: " + mac.to_string() + "\n";
  if (e.local) {
    out += " Intf: " + e.local->port + "\n";
    if (e.local->is_static) out += " Sticky MAC (static)\n";
  } else if (e.installed) {
    out += " Remote VTEP: " + e.installed->vtep.to_string() + "\n";
    if (e.installed->sticky) out += " Sticky MAC (static)\n";
  }
  if (e.gateway) out += " Anycast gateway MAC\n";
  out += " Local Seq: " + std::to_string(e.local ? e.local->sequence : 0) +
         " Remote Seq: " + std::to_string(remote_sequence(e)) + "\n";
  out += " Duplicate detection: " + std::to_string(e.moves.size()) + " move(s) in the window" +
         (e.duplicate ? ", frozen (duplicate)" : "") + "\n";
  out += " Neighbors:\n";
  if (e.local_ips.empty()) out += "    No Neighbors\n";
  for (const auto& ip : e.local_ips) out += "    " + ip.to_string() + " Active\n";
  return out;
}
}  // namespace

std::string evpn_mac_text(const leaf::Leaf& leaf, std::optional<evpn::Vni> only, const MacFilter& filter) {
  std::string out;
  char line[160];
  bool found_vni = false;
  for_vnis(leaf, only, [&](evpn::Vni vni, const leaf::Leaf::VniView&, const Model::VniState* s) {
    found_vni = true;
    if (filter.mac) {
      if (!s) return;
      if (auto it = s->macs.find(*filter.mac); it != s->macs.end() && passes(filter, it->first, it->second))
        out += mac_detail_text(it->first, it->second);
      return;
    }
    std::size_t listed = 0;
    if (s)
      for (const auto& [mac, e] : s->macs) listed += passes(filter, mac, e);
    if (!only) out += "\nVNI " + vni_name(vni) + " #MACs (local and remote) " + std::to_string(listed) + "\n\n";
    else out += "Number of MACs (local and remote) known for this VNI: " + std::to_string(listed) + "\n";
    out += "Flags: N=sync-neighs, I=local-inactive, P=peer-active, X=peer-proxy, D=duplicate\n";
    std::snprintf(line, sizeof line, "%-17s %-6s %-5s %-30s %-5s %s\n", "MAC", "Type", "Flags", "Intf/Remote ES/VTEP",
                  "VLAN", "Seq #'s");
    out += line;
    if (!s) return;
    for (const auto& [mac, e] : s->macs) {
      if (!passes(filter, mac, e)) continue;
      const bool local = e.local.has_value() || e.gateway;
      const std::string where = e.local ? e.local->port : e.installed ? e.installed->vtep.to_string() : "";
      std::snprintf(line, sizeof line, "%-17s %-6s %-5s %-30s %-5s %u/%u\n", mac.to_string().c_str(),
                    local ? "local" : "remote", e.duplicate ? "D" : "", where.c_str(), "",
                    e.local ? e.local->sequence : 0u, remote_sequence(e));
      out += line;
    }
  });
  if (only && !found_vni) return "% VNI " + vni_name(*only) + " does not exist\n";
  if (filter.mac && out.empty()) return "% Requested MAC does not exist in VNI " + (only ? vni_name(*only) : "") + "\n";
  return out;
}

namespace {
Json mac_json(const Model::MacEntry& e, bool detail) {
  Json m;
  if (e.local || e.gateway) {
    m["type"] = "local";
    if (e.local) m["intf"] = e.local->port;
    if (e.local && e.local->is_static) m["static"] = true;
  } else {
    m["type"] = "remote";
    if (e.installed) m["remoteVtep"] = e.installed->vtep.to_string();
    if (e.installed && e.installed->sticky) m["sticky"] = true;
  }
  m["localSequence"] = e.local ? e.local->sequence : 0;
  m["remoteSequence"] = remote_sequence(e);
  m["detectionCount"] = e.moves.size();
  m["isDuplicate"] = e.duplicate;
  if (detail) {
    m["stickyMac"] = (e.local && e.local->is_static) || (!e.local && e.installed && e.installed->sticky);
    m["defaultGateway"] = e.gateway;
    Json active = Json::array();
    for (const auto& ip : e.local_ips) active.push_back(ip.to_string());
    m["neighbors"] = {{"active", active}, {"inactive", Json::array()}};
  }
  return m;
}
}  // namespace

Json evpn_mac_json(const leaf::Leaf& leaf, std::optional<evpn::Vni> only, const MacFilter& filter) {
  Json all = Json::object();
  for_vnis(leaf, only, [&](evpn::Vni vni, const leaf::Leaf::VniView&, const Model::VniState* s) {
    if (filter.mac) {  // FRR: the MAC's object itself, keyed by the MAC
      if (!s) return;
      if (auto it = s->macs.find(*filter.mac); it != s->macs.end() && passes(filter, it->first, it->second))
        all[it->first.to_string()] = mac_json(it->second, true);
      return;
    }
    Json j;
    Json macs = Json::object();
    if (s) {
      for (const auto& [mac, e] : s->macs) {
        if (!passes(filter, mac, e)) continue;
        macs[mac.to_string()] = mac_json(e, false);
      }
    }
    j["numMacs"] = macs.size();
    j["macs"] = std::move(macs);
    all[vni_name(vni)] = std::move(j);
  });
  if (filter.mac) return all;
  if (only) return all.contains(vni_name(*only)) ? all[vni_name(*only)] : Json::object();
  return all;
}

std::string evpn_arp_cache_text(const leaf::Leaf& leaf, std::optional<evpn::Vni> only) {
  std::string out;
  char line[200];
  for_vnis(leaf, only, [&](evpn::Vni vni, const leaf::Leaf::VniView&, const Model::VniState* s) {
    if (!only) out += "\nVNI " + vni_name(vni) + " #ARP (IPv4 and IPv6, local and remote) " +
                      std::to_string(neighbor_count(s)) + "\n\n";
    else out += "Number of ARPs (local and remote) known for this VNI: " + std::to_string(neighbor_count(s)) + "\n";
    std::snprintf(line, sizeof line, "%-37s %-6s %-8s %-17s %-30s %s\n", "IP", "Type", "State", "MAC", "Remote ES/VTEP",
                  "Seq #'s");
    out += line;
    if (!s) return;
    for (const auto& [ip, n] : s->neighbors) {
      if (!shown(n)) continue;
      const evpn::MacAddress mac = n.local ? *n.local : *n.installed;
      std::string vtep;
      if (!n.local)
        if (auto m = s->macs.find(mac); m != s->macs.end() && m->second.installed)
          vtep = m->second.installed->vtep.to_string();
      std::snprintf(line, sizeof line, "%-37s %-6s %-8s %-17s %-30s %u/%u\n", ip.to_string().c_str(),
                    n.local ? "local" : "remote", "active", mac.to_string().c_str(), vtep.c_str(), 0u, 0u);
      out += line;
    }
  });
  if (only && out.empty()) out = "% VNI " + vni_name(*only) + " does not exist\n";
  return out;
}

Json evpn_arp_cache_json(const leaf::Leaf& leaf, std::optional<evpn::Vni> only) {
  Json all = Json::object();
  for_vnis(leaf, only, [&](evpn::Vni vni, const leaf::Leaf::VniView&, const Model::VniState* s) {
    Json j;
    j["numArpNd"] = neighbor_count(s);
    if (s) {
      for (const auto& [ip, n] : s->neighbors) {
        if (!shown(n)) continue;
        Json e;
        e["type"] = n.local ? "local" : "remote";
        e["state"] = "active";
        e["mac"] = (n.local ? *n.local : *n.installed).to_string();
        if (!n.local)
          if (auto m = s->macs.find(*n.installed); m != s->macs.end() && m->second.installed)
            e["remoteVtep"] = m->second.installed->vtep.to_string();
        e["localSequence"] = 0;
        e["remoteSequence"] = 0;
        j[ip.to_string()] = std::move(e);
      }
    }
    all[vni_name(vni)] = std::move(j);
  });
  if (only) return all.contains(vni_name(*only)) ? all[vni_name(*only)] : Json::object();
  return all;
}

namespace {
std::string op_text(const fib::Operation& op) {
  struct V {
    std::string operator()(const fib::RemoteMac& o) const {
      return "add mac " + o.mac.to_string() + " vni " + vni_name(o.vni) + " vtep " + o.vtep.to_string();
    }
    std::string operator()(const fib::RemoteMacGone& o) const {
      return "del mac " + o.mac.to_string() + " vni " + vni_name(o.vni);
    }
    std::string operator()(const fib::FloodVtep& o) const {
      return "add flood vni " + vni_name(o.vni) + " vtep " + o.vtep.to_string();
    }
    std::string operator()(const fib::FloodVtepGone& o) const {
      return "del flood vni " + vni_name(o.vni) + " vtep " + o.vtep.to_string();
    }
    std::string operator()(const fib::RemoteNeighbor& o) const {
      return "add neigh " + o.ip.to_string() + " lladdr " + o.mac.to_string() + " vni " + vni_name(o.vni);
    }
    std::string operator()(const fib::RemoteNeighborGone& o) const {
      return "del neigh " + o.ip.to_string() + " vni " + vni_name(o.vni);
    }
    std::string operator()(const fib::LocalStaticMac& o) const {
      return "add static mac " + o.mac.to_string() + " vni " + vni_name(o.vni) + " port " + o.port.str();
    }
    std::string operator()(const fib::LocalStaticMacGone& o) const {
      return "del static mac " + o.mac.to_string() + " vni " + vni_name(o.vni) + " port " + o.port.str();
    }
  };
  return std::visit(V{}, op);
}
}  // namespace

Json evpn_fib_json(const leaf::Leaf& leaf) {
  const auto& q = leaf.fib();
  const auto& c = q.counters();
  Json j;
  j["installed"] = q.installed_count();
  j["pending"] = q.pending();
  j["inFlight"] = q.in_flight();
  j["unconfirmedFromBefore"] = q.unconfirmed_count();
  j["applied"] = c.applied;
  j["failed"] = c.failed;
  j["retried"] = c.retried;
  j["folded"] = c.folded;
  j["unchanged"] = c.unchanged;
  j["swept"] = c.swept;
  j["batches"] = c.batches;
  Json failures = Json::array();
  for (const auto& f : q.recent_failures())
    failures.push_back({{"operation", op_text(f.op)}, {"errno", f.result.error}, {"message", f.result.message},
                        {"attempts", f.attempts}});
  j["recentFailures"] = std::move(failures);
  const auto& lc = leaf.counters();
  j["vniErrors"] = lc.vni_errors;
  j["routesNotVxlan"] = lc.not_vxlan;
  j["routesWithoutNextHop"] = lc.no_next_hop;
  j["dataplaneEvents"] = lc.local_events;
  return j;
}

std::string evpn_fib_text(const leaf::Leaf& leaf) {
  const auto j = evpn_fib_json(leaf);
  std::string out;
  for (const auto& [k, v] : j.items()) {
    if (k == "recentFailures") continue;
    out += k + ": " + v.dump() + "\n";
  }
  if (!j["recentFailures"].empty()) {
    out += "Recent failures:\n";
    for (const auto& f : j["recentFailures"])
      out += "  " + f["operation"].get<std::string>() + ": " + f["message"].get<std::string>() + " (errno " +
             std::to_string(f["errno"].get<int>()) + ", attempt " + std::to_string(f["attempts"].get<int>()) + ")\n";
  }
  return out;
}

}  // namespace evpnd::cli
