// Generated EVPN NLRI: hand-written byte vectors for each route type (so the encoder is
// checked against the RFC layout, not only against the decoder), exhaustive round trips
// over RD types, ESI types, address families, label counts and ADD-PATH, and a seeded
// random byte-level property: whatever decodes re-encodes to the same bytes.
#include <gtest/gtest.h>

#include <random>

#include "evpn/nlri.hpp"

using namespace evpnd::evpn;
namespace wire = evpnd::bgp::wire;

namespace {

wire::IpAddress ip(const char* text) { return *wire::IpAddress::parse(text); }
EthernetSegmentId esi(const char* text) { return *EthernetSegmentId::parse(text); }

wire::ByteVec encode(const EvpnNlri& n, bool add_path = false) {
  wire::ByteVec out;
  encode_evpn_nlri(n, add_path, out);
  EXPECT_EQ(out.size(), encoded_size(n, add_path));
  return out;
}

EvpnNlri decode_single(const wire::ByteVec& bytes, bool add_path = false) {
  auto r = decode_evpn_nlris(bytes, add_path, 0);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().reason);
  if (!r.ok() || r->size() != 1) {
    ADD_FAILURE() << "expected exactly one NLRI";
    return {};
  }
  return (*r)[0];
}

// bytes -> value -> bytes, and value -> bytes -> value.
void check_vector(const EvpnNlri& value, const wire::ByteVec& bytes, const std::string& frr) {
  EXPECT_EQ(encode(value), bytes);
  EXPECT_EQ(decode_single(bytes), value);
  EXPECT_EQ(to_string(value.route), frr);
}

}  // namespace

TEST(EvpnNlriVectors, Type1EthernetAutoDiscovery) {
  EadRoute r;
  r.rd = RouteDistinguisher::make_type0(65001, 100);
  r.esi = esi("03:00:11:22:33:44:55:00:00:01");  // type 3: MAC-based
  r.etag = EthernetTag{EthernetTag::kMaxEt};        // EAD per ES
  r.label = Label::from_vni(*Vni::make(100));
  const wire::ByteVec bytes{0x01, 25,                                                  //
                            0x00, 0x00, 0xfd, 0xe9, 0x00, 0x00, 0x00, 0x64,            // RD 65001:100
                            0x03, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x00, 0x00, 0x01,  // ESI
                            0xff, 0xff, 0xff, 0xff,                                    // MAX-ET
                            0x00, 0x00, 0x64};                                         // label
  check_vector(EvpnNlri{std::nullopt, r}, bytes, "[1]:[4294967295]:[03:00:11:22:33:44:55:00:00:01]:[32]:[0.0.0.0]:[0]");
}

TEST(EvpnNlriVectors, Type2Ipv6TwoLabelsNonZeroEsi) {
  MacIpRoute r;
  r.rd = RouteDistinguisher::make_type1(0x0a000001, 2);
  r.esi = esi("00:01:02:03:04:05:06:07:08:09");  // type 0: operator configured
  r.etag = EthernetTag{0};
  r.mac = *MacAddress::parse("AA:BB:CC:DD:EE:FF");
  r.ip = ip("2001:db8::1");
  r.label1 = Label{100};
  r.label2 = Label{4001};  // L3VNI (RFC 9135 symmetric IRB)
  wire::ByteVec bytes{0x02, 52, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x01, 0x00, 0x02,  // RD 10.0.0.1:2
                      0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09,  // ESI
                      0x00, 0x00, 0x00, 0x00,                                      // etag
                      48,   0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,                    // MAC
                      128,  0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,
                      0x00, 0x00, 0x64,   // label 1
                      0x00, 0x0f, 0xa1};  // label 2
  check_vector(EvpnNlri{std::nullopt, r}, bytes, "[2]:[0]:[48]:[aa:bb:cc:dd:ee:ff]:[128]:[2001:db8::1]");
}

TEST(EvpnNlriVectors, Type3Ipv6OriginatingRouter) {
  ImetRoute r;
  r.rd = RouteDistinguisher::make_type2(4200000000u, 7);
  r.etag = EthernetTag{100};  // VLAN-aware bundle: the tag is the VID
  r.originating_ip = ip("2001:db8::a");
  wire::ByteVec bytes{0x03, 29, 0x00, 0x02, 0xfa, 0x56, 0xea, 0x00, 0x00, 0x07,  // RD 4200000000:7
                      0x00, 0x00, 0x00, 0x64, 128, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0a};
  check_vector(EvpnNlri{std::nullopt, r}, bytes, "[3]:[100]:[128]:[2001:db8::a]");
}

TEST(EvpnNlriVectors, Type4EthernetSegment) {
  EsRoute r;
  r.rd = RouteDistinguisher::make_type1(0x0a000001, 0);
  r.esi = esi("01:aa:bb:cc:dd:ee:ff:00:01:00");  // type 1: LACP system MAC + port key
  r.originating_ip = ip("10.0.0.1");
  wire::ByteVec bytes{0x04, 23, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x01, 0x00, 0x00,  //
                      0x01, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x00, 0x01, 0x00,  //
                      32,   0x0a, 0x00, 0x00, 0x01};
  check_vector(EvpnNlri{std::nullopt, r}, bytes, "[4]:[01:aa:bb:cc:dd:ee:ff:00:01:00]:[32]:[10.0.0.1]");
  // IPv6 originating router: 35 bytes (RFC 7432 §7.4 with IP length 128).
  r.originating_ip = ip("fd00::1");
  auto v6 = encode(EvpnNlri{std::nullopt, r});
  EXPECT_EQ(v6.size(), 2u + 35);
  EXPECT_EQ(v6[2 + 18], 128);
  EXPECT_EQ(decode_single(v6), (EvpnNlri{std::nullopt, r}));
  EXPECT_EQ(to_string(r), "[4]:[01:aa:bb:cc:dd:ee:ff:00:01:00]:[128]:[fd00::1]");
}

TEST(EvpnNlriVectors, Type5IpPrefixV4AndV6) {
  IpPrefixRoute r;
  r.rd = RouteDistinguisher::make_type2(4200000000u, 5);
  r.prefix = ip("10.1.1.0");
  r.prefix_length = 24;
  r.gateway = ip("0.0.0.0");
  r.label = Label{5000};
  wire::ByteVec v4{0x05, 34, 0x00, 0x02, 0xfa, 0x56, 0xea, 0x00, 0x00, 0x05,  //
                   0, 0, 0, 0, 0, 0, 0, 0, 0, 0,                              // ESI
                   0, 0, 0, 0,                                                // etag
                   24, 10, 1, 1, 0,                                           // prefix
                   0, 0, 0, 0,                                                // gateway
                   0x00, 0x13, 0x88};
  check_vector(EvpnNlri{std::nullopt, r}, v4, "[5]:[0]:[24]:[10.1.1.0]");

  IpPrefixRoute r6;
  r6.rd = RouteDistinguisher::make_type1(0xc0000202, 8);  // 192.0.2.2:8
  r6.esi = esi("05:00:00:fd:e9:00:00:00:01:00");          // type 5: AS-based
  r6.prefix = ip("2001:db8:1:1::");
  r6.prefix_length = 64;
  r6.gateway = ip("2001:db8::fe");
  r6.label = Label{104001};
  auto bytes6 = encode(EvpnNlri{std::nullopt, r6});
  ASSERT_EQ(bytes6.size(), 2u + 58);
  EXPECT_EQ(bytes6[2 + 22], 64);
  EXPECT_EQ(bytes6[2 + 23], 0x20);       // prefix starts
  EXPECT_EQ(bytes6[2 + 39 + 15], 0xfe);  // gateway ends
  EXPECT_EQ(bytes6[59], 0x41);           // label 104001 = 0x019641
  EXPECT_EQ(decode_single(bytes6), (EvpnNlri{std::nullopt, r6}));
  EXPECT_EQ(to_string(r6), "[5]:[0]:[64]:[2001:db8:1:1::]");  // as in FRR's bgp.rst
}

TEST(EvpnNlriVectors, AddPathIdPrecedesEachNlri) {
  ImetRoute r;
  r.rd = RouteDistinguisher::make_type1(0x0a000001, 2);
  r.originating_ip = ip("10.0.0.1");
  EvpnNlri n{0xdeadbeef, r};
  auto b = encode(n, true);
  ASSERT_EQ(b.size(), 4u + 2 + 17);
  EXPECT_EQ(b[0], 0xde);
  EXPECT_EQ(b[3], 0xef);
  EXPECT_EQ(b[4], 3);
  EXPECT_EQ(decode_single(b, true), n);
  // No path id with ADD-PATH on: written as 0.
  auto b0 = encode(EvpnNlri{std::nullopt, r}, true);
  EXPECT_EQ(decode_single(b0, true).path_id, 0u);
  // A path id is dropped when ADD-PATH is off.
  EXPECT_EQ(encode(n, false).size(), 2u + 17);
}

TEST(EvpnNlriVectors, FrrSignedEthernetTagQuirk) {
  MacIpRoute r;
  r.rd = RouteDistinguisher::make_type0(1, 1);
  r.etag = EthernetTag{0xFFFFFFFF};
  r.mac = *MacAddress::parse("02:00:00:00:01:01");
  EXPECT_EQ(to_string(r), "[2]:[-1]:[48]:[02:00:00:00:01:01]");
  r.etag = EthernetTag{0x7FFFFFFF};
  EXPECT_EQ(to_string(r), "[2]:[2147483647]:[48]:[02:00:00:00:01:01]");
  ImetRoute i;
  i.etag = EthernetTag{0x80000000};
  i.originating_ip = ip("10.0.0.1");
  EXPECT_EQ(to_string(i), "[3]:[-2147483648]:[32]:[10.0.0.1]");
  EadRoute e;  // Type-1 uses %u in FRR
  e.etag = EthernetTag{0xFFFFFFFF};
  EXPECT_EQ(to_string(e), "[1]:[4294967295]:[00:00:00:00:00:00:00:00:00:00]:[32]:[0.0.0.0]:[0]");
}

// Every combination of RD type, ESI type, address family, label count and ADD-PATH.
TEST(EvpnNlriRoundTrip, AllTypesAllCombinations) {
  const std::vector<RouteDistinguisher> rds{
      RouteDistinguisher::make_type0(65001, 100), RouteDistinguisher::make_type1(0x0a000001, 2),
      RouteDistinguisher::make_type2(4200000000u, 5),
      RouteDistinguisher{0x1234, {1, 2, 3, 4, 5, 6}}};  // unknown RD type carried as is
  const std::vector<EthernetSegmentId> esis{
      EthernetSegmentId{},
      esi("00:11:22:33:44:55:66:77:88:99"),  // type 0 arbitrary
      esi("01:aa:bb:cc:dd:ee:ff:00:01:00"),  // type 1 LACP
      esi("02:aa:bb:cc:dd:ee:ff:80:00:00"),  // type 2 MSTP/bridge
      esi("03:aa:bb:cc:dd:ee:ff:00:00:07"),  // type 3 MAC
      esi("04:0a:00:00:01:00:00:00:05:00"),  // type 4 router id
      esi("05:00:00:fd:e9:00:00:00:01:00"),  // type 5 AS
  };
  const std::vector<std::optional<wire::IpAddress>> ips{std::nullopt, ip("192.168.100.1"), ip("2001:db8::42")};
  const std::vector<wire::IpAddress> origs{ip("10.0.0.2"), ip("fd00::2")};

  std::vector<EvpnNlri> all;
  std::uint32_t id = 1;
  for (const auto& rd : rds) {
    for (const auto& e : esis) {
      ASSERT_TRUE(e.is_zero() || e.type() <= 5);
      all.push_back({id++, EadRoute{rd, e, EthernetTag{id}, Label::from_mpls(16 + id)}});
      for (const auto& a : ips) {
        for (bool two : {false, true}) {
          MacIpRoute m{rd, e, EthernetTag{id % 3}, MacAddress{{0x02, 0, 0, 0, static_cast<std::uint8_t>(id), 1}},
                       a, Label{id}, std::nullopt};
          if (two) m.label2 = Label{0xFFFFFF};
          all.push_back({id++, m});
        }
      }
      for (const auto& o : origs) {
        all.push_back({id++, EsRoute{rd, e, o}});
        IpPrefixRoute p{rd, e, EthernetTag{0}, o, static_cast<std::uint8_t>(o.is_v4() ? 32 : 128),
                        o.is_v4() ? ip("10.9.9.9") : ip("fd00::9"), Label{id}};
        all.push_back({id++, p});
      }
    }
    for (const auto& o : origs) all.push_back({id++, ImetRoute{rd, EthernetTag{id}, o}});
  }
  all.push_back({id++, UnknownRoute{9, {1, 2, 3}}});

  for (bool add_path : {false, true}) {
    wire::ByteVec bytes;
    encode_evpn_nlris(all, add_path, bytes);
    auto back = decode_evpn_nlris(bytes, add_path, 0);
    ASSERT_TRUE(back.ok()) << back.error().reason;
    ASSERT_EQ(back->size(), all.size());
    for (std::size_t i = 0; i < all.size(); ++i) {
      EvpnNlri want = all[i];
      if (!add_path) want.path_id.reset();
      EXPECT_EQ((*back)[i], want) << i;
    }
    wire::ByteVec again;
    encode_evpn_nlris(*back, add_path, again);
    EXPECT_EQ(again, bytes);
  }
}

// Seeded random bytes built to hit every decoder branch: any input that decodes must
// re-encode to exactly the same bytes, and any error points inside the input.
TEST(EvpnNlriRoundTrip, RandomBytesDecodeThenEncodeIsIdentity) {
  std::mt19937 rng(20240607);
  const std::vector<std::vector<int>> lengths{{}, {25}, {33, 36, 37, 40, 49, 52}, {17, 29}, {23, 35}, {34, 58}};
  auto byte = [&] { return static_cast<std::uint8_t>(rng() & 0xFF); };
  int ok_count = 0, err_count = 0;
  for (int iter = 0; iter < 20000; ++iter) {
    const bool add_path = rng() & 1;
    wire::ByteVec buf;
    const int n = static_cast<int>(rng() % 4) + 1;
    for (int k = 0; k < n; ++k) {
      if (add_path)
        for (int i = 0; i < 4; ++i) buf.push_back(byte());
      const std::uint8_t type = static_cast<std::uint8_t>(rng() % 8);
      std::size_t len = rng() % 64;
      if (type >= 1 && type <= 5 && (rng() % 8) != 0) {
        const auto& ls = lengths[type];
        len = static_cast<std::size_t>(ls[rng() % ls.size()]);
      }
      buf.push_back(type);
      buf.push_back(static_cast<std::uint8_t>(len));
      const std::size_t body_at = buf.size();
      for (std::size_t i = 0; i < len; ++i) buf.push_back(byte());
      // Make the inner length fields plausible most of the time.
      if (rng() % 8 != 0) {
        auto set = [&](std::size_t at, std::uint8_t v) {
          if (body_at + at < buf.size()) buf[body_at + at] = v;
        };
        const std::uint8_t iplens[] = {0, 32, 128};
        if (type == 2) {
          set(22, 48);
          set(29, len == 33 || len == 36 ? 0 : len == 37 || len == 40 ? 32 : 128);
          if (rng() % 16 == 0) set(29, iplens[rng() % 3]);
        }
        if (type == 3) set(12, len == 17 ? 32 : 128);
        if (type == 4) set(18, len == 23 ? 32 : 128);
        if (type == 5) set(22, static_cast<std::uint8_t>(rng() % (len == 34 ? 33 : 129)));
      }
    }
    if (rng() % 16 == 0 && !buf.empty()) buf.pop_back();  // truncation
    auto r = decode_evpn_nlris(buf, add_path, 500);
    if (r.ok()) {
      ++ok_count;
      wire::ByteVec again;
      encode_evpn_nlris(*r, add_path, again);
      ASSERT_EQ(again, buf) << "iteration " << iter;
    } else {
      ++err_count;
      EXPECT_GE(r.error().offset, 500u);
      EXPECT_LT(r.error().offset, 500u + buf.size());
      EXPECT_EQ(r.error().code, 3);
      EXPECT_EQ(r.error().subcode, 9);
    }
  }
  // Both paths were exercised substantially.
  EXPECT_GT(ok_count, 5000);
  EXPECT_GT(err_count, 1000);
}

TEST(EvpnNlriVisitor, StopsEarlyWhenTheCallbackReturnsFalse) {
  std::vector<EvpnNlri> list;
  for (int i = 0; i < 5; ++i) list.push_back({std::nullopt, ImetRoute{RouteDistinguisher::make_type0(1, static_cast<std::uint32_t>(i)), {}, ip("10.0.0.1")}});
  wire::ByteVec bytes;
  encode_evpn_nlris(list, false, bytes);
  int calls = 0;
  auto r = for_each_evpn_nlri(bytes, false, 0, [&](const EvpnNlri&) { return ++calls < 2; });
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(*r, 2u);
}
