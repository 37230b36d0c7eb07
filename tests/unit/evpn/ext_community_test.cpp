// Extended communities: every one in the captures (typed, described as FRR does, re-encoded
// byte for byte), each EVPN type with hand-written bytes, RT parsing, and FRR's strings.
#include <gtest/gtest.h>

#include <map>
#include <unordered_set>

#include "capture_util.hpp"
#include "evpn/ext_community.hpp"
#include "support/testdata.hpp"

using namespace evpnd::evpn;
namespace wire = evpnd::bgp::wire;

namespace {

wire::ExtendedCommunity ec(std::array<std::uint8_t, 8> b) { return wire::ExtendedCommunity{b}; }

// Decode, check the type, describe, re-encode to the same bytes.
template <class T>
T check(const wire::ExtendedCommunity& c, const std::string& frr) {
  auto v = decode_ext_community(c);
  EXPECT_TRUE(std::holds_alternative<T>(v)) << "index " << v.index();
  EXPECT_EQ(encode_ext_community(v), c);
  EXPECT_EQ(describe(v), frr);
  EXPECT_EQ(describe(c), frr);
  if (!std::holds_alternative<T>(v)) return T{};
  return std::get<T>(v);
}

}  // namespace

TEST(ExtCommunityCaptures, EveryCapturedCommunity) {
  // Per the .hex header lines: wire order, and FRR's display (sorted) order.
  const std::map<std::string, std::pair<std::string, std::string>> want{
      {"frr_type2_mac.hex", {"ET:8 RT:65001:100", "RT:65001:100 ET:8"}},
      {"frr_type2_mac_mobility.hex", {"ET:8 RT:65001:100 MM:2", "RT:65001:100 ET:8 MM:2"}},
      {"frr_type2_mac_mobility_reflected.hex", {"RT:65002:100 ET:8 MM:1", "RT:65002:100 ET:8 MM:1"}},
      {"frr_type2_mac_reflected.hex", {"RT:65002:100 ET:8", "RT:65002:100 ET:8"}},
      {"frr_type2_macip.hex", {"ET:8 RT:65001:100", "RT:65001:100 ET:8"}},
      {"frr_type2_macip_reflected.hex", {"RT:65002:100 ET:8", "RT:65002:100 ET:8"}},
      {"frr_type3_pmsi.hex", {"ET:8 RT:65001:100", "RT:65001:100 ET:8"}},
      {"frr_type3_pmsi_reflected.hex", {"RT:65002:100 ET:8", "RT:65002:100 ET:8"}},
      {"gobgp_type2_mac.hex", {"RT:65002:100 ET:8", "RT:65002:100 ET:8"}},
      {"gobgp_type2_mac_mobility.hex", {"RT:65002:100 ET:8 MM:1", "RT:65002:100 ET:8 MM:1"}},
      {"gobgp_type2_macip.hex", {"RT:65002:100 ET:8", "RT:65002:100 ET:8"}},
      {"gobgp_type3_pmsi.hex", {"RT:65002:100 ET:8", "RT:65002:100 ET:8"}},
  };
  for (const auto& [name, strings] : want) {
    auto msg = evpnd::test::testdata(name);
    auto cap = evpnd::test::parse_capture(msg);
    ASSERT_FALSE(cap.ext_communities.empty()) << name;
    EXPECT_EQ(describe_all(cap.ext_communities), strings.first) << name;
    EXPECT_EQ(describe_all(cap.ext_communities, DescribeOrder::FrrSorted), strings.second) << name;
    for (const auto& c : cap.ext_communities) {
      auto v = decode_ext_community(c);
      EXPECT_FALSE(std::holds_alternative<UnknownExtCommunity>(v)) << name;
      EXPECT_EQ(encode_ext_community(v), c) << name;
    }
    // Field values: the RT is AS:VNI (FRR's auto RT), encapsulation VXLAN.
    auto rts = route_targets(cap.ext_communities);
    ASSERT_EQ(rts.size(), 1u) << name;
    EXPECT_EQ(rts[0].format, RouteTarget::Format::As2);
    EXPECT_TRUE(rts[0].global_admin == 65001 || rts[0].global_admin == 65002);
    EXPECT_EQ(rts[0].local_admin, 100u);
    auto encap = find_ext_community<Encapsulation>(cap.ext_communities);
    ASSERT_TRUE(encap) << name;
    EXPECT_EQ(encap->tunnel_type, Encapsulation::kVxlan);
    auto mm = find_ext_community<MacMobility>(cap.ext_communities);
    EXPECT_EQ(mm.has_value(), name.find("mobility") != std::string::npos) << name;
    if (mm) {
      EXPECT_FALSE(mm->sticky);
      EXPECT_EQ(mm->sequence, name == "frr_type2_mac_mobility.hex" ? 2u : 1u);
    }
  }
}

TEST(ExtCommunity, RouteTargetThreeFormats) {
  auto as2 = check<RouteTarget>(ec({0x00, 0x02, 0xfd, 0xe9, 0x00, 0x00, 0x00, 0x64}), "RT:65001:100");
  EXPECT_EQ(as2, RouteTarget::as2(65001, 100));
  auto ip = check<RouteTarget>(ec({0x01, 0x02, 10, 0, 0, 1, 0x00, 0x05}), "RT:10.0.0.1:5");
  EXPECT_EQ(ip, RouteTarget::ipv4(0x0a000001, 5));
  auto as4 = check<RouteTarget>(ec({0x02, 0x02, 0xfa, 0x56, 0xea, 0x00, 0x00, 0x64}), "RT:4200000000:100");
  EXPECT_EQ(as4, RouteTarget::as4(4200000000u, 100));
  // Junos RFC 8365 auto-RT style: 65000:268535469 (INTEROP.md §6), 32-bit local admin.
  check<RouteTarget>(RouteTarget::as2(65000, 268535469).encode(), "RT:65000:268535469");
}

TEST(ExtCommunity, RouteTargetParse) {
  EXPECT_EQ(RouteTarget::parse("65001:100"), RouteTarget::as2(65001, 100));
  EXPECT_EQ(RouteTarget::parse("10.0.0.1:5"), RouteTarget::ipv4(0x0a000001, 5));
  EXPECT_EQ(RouteTarget::parse("4200000000:100"), RouteTarget::as4(4200000000u, 100));
  EXPECT_EQ(RouteTarget::parse("65000:268535469"), RouteTarget::as2(65000, 268535469));
  for (const char* bad : {"", "65001", "4200000000:65536", "10.0.0.1:70000", "x:1", "65001:100:1", "*:100"})
    EXPECT_FALSE(RouteTarget::parse(bad)) << bad;
  for (const char* text : {"65001:100", "10.0.0.1:5", "4200000000:100"})
    EXPECT_EQ(RouteTarget::parse(text)->to_string(), text);
  std::unordered_set<RouteTarget> s{*RouteTarget::parse("65001:100"), *RouteTarget::parse("65001:100"),
                                    *RouteTarget::parse("65002:100")};
  EXPECT_EQ(s.size(), 2u);
}

TEST(ExtCommunity, EncapsulationAndDefaultGateway) {
  auto e = check<Encapsulation>(ec({0x03, 0x0c, 0, 0, 0, 0, 0x00, 0x08}), "ET:8");
  EXPECT_EQ(e.tunnel_type, 8);
  EXPECT_EQ(Encapsulation{}.encode(), ec({0x03, 0x0c, 0, 0, 0, 0, 0x00, 0x08}));
  check<Encapsulation>(ec({0x03, 0x0c, 0, 0, 0, 0, 0x00, 0x0a}), "ET:10");
  check<DefaultGateway>(ec({0x03, 0x0d, 0, 0, 0, 0, 0, 0}), "Default Gateway");
}

TEST(ExtCommunity, MacMobility) {
  auto m = check<MacMobility>(ec({0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05}), "MM:5");
  EXPECT_FALSE(m.sticky);
  EXPECT_EQ(m.sequence, 5u);
  auto s = check<MacMobility>(ec({0x06, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x05}), "MM:5, sticky MAC");
  EXPECT_TRUE(s.sticky);
  check<MacMobility>(MacMobility{true, 0}.encode(), "MM:0, sticky MAC");
  check<MacMobility>(MacMobility{false, 0xFFFFFFFF}.encode(), "MM:4294967295");
  EXPECT_EQ((MacMobility{true, 0x01020304}.encode()), ec({0x06, 0x00, 0x01, 0x00, 0x01, 0x02, 0x03, 0x04}));
  // Reserved bits are ignored on decode (and so are not re-encoded).
  auto r = MacMobility::decode(ec({0x06, 0x00, 0x03, 0xff, 0, 0, 0, 1}));
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->sticky);
  EXPECT_EQ(r->encode(), ec({0x06, 0x00, 0x01, 0x00, 0, 0, 0, 1}));
}

TEST(ExtCommunity, RouterMacEsImportEsiLabel) {
  auto rm = check<RouterMac>(ec({0x06, 0x03, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff}), "Rmac:aa:bb:cc:dd:ee:ff");
  EXPECT_EQ(rm.mac.to_string(), "aa:bb:cc:dd:ee:ff");
  auto imp = check<EsImportRouteTarget>(ec({0x06, 0x02, 0x44, 0x38, 0x39, 0xff, 0xff, 0x01}),
                                        "ES-Import-Rt:44:38:39:ff:ff:01");
  EXPECT_EQ(imp.mac.to_string(), "44:38:39:ff:ff:01");
  auto sa = check<EsiLabel>(ec({0x06, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x64}), "ESI-label-Rt:SA");
  EXPECT_TRUE(sa.single_active);
  EXPECT_EQ(sa.label.raw, 100u);
  auto aa = check<EsiLabel>(ec({0x06, 0x01, 0x00, 0x00, 0x00, 0x01, 0x86, 0xa1}), "ESI-label-Rt:AA");
  EXPECT_FALSE(aa.single_active);
  EXPECT_EQ(aa.label.raw, 0x0186a1u);
}

TEST(ExtCommunity, DfElectionAndArpNd) {
  auto df = check<DfElection>(ec({0x06, 0x06, 0x02, 0x00, 0x00, 0x00, 0x7f, 0xff}), "DF: (alg: 2, pref: 32767)");
  EXPECT_EQ(df.algorithm, 2);
  EXPECT_EQ(df.preference, 32767);
  check<DfElection>(ec({0x06, 0x06, 0x01, 0x00, 0x02, 0x00, 0x00, 0x64}), "DF: (alg: 1, bmap: 0x2 pref: 100)");
  check<ArpNd>(ec({0x06, 0x08, 0x01, 0, 0, 0, 0, 0}), "ND:Router Flag");
  check<ArpNd>(ec({0x06, 0x08, 0x04, 0, 0, 0, 0, 0}), "ND:Proxy");
  check<ArpNd>(ec({0x06, 0x08, 0x05, 0, 0, 0, 0, 0}), "ND:Proxy");  // FRR: proxy overwrites router
  check<ArpNd>(ec({0x06, 0x08, 0x02, 0, 0, 0, 0, 0}), "");          // FRR prints nothing
}

TEST(ExtCommunity, UnknownAndSiteOfOrigin) {
  check<UnknownExtCommunity>(ec({0x00, 0x03, 0xfd, 0xe9, 0, 0, 0, 1}), "SoO:65001:1");
  check<UnknownExtCommunity>(ec({0x01, 0x03, 100, 64, 0, 0, 0x03, 0x09}), "SoO:100.64.0.0:777");
  check<UnknownExtCommunity>(ec({0x40, 0x04, 0xfd, 0xe9, 0, 0, 0, 1}), "UNK:64, 4");
  check<UnknownExtCommunity>(ec({0x06, 0x0f, 0, 0, 0, 0, 0, 0}), "UNK:6, 15");
  check<UnknownExtCommunity>(ec({0x03, 0x0b, 0, 0, 0, 0, 0, 0}), "UNK:3, 11");
  check<UnknownExtCommunity>(ec({0x42, 0x02, 0, 0, 0, 1, 0, 1}), "UNK:66, 2");  // non-transitive is no RT
  EXPECT_FALSE(RouteTarget::decode(ec({0x42, 0x02, 0, 0, 0, 1, 0, 1})));
}

TEST(ExtCommunity, DescribeAllKeepsWireOrderOrSortsLikeFrr) {
  std::vector<wire::ExtendedCommunity> cs{Encapsulation{}.encode(), RouteTarget::as2(65000, 101).encode(),
                                          RouterMac{*MacAddress::parse("52:54:00:00:11:11")}.encode(),
                                          RouteTarget::as2(65000, 101).encode()};
  EXPECT_EQ(describe_all(cs), "ET:8 RT:65000:101 Rmac:52:54:00:00:11:11 RT:65000:101");
  // The string in FRR's topotest JSON (bgp_evpn_rt5).
  EXPECT_EQ(describe_all(cs, DescribeOrder::FrrSorted), "RT:65000:101 ET:8 Rmac:52:54:00:00:11:11");
  EXPECT_EQ(describe_all({}), "");
}
