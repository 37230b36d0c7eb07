// libFuzzer target for framing and whole-message decoding (RFC 4271 §4.1, §6.1). The
// first input octet picks the session context (4-octet AS, extended message, ADD-PATH);
// the rest is a TCP byte stream, framed and decoded message by message as the session
// does. Every non-UPDATE message that decodes must re-encode to the same bytes and decode
// to an equal value (UPDATE round trips are fuzz_update's business).
#include <cstddef>
#include <cstdint>
#include <optional>

#include "bgp/wire/message.hpp"

using namespace evpnd::bgp::wire;

namespace {

CodecContext context_from(std::uint8_t selector) {
  CodecContext ctx;
  ctx.four_octet_as = (selector & 0x01) != 0;
  ctx.extended_message_rx = (selector & 0x02) != 0;
  if (selector & 0x04) ctx.add_path_rx = {AfiSafi::l2vpn_evpn(), AfiSafi::ipv4_unicast()};
  if (selector & 0x08) ctx.add_path_tx = {AfiSafi::l2vpn_evpn(), AfiSafi::ipv4_unicast()};
  return ctx;
}

std::optional<Message> to_message(const DecodedMessage& d) {
  if (const auto* v = std::get_if<OpenMessage>(&d)) return Message{*v};
  if (const auto* v = std::get_if<NotificationMessage>(&d)) return Message{*v};
  if (const auto* v = std::get_if<KeepaliveMessage>(&d)) return Message{*v};
  if (const auto* v = std::get_if<RouteRefreshMessage>(&d)) return Message{*v};
  return std::nullopt;  // DecodedUpdate
}

bool same(const DecodedMessage& a, const DecodedMessage& b) {
  if (a.index() != b.index()) return false;
  if (const auto* v = std::get_if<OpenMessage>(&a)) return *v == std::get<OpenMessage>(b);
  if (const auto* v = std::get_if<NotificationMessage>(&a)) return *v == std::get<NotificationMessage>(b);
  if (const auto* v = std::get_if<RouteRefreshMessage>(&a)) return *v == std::get<RouteRefreshMessage>(b);
  return std::holds_alternative<KeepaliveMessage>(a);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Seeds are whole captured messages; use the default context for them, so that their
  // first octet (0xFF) is not eaten as a selector.
  CodecContext ctx;
  ByteSpan stream(data, size);
  if (size > 0 && data[0] != 0xFF) {
    ctx = context_from(data[0]);
    stream = stream.subspan(1);
  }
  while (!stream.empty()) {
    auto len = frame_length(stream, ctx);
    if (!len || !*len) break;
    const ByteSpan msg = stream.first(**len);
    stream = stream.subspan(**len);
    auto decoded = decode_message(msg, ctx);
    if (!decoded) continue;  // a real session would stop here; keep going to fuzz more
    auto m = to_message(*decoded);
    if (!m) continue;
    const ByteVec bytes = encode_message(*m, ctx);
    ByteVec expect(msg.begin(), msg.end());
    if (const auto* open = std::get_if<OpenMessage>(&*m); open && open->extended_params)
      expect[kHeaderSize + 9] = 255;  // RFC 9072 Non-Ext OP Len is written canonically
    if (bytes != expect) __builtin_trap();
    auto again = decode_message(bytes, ctx);
    if (!again || !same(*decoded, *again)) __builtin_trap();
  }
  return 0;
}
