// Every EVPN NLRI in the FRR 8.4.4 and GoBGP 3.10.0 captures: decoded field by field against
// the .hex header line, re-encoded byte for byte, and printed as FRR prints it.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>
#include <string>

#include "capture_util.hpp"
#include "evpn/nlri.hpp"
#include "support/testdata.hpp"

using namespace evpnd::evpn;
namespace wire = evpnd::bgp::wire;

namespace {

RouteDistinguisher rd(const char* text) { return *RouteDistinguisher::parse(text); }
MacAddress mac(const char* text) { return *MacAddress::parse(text); }
wire::IpAddress ip(const char* text) { return *wire::IpAddress::parse(text); }

EvpnNlri macip(const char* r, const char* m, std::optional<const char*> addr, std::uint32_t label) {
  MacIpRoute route;
  route.rd = rd(r);
  route.mac = mac(m);
  if (addr) route.ip = ip(*addr);
  route.label1 = Label{label};
  return EvpnNlri{std::nullopt, route};
}

EvpnNlri imet(const char* r, const char* orig) {
  ImetRoute route;
  route.rd = rd(r);
  route.originating_ip = ip(orig);
  return EvpnNlri{std::nullopt, route};
}

struct Expected {
  std::uint8_t mp_type;  // 14 announce, 15 withdraw
  std::vector<EvpnNlri> nlri;
  std::vector<std::string> frr_strings;
};

// Transcribed from the '#' header line of each file.
const std::map<std::string, Expected>& expectations() {
  static const auto* table = new std::map<std::string, Expected>{
      {"frr_eor_evpn.hex", {15, {}, {}}},
      {"frr_type2_mac.hex",
       {14, {macip("10.0.0.1:2", "02:00:00:00:01:01", std::nullopt, 100)}, {"[2]:[0]:[48]:[02:00:00:00:01:01]"}}},
      {"frr_type2_mac_mobility.hex",
       {14,
        {macip("10.0.0.1:2", "02:00:00:00:01:01", std::nullopt, 100),
         macip("10.0.0.1:2", "02:00:00:00:01:01", "192.168.100.1", 100)},
        {"[2]:[0]:[48]:[02:00:00:00:01:01]", "[2]:[0]:[48]:[02:00:00:00:01:01]:[32]:[192.168.100.1]"}}},
      {"frr_type2_mac_mobility_reflected.hex",
       {14, {macip("10.0.0.2:100", "02:00:00:00:01:01", std::nullopt, 100)}, {"[2]:[0]:[48]:[02:00:00:00:01:01]"}}},
      {"frr_type2_mac_reflected.hex",
       {14, {macip("10.0.0.2:2", "02:00:00:00:02:02", std::nullopt, 100)}, {"[2]:[0]:[48]:[02:00:00:00:02:02]"}}},
      {"frr_type2_macip.hex",
       {14,
        {macip("10.0.0.1:2", "02:00:00:00:01:01", "192.168.100.1", 100)},
        {"[2]:[0]:[48]:[02:00:00:00:01:01]:[32]:[192.168.100.1]"}}},
      {"frr_type2_macip_reflected.hex",
       {14,
        {macip("10.0.0.2:2", "02:00:00:00:02:02", "192.168.100.2", 100)},
        {"[2]:[0]:[48]:[02:00:00:00:02:02]:[32]:[192.168.100.2]"}}},
      {"frr_type3_pmsi.hex", {14, {imet("10.0.0.1:2", "10.0.0.1")}, {"[3]:[0]:[32]:[10.0.0.1]"}}},
      {"frr_type3_pmsi_reflected.hex", {14, {imet("10.0.0.2:2", "10.0.0.2")}, {"[3]:[0]:[32]:[10.0.0.2]"}}},
      {"frr_withdraw_type2_mac.hex",
       {15,
        {macip("10.0.0.1:2", "02:00:00:00:01:01", "192.168.100.1", 0),
         macip("10.0.0.1:2", "02:00:00:00:01:01", std::nullopt, 0)},
        {"[2]:[0]:[48]:[02:00:00:00:01:01]:[32]:[192.168.100.1]", "[2]:[0]:[48]:[02:00:00:00:01:01]"}}},
      {"frr_withdraw_type2_mac_reflected.hex",
       {15, {macip("10.0.0.2:100", "02:00:00:00:01:01", std::nullopt, 0)}, {"[2]:[0]:[48]:[02:00:00:00:01:01]"}}},
      {"frr_withdraw_type2_macip.hex",
       {15,
        {macip("10.0.0.1:2", "02:00:00:00:01:01", "192.168.100.1", 0),
         macip("10.0.0.1:2", "02:00:00:00:01:01", std::nullopt, 0)},
        {"[2]:[0]:[48]:[02:00:00:00:01:01]:[32]:[192.168.100.1]", "[2]:[0]:[48]:[02:00:00:00:01:01]"}}},
      {"frr_withdraw_type2_macip_reflected.hex",
       {15,
        {macip("10.0.0.2:100", "02:00:00:00:02:02", "192.168.100.2", 0)},
        {"[2]:[0]:[48]:[02:00:00:00:02:02]:[32]:[192.168.100.2]"}}},
      {"frr_withdraw_type3_reflected.hex", {15, {imet("10.0.0.2:100", "10.0.0.2")}, {"[3]:[0]:[32]:[10.0.0.2]"}}},
      {"gobgp_type2_mac.hex",
       {14, {macip("10.0.0.2:100", "02:00:00:00:02:03", std::nullopt, 100)}, {"[2]:[0]:[48]:[02:00:00:00:02:03]"}}},
      {"gobgp_type2_mac_mobility.hex",
       {14, {macip("10.0.0.2:100", "02:00:00:00:01:01", std::nullopt, 100)}, {"[2]:[0]:[48]:[02:00:00:00:01:01]"}}},
      {"gobgp_type2_macip.hex",
       {14,
        {macip("10.0.0.2:100", "02:00:00:00:02:02", "192.168.100.2", 100)},
        {"[2]:[0]:[48]:[02:00:00:00:02:02]:[32]:[192.168.100.2]"}}},
      {"gobgp_type3_pmsi.hex", {14, {imet("10.0.0.2:100", "10.0.0.2")}, {"[3]:[0]:[32]:[10.0.0.2]"}}},
      {"gobgp_withdraw_type2_mac.hex",
       {15, {macip("10.0.0.2:100", "02:00:00:00:01:01", std::nullopt, 100)}, {"[2]:[0]:[48]:[02:00:00:00:01:01]"}}},
      {"gobgp_withdraw_type2_macip.hex",
       {15,
        {macip("10.0.0.2:100", "02:00:00:00:02:02", "192.168.100.2", 100)},
        {"[2]:[0]:[48]:[02:00:00:00:02:02]:[32]:[192.168.100.2]"}}},
      {"gobgp_withdraw_type3.hex", {15, {imet("10.0.0.2:100", "10.0.0.2")}, {"[3]:[0]:[32]:[10.0.0.2]"}}},
  };
  return *table;
}

}  // namespace

// Every capture that carries EVPN NLRI is in the table above (a new capture must be added).
TEST(EvpnCaptures, TableCoversEveryCaptureWithEvpnNlri) {
  std::set<std::string> with_nlri;
  for (const auto& entry : std::filesystem::directory_iterator(EVPND_TESTDATA_DIR)) {
    if (entry.path().extension() != ".hex") continue;
    const std::string name = entry.path().filename().string();
    auto msg = evpnd::test::testdata(name);
    auto cap = evpnd::test::parse_capture(msg);
    if (cap.mp_type) with_nlri.insert(name);
  }
  std::set<std::string> in_table;
  for (const auto& [name, e] : expectations()) in_table.insert(name);
  EXPECT_EQ(with_nlri, in_table);
  EXPECT_EQ(in_table.size(), 21u);
}

class EvpnCapture : public ::testing::TestWithParam<std::string> {};

TEST_P(EvpnCapture, DecodesFieldByFieldAndReencodesByteForByte) {
  const std::string name = GetParam();
  const Expected& want = expectations().at(name);
  auto msg = evpnd::test::testdata(name);
  auto cap = evpnd::test::parse_capture(msg);
  ASSERT_TRUE(cap.mp_type);
  EXPECT_EQ(*cap.mp_type, want.mp_type);

  auto decoded = decode_evpn_nlris(cap.nlri, false, cap.nlri_offset);
  ASSERT_TRUE(decoded.ok()) << decoded.error().reason;
  ASSERT_EQ(decoded->size(), want.nlri.size());
  for (std::size_t i = 0; i < want.nlri.size(); ++i) {
    const EvpnNlri& got = (*decoded)[i];
    const EvpnNlri& exp = want.nlri[i];
    EXPECT_FALSE(got.path_id.has_value());
    ASSERT_EQ(got.route.index(), exp.route.index()) << name << " #" << i;
    if (const auto* m = std::get_if<MacIpRoute>(&got.route)) {
      const auto& e = std::get<MacIpRoute>(exp.route);
      EXPECT_EQ(m->rd.to_string(), e.rd.to_string());
      EXPECT_EQ(m->rd.type, 1);  // FRR's and GoBGP's RDs here are router-id:N
      EXPECT_TRUE(m->esi.is_zero());
      EXPECT_EQ(m->etag.value, 0u);
      EXPECT_EQ(m->mac.to_string(), e.mac.to_string());
      EXPECT_EQ(m->ip.has_value(), e.ip.has_value());
      if (m->ip && e.ip) {
        EXPECT_EQ(m->ip->to_string(), e.ip->to_string());
      }
      EXPECT_EQ(m->label1.raw, e.label1.raw);
      EXPECT_EQ(m->label1.vni().value(), e.label1.raw);  // raw VNI (RFC 8365), as FRR/GoBGP send
      EXPECT_FALSE(m->label1.looks_mpls_shifted());
      EXPECT_FALSE(m->label2.has_value());
    } else {
      const auto& g = std::get<ImetRoute>(got.route);
      const auto& e = std::get<ImetRoute>(exp.route);
      EXPECT_EQ(g.rd.to_string(), e.rd.to_string());
      EXPECT_EQ(g.etag.value, 0u);
      EXPECT_TRUE(g.originating_ip.is_v4());
      EXPECT_EQ(g.originating_ip.to_string(), e.originating_ip.to_string());
    }
    EXPECT_EQ(got, exp) << name << " #" << i;
    EXPECT_EQ(to_string(got.route), want.frr_strings[i]);
  }

  // Byte-exact re-encoding of the whole NLRI field.
  wire::ByteVec out;
  encode_evpn_nlris(*decoded, false, out);
  EXPECT_EQ(out, wire::ByteVec(cap.nlri.begin(), cap.nlri.end())) << name;
  std::size_t total = 0;
  for (const auto& n : *decoded) total += encoded_size(n, false);
  EXPECT_EQ(total, cap.nlri.size());

  // The visitor sees the same NLRI.
  std::size_t seen = 0;
  auto count = for_each_evpn_nlri(cap.nlri, false, cap.nlri_offset, [&](const EvpnNlri& n) {
    EXPECT_EQ(n, want.nlri[seen]);
    ++seen;
  });
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, want.nlri.size());
  EXPECT_EQ(seen, want.nlri.size());
}

INSTANTIATE_TEST_SUITE_P(All, EvpnCapture,
                         ::testing::Values("frr_eor_evpn.hex", "frr_type2_mac.hex", "frr_type2_mac_mobility.hex",
                                           "frr_type2_mac_mobility_reflected.hex", "frr_type2_mac_reflected.hex",
                                           "frr_type2_macip.hex", "frr_type2_macip_reflected.hex",
                                           "frr_type3_pmsi.hex", "frr_type3_pmsi_reflected.hex",
                                           "frr_withdraw_type2_mac.hex", "frr_withdraw_type2_mac_reflected.hex",
                                           "frr_withdraw_type2_macip.hex",
                                           "frr_withdraw_type2_macip_reflected.hex",
                                           "frr_withdraw_type3_reflected.hex", "gobgp_type2_mac.hex",
                                           "gobgp_type2_mac_mobility.hex", "gobgp_type2_macip.hex",
                                           "gobgp_type3_pmsi.hex", "gobgp_withdraw_type2_mac.hex",
                                           "gobgp_withdraw_type2_macip.hex", "gobgp_withdraw_type3.hex"),
                         [](const auto& info) {
                           std::string n = info.param;
                           n = n.substr(0, n.find('.'));
                           return n;
                         });

// The NLRI field offsets in two captures, counted by hand from the bytes, so error offsets
// in the other tests can be trusted to be message offsets.
TEST(EvpnCaptures, NlriOffsetsInTheMessage) {
  auto frr = evpnd::test::testdata("frr_type2_mac.hex");
  auto cap = evpnd::test::parse_capture(frr);
  // 19 header, 2+0 withdrawn, 2 attr len, 0x90 0x0e + 2-byte length, afi 2 safi 1 nhlen 1,
  // nh 4, reserved 1.
  EXPECT_EQ(cap.nlri_offset, 19u + 2 + 2 + 4 + 4 + 4 + 1);
  EXPECT_EQ(frr[cap.nlri_offset], 0x02);      // route type 2
  EXPECT_EQ(frr[cap.nlri_offset + 1], 0x21);  // length 33
  auto gobgp = evpnd::test::testdata("gobgp_withdraw_type3.hex");
  auto cap2 = evpnd::test::parse_capture(gobgp);
  // GoBGP: MP_UNREACH with a 1-byte length (flags 0x80), afi/safi.
  EXPECT_EQ(cap2.nlri_offset, 19u + 2 + 2 + 3 + 3);
  EXPECT_EQ(gobgp[cap2.nlri_offset], 0x03);
}

// Decoding two copies of an NLRI into one EvpnNlri, then a different type: the visitor's
// storage reuse must not leak fields from the previous NLRI (e.g. a stale IP or label 2).
TEST(EvpnCaptures, VisitorReuseDoesNotLeakFields) {
  auto msg = evpnd::test::testdata("frr_type2_mac_mobility.hex");
  auto cap = evpnd::test::parse_capture(msg);
  wire::ByteVec buf(cap.nlri.begin(), cap.nlri.end());
  // MAC+IP first, then MAC-only: reorder by re-encoding.
  auto decoded = decode_evpn_nlris(buf, false, 0);
  ASSERT_TRUE(decoded.ok());
  std::vector<EvpnNlri> reordered{(*decoded)[1], (*decoded)[0], imet("10.0.0.1:2", "10.0.0.1"), (*decoded)[0]};
  wire::ByteVec enc;
  encode_evpn_nlris(reordered, false, enc);
  std::vector<EvpnNlri> seen;
  auto n = for_each_evpn_nlri(enc, false, 0, [&](const EvpnNlri& x) { seen.push_back(x); });
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(seen, reordered);
}
