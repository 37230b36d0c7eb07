// OPEN codec: the captured FRR and GoBGP OPENs decoded field by field and re-encoded byte
// for byte, every capability type round-tripped, RFC 9072 extended parameters, and the
// error vectors the codec owns (RFC 4271 §6.2 length problems, RFC 6793 AS4 length).
#include <gtest/gtest.h>

#include <random>

#include "bgp/wire/capabilities.hpp"
#include "bgp/wire/message.hpp"
#include "bgp/wire/open.hpp"
#include "support/testdata.hpp"

using namespace evpnd::bgp::wire;
using evpnd::test::testdata;

namespace {

// A whole OPEN message: header, version 4, AS 65001, hold 90, id 1.1.1.1, then the
// Non-Ext OP Len octet (the size of `params` unless overridden) and `params`.
ByteVec open_message(const ByteVec& params, std::optional<std::uint8_t> opt_len = std::nullopt) {
  ByteVec m(16, 0xFF);
  const std::size_t len = 19 + 10 + params.size();
  m.push_back(static_cast<std::uint8_t>(len >> 8));
  m.push_back(static_cast<std::uint8_t>(len));
  m.push_back(1);
  for (std::uint8_t b : {0x04, 0xFD, 0xE9, 0x00, 0x5A, 0x01, 0x01, 0x01, 0x01}) m.push_back(b);
  m.push_back(opt_len.value_or(static_cast<std::uint8_t>(params.size())));
  m.insert(m.end(), params.begin(), params.end());
  return m;
}

ByteSpan body_of(const ByteVec& message) { return ByteSpan(message).subspan(kHeaderSize); }

OpenMessage decode_ok(const ByteVec& message) {
  auto r = decode_open(body_of(message));
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().reason);
  return r.ok() ? r.value() : OpenMessage{};
}

ByteVec encode_whole(const OpenMessage& m) { return encode_message(Message{m}); }

void expect_open_error(const ByteVec& message, std::size_t offset) {
  auto r = decode_open(body_of(message));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, static_cast<std::uint8_t>(ErrorCode::OpenMessage));
  EXPECT_EQ(r.error().subcode, static_cast<std::uint8_t>(OpenSubcode::Unspecific));
  EXPECT_EQ(r.error().offset, offset) << r.error().reason;
  // The same error, with the same offset, when the whole message goes through dispatch.
  auto whole = decode_message(message, DecodeContext{});
  ASSERT_FALSE(whole.ok());
  EXPECT_EQ(whole.error().code, static_cast<std::uint8_t>(ErrorCode::OpenMessage));
  EXPECT_EQ(whole.error().offset, offset);
}

template <class T>
const T& only_cap(const OptionalParameter& p) {
  static const T empty{};
  EXPECT_EQ(p.type, OptionalParameter::kCapabilities);
  EXPECT_EQ(p.capabilities.size(), 1u);
  if (p.capabilities.size() != 1) return empty;
  const T* v = std::get_if<T>(&p.capabilities[0]);
  EXPECT_NE(v, nullptr) << "capability index " << p.capabilities[0].index();
  return v ? *v : empty;
}

}  // namespace

// frr_open.hex: "OPEN v4 as 65001 hold 9 rid 10.0.0.1 caps MP(25/70) RR-old RR ENHRR
// AS4(65001) EXTMSG ADDPATH FQDN GR LLGR", each capability in its own parameter.
TEST(OpenCapture, FrrDecodesFieldByField) {
  const ByteVec bytes = testdata("frr_open.hex");
  ASSERT_EQ(bytes.size(), 97u);
  const OpenMessage m = decode_ok(bytes);
  EXPECT_EQ(m.version, 4);
  EXPECT_EQ(m.my_as, 65001);
  EXPECT_EQ(m.hold_time, 9);
  EXPECT_EQ(m.bgp_id.to_string(), "10.0.0.1");
  EXPECT_FALSE(m.extended_params);
  ASSERT_EQ(m.params.size(), 10u);

  EXPECT_EQ(only_cap<MultiprotocolCap>(m.params[0]), (MultiprotocolCap{AfiSafi::l2vpn_evpn(), 0}));
  EXPECT_EQ(only_cap<UnknownCap>(m.params[1]), (UnknownCap{128, {}}));  // RR-old
  only_cap<RouteRefreshCap>(m.params[2]);
  only_cap<EnhancedRouteRefreshCap>(m.params[3]);
  EXPECT_EQ(only_cap<FourOctetAsCap>(m.params[4]).asn, Asn{65001});
  only_cap<ExtendedMessageCap>(m.params[5]);
  EXPECT_EQ(only_cap<AddPathCap>(m.params[6]),
            (AddPathCap{{{AfiSafi::l2vpn_evpn(), AddPathDirection::Receive}}}));
  EXPECT_EQ(only_cap<FqdnCap>(m.params[7]), (FqdnCap{"leaf1", ""}));
  const auto& gr = only_cap<GracefulRestartCap>(m.params[8]);
  EXPECT_EQ(gr.flags, 0xC);  // Restart State and Notification bits
  EXPECT_EQ(gr.restart_time, 120);
  EXPECT_TRUE(gr.entries.empty());
  EXPECT_EQ(only_cap<UnknownCap>(m.params[9]),
            (UnknownCap{71, {0x00, 0x19, 0x46, 0x80, 0x00, 0x00, 0x00}}));  // LLGR

  EXPECT_EQ(m.asn(), Asn{65001});
  EXPECT_EQ(m.multiprotocol_families(), std::vector<AfiSafi>{AfiSafi::l2vpn_evpn()});
  EXPECT_EQ(m.capabilities().size(), 10u);
  ASSERT_NE(m.find<FqdnCap>(), nullptr);
  EXPECT_EQ(m.find<FqdnCap>()->hostname, "leaf1");
  EXPECT_EQ(m.find<ExtendedNextHopCap>(), nullptr);
}

TEST(OpenCapture, FrrReencodesByteForByte) {
  const ByteVec bytes = testdata("frr_open.hex");
  EXPECT_EQ(encode_whole(decode_ok(bytes)), bytes);
}

// gobgp_open.hex: "OPEN v4 as 65002 hold 9 rid 10.0.0.2 caps RR FQDN MP(25/70)
// AS4(65002) ENH-NH", all capabilities in one parameter.
TEST(OpenCapture, GobgpDecodesFieldByField) {
  const ByteVec bytes = testdata("gobgp_open.hex");
  ASSERT_EQ(bytes.size(), 59u);
  const OpenMessage m = decode_ok(bytes);
  EXPECT_EQ(m.version, 4);
  EXPECT_EQ(m.my_as, 65002);
  EXPECT_EQ(m.hold_time, 9);
  EXPECT_EQ(m.bgp_id.to_string(), "10.0.0.2");
  EXPECT_FALSE(m.extended_params);
  ASSERT_EQ(m.params.size(), 1u);
  const auto& caps = m.params[0].capabilities;
  ASSERT_EQ(caps.size(), 5u);
  EXPECT_TRUE(std::holds_alternative<RouteRefreshCap>(caps[0]));
  EXPECT_EQ(std::get<FqdnCap>(caps[1]), (FqdnCap{"vm", ""}));
  EXPECT_EQ(std::get<MultiprotocolCap>(caps[2]), (MultiprotocolCap{AfiSafi::l2vpn_evpn(), 0}));
  EXPECT_EQ(std::get<FourOctetAsCap>(caps[3]).asn, Asn{65002});
  // RFC 8950: L2VPN EVPN NLRI (AFI 25, SAFI 70) with an IPv6 (AFI 2) next hop.
  EXPECT_EQ(std::get<ExtendedNextHopCap>(caps[4]), (ExtendedNextHopCap{{{25, 70, 2}}}));
  EXPECT_EQ(m.asn(), Asn{65002});
}

TEST(OpenCapture, GobgpReencodesByteForByte) {
  const ByteVec bytes = testdata("gobgp_open.hex");
  EXPECT_EQ(encode_whole(decode_ok(bytes)), bytes);
}

TEST(OpenCapture, DecodeMessageDispatchesToOpen) {
  const ByteVec bytes = testdata("gobgp_open.hex");
  auto r = decode_message(bytes, DecodeContext{});
  ASSERT_TRUE(r.ok()) << r.error().reason;
  ASSERT_TRUE(std::holds_alternative<OpenMessage>(*r));
  EXPECT_EQ(std::get<OpenMessage>(*r), decode_ok(bytes));
}

// Exact bytes of each capability as we write it, and back.
TEST(Capabilities, EachTypeEncodesToItsRfcLayout) {
  struct Case {
    Capability cap;
    ByteVec bytes;
  };
  const std::vector<Case> cases = {
      {MultiprotocolCap{AfiSafi::ipv6_unicast(), 0}, {0x01, 0x04, 0x00, 0x02, 0x00, 0x01}},
      {RouteRefreshCap{}, {0x02, 0x00}},
      {ExtendedNextHopCap{{{1, 1, 2}, {1, 128, 2}}},
       {0x05, 0x0C, 0x00, 0x01, 0x00, 0x01, 0x00, 0x02, 0x00, 0x01, 0x00, 0x80, 0x00, 0x02}},
      {ExtendedMessageCap{}, {0x06, 0x00}},
      {GracefulRestartCap{0x8, 300, {{AfiSafi::l2vpn_evpn(), 0x80}, {AfiSafi::ipv4_unicast(), 0}}},
       {0x40, 0x0A, 0x81, 0x2C, 0x00, 0x19, 0x46, 0x80, 0x00, 0x01, 0x01, 0x00}},
      {FourOctetAsCap{Asn{4200000001}}, {0x41, 0x04, 0xFA, 0x56, 0xEA, 0x01}},
      {AddPathCap{{{AfiSafi::ipv4_unicast(), AddPathDirection::Both}, {AfiSafi::l2vpn_evpn(), AddPathDirection::Send}}},
       {0x45, 0x08, 0x00, 0x01, 0x01, 0x03, 0x00, 0x19, 0x46, 0x02}},
      {EnhancedRouteRefreshCap{}, {0x46, 0x00}},
      {FqdnCap{"leaf1", "example.net"},
       {0x49, 0x12, 0x05, 'l', 'e', 'a', 'f', '1', 0x0B, 'e', 'x', 'a', 'm', 'p', 'l', 'e', '.', 'n', 'e', 't'}},
      {UnknownCap{71, {0x00, 0x19, 0x46, 0x80, 0x00, 0x00, 0x00}},
       {0x47, 0x07, 0x00, 0x19, 0x46, 0x80, 0x00, 0x00, 0x00}},
      {UnknownCap{128, {}}, {0x80, 0x00}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(static_cast<int>(capability_code(c.cap)));
    Writer w;
    encode_capability(c.cap, w);
    EXPECT_EQ(w.data(), c.bytes);
    auto back = decode_capability(c.bytes[0], ByteSpan(c.bytes).subspan(2), 100);
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, c.cap);
    EXPECT_EQ(capability_code(*back), c.bytes[0]);
  }
}

// A capability whose value has the wrong shape for its code is ignored, not fatal
// (RFC 5492 §4): it comes back as UnknownCap with its bytes, and re-encodes unchanged.
TEST(Capabilities, WrongShapeBecomesUnknownAndKeepsItsBytes) {
  const std::vector<ByteVec> tlvs = {
      {0x01, 0x03, 0x00, 0x19, 0x46},                    // MP of 3 octets
      {0x01, 0x05, 0x00, 0x19, 0x00, 0x46, 0x00},        // MP of 5 octets
      {0x02, 0x01, 0x00},                                // Route Refresh with a value
      {0x05, 0x04, 0x00, 0x01, 0x00, 0x01},              // Extended Next Hop not a multiple of 6
      {0x05, 0x00},                                      // Extended Next Hop with no entry
      {0x06, 0x01, 0x00},                                // Extended Message with a value
      {0x40, 0x01, 0x80},                                // GR shorter than its header
      {0x40, 0x05, 0x00, 0x78, 0x00, 0x01, 0x01},        // GR with a partial tuple
      {0x45, 0x04, 0x00, 0x01, 0x01, 0x04},              // ADD-PATH direction 4 (RFC 7911 §4)
      {0x45, 0x04, 0x00, 0x01, 0x01, 0x00},              // ADD-PATH direction 0
      {0x45, 0x03, 0x00, 0x01, 0x01},                    // ADD-PATH partial tuple
      {0x46, 0x02, 0x00, 0x00},                          // Enhanced RR with a value
      {0x49, 0x03, 0x02, 'v', 'm'},                      // FQDN without the domain part
      {0x49, 0x05, 0x02, 'v', 'm', 0x00, 0xAA},          // FQDN with trailing octets
      {0x49, 0x03, 0x05, 'v', 'm'},                      // FQDN hostname overruns
  };
  for (const auto& tlv : tlvs) {
    SCOPED_TRACE(testing::PrintToString(tlv));
    auto cap = decode_capability(tlv[0], ByteSpan(tlv).subspan(2), 0);
    ASSERT_TRUE(cap.ok());
    ASSERT_TRUE(std::holds_alternative<UnknownCap>(*cap));
    EXPECT_EQ(std::get<UnknownCap>(*cap), (UnknownCap{tlv[0], ByteVec(tlv.begin() + 2, tlv.end())}));
    Writer w;
    encode_capability(*cap, w);
    EXPECT_EQ(w.data(), tlv);
  }
}

TEST(Capabilities, FourOctetAsOfWrongLengthIsAnOpenError) {
  // RFC 6793 §3: the value is exactly the 4-octet AS.
  // Offsets: 29 parameter type, 30 parameter length, 31 capability code, 32 its length.
  expect_open_error(open_message({0x02, 0x05, 0x41, 0x03, 0x00, 0xFD, 0xE9}), 32);
  expect_open_error(open_message({0x02, 0x07, 0x41, 0x05, 0x00, 0x00, 0xFD, 0xE9, 0x00}), 32);
  expect_open_error(open_message({0x02, 0x02, 0x41, 0x00}), 32);
  // After a good capability in another parameter, the offset still counts from the marker.
  expect_open_error(open_message({0x02, 0x02, 0x02, 0x00, 0x02, 0x04, 0x41, 0x02, 0xFD, 0xE9}), 36);
}

TEST(Capabilities, LongLocalValuesAreCutToFitTheLengthOctet) {
  Writer w;
  encode_capability(FqdnCap{std::string(300, 'h'), "example.net"}, w);
  ASSERT_EQ(w.data().size(), 2u + 255u);
  EXPECT_EQ(w.data()[1], 255);
  EXPECT_EQ(w.data()[2], 253);  // hostname cut so both length octets fit
  EXPECT_EQ(w.data()[2 + 1 + 253], 0);
  auto back = decode_capability(73, ByteSpan(w.data()).subspan(2), 0);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(std::get<FqdnCap>(*back), (FqdnCap{std::string(253, 'h'), ""}));

  AddPathCap many;
  many.entries.assign(100, {AfiSafi::ipv4_unicast(), AddPathDirection::Both});
  Writer w2;
  encode_capability(many, w2);
  EXPECT_EQ(w2.data()[1], 252);  // 63 whole tuples
}

namespace {

Capability random_capability(std::mt19937& rng) {
  auto u8 = [&rng] { return static_cast<std::uint8_t>(rng()); };
  auto u16 = [&rng] { return static_cast<std::uint16_t>(rng()); };
  auto family = [&] { return AfiSafi{u16(), u8()}; };
  auto text = [&](std::size_t max) {
    std::string s(rng() % (max + 1), 'x');
    for (auto& ch : s) ch = static_cast<char>('a' + rng() % 26);
    return s;
  };
  switch (rng() % 10) {
    case 0: return MultiprotocolCap{family(), u8()};
    case 1: return RouteRefreshCap{};
    case 2: {
      ExtendedNextHopCap c;
      c.entries.resize(1 + rng() % 5);
      for (auto& e : c.entries) e = {u16(), u16(), u16()};
      return c;
    }
    case 3: return ExtendedMessageCap{};
    case 4: {
      GracefulRestartCap c{static_cast<std::uint8_t>(rng() % 16), static_cast<std::uint16_t>(rng() % 4096), {}};
      c.entries.resize(rng() % 5);
      for (auto& e : c.entries) e = {family(), u8()};
      return c;
    }
    case 5: return FourOctetAsCap{Asn{static_cast<std::uint32_t>(rng())}};
    case 6: {
      AddPathCap c;
      c.entries.resize(1 + rng() % 5);
      for (auto& e : c.entries) e = {family(), static_cast<AddPathDirection>(1 + rng() % 3)};
      return c;
    }
    case 7: return EnhancedRouteRefreshCap{};
    case 8: return FqdnCap{text(60), text(60)};
    default: {
      // Codes we do not model (LLGR 71, old route refresh 128, and others).
      static constexpr std::uint8_t kCodes[] = {0, 3, 4, 7, 66, 71, 128, 200, 255};
      UnknownCap c{kCodes[rng() % std::size(kCodes)], {}};
      c.value.resize(rng() % 40);
      for (auto& b : c.value) b = u8();
      return c;
    }
  }
}

}  // namespace

TEST(OpenRoundTrip, RandomOpensWithEveryCapabilityType) {
  std::mt19937 rng(20240917);
  std::array<int, 10> seen{};
  for (int i = 0; i < 2000; ++i) {
    OpenMessage m;
    m.version = static_cast<std::uint8_t>(rng());
    m.my_as = static_cast<std::uint16_t>(rng());
    m.hold_time = static_cast<std::uint16_t>(rng());
    m.bgp_id = RouterId{static_cast<std::uint32_t>(rng())};
    m.extended_params = rng() % 4 == 0;
    const std::size_t nparams = rng() % 5;
    for (std::size_t p = 0; p < nparams; ++p) {
      OptionalParameter param;
      if (rng() % 8 == 0) {
        param.type = static_cast<std::uint8_t>(1 + rng() % 200);  // unsupported type, raw
        if (param.type == OptionalParameter::kCapabilities) param.type = 1;
        param.value.resize(rng() % 10);
        for (auto& b : param.value) b = static_cast<std::uint8_t>(rng());
      } else {
        const std::size_t ncaps = rng() % 4;
        for (std::size_t c = 0; c < ncaps; ++c) {
          param.capabilities.push_back(random_capability(rng));
          ++seen[param.capabilities.back().index()];
        }
      }
      m.params.push_back(std::move(param));
    }
    // Keep it within what the classic form can carry unless it is meant to be extended.
    ByteVec body;
    encode_open_body(m, body);
    if (!m.extended_params && body.size() > 10 && body[9] == 255 && body[10] == 255) continue;

    const ByteVec bytes = encode_whole(m);
    auto back = decode_message(bytes, DecodeContext{});
    ASSERT_TRUE(back.ok()) << back.error().reason;
    ASSERT_TRUE(std::holds_alternative<OpenMessage>(*back));
    EXPECT_EQ(std::get<OpenMessage>(*back), m) << "iteration " << i;
    EXPECT_EQ(encode_whole(std::get<OpenMessage>(*back)), bytes);
  }
  for (std::size_t k = 0; k < seen.size(); ++k) EXPECT_GT(seen[k], 0) << "capability variant " << k << " never tried";
}

TEST(OpenRoundTrip, UnsupportedParameterTypeIsKeptRaw) {
  // RFC 4271 §6.2 Unsupported Optional Parameter is the FSM's decision: the codec keeps
  // type 1 (deprecated authentication) with its value.
  const ByteVec bytes = open_message({0x01, 0x03, 0xAA, 0xBB, 0xCC, 0x02, 0x02, 0x02, 0x00});
  const OpenMessage m = decode_ok(bytes);
  ASSERT_EQ(m.params.size(), 2u);
  EXPECT_EQ(m.params[0].type, 1);
  EXPECT_EQ(m.params[0].value, (ByteVec{0xAA, 0xBB, 0xCC}));
  EXPECT_TRUE(m.params[0].capabilities.empty());
  EXPECT_EQ(m.params[1].capabilities.size(), 1u);
  EXPECT_EQ(encode_whole(m), bytes);
}

TEST(OpenRoundTrip, NoParametersAndEmptyCapabilityParameter) {
  const ByteVec none = open_message({});
  const OpenMessage m = decode_ok(none);
  EXPECT_TRUE(m.params.empty());
  EXPECT_EQ(m.asn(), Asn{65001});
  EXPECT_EQ(m.hold_time, 90);
  EXPECT_EQ(encode_whole(m), none);

  const ByteVec empty_param = open_message({0x02, 0x00});
  const OpenMessage e = decode_ok(empty_param);
  ASSERT_EQ(e.params.size(), 1u);
  EXPECT_TRUE(e.params[0].capabilities.empty());
  EXPECT_EQ(encode_whole(e), empty_param);
}

TEST(MakeOpen, OneParameterPerCapabilityAndAsTrans) {
  const OpenMessage m = make_open(Asn{4200000001}, 90, RouterId{0x0A000001},
                                  {MultiprotocolCap{AfiSafi::l2vpn_evpn()}, FourOctetAsCap{Asn{4200000001}}});
  EXPECT_EQ(m.my_as, Asn::kAsTrans);  // RFC 6793 §4.1
  EXPECT_EQ(m.asn(), Asn{4200000001});
  EXPECT_EQ(m.hold_time, 90);
  EXPECT_EQ(m.version, 4);
  EXPECT_FALSE(m.extended_params);
  ASSERT_EQ(m.params.size(), 2u);
  EXPECT_EQ(m.params[0].capabilities.size(), 1u);
  ByteVec body;
  encode_open_body(m, body);
  const ByteVec expect{0x04, 0x5B, 0xA0, 0x00, 0x5A, 0x0A, 0x00, 0x00, 0x01, 0x10,
                       0x02, 0x06, 0x01, 0x04, 0x00, 0x19, 0x00, 0x46,
                       0x02, 0x06, 0x41, 0x04, 0xFA, 0x56, 0xEA, 0x01};
  EXPECT_EQ(body, expect);

  const OpenMessage small = make_open(Asn{65001}, 9, RouterId{1}, {});
  EXPECT_EQ(small.my_as, 65001);
  EXPECT_EQ(small.asn(), Asn{65001});
}

TEST(MakeOpen, MultiprotocolFamiliesInOrderWithoutRepeats) {
  const OpenMessage m =
      make_open(Asn{1}, 9, RouterId{1},
                {MultiprotocolCap{AfiSafi::l2vpn_evpn()}, RouteRefreshCap{}, MultiprotocolCap{AfiSafi::ipv4_unicast()},
                 MultiprotocolCap{AfiSafi::l2vpn_evpn()}});
  EXPECT_EQ(m.multiprotocol_families(), (std::vector<AfiSafi>{AfiSafi::l2vpn_evpn(), AfiSafi::ipv4_unicast()}));
}

// RFC 9072 §2: Non-Ext OP Len 255, Non-Ext OP Type 255, 2-octet Extended Opt. Parm.
// Length, and 2-octet Parameter Length in each parameter.
TEST(Rfc9072, ExtendedParametersRoundTrip) {
  const ByteVec params = {0xFF, 0x00, 0x0E,                                        // type 255, ext length 14
                          0x02, 0x00, 0x06, 0x41, 0x04, 0xFA, 0x56, 0xEA, 0x01,    // AS4 4200000001
                          0x02, 0x00, 0x02, 0x02, 0x00};                           // route refresh
  const ByteVec bytes = open_message(params, 0xFF);
  ASSERT_EQ(bytes[28], 0xFF);
  const OpenMessage m = decode_ok(bytes);
  EXPECT_TRUE(m.extended_params);
  ASSERT_EQ(m.params.size(), 2u);
  EXPECT_EQ(only_cap<FourOctetAsCap>(m.params[0]).asn, Asn{4200000001});
  only_cap<RouteRefreshCap>(m.params[1]);
  EXPECT_EQ(encode_whole(m), bytes);

  // The same parameters in the classic form decode to the same capabilities.
  const OpenMessage classic = decode_ok(open_message({0x02, 0x06, 0x41, 0x04, 0xFA, 0x56, 0xEA, 0x01,  //
                                                      0x02, 0x02, 0x02, 0x00}));
  EXPECT_FALSE(classic.extended_params);
  EXPECT_EQ(classic.params, m.params);
}

TEST(Rfc9072, AnyNonZeroNonExtLengthWithType255IsExtended) {
  // RFC 9072 §2: the Non-Ext OP Type decides, whatever non-zero Non-Ext OP Len says.
  const ByteVec params = {0xFF, 0x00, 0x05, 0x02, 0x00, 0x02, 0x02, 0x00};
  const OpenMessage m = decode_ok(open_message(params, 7));
  EXPECT_TRUE(m.extended_params);
  ASSERT_EQ(m.params.size(), 1u);
  only_cap<RouteRefreshCap>(m.params[0]);
  // Written back with the Non-Ext OP Len RFC 9072 requires of a sender.
  EXPECT_EQ(encode_whole(m), open_message(params, 0xFF));
}

TEST(Rfc9072, LargeOpenUsesExtendedForm) {
  std::vector<Capability> caps;
  for (int i = 0; i < 40; ++i) {
    AddPathCap ap;
    ap.entries.push_back({AfiSafi{1, static_cast<std::uint8_t>(i)}, AddPathDirection::Both});
    caps.emplace_back(std::in_place_type<AddPathCap>, std::move(ap));
  }
  const OpenMessage m = make_open(Asn{65001}, 90, RouterId{1}, caps);
  EXPECT_TRUE(m.extended_params);  // 40 x 8 = 320 octets do not fit the classic form
  const ByteVec bytes = encode_whole(m);
  EXPECT_EQ(bytes[28], 0xFF);
  EXPECT_EQ(bytes[29], 0xFF);
  EXPECT_EQ((bytes[30] << 8) | bytes[31], 40 * 9);  // type + 2-octet length + 6
  EXPECT_EQ(decode_ok(bytes), m);

  // An OPEN built by hand without the flag is still written in a form that decodes.
  OpenMessage unflagged = m;
  unflagged.extended_params = false;
  const OpenMessage back = decode_ok(encode_whole(unflagged));
  EXPECT_TRUE(back.extended_params);
  EXPECT_EQ(back.params, m.params);
}

// Error vectors: flip one length in the FRR capture and expect OPEN Message Error /
// Unspecific at the octet that is wrong (offsets count from the first marker octet).
TEST(OpenErrors, FrrCaptureWithBrokenLengths) {
  const ByteVec good = testdata("frr_open.hex");
  ASSERT_EQ(good[28], 0x44);  // Optional Parameters Length
  {
    ByteVec b = good;
    b[28] = 0x45;  // overruns the message
    expect_open_error(b, 28);
  }
  {
    ByteVec b = good;
    b[28] = 0x43;  // leaves an octet over
    expect_open_error(b, 28);
  }
  {
    ByteVec b = good;
    ASSERT_EQ(b[30], 0x06);  // first parameter length
    b[30] = 0x50;
    expect_open_error(b, 30);
  }
  {
    ByteVec b = good;
    ASSERT_EQ(b[32], 0x04);  // MP capability length, inside a 6-octet parameter
    b[32] = 0x05;
    expect_open_error(b, 32);
  }
  {
    ByteVec b = good;
    ASSERT_EQ(b[51], 0x41);  // AS4 capability code, its length at 52
    b[52] = 0x02;
    b[50] = 0x04;  // shrink the parameter so only the capability is wrong
    b.erase(b.begin() + 55, b.begin() + 57);
    b[28] = 0x42;
    b[17] = static_cast<std::uint8_t>(b.size());
    expect_open_error(b, 52);
  }
}

TEST(OpenErrors, TruncatedStructures) {
  // A capability code with no length octet (code at 31).
  expect_open_error(open_message({0x02, 0x01, 0x41}), 31);
  // A parameter type with no length octet (type at 29).
  expect_open_error(open_message({0x02}), 29);
  // RFC 9072 marker with no Extended Opt. Parm. Length (it would be at 30).
  expect_open_error(open_message({0xFF}), 30);
  expect_open_error(open_message({0xFF, 0x00}), 30);
  // Extended length overruns / leaves octets over.
  expect_open_error(open_message({0xFF, 0x00, 0x05, 0x02, 0x00, 0x00}), 30);
  expect_open_error(open_message({0xFF, 0x00, 0x02, 0x02, 0x00, 0x00}), 30);
  // An extended parameter length (2 octets, at 33) that overruns.
  expect_open_error(open_message({0xFF, 0x00, 0x03, 0x02, 0x00, 0x09}), 33);
  // Non-zero length with no parameters at all.
  expect_open_error(open_message({}, 3), 28);
}

TEST(OpenErrors, BodyTooShortIsAHeaderLengthError) {
  const ByteVec body = {0x04, 0xFD, 0xE9, 0x00, 0x5A, 0x01, 0x01, 0x01, 0x01};  // no opt len octet
  auto r = decode_open(body);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, static_cast<std::uint8_t>(ErrorCode::MessageHeader));
  EXPECT_EQ(r.error().subcode, static_cast<std::uint8_t>(HeaderSubcode::BadMessageLength));
  EXPECT_EQ(r.error().data, (ByteVec{0x00, 28}));
  EXPECT_EQ(r.error().offset, 16u);
}

TEST(OpenErrors, ValuesTheFsmJudgesAreDecodedNotRejected) {
  // Version 3, hold time 1, AS 0, BGP identifier 0: all RFC 4271 §6.2 errors, but the
  // FSM's to raise (it knows the configuration); the codec returns them as they are.
  ByteVec b = open_message({});
  b[19] = 3;
  b[20] = 0;
  b[21] = 0;
  b[22] = 0;
  b[23] = 1;
  b[24] = b[25] = b[26] = b[27] = 0;
  const OpenMessage m = decode_ok(b);
  EXPECT_EQ(m.version, 3);
  EXPECT_EQ(m.my_as, 0);
  EXPECT_EQ(m.hold_time, 1);
  EXPECT_EQ(m.bgp_id.value, 0u);
}
