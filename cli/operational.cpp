#include "cli/operational.hpp"

#include "cli/show_evpn.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <deque>
#include <map>

#include "cli/show_bgp.hpp"
#include "cli/show_ipv4.hpp"
#include "cli/show_update_groups.hpp"
#include "evpn/ext_community.hpp"
#include "evpn/origination.hpp"

namespace evpnd::cli {

namespace wire = bgp::wire;

namespace {

// Help strings shared by many rows.
constexpr std::string_view kShow = "Show running system information";
constexpr std::string_view kBgp = "BGP information";
constexpr std::string_view kL2vpn = "Layer 2 Virtual Private Network";
constexpr std::string_view kEvpn = "Ethernet Virtual Private Network";
constexpr std::string_view kJson = "JavaScript Object Notation output";

// Each show command comes with and without a trailing `json` (the tree has no optional
// tokens); patterns are string literals because CommandSpec keeps views of them.
std::vector<CommandSpec> specs(bool test_commands) {
  const auto ctx = in(Context::Config);
  using Help = std::vector<std::string_view>;
  std::vector<CommandSpec> r;
  auto add = [&](std::string_view pattern, Help help) {
    r.push_back(CommandSpec{ctx, pattern, std::move(help), nullptr, std::nullopt, false});
  };
  auto with_json = [](Help h) {
    h.push_back(kJson);
    return h;
  };
  const Help evpn = {kShow, kBgp, kL2vpn, kEvpn};
  auto evpn_and = [&](Help tail) {
    Help h = evpn;
    h.insert(h.end(), tail.begin(), tail.end());
    return h;
  };
  const Help summary = evpn_and({"Summary of BGP neighbor status"});
  add("show bgp l2vpn evpn summary", summary);
  add("show bgp l2vpn evpn summary json", with_json(summary));
  const Help route = evpn_and({"EVPN route information"});
  add("show bgp l2vpn evpn route", route);
  add("show bgp l2vpn evpn route json", with_json(route));
  const Help typed = evpn_and({"EVPN route information", "Specify Route type", "EAD (Type-1) route",
                               "EAD (Type-1) route", "MAC-IP (Type-2) route", "MAC-IP (Type-2) route",
                               "Multicast (Type-3) route", "Multicast (Type-3) route",
                               "Ethernet Segment (Type-4) route", "Ethernet Segment (Type-4) route",
                               "Prefix (Type-5) route", "Prefix (Type-5) route"});
  add("show bgp l2vpn evpn route type <ead|1|macip|2|multicast|3|es|4|prefix|5>$route_type", typed);
  add("show bgp l2vpn evpn route type <ead|1|macip|2|multicast|3|es|4|prefix|5>$route_type json", with_json(typed));
  add("show bgp l2vpn evpn", evpn);
  add("show bgp l2vpn evpn json", with_json(evpn));
  const Help nbr = evpn_and({"Detailed information on TCP and BGP neighbor connections",
                             "Neighbor to display information about", "Neighbor to display information about"});
  auto nbr_and = [&](std::string_view last) {
    Help h = nbr;
    h.push_back(last);
    return h;
  };
  add("show bgp l2vpn evpn neighbors <A.B.C.D|X:X::X:X>$peer routes",
      nbr_and("Display routes learned from neighbor"));
  add("show bgp l2vpn evpn neighbors <A.B.C.D|X:X::X:X>$peer routes json",
      with_json(nbr_and("Display routes learned from neighbor")));
  add("show bgp l2vpn evpn neighbors <A.B.C.D|X:X::X:X>$peer advertised-routes",
      nbr_and("Display the routes advertised to a BGP neighbor"));
  add("show bgp l2vpn evpn neighbors <A.B.C.D|X:X::X:X>$peer advertised-routes json",
      with_json(nbr_and("Display the routes advertised to a BGP neighbor")));
  const Help v4 = {kShow, kBgp, "Address Family", "Address Family modifier"};
  auto v4_and = [&](Help tail) {
    Help h = v4;
    h.insert(h.end(), tail.begin(), tail.end());
    return h;
  };
  add("show bgp ipv4 unicast", v4);
  add("show bgp ipv4 unicast json", with_json(v4));
  add("show bgp ipv4 unicast summary", v4_and({"Summary of BGP neighbor status"}));
  add("show bgp ipv4 unicast summary json", with_json(v4_and({"Summary of BGP neighbor status"})));
  const Help v4_nbr = v4_and({"Detailed information on TCP and BGP neighbor connections",
                              "Neighbor to display information about", "Neighbor to display information about"});
  Help v4_routes = v4_nbr, v4_sent = v4_nbr;
  v4_routes.push_back("Display routes learned from neighbor");
  v4_sent.push_back("Display the routes advertised to a BGP neighbor");
  add("show bgp ipv4 unicast neighbors <A.B.C.D|X:X::X:X>$peer routes", v4_routes);
  add("show bgp ipv4 unicast neighbors <A.B.C.D|X:X::X:X>$peer routes json", with_json(v4_routes));
  add("show bgp ipv4 unicast neighbors <A.B.C.D|X:X::X:X>$peer advertised-routes", v4_sent);
  add("show bgp ipv4 unicast neighbors <A.B.C.D|X:X::X:X>$peer advertised-routes json", with_json(v4_sent));
  const Help neighbors = {kShow, kBgp, "Detailed information on TCP and BGP neighbor connections"};
  add("show bgp neighbors", neighbors);
  add("show bgp neighbors json", with_json(neighbors));
  Help one = neighbors;
  one.push_back("Neighbor to display information about");
  one.push_back("Neighbor to display information about");
  add("show bgp neighbors <A.B.C.D|X:X::X:X>$peer", one);
  add("show bgp neighbors <A.B.C.D|X:X::X:X>$peer json", with_json(one));
  const Help groups = {kShow, kBgp, "Detailed info about dynamic update groups"};
  add("show bgp update-groups", groups);
  add("show bgp update-groups json", with_json(groups));
  add("show running-config", {kShow, "Current operating configuration"});
  add("show hostname", {kShow, "This system's host name"});
  add("show version", {kShow, "Version of evpnd"});
  // FRR's `clear bgp <*|A.B.C.D|X:X::X:X> [soft [<in|out>]]`.
  const Help clear = {"Reset functions", kBgp, "Clear all peers", "BGP neighbor address to clear",
                      "BGP IPv6 neighbor to clear"};
  auto clear_and = [&](Help tail) {
    Help h = clear;
    h.insert(h.end(), tail.begin(), tail.end());
    return h;
  };
  add("clear bgp <*|A.B.C.D|X:X::X:X>$peer", clear);
  add("clear bgp <*|A.B.C.D|X:X::X:X>$peer soft", clear_and({"Soft reconfig inbound and outbound updates"}));
  add("clear bgp <*|A.B.C.D|X:X::X:X>$peer soft <in|out>$direction",
      clear_and({"Soft reconfig inbound and outbound updates", "Send route-refresh unless using 'soft-reconfiguration inbound'",
                 "Resend all outbound updates"}));
  // The VTEP (zebra's commands in FRR).
  const std::string_view kEvpnShow = "EVPN";
  const std::string_view kVniH = "VxLAN Network Identifier";
  const std::string_view kVniNumH = "VNI number";
  const std::string_view kAllVnisH = "All VNIs";
  add("show evpn", {kShow, kEvpnShow});
  add("show evpn json", {kShow, kEvpnShow, kJson});
  add("show evpn vni", {kShow, kEvpnShow, kVniH});
  add("show evpn vni json", {kShow, kEvpnShow, kVniH, kJson});
  add("show evpn vni (1-16777215)$number", {kShow, kEvpnShow, kVniH, kVniNumH});
  add("show evpn vni (1-16777215)$number json", {kShow, kEvpnShow, kVniH, kVniNumH, kJson});
  add("show evpn vni detail", {kShow, kEvpnShow, kVniH, "Detailed Information"});
  add("show evpn vni detail json", {kShow, kEvpnShow, kVniH, "Detailed Information", kJson});
  const Help mac_vni = {kShow, kEvpnShow, "MAC addresses", kVniH, kVniNumH, kAllVnisH};
  auto mac_vni_and = [&](std::initializer_list<std::string_view> more) {
    Help h = mac_vni;
    h.insert(h.end(), more.begin(), more.end());
    return h;
  };
  add("show evpn mac vni <(1-16777215)|all>$number", mac_vni);
  add("show evpn mac vni <(1-16777215)|all>$number json", mac_vni_and({kJson}));
  add("show evpn mac vni <(1-16777215)|all>$number mac$one_mac X:X:X:X:X:X$macaddr",
      mac_vni_and({"MAC", "MAC address (e.g. 00:e0:ec:20:12:62)"}));
  add("show evpn mac vni <(1-16777215)|all>$number mac$one_mac X:X:X:X:X:X$macaddr json",
      mac_vni_and({"MAC", "MAC address (e.g. 00:e0:ec:20:12:62)", kJson}));
  add("show evpn mac vni <(1-16777215)|all>$number vtep A.B.C.D$vtep_ip",
      mac_vni_and({"Remote VTEP", "Remote VTEP IP address"}));
  add("show evpn mac vni <(1-16777215)|all>$number vtep A.B.C.D$vtep_ip json",
      mac_vni_and({"Remote VTEP", "Remote VTEP IP address", kJson}));
  add("show evpn mac vni <(1-16777215)|all>$number duplicate", mac_vni_and({"Duplicate address list"}));
  add("show evpn mac vni <(1-16777215)|all>$number duplicate json",
      mac_vni_and({"Duplicate address list", kJson}));
  add("show evpn arp-cache vni <(1-16777215)|all>$number",
      {kShow, kEvpnShow, "ARP and ND cache", kVniH, kVniNumH, kAllVnisH});
  add("show evpn arp-cache vni <(1-16777215)|all>$number json",
      {kShow, kEvpnShow, "ARP and ND cache", kVniH, kVniNumH, kAllVnisH, kJson});
  add("show evpn fib", {kShow, kEvpnShow, "The FIB programmer: queue, counters, recent failures (evpnd)"});
  add("show evpn fib json", {kShow, kEvpnShow, "The FIB programmer: queue, counters, recent failures (evpnd)", kJson});
  const Help dup = {"Reset functions", kEvpnShow, "Duplicate address", kVniH, kVniNumH, kAllVnisH};
  add("clear evpn dup-addr vni <(1-16777215)|all>$number", dup);
  add("clear evpn dup-addr vni <(1-16777215)|all>$number mac WORD$address", [&] {
    Help h = dup;
    h.push_back("MAC");
    h.push_back("MAC address (e.g. 00:e0:ec:20:12:62)");
    return h;
  }());
  if (test_commands) {
    const std::string_view test = "Test hooks (evpnd runs with --enable-test-commands)";
    const std::string_view args =
        "rd RD mac MAC [ip IP] label N nexthop IP rt RT... [count N] | rd RD orig IP label N [nexthop IP] rt RT...";
    add("test evpn originate <macip|multicast>$kind LINE...$args",
        {test, kEvpn, "Originate a route", "MAC/IP (Type-2) route", "Inclusive multicast (Type-3) route", args});
    add("test evpn withdraw <macip|multicast>$kind LINE...$args",
        {test, kEvpn, "Withdraw an originated route", "MAC/IP (Type-2) route",
         "Inclusive multicast (Type-3) route", args});
  }
  return r;
}

bool ends_with_json(const Invocation& inv) { return inv.command->pattern.ends_with(" json"); }

std::string dump(const nlohmann::ordered_json& j) { return j.dump(2) + "\n"; }

std::optional<std::uint8_t> type_number(std::string_view t) {
  static const std::map<std::string_view, std::uint8_t> m = {{"ead", 1},       {"1", 1},  {"macip", 2}, {"2", 2},
                                                              {"multicast", 3}, {"3", 3},  {"es", 4},    {"4", 4},
                                                              {"prefix", 5},    {"5", 5}};
  auto it = m.find(t);
  if (it == m.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> split_words(std::string_view s) {
  std::vector<std::string> out;
  for (const auto& w : tokenize(s)) out.push_back(w.text);
  return out;
}

template <class T>
std::optional<T> number(std::string_view s) {
  T v{};
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

const CommandTree& operational_tree(bool test_commands) {
  static const CommandTree with_tests(specs(true));
  static const CommandTree plain(specs(false));
  return test_commands ? with_tests : plain;
}

wire::Result<OriginateRequest, std::string> parse_originate(std::string_view kind, const std::vector<std::string>& args,
                                                            bool withdraw) {
  std::optional<evpn::RouteDistinguisher> rd;
  std::optional<evpn::MacAddress> mac;
  std::optional<wire::IpAddress> ip, orig, nexthop;
  std::optional<std::uint32_t> label, label2, etag, seq, count;
  std::optional<evpn::EthernetSegmentId> esi;
  std::optional<evpn::MacAddress> router_mac;
  std::vector<evpn::RouteTarget> rts;
  bool sticky = false, default_gw = false;

  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& k = args[i];
    auto value = [&]() -> wire::Result<std::string, std::string> {
      if (i + 1 >= args.size()) return wire::fail("'" + k + "' needs a value");
      return args[++i];
    };
    auto bad = [&](const std::string& what, const std::string& v) { return wire::fail("bad " + what + " '" + v + "'"); };
    if (k == "sticky") {
      sticky = true;
      continue;
    }
    if (k == "default-gateway") {
      default_gw = true;
      continue;
    }
    // Name the unknown word as such, even when it is the last one (it would otherwise
    // be reported as lacking a value).
    static constexpr std::string_view kValueKeys[] = {"rd",    "mac",    "router-mac", "ip",  "orig", "nexthop",
                                                      "label", "label2", "etag",       "seq", "esi",  "rt",
                                                      "count"};
    if (std::find(std::begin(kValueKeys), std::end(kValueKeys), k) == std::end(kValueKeys))
      return wire::fail("unknown argument '" + k + "'");
    auto v = value();
    if (!v) return wire::fail(v.error());
    const std::string& s = *v;
    if (k == "rd") {
      if (!(rd = evpn::RouteDistinguisher::parse(s))) return bad("route distinguisher", s);
    } else if (k == "mac") {
      if (!(mac = evpn::MacAddress::parse(s))) return bad("MAC address", s);
    } else if (k == "router-mac") {
      if (!(router_mac = evpn::MacAddress::parse(s))) return bad("router MAC", s);
    } else if (k == "ip") {
      if (!(ip = wire::IpAddress::parse(s))) return bad("IP address", s);
    } else if (k == "orig") {
      if (!(orig = wire::IpAddress::parse(s))) return bad("originating IP", s);
    } else if (k == "nexthop") {
      if (!(nexthop = wire::IpAddress::parse(s))) return bad("next hop", s);
    } else if (k == "label") {
      if (!(label = number<std::uint32_t>(s)) || *label > 0xFFFFFF) return bad("label (0-16777215)", s);
    } else if (k == "label2") {
      if (!(label2 = number<std::uint32_t>(s)) || *label2 > 0xFFFFFF) return bad("label2 (0-16777215)", s);
    } else if (k == "etag") {
      if (!(etag = number<std::uint32_t>(s))) return bad("Ethernet Tag", s);
    } else if (k == "seq") {
      if (!(seq = number<std::uint32_t>(s))) return bad("MAC mobility sequence", s);
    } else if (k == "count") {
      if (!(count = number<std::uint32_t>(s)) || *count == 0 || *count > 10'000'000)
        return bad("count (1-10000000)", s);
    } else if (k == "esi") {
      if (!(esi = evpn::EthernetSegmentId::parse(s))) return bad("ESI", s);
    } else if (k == "rt") {
      auto rt = evpn::RouteTarget::parse(s);
      if (!rt) return bad("route target", s);
      rts.push_back(*rt);
    }
  }
  if (!rd) return wire::fail(std::string("missing 'rd'"));

  OriginateRequest req;
  if (count && kind != "macip") return wire::fail(std::string("'count' is for macip routes"));
  req.count = count.value_or(1);
  if (kind == "macip") {
    if (!mac) return wire::fail(std::string("missing 'mac'"));
    evpn::MacIpRoute r;
    r.rd = *rd;
    r.etag = evpn::EthernetTag{etag.value_or(0)};
    r.esi = esi.value_or(evpn::EthernetSegmentId{});
    r.mac = *mac;
    r.ip = ip;
    r.label1 = evpn::Label{label.value_or(0)};
    if (label2) r.label2 = evpn::Label{*label2};
    req.nlri.route = r;
  } else {
    if (!orig) return wire::fail(std::string("missing 'orig'"));
    req.nlri.route = evpn::ImetRoute{*rd, evpn::EthernetTag{etag.value_or(0)}, *orig};
    if (!nexthop) nexthop = orig;
  }
  if (withdraw) return req;

  if (!label) return wire::fail(std::string("missing 'label' (the VNI)"));
  if (!nexthop) return wire::fail(std::string("missing 'nexthop' (the VTEP address)"));
  if (rts.empty()) return wire::fail(std::string("missing 'rt'"));

  evpn::OriginationParams params;
  params.next_hop = *nexthop;
  params.route_targets = std::move(rts);
  params.vni = *label;
  params.mobility_sequence = seq.value_or(0);
  params.sticky = sticky;
  params.router_mac = router_mac;
  params.default_gateway = default_gw;
  req.attrs = evpn::origination_attributes(req.nlri.route, params);
  return req;
}

OperationalCommands::OperationalCommands(bgp::Speaker& speaker, std::function<std::string()> running_config,
                                         bool test_commands)
    : speaker_(speaker), running_config_(std::move(running_config)), tree_(operational_tree(test_commands)) {}

std::vector<std::string> OperationalCommands::completions(std::string_view partial_line) const {
  return tree_.completions(Context::Config, partial_line);
}

std::vector<HelpItem> OperationalCommands::help(std::string_view partial_line) const {
  return tree_.help(Context::Config, partial_line);
}

CommandResult OperationalCommands::show_ipv4(const Invocation& inv) const {
  const std::string& p = inv.command->pattern;
  const bool json = ends_with_json(inv);
  const auto& cfg = speaker_.config();
  const auto views = speaker_.peers();
  if (p.starts_with("show bgp ipv4 unicast summary")) {
    const auto now = speaker_.now();
    const auto family = wire::AfiSafi::ipv4_unicast();
    return {CommandResult::Status::Ok, json ? dump(evpn_summary_json(cfg, views, now, family))
                                            : evpn_summary_text(cfg, views, now, family)};
  }
  const SourceNames names = [&](rib::PeerId id) {
    if (id == rib::kLocalPeer) return SourceName{"", true, true};
    for (const auto& v : views)
      if (v.rib_id == id.value) return SourceName{v.address.to_string(), false, v.ibgp};
    return SourceName{"?", false, true};
  };
  if (const Arg* peer = inv.find("peer")) {
    const bgp::PeerView* view = nullptr;
    for (const auto& v : views)
      if (v.address == peer->address) view = &v;
    if (!view) return {CommandResult::Status::Error, "% No such neighbor " + peer->text + "\n"};
    if (p.find("advertised-routes") != std::string::npos) {
      const auto sent = speaker_.advertised_prefixes(peer->address).value_or(std::vector<bgp::Speaker::SentPrefix>{});
      return {CommandResult::Status::Ok, json ? dump(ipv4_advertised_json(cfg, sent)) : ipv4_advertised_text(cfg, sent)};
    }
    const rib::PeerId id{view->rib_id};
    return {CommandResult::Status::Ok, json ? dump(ipv4_routes_json(cfg, speaker_.ipv4_rib(), names, id))
                                            : ipv4_routes_text(cfg, speaker_.ipv4_rib(), names, id)};
  }
  return {CommandResult::Status::Ok, json ? dump(ipv4_routes_json(cfg, speaker_.ipv4_rib(), names))
                                          : ipv4_routes_text(cfg, speaker_.ipv4_rib(), names)};
}

CommandResult OperationalCommands::run(std::string_view line) {
  const auto words = tokenize(line);
  if (words.empty()) return {};
  auto matched = tree_.match(Context::Config, words);
  if (auto* fail = std::get_if<MatchFailure>(&matched)) {
    std::string msg;
    switch (fail->kind) {
      case MatchFailure::Kind::Ambiguous: msg = "% Ambiguous command: "; break;
      case MatchFailure::Kind::Incomplete: msg = "% Command incomplete: "; break;
      default: msg = "% Unknown command: "; break;
    }
    msg += std::string(line);
    if (!fail->expected.empty()) {
      msg += "\n% expected one of:";
      for (const auto& e : fail->expected) msg += " " + e;
    }
    return {CommandResult::Status::UnknownCommand, msg + "\n"};
  }
  const auto& inv = std::get<Invocation>(matched);
  if (inv.invalid) return {CommandResult::Status::Error, "% " + inv.invalid->message + "\n"};
  const std::string& p = inv.command->pattern;
  const bool json = ends_with_json(inv);
  const auto now = speaker_.now();
  const auto& cfg = speaker_.config();

  // The tables shown are copies taken now (the Adj-RIB-Ins are views of the Loc-RIB);
  // a deque, so the sources' pointers stay valid as more are added.
  std::deque<rib::PathTable> held;
  auto hold = [&](std::optional<rib::PathTable> t) -> const rib::PathTable* {
    if (!t) return nullptr;
    return &held.emplace_back(std::move(*t));
  };
  auto sources_all = [&] {
    std::vector<PathSource> s;
    s.push_back(PathSource{"local", true, hold(speaker_.originated()), rib::kLocalPeer});
    for (const auto& v : speaker_.peers())
      s.push_back(PathSource{v.address.to_string(), v.ibgp, hold(speaker_.adj_rib_in(v.address)), rib::PeerId{v.rib_id}});
    return s;
  };
  auto find_view = [&](const wire::IpAddress& a) -> std::optional<bgp::PeerView> {
    for (auto& v : speaker_.peers())
      if (v.address == a) return v;
    return std::nullopt;
  };

  if (p.starts_with("show bgp l2vpn evpn summary")) {
    return {CommandResult::Status::Ok, json ? dump(evpn_summary_json(cfg, speaker_.peers(), now))
                                            : evpn_summary_text(cfg, speaker_.peers(), now)};
  }
  if (p.starts_with("show bgp l2vpn evpn neighbors")) {
    const auto addr = inv.arg("peer").address;
    auto view = find_view(addr);
    if (!view) return {CommandResult::Status::Error, "% No such neighbor " + addr.to_string() + "\n"};
    std::vector<PathSource> src;
    std::optional<rib::PathTable> advertised;
    if (p.find("advertised-routes") != std::string::npos) {
      // The Adj-RIB-Out, with the attributes as sent (the best paths are the sender's
      // choice, not the receiver's: no best marks).
      advertised = speaker_.advertised_routes(addr);
      if (advertised) src.push_back(PathSource{"local", true, &*advertised, rib::kLocalPeer});
      return {CommandResult::Status::Ok,
              json ? dump(evpn_routes_json(cfg, src, {})) : evpn_routes_text(cfg, src, {})};
    }
    src.push_back(PathSource{addr.to_string(), view->ibgp, hold(speaker_.adj_rib_in(addr)), rib::PeerId{view->rib_id}});
    return {CommandResult::Status::Ok, json ? dump(evpn_routes_json(cfg, src, {}, &speaker_.rib()))
                                            : evpn_routes_text(cfg, src, {}, &speaker_.rib())};
  }
  if (p.starts_with("show bgp l2vpn evpn")) {
    EvpnRouteFilter f;
    if (auto* t = inv.find("route_type")) f.route_type = type_number(t->keyword.empty() ? t->text : t->keyword);
    auto src = sources_all();
    return {CommandResult::Status::Ok, json ? dump(evpn_routes_json(cfg, src, f, &speaker_.rib()))
                                            : evpn_routes_text(cfg, src, f, &speaker_.rib())};
  }
  if (p.starts_with("show bgp ipv4 unicast")) return show_ipv4(inv);
  if (p.starts_with("show evpn") || p.starts_with("clear evpn")) return evpn_command(inv);
  if (p.starts_with("show bgp neighbors")) {
    auto views = speaker_.peers();
    if (auto* a = inv.find("peer")) {
      std::erase_if(views, [&](const auto& v) { return v.address != a->address; });
      if (views.empty()) return {CommandResult::Status::Error, "% No such neighbor " + a->text + "\n"};
    }
    return {CommandResult::Status::Ok, json ? dump(neighbors_json(views, now)) : neighbors_text(views, now)};
  }
  if (p.starts_with("show bgp update-groups")) {
    const auto groups = speaker_.update_groups();
    const auto totals = speaker_.update_group_totals();
    return {CommandResult::Status::Ok,
            json ? dump(update_groups_json(groups, totals)) : update_groups_text(groups, totals)};
  }
  if (p == "show running-config") return {CommandResult::Status::Ok, running_config_ ? running_config_() : ""};
  if (p == "show hostname") return {CommandResult::Status::Ok, (cfg.hostname.empty() ? "evpnd" : cfg.hostname) + "\n"};
  if (p == "show version") return {CommandResult::Status::Ok, "evpnd " EVPND_VERSION "\n"};
  if (p.starts_with("clear bgp")) {
    const Arg& peer = inv.arg("peer");
    std::optional<wire::IpAddress> which;
    if (peer.kind != AtomKind::Keyword) which = peer.address;
    auto how = bgp::Speaker::Clear::Hard;
    if (const Arg* dir = inv.find("direction"))
      how = dir->keyword == "in" ? bgp::Speaker::Clear::SoftIn : bgp::Speaker::Clear::SoftOut;
    else if (p.ends_with(" soft"))
      how = bgp::Speaker::Clear::Soft;  // both directions, as FRR does
    if (!speaker_.clear(which, how))
      return {CommandResult::Status::Error,
              "% " + peer.text + (how == bgp::Speaker::Clear::SoftIn ? ": no such neighbor, or it has no route refresh\n"
                                                                   : ": no such neighbor\n")};
    return {CommandResult::Status::Ok, ""};
  }
  if (p.starts_with("test evpn")) {
    const bool withdraw = p.starts_with("test evpn withdraw");
    const auto& kind = inv.arg("kind");
    const std::string k = kind.keyword.empty() ? kind.text : kind.keyword;
    auto req = parse_originate(k, split_words(inv.arg("args").text), withdraw);
    if (!req) return {CommandResult::Status::Error, "% " + req.error() + "\n"};
    if (withdraw) {
      if (!speaker_.withdraw_originated(req->nlri))
        return {CommandResult::Status::Error, "% no such originated route: " + evpn::to_string(req->nlri.route) + "\n"};
      return {CommandResult::Status::Ok, "withdrawn " + evpn::to_string(req->nlri.route) + "\n"};
    }
    if (req->count > 1) {
      // Consecutive MACs from the one given, as one packed send.
      speaker_.originate(evpn::consecutive_macs(std::get<evpn::MacIpRoute>(req->nlri.route), req->count),
                         std::move(req->attrs));
      return {CommandResult::Status::Ok, "originated " + std::to_string(req->count) + " routes from " +
                                             evpn::to_string(req->nlri.route) + "\n"};
    }
    speaker_.originate(req->nlri, std::move(req->attrs));
    return {CommandResult::Status::Ok, "originated " + evpn::to_string(req->nlri.route) + "\n"};
  }
  return {CommandResult::Status::UnknownCommand, "% Unknown command: " + std::string(line) + "\n"};
}

CommandResult OperationalCommands::evpn_command(const Invocation& inv) const {
  const std::string& p = inv.command->pattern;
  if (!leaf_) return {CommandResult::Status::Error, "% EVPN is not enabled (no advertise-all-vni)\n"};
  const bool json = ends_with_json(inv);
  std::optional<evpn::Vni> vni;
  if (const Arg* n = inv.find("number"); n && n->kind != AtomKind::Keyword)
    vni = evpn::Vni::make(static_cast<std::uint32_t>(n->number));
  if (p.starts_with("clear evpn dup-addr")) {
    std::optional<evpn::MacAddress> mac;
    if (const Arg* a = inv.find("address")) {
      mac = evpn::MacAddress::parse(a->text);
      if (!mac) return {CommandResult::Status::Error, "% Malformed MAC address " + a->text + "\n"};
    }
    const auto n = leaf_->clear_duplicates(vni, mac);
    return {CommandResult::Status::Ok, "cleared " + std::to_string(n) + " duplicate address(es)\n"};
  }
  if (p.starts_with("show evpn vni")) {
    const bool detail = p.starts_with("show evpn vni detail");
    return {CommandResult::Status::Ok, json ? dump(evpn_vni_json(*leaf_, vni)) : evpn_vni_text(*leaf_, vni, detail)};
  }
  if (p.starts_with("show evpn mac")) {
    MacFilter filter;
    if (const Arg* m = inv.find("macaddr")) filter.mac = m->mac;
    if (const Arg* v = inv.find("vtep_ip")) filter.vtep = v->address;
    filter.duplicate = p.find(" duplicate") != std::string::npos;
    return {CommandResult::Status::Ok,
            json ? dump(evpn_mac_json(*leaf_, vni, filter)) : evpn_mac_text(*leaf_, vni, filter)};
  }
  if (p.starts_with("show evpn arp-cache"))
    return {CommandResult::Status::Ok,
            json ? dump(evpn_arp_cache_json(*leaf_, vni)) : evpn_arp_cache_text(*leaf_, vni)};
  if (p.starts_with("show evpn fib"))
    return {CommandResult::Status::Ok, json ? dump(evpn_fib_json(*leaf_)) : evpn_fib_text(*leaf_)};
  return {CommandResult::Status::Ok, json ? dump(evpn_summary_json(*leaf_)) : evpn_summary_text(*leaf_)};
}

}  // namespace evpnd::cli
