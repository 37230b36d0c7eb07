#include "cli/config_printer.hpp"

#include <algorithm>

namespace evpnd::cli {

namespace {

std::string remote_as_text(const bgp::NeighborConfig& n) {
  switch (n.remote_as_kind) {
    case bgp::fsm::RemoteAsKind::Internal: return "internal";
    case bgp::fsm::RemoteAsKind::External: return "external";
    case bgp::fsm::RemoteAsKind::Number: break;
  }
  return std::to_string(n.remote_as.value);
}

// FRR's bgp_config_write_peer_global order: remote-as, description, port, password,
// passive, ttl-security, update-source, timers, timers connect (then ours: send-hold).
void print_neighbor(std::string& out, const bgp::BgpConfig& c, const bgp::NeighborConfig& n) {
  const std::string head = " neighbor " + n.address.to_string() + " ";
  out += head + "remote-as " + remote_as_text(n) + "\n";
  if (!n.description.empty()) out += head + "description " + n.description + "\n";
  if (n.port) out += head + "port " + std::to_string(*n.port) + "\n";
  if (!n.password.empty()) out += head + "password " + n.password + "\n";
  if (n.passive) out += head + "passive\n";
  if (n.ttl_security_hops) out += head + "ttl-security hops " + std::to_string(*n.ttl_security_hops) + "\n";
  if (n.update_source) out += head + "update-source " + *n.update_source + "\n";
  if (n.keepalive || n.hold_time) {
    auto d = c.timer_defaults();
    out += head + "timers " + std::to_string(n.keepalive.value_or(d.keepalive)) + " " +
           std::to_string(n.hold_time.value_or(d.hold_time)) + "\n";
  }
  if (n.connect_retry) out += head + "timers connect " + std::to_string(*n.connect_retry) + "\n";
  if (n.send_hold_time) out += head + "timers send-hold " + std::to_string(*n.send_hold_time) + "\n";
}

// FRR's bgp_config_write_maxprefix: the threshold only when not the default 75.
std::string maximum_prefix_line(const bgp::NeighborConfig& n, const bgp::MaximumPrefix& m) {
  std::string line = "  neighbor " + n.address.to_string() + " maximum-prefix " + std::to_string(m.limit);
  if (m.threshold_percent != bgp::MaximumPrefix{}.threshold_percent) line += " " + std::to_string(m.threshold_percent);
  if (m.warning_only) line += " warning-only";
  if (m.restart_minutes) line += " restart " + std::to_string(m.restart_minutes);
  return line + "\n";
}

// FRR's bgp_config_write_peer_af order for the options we have.
std::string family_options_lines(const bgp::NeighborConfig& n, const bgp::NeighborFamilyOptions& o) {
  const std::string head = "  neighbor " + n.address.to_string() + " ";
  std::string out;
  if (o.route_reflector_client) out += head + "route-reflector-client\n";
  if (o.next_hop_self) out += head + (o.next_hop_self_force ? "next-hop-self force\n" : "next-hop-self\n");
  if (o.next_hop_unchanged) out += head + "attribute-unchanged next-hop\n";
  if (o.allowas_in)
    out += head + (*o.allowas_in == bgp::kDefaultAllowasIn ? std::string("allowas-in\n")
                                                            : "allowas-in " + std::to_string(*o.allowas_in) + "\n");
  return out;
}

void print_family(std::string& out, const char* name, const std::string& body) {
  if (body.empty()) return;  // FRR's vty_frame: an empty block is not printed
  out += " !\n address-family ";
  out += name;
  out += "\n" + body + " exit-address-family\n";
}

}  // namespace

namespace {

// `vni N` stanzas as FRR writes them (rd, then the route targets; one in both lists is
// written `both`), and our `vni N create ...` lines before them.
std::string vni_lines(const std::vector<evpn::VniConfig>& vnis) {
  std::string out;
  for (const auto& v : vnis) {
    if (!v.create) continue;
    out += "  vni " + std::to_string(v.vni.value()) + " create bridge " + v.create->bridge + " vxlan " +
           v.create->vxlan + " local " + v.create->local.to_string() + "\n";
  }
  for (const auto& v : vnis) {
    std::string body;
    if (v.rd) body += "   rd " + v.rd->to_string() + "\n";
    auto in = [](const std::vector<evpn::RouteTarget>& rts, const evpn::RouteTarget& rt) {
      return std::find(rts.begin(), rts.end(), rt) != rts.end();
    };
    for (const auto& rt : v.import_rts)
      body += std::string(in(v.export_rts, rt) ? "   route-target both " : "   route-target import ") + rt.to_string() + "\n";
    for (const auto& rt : v.export_rts)
      if (!in(v.import_rts, rt)) body += "   route-target export " + rt.to_string() + "\n";
    if (v.autort == evpn::AutoRtForm::As4) body += "   autort as4\n";
    for (const auto& m : v.static_macs) body += "   mac static " + m.mac.to_string() + " interface " + m.interface + "\n";
    if (v.gateway_mac) body += "   anycast-gateway mac " + v.gateway_mac->to_string() + "\n";
    if (body.empty() && v.create) continue;
    out += "  vni " + std::to_string(v.vni.value()) + "\n" + body + "  exit-vni\n";
  }
  return out;
}

}  // namespace

std::string print_config(const bgp::BgpConfig& c) {
  std::string out;
  if (c.defaults_profile == bgp::DefaultsProfile::Datacenter) out += "frr defaults datacenter\n";
  if (!c.hostname.empty()) out += "hostname " + c.hostname + "\n";
  if (!out.empty()) out += "!\n";
  if (!c.asn) return out;

  out += "router bgp " + std::to_string(c.asn->value) + "\n";
  if (c.router_id) out += " bgp router-id " + c.router_id->to_string() + "\n";
  if (c.cluster_id) out += " bgp cluster-id " + c.cluster_id->to_string() + "\n";
  const bool policy_default = c.defaults_profile != bgp::DefaultsProfile::Datacenter;
  if (c.ebgp_requires_policy != policy_default)
    out += c.ebgp_requires_policy ? " bgp ebgp-requires-policy\n" : " no bgp ebgp-requires-policy\n";
  if (!c.default_ipv4_unicast) out += " no bgp default ipv4-unicast\n";
  const auto& gr = c.graceful_restart;
  if (gr.enabled) out += " bgp graceful-restart\n";
  if (gr.restart_time != bgp::GracefulRestartConfig{}.restart_time)
    out += " bgp graceful-restart restart-time " + std::to_string(gr.restart_time) + "\n";
  if (gr.preserve_fw_state) out += " bgp graceful-restart preserve-fw-state\n";
  if (c.evpn_unknown_route_types_reflect) out += " bgp evpn unknown-route-types reflect\n";
  for (const auto& n : c.neighbors) print_neighbor(out, c, n);

  // FRR prints `activate` only against the default: ipv4 unicast is on by default
  // unless `no bgp default ipv4-unicast`; l2vpn evpn is always off by default.
  std::string ipv4, evpn;
  // FRR writes the networks before the neighbors' lines.
  for (const auto& p : c.networks) ipv4 += "  network " + p.address.to_string() + "/" + std::to_string(p.length) + "\n";
  for (const auto& n : c.neighbors) {
    bool active = c.ipv4_unicast_active(n);
    if (active != c.default_ipv4_unicast)
      ipv4 += std::string(active ? "  " : "  no ") + "neighbor " + n.address.to_string() + " activate\n";
    ipv4 += family_options_lines(n, n.ipv4_options);
    if (n.maximum_prefix_ipv4) ipv4 += maximum_prefix_line(n, *n.maximum_prefix_ipv4);
    if (n.l2vpn_evpn) evpn += "  neighbor " + n.address.to_string() + " activate\n";
    evpn += family_options_lines(n, n.evpn_options);
    if (n.maximum_prefix_evpn) evpn += maximum_prefix_line(n, *n.maximum_prefix_evpn);
  }
  if (c.advertise_all_vni) evpn += "  advertise-all-vni\n";
  if (c.autort_rfc8365) evpn += "  autort rfc8365-compatible\n";
  evpn += vni_lines(c.vnis);
  print_family(out, "ipv4 unicast", ipv4);
  print_family(out, "l2vpn evpn", evpn);
  out += "exit\n!\n";
  return out;
}

}  // namespace evpnd::cli
