// UPDATE codec: every captured UPDATE decoded and checked against what its .hex header
// line says, then re-encoded byte for byte; generated round trips for every attribute,
// ADD-PATH (RFC 7911) and End-of-RIB (RFC 4724). 2-octet AS sessions (RFC 6793) are in
// update_as4_test.cpp.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "bgp/wire/update.hpp"
#include "support/testdata.hpp"
#include "unit/wire/update_builder.hpp"
#include "unit/wire/update_test_support.hpp"

namespace evpnd::bgp::wire {
namespace {

using test::Bytes;
using namespace update_test;

std::vector<std::string> split(const std::string& s, const std::string& sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    const auto pos = s.find(sep, start);
    out.push_back(s.substr(start, pos - start));
    if (pos == std::string::npos) return out;
    start = pos + sep.size();
  }
}

bool starts_with(const std::string& s, const std::string& p) { return s.rfind(p, 0) == 0; }

// The extended communities named in the .hex headers, as wire bytes.
ExtendedCommunity ext_community(const std::string& name) {
  ExtendedCommunity ec;
  if (name == "ENCAP:VXLAN") {
    ec.bytes = {0x03, 0x0c, 0, 0, 0, 0, 0, 8};  // RFC 9012 §4.1, tunnel type 8 (VXLAN)
  } else if (starts_with(name, "RT:")) {
    const auto parts = split(name, ":");
    const std::uint32_t as = static_cast<std::uint32_t>(std::stoul(parts[1]));
    const std::uint32_t n = static_cast<std::uint32_t>(std::stoul(parts[2]));
    EXPECT_LE(as, 0xFFFFu) << name;  // 2-octet AS specific route target (RFC 4360 §3.1)
    ec.bytes = {0x00, 0x02, std::uint8_t(as >> 8), std::uint8_t(as), std::uint8_t(n >> 24), std::uint8_t(n >> 16),
                std::uint8_t(n >> 8), std::uint8_t(n)};
  } else if (starts_with(name, "MAC-MOBILITY:seq=")) {
    const auto seq = static_cast<std::uint32_t>(std::stoul(name.substr(17)));
    ec.bytes = {0x06, 0x00, 0, 0, std::uint8_t(seq >> 24), std::uint8_t(seq >> 16), std::uint8_t(seq >> 8),
                std::uint8_t(seq)};  // RFC 7432 §7.7, sticky flag clear
  } else {
    ADD_FAILURE() << "unknown extended community in header: " << name;
  }
  return ec;
}

std::string header_line(const std::string& file) {
  std::istringstream in(test::read_text(test::testdata_path(file)));
  std::string line;
  std::getline(in, line);
  EXPECT_TRUE(starts_with(line, "# ")) << file;
  const auto colon = line.find(": ");
  return line.substr(colon + 2);
}

std::vector<std::string> update_captures() {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(test::testdata_path(""))) {
    const auto name = e.path().filename().string();
    if (e.path().extension() == ".hex" && name.find("_open") == std::string::npos) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

TEST(UpdateCaptures, AllPresent) {
  // 14 FRR + 7 GoBGP UPDATEs in tests/testdata; a lost file should fail here.
  EXPECT_EQ(update_captures().size(), 21u);
}

class CapturedUpdate : public ::testing::TestWithParam<std::string> {};

TEST_P(CapturedUpdate, DecodesAsDescribedAndReencodesByteForByte) {
  const std::string file = GetParam();
  const Bytes msg = test::testdata(file);
  ASSERT_GE(msg.size(), 23u);
  ASSERT_EQ(msg[18], 2) << "not an UPDATE";
  ASSERT_EQ(std::size_t((msg[16] << 8) | msg[17]), msg.size());

  const CodecContext ctx{};  // four_octet_as = true, as both FRR and GoBGP negotiated
  auto r = test::decode_whole(msg, ctx);
  ASSERT_TRUE(r.ok()) << file << ": " << r.error().reason;
  const DecodedUpdate& d = r.value();
  EXPECT_EQ(d.action, AttrAction::None) << file;
  EXPECT_TRUE(d.findings.empty()) << file;
  const UpdateMessage& u = d.update;
  const PathAttributes& a = u.attrs;
  // Nothing in these captures uses the IPv4 fields: EVPN lives in MP_REACH/MP_UNREACH.
  EXPECT_TRUE(u.withdrawn.empty());
  EXPECT_TRUE(u.nlri.empty());

  int announces = 0, withdraws = 0;
  bool checked_nh = false;
  for (const std::string& field : split(header_line(file), "; ")) {
    if (starts_with(field, "ANNOUNCE")) {
      ++announces;
    } else if (starts_with(field, "WITHDRAW")) {
      ++withdraws;
    } else if (field == "UPDATE End-of-RIB l2vpn/evpn") {
      EXPECT_EQ(u.end_of_rib(), AfiSafi::l2vpn_evpn()) << file;
    } else if (starts_with(field, "nh ")) {
      ASSERT_TRUE(a.mp_reach) << file;
      EXPECT_EQ(a.mp_reach->next_hop_address(), ip(field.substr(3).c_str())) << file;
      EXPECT_EQ(a.mp_reach->next_hop.size(), 4u);
      checked_nh = true;
    } else if (starts_with(field, "origin ")) {
      const std::string o = field.substr(7);
      ASSERT_TRUE(a.origin) << file;
      EXPECT_EQ(*a.origin, o == "IGP" ? Origin::Igp : o == "EGP" ? Origin::Egp : Origin::Incomplete) << file;
      EXPECT_TRUE(o == "IGP" || o == "EGP" || o == "INCOMPLETE") << o;
    } else if (starts_with(field, "as_path [")) {
      const std::string list = field.substr(9, field.size() - 10);
      AsPath want;
      AsPathSegment seq;
      for (const auto& asn : split(list, " ")) seq.asns.push_back(static_cast<std::uint32_t>(std::stoul(asn)));
      want.segments.push_back(seq);
      ASSERT_TRUE(a.as_path) << file;
      EXPECT_EQ(*a.as_path, want) << file;
      EXPECT_EQ(a.as_path->to_string(), list);
    } else if (starts_with(field, "extcomm ")) {
      std::vector<ExtendedCommunity> want;
      for (const auto& name : split(field.substr(8), " ")) want.push_back(ext_community(name));
      EXPECT_EQ(a.extended_communities, want) << file;
    } else if (starts_with(field, "PMSI ")) {
      // "PMSI flags=0 type=ingress-replication label=100 tunnel=10.0.0.1"
      const auto kv = split(field.substr(5), " ");
      ASSERT_EQ(kv.size(), 4u);
      ASSERT_TRUE(a.pmsi_tunnel) << file;
      EXPECT_EQ(kv[0], "flags=" + std::to_string(a.pmsi_tunnel->flags));
      EXPECT_EQ(kv[1], "type=ingress-replication");
      EXPECT_EQ(a.pmsi_tunnel->tunnel_type, PmsiTunnel::kIngressReplication);
      EXPECT_EQ(kv[2], "label=" + std::to_string(a.pmsi_tunnel->label));
      const IpAddress tunnel = ip(kv[3].substr(7).c_str());
      EXPECT_EQ(a.pmsi_tunnel->tunnel_id, Bytes(tunnel.data(), tunnel.data() + tunnel.size()));
    } else if (starts_with(field, "attr order ")) {
      std::vector<std::uint8_t> want;
      for (const auto& n : split(field.substr(11), ",")) want.push_back(static_cast<std::uint8_t>(std::stoul(n)));
      std::vector<std::uint8_t> got;
      for (const auto& s : a.wire_order) got.push_back(s.type);
      EXPECT_EQ(got, want) << file;
    } else {
      ADD_FAILURE() << file << ": header field not checked: " << field;
    }
  }
  if (announces > 0) {
    ASSERT_TRUE(a.mp_reach) << file;
    EXPECT_EQ(a.mp_reach->family, AfiSafi::l2vpn_evpn());
    EXPECT_FALSE(a.mp_reach->nlri.empty());
    EXPECT_TRUE(a.mp_reach->prefixes.empty());  // EVPN NLRI are left to evpn/
    EXPECT_TRUE(checked_nh) << file;
    EXPECT_FALSE(a.mp_unreach);
    EXPECT_FALSE(u.end_of_rib());
  }
  if (withdraws > 0) {
    ASSERT_TRUE(a.mp_unreach) << file;
    EXPECT_EQ(a.mp_unreach->family, AfiSafi::l2vpn_evpn());
    EXPECT_FALSE(a.mp_unreach->nlri.empty());
    EXPECT_FALSE(a.mp_reach);
    EXPECT_FALSE(a.origin);
    EXPECT_FALSE(u.end_of_rib());
  }

  // Byte for byte: the body, and the flags of every attribute as received.
  Bytes body;
  encode_update_body(u, ctx, body);
  EXPECT_EQ(body, Bytes(msg.begin() + 19, msg.end())) << file;
  // And the decoded value is a fixed point.
  auto again = decode_update(body, ctx);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->update, u);
}

INSTANTIATE_TEST_SUITE_P(Testdata, CapturedUpdate, ::testing::ValuesIn(update_captures()),
                         [](const ::testing::TestParamInfo<std::string>& i) {
                           std::string n = i.param.substr(0, i.param.size() - 4);
                           std::replace(n.begin(), n.end(), '-', '_');
                           return n;
                         });

TEST(CapturedUpdate, FlagsAsReceived) {
  // FRR sends MP_REACH_NLRI with Extended Length set on a short value (0x90); GoBGP does
  // not (0x80). Both must survive re-encoding: the slot keeps them.
  auto frr = test::decode_whole(test::testdata("frr_type3_pmsi.hex"));
  ASSERT_TRUE(frr.ok());
  ASSERT_FALSE(frr->update.attrs.wire_order.empty());
  EXPECT_EQ(frr->update.attrs.wire_order[0], (PathAttributes::Slot{14, 0x90}));
  EXPECT_EQ(frr->update.attrs.wire_order[2], (PathAttributes::Slot{2, 0x50}));
  auto gobgp = test::decode_whole(test::testdata("gobgp_type3_pmsi.hex"));
  ASSERT_TRUE(gobgp.ok());
  EXPECT_EQ(gobgp->update.attrs.wire_order[2], (PathAttributes::Slot{14, 0x80}));
  EXPECT_EQ(gobgp->update.attrs.wire_order[1], (PathAttributes::Slot{2, 0x40}));
}

// ---------------------------------------------------------------------------------------
// Generated round trips


Prefix pfx(const char* addr, std::uint8_t len, std::optional<std::uint32_t> id = std::nullopt) {
  return Prefix{ip(addr), len, id};
}

// Every attribute we model, built locally (so wire_order is empty).
UpdateMessage every_attribute() {
  UpdateMessage m;
  PathAttributes& a = m.attrs;
  a.origin = Origin::Egp;
  a.as_path = path({cseq({64512, 64513}), seq({65001, 65002}), set({1, 2, 3})});
  a.next_hop = ip("192.0.2.1");
  a.med = 77;
  a.local_pref = 200;
  a.atomic_aggregate = true;
  a.aggregator = Aggregator{Asn{65001}, ip("192.0.2.9")};
  a.communities = {0xFFFFFF01, 0xFDE90064};
  a.originator_id = RouterId{0x0A000001};
  a.cluster_list = {0x0A000002, 0x0A000003};
  a.mp_reach = MpReach{AfiSafi::ipv6_unicast(), Bytes(16, 0x20), {}, {pfx("2001:db8::", 32), pfx("2001:db8:1::", 48)}, {}};
  a.mp_unreach = MpUnreach{AfiSafi::ipv4_unicast(), {}, {pfx("198.51.100.0", 24)}, {}};
  a.extended_communities = {ext_community("RT:65001:100"), ext_community("ENCAP:VXLAN")};
  a.large_communities = {LargeCommunity{65001, 1, 2}, LargeCommunity{4200000000u, 3, 4}};
  a.pmsi_tunnel = PmsiTunnel{1, PmsiTunnel::kIngressReplication, 100, Bytes{10, 0, 0, 1}};
  a.unknown = {UnknownAttribute{0xC0, 99, Bytes{1, 2, 3}}, UnknownAttribute{0x80, 250, Bytes{}}};
  m.withdrawn = {pfx("10.1.0.0", 16)};
  m.nlri = {pfx("10.2.0.0", 16), pfx("10.3.3.0", 24), pfx("0.0.0.0", 0)};
  return m;
}

TEST(UpdateRoundTrip, EveryAttributeFourOctet) {
  const UpdateMessage m = every_attribute();
  const CodecContext ctx{};
  Bytes body;
  encode_update_body(m, ctx, body);
  // Empty wire_order: MP_REACH_NLRI and MP_UNREACH_NLRI first (RFC 7606 §5.1: "SHALL be
  // encoded as the very first path attribute"), then ascending type order, the RFC
  // flags, no Extended Length.
  const std::vector<PathAttributes::Slot> want{{14, 0x80}, {15, 0x80}, {1, 0x40},  {2, 0x40},  {3, 0x40},
                                               {4, 0x80},  {5, 0x40},  {6, 0x40},  {7, 0xC0},  {8, 0xC0},
                                               {9, 0x80},  {10, 0x80}, {16, 0xC0}, {22, 0xC0}, {32, 0xC0},
                                               {99, 0xC0}, {250, 0x80}};
  EXPECT_EQ(headers(body), want);

  auto r = decode_update(body, ctx);
  ASSERT_TRUE(r.ok()) << r.error().reason;
  EXPECT_EQ(r->action, AttrAction::None);
  EXPECT_TRUE(r->findings.empty());
  UpdateMessage got = r->update;
  // What decoding adds: the order and flags as received, the Partial bit on the unknown
  // optional transitive attribute (RFC 4271 §5), and the raw NLRI beside the prefixes.
  auto want_order = want;
  want_order[15].flags = 0xE0;  // attribute 99
  EXPECT_EQ(got.attrs.wire_order, want_order);
  ASSERT_EQ(got.attrs.unknown.size(), 2u);
  EXPECT_EQ(got.attrs.unknown[0], (UnknownAttribute{0xE0, 99, Bytes{1, 2, 3}}));
  EXPECT_EQ(got.attrs.unknown[1], (UnknownAttribute{0x80, 250, Bytes{}}));
  ASSERT_TRUE(got.attrs.mp_reach && got.attrs.mp_unreach);
  EXPECT_EQ(got.attrs.mp_reach->nlri, (Bytes{32, 0x20, 0x01, 0x0d, 0xb8, 48, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01}));
  EXPECT_EQ(got.attrs.mp_unreach->nlri, (Bytes{24, 198, 51, 100}));
  // Everything else is the value we encoded.
  UpdateMessage expect = m;
  expect.attrs.wire_order = want_order;
  expect.attrs.unknown[0].flags = 0xE0;
  expect.attrs.mp_reach->nlri = got.attrs.mp_reach->nlri;
  expect.attrs.mp_unreach->nlri = got.attrs.mp_unreach->nlri;
  EXPECT_EQ(got, expect);

  // Re-encoding the decoded value replays its wire_order: same bytes but the Partial bit.
  Bytes again;
  encode_update_body(got, ctx, again);
  Bytes want_bytes = body;
  const Bytes needle{0xC0, 99, 3};
  const auto pos = std::search(want_bytes.begin(), want_bytes.end(), needle.begin(), needle.end());
  ASSERT_NE(pos, want_bytes.end());
  *pos = 0xE0;
  EXPECT_EQ(again, want_bytes);
}

TEST(UpdateRoundTrip, ExactBytesOfALocallyBuiltUpdate) {
  // A hand-assembled body for a small IPv4 route, so the encoder is checked against
  // bytes, not only against its own decoder.
  UpdateMessage m;
  m.attrs.origin = Origin::Igp;
  m.attrs.as_path = path({seq({65001, 4200000000u})});
  m.attrs.next_hop = ip("192.0.2.1");
  m.attrs.communities = {0xFDE90064};
  m.withdrawn = {pfx("10.9.0.0", 16)};
  m.nlri = {pfx("10.1.128.0", 17)};
  Bytes body;
  encode_update_body(m, CodecContext{}, body);
  const Bytes want{0x00, 0x03, 16, 10, 9,                                            // withdrawn
                   0x00, 0x1f,                                                       // attrs length 31
                   0x40, 1, 1, 0,                                                    // ORIGIN IGP
                   0x40, 2, 10, 2, 2, 0x00, 0x00, 0xfd, 0xe9, 0xfa, 0x56, 0xea, 0x00,  // AS_PATH
                   0x40, 3, 4, 192, 0, 2, 1,                                         // NEXT_HOP
                   0xC0, 8, 4, 0xfd, 0xe9, 0x00, 0x64,                               // COMMUNITIES
                   17, 10, 1, 128};                                                  // NLRI
  EXPECT_EQ(body, want);
}

TEST(UpdateRoundTrip, ExtendedLengthOnlyWhenNeeded) {
  UpdateMessage m;
  for (std::uint32_t i = 0; i < 63; ++i) m.attrs.communities.push_back(i);  // 252 octets
  Bytes body;
  encode_update_body(m, CodecContext{}, body);
  EXPECT_EQ(headers(body), (std::vector<PathAttributes::Slot>{{8, 0xC0}}));
  EXPECT_EQ(body[6], 252);

  m.attrs.communities.push_back(63);  // 256 octets
  body.clear();
  encode_update_body(m, CodecContext{}, body);
  EXPECT_EQ(headers(body), (std::vector<PathAttributes::Slot>{{8, 0xD0}}));
  EXPECT_EQ(body[6], 0x01);
  EXPECT_EQ(body[7], 0x00);
  auto r = decode_update(body, CodecContext{});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->update.attrs.communities, m.attrs.communities);

  // A slot without the bit gets it when the value grew past 255 octets.
  m.attrs.wire_order = {{8, 0xC0}};
  body.clear();
  encode_update_body(m, CodecContext{}, body);
  EXPECT_EQ(headers(body), (std::vector<PathAttributes::Slot>{{8, 0xD0}}));
}

TEST(UpdateRoundTrip, WireOrderFirstThenTheRestAscending) {
  UpdateMessage m;
  m.attrs.origin = Origin::Incomplete;
  m.attrs.as_path = AsPath{};
  m.attrs.med = 5;
  m.attrs.local_pref = 100;
  m.attrs.extended_communities = {ext_community("ENCAP:VXLAN")};
  // Order as "received": MED then ORIGIN, with an odd but kept flag octet; a slot for
  // an attribute that is no longer present is skipped.
  m.attrs.wire_order = {{4, 0x90}, {1, 0x40}, {9, 0x80}};
  Bytes body;
  encode_update_body(m, CodecContext{}, body);
  EXPECT_EQ(headers(body), (std::vector<PathAttributes::Slot>{{4, 0x90}, {1, 0x40}, {2, 0x40}, {5, 0x40}, {16, 0xC0}}));
  auto r = decode_update(body, CodecContext{});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->update.attrs.med, 5u);
  EXPECT_EQ(r->update.attrs.as_path, AsPath{});  // zero-length AS_PATH is valid (iBGP)
}

// --- RFC 7911 ADD-PATH ---------------------------------------------------------------------

TEST(UpdateAddPath, Ipv4FieldsAndIpv6MpReachCarryPathIds) {
  CodecContext ctx;
  ctx.add_path_rx = ctx.add_path_tx = {AfiSafi::ipv4_unicast(), AfiSafi::ipv6_unicast()};
  UpdateMessage m;
  m.attrs.origin = Origin::Igp;
  m.attrs.as_path = path({seq({65001})});
  m.attrs.next_hop = ip("192.0.2.1");
  m.withdrawn = {pfx("10.0.0.0", 8, 7)};
  m.nlri = {pfx("10.1.0.0", 16, 1), pfx("10.1.0.0", 16, 2)};
  m.attrs.mp_reach = MpReach{AfiSafi::ipv6_unicast(), Bytes(32, 0xfe), {}, {pfx("2001:db8::", 64, 0xdeadbeef)}, {}};
  Bytes body;
  encode_update_body(m, ctx, body);
  // Withdrawn: path id 7, /8, 10.
  EXPECT_EQ(Bytes(body.begin(), body.begin() + 8), (Bytes{0, 6, 0, 0, 0, 7, 8, 10}));
  // NLRI field: two paths for one prefix.
  EXPECT_EQ(Bytes(body.end() - 14, body.end()), (Bytes{0, 0, 0, 1, 16, 10, 1, 0, 0, 0, 2, 16, 10, 1}));
  auto r = decode_update(body, ctx);
  ASSERT_TRUE(r.ok()) << r.error().reason;
  EXPECT_EQ(r->update.withdrawn, m.withdrawn);
  EXPECT_EQ(r->update.nlri, m.nlri);
  ASSERT_TRUE(r->update.attrs.mp_reach);
  EXPECT_EQ(r->update.attrs.mp_reach->prefixes, m.attrs.mp_reach->prefixes);
  EXPECT_EQ(r->update.attrs.mp_reach->nlri, (Bytes{0xde, 0xad, 0xbe, 0xef, 64, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0}));
  EXPECT_EQ(r->update.attrs.mp_reach->next_hop_address(), IpAddress::v6({0xfe, 0xfe, 0xfe, 0xfe, 0xfe, 0xfe, 0xfe, 0xfe,
                                                                          0xfe, 0xfe, 0xfe, 0xfe, 0xfe, 0xfe, 0xfe, 0xfe}));

  // Without ADD-PATH on the receiving side the same bytes are other NLRI: the codec
  // follows the context, it does not guess. The Withdrawn Routes field 00 00 00 07 08 0a
  // reads as /0, /0, /0, 8.0.0.0/7, then a /10 with no octets left: Invalid Network Field
  // at the last of those six octets (offset 21 + 5 in the message).
  auto plain = decode_update(body, CodecContext{});
  ASSERT_FALSE(plain.ok());
  EXPECT_EQ(plain.error().subcode, static_cast<std::uint8_t>(UpdateSubcode::InvalidNetworkField));
  EXPECT_EQ(plain.error().offset, 21u + 5u);
}

TEST(Prefixes, DecodeZeroesHostBitsAndRejectsBadLengths) {
  // 10.1.255.255/17 with garbage host bits; then a default route.
  const Bytes data{17, 10, 1, 0xff, 0};
  auto r = decode_prefixes(data, IpAddress::Family::V4, false, 100);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0], pfx("10.1.128.0", 17));
  EXPECT_EQ((*r)[1], pfx("0.0.0.0", 0));
  Bytes out;
  encode_prefixes(*r, false, out);
  EXPECT_EQ(out, (Bytes{17, 10, 1, 0x80, 0}));

  auto too_long = decode_prefixes(Bytes{8, 10, 33, 1, 2, 3, 4, 5}, IpAddress::Family::V4, false, 100);
  ASSERT_FALSE(too_long.ok());
  EXPECT_EQ(too_long.error().code, 3);
  EXPECT_EQ(too_long.error().subcode, 10);  // Invalid Network Field
  EXPECT_EQ(too_long.error().offset, 102u);
  auto v6 = decode_prefixes(Bytes{129, 0}, IpAddress::Family::V6, false, 0);
  EXPECT_FALSE(v6.ok());
  auto truncated = decode_prefixes(Bytes{24, 10, 1}, IpAddress::Family::V4, false, 0);
  EXPECT_FALSE(truncated.ok());
  auto truncated_id = decode_prefixes(Bytes{0, 0, 1}, IpAddress::Family::V4, true, 0);
  EXPECT_FALSE(truncated_id.ok());
  auto v6ok = decode_prefixes(Bytes{128, 0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, IpAddress::Family::V6, false, 0);
  ASSERT_TRUE(v6ok.ok());
  EXPECT_EQ((*v6ok)[0], pfx("2001:db8::1", 128));
}

// --- End-of-RIB (RFC 4724 §2) --------------------------------------------------------------

TEST(EndOfRib, EvpnMarkerMatchesFrrBytes) {
  const UpdateMessage eor = make_end_of_rib(AfiSafi::l2vpn_evpn());
  EXPECT_EQ(eor.end_of_rib(), AfiSafi::l2vpn_evpn());
  Bytes body;
  encode_update_body(eor, CodecContext{}, body);
  const Bytes frr = test::testdata("frr_eor_evpn.hex");
  EXPECT_EQ(body, Bytes(frr.begin() + 19, frr.end()));
}

TEST(EndOfRib, Ipv4IsTheEmptyUpdate) {
  const UpdateMessage eor = make_end_of_rib(AfiSafi::ipv4_unicast());
  EXPECT_EQ(eor.end_of_rib(), AfiSafi::ipv4_unicast());
  Bytes body;
  encode_update_body(eor, CodecContext{}, body);
  EXPECT_EQ(body, (Bytes{0, 0, 0, 0}));
  auto r = decode_update(body, CodecContext{});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->update.end_of_rib(), AfiSafi::ipv4_unicast());
}

TEST(EndOfRib, NotAnEndOfRib) {
  UpdateMessage m = make_end_of_rib(AfiSafi::l2vpn_evpn());
  m.attrs.origin = Origin::Igp;  // another attribute
  EXPECT_FALSE(m.end_of_rib());
  m = make_end_of_rib(AfiSafi::l2vpn_evpn());
  m.attrs.mp_unreach->nlri = {1, 2};  // withdraws something
  EXPECT_FALSE(m.end_of_rib());
  m = make_end_of_rib(AfiSafi::ipv4_unicast());
  m.withdrawn = {pfx("10.0.0.0", 8)};
  EXPECT_FALSE(m.end_of_rib());
  auto w = test::decode_whole(test::testdata("gobgp_withdraw_type3.hex"));
  ASSERT_TRUE(w.ok());
  EXPECT_FALSE(w->update.end_of_rib());
}

// --- Value types ---------------------------------------------------------------------------

TEST(AsPathValue, LengthFirstAsContainsToString) {
  const AsPath p = path({cseq({64512, 64513}), seq({65001, 65002}), set({1, 2}), cset({7})});
  EXPECT_EQ(p.length(), 3u);  // RFC 4271 §9.1.2.2 a): set counts 1, confed 0
  EXPECT_EQ(p.first_as(), std::nullopt);  // leads with a confederation segment
  EXPECT_EQ(path({seq({65001, 65002})}).first_as(), 65001u);
  EXPECT_EQ(path({set({1, 2})}).first_as(), std::nullopt);
  EXPECT_EQ(AsPath{}.first_as(), std::nullopt);
  EXPECT_TRUE(p.contains(64513));
  EXPECT_TRUE(p.contains(2));
  EXPECT_FALSE(p.contains(3));
  EXPECT_EQ(p.to_string(), "(64512 64513) 65001 65002 {1,2} [7]");
  EXPECT_EQ(AsPath{}.to_string(), "");
}

TEST(AsPathValue, LongSegmentsAreSplitOnTheWire) {
  UpdateMessage m;
  AsPathSegment big{AsPathSegmentType::Sequence, {}};
  for (std::uint32_t i = 0; i < 300; ++i) big.asns.push_back(65000 + i % 7);
  m.attrs.as_path = AsPath{{big}};
  Bytes body;
  encode_update_body(m, CodecContext{}, body);
  auto r = decode_update(body, CodecContext{});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->update.attrs.as_path->segments.size(), 2u);
  EXPECT_EQ(r->update.attrs.as_path->segments[0].asns.size(), 255u);
  EXPECT_EQ(r->update.attrs.as_path->length(), 300u);
  EXPECT_EQ(headers(body)[0], (PathAttributes::Slot{2, 0x50}));  // 1204 octets: extended length
}

TEST(MpReachValue, NextHopAddress) {
  MpReach m;
  m.next_hop = {10, 0, 0, 1};
  EXPECT_EQ(m.next_hop_address(), ip("10.0.0.1"));
  m.next_hop = Bytes(16, 0);
  m.next_hop[0] = 0x20;
  m.next_hop[15] = 1;
  EXPECT_EQ(m.next_hop_address(), ip("2000::1"));
  m.next_hop.resize(32, 0xfe);  // global + link-local: the global one
  EXPECT_EQ(m.next_hop_address(), ip("2000::1"));
  m.next_hop = Bytes(12, 0);  // RD + IPv4 (VPN): not a plain address
  EXPECT_EQ(m.next_hop_address(), std::nullopt);
  m.next_hop.clear();
  EXPECT_EQ(m.next_hop_address(), std::nullopt);
}

TEST(AttrActionName, Names) {
  EXPECT_EQ(to_string(AttrAction::TreatAsWithdraw), "treat-as-withdraw");
  EXPECT_EQ(to_string(AttrAction::SessionReset), "session-reset");
  EXPECT_EQ(to_string(AttrAction::AttributeDiscard), "attribute-discard");
}

}  // namespace
}  // namespace evpnd::bgp::wire
