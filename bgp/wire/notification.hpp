#pragma once
// NOTIFICATION (RFC 4271 §4.5), KEEPALIVE (§4.4) and ROUTE-REFRESH (RFC 2918, RFC 7313).
#include <cstdint>
#include <optional>
#include <string>

#include "bgp/wire/bytes.hpp"
#include "bgp/wire/context.hpp"
#include "bgp/wire/decode_error.hpp"
#include "bgp/wire/error_codes.hpp"
#include "bgp/wire/result.hpp"
#include "bgp/wire/types.hpp"

namespace evpnd::bgp::wire {

struct NotificationMessage {
  std::uint8_t code = 0;
  std::uint8_t subcode = 0;
  ByteVec data;
  friend bool operator==(const NotificationMessage&, const NotificationMessage&) = default;

  static NotificationMessage from(const DecodeError& e) { return {e.code, e.subcode, e.data}; }
  static NotificationMessage cease(CeaseSubcode sub, ByteVec data = {}) {
    return {static_cast<std::uint8_t>(ErrorCode::Cease), static_cast<std::uint8_t>(sub), std::move(data)};
  }
  // RFC 8203/9003: Cease Administrative Shutdown/Reset carry a length-prefixed UTF-8 text.
  [[nodiscard]] std::optional<std::string> shutdown_communication() const;
  // "Cease/Administrative Shutdown", for logs and show.
  [[nodiscard]] std::string describe() const;
};
// Builds a Cease with an RFC 9003 shutdown communication (truncated to 255 bytes).
NotificationMessage make_shutdown_notification(CeaseSubcode sub, std::string_view text);

struct KeepaliveMessage {
  friend bool operator==(const KeepaliveMessage&, const KeepaliveMessage&) = default;
};

struct RouteRefreshMessage {
  enum class Subtype : std::uint8_t { Normal = 0, BeginOfRibRefresh = 1, EndOfRibRefresh = 2 };
  AfiSafi family;
  Subtype subtype = Subtype::Normal;  // RFC 7313 uses the former reserved octet
  // What follows the four octets (RFC 5291 ORF entries, which we do not negotiate, or the
  // body of a subtype we do not know), kept as received so the message re-encodes as it
  // came.
  ByteVec rest{};
  friend bool operator==(const RouteRefreshMessage&, const RouteRefreshMessage&) = default;
};

Result<NotificationMessage, DecodeError> decode_notification(ByteSpan body, std::size_t base_offset = kHeaderSize);
void encode_notification_body(const NotificationMessage& m, ByteVec& out);
Result<RouteRefreshMessage, DecodeError> decode_route_refresh(ByteSpan body, const DecodeContext& ctx,
                                                              std::size_t base_offset = kHeaderSize);
void encode_route_refresh_body(const RouteRefreshMessage& m, ByteVec& out);

}  // namespace evpnd::bgp::wire
