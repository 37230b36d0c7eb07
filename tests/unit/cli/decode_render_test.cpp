// message_render and the hex side of the decode tool: every captured message decodes and
// its JSON matches the description in its .hex header field by field; chosen messages
// are checked by name (the examples); errors carry code, subcode and offset.
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <sstream>

#include "bgp/wire/message.hpp"
#include "cli/decode_tool.hpp"
#include "cli/message_render.hpp"
#include "support/testdata.hpp"
#include "tests/unit/cli/decode_test_support.hpp"

namespace evpnd::cli {
namespace {

namespace wire = bgp::wire;
using nlohmann::ordered_json;

std::vector<std::string> hex_files() {
  std::vector<std::string> v;
  for (const auto& e : std::filesystem::directory_iterator(EVPND_TESTDATA_DIR))
    if (e.path().extension() == ".hex") v.push_back(e.path().filename().string());
  std::sort(v.begin(), v.end());
  return v;
}

// "# frr: ANNOUNCE ..." -> "ANNOUNCE ..."
std::string description_of(const std::string& file) {
  std::istringstream in(test::read_text(test::testdata_path(file)));
  std::string line;
  std::getline(in, line);
  return line.substr(line.find(": ") + 2);
}

ordered_json decode_json(const wire::ByteVec& bytes, const wire::CodecContext& ctx = {}) {
  auto d = wire::decode_message(bytes, ctx);
  EXPECT_TRUE(d.ok()) << (d.ok() ? "" : d.error().reason);
  if (!d) return {};
  return message_json(*d, ctx, bytes);
}

// The tool's JSON lines for some inputs.
std::vector<ordered_json> run_json(const std::vector<DecodeInput>& inputs, DecodeSummary* summary = nullptr,
                                   DecodeOptions opts = {}) {
  opts.output = DecodeOutput::JsonLines;
  std::ostringstream out;
  const auto s = run_decode(inputs, opts, out);
  if (summary) *summary = s;
  std::vector<ordered_json> v;
  std::istringstream lines(out.str());
  std::string line;
  while (std::getline(lines, line)) v.push_back(ordered_json::parse(line));
  return v;
}

DecodeInput hex_input(const std::string& file) {
  const auto text = test::read_text(test::testdata_path(file));
  return DecodeInput{file, DecodeInputKind::Auto, wire::ByteVec(text.begin(), text.end())};
}

TEST(DecodeRender, EveryHexFileMatchesItsDescription) {
  const auto files = hex_files();
  ASSERT_GE(files.size(), 23u);
  for (const auto& f : files) {
    SCOPED_TRACE(f);
    test::expect_matches_description(decode_json(test::testdata(f)), description_of(f));
  }
}

// How many test failures `f` records (without failing the current test).
int failures_of(const std::function<void()>& f) {
  ::testing::TestPartResultArray results;
  ::testing::ScopedFakeTestPartResultReporter reporter(
      ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &results);
  f();
  return results.size();
}

// The description checker itself notices a wrong field.
TEST(DecodeRender, DescriptionCheckerCatchesDifferences) {
  const auto j = decode_json(test::testdata("frr_type2_macip.hex"));
  const std::string good = description_of("frr_type2_macip.hex");
  test::expect_matches_description(j, good);
  auto with = [&](const std::string& from, const std::string& to) {
    std::string d = good;
    d.replace(d.find(from), from.size(), to);
    return d;
  };
  auto fails = [&](const std::string& d) {
    return failures_of([&] { test::expect_matches_description(j, d); }) > 0;
  };
  EXPECT_TRUE(fails(with("mac 02:00:00:00:01:01", "mac 02:00:00:00:01:02")));
  EXPECT_TRUE(fails(with("label 100", "label 101")));
  EXPECT_TRUE(fails(with("RT:65001:100", "RT:65001:200")));
  EXPECT_TRUE(fails(with("14,1,2,16", "1,14,2,16")));
  EXPECT_TRUE(fails(with("as_path [65001]", "as_path [65002]")));
  EXPECT_TRUE(fails(good + "; PMSI flags=0"));
}

TEST(DecodeRender, EveryHexFileThroughTheTool) {
  for (const auto& f : hex_files()) {
    SCOPED_TRACE(f);
    DecodeSummary s;
    const auto out = run_json({hex_input(f)}, &s);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(s.exit_code(), 0);
    EXPECT_EQ(out[0].at("source"), f);
    EXPECT_EQ(out[0].at("offset"), 0);
    EXPECT_EQ(out[0].at("length").get<std::size_t>(), test::testdata(f).size());
    test::expect_matches_description(out[0], description_of(f));
  }
}

TEST(DecodeRender, FrrMacIpRoute) {
  const auto j = decode_json(test::testdata("frr_type2_macip.hex"));
  EXPECT_EQ(j.at("type"), "UPDATE");
  const auto& a = j.at("attributes");
  const auto& nlri = a.at("mpReach").at("nlri");
  ASSERT_EQ(nlri.size(), 1u);
  EXPECT_EQ(nlri[0].at("prefix"), "[2]:[0]:[48]:[02:00:00:00:01:01]:[32]:[192.168.100.1]");
  EXPECT_EQ(nlri[0].at("routeTypeName"), "mac-ip");
  EXPECT_EQ(nlri[0].at("mac"), "02:00:00:00:01:01");
  EXPECT_EQ(nlri[0].at("ip"), "192.168.100.1");
  EXPECT_EQ(nlri[0].at("ipLen"), 32);
  EXPECT_EQ(nlri[0].at("label"), 100);
  EXPECT_FALSE(nlri[0].contains("labelAsMpls"));  // 100 = 0x64: low nibble 4, a raw VNI
  EXPECT_EQ(a.at("extendedCommunity").at("string"), "ET:8 RT:65001:100");
  EXPECT_EQ(a.at("extendedCommunity").at("list")[1].at("format"), "as2");
  EXPECT_EQ(a.at("mpReach").at("nextHopLength"), 4);

  const std::string text = message_text(*wire::decode_message(test::testdata("frr_type2_macip.hex"), {}), {});
  EXPECT_EQ(text.substr(0, text.find('\n')), "UPDATE, l2vpn-evpn: 1 announced");
  EXPECT_NE(text.find("    announce [2]:[0]:[48]:[02:00:00:00:01:01]:[32]:[192.168.100.1]\n"
                      "      type 2 (mac-ip) rd 10.0.0.1:2 esi 00:00:00:00:00:00:00:00:00:00 etag 0 "
                      "mac 02:00:00:00:01:01 ip 192.168.100.1 label 100\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("  EXTENDED_COMMUNITIES (16) flags 0xc0: ET:8 RT:65001:100\n"), std::string::npos) << text;
}

TEST(DecodeRender, GobgpOpenCapabilities) {
  const auto j = decode_json(test::testdata("gobgp_open.hex"));
  EXPECT_EQ(j.at("asn"), 65002);
  EXPECT_EQ(j.at("myAs"), 65002);
  EXPECT_EQ(j.at("bgpId"), "10.0.0.2");
  const auto& caps = j.at("capabilities");
  ASSERT_EQ(caps.size(), 5u);
  EXPECT_EQ(caps[0].at("name"), "route-refresh");
  EXPECT_EQ(caps[1].at("name"), "fqdn");
  EXPECT_FALSE(caps[1].at("hostname").get<std::string>().empty());
  EXPECT_EQ(caps[2].at("family"), "l2vpn-evpn");
  EXPECT_EQ(caps[3].at("code"), 65);
  EXPECT_EQ(caps[3].at("asn"), 65002);
  EXPECT_EQ(caps[4].at("name"), "extended-next-hop");
}

TEST(DecodeRender, MacMobilityAndPmsiText) {
  const auto mm = message_text(*wire::decode_message(test::testdata("gobgp_type2_mac_mobility.hex"), {}), {});
  EXPECT_NE(mm.find("EXTENDED_COMMUNITIES (16) flags 0xc0: RT:65002:100 ET:8 MM:1\n"), std::string::npos) << mm;
  const auto pmsi = message_text(*wire::decode_message(test::testdata("frr_type3_pmsi.hex"), {}), {});
  EXPECT_NE(pmsi.find("PMSI_TUNNEL (22) flags 0xc0: ingress-replication (6) flags 0x00 label 100 tunnel 10.0.0.1\n"),
            std::string::npos)
      << pmsi;
  const auto eor = message_text(*wire::decode_message(test::testdata("frr_eor_evpn.hex"), {}), {});
  EXPECT_EQ(eor, "UPDATE, End-of-RIB l2vpn-evpn\n  MP_UNREACH_NLRI (15) flags 0x80: l2vpn-evpn, no NLRI\n");
}

// Byte 37 of frr_type2_macip.hex is the length of its only EVPN NLRI (type at 36): one
// more than the NLRI field holds. RFC 7606 §5.3: the MP_REACH cannot be parsed.
TEST(DecodeRender, MalformedEvpnNlriIsAnErrorWithItsOffset) {
  auto bytes = test::testdata("frr_type2_macip.hex");
  ASSERT_EQ(bytes[36], 2);
  ASSERT_EQ(bytes[37], 37);
  bytes[37] = 38;
  auto d = wire::decode_message(bytes, {});
  ASSERT_TRUE(d.ok());  // the UPDATE codec keeps EVPN NLRI as bytes
  auto e = evpn_nlri_error(*d, {}, bytes);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code, 3);
  EXPECT_EQ(e->subcode, 9);
  EXPECT_EQ(e->offset, 36u);
  const auto j = message_json(*d, {}, bytes);
  EXPECT_EQ(j.at("error").at("codeName"), "UPDATE Message Error");
  EXPECT_EQ(j.at("error").at("subcodeName"), "Optional Attribute Error");
  EXPECT_EQ(j.at("error").at("offset"), 36);

  // Without the raw message the offset counts inside the NLRI field, and says so.
  auto rel = evpn_nlri_error(*d, {});
  ASSERT_TRUE(rel);
  EXPECT_EQ(rel->offset, 0u);
  EXPECT_NE(rel->reason.find("NLRI field"), std::string::npos);

  DecodeSummary s;
  const auto out = run_json({DecodeInput{"bad", DecodeInputKind::Capture, {}},
                             DecodeInput{"x.hex", DecodeInputKind::Hex, wire::ByteVec(bytes.begin(), bytes.end())}},
                            &s);
  // Raw bytes are not a hex dump; the empty "capture" has no magic: two input problems.
  EXPECT_EQ(s.problems, 2u);
  EXPECT_EQ(s.exit_code(), 1);
  EXPECT_EQ(out.size(), 2u);
}

TEST(DecodeRender, ToolReportsNlriErrorAndExitsOne) {
  auto bytes = test::testdata("frr_type2_macip.hex");
  bytes[37] = 38;
  const std::string hex = hex_compact(bytes);
  DecodeSummary s;
  const auto out = run_json({DecodeInput{"x", DecodeInputKind::Auto, wire::ByteVec(hex.begin(), hex.end())}}, &s);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(s.messages, 1u);
  EXPECT_EQ(s.errors, 1u);
  EXPECT_EQ(s.exit_code(), 1);
  EXPECT_EQ(out[0].at("error").at("offset"), 36);
  EXPECT_EQ(out[0].at("hex"), hex);
}

// ORIGIN 7 (RFC 7606 §7.1: treat-as-withdraw). ORIGIN follows the 52-byte MP_REACH
// that starts at 23: flags at 75, value at 78.
TEST(DecodeRender, Rfc7606FindingIsShown) {
  auto bytes = test::testdata("frr_type2_macip.hex");
  ASSERT_EQ(bytes[76], 1);
  bytes[78] = 7;
  auto d = wire::decode_message(bytes, {});
  ASSERT_TRUE(d.ok());
  const auto j = message_json(*d, {}, bytes);
  EXPECT_EQ(j.at("action"), "treat-as-withdraw");
  ASSERT_EQ(j.at("findings").size(), 1u);
  const auto& f = j.at("findings")[0];
  EXPECT_EQ(f.at("attrType"), 1);
  EXPECT_EQ(f.at("attrName"), "ORIGIN");
  EXPECT_EQ(f.at("action"), "treat-as-withdraw");
  EXPECT_EQ(f.at("subcode"), 6);
  EXPECT_EQ(f.at("subcodeName"), "Invalid ORIGIN Attribute");
  EXPECT_EQ(f.at("offset"), 75);
  EXPECT_FALSE(j.contains("error"));  // not a session reset
  const auto text = message_text(*d, {}, bytes);
  EXPECT_NE(text.find("; RFC 7606 treat-as-withdraw\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  finding: ORIGIN (1) at offset 75: treat-as-withdraw, Invalid ORIGIN Attribute (6): "),
            std::string::npos)
      << text;
}

TEST(DecodeRender, HeaderErrorHasCodeSubcodeOffset) {
  // A KEEPALIVE whose length says 20 (RFC 4271 §6.1: KEEPALIVE is exactly 19).
  const std::string hex = "ffffffffffffffffffffffffffffffff00140400";
  DecodeSummary s;
  const auto out = run_json({DecodeInput{"x", DecodeInputKind::Hex, wire::ByteVec(hex.begin(), hex.end())}}, &s);
  ASSERT_GE(out.size(), 1u);
  EXPECT_EQ(out[0].at("type"), "invalid-header");
  EXPECT_EQ(out[0].at("error").at("code"), 1);
  EXPECT_EQ(out[0].at("error").at("subcode"), 2);
  EXPECT_EQ(out[0].at("error").at("offset"), 16);
  EXPECT_EQ(out[0].at("error").at("data"), "0014");
  EXPECT_EQ(s.errors, 1u);
  EXPECT_EQ(s.exit_code(), 1);
}

TEST(DecodeRender, SeveralMessagesInOneHexInputAndResyncAfterGarbage) {
  const auto open = test::testdata("frr_open.hex");
  const auto ka = wire::encode_message(wire::KeepaliveMessage{});
  const auto upd = test::testdata("gobgp_type2_mac.hex");
  std::string text = "# three messages, then garbage, then one more\n" + hex_spaced(open) + "\n" + hex_compact(ka) +
                     hex_compact(upd) + "\n0x01 0x02 0x03\n" + hex_compact(ka) + "\n";
  DecodeSummary s;
  const auto out = run_json({DecodeInput{"x", DecodeInputKind::Auto, wire::ByteVec(text.begin(), text.end())}}, &s);
  ASSERT_EQ(out.size(), 6u);  // 4 messages, 1 header error (the garbage), 1 skipped-bytes problem
  EXPECT_EQ(out[0].at("type"), "OPEN");
  EXPECT_EQ(out[1].at("type"), "KEEPALIVE");
  EXPECT_EQ(out[1].at("offset"), open.size());
  EXPECT_EQ(out[2].at("type"), "UPDATE");
  EXPECT_EQ(out[3].at("error").at("subcodeName"), "Connection Not Synchronized");
  EXPECT_EQ(out[3].at("offset"), open.size() + ka.size() + upd.size());
  EXPECT_EQ(out[4].at("type"), "KEEPALIVE");
  EXPECT_EQ(out[4].at("offset"), open.size() + ka.size() + upd.size() + 3);
  EXPECT_NE(out[5].at("problem").get<std::string>().find("skipped 3 bytes"), std::string::npos);
  EXPECT_EQ(s.messages, 5u);
  EXPECT_EQ(s.errors, 1u);
  EXPECT_EQ(s.problems, 1u);
}

TEST(DecodeRender, ParseHexDump) {
  auto ok = parse_hex_dump("# comment ff\nff FF 0x0a,0b:0c\n\t0d0e0f  # trailing\n");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, (wire::ByteVec{0xff, 0xff, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f}));
  EXPECT_TRUE(parse_hex_dump("").ok());
  auto odd = parse_hex_dump("ff\nfff\n");
  ASSERT_FALSE(odd.ok());
  EXPECT_EQ(odd.error(), "line 2: \"fff\" is not a whole number of octets");
  auto bad = parse_hex_dump("ff\n\nfg\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error(), "line 3: 'g' is not a hex digit");
  auto bin = parse_hex_dump(std::string("ff\x01", 3));
  ASSERT_FALSE(bin.ok());
  EXPECT_EQ(bin.error(), "line 1: byte 0x01 is not a hex digit");
  EXPECT_FALSE(parse_hex_dump("0x").ok());
}

TEST(DecodeRender, IncompleteMessageAtTheEnd) {
  const auto upd = test::testdata("frr_type2_macip.hex");
  const std::string hex = hex_compact(wire::ByteSpan(upd).first(50));
  DecodeSummary s;
  const auto out = run_json({DecodeInput{"x", DecodeInputKind::Hex, wire::ByteVec(hex.begin(), hex.end())}}, &s);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].at("problem"), "the input ends 50 bytes into a message at offset 0");
  EXPECT_EQ(s.messages, 0u);
  EXPECT_EQ(s.exit_code(), 1);
}

TEST(DecodeRender, TwoOctetAsAndAddPathContexts) {
  // A 2-octet AS_PATH read as 4-octet is malformed; read with --two-octet-as it is fine.
  wire::UpdateMessage u;
  u.attrs.origin = wire::Origin::Igp;
  u.attrs.as_path = wire::AsPath{{wire::AsPathSegment{wire::AsPathSegmentType::Sequence, {65001, 65002}}}};
  u.attrs.next_hop = wire::IpAddress::v4(0x0a000001);
  u.nlri = {wire::Prefix{wire::IpAddress::v4(0x0a010000), 16, 7}};
  wire::CodecContext two;
  two.four_octet_as = false;
  two.add_path_rx = {wire::AfiSafi::ipv4_unicast()};
  two.add_path_tx = two.add_path_rx;
  const auto bytes = wire::encode_message(u, two);
  const auto j = decode_json(bytes, two);
  EXPECT_EQ(j.at("attributes").at("asPath").at("string"), "65001 65002");
  ASSERT_EQ(j.at("nlri").size(), 1u);
  EXPECT_EQ(j.at("nlri")[0].at("prefix"), "10.1.0.0/16");
  EXPECT_EQ(j.at("nlri")[0].at("pathId"), 7);
  const auto text = message_text(*wire::decode_message(bytes, two), two);
  EXPECT_EQ(text.substr(0, text.find('\n')), "UPDATE, ipv4-unicast: 1 announced");
  EXPECT_NE(text.find("  NLRI field:\n    announce 10.1.0.0/16 path-id 7\n"), std::string::npos) << text;
}

TEST(DecodeRender, NotificationAndRouteRefresh) {
  const auto n = wire::make_shutdown_notification(wire::CeaseSubcode::AdministrativeShutdown, "maint\x01");
  const auto nb = wire::encode_message(n);
  const auto j = decode_json(nb);
  EXPECT_EQ(j.at("codeName"), "Cease");
  EXPECT_EQ(j.at("subcodeName"), "Administrative Shutdown");
  EXPECT_EQ(j.at("shutdownCommunication"), "maint\x01");
  const auto text = message_text(*wire::decode_message(nb, {}), {});
  EXPECT_NE(text.find("shutdown communication: \"maint\\x01\""), std::string::npos) << text;
  const auto rr = wire::encode_message(wire::RouteRefreshMessage{wire::AfiSafi::l2vpn_evpn(), {}});
  const auto r = decode_json(rr);
  EXPECT_EQ(r.at("type"), "ROUTE-REFRESH");
  EXPECT_EQ(r.at("family"), "l2vpn-evpn");
  EXPECT_EQ(r.at("subtype"), "normal");
}

TEST(DecodeRender, JsonArrayOutput) {
  DecodeOptions opts;
  opts.output = DecodeOutput::JsonArray;
  std::ostringstream out;
  const auto s = run_decode({hex_input("frr_open.hex"), hex_input("frr_eor_evpn.hex")}, opts, out);
  EXPECT_EQ(s.exit_code(), 0);
  const auto j = ordered_json::parse(out.str());
  ASSERT_TRUE(j.is_array());
  ASSERT_EQ(j.size(), 2u);
  EXPECT_EQ(j[0].at("index"), 1);
  EXPECT_EQ(j[1].at("index"), 2);
  EXPECT_EQ(j[1].at("endOfRib"), "l2vpn-evpn");
}

}  // namespace
}  // namespace evpnd::cli
