// The configuration command table and its handlers: FRR's bgpd grammar for what evpnd
// runs. Patterns and help lines follow bgpd/bgp_vty.c so that FRR users see familiar
// `?` output; the semantics (ranges, "Specify remote-as ... first", defaults profiles)
// follow FRR unless a comment says otherwise.
#include <algorithm>
#include <charconv>

#include "cli/command_tree.hpp"
#include "cli/config_session.hpp"
#include "vtep/forwarding.hpp"

namespace evpnd::cli {

using bgp::GracefulRestartConfig;
using bgp::NeighborConfig;
using bgp::wire::IpAddress;

// ---- session helpers ---------------------------------------------------------------

NeighborConfig* ConfigSession::neighbor(const Arg& peer) {
  for (auto& n : config.neighbors)
    if (n.address == peer.address) return &n;
  // FRR: "% Specify remote-as or peer-group commands first".
  error(peer.column, "neighbor " + peer.address.to_string() + " has no remote-as yet",
        "'neighbor " + peer.address.to_string() + " remote-as <ASNUM|internal|external>' first");
  return nullptr;
}

NeighborConfig& ConfigSession::add_neighbor(const IpAddress& peer) {
  for (auto& n : config.neighbors)
    if (n.address == peer) return n;
  NeighborConfig n;
  n.address = peer;
  config.neighbors.push_back(n);
  ipv4_active.push_back(config.default_ipv4_unicast);
  return config.neighbors.back();
}

evpn::VniConfig& ConfigSession::vni(evpn::Vni vni) {
  for (std::size_t i = 0; i < config.vnis.size(); ++i)
    if (config.vnis[i].vni == vni) return config.vnis[vni_index = i];
  config.vnis.emplace_back().vni = vni;
  vni_index = config.vnis.size() - 1;
  return config.vnis.back();
}

void ConfigSession::finish() {
  for (std::size_t i = 0; i < config.neighbors.size() && i < ipv4_active.size(); ++i) {
    bool active = ipv4_active[i];
    config.neighbors[i].ipv4_unicast =
        active == config.default_ipv4_unicast ? std::nullopt : std::optional<bool>(active);
  }
}

namespace {

// FRR's defaults for RFC 8212: off in the datacenter profile and in configs written by
// FRR before 7.4 (bgpd/bgp_vty.c FRR_CFG_DEFAULT_BOOL(BGP_EBGP_REQUIRES_POLICY)).
bool ebgp_requires_policy_default(const ConfigSession& s) {
  if (s.config.defaults_profile == bgp::DefaultsProfile::Datacenter) return false;
  if (s.frr_version && *s.frr_version < std::pair{7, 4}) return false;
  return true;
}

// ---- top level -----------------------------------------------------------------------

void hostname(ConfigSession& s, const Invocation& inv) {
  const Arg& name = inv.arg("name");
  // FRR's config_hostname checks: starts with a letter or digit, RFC 1123 length.
  char c0 = name.text.front();
  bool alnum = (c0 >= 'a' && c0 <= 'z') || (c0 >= 'A' && c0 <= 'Z') || (c0 >= '0' && c0 <= '9');
  if (!alnum) return s.error(name.column, "hostname '" + name.text + "' must start with a letter or digit");
  if (name.text.size() > 255)
    return s.error(name.column, "hostname is " + std::to_string(name.text.size()) + " characters long",
                   "at most 255 (RFC 1123)");
  s.config.hostname = name.text;
}

void frr_version(ConfigSession& s, const Invocation& inv) {
  // "7.2.1", "8.5_git", "3.2+cl3u3": only major.minor decide defaults.
  std::string_view v = inv.arg("version_string").text;
  int major = 0, minor = 0;
  auto r1 = std::from_chars(v.data(), v.data() + v.size(), major);
  if (r1.ec != std::errc{} || r1.ptr == v.data() + v.size() || *r1.ptr != '.') return;
  auto r2 = std::from_chars(r1.ptr + 1, v.data() + v.size(), minor);
  if (r2.ec != std::errc{}) return;
  s.frr_version = std::pair{major, minor};
}

void frr_defaults(ConfigSession& s, const Invocation& inv) {
  const Arg& p = inv.arg("profile");
  if (s.config.asn)
    return s.error(p.column, "'frr defaults' after 'router bgp' has no effect on it",
                   "frr defaults before router bgp");
  s.config.defaults_profile =
      p.keyword == "datacenter" ? bgp::DefaultsProfile::Datacenter : bgp::DefaultsProfile::Traditional;
}

void frr_defaults_unknown(ConfigSession& s, const Invocation& inv) {
  // FRR warns and carries on with its built-in defaults; so do we.
  s.ignore("frr defaults: profile '" + inv.arg("profile").text +
           "' is not known; traditional defaults apply");
}

void ignore_log(ConfigSession& s, const Invocation&) {
  s.ignore("log: evpnd does not take logging settings from the config file; ignored");
}
void ignore_service(ConfigSession& s, const Invocation&) {
  s.ignore("service integrated-vtysh-config: evpnd always has one config file; ignored");
}
void ignore_line_vty(ConfigSession& s, const Invocation&) {
  s.ignore("line vty: evpnd has no vty; evpnsh talks to the management socket; ignored");
}

void router_bgp(ConfigSession& s, const Invocation& inv) {
  const Arg& asn = inv.arg("asn");
  if (s.config.asn && *s.config.asn != asn.asn)
    // FRR: "BGP is already running; AS is %s" (one instance per VRF).
    return s.error(asn.column, "BGP is already running; AS is " + std::to_string(s.config.asn->value),
                   "router bgp " + std::to_string(s.config.asn->value));
  if (!s.config.asn) {
    s.config.asn = asn.asn;
    s.config.ebgp_requires_policy = ebgp_requires_policy_default(s);
  }
}

void router_bgp_instance(ConfigSession& s, const Invocation& inv) {
  const Arg& kind = inv.arg("kind");
  s.error(kind.column, std::string("BGP ") + (kind.keyword == "vrf" ? "VRF" : "view") +
                           " instances are not supported yet (the stanza is skipped)");
}

void zebra_stanza(ConfigSession& s, const Invocation& inv) {
  s.error(inv.args.front().column,
          "'" + inv.args.front().keyword + "' stanzas are zebra's and not supported by evpnd (the stanza is skipped)");
}

void exit_context(ConfigSession& s, const Invocation&) {
  switch (s.context) {
    case Context::EvpnVni: s.context = Context::AfL2vpnEvpn; break;
    case Context::AfIpv4Unicast:
    case Context::AfL2vpnEvpn: s.context = Context::RouterBgp; break;
    default: s.context = Context::Config; break;
  }
}

// ---- router bgp ----------------------------------------------------------------------

void router_id(ConfigSession& s, const Invocation& inv) {
  const Arg& id = inv.arg("id");
  // RFC 6286 §2.1: the BGP Identifier is a non-zero 4-octet value.
  if (id.address.is_unspecified()) return s.error(id.column, "router-id 0.0.0.0 is not allowed", "a non-zero A.B.C.D (RFC 6286)");
  s.config.router_id = bgp::wire::RouterId{id.address.v4_host_order()};
}

void cluster_id(ConfigSession& s, const Invocation& inv) {
  const Arg& id = inv.arg("id");
  if (id.address.is_unspecified()) return s.error(id.column, "cluster-id 0.0.0.0 is not allowed", "a non-zero A.B.C.D");
  s.config.cluster_id = bgp::wire::RouterId{id.address.v4_host_order()};
}

void default_ipv4(ConfigSession& s, const Invocation& inv) { s.config.default_ipv4_unicast = !inv.find("no"); }
void ebgp_policy(ConfigSession& s, const Invocation& inv) { s.config.ebgp_requires_policy = !inv.find("no"); }

void remote_as(ConfigSession& s, const Invocation& inv) {
  const Arg& peer = inv.arg("peer");
  const IpAddress& a = peer.address;
  if (a.is_unspecified()) return s.error(peer.column, "neighbor " + a.to_string() + " is not a peer address", "a unicast address");
  if (a.is_v6() && a.data()[0] == 0xfe && (a.data()[1] & 0xc0) == 0x80)
    return s.error(peer.column, "link-local neighbor " + a.to_string() + " needs an interface; not supported yet",
                   "a global IPv6 address");
  NeighborConfig& n = s.add_neighbor(a);
  if (inv.is("as", "internal")) {
    n.remote_as_kind = bgp::fsm::RemoteAsKind::Internal;
    n.remote_as = {};
  } else if (inv.is("as", "external")) {
    n.remote_as_kind = bgp::fsm::RemoteAsKind::External;
    n.remote_as = {};
  } else {
    n.remote_as_kind = bgp::fsm::RemoteAsKind::Number;
    n.remote_as = inv.arg("as").asn;
  }
}

void timers(ConfigSession& s, const Invocation& inv) {
  NeighborConfig* n = s.neighbor(inv.arg("peer"));
  if (!n) return;
  const Arg& k = inv.arg("keepalive");
  const Arg& h = inv.arg("hold_time");
  // RFC 4271 §4.2: the Hold Time is zero or at least three seconds.
  if (h.number == 1 || h.number == 2)
    return s.error(h.column, "hold time " + h.text + " is not allowed (RFC 4271 4.2)", "0 or 3-65535");
  if (k.number > h.number)
    return s.error(k.column, "keepalive " + k.text + " is larger than hold time " + h.text,
                   "0-" + std::to_string(h.number));
  n->keepalive = static_cast<std::uint16_t>(k.number);
  n->hold_time = static_cast<std::uint16_t>(h.number);
}

void timers_connect(ConfigSession& s, const Invocation& inv) {
  if (NeighborConfig* n = s.neighbor(inv.arg("peer")))
    n->connect_retry = static_cast<std::uint16_t>(inv.arg("connect_retry").number);
}

void passive(ConfigSession& s, const Invocation& inv) {
  if (NeighborConfig* n = s.neighbor(inv.arg("peer"))) n->passive = true;
}

void update_source(ConfigSession& s, const Invocation& inv) {
  NeighborConfig* n = s.neighbor(inv.arg("peer"));
  if (!n) return;
  const Arg& src = inv.arg("source");
  if (src.kind == AtomKind::Word) {
    // Linux interface names fit IFNAMSIZ (16 with the NUL) and cannot hold '/'.
    if (src.text.size() > 15 || src.text.find('/') != std::string::npos || src.text == "." || src.text == "..")
      return s.error(src.column, "'" + src.text + "' is not a valid interface name",
                     "an address or an interface name of at most 15 characters");
    n->update_source = src.text;
    return;
  }
  if (src.address.is_v4() != n->address.is_v4())
    return s.error(src.column,
                   "update-source " + src.address.to_string() + " is not of neighbor " + n->address.to_string() + "'s family",
                   n->address.is_v4() ? "A.B.C.D or an interface name" : "X:X::X:X or an interface name");
  n->update_source = src.address.to_string();
}

void description(ConfigSession& s, const Invocation& inv) {
  if (NeighborConfig* n = s.neighbor(inv.arg("peer"))) n->description = inv.arg("text").text;
}

// `neighbor X port N`: an evpnd extension for tests (FRR has the same command); it sets
// the TCP port we connect to.
void port(ConfigSession& s, const Invocation& inv) {
  if (NeighborConfig* n = s.neighbor(inv.arg("peer"))) n->port = static_cast<std::uint16_t>(inv.arg("port_number").number);
}

// `neighbor X password LINE`: the TCP-MD5 key (RFC 2385), as FRR takes it (the rest of
// the line, words joined by one space).
void password(ConfigSession& s, const Invocation& inv) {
  NeighborConfig* n = s.neighbor(inv.arg("peer"));
  if (!n) return;
  const Arg& pw = inv.arg("key");
  if (pw.text.size() > bgp::kMaxPasswordLength)
    return s.error(pw.column, "password of " + std::to_string(pw.text.size()) + " characters is too long",
                   "at most " + std::to_string(bgp::kMaxPasswordLength) + " (TCP_MD5SIG_MAXKEYLEN)");
  n->password = pw.text;
}

void ttl_security(ConfigSession& s, const Invocation& inv) {
  if (NeighborConfig* n = s.neighbor(inv.arg("peer")))
    n->ttl_security_hops = static_cast<std::uint8_t>(inv.arg("hop_count").number);
}

void timers_send_hold(ConfigSession& s, const Invocation& inv) {
  if (NeighborConfig* n = s.neighbor(inv.arg("peer")))
    n->send_hold_time = static_cast<std::uint16_t>(inv.arg("send_hold").number);
}

bool has_keyword(const Invocation& inv, std::string_view keyword) {
  return std::any_of(inv.args.begin(), inv.args.end(),
                     [&](const Arg& a) { return a.kind == AtomKind::Keyword && a.keyword == keyword; });
}

// `neighbor X maximum-prefix N [THRESHOLD] [warning-only | restart MINUTES]`, per family:
// the address family it is written in (at router level, FRR's ipv4 unicast).
void maximum_prefix(ConfigSession& s, const Invocation& inv) {
  NeighborConfig* n = s.neighbor(inv.arg("peer"));
  if (!n) return;
  bgp::MaximumPrefix m;
  m.limit = static_cast<std::uint32_t>(inv.arg("limit").number);
  if (const Arg* t = inv.find("threshold")) m.threshold_percent = static_cast<std::uint8_t>(t->number);
  m.warning_only = has_keyword(inv, "warning-only");
  if (const Arg* r = inv.find("restart_minutes")) m.restart_minutes = static_cast<std::uint16_t>(r->number);
  if (inv.context == Context::AfL2vpnEvpn)
    n->maximum_prefix_evpn = m;
  else
    n->maximum_prefix_ipv4 = m;
}

// The per-family options of the address family the command is written in (at router
// level, FRR's ipv4 unicast).
bgp::NeighborFamilyOptions* family_options(ConfigSession& s, const Invocation& inv) {
  NeighborConfig* n = s.neighbor(inv.arg("peer"));
  if (!n) return nullptr;
  return inv.context == Context::AfL2vpnEvpn ? &n->evpn_options : &n->ipv4_options;
}

void route_reflector_client(ConfigSession& s, const Invocation& inv) {
  NeighborConfig* n = s.neighbor(inv.arg("peer"));
  if (!n) return;
  if (n->remote_as_kind == bgp::fsm::RemoteAsKind::External ||
      (n->remote_as_kind == bgp::fsm::RemoteAsKind::Number && s.config.asn && n->remote_as != *s.config.asn))
    return s.error(inv.args[1].column, "route-reflector-client is for internal neighbors only",
                   "an iBGP neighbor (RFC 4456)");
  if (auto* o = family_options(s, inv)) o->route_reflector_client = true;
}

void allowas_in(ConfigSession& s, const Invocation& inv) {
  if (auto* o = family_options(s, inv)) {
    const Arg* count = inv.find("occurrences");
    o->allowas_in = count ? static_cast<std::uint8_t>(count->number) : bgp::kDefaultAllowasIn;
  }
}

void next_hop_self(ConfigSession& s, const Invocation& inv) {
  if (auto* o = family_options(s, inv)) {
    o->next_hop_self = true;
    o->next_hop_self_force = inv.find("force") != nullptr;
  }
}

// `[no] network A.B.C.D/M`: FRR keeps one entry per prefix; a repeat changes nothing.
void network(ConfigSession& s, const Invocation& inv) {
  const Arg& p = inv.arg("prefix");
  const bgp::wire::Prefix prefix{p.address, p.prefix_length, std::nullopt};
  auto& nets = s.config.networks;
  const auto it = std::find(nets.begin(), nets.end(), prefix);
  if (inv.find("no")) {
    if (it == nets.end()) return s.error(p.column, "no network " + p.text + ": not configured", "a configured network");
    nets.erase(it);
  } else if (it == nets.end()) {
    nets.push_back(prefix);
  }
}

void attribute_unchanged_next_hop(ConfigSession& s, const Invocation& inv) {
  if (auto* o = family_options(s, inv)) o->next_hop_unchanged = true;
}

void activate(ConfigSession& s, const Invocation& inv) {
  NeighborConfig* n = s.neighbor(inv.arg("peer"));
  if (!n) return;
  bool on = !inv.find("no");
  if (inv.context == Context::AfL2vpnEvpn) {
    n->l2vpn_evpn = on;
  } else {  // ipv4 unicast, or FRR's hidden router-level form that means ipv4 unicast
    s.ipv4_active[static_cast<std::size_t>(n - s.config.neighbors.data())] = on;
  }
}

void peer_group(ConfigSession& s, const Invocation& inv) {
  s.error(inv.args[1].column, "peer-group not supported yet", "neighbor A.B.C.D or X:X::X:X");
}

void peer_group_name(ConfigSession& s, const Invocation& inv) {
  const Arg& name = inv.arg("name");
  s.error(name.column, "peer-group not supported yet: '" + name.text + "' is not an IP address",
          "neighbor A.B.C.D or X:X::X:X");
}

void interface_neighbor(ConfigSession& s, const Invocation& inv) {
  s.error(inv.args[1].column, "interface neighbors (BGP unnumbered) not supported yet", "neighbor A.B.C.D or X:X::X:X");
}

// evpnd always logs neighbor state changes (FRR's default), so the positive form is
// simply the behaviour; turning it off is not offered.
void log_neighbor_changes(ConfigSession&, const Invocation&) {}
void no_log_neighbor_changes(ConfigSession& s, const Invocation&) {
  s.ignore("no bgp log-neighbor-changes: evpnd always logs neighbor changes; ignored");
}

void unknown_route_types(ConfigSession& s, const Invocation& inv) {
  s.config.evpn_unknown_route_types_reflect = inv.is("mode", "reflect");
}

void graceful_restart(ConfigSession& s, const Invocation& inv) {
  auto& gr = s.config.graceful_restart;
  const bool no = inv.find("no") != nullptr;
  if (has_keyword(inv, "restart-time")) {
    gr.restart_time = no ? GracefulRestartConfig{}.restart_time : static_cast<std::uint16_t>(inv.arg("restart_time").number);
  } else if (has_keyword(inv, "preserve-fw-state")) {
    gr.preserve_fw_state = !no;
  } else {
    gr.enabled = !no;
  }
}

void advertise_all_vni(ConfigSession& s, const Invocation&) { s.config.advertise_all_vni = true; }

void autort_rfc8365(ConfigSession& s, const Invocation&) { s.config.autort_rfc8365 = true; }

evpn::Vni vni_arg(const Invocation& inv) { return *evpn::Vni::make(static_cast<std::uint32_t>(inv.arg("number").number)); }

void vni_stanza(ConfigSession& s, const Invocation& inv) {
  s.vni(vni_arg(inv));
}

void vni_create(ConfigSession& s, const Invocation& inv) {
  const Arg& local = inv.arg("local_address");
  s.vni(vni_arg(inv)).create = evpn::VniDevicesToCreate{inv.arg("bridge_name").text, inv.arg("vxlan_name").text, local.address};
}

evpn::VniConfig& current_vni(ConfigSession& s) { return s.config.vnis[s.vni_index]; }

void vni_rd(ConfigSession& s, const Invocation& inv) {
  const Arg& a = inv.arg("distinguisher");
  auto rd = evpn::RouteDistinguisher::parse(a.text);
  if (!rd) return s.error(a.column, "malformed route distinguisher '" + a.text + "'", "ASN:NN or A.B.C.D:NN");
  current_vni(s).rd = *rd;
}

void vni_route_target(ConfigSession& s, const Invocation& inv) {
  const Arg& a = inv.arg("target");
  auto rt = evpn::RouteTarget::parse(a.text);
  if (!rt) return s.error(a.column, "malformed route target '" + a.text + "'", "ASN:NN or A.B.C.D:NN");
  auto& v = current_vni(s);
  // Kept sorted, as FRR keeps them (listnode_add_sort), so that the printed stanza
  // reads back to the same lists.
  auto add = [&](std::vector<evpn::RouteTarget>& rts) {
    auto at = std::lower_bound(rts.begin(), rts.end(), *rt);
    if (at == rts.end() || *at != *rt) rts.insert(at, *rt);
  };
  if (!inv.is("dir", "export")) add(v.import_rts);
  if (!inv.is("dir", "import")) add(v.export_rts);
}

void vni_static_mac(ConfigSession& s, const Invocation& inv) {
  const Arg& ifname = inv.arg("ifname");
  if (!vtep::PortName::make(ifname.text))
    return s.error(ifname.column, "interface name '" + ifname.text + "' is longer than 15 characters", "IFNAME");
  auto& macs = current_vni(s).static_macs;
  const evpn::StaticMacConfig want{inv.arg("macaddr").mac, ifname.text};
  auto at = std::lower_bound(macs.begin(), macs.end(), want.mac,
                             [](const evpn::StaticMacConfig& m, const evpn::MacAddress& k) { return m.mac < k; });
  if (at != macs.end() && at->mac == want.mac) {
    *at = want;  // one port per MAC: the later line moves it
  } else {
    macs.insert(at, want);
  }
}

void no_vni_static_mac(ConfigSession& s, const Invocation& inv) {
  std::erase_if(current_vni(s).static_macs, [&](const auto& m) { return m.mac == inv.arg("macaddr").mac; });
}

void vni_gateway_mac(ConfigSession& s, const Invocation& inv) { current_vni(s).gateway_mac = inv.arg("macaddr").mac; }

void no_vni_gateway_mac(ConfigSession& s, const Invocation& inv) {
  if (current_vni(s).gateway_mac == inv.arg("macaddr").mac) current_vni(s).gateway_mac.reset();
}

void vni_autort_as4(ConfigSession& s, const Invocation& inv) {
  auto& v = current_vni(s);
  if (v.vni.value() > 0xFFFF)
    return s.error(inv.args.front().column, "autort as4: VNI " + std::to_string(v.vni.value()) +
                                                " does not fit the 2-octet local part of a 4-octet-AS route target");
  v.autort = evpn::AutoRtForm::As4;
}

// ---- the table ---------------------------------------------------------------------

constexpr std::uint32_t kConfig = in(Context::Config);
constexpr std::uint32_t kRouter = in(Context::RouterBgp);
constexpr std::uint32_t kAf = in(Context::AfIpv4Unicast) | in(Context::AfL2vpnEvpn);
constexpr std::uint32_t kEvpn = in(Context::AfL2vpnEvpn);
constexpr std::uint32_t kIpv4 = in(Context::AfIpv4Unicast);
constexpr std::uint32_t kVni = in(Context::EvpnVni);

#define PEER "<A.B.C.D|X:X::X:X>$peer"
constexpr const char* kNeighborH = "Specify neighbor router";
constexpr const char* kPeerV4H = "Neighbor address";
constexpr const char* kPeerV6H = "Neighbor IPv6 address";
constexpr const char* kNoH = "Negate a command or set its defaults";
constexpr const char* kBgpH = "BGP information";
constexpr const char* kMaxPrefixH = "Maximum number of prefix accept from this peer";
constexpr const char* kMaxPrefixNumH = "maximum no. of prefix limit";
constexpr const char* kThresholdH = "Threshold value (%) at which to generate a warning msg";
constexpr const char* kWarningOnlyH = "Only give warning message when limit is exceeded";
constexpr const char* kRestartH = "Restart bgp connection after limit is exceeded";
constexpr const char* kRestartMinH = "Restart interval in minutes";

std::vector<CommandSpec> table() {
  return {
      // top level (FRR's CONFIG_NODE)
      {kConfig, "hostname WORD$name", {"Set system's network name", "This system's network name"}, hostname},
      {kConfig, "frr version LINE...$version_string",
       {"FRRouting global parameters", "version configuration was written by", "version string"}, frr_version},
      {kConfig, "frr defaults <traditional|datacenter>$profile",
       {"FRRouting global parameters", "set of configuration defaults used", "FRR's classic defaults",
        "Defaults for data center fabrics: fast timers, no RFC 8212 policy requirement"},
       frr_defaults},
      {kConfig, "frr defaults LINE...$profile", {"", "", ""}, frr_defaults_unknown, std::nullopt, true},
      {kConfig, "log LINE...$rest", {"Logging control (accepted, ignored)", "Logging settings"}, ignore_log},
      {kConfig, "service integrated-vtysh-config",
       {"Set up miscellaneous service", "Write configuration into integrated file (accepted, ignored)"},
       ignore_service},
      // The body of `line vty` (exec-timeout, access-class) is vty's: skipped with it.
      {kConfig, "line vty", {"Configure a terminal line (accepted, ignored)", "Virtual terminal"}, ignore_line_vty,
       Context::Unsupported},
      {kConfig, "router bgp ASNUM$asn", {"Enable a routing process", "BGP information", "AS number"}, router_bgp,
       Context::RouterBgp},
      {kConfig, "router bgp ASNUM$asn <vrf|view>$kind WORD$name", {"", "", "", "", "", ""}, router_bgp_instance,
       Context::Unsupported, true},
      {kConfig, "interface LINE...$name", {"", ""}, zebra_stanza, Context::Unsupported, true},
      {kConfig, "vrf WORD$name", {"", ""}, zebra_stanza, Context::Unsupported, true},

      // router bgp (FRR's BGP_NODE)
      {kRouter, "neighbor " PEER " remote-as <ASNUM|internal|external>$as",
       {kNeighborH, kPeerV4H, kPeerV6H, "Specify a BGP neighbor", "AS number", "Internal BGP peer",
        "External BGP peer"},
       remote_as},
      {kRouter, "neighbor " PEER " timers (0-65535)$keepalive (0-65535)$hold_time",
       {kNeighborH, kPeerV4H, kPeerV6H, "BGP per neighbor timers", "Keepalive interval", "Holdtime"}, timers},
      {kRouter, "neighbor " PEER " timers connect (1-65535)$connect_retry",
       {kNeighborH, kPeerV4H, kPeerV6H, "BGP per neighbor timers", "BGP connect timer", "Connect timer"},
       timers_connect},
      {kRouter, "neighbor " PEER " passive",
       {kNeighborH, kPeerV4H, kPeerV6H, "Don't send open messages to this neighbor"}, passive},
      {kRouter, "neighbor " PEER " update-source <A.B.C.D|X:X::X:X|WORD>$source",
       {kNeighborH, kPeerV4H, kPeerV6H, "Source of routing updates", "IPv4 address", "IPv6 address",
        "Interface name"},
       update_source},
      {kRouter, "neighbor " PEER " description LINE...$text",
       {kNeighborH, kPeerV4H, kPeerV6H, "Neighbor specific description", "Up to 80 characters describing this neighbor"},
       description},
      {kRouter, "neighbor " PEER " port (1-65535)$port_number",
       {kNeighborH, kPeerV4H, kPeerV6H, "Neighbor's BGP port", "TCP port number"}, port},
      {kRouter, "neighbor " PEER " password LINE...$key",
       {kNeighborH, kPeerV4H, kPeerV6H, "Set a password", "The password (TCP-MD5, RFC 2385)"}, password},
      {kRouter, "neighbor " PEER " ttl-security hops (1-254)$hop_count",
       {kNeighborH, kPeerV4H, kPeerV6H, "BGP ttl-security parameters (GTSM, RFC 5082)", "Specify the maximum number of hops to the BGP peer",
        "Number of hops to BGP peer"},
       ttl_security},
      {kRouter, "neighbor " PEER " timers send-hold (1-65535)$send_hold",
       {kNeighborH, kPeerV4H, kPeerV6H, "BGP per neighbor timers",
        "Send hold timer (RFC 9687; evpnd, default max(480, 2 x hold time))",
        "Seconds"},
       timers_send_hold},
      // FRR still accepts the pre-address-family form, which means ipv4 unicast.
      {kRouter, "neighbor " PEER " activate", {kNeighborH, kPeerV4H, kPeerV6H, ""}, activate, std::nullopt, true},
      {kRouter, "no neighbor " PEER " activate", {kNoH, kNeighborH, kPeerV4H, kPeerV6H, ""}, activate, std::nullopt,
       true},
      {kRouter, "neighbor PGNAME$name peer-group", {"", "", ""}, peer_group, std::nullopt, true},
      {kRouter, "neighbor " PEER " peer-group PGNAME$group", {"", "", "", "", ""}, peer_group, std::nullopt, true},
      {kRouter | kAf, "neighbor PGNAME$name interface", {"", "", ""}, interface_neighbor, std::nullopt, true},
      {kRouter | kAf, "neighbor PGNAME$name interface LINE...$rest", {"", "", "", ""}, interface_neighbor,
       std::nullopt, true},
      {kRouter | kAf, "neighbor PGNAME$name LINE...$rest", {"", "", ""}, peer_group_name, std::nullopt, true},
      {kRouter, "bgp router-id A.B.C.D$id", {kBgpH, "Override configured router identifier", "Manually configured router identifier"},
       router_id},
      {kRouter, "bgp cluster-id A.B.C.D$id",
       {kBgpH, "Configure Route-Reflector Cluster-id", "Route-Reflector Cluster-id in IP address format"},
       cluster_id},
      {kRouter, "bgp default ipv4-unicast",
       {kBgpH, "Configure BGP defaults", "Activate ipv4-unicast for a peer by default"}, default_ipv4},
      {kRouter, "bgp ebgp-requires-policy",
       {kBgpH, "Require in and out policy for eBGP peers (RFC 8212)"}, ebgp_policy},
      {kRouter, "no bgp default ipv4-unicast",
       {kNoH, kBgpH, "Configure BGP defaults", "Activate ipv4-unicast for a peer by default"}, default_ipv4},
      {kRouter, "no bgp ebgp-requires-policy",
       {kNoH, kBgpH, "Require in and out policy for eBGP peers (RFC 8212)"}, ebgp_policy},
      {kRouter, "bgp graceful-restart", {kBgpH, "Graceful restart capability parameters"}, graceful_restart},
      {kRouter, "no bgp graceful-restart", {kNoH, kBgpH, "Graceful restart capability parameters"}, graceful_restart},
      {kRouter, "bgp graceful-restart restart-time (0-4095)$restart_time",
       {kBgpH, "Graceful restart capability parameters", "Set the time to wait to delete stale routes before a BGP open message is received",
        "Delay value (seconds)"},
       graceful_restart},
      {kRouter, "no bgp graceful-restart restart-time",
       {kNoH, kBgpH, "Graceful restart capability parameters", "Set the time to wait to delete stale routes before a BGP open message is received"},
       graceful_restart},
      {kRouter, "bgp graceful-restart preserve-fw-state",
       {kBgpH, "Graceful restart capability parameters", "Sets F-bit indication that fib is preserved while doing Graceful Restart"},
       graceful_restart},
      {kRouter, "no bgp graceful-restart preserve-fw-state",
       {kNoH, kBgpH, "Graceful restart capability parameters", "Sets F-bit indication that fib is preserved while doing Graceful Restart"},
       graceful_restart},
      {kRouter, "bgp log-neighbor-changes", {"BGP specific commands", "Log neighbor up/down and reset reason"},
       log_neighbor_changes},
      {kRouter, "bgp evpn unknown-route-types <reflect|discard>$mode",
       {kBgpH, "EVPN settings (evpnd)", "EVPN routes of types this speaker does not know",
        "Keep them, opaque, and pass them on (route reflectors in mixed-vendor fabrics)",
        "Discard them as RFC 7606 5.4 says (the default)"},
       unknown_route_types},
      {kRouter, "no bgp log-neighbor-changes",
       {"Negate a command or set its defaults", "BGP specific commands", "Log neighbor up/down and reset reason"},
       no_log_neighbor_changes},
      {kRouter, "address-family ipv4 unicast", {"Enter Address Family command mode", "Address Family", "Address Family modifier"},
       nullptr, Context::AfIpv4Unicast},
      {kRouter, "address-family ipv4", {"", ""}, nullptr, Context::AfIpv4Unicast, true},
      {kRouter, "address-family l2vpn evpn", {"Enter Address Family command mode", "Address Family", "Address Family modifier"},
       nullptr, Context::AfL2vpnEvpn},

      // address families (FRR's BGP_IPV4_NODE, BGP_EVPN_NODE)
      {kAf, "neighbor " PEER " activate",
       {kNeighborH, kPeerV4H, kPeerV6H, "Enable the Address Family for this Neighbor"}, activate},
      {kAf, "no neighbor " PEER " activate",
       {kNoH, kNeighborH, kPeerV4H, kPeerV6H, "Enable the Address Family for this Neighbor"}, activate},
      {kEvpn, "advertise-all-vni", {"Advertise All local VNIs"}, advertise_all_vni},
      {kEvpn, "autort rfc8365-compatible",
       {"Auto-derivation of RT", "Auto-derivation of RT using RFC8365"}, autort_rfc8365},
      {kEvpn, "vni (1-16777215)$number", {"VXLAN Network Identifier", "VNI number"}, vni_stanza, Context::EvpnVni},
      {kEvpn, "vni (1-16777215)$number create bridge WORD$bridge_name vxlan WORD$vxlan_name local A.B.C.D$local_address",
       {"VXLAN Network Identifier", "VNI number", "Create the VNI's devices when the kernel has none (evpnd)",
        "The bridge the VNI's hosts are on", "Bridge name", "The VXLAN device", "VXLAN device name",
        "The local tunnel address (the VTEP)", "IPv4 address"},
       vni_create},
      {kVni, "rd WORD$distinguisher", {"Route Distinguisher", "ASN:XX:YY or A.B.C.D:XX"}, vni_rd},
      {kVni, "route-target <both|import|export>$dir WORD$target",
       {"Route Target", "Import and Export RT", "Import RT", "Export RT", "Route target (A.B.C.D:MN|EF:OPQR|GHJK:MN)"},
       vni_route_target},
      {kVni, "autort as4",
       {"Auto-derivation of RT", "AS4:VNI, a 4-octet-AS route target (evpnd; VNIs up to 65535)"}, vni_autort_as4},
      {kVni, "mac static X:X:X:X:X:X$macaddr interface WORD$ifname",
       {"MAC address", "A host pinned to a port, advertised sticky (evpnd)", "MAC address (e.g. 00:11:22:33:44:55)",
        "The port of the VNI's bridge", "Interface name"},
       vni_static_mac},
      {kVni, "no mac static X:X:X:X:X:X$macaddr",
       {kNoH, "MAC address", "A host pinned to a port, advertised sticky (evpnd)", "MAC address (e.g. 00:11:22:33:44:55)"},
       no_vni_static_mac},
      {kVni, "no mac static X:X:X:X:X:X$macaddr interface WORD$ifname",
       {kNoH, "MAC address", "A host pinned to a port, advertised sticky (evpnd)", "MAC address (e.g. 00:11:22:33:44:55)",
        "The port of the VNI's bridge", "Interface name"},
       no_vni_static_mac},
      {kVni, "anycast-gateway mac X:X:X:X:X:X$macaddr",
       {"The distributed gateway shared by every VTEP of the VNI (evpnd)", "Its MAC, on every VTEP's SVI",
        "MAC address (e.g. 00:00:5e:00:01:01)"},
       vni_gateway_mac},
      {kVni, "no anycast-gateway mac X:X:X:X:X:X$macaddr",
       {kNoH, "The distributed gateway shared by every VTEP of the VNI (evpnd)", "Its MAC, on every VTEP's SVI",
        "MAC address (e.g. 00:00:5e:00:01:01)"},
       no_vni_gateway_mac},
      {kVni, "exit-vni", {"Exit from VNI mode"}, nullptr, Context::AfL2vpnEvpn},
      {kRouter | kAf, "neighbor " PEER " maximum-prefix (1-4294967295)$limit",
       {kNeighborH, kPeerV4H, kPeerV6H, kMaxPrefixH, kMaxPrefixNumH}, maximum_prefix},
      {kRouter | kAf, "neighbor " PEER " maximum-prefix (1-4294967295)$limit (1-100)$threshold",
       {kNeighborH, kPeerV4H, kPeerV6H, kMaxPrefixH, kMaxPrefixNumH, kThresholdH}, maximum_prefix},
      {kRouter | kAf, "neighbor " PEER " maximum-prefix (1-4294967295)$limit warning-only",
       {kNeighborH, kPeerV4H, kPeerV6H, kMaxPrefixH, kMaxPrefixNumH, kWarningOnlyH}, maximum_prefix},
      {kRouter | kAf, "neighbor " PEER " maximum-prefix (1-4294967295)$limit (1-100)$threshold warning-only",
       {kNeighborH, kPeerV4H, kPeerV6H, kMaxPrefixH, kMaxPrefixNumH, kThresholdH, kWarningOnlyH}, maximum_prefix},
      {kRouter | kAf, "neighbor " PEER " maximum-prefix (1-4294967295)$limit restart (1-65535)$restart_minutes",
       {kNeighborH, kPeerV4H, kPeerV6H, kMaxPrefixH, kMaxPrefixNumH, kRestartH, kRestartMinH}, maximum_prefix},
      {kRouter | kAf, "neighbor " PEER " maximum-prefix (1-4294967295)$limit (1-100)$threshold restart (1-65535)$restart_minutes",
       {kNeighborH, kPeerV4H, kPeerV6H, kMaxPrefixH, kMaxPrefixNumH, kThresholdH, kRestartH, kRestartMinH},
       maximum_prefix},
      {kRouter | kAf, "neighbor " PEER " route-reflector-client",
       {kNeighborH, kPeerV4H, kPeerV6H, "Configure a neighbor as Route Reflector client"}, route_reflector_client},
      {kRouter | kAf, "neighbor " PEER " allowas-in",
       {kNeighborH, kPeerV4H, kPeerV6H, "Accept as-path with my AS present in it"}, allowas_in},
      {kRouter | kAf, "neighbor " PEER " allowas-in (1-10)$occurrences",
       {kNeighborH, kPeerV4H, kPeerV6H, "Accept as-path with my AS present in it",
        "Number of occurrences of AS number"},
       allowas_in},
      {kRouter | kAf, "neighbor " PEER " next-hop-self",
       {kNeighborH, kPeerV4H, kPeerV6H, "Disable the next hop calculation for this neighbor"}, next_hop_self},
      {kRouter | kAf, "neighbor " PEER " next-hop-self force$force",
       {kNeighborH, kPeerV4H, kPeerV6H, "Disable the next hop calculation for this neighbor",
        "Set the next hop to self for reflected routes"},
       next_hop_self},
      {kRouter | kAf, "neighbor " PEER " attribute-unchanged next-hop",
       {kNeighborH, kPeerV4H, kPeerV6H, "BGP attribute is propagated unchanged to this neighbor", "Nexthop attribute"},
       attribute_unchanged_next_hop},
      {kIpv4, "network A.B.C.D/M$prefix", {"Specify a network to announce via BGP", "IPv4 prefix"}, network},
      {kIpv4, "no network A.B.C.D/M$prefix", {kNoH, "Specify a network to announce via BGP", "IPv4 prefix"}, network},
      // FRR still accepts it at router level, where it means ipv4 unicast.
      {kRouter, "network A.B.C.D/M$prefix", {"", ""}, network, std::nullopt, true},
      {kAf, "exit-address-family", {"Exit from Address Family configuration mode"}, nullptr, Context::RouterBgp},

      // everywhere
      {kAllContexts, "exit", {"Exit current mode and down to previous mode"}, exit_context},
      {kAllContexts, "end", {"End current mode and change to enable mode"}, nullptr, Context::Config},
  };
}
#undef PEER

}  // namespace

const CommandTree& command_tree() {
  static const CommandTree tree(table());
  return tree;
}

}  // namespace evpnd::cli
