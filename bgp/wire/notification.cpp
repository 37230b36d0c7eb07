// NOTIFICATION (RFC 4271 §4.5) with the RFC 9003 shutdown communication, and
// ROUTE-REFRESH (RFC 2918 §3, RFC 7313 §3 and §5).
#include "bgp/wire/notification.hpp"

#include <algorithm>
#include <string>

#include "bgp/wire/reader.hpp"
#include "bgp/wire/writer.hpp"

namespace evpnd::bgp::wire {
namespace {

constexpr std::size_t kHeaderLengthField = 16;  // offset of Length in the header
constexpr std::uint8_t kTypeRouteRefresh = 5;
constexpr std::size_t kMaxShutdownCommunication = 255;  // RFC 9003 §2 (1-octet length)

// RFC 3629 §4 well-formed UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
bool valid_utf8(ByteSpan s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const std::uint8_t b = s[i];
    std::size_t n = 0;
    std::uint8_t lo = 0x80, hi = 0xBF;  // range of the first continuation byte
    if (b < 0x80) {
      ++i;
      continue;
    } else if (b >= 0xC2 && b <= 0xDF) {
      n = 1;
    } else if (b >= 0xE0 && b <= 0xEF) {
      n = 2;
      if (b == 0xE0) lo = 0xA0;  // overlong
      if (b == 0xED) hi = 0x9F;  // surrogates
    } else if (b >= 0xF0 && b <= 0xF4) {
      n = 3;
      if (b == 0xF0) lo = 0x90;  // overlong
      if (b == 0xF4) hi = 0x8F;  // above U+10FFFF
    } else {
      return false;
    }
    if (s.size() - i - 1 < n) return false;
    if (s[i + 1] < lo || s[i + 1] > hi) return false;
    for (std::size_t k = 2; k <= n; ++k)
      if (s[i + k] < 0x80 || s[i + k] > 0xBF) return false;
    i += n + 1;
  }
  return true;
}

bool carries_shutdown_communication(std::uint8_t code, std::uint8_t subcode) {
  return code == static_cast<std::uint8_t>(ErrorCode::Cease) &&
         (subcode == static_cast<std::uint8_t>(CeaseSubcode::AdministrativeShutdown) ||
          subcode == static_cast<std::uint8_t>(CeaseSubcode::AdministrativeReset));
}

std::string name_or_number(std::string_view name, std::uint8_t value) {
  if (name == "Unknown") return "Unknown(" + std::to_string(value) + ")";
  return std::string(name);
}

}  // namespace

std::optional<std::string> NotificationMessage::shutdown_communication() const {
  // RFC 9003 §2: the first data octet is the length of a UTF-8 string that follows.
  // §4: a length that overruns the data or text that is not UTF-8 must not be shown as a
  // communication; a zero length means there is none.
  if (!carries_shutdown_communication(code, subcode) || data.empty()) return std::nullopt;
  const std::size_t len = data[0];
  if (len == 0 || len > data.size() - 1) return std::nullopt;
  const ByteSpan text = ByteSpan(data).subspan(1, len);
  if (!valid_utf8(text)) return std::nullopt;
  return std::string(text.begin(), text.end());
}

std::string NotificationMessage::describe() const {
  // Hold Timer Expired and Send Hold Timer Expired define no subcodes: FRR shows the code
  // alone ("Hold Timer Expired"), and so do we, so that scripts match either daemon.
  const bool no_subcodes = code == static_cast<std::uint8_t>(ErrorCode::HoldTimerExpired) ||
                           code == static_cast<std::uint8_t>(ErrorCode::SendHoldTimerExpired);
  if (no_subcodes && subcode == 0) return name_or_number(error_code_name(code), code);
  return name_or_number(error_code_name(code), code) + "/" +
         name_or_number(error_subcode_name(code, subcode), subcode);
}

NotificationMessage make_shutdown_notification(CeaseSubcode sub, std::string_view text) {
  std::size_t len = std::min(text.size(), kMaxShutdownCommunication);
  // Never cut a UTF-8 sequence in half: back up over continuation bytes at the cut.
  if (len < text.size())
    while (len > 0 && (static_cast<std::uint8_t>(text[len]) & 0xC0) == 0x80) --len;
  ByteVec data;
  data.reserve(len + 1);
  data.push_back(static_cast<std::uint8_t>(len));
  data.insert(data.end(), text.begin(), text.begin() + static_cast<std::ptrdiff_t>(len));
  return NotificationMessage::cease(sub, std::move(data));
}

Result<NotificationMessage, DecodeError> decode_notification(ByteSpan body, std::size_t base_offset) {
  Reader r(body, base_offset);
  if (r.remaining() < 2) {
    // RFC 4271 §6.1: a NOTIFICATION is at least 21 octets. Framing catches this first;
    // the check is repeated for callers that hand us a body directly.
    const std::size_t msg_len = kHeaderSize + body.size();
    return fail(DecodeError::make(ErrorCode::MessageHeader, static_cast<std::uint8_t>(HeaderSubcode::BadMessageLength),
                                  kHeaderLengthField,
                                  "NOTIFICATION of " + std::to_string(msg_len) + " octets is too short",
                                  ByteVec{static_cast<std::uint8_t>(msg_len >> 8), static_cast<std::uint8_t>(msg_len)}));
  }
  NotificationMessage m;
  m.code = *r.u8();
  m.subcode = *r.u8();
  const ByteSpan rest = r.rest();
  m.data.assign(rest.begin(), rest.end());
  return m;
}

void encode_notification_body(const NotificationMessage& m, ByteVec& out) {
  Writer w(out);
  w.u8(m.code);
  w.u8(m.subcode);
  w.bytes(m.data);
}

Result<RouteRefreshMessage, DecodeError> decode_route_refresh(ByteSpan body, const DecodeContext& ctx,
                                                              std::size_t base_offset) {
  Reader r(body, base_offset);
  // Framing has checked the message is at least 23 octets (RFC 4271 §6.1, RFC 2918 §3).
  RouteRefreshMessage m;
  m.family.afi = *r.u16();
  // RFC 7313 §3: the former Reserved octet is the message subtype. Unknown values are
  // kept; RFC 7313 §5 tells the receiver to ignore such a message, which is the
  // session's decision, not the codec's.
  m.subtype = static_cast<RouteRefreshMessage::Subtype>(*r.u8());
  m.family.safi = *r.u8();
  const bool enhanced_subtype = m.subtype == RouteRefreshMessage::Subtype::BeginOfRibRefresh ||
                                m.subtype == RouteRefreshMessage::Subtype::EndOfRibRefresh;
  if (!r.empty() && ctx.enhanced_route_refresh && enhanced_subtype) {
    // RFC 7313 §5: "If the length, excluding the fixed-size message header, of the
    // received ROUTE-REFRESH message with Message Subtype 1 and 2 is not 4, then the BGP
    // speaker MUST send a NOTIFICATION message with the Error Code of "ROUTE-REFRESH
    // Message Error" and the subcode of "Invalid Message Length". The Data field of the
    // NOTIFICATION message MUST contain the complete ROUTE-REFRESH message." It applies
    // "only when a BGP speaker has received the "Enhanced Route Refresh Capability"". We
    // are given the body only; the header is rebuilt (framing accepted it, so it is the
    // all-ones marker, this length and type 5).
    const std::size_t msg_len = kHeaderSize + body.size();
    ByteVec whole(16, 0xFF);
    whole.push_back(static_cast<std::uint8_t>(msg_len >> 8));
    whole.push_back(static_cast<std::uint8_t>(msg_len));
    whole.push_back(kTypeRouteRefresh);
    whole.insert(whole.end(), body.begin(), body.end());
    return fail(DecodeError::make(ErrorCode::RouteRefreshMessage,
                                  static_cast<std::uint8_t>(RouteRefreshSubcode::InvalidMessageLength),
                                  kHeaderLengthField,
                                  "ROUTE-REFRESH subtype " + std::to_string(static_cast<int>(m.subtype)) + " of " +
                                      std::to_string(msg_len) + " octets, must be 23 (RFC 7313 §5)",
                                  std::move(whole)));
  }
  // Anything after the four octets of any other ROUTE-REFRESH is not ours to judge: the
  // ORF entries of RFC 5291 (a capability we do not advertise) or the body of a subtype
  // we do not know. It is kept, not read.
  const ByteSpan rest = r.rest();
  m.rest.assign(rest.begin(), rest.end());
  return m;
}

void encode_route_refresh_body(const RouteRefreshMessage& m, ByteVec& out) {
  Writer w(out);
  w.u16(m.family.afi);
  w.u8(static_cast<std::uint8_t>(m.subtype));
  w.u8(m.family.safi);
  w.bytes(m.rest);
}

}  // namespace evpnd::bgp::wire
