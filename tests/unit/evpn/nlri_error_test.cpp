// Malformed EVPN NLRI: every length rule of nlri.hpp, each asserting the NOTIFICATION code
// (3, UPDATE Message Error), subcode (9, Optional Attribute Error; RFC 7606 §5.3) and the
// offset of the offending NLRI in the whole message. Unknown route types are never errors.
#include <gtest/gtest.h>

#include "capture_util.hpp"
#include "evpn/nlri.hpp"
#include "support/testdata.hpp"

using namespace evpnd::evpn;
namespace wire = evpnd::bgp::wire;

namespace {

void expect_error(const wire::ByteVec& nlri, bool add_path, std::size_t base, std::size_t want_offset,
                  const std::string& reason_part) {
  auto res = decode_evpn_nlris(nlri, add_path, base);
  ASSERT_FALSE(res.ok()) << "expected an error containing '" << reason_part << "'";
  EXPECT_EQ(res.error().code, 3);
  EXPECT_EQ(res.error().subcode, 9);
  EXPECT_EQ(res.error().offset, want_offset) << res.error().reason;
  EXPECT_NE(res.error().reason.find(reason_part), std::string::npos) << res.error().reason;
  EXPECT_TRUE(res.error().data.empty());
  // The visitor agrees, and reports the same error.
  auto v = for_each_evpn_nlri(nlri, add_path, base, [](const EvpnNlri&) {});
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().offset, want_offset);
}

struct Capture {
  std::vector<std::uint8_t> msg;
  evpnd::test::CapturedAttrs cap;
  wire::ByteVec nlri() const { return {cap.nlri.begin(), cap.nlri.end()}; }
};
Capture load(const char* name) {
  Capture c;
  c.msg = evpnd::test::testdata(name);
  c.cap = evpnd::test::parse_capture(c.msg);
  return c;
}

// A syntactically valid body of `len` bytes for the route type, for length tests.
wire::ByteVec nlri_of(std::uint8_t type, const wire::ByteVec& body) {
  wire::ByteVec v(body.size() + 2);
  v[0] = type;
  v[1] = static_cast<std::uint8_t>(body.size());
  for (std::size_t i = 0; i < body.size(); ++i) v[i + 2] = body[i];
  return v;
}

}  // namespace

// ---- framing ----

TEST(EvpnNlriErrors, LengthRunningPastTheBufferIsAFramingError) {
  auto c = load("frr_type2_macip.hex");  // one Type-2 of 37 bytes at message offset 36
  auto nlri = c.nlri();
  ASSERT_EQ(c.cap.nlri_offset, 36u);
  nlri[1] = 38;
  expect_error(nlri, false, c.cap.nlri_offset, 36, "runs past the end");
  nlri[1] = 255;
  expect_error(nlri, false, c.cap.nlri_offset, 36, "runs past the end");
}

TEST(EvpnNlriErrors, FramingErrorInTheSecondNlriPointsAtTheSecond) {
  auto c = load("frr_type2_mac_mobility.hex");  // 33-byte then 37-byte Type-2
  auto nlri = c.nlri();
  const std::size_t second = 2 + 33;
  ASSERT_EQ(nlri[second], 2);
  nlri.pop_back();  // the second NLRI is now one byte short
  expect_error(nlri, false, c.cap.nlri_offset, c.cap.nlri_offset + second, "runs past the end");
}

TEST(EvpnNlriErrors, TruncatedHeaderAndPathId) {
  expect_error({0x02}, false, 100, 100, "truncated route type");
  // Two good NLRI bytes then a lone type octet.
  expect_error({0x07, 0x00, 0x02}, false, 100, 102, "truncated route type");
  // ADD-PATH: three bytes cannot hold the 4-octet path identifier.
  expect_error({0x00, 0x00, 0x01}, true, 40, 40, "path identifier");
  // ADD-PATH: a path id and nothing else.
  expect_error({0x00, 0x00, 0x00, 0x01}, true, 40, 40, "truncated route type");
  // Without ADD-PATH the same bytes are two unknown-type NLRI (type 0 length 0, type 0
  // length 1 with body 0x01), which is valid.
  auto ok = decode_evpn_nlris(wire::ByteVec{0x00, 0x00, 0x00, 0x01, 0x01}, false, 0);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->size(), 2u);
}

TEST(EvpnNlriErrors, EmptyFieldIsFine) {
  auto r = decode_evpn_nlris({}, false, 0);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->empty());
  auto r2 = decode_evpn_nlris({}, true, 0);
  ASSERT_TRUE(r2.ok());
  EXPECT_TRUE(r2->empty());
}

// ---- Type-2 ----

TEST(EvpnNlriErrors, Type2BodyLengths) {
  auto c = load("frr_type2_macip.hex");
  auto nlri = c.nlri();  // 37-byte body, IPv4
  // Shorten the declared length to 36 (and drop a byte): a valid Type-2 length, but the IP
  // length 32 needs 37 or 40.
  auto v = nlri;
  v[1] = 36;
  v.pop_back();
  expect_error(v, false, 36, 36, "IP address length 32 does not match");
  // 38, 39, 41, 48, 50, 51, 53 and 32 are no Type-2 length at all.
  for (int len : {32, 34, 35, 38, 39, 41, 48, 50, 51, 53}) {
    wire::ByteVec body(static_cast<std::size_t>(len), 0);
    body[22] = 48;
    expect_error(nlri_of(2, body), false, 7, 7, "length is not 33, 36, 37, 40, 49 or 52");
  }
  wire::ByteVec empty_body;
  expect_error(nlri_of(2, empty_body), false, 7, 7, "length is not 33");
}

TEST(EvpnNlriErrors, Type2MacLengthMustBe48Bits) {
  auto c = load("frr_type2_mac.hex");
  auto nlri = c.nlri();
  ASSERT_EQ(nlri[2 + 22], 48);
  for (std::uint8_t bad : {0, 6, 47, 49, 64, 255}) {
    nlri[2 + 22] = bad;
    expect_error(nlri, false, c.cap.nlri_offset, c.cap.nlri_offset, "MAC address length");
  }
}

TEST(EvpnNlriErrors, Type2IpLengthMustBe0_32Or128Bits) {
  auto c = load("frr_type2_macip.hex");
  auto nlri = c.nlri();
  ASSERT_EQ(nlri[2 + 29], 32);
  for (std::uint8_t bad : {4, 16, 24, 31, 33, 64, 127, 129}) {
    nlri[2 + 29] = bad;
    expect_error(nlri, false, 36, 36, "is not 0, 32 or 128");
  }
  // 0 or 128 are valid lengths that do not fit a 37-byte body.
  for (std::uint8_t mismatch : {0, 128}) {
    nlri[2 + 29] = mismatch;
    expect_error(nlri, false, 36, 36, "does not match the NLRI length");
  }
  // A MAC-only (33) body claiming an IPv4 address.
  auto m = load("frr_type2_mac.hex").nlri();
  m[2 + 29] = 32;
  expect_error(m, false, 0, 0, "does not match");
  // A 49-byte body (IPv6 size) claiming IPv4.
  wire::ByteVec body(49, 0);
  body[22] = 48;
  body[29] = 32;
  expect_error(nlri_of(2, body), false, 0, 0, "does not match");
}

// ---- Types 1, 3, 4, 5 ----

TEST(EvpnNlriErrors, Type1IsExactly25) {
  for (int len : {0, 24, 26, 28})
    expect_error(nlri_of(1, wire::ByteVec(static_cast<std::size_t>(len), 0)), false, 9, 9, "length is not 25");
  auto ok = decode_evpn_nlris(nlri_of(1, wire::ByteVec(25, 0)), false, 0);
  EXPECT_TRUE(ok.ok());
}

TEST(EvpnNlriErrors, Type3LengthsAndIpLength) {
  auto c = load("gobgp_withdraw_type3.hex");  // 17-byte IPv4 Type-3
  auto nlri = c.nlri();
  ASSERT_EQ(nlri[2 + 12], 32);
  for (std::uint8_t bad : {0, 4, 16, 31, 33, 128}) {
    nlri[2 + 12] = bad;
    const char* why = bad == 128 ? "does not match the NLRI length" : "is not 32 or 128";
    expect_error(nlri, false, c.cap.nlri_offset, c.cap.nlri_offset, why);
  }
  for (int len : {13, 16, 18, 28, 30}) {
    wire::ByteVec body(static_cast<std::size_t>(len), 0);
    body[12] = 32;
    expect_error(nlri_of(3, body), false, 0, 0, "length is not 17 or 29");
  }
  wire::ByteVec v6(29, 0);
  v6[12] = 32;  // IPv4 length in an IPv6-sized body
  expect_error(nlri_of(3, v6), false, 0, 0, "does not match");
}

TEST(EvpnNlriErrors, Type4LengthsAndIpLength) {
  for (int len : {19, 22, 24, 34, 36}) {
    wire::ByteVec body(static_cast<std::size_t>(len), 0);
    expect_error(nlri_of(4, body), false, 3, 3, "length is not 23 or 35");
  }
  wire::ByteVec body(23, 0);
  body[18] = 24;
  expect_error(nlri_of(4, body), false, 3, 3, "is not 32 or 128");
  body[18] = 128;
  expect_error(nlri_of(4, body), false, 3, 3, "does not match");
  wire::ByteVec v6(35, 0);
  v6[18] = 32;
  expect_error(nlri_of(4, v6), false, 3, 3, "does not match");
}

TEST(EvpnNlriErrors, Type5LengthsAndPrefixLength) {
  for (int len : {0, 33, 35, 46, 57, 59}) {
    expect_error(nlri_of(5, wire::ByteVec(static_cast<std::size_t>(len), 0)), false, 0, 0, "length is not 34 or 58");
  }
  wire::ByteVec v4(34, 0);
  v4[22] = 33;
  expect_error(nlri_of(5, v4), false, 0, 0, "IP prefix length 33 exceeds 32");
  v4[22] = 32;
  EXPECT_TRUE(decode_evpn_nlris(nlri_of(5, v4), false, 0).ok());
  wire::ByteVec v6(58, 0);
  v6[22] = 129;
  expect_error(nlri_of(5, v6), false, 0, 0, "IP prefix length 129 exceeds 128");
  v6[22] = 128;
  EXPECT_TRUE(decode_evpn_nlris(nlri_of(5, v6), false, 0).ok());
}

TEST(EvpnNlriErrors, AddPathOffsetsPointAtThePathId) {
  auto c = load("frr_type2_mac_mobility.hex");
  wire::ByteVec nlri;
  // Two NLRI with path ids 1 and 2.
  auto decoded = decode_evpn_nlris(c.nlri(), false, 0);
  ASSERT_TRUE(decoded.ok());
  (*decoded)[0].path_id = 1;
  (*decoded)[1].path_id = 2;
  encode_evpn_nlris(*decoded, true, nlri);
  ASSERT_EQ(nlri.size(), 4u + 2 + 33 + 4 + 2 + 37);
  auto bad = nlri;
  bad[4 + 2 + 33 + 4 + 2 + 22] = 40;  // MAC length of the second
  expect_error(bad, true, 1000, 1000 + 4 + 2 + 33, "MAC address length 40");
  // The path id of the first NLRI is the error offset when that one is bad.
  bad = nlri;
  bad[4 + 1] = 34;
  expect_error(bad, true, 1000, 1000, "length is not 33");
}

// ---- unknown types: kept, never an error ----

TEST(EvpnNlriUnknown, UnknownTypesAreKeptAndReencoded) {
  wire::ByteVec nlri{0x00, 0x00,                    // type 0, empty
                     0x06, 0x03, 0xaa, 0xbb, 0xcc,  // type 6 (RFC 9251 SMET), opaque
                     0xff, 0x01, 0x42};
  auto c = load("frr_type2_mac.hex");
  auto t2 = c.nlri();
  nlri.insert(nlri.end(), t2.begin(), t2.end());  // and a Type-2 after them
  auto r = decode_evpn_nlris(nlri, false, 0);
  ASSERT_TRUE(r.ok()) << r.error().reason;
  ASSERT_EQ(r->size(), 4u);
  auto& u0 = std::get<UnknownRoute>((*r)[0].route);
  EXPECT_EQ(u0.type, 0);
  EXPECT_TRUE(u0.body.empty());
  auto& u6 = std::get<UnknownRoute>((*r)[1].route);
  EXPECT_EQ(u6.type, 6);
  EXPECT_EQ(u6.body, (wire::ByteVec{0xaa, 0xbb, 0xcc}));
  EXPECT_EQ(route_type((*r)[1].route), 6);
  EXPECT_EQ(route_rd((*r)[1].route), nullptr);
  EXPECT_EQ(to_string((*r)[1].route), "[6]:[aabbcc]");
  auto& uff = std::get<UnknownRoute>((*r)[2].route);
  EXPECT_EQ(uff.type, 255);
  EXPECT_EQ(to_string((*r)[2].route), "[255]:[42]");
  EXPECT_TRUE(std::holds_alternative<MacIpRoute>((*r)[3].route));
  wire::ByteVec out;
  encode_evpn_nlris(*r, false, out);
  EXPECT_EQ(out, nlri);

  // A 255-byte unknown body.
  wire::ByteVec big{0x09, 0xff};
  for (int i = 0; i < 255; ++i) big.push_back(static_cast<std::uint8_t>(i));
  auto rb = decode_evpn_nlris(big, false, 0);
  ASSERT_TRUE(rb.ok());
  EXPECT_EQ(std::get<UnknownRoute>((*rb)[0].route).body.size(), 255u);
  wire::ByteVec out2;
  encode_evpn_nlris(*rb, false, out2);
  EXPECT_EQ(out2, big);
}
