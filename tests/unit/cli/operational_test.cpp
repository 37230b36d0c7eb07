// parse_originate: the arguments of `test evpn originate|withdraw macip|multicast ...`,
// each one's effect on the route and attributes, and every error message.
#include <gtest/gtest.h>

#include "cli/operational.hpp"
#include "evpn/ext_community.hpp"

namespace evpnd::cli {
namespace {

namespace wire = bgp::wire;
using Args = std::vector<std::string>;

wire::IpAddress ip(const char* s) { return *wire::IpAddress::parse(s); }

std::string error_of(std::string_view kind, const Args& args, bool withdraw = false) {
  auto r = parse_originate(kind, args, withdraw);
  return r ? "(parsed)" : r.error();
}

const Args kMacip = {"rd", "10.0.0.1:2", "mac", "02:00:00:00:01:01", "label", "100", "nexthop", "10.0.0.1",
                     "rt", "65001:100"};
const Args kMulticast = {"rd", "10.0.0.1:2", "orig", "10.0.0.1", "label", "100", "rt", "65001:100"};

Args with(Args base, const Args& more) {
  base.insert(base.end(), more.begin(), more.end());
  return base;
}

std::vector<evpn::ExtCommunityValue> ext(const wire::PathAttributes& a) {
  std::vector<evpn::ExtCommunityValue> v;
  for (const auto& c : a.extended_communities) v.push_back(evpn::decode_ext_community(c));
  return v;
}

TEST(ParseOriginate, MinimalMacRoute) {
  auto r = parse_originate("macip", kMacip, false);
  ASSERT_TRUE(r) << r.error();
  const auto& m = std::get<evpn::MacIpRoute>(r->nlri.route);
  EXPECT_EQ(m.rd.to_string(), "10.0.0.1:2");
  EXPECT_EQ(m.mac.to_string(), "02:00:00:00:01:01");
  EXPECT_FALSE(m.ip);
  EXPECT_EQ(m.label1.raw, 100u);
  EXPECT_FALSE(m.label2);
  EXPECT_EQ(m.etag.value, 0u);
  EXPECT_TRUE(m.esi.is_zero());
  EXPECT_FALSE(r->nlri.path_id);

  const auto& a = r->attrs;
  EXPECT_EQ(a.origin, wire::Origin::Igp);
  ASSERT_TRUE(a.mp_reach);
  EXPECT_EQ(a.mp_reach->family, wire::AfiSafi::l2vpn_evpn());
  EXPECT_EQ(a.mp_reach->next_hop, (wire::ByteVec{10, 0, 0, 1}));
  EXPECT_TRUE(a.mp_reach->nlri.empty());
  EXPECT_FALSE(a.as_path);    // added per peer
  EXPECT_FALSE(a.local_pref);  // likewise
  EXPECT_FALSE(a.pmsi_tunnel);
  EXPECT_EQ(ext(a), (std::vector<evpn::ExtCommunityValue>{evpn::RouteTarget::as2(65001, 100),
                                                          evpn::Encapsulation{evpn::Encapsulation::kVxlan}}));
}

TEST(ParseOriginate, EveryMacipArgument) {
  const Args args = {"rd",         "65001:7",         "mac",     "02:aa:bb:cc:dd:ee",
                     "ip",         "fd00::5",         "label",   "16777215",
                     "label2",     "5000",            "etag",    "4294967295",
                     "esi",        "00:11:22:33:44:55:66:77:88:99",
                     "nexthop",    "2001:db8::1",     "rt",      "65001:100",
                     "rt",         "10.0.0.1:5",      "rt",      "4200000000:9",
                     "seq",        "7",               "sticky",  "router-mac",
                     "02:00:00:00:00:99",             "default-gateway"};
  auto r = parse_originate("macip", args, false);
  ASSERT_TRUE(r) << r.error();
  const auto& m = std::get<evpn::MacIpRoute>(r->nlri.route);
  EXPECT_EQ(m.rd.to_string(), "65001:7");
  EXPECT_EQ(m.mac.to_string(), "02:aa:bb:cc:dd:ee");
  EXPECT_EQ(m.ip, ip("fd00::5"));
  EXPECT_EQ(m.label1.raw, 16777215u);
  ASSERT_TRUE(m.label2);
  EXPECT_EQ(m.label2->raw, 5000u);
  EXPECT_EQ(m.etag.value, 4294967295u);
  EXPECT_EQ(m.esi.to_string(), "00:11:22:33:44:55:66:77:88:99");
  const auto nh = ip("2001:db8::1");
  EXPECT_EQ(r->attrs.mp_reach->next_hop, wire::ByteVec(nh.data(), nh.data() + 16));
  // RTs in the order given, then VXLAN, MAC mobility, router MAC, default gateway.
  EXPECT_EQ(ext(r->attrs),
            (std::vector<evpn::ExtCommunityValue>{
                evpn::RouteTarget::as2(65001, 100), evpn::RouteTarget::ipv4(0x0a000001, 5),
                evpn::RouteTarget::as4(4200000000u, 9), evpn::Encapsulation{evpn::Encapsulation::kVxlan},
                evpn::MacMobility{true, 7}, evpn::RouterMac{*evpn::MacAddress::parse("02:00:00:00:00:99")},
                evpn::DefaultGateway{}}));
}

TEST(ParseOriginate, MacMobilityOnlyWhenAsked) {
  auto seq0 = parse_originate("macip", with(kMacip, {"seq", "0"}), false);
  ASSERT_TRUE(seq0);
  EXPECT_FALSE(evpn::find_ext_community<evpn::MacMobility>(seq0->attrs.extended_communities));
  auto seq3 = parse_originate("macip", with(kMacip, {"seq", "3"}), false);
  ASSERT_TRUE(seq3);
  EXPECT_EQ(evpn::find_ext_community<evpn::MacMobility>(seq3->attrs.extended_communities),
            (evpn::MacMobility{false, 3}));
  auto sticky = parse_originate("macip", with(kMacip, {"sticky"}), false);
  ASSERT_TRUE(sticky);
  EXPECT_EQ(evpn::find_ext_community<evpn::MacMobility>(sticky->attrs.extended_communities),
            (evpn::MacMobility{true, 0}));
}

TEST(ParseOriginate, MulticastRoute) {
  auto r = parse_originate("multicast", kMulticast, false);
  ASSERT_TRUE(r) << r.error();
  const auto& im = std::get<evpn::ImetRoute>(r->nlri.route);
  EXPECT_EQ(im.rd.to_string(), "10.0.0.1:2");
  EXPECT_EQ(im.etag.value, 0u);
  EXPECT_EQ(im.originating_ip, ip("10.0.0.1"));
  // The next hop defaults to the originating IP; PMSI ingress replication to it, label = VNI.
  EXPECT_EQ(r->attrs.mp_reach->next_hop, (wire::ByteVec{10, 0, 0, 1}));
  ASSERT_TRUE(r->attrs.pmsi_tunnel);
  EXPECT_EQ(r->attrs.pmsi_tunnel->flags, 0u);
  EXPECT_EQ(r->attrs.pmsi_tunnel->tunnel_type, wire::PmsiTunnel::kIngressReplication);
  EXPECT_EQ(r->attrs.pmsi_tunnel->label, 100u);
  EXPECT_EQ(r->attrs.pmsi_tunnel->tunnel_id, (wire::ByteVec{10, 0, 0, 1}));
  EXPECT_EQ(ext(r->attrs), (std::vector<evpn::ExtCommunityValue>{evpn::RouteTarget::as2(65001, 100),
                                                                 evpn::Encapsulation{evpn::Encapsulation::kVxlan}}));
}

TEST(ParseOriginate, MulticastWithEtagAndOwnNexthop) {
  auto r = parse_originate("multicast", with(kMulticast, {"etag", "100", "nexthop", "10.9.9.9"}), false);
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(std::get<evpn::ImetRoute>(r->nlri.route).etag.value, 100u);
  EXPECT_EQ(r->attrs.mp_reach->next_hop, (wire::ByteVec{10, 9, 9, 9}));
  // The tunnel stays the originating router's address.
  EXPECT_EQ(r->attrs.pmsi_tunnel->tunnel_id, (wire::ByteVec{10, 0, 0, 1}));
}

TEST(ParseOriginate, WithdrawNeedsOnlyTheKey) {
  auto w = parse_originate("macip", {"rd", "10.0.0.1:2", "mac", "02:00:00:00:01:01", "ip", "192.168.100.1"}, true);
  ASSERT_TRUE(w) << w.error();
  const auto& m = std::get<evpn::MacIpRoute>(w->nlri.route);
  EXPECT_EQ(m.ip, ip("192.168.100.1"));
  EXPECT_EQ(w->attrs, wire::PathAttributes{});
  auto wm = parse_originate("multicast", {"rd", "10.0.0.1:2", "orig", "10.0.0.1"}, true);
  ASSERT_TRUE(wm) << wm.error();
  EXPECT_EQ(std::get<evpn::ImetRoute>(wm->nlri.route).originating_ip, ip("10.0.0.1"));
  // Arguments are still checked on withdraw.
  EXPECT_EQ(error_of("macip", {"rd", "10.0.0.1:2", "mac", "zz"}, true), "bad MAC address 'zz'");
  EXPECT_EQ(error_of("macip", {"mac", "02:00:00:00:01:01"}, true), "missing 'rd'");
}

TEST(ParseOriginate, ValueErrors) {
  struct Case {
    std::string key, value, message;
  };
  const std::vector<Case> cases = {
      {"rd", "10.0.0.1", "bad route distinguisher '10.0.0.1'"},
      {"rd", "70000:70000", "bad route distinguisher '70000:70000'"},
      {"mac", "02:00:00:00:01", "bad MAC address '02:00:00:00:01'"},
      {"router-mac", "nope", "bad router MAC 'nope'"},
      {"ip", "192.168.1", "bad IP address '192.168.1'"},
      {"orig", "x", "bad originating IP 'x'"},
      {"nexthop", "10.0.0.256", "bad next hop '10.0.0.256'"},
      {"label", "16777216", "bad label (0-16777215) '16777216'"},
      {"label", "-1", "bad label (0-16777215) '-1'"},
      {"label", "10x", "bad label (0-16777215) '10x'"},
      {"label2", "16777216", "bad label2 (0-16777215) '16777216'"},
      {"label2", "", "bad label2 (0-16777215) ''"},
      {"etag", "4294967296", "bad Ethernet Tag '4294967296'"},
      {"etag", "0x10", "bad Ethernet Tag '0x10'"},
      {"seq", "-2", "bad MAC mobility sequence '-2'"},
      {"esi", "00:11:22", "bad ESI '00:11:22'"},
      {"rt", "65001", "bad route target '65001'"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.key + " " + c.value);
    // The bad value wins over anything missing later.
    EXPECT_EQ(error_of("macip", with(kMacip, {c.key, c.value})), c.message);
    EXPECT_EQ(error_of("multicast", {c.key, c.value}), c.message);
  }
}

TEST(ParseOriginate, StructureErrors) {
  EXPECT_EQ(error_of("macip", with(kMacip, {"label"})), "'label' needs a value");
  EXPECT_EQ(error_of("macip", {"rd"}), "'rd' needs a value");
  EXPECT_EQ(error_of("macip", with(kMacip, {"colour", "blue"})), "unknown argument 'colour'");
  EXPECT_EQ(error_of("macip", with(kMacip, {"10.0.0.1"})), "unknown argument '10.0.0.1'");
  EXPECT_EQ(error_of("macip", {}), "missing 'rd'");
  EXPECT_EQ(error_of("macip", {"mac", "02:00:00:00:01:01"}), "missing 'rd'");
  EXPECT_EQ(error_of("macip", {"rd", "10.0.0.1:2"}), "missing 'mac'");
  EXPECT_EQ(error_of("multicast", {"rd", "10.0.0.1:2"}), "missing 'orig'");
  EXPECT_EQ(error_of("macip", {"rd", "10.0.0.1:2", "mac", "02:00:00:00:01:01", "nexthop", "10.0.0.1", "rt", "1:1"}),
            "missing 'label' (the VNI)");
  EXPECT_EQ(error_of("macip", {"rd", "10.0.0.1:2", "mac", "02:00:00:00:01:01", "label", "100", "rt", "1:1"}),
            "missing 'nexthop' (the VTEP address)");
  EXPECT_EQ(error_of("macip", {"rd", "10.0.0.1:2", "mac", "02:00:00:00:01:01", "label", "100", "nexthop", "10.0.0.1"}),
            "missing 'rt'");
  EXPECT_EQ(error_of("multicast", {"rd", "10.0.0.1:2", "orig", "10.0.0.1", "rt", "1:1"}),
            "missing 'label' (the VNI)");
  EXPECT_EQ(error_of("multicast", {"rd", "10.0.0.1:2", "orig", "10.0.0.1", "label", "100"}), "missing 'rt'");
}

TEST(ParseOriginate, CountIsForMacRoutes) {
  auto r = parse_originate("macip", with(kMacip, {"count", "1000"}), false);
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->count, 1000u);
  EXPECT_EQ(error_of("macip", with(kMacip, {"count", "0"})), "bad count (1-10000000) '0'");
  EXPECT_EQ(error_of("multicast", with(kMulticast, {"count", "2"})), "'count' is for macip routes");
}

// The test hooks exist only when evpnd runs with --enable-test-commands (m1-tests §0.7):
// without it `test evpn ...` is an unknown command, not a refused one.
TEST(OperationalTree, TestHooksOnlyWhenEnabled) {
  const auto line = tokenize("test evpn originate macip rd 10.0.0.1:2 mac 02:00:00:00:01:01");
  const auto plain = operational_tree(false).match(Context::Config, line);
  ASSERT_TRUE(std::holds_alternative<MatchFailure>(plain));
  EXPECT_EQ(std::get<MatchFailure>(plain).kind, MatchFailure::Kind::Unknown);
  EXPECT_TRUE(std::holds_alternative<Invocation>(operational_tree(true).match(Context::Config, line)));
  EXPECT_TRUE(operational_tree(false).completions(Context::Config, "te").empty());
  EXPECT_EQ(operational_tree(true).completions(Context::Config, "te"), std::vector<std::string>{"test"});
  EXPECT_TRUE(operational_tree(false).defects().empty()) << operational_tree(false).defects().front();
  EXPECT_TRUE(operational_tree(true).defects().empty());
}

TEST(OperationalTree, ClearBgpForms) {
  for (const char* ok : {"clear bgp *", "clear bgp 10.0.0.1", "clear bgp 2001:db8::1 soft", "clear bgp * soft in",
                         "clear bgp 10.0.0.1 soft out"}) {
    const auto m = operational_tree(false).match(Context::Config, tokenize(ok));
    ASSERT_TRUE(std::holds_alternative<Invocation>(m)) << ok;
    EXPECT_FALSE(std::get<Invocation>(m).invalid) << ok;
  }
  EXPECT_TRUE(std::holds_alternative<MatchFailure>(operational_tree(false).match(Context::Config, tokenize("clear bgp"))));
}

}  // namespace
}  // namespace evpnd::cli
