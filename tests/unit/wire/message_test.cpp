// Message header and stream framing (RFC 4271 §4.1, §6.1; RFC 8654 for sizes) and
// dispatch of whole messages.
#include <gtest/gtest.h>

#include "bgp/wire/message.hpp"
#include "support/testdata.hpp"

using namespace evpnd::bgp::wire;
using evpnd::test::testdata;

namespace {

// A message of `len` octets (header value), with `body` after the header (zero padded
// to len, or cut to it).
ByteVec message(std::uint16_t len, std::uint8_t type, std::size_t actual = 0) {
  ByteVec m(16, 0xFF);
  m.push_back(static_cast<std::uint8_t>(len >> 8));
  m.push_back(static_cast<std::uint8_t>(len));
  m.push_back(type);
  m.resize(std::max<std::size_t>(actual ? actual : len, 19), 0x00);
  return m;
}

CodecContext extended() {
  CodecContext c;
  c.extended_message_rx = c.extended_message_tx = true;
  return c;
}

struct HeaderCase {
  const char* what;
  ByteVec bytes;
  CodecContext ctx;
  HeaderSubcode subcode;
  std::size_t offset;
  ByteVec data;
};

}  // namespace

TEST(Framing, HeaderRulesGiveTheRfc4271Section61Errors) {
  ByteVec bad_marker = message(19, 4);
  bad_marker[5] = 0xFE;
  ByteVec zero_marker = message(19, 4);
  std::fill(zero_marker.begin(), zero_marker.begin() + 16, 0x00);

  const std::vector<HeaderCase> cases = {
      {"marker octet 5", bad_marker, {}, HeaderSubcode::ConnectionNotSynchronized, 5, {}},
      {"zero marker", zero_marker, {}, HeaderSubcode::ConnectionNotSynchronized, 0, {}},
      {"length 18", message(18, 4, 19), {}, HeaderSubcode::BadMessageLength, 16, {0x00, 0x12}},
      {"length 0", message(0, 4, 19), {}, HeaderSubcode::BadMessageLength, 16, {0x00, 0x00}},
      {"length 4097", message(4097, 2), {}, HeaderSubcode::BadMessageLength, 16, {0x10, 0x01}},
      {"OPEN 4097 extended (RFC 8654 §4)", message(4097, 1), extended(), HeaderSubcode::BadMessageLength, 16,
       {0x10, 0x01}},
      {"type 0", message(19, 0), {}, HeaderSubcode::BadMessageType, 18, {0x00}},
      {"type 6", message(30, 6), {}, HeaderSubcode::BadMessageType, 18, {0x06}},
      {"type 255", message(19, 255), {}, HeaderSubcode::BadMessageType, 18, {0xFF}},
      {"length before type", message(5000, 9, 19), {}, HeaderSubcode::BadMessageLength, 16, {0x13, 0x88}},
      {"OPEN 28", message(28, 1), {}, HeaderSubcode::BadMessageLength, 16, {0x00, 28}},
      {"UPDATE 22", message(22, 2), {}, HeaderSubcode::BadMessageLength, 16, {0x00, 22}},
      {"NOTIFICATION 20", message(20, 3), {}, HeaderSubcode::BadMessageLength, 16, {0x00, 20}},
      {"KEEPALIVE 20", message(20, 4), {}, HeaderSubcode::BadMessageLength, 16, {0x00, 20}},
      {"ROUTE-REFRESH 22", message(22, 5), {}, HeaderSubcode::BadMessageLength, 16, {0x00, 22}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    auto f = frame_length(c.bytes, c.ctx);
    ASSERT_FALSE(f.ok());
    EXPECT_EQ(f.error().code, static_cast<std::uint8_t>(ErrorCode::MessageHeader));
    EXPECT_EQ(f.error().subcode, static_cast<std::uint8_t>(c.subcode));
    EXPECT_EQ(f.error().offset, c.offset);
    EXPECT_EQ(f.error().data, c.data);
    // decode_message applies the same header rules to a whole message.
    auto d = decode_message(c.bytes, c.ctx);
    ASSERT_FALSE(d.ok());
    EXPECT_EQ(d.error().subcode, static_cast<std::uint8_t>(c.subcode));
    EXPECT_EQ(d.error().offset, c.offset);
    EXPECT_EQ(d.error().data, c.data);
  }
}

TEST(Framing, LengthBoundsAccepted) {
  EXPECT_EQ(*frame_length(message(19, 4), {}), std::optional<std::size_t>{19});
  EXPECT_EQ(*frame_length(message(29, 1), {}), std::optional<std::size_t>{29});
  EXPECT_EQ(*frame_length(message(23, 2), {}), std::optional<std::size_t>{23});
  EXPECT_EQ(*frame_length(message(21, 3), {}), std::optional<std::size_t>{21});
  EXPECT_EQ(*frame_length(message(23, 5), {}), std::optional<std::size_t>{23});
  EXPECT_EQ(*frame_length(message(4096, 2), {}), std::optional<std::size_t>{4096});
  EXPECT_EQ(*frame_length(message(4096, 1), extended()), std::optional<std::size_t>{4096});
  EXPECT_EQ(*frame_length(message(4097, 2), extended()), std::optional<std::size_t>{4097});
  EXPECT_EQ(*frame_length(message(65535, 2), extended()), std::optional<std::size_t>{65535});
  EXPECT_EQ(*frame_length(message(65535, 3), extended()), std::optional<std::size_t>{65535});
}

TEST(Framing, BadMarkerIsReportedBeforeTheHeaderIsComplete) {
  ByteVec partial(10, 0xFF);
  EXPECT_EQ(*frame_length(partial, {}), std::nullopt);
  partial[7] = 0x00;
  auto f = frame_length(partial, {});
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error().subcode, static_cast<std::uint8_t>(HeaderSubcode::ConnectionNotSynchronized));
  EXPECT_EQ(f.error().offset, 7u);
}

TEST(Framing, StreamWithTwoMessagesAndAPartialThird) {
  const ByteVec open = testdata("frr_open.hex");
  const ByteVec keepalive = encode_message(Message{KeepaliveMessage{}});
  const ByteVec third = testdata("gobgp_open.hex");
  ByteVec stream = open;
  stream.insert(stream.end(), keepalive.begin(), keepalive.end());
  const std::size_t partial_len = 30;  // header and part of the body
  stream.insert(stream.end(), third.begin(), third.begin() + partial_len);

  ByteSpan rest(stream);
  std::vector<DecodedMessage> got;
  for (;;) {
    auto len = frame_length(rest, {});
    ASSERT_TRUE(len.ok()) << len.error().reason;
    if (!*len) break;
    auto m = decode_message(rest.first(**len), {});
    ASSERT_TRUE(m.ok()) << m.error().reason;
    got.push_back(std::move(*m));
    rest = rest.subspan(**len);
  }
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(std::get<OpenMessage>(got[0]).my_as, 65001);
  EXPECT_TRUE(std::holds_alternative<KeepaliveMessage>(got[1]));
  EXPECT_EQ(rest.size(), partial_len);

  // Every shorter prefix of the third message asks for more bytes; the whole one frames.
  for (std::size_t n = 0; n < third.size(); ++n)
    EXPECT_EQ(*frame_length(ByteSpan(third).first(n), {}), std::nullopt) << n;
  EXPECT_EQ(*frame_length(third, {}), std::optional<std::size_t>{third.size()});
}

TEST(Keepalive, RoundTrip) {
  const ByteVec bytes = encode_message(Message{KeepaliveMessage{}});
  ByteVec expect(16, 0xFF);
  for (std::uint8_t b : {0x00, 0x13, 0x04}) expect.push_back(b);
  EXPECT_EQ(bytes, expect);
  auto r = decode_message(bytes, {});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(std::holds_alternative<KeepaliveMessage>(*r));
}

TEST(DecodeMessage, LengthFieldMustMatchTheGivenMessage) {
  ByteVec m = message(19, 4);
  m.push_back(0x00);  // one octet more than the header says
  auto r = decode_message(m, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().subcode, static_cast<std::uint8_t>(HeaderSubcode::BadMessageLength));
  EXPECT_EQ(r.error().data, (ByteVec{0x00, 0x13}));

  auto tiny = decode_message(ByteVec(10, 0xFF), {});
  ASSERT_FALSE(tiny.ok());
  EXPECT_EQ(tiny.error().subcode, static_cast<std::uint8_t>(HeaderSubcode::BadMessageLength));
}

TEST(DecodeMessage, BodyErrorOffsetsCountFromTheMarker) {
  ByteVec open = testdata("frr_open.hex");
  open[30] = 0x50;  // first optional parameter length overruns
  auto r = decode_message(open, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, static_cast<std::uint8_t>(ErrorCode::OpenMessage));
  EXPECT_EQ(r.error().offset, 30u);
}

TEST(DecodeMessage, UpdateGoesToTheUpdateCodec) {
  // End-of-RIB for L2VPN EVPN (RFC 4724 §2) as FRR sent it.
  const ByteVec eor = testdata("frr_eor_evpn.hex");
  auto r = decode_message(eor, {});
  ASSERT_TRUE(r.ok()) << r.error().reason;
  ASSERT_TRUE(std::holds_alternative<DecodedUpdate>(*r));
  EXPECT_EQ(std::get<DecodedUpdate>(*r).update.end_of_rib(), std::optional<AfiSafi>{AfiSafi::l2vpn_evpn()});
}

TEST(EncodeMessage, AppendsAfterExistingBytesWithItsOwnLength) {
  ByteVec out{0xAA};
  encode_message(Message{NotificationMessage{6, 2, {}}}, {}, out);
  ASSERT_EQ(out.size(), 1u + 21u);
  EXPECT_EQ(out[0], 0xAA);
  EXPECT_EQ(out[1 + 16], 0x00);
  EXPECT_EQ(out[1 + 17], 21);
  EXPECT_EQ(out[1 + 18], 3);
}
