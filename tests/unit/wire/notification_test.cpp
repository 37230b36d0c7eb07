// NOTIFICATION (RFC 4271 §4.5, RFC 9003 shutdown communication) and ROUTE-REFRESH
// (RFC 2918, RFC 7313) codecs.
#include <gtest/gtest.h>

#include "bgp/wire/message.hpp"
#include "bgp/wire/notification.hpp"

using namespace evpnd::bgp::wire;

namespace {

ByteVec whole(std::uint8_t type, const ByteVec& body) {
  ByteVec m(16, 0xFF);
  const std::size_t len = 19 + body.size();
  m.push_back(static_cast<std::uint8_t>(len >> 8));
  m.push_back(static_cast<std::uint8_t>(len));
  m.push_back(type);
  m.insert(m.end(), body.begin(), body.end());
  return m;
}

ByteVec bytes_of(std::string_view s) { return ByteVec(s.begin(), s.end()); }

}  // namespace

TEST(Notification, DecodesCodeSubcodeAndData) {
  // Cease / Administrative Shutdown with the RFC 9003 communication "maintenance".
  ByteVec body{0x06, 0x02, 0x0B};
  const ByteVec text = bytes_of("maintenance");
  body.insert(body.end(), text.begin(), text.end());
  const ByteVec msg = whole(3, body);

  auto r = decode_message(msg, DecodeContext{});
  ASSERT_TRUE(r.ok()) << r.error().reason;
  const auto& n = std::get<NotificationMessage>(*r);
  EXPECT_EQ(n.code, 6);
  EXPECT_EQ(n.subcode, 2);
  EXPECT_EQ(n.data.size(), 12u);
  EXPECT_EQ(n.shutdown_communication(), "maintenance");
  EXPECT_EQ(n.describe(), "Cease/Administrative Shutdown");
  EXPECT_EQ(encode_message(Message{n}), msg);
}

TEST(Notification, MinimalNotificationRoundTrips) {
  // Hold Timer Expired, no data: 21 octets.
  const ByteVec msg = whole(3, {0x04, 0x00});
  auto r = decode_message(msg, DecodeContext{});
  ASSERT_TRUE(r.ok());
  const auto& n = std::get<NotificationMessage>(*r);
  EXPECT_EQ(n, (NotificationMessage{4, 0, {}}));
  EXPECT_EQ(n.describe(), "Hold Timer Expired");  // as FRR shows it: no subcodes defined
  EXPECT_EQ(n.shutdown_communication(), std::nullopt);
  EXPECT_EQ(encode_message(Message{n}), msg);
}

TEST(Notification, BodyShorterThanTwoOctetsIsBadMessageLength) {
  for (const ByteVec& body : {ByteVec{}, ByteVec{0x06}}) {
    auto r = decode_notification(body);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, static_cast<std::uint8_t>(ErrorCode::MessageHeader));
    EXPECT_EQ(r.error().subcode, static_cast<std::uint8_t>(HeaderSubcode::BadMessageLength));
    EXPECT_EQ(r.error().offset, 16u);
    EXPECT_EQ(r.error().data, (ByteVec{0x00, static_cast<std::uint8_t>(19 + body.size())}));
  }
}

TEST(Notification, FromDecodeErrorCarriesCodeSubcodeAndData) {
  const DecodeError e = DecodeError::make(ErrorCode::MessageHeader, 2, 16, "x", {0x00, 0x12});
  EXPECT_EQ(NotificationMessage::from(e), (NotificationMessage{1, 2, {0x00, 0x12}}));
}

TEST(Notification, DescribeNamesAndUnknownNumbers) {
  EXPECT_EQ((NotificationMessage{1, 1, {}}).describe(), "Message Header Error/Connection Not Synchronized");
  EXPECT_EQ((NotificationMessage{2, 2, {}}).describe(), "OPEN Message Error/Bad Peer AS");
  EXPECT_EQ((NotificationMessage{6, 4, {}}).describe(), "Cease/Administrative Reset");
  EXPECT_EQ((NotificationMessage{7, 1, {}}).describe(), "ROUTE-REFRESH Message Error/Invalid Message Length");
  EXPECT_EQ((NotificationMessage{6, 42, {}}).describe(), "Cease/Unknown(42)");
  EXPECT_EQ((NotificationMessage{9, 1, {}}).describe(), "Unknown(9)/Unknown(1)");
}

TEST(ShutdownCommunication, OnlyForCeaseShutdownAndReset) {
  const ByteVec data{0x03, 'b', 'y', 'e'};
  EXPECT_EQ((NotificationMessage{6, 2, data}).shutdown_communication(), "bye");
  EXPECT_EQ((NotificationMessage{6, 4, data}).shutdown_communication(), "bye");
  EXPECT_EQ((NotificationMessage{6, 3, data}).shutdown_communication(), std::nullopt);  // de-configured
  EXPECT_EQ((NotificationMessage{2, 2, data}).shutdown_communication(), std::nullopt);  // not Cease
}

TEST(ShutdownCommunication, MalformedOnesAreNotShown) {
  // RFC 9003 §4: a length that overruns the data, or text that is not UTF-8.
  EXPECT_EQ((NotificationMessage{6, 2, {}}).shutdown_communication(), std::nullopt);
  EXPECT_EQ((NotificationMessage{6, 2, {0x00}}).shutdown_communication(), std::nullopt);  // none
  EXPECT_EQ((NotificationMessage{6, 2, {0x04, 'b', 'y', 'e'}}).shutdown_communication(), std::nullopt);
  EXPECT_EQ((NotificationMessage{6, 2, {0x02, 0xC3, 0x28}}).shutdown_communication(), std::nullopt);  // bad continuation
  EXPECT_EQ((NotificationMessage{6, 2, {0x02, 0xC0, 0x80}}).shutdown_communication(), std::nullopt);  // overlong
  EXPECT_EQ((NotificationMessage{6, 2, {0x03, 0xED, 0xA0, 0x80}}).shutdown_communication(), std::nullopt);  // surrogate
  EXPECT_EQ((NotificationMessage{6, 2, {0x01, 0xE2}}).shutdown_communication(), std::nullopt);  // truncated
  // Valid multi-octet text, and octets after the string (not forbidden) are ignored.
  EXPECT_EQ((NotificationMessage{6, 2, {0x06, 'c', 'a', 'f', 0xC3, 0xA9, '!', 0xAA}}).shutdown_communication(),
            "caf\xC3\xA9!");
  EXPECT_EQ((NotificationMessage{6, 2, {0x04, 0xF0, 0x9F, 0x98, 0x80}}).shutdown_communication(), "\xF0\x9F\x98\x80");
}

TEST(ShutdownCommunication, MakeShutdownNotification) {
  const NotificationMessage n = make_shutdown_notification(CeaseSubcode::AdministrativeShutdown, "going down");
  EXPECT_EQ(n.code, 6);
  EXPECT_EQ(n.subcode, 2);
  EXPECT_EQ(n.data[0], 10);
  EXPECT_EQ(n.shutdown_communication(), "going down");

  const NotificationMessage empty = make_shutdown_notification(CeaseSubcode::AdministrativeReset, "");
  EXPECT_EQ(empty.data, (ByteVec{0x00}));
  EXPECT_EQ(empty.shutdown_communication(), std::nullopt);
}

TEST(ShutdownCommunication, TruncatedTo255WithoutSplittingUtf8) {
  const NotificationMessage ascii = make_shutdown_notification(CeaseSubcode::AdministrativeShutdown, std::string(300, 'a'));
  EXPECT_EQ(ascii.data.size(), 256u);
  EXPECT_EQ(ascii.data[0], 255);
  EXPECT_EQ(ascii.shutdown_communication(), std::string(255, 'a'));

  // 254 ASCII octets and a 2-octet character: cutting at 255 would split it.
  const std::string text = std::string(254, 'a') + "\xC3\xA9";
  const NotificationMessage cut = make_shutdown_notification(CeaseSubcode::AdministrativeShutdown, text);
  EXPECT_EQ(cut.data[0], 254);
  EXPECT_EQ(cut.data.size(), 255u);
  EXPECT_EQ(cut.shutdown_communication(), std::string(254, 'a'));
}

TEST(RouteRefresh, DecodesAndEncodesRfc2918Layout) {
  const ByteVec msg = whole(5, {0x00, 0x19, 0x00, 0x46});
  auto r = decode_message(msg, DecodeContext{});
  ASSERT_TRUE(r.ok()) << r.error().reason;
  const auto& rr = std::get<RouteRefreshMessage>(*r);
  EXPECT_EQ(rr.family, AfiSafi::l2vpn_evpn());
  EXPECT_EQ(rr.subtype, RouteRefreshMessage::Subtype::Normal);
  EXPECT_EQ(encode_message(Message{rr}), msg);
}

TEST(RouteRefresh, EnhancedSubtypesRoundTrip) {
  // RFC 7313 §3: BoRR = 1, EoRR = 2; other values are kept for the session to ignore.
  for (std::uint8_t sub : {1, 2, 3, 255}) {
    const ByteVec msg = whole(5, {0x00, 0x01, sub, 0x01});
    auto r = decode_message(msg, DecodeContext{});
    ASSERT_TRUE(r.ok());
    const auto& rr = std::get<RouteRefreshMessage>(*r);
    EXPECT_EQ(static_cast<std::uint8_t>(rr.subtype), sub);
    EXPECT_EQ(rr.family, AfiSafi::ipv4_unicast());
    EXPECT_EQ(encode_message(Message{rr}), msg);
  }
}

TEST(RouteRefresh, WrongLengthIsInvalidMessageLengthWithTheWholeMessage) {
  // RFC 7313 §5, for a peer that sent the Enhanced Route Refresh capability: a BoRR or
  // EoRR whose length is not 23 -> ROUTE-REFRESH Message Error / Invalid Message Length,
  // data = the complete message.
  DecodeContext err;
  err.enhanced_route_refresh = true;
  for (const ByteVec& body : {ByteVec{0x00, 0x19, 0x01, 0x46, 0x00}, ByteVec{0x00, 0x01, 0x02, 0x01, 9, 9, 9}}) {
    const ByteVec msg = whole(5, body);
    auto r = decode_message(msg, err);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, static_cast<std::uint8_t>(ErrorCode::RouteRefreshMessage));
    EXPECT_EQ(r.error().subcode, static_cast<std::uint8_t>(RouteRefreshSubcode::InvalidMessageLength));
    EXPECT_EQ(r.error().data, msg);
    EXPECT_EQ(r.error().offset, 16u);
  }
  // Below 23 octets the header check catches it first (RFC 4271 §6.1).
  auto shorter = decode_message(whole(5, {0x00, 0x19, 0x00}), err);
  ASSERT_FALSE(shorter.ok());
  EXPECT_EQ(shorter.error().code, static_cast<std::uint8_t>(ErrorCode::MessageHeader));
  EXPECT_EQ(shorter.error().subcode, static_cast<std::uint8_t>(HeaderSubcode::BadMessageLength));
  EXPECT_EQ(shorter.error().data, (ByteVec{0x00, 22}));
}

// RFC 7313 §5: "The error handling specified in this section is applicable only when a
// BGP speaker has received the "Enhanced Route Refresh Capability" from a peer", and it
// names subtypes 1 and 2 only. Other longer ROUTE-REFRESH messages (a normal request
// with RFC 5291 ORF entries, a subtype we do not know) are read for their AFI, subtype
// and SAFI; the rest is not ours to judge.
TEST(RouteRefresh, LongerMessagesOutsideRfc7313SectionFiveAreRead) {
  DecodeContext err;
  err.enhanced_route_refresh = true;
  struct Case {
    DecodeContext ctx;
    ByteVec body;
    RouteRefreshMessage::Subtype subtype;
  };
  for (const Case& c : {Case{DecodeContext{}, {0x00, 0x19, 0x01, 0x46, 0x00}, RouteRefreshMessage::Subtype::BeginOfRibRefresh},
                        Case{err, {0x00, 0x19, 0x00, 0x46, 1, 2, 3}, RouteRefreshMessage::Subtype::Normal},
                        Case{err, {0x00, 0x19, 0x07, 0x46, 1}, static_cast<RouteRefreshMessage::Subtype>(7)}}) {
    auto r = decode_message(whole(5, c.body), c.ctx);
    ASSERT_TRUE(r.ok()) << r.error().reason;
    const auto& rr = std::get<RouteRefreshMessage>(*r);
    EXPECT_EQ(rr.family, AfiSafi::l2vpn_evpn());
    EXPECT_EQ(rr.subtype, c.subtype);
    EXPECT_EQ(rr.rest, ByteVec(c.body.begin() + 4, c.body.end()));  // kept, not read
    EXPECT_EQ(encode_message(Message{rr}), whole(5, c.body));        // so it re-encodes as it came
  }
}
