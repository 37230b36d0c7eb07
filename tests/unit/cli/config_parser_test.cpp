// Parser semantics field by field, every error class with its exact text, and the
// accepted-but-ignored list.
#include <gtest/gtest.h>

#include "cli/config_parser.hpp"
#include "cli/config_printer.hpp"
#include "support/testdata.hpp"

namespace evpnd::cli {
namespace {

using bgp::fsm::RemoteAsKind;
using bgp::wire::IpAddress;

IpAddress ip(const char* s) { return *IpAddress::parse(s); }

// The one error `text` produces, printed.
std::string one_error(const std::string& text) {
  auto r = parse_config(text, "evpnd.conf");
  if (r.ok()) return "(parsed)";
  if (r.error().size() != 1) return "(" + std::to_string(r.error().size()) + " errors) " + to_string(r.error().front());
  return to_string(r.error().front());
}

std::string in_router(const std::string& lines) { return "router bgp 65000\n" + lines; }
std::string with_peer(const std::string& lines) {
  return "router bgp 65000\n neighbor 10.0.0.2 remote-as 65002\n" + lines;
}

TEST(ConfigParser, FrrIbgpLeafFieldByField) {
  auto path = std::string(EVPND_TESTDATA_DIR) + "/../unit/cli/configs/frr_leaf_ibgp.conf";
  auto r = parse_config_file(path);
  ASSERT_TRUE(r.ok()) << to_string(r.error().front());
  const auto& c = r->config;
  EXPECT_EQ(c.hostname, "leaf1");
  ASSERT_TRUE(c.asn);
  EXPECT_EQ(c.asn->value, 65000u);
  ASSERT_TRUE(c.router_id);
  EXPECT_EQ(c.router_id->value, 0x0A00000Bu);
  EXPECT_FALSE(c.default_ipv4_unicast);
  EXPECT_TRUE(c.ebgp_requires_policy);  // traditional profile, FRR >= 7.4
  EXPECT_EQ(c.defaults_profile, bgp::DefaultsProfile::Traditional);
  EXPECT_TRUE(c.advertise_all_vni);
  ASSERT_EQ(c.neighbors.size(), 2u);
  const auto& n = c.neighbors[0];
  EXPECT_EQ(n.address, ip("10.0.0.1"));
  EXPECT_EQ(n.remote_as_kind, RemoteAsKind::Number);
  EXPECT_EQ(n.remote_as.value, 65000u);
  EXPECT_EQ(n.description, "spine1 (route reflector)");
  EXPECT_EQ(n.update_source, std::optional<std::string>("lo"));
  EXPECT_EQ(n.keepalive, std::optional<std::uint16_t>(3));
  EXPECT_EQ(n.hold_time, std::optional<std::uint16_t>(9));
  EXPECT_FALSE(n.connect_retry);
  EXPECT_FALSE(n.passive);
  EXPECT_FALSE(n.port);
  EXPECT_FALSE(n.ipv4_unicast);  // equal to the default (off): not stored
  EXPECT_FALSE(c.ipv4_unicast_active(n));
  EXPECT_TRUE(n.l2vpn_evpn);
  EXPECT_EQ(c.neighbors[1].address, ip("10.0.0.2"));
  EXPECT_TRUE(c.neighbors[1].l2vpn_evpn);

  // The accepted-but-ignored lines, for the daemon to log.
  ASSERT_EQ(r->ignored.size(), 3u);
  EXPECT_EQ(r->ignored[0].line, 4u);
  EXPECT_EQ(r->ignored[0].text, "log syslog informational");
  EXPECT_EQ(r->ignored[2].text, "line vty");
  // advertise-all-vni is acted on now (leaf/leaf.hpp).
  EXPECT_TRUE(c.advertise_all_vni);
}

TEST(ConfigParser, NetworkStatements) {
  // FRR drops the host bits; a repeat is one network; `no network` removes it; FRR's
  // router-level form means ipv4 unicast.
  auto r = parse_config(in_router(" network 10.9.0.0/16\n address-family ipv4 unicast\n  network 10.0.0.1/24\n"
                                  "  network 10.0.0.0/24\n  network 10.255.0.1/32\n  no network 10.9.0.0/16\n"
                                  " exit-address-family\n"));
  ASSERT_TRUE(r.ok()) << to_string(r.error().front());
  ASSERT_EQ(r->config.networks.size(), 2u);
  EXPECT_EQ(r->config.networks[0], (bgp::wire::Prefix{ip("10.0.0.0"), 24, std::nullopt}));
  EXPECT_EQ(r->config.networks[1], (bgp::wire::Prefix{ip("10.255.0.1"), 32, std::nullopt}));
  EXPECT_EQ(print_config(r->config),
            "router bgp 65000\n !\n address-family ipv4 unicast\n  network 10.0.0.0/24\n  network 10.255.0.1/32\n"
            " exit-address-family\nexit\n!\n");
  EXPECT_EQ(one_error(in_router(" address-family ipv4 unicast\n  network 10.0.0.0/33\n")),
            "evpnd.conf:3: ERROR: '10.0.0.0/33' is not a valid IPv4 prefix (expected A.B.C.D/M)");
  EXPECT_EQ(one_error(in_router(" address-family ipv4 unicast\n  no network 10.0.0.0/8\n")),
            "evpnd.conf:3: ERROR: no network 10.0.0.0/8: not configured (expected a configured network)");
}

TEST(ConfigParser, AsNumberForms) {
  auto asn = [](const char* text) -> std::optional<std::uint32_t> {
    auto r = parse_config(std::string("router bgp ") + text + "\n");
    if (!r.ok()) return std::nullopt;
    return r->config.asn->value;
  };
  EXPECT_EQ(asn("65000"), 65000u);
  EXPECT_EQ(asn("4294967295"), 4294967295u);
  EXPECT_EQ(asn("1.10"), 65546u);  // RFC 5396 asdot
  EXPECT_EQ(asn("0.1"), 1u);
  EXPECT_EQ(asn("65535.65535"), 4294967295u);
  EXPECT_EQ(asn("0"), std::nullopt);  // RFC 7607
  EXPECT_EQ(asn("0.0"), std::nullopt);
  EXPECT_EQ(asn("4294967296"), std::nullopt);
  EXPECT_EQ(asn("65536.1"), std::nullopt);
  EXPECT_EQ(asn("1.65536"), std::nullopt);
  EXPECT_EQ(asn("01"), std::nullopt);  // FRR: leading zeros are refused
  EXPECT_EQ(one_error("router bgp 4294967296\n"),
            "evpnd.conf:1: ERROR: '4294967296' is not a valid AS number (expected 1-4294967295 or asdot "
            "0.1-65535.65535)");
}

TEST(ConfigParser, RemoteAsKindsAndIpv6) {
  auto r = parse_config(in_router(" neighbor 2001:DB8::1 remote-as internal\n"
                                  " neighbor 10.0.0.3 remote-as external\n"
                                  " neighbor 10.0.0.4 remote-as 1.2\n"
                                  " neighbor 10.0.0.4 remote-as 65004\n"));  // a second remote-as replaces
  ASSERT_TRUE(r.ok()) << to_string(r.error().front());
  const auto& n = r->config.neighbors;
  ASSERT_EQ(n.size(), 3u);
  EXPECT_EQ(n[0].address, ip("2001:db8::1"));
  EXPECT_EQ(n[0].remote_as_kind, RemoteAsKind::Internal);
  EXPECT_EQ(n[1].remote_as_kind, RemoteAsKind::External);
  EXPECT_EQ(n[2].remote_as_kind, RemoteAsKind::Number);
  EXPECT_EQ(n[2].remote_as.value, 65004u);
  EXPECT_TRUE(r->config.ipv4_unicast_active(n[0]));  // FRR default: ipv4 unicast on, even for v6 peers
}

TEST(ConfigParser, TimersBoundaries) {
  auto timers = [](const char* kh) {
    auto r = parse_config(with_peer(std::string(" neighbor 10.0.0.2 timers ") + kh + "\n"));
    if (!r.ok()) return std::string("error");
    const auto& n = r->config.neighbors[0];
    return std::to_string(*n.keepalive) + "/" + std::to_string(*n.hold_time);
  };
  EXPECT_EQ(timers("0 0"), "0/0");  // hold time 0: no keepalives (RFC 4271 4.4)
  EXPECT_EQ(timers("3 3"), "3/3");
  EXPECT_EQ(timers("60 180"), "60/180");
  EXPECT_EQ(timers("65535 65535"), "65535/65535");
  EXPECT_EQ(timers("0 1"), "error");
  EXPECT_EQ(timers("0 2"), "error");
  EXPECT_EQ(timers("10 9"), "error");
  EXPECT_EQ(timers("1 0"), "error");
  EXPECT_EQ(timers("-1 9"), "error");
}

TEST(ConfigParser, FrrDefaultsProfileAndVersion) {
  auto dc = parse_config("frr defaults datacenter\nrouter bgp 65000\n");
  ASSERT_TRUE(dc.ok());
  EXPECT_FALSE(dc->config.ebgp_requires_policy);
  EXPECT_EQ(dc->config.timer_defaults().hold_time, 9);
  EXPECT_EQ(dc->config.timer_defaults().connect_retry, 10);
  EXPECT_EQ(print_config(dc->config), "frr defaults datacenter\n!\nrouter bgp 65000\nexit\n!\n");

  auto dc_on = parse_config("frr defaults datacenter\nrouter bgp 65000\n bgp ebgp-requires-policy\n");
  ASSERT_TRUE(dc_on.ok());
  EXPECT_EQ(print_config(dc_on->config),
            "frr defaults datacenter\n!\nrouter bgp 65000\n bgp ebgp-requires-policy\nexit\n!\n");

  auto old = parse_config("frr version 7.3\nrouter bgp 65000\n");
  ASSERT_TRUE(old.ok());
  EXPECT_FALSE(old->config.ebgp_requires_policy);  // FRR < 7.4 had no RFC 8212 default
  auto current = parse_config("frr version 10.1-dev\nrouter bgp 65000\n");
  ASSERT_TRUE(current.ok());
  EXPECT_TRUE(current->config.ebgp_requires_policy);

  auto unknown = parse_config("frr defaults campus\n");
  ASSERT_TRUE(unknown.ok());
  ASSERT_EQ(unknown->ignored.size(), 1u);
  EXPECT_EQ(to_string(unknown->ignored[0]),
            "evpnd.conf:1: WARNING: frr defaults: profile 'campus' is not known; traditional defaults apply");
}

TEST(ConfigParser, Ipv4ActivationFollowsFrrCreationRule) {
  // A neighbor takes the ipv4-unicast default that holds when it is created.
  auto r = parse_config(in_router(" neighbor 10.0.0.1 remote-as 1\n"
                                  " no bgp default ipv4-unicast\n"
                                  " neighbor 10.0.0.2 remote-as 2\n"));
  ASSERT_TRUE(r.ok());
  const auto& c = r->config;
  EXPECT_TRUE(c.ipv4_unicast_active(c.neighbors[0]));
  EXPECT_EQ(c.neighbors[0].ipv4_unicast, std::optional<bool>(true));
  EXPECT_FALSE(c.ipv4_unicast_active(c.neighbors[1]));
  EXPECT_FALSE(c.neighbors[1].ipv4_unicast);
}

TEST(ConfigParser, WalkUpLeavesAddressFamilyWithoutExit) {
  // No exit-address-family: FRR finds `neighbor X timers` in the parent node.
  auto r = parse_config(with_peer("address-family l2vpn evpn\n"
                                  "neighbor 10.0.0.2 activate\n"
                                  "neighbor 10.0.0.2 timers 1 3\n"
                                  "neighbor 10.0.0.2 activate\n"
                                  "hostname h\n"));
  ASSERT_TRUE(r.ok()) << to_string(r.error().front());
  EXPECT_TRUE(r->config.neighbors[0].l2vpn_evpn);
  EXPECT_EQ(r->config.neighbors[0].hold_time, std::optional<std::uint16_t>(3));
  // The second `activate` ran in router bgp (after the walk-up): FRR's hidden ipv4 form.
  EXPECT_TRUE(r->config.ipv4_unicast_active(r->config.neighbors[0]));
  EXPECT_EQ(r->config.hostname, "h");
}

// ---- every error class, exact text ----------------------------------------------------

TEST(ConfigErrors, UnknownCommandListsWhatTheContextAccepts) {
  std::string text = "hostname leaf\n!\nrouter bgp 65000\n bgp router-id 10.0.0.1\n"
                     " neighbor 10.0.0.1 remote-as 65001\n !\n neighbr 10.0.0.2 remote-as 65002\n";
  auto r = parse_config(text, "evpnd.conf");
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.error().size(), 1u);
  const ConfigError& e = r.error()[0];
  EXPECT_EQ(e.file, "evpnd.conf");
  EXPECT_EQ(e.line, 7u);
  EXPECT_EQ(e.column, 2u);
  EXPECT_EQ(e.message, "unknown command 'neighbr 10.0.0.2 remote-as 65002'");
  EXPECT_EQ(e.expected, "one of: neighbor, bgp, no, address-family, exit, end");
  EXPECT_EQ(to_string(e),
            "evpnd.conf:7: ERROR: unknown command 'neighbr 10.0.0.2 remote-as 65002' (expected one of: "
            "neighbor, bgp, no, address-family, exit, end)");
  EXPECT_EQ(one_error("bogus\n"),
            "evpnd.conf:1: ERROR: unknown command 'bogus' (expected one of: hostname, frr, log, service, line, "
            "router, exit, end)");
}

TEST(ConfigErrors, SyntaxClasses) {
  EXPECT_EQ(one_error(with_peer(" neighbor 10.0.0.2 remote-as\n")),
            "evpnd.conf:3: ERROR: incomplete command 'neighbor 10.0.0.2 remote-as' (expected one of: ASNUM, "
            "internal, external)");
  EXPECT_EQ(one_error(with_peer(" neighbor 10.0.0.2 passive yes\n")),
            "evpnd.conf:3: ERROR: unexpected 'yes' in 'neighbor 10.0.0.2 passive yes' (expected end of line)");
  EXPECT_EQ(one_error(with_peer(" neighbor 10.0.0.2 remote-as sideways\n")),
            "evpnd.conf:3: ERROR: unexpected 'sideways' in 'neighbor 10.0.0.2 remote-as sideways' (expected one "
            "of: ASNUM, internal, external)");
  EXPECT_EQ(one_error(with_peer(" n 10.0.0.2 passive\n")),
            "evpnd.conf:3: ERROR: ambiguous command 'n 10.0.0.2 passive': 'n' is more than one keyword (expected "
            "one of: neighbor, no)");
  EXPECT_EQ(one_error(with_peer(" neighbor 10.0.0.2 p\n")),
            "evpnd.conf:3: ERROR: ambiguous command 'neighbor 10.0.0.2 p': 'p' is more than one keyword (expected "
            "one of: passive, port, password)");
  EXPECT_EQ(one_error("frr defaults\n"),
            "evpnd.conf:1: ERROR: incomplete command 'frr defaults' (expected one of: traditional, datacenter)");
  // The column points at the offending word in the raw line.
  auto r = parse_config(with_peer("   neighbor 10.0.0.2 passive yes\n"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error()[0].column, 30u);
}

TEST(ConfigErrors, BadValuesNameTheValueAndTheRange) {
  EXPECT_EQ(one_error(in_router(" bgp router-id 10.0.0.256\n")),
            "evpnd.conf:2: ERROR: '10.0.0.256' is not a valid IPv4 address (expected A.B.C.D)");
  EXPECT_EQ(one_error(in_router(" bgp router-id 0.0.0.0\n")),
            "evpnd.conf:2: ERROR: router-id 0.0.0.0 is not allowed (expected a non-zero A.B.C.D (RFC 6286))");
  EXPECT_EQ(one_error(in_router(" neighbor 2001:db8::g remote-as 1\n")),
            "evpnd.conf:2: ERROR: '2001:db8::g' is not a valid IPv6 address (expected X:X::X:X)");
  EXPECT_EQ(one_error(in_router(" neighbor 10.0.0 remote-as 1\n")),
            "evpnd.conf:2: ERROR: '10.0.0' is not a valid IPv4 address (expected A.B.C.D)");
  EXPECT_EQ(one_error(in_router(" neighbor 2001:db8:::1 remote-as 1\n")),
            "evpnd.conf:2: ERROR: '2001:db8:::1' is not a valid IPv6 address (expected X:X::X:X)");
  EXPECT_EQ(one_error(with_peer(" neighbor 10.0.0.2 timers 70000 9\n")),
            "evpnd.conf:3: ERROR: keepalive 70000 is out of range (expected 0-65535)");
  EXPECT_EQ(one_error(with_peer(" neighbor 10.0.0.2 timers 3 99999999999999999999999\n")),
            "evpnd.conf:3: ERROR: hold time 99999999999999999999999 is out of range (expected 0-65535)");
  EXPECT_EQ(one_error(with_peer(" neighbor 10.0.0.2 timers 1 2\n")),
            "evpnd.conf:3: ERROR: hold time 2 is not allowed (RFC 4271 4.2) (expected 0 or 3-65535)");
  EXPECT_EQ(one_error(with_peer(" neighbor 10.0.0.2 timers 30 9\n")),
            "evpnd.conf:3: ERROR: keepalive 30 is larger than hold time 9 (expected 0-9)");
  EXPECT_EQ(one_error(with_peer(" neighbor 10.0.0.2 timers connect 0\n")),
            "evpnd.conf:3: ERROR: connect retry 0 is out of range (expected 1-65535)");
  EXPECT_EQ(one_error(with_peer(" neighbor 10.0.0.2 port 65536\n")),
            "evpnd.conf:3: ERROR: port number 65536 is out of range (expected 1-65535)");
  EXPECT_EQ(one_error(with_peer(" neighbor 10.0.0.2 update-source 2001:db8::1\n")),
            "evpnd.conf:3: ERROR: update-source 2001:db8::1 is not of neighbor 10.0.0.2's family (expected "
            "A.B.C.D or an interface name)");
  EXPECT_EQ(one_error(with_peer(" neighbor 10.0.0.2 update-source a-very-long-ifname\n")),
            "evpnd.conf:3: ERROR: 'a-very-long-ifname' is not a valid interface name (expected an address or an "
            "interface name of at most 15 characters)");
  EXPECT_EQ(one_error(with_peer(" neighbor 10.0.0.2 update-source 10.0.0.300\n")),
            "evpnd.conf:3: ERROR: '10.0.0.300' is not a valid IPv4 address (expected A.B.C.D)");
  EXPECT_EQ(one_error(in_router(" neighbor 0.0.0.0 remote-as 1\n")),
            "evpnd.conf:2: ERROR: neighbor 0.0.0.0 is not a peer address (expected a unicast address)");
  EXPECT_EQ(one_error(in_router(" neighbor fe80::1 remote-as 1\n")),
            "evpnd.conf:2: ERROR: link-local neighbor fe80::1 needs an interface; not supported yet (expected a "
            "global IPv6 address)");
  EXPECT_EQ(one_error("hostname -leaf\n"), "evpnd.conf:1: ERROR: hostname '-leaf' must start with a letter or digit");
}

TEST(ConfigErrors, SemanticClasses) {
  EXPECT_EQ(one_error(in_router(" neighbor 10.0.0.9 passive\n")),
            "evpnd.conf:2: ERROR: neighbor 10.0.0.9 has no remote-as yet (expected 'neighbor 10.0.0.9 remote-as "
            "<ASNUM|internal|external>' first)");
  EXPECT_EQ(one_error(in_router(" address-family l2vpn evpn\n  neighbor 10.0.0.9 activate\n")),
            "evpnd.conf:3: ERROR: neighbor 10.0.0.9 has no remote-as yet (expected 'neighbor 10.0.0.9 remote-as "
            "<ASNUM|internal|external>' first)");
  EXPECT_EQ(one_error("router bgp 65000\nexit\nrouter bgp 65001\n"),
            "evpnd.conf:3: ERROR: BGP is already running; AS is 65000 (expected router bgp 65000)");
  EXPECT_EQ(one_error("router bgp 65000\nexit\nfrr defaults datacenter\n"),
            "evpnd.conf:3: ERROR: 'frr defaults' after 'router bgp' has no effect on it (expected frr defaults "
            "before router bgp)");
}

TEST(ConfigErrors, OutOfScopeFeaturesSaySo) {
  EXPECT_EQ(one_error(in_router(" neighbor SPINE peer-group\n")),
            "evpnd.conf:2: ERROR: peer-group not supported yet (expected neighbor A.B.C.D or X:X::X:X)");
  EXPECT_EQ(one_error(in_router(" neighbor SPINE remote-as external\n")),
            "evpnd.conf:2: ERROR: peer-group not supported yet: 'SPINE' is not an IP address (expected neighbor "
            "A.B.C.D or X:X::X:X)");
  EXPECT_EQ(one_error(with_peer(" neighbor 10.0.0.2 peer-group SPINE\n")),
            "evpnd.conf:3: ERROR: peer-group not supported yet (expected neighbor A.B.C.D or X:X::X:X)");
  EXPECT_EQ(one_error(in_router(" neighbor swp1 interface remote-as external\n")),
            "evpnd.conf:2: ERROR: interface neighbors (BGP unnumbered) not supported yet (expected neighbor A.B.C.D "
            "or X:X::X:X)");
  // One error for a refused stanza, not one per line of its body.
  EXPECT_EQ(one_error("router bgp 65000 vrf RED\n address-family ipv4 unicast\n  redistribute connected\n"
                      " exit-address-family\nexit\nrouter bgp 65000\n"),
            "evpnd.conf:1: ERROR: BGP VRF instances are not supported yet (the stanza is skipped)");
  EXPECT_EQ(one_error("interface lo\n ip address 10.0.0.1/32\nexit\n"),
            "evpnd.conf:1: ERROR: 'interface' stanzas are zebra's and not supported by evpnd (the stanza is skipped)");
}

TEST(ConfigErrors, AllErrorsAreCollectedAndNothingIsApplied) {
  auto r = parse_config("router bgp 65000\n neighbor 10.0.0.1 remote-as 1\n bgp router-id 1.2.3\n"
                        " neighbor 10.0.0.1 timers 9 3\n neighbor 10.0.0.1 passive\n bogus\n");
  ASSERT_FALSE(r.ok());  // no partial config comes back: the caller keeps its running one
  ASSERT_EQ(r.error().size(), 3u);
  EXPECT_EQ(r.error()[0].line, 3u);
  EXPECT_EQ(r.error()[1].line, 4u);
  EXPECT_EQ(r.error()[2].line, 6u);
}

TEST(ConfigErrors, UnreadableFile) {
  auto r = parse_config_file("/nonexistent/evpnd.conf");
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.error().size(), 1u);
  EXPECT_EQ(r.error()[0].line, 0u);
  EXPECT_EQ(to_string(r.error()[0]),
            "/nonexistent/evpnd.conf: ERROR: cannot read the config file: No such file or directory");
}

TEST(ConfigParser, OnlyTheNamedFrrLinesAreAccepted) {
  // Not in the accepted list: an error, not a silent skip.
  EXPECT_EQ(one_error("no ipv6 forwarding\n"),
            "evpnd.conf:1: ERROR: unknown command 'no ipv6 forwarding' (expected one of: hostname, frr, log, "
            "service, line, router, exit, end)");
  EXPECT_EQ(one_error(in_router(" bgp bestpath as-path multipath-relax\n")),
            "evpnd.conf:2: ERROR: unexpected 'bestpath' in 'bgp bestpath as-path multipath-relax' (expected one "
            "of: router-id, cluster-id, default, ebgp-requires-policy, graceful-restart, log-neighbor-changes, evpn)");
  // FRR's default, always on in evpnd: accepted without a warning.
  auto logged = parse_config(in_router(" bgp log-neighbor-changes\n"));
  ASSERT_TRUE(logged.ok());
  EXPECT_TRUE(logged->ignored.empty());
  auto ok = parse_config("! comment\n# comment\n\n   \nline vty\n exec-timeout 0 0\n!\n");
  ASSERT_TRUE(ok.ok()) << to_string(ok.error().front());
  ASSERT_EQ(ok->ignored.size(), 1u);
}

}  // namespace
}  // namespace evpnd::cli
