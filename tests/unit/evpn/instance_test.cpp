// EVPN instances: FRR's auto RD/RT derivation and its import rule (evpn/instance.hpp).
#include "evpn/instance.hpp"

#include <gtest/gtest.h>

#include "evpn/importer.hpp"

namespace evpnd::evpn {
namespace {

using bgp::wire::Asn;
using bgp::wire::IpAddress;
using bgp::wire::RouterId;

Vni vni(std::uint32_t v) { return *Vni::make(v); }
VniConfig plain(std::uint32_t v) {
  VniConfig c;
  c.vni = vni(v);
  return c;
}
const InstanceContext kCtx{Asn{65002}, RouterId{0x0A000002}, AutoRtForm::Frr};

TEST(AutoRouteTarget, FrrFormUsesTheLow16BitsOfTheAs) {
  EXPECT_EQ(auto_route_target(vni(100), Asn{65001}, AutoRtForm::Frr), RouteTarget::as2(65001, 100));
  // 4200000001 & 0xFFFF = 0x5E01 + ... : FRR keeps a 2-octet-AS RT even for a 4-octet AS.
  EXPECT_EQ(auto_route_target(vni(100), Asn{4200000001u}, AutoRtForm::Frr),
            RouteTarget::as2(static_cast<std::uint16_t>(4200000001u & 0xFFFF), 100));
}

TEST(AutoRouteTarget, Rfc8365FormSetsTheVxlanTypeInTheLocalPart) {
  EXPECT_EQ(auto_route_target(vni(100), Asn{65001}, AutoRtForm::Rfc8365), RouteTarget::as2(65001, 0x10000064));
}

TEST(AutoRouteTarget, As4FormHoldsOnlySixteenBitVnis) {
  EXPECT_EQ(auto_route_target(vni(100), Asn{4200000001u}, AutoRtForm::As4), RouteTarget::as4(4200000001u, 100));
  EXPECT_EQ(auto_route_target(vni(70000), Asn{65001}, AutoRtForm::As4), std::nullopt);
}

TEST(ResolveInstance, DerivesRdAndRtWhenNoneIsConfigured) {
  const auto i = resolve_instance(plain(100), kCtx, 2);
  EXPECT_EQ(i.rd.to_string(), "10.0.0.2:2");
  EXPECT_TRUE(i.rd_auto);
  EXPECT_EQ(i.import_rts, std::vector{RouteTarget::as2(65002, 100)});
  EXPECT_EQ(i.export_rts, std::vector{RouteTarget::as2(65002, 100)});
  EXPECT_TRUE(i.import_auto);
}

TEST(ResolveInstance, ConfiguredValuesReplaceTheDerivedOnesPerDirection) {
  auto c = plain(100);
  c.rd = RouteDistinguisher::parse("65002:7");
  c.import_rts = {RouteTarget::as2(65000, 1)};
  const auto i = resolve_instance(c, kCtx, 2);
  EXPECT_EQ(i.rd.to_string(), "65002:7");
  EXPECT_FALSE(i.rd_auto);
  EXPECT_EQ(i.import_rts, std::vector{RouteTarget::as2(65000, 1)});
  EXPECT_FALSE(i.import_auto);
  EXPECT_EQ(i.export_rts, std::vector{RouteTarget::as2(65002, 100)});  // still derived
  EXPECT_TRUE(i.export_auto);
}

TEST(Imports, AutoImportMatchesTheLocalPartFromAnyAs) {
  const auto i = resolve_instance(plain(100), kCtx, 2);
  const std::vector from_other_as{RouteTarget::as2(65001, 100)};
  const std::vector four_octet{RouteTarget::as4(4200000001u, 100)};
  const std::vector other_vni{RouteTarget::as2(65002, 200)};
  EXPECT_TRUE(imports(i, from_other_as));
  EXPECT_TRUE(imports(i, four_octet));
  EXPECT_FALSE(imports(i, other_vni));
  EXPECT_FALSE(imports(i, std::span<const RouteTarget>{}));
}

TEST(Imports, ConfiguredImportMatchesExactly) {
  auto c = plain(100);
  c.import_rts = {RouteTarget::as2(65000, 100)};
  const auto i = resolve_instance(c, kCtx, 2);
  const std::vector exact{RouteTarget::as2(65000, 100)};
  const std::vector same_local_part{RouteTarget::as2(65001, 100)};
  EXPECT_TRUE(imports(i, exact));
  EXPECT_FALSE(imports(i, same_local_part));
}

TEST(RdIndexes, LowestFreeFromTwoKeptPerVniReusedAfterRelease) {
  RdIndexes r;
  EXPECT_EQ(r.assign(vni(100)), 2);
  EXPECT_EQ(r.assign(vni(200)), 3);
  EXPECT_EQ(r.assign(vni(100)), 2);
  r.release(vni(100));
  EXPECT_EQ(r.find(vni(100)), std::nullopt);
  EXPECT_EQ(r.assign(vni(300)), 2);
  EXPECT_EQ(r.assign(vni(400)), 4);
}

MacIpRouteKey mac_key(std::string_view rd, std::uint8_t last) {
  MacIpRouteKey k;
  k.rd = *RouteDistinguisher::parse(rd);
  k.mac.bytes = {0x02, 0, 0, 0, 0, last};
  return k;
}

TEST(Importer, PlacesByRouteTargetNeverByRd) {
  Importer imp;
  imp.set_instances({resolve_instance(plain(100), kCtx, 2), resolve_instance(plain(200), kCtx, 3)});
  std::vector<ImportChange> out;
  const ImportedPath path{*IpAddress::parse("10.0.0.1"), 0, false};
  const std::vector rt100{RouteTarget::as2(65001, 100)};
  // The RD names VNI 200's instance on the sender; the RT says 100: it goes to 100.
  imp.apply(mac_key("10.0.0.1:3", 1), path, rt100, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].vni, vni(100));
  EXPECT_EQ(out[0].path, path);
  EXPECT_EQ(imp.imported_count(vni(100)), 1u);
}

TEST(Importer, ReportsOnlyWhatChangesAndLeavesVnisTheRouteNoLongerMatches) {
  Importer imp;
  imp.set_instances({resolve_instance(plain(100), kCtx, 2), resolve_instance(plain(200), kCtx, 3)});
  std::vector<ImportChange> out;
  const auto key = mac_key("10.0.0.1:2", 1);
  const ImportedPath p1{*IpAddress::parse("10.0.0.1"), 0, false};
  const std::vector both{RouteTarget::as2(65001, 100), RouteTarget::as2(65001, 200)};
  const std::vector only200{RouteTarget::as2(65001, 200)};
  imp.apply(key, p1, both, out);
  EXPECT_EQ(out.size(), 2u);
  out.clear();
  imp.apply(key, p1, both, out);  // the same again: nothing
  EXPECT_TRUE(out.empty());
  imp.apply(key, p1, only200, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].vni, vni(100));
  EXPECT_FALSE(out[0].path);
  out.clear();
  const ImportedPath p2{*IpAddress::parse("10.0.0.3"), 1, false};
  imp.apply(key, p2, only200, out);  // moved: the new path for 200
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].path, p2);
  out.clear();
  imp.apply(key, std::nullopt, {}, out);  // withdrawn
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].vni, vni(200));
  EXPECT_FALSE(out[0].path);
  EXPECT_EQ(imp.imported_count(vni(200)), 0u);
}

// The importer looks instances up by the targets' local-admin part; an explicit import RT
// that shares it with a route's target but not its AS still does not match, and a
// route matching several instances lands in each, in instance order.
TEST(Importer, ExplicitTargetsStayExactAndEveryMatchingInstanceImports) {
  Importer imp;
  auto explicit300 = plain(300);
  explicit300.import_rts = {RouteTarget::as2(65009, 100)};
  imp.set_instances({resolve_instance(plain(100), kCtx, 2), resolve_instance(plain(200), kCtx, 3),
                     resolve_instance(explicit300, kCtx, 4)});
  std::vector<ImportChange> out;
  const ImportedPath path{*IpAddress::parse("10.0.0.1"), 0, false};
  imp.apply(mac_key("10.0.0.1:2", 1), path, std::vector{RouteTarget::as2(65001, 100)}, out);
  ASSERT_EQ(out.size(), 1u);  // auto 100 matches any AS; explicit 65009:100 does not
  EXPECT_EQ(out[0].vni, vni(100));
  out.clear();
  imp.apply(mac_key("10.0.0.1:2", 2), path,
            std::vector{RouteTarget::as2(65009, 100), RouteTarget::as2(65001, 200)}, out);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].vni, vni(100));
  EXPECT_EQ(out[1].vni, vni(200));
  EXPECT_EQ(out[2].vni, vni(300));
  out.clear();
  imp.apply(mac_key("10.0.0.1:2", 3), path, std::vector{RouteTarget::as2(65001, 999)}, out);
  EXPECT_TRUE(out.empty());
}

TEST(Importer, IgnoresRouteTypesWithoutAPerVniMeaning) {
  Importer imp;
  imp.set_instances({resolve_instance(plain(100), kCtx, 2)});
  std::vector<ImportChange> out;
  const std::vector rt{RouteTarget::as2(65001, 100)};
  imp.apply(EadRouteKey{}, ImportedPath{*IpAddress::parse("10.0.0.1"), 0, false}, rt, out);
  EXPECT_TRUE(out.empty());
}

}  // namespace
}  // namespace evpnd::evpn
