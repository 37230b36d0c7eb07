// The BGP message header (RFC 4271 §4.1), framing of the TCP stream with the header
// checks of RFC 4271 §6.1, and dispatch to the per-type body codecs. Offsets in every
// error count from the first marker octet of the message.
#include "bgp/wire/message.hpp"

#include <algorithm>
#include <string>
#include <type_traits>

#include "bgp/wire/reader.hpp"
#include "bgp/wire/writer.hpp"

namespace evpnd::bgp::wire {
namespace {

// encode_message derives the type code from the variant index.
static_assert(std::is_same_v<std::variant_alternative_t<0, Message>, OpenMessage>);
static_assert(std::is_same_v<std::variant_alternative_t<1, Message>, UpdateMessage>);
static_assert(std::is_same_v<std::variant_alternative_t<2, Message>, NotificationMessage>);
static_assert(std::is_same_v<std::variant_alternative_t<3, Message>, KeepaliveMessage>);
static_assert(std::is_same_v<std::variant_alternative_t<4, Message>, RouteRefreshMessage>);

constexpr std::size_t kMarkerSize = 16;
constexpr std::size_t kLengthOffset = 16;
constexpr std::size_t kTypeOffset = 18;

ByteVec length_data(std::size_t len) {
  return ByteVec{static_cast<std::uint8_t>(len >> 8), static_cast<std::uint8_t>(len)};
}

DecodeError header_error(HeaderSubcode sub, std::size_t offset, std::string why, ByteVec data = {}) {
  return DecodeError::make(ErrorCode::MessageHeader, static_cast<std::uint8_t>(sub), offset, std::move(why),
                           std::move(data));
}

// RFC 4271 §6.1 "Connection Not Synchronized": the marker must be all ones. Checks the
// marker octets present in `prefix` (which may be shorter than a header).
std::optional<DecodeError> check_marker(ByteSpan prefix) {
  const std::size_t n = std::min(prefix.size(), kMarkerSize);
  for (std::size_t i = 0; i < n; ++i) {
    if (prefix[i] != 0xFF) {
      return header_error(HeaderSubcode::ConnectionNotSynchronized, i,
                          "marker octet " + std::to_string(i) + " is " + std::to_string(prefix[i]) + ", not 255");
    }
  }
  return std::nullopt;
}

// The length range RFC 4271 §6.1 allows for each type (§4.2-§4.5, RFC 2918 §3).
// Only the extended-message capability raises the upper bound, and RFC 8654 §4 excludes
// OPEN and KEEPALIVE from it.
struct LengthRange {
  std::size_t min = 0;
  std::size_t max = 0;
};
std::optional<LengthRange> length_range(std::uint8_t type, const DecodeContext& ctx) {
  switch (static_cast<MessageType>(type)) {
    case MessageType::Open: return LengthRange{29, kMaxMessageSize};
    case MessageType::Update: return LengthRange{23, ctx.max_receive_size()};
    case MessageType::Notification: return LengthRange{21, ctx.max_receive_size()};
    case MessageType::Keepalive: return LengthRange{19, 19};
    case MessageType::RouteRefresh: return LengthRange{23, ctx.max_receive_size()};
  }
  return std::nullopt;
}

// Validates a whole 19-byte header (h.size() >= 19) and returns the message length.
Result<std::size_t, DecodeError> check_header(ByteSpan h, const DecodeContext& ctx) {
  if (auto e = check_marker(h)) return fail(std::move(*e));
  Reader r(h.subspan(kLengthOffset), kLengthOffset);
  const std::size_t len = *r.u16();
  const std::uint8_t type = *r.u8();
  // §6.1 checks the length against the absolute bounds before looking at the type.
  if (len < kHeaderSize || len > ctx.max_receive_size()) {
    return fail(header_error(HeaderSubcode::BadMessageLength, kLengthOffset,
                             "message length " + std::to_string(len) + " is outside 19.." +
                                 std::to_string(ctx.max_receive_size()),
                             length_data(len)));
  }
  const auto range = length_range(type, ctx);
  if (!range) {
    return fail(header_error(HeaderSubcode::BadMessageType, kTypeOffset,
                             "unknown message type " + std::to_string(type), ByteVec{type}));
  }
  if (len < range->min || len > range->max) {
    return fail(header_error(HeaderSubcode::BadMessageLength, kLengthOffset,
                             "length " + std::to_string(len) + " is outside " + std::to_string(range->min) + ".." +
                                 std::to_string(range->max) + " for message type " + std::to_string(type),
                             length_data(len)));
  }
  return len;
}

template <class... Fs>
struct Overloaded : Fs... {
  using Fs::operator()...;
};
template <class... Fs>
Overloaded(Fs...) -> Overloaded<Fs...>;

template <class T>
Result<DecodedMessage, DecodeError> lift(Result<T, DecodeError> r) {
  if (!r) return fail(std::move(r.error()));
  return DecodedMessage{std::move(*r)};
}

}  // namespace

Result<std::optional<std::size_t>, DecodeError> frame_length(ByteSpan stream, const DecodeContext& ctx) {
  // A bad marker is reported as soon as its octet arrives; there is no point waiting for
  // the rest of a header that can never be valid.
  if (auto e = check_marker(stream)) return fail(std::move(*e));
  if (stream.size() < kHeaderSize) return std::optional<std::size_t>{};
  auto len = check_header(stream.first(kHeaderSize), ctx);
  if (!len) return fail(std::move(len.error()));
  // The length is returned only once the whole message is in the buffer, so the caller
  // can decode stream.first(*len) right away.
  if (stream.size() < *len) return std::optional<std::size_t>{};
  return std::optional<std::size_t>{*len};
}

Result<DecodedMessage, DecodeError> decode_message(ByteSpan message, const DecodeContext& ctx) {
  if (message.size() < kHeaderSize) {
    if (auto e = check_marker(message)) return fail(std::move(*e));
    return fail(header_error(HeaderSubcode::BadMessageLength, kLengthOffset,
                             "message of " + std::to_string(message.size()) + " octets is shorter than the header",
                             length_data(message.size())));
  }
  auto len = check_header(message.first(kHeaderSize), ctx);
  if (!len) return fail(std::move(len.error()));
  if (*len != message.size()) {
    return fail(header_error(HeaderSubcode::BadMessageLength, kLengthOffset,
                             "length field says " + std::to_string(*len) + " but the message has " +
                                 std::to_string(message.size()) + " octets",
                             length_data(*len)));
  }
  const ByteSpan body = message.subspan(kHeaderSize);
  switch (static_cast<MessageType>(message[kTypeOffset])) {
    case MessageType::Open: return lift(decode_open(body, kHeaderSize));
    case MessageType::Update: return lift(decode_update(body, ctx, kHeaderSize));
    case MessageType::Notification: return lift(decode_notification(body, kHeaderSize));
    case MessageType::Keepalive: return DecodedMessage{KeepaliveMessage{}};
    case MessageType::RouteRefresh: return lift(decode_route_refresh(body, ctx, kHeaderSize));
  }
  // Unreachable: check_header rejected unknown types.
  return fail(header_error(HeaderSubcode::BadMessageType, kTypeOffset, "unknown message type",
                           ByteVec{message[kTypeOffset]}));
}

void encode_message(const Message& m, const EncodeContext& ctx, ByteVec& out) {
  const std::size_t start = out.size();
  out.insert(out.end(), kMarkerSize, 0xFF);
  Writer w(out);
  w.u16(0);  // length, patched below
  const auto type = static_cast<std::uint8_t>(m.index() + 1);  // variant order = RFC type codes
  w.u8(type);
  std::visit(Overloaded{
                 [&](const OpenMessage& v) { encode_open_body(v, out); },
                 [&](const UpdateMessage& v) { encode_update_body(v, ctx, out); },
                 [&](const NotificationMessage& v) { encode_notification_body(v, out); },
                 [](const KeepaliveMessage&) {},  // RFC 4271 §4.4: header only
                 [&](const RouteRefreshMessage& v) { encode_route_refresh_body(v, out); },
             },
             m);
  // The caller keeps messages within the negotiated size (the UPDATE packer does); a
  // larger one cannot be framed, and its length field would wrap.
  w.put_u16_at(start + kLengthOffset, static_cast<std::uint16_t>(out.size() - start));
}

ByteVec encode_message(const Message& m, const EncodeContext& ctx) {
  ByteVec out;
  encode_message(m, ctx, out);
  return out;
}

}  // namespace evpnd::bgp::wire
