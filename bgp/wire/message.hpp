#pragma once
// Whole BGP messages: the 19-byte header (RFC 4271 §4.1), framing of a TCP byte stream,
// and dispatch to the per-type codecs.
#include <cstdint>
#include <optional>
#include <variant>

#include "bgp/wire/bytes.hpp"
#include "bgp/wire/context.hpp"
#include "bgp/wire/decode_error.hpp"
#include "bgp/wire/notification.hpp"
#include "bgp/wire/open.hpp"
#include "bgp/wire/result.hpp"
#include "bgp/wire/update.hpp"

namespace evpnd::bgp::wire {

enum class MessageType : std::uint8_t { Open = 1, Update = 2, Notification = 3, Keepalive = 4, RouteRefresh = 5 };

// What we send.
using Message = std::variant<OpenMessage, UpdateMessage, NotificationMessage, KeepaliveMessage, RouteRefreshMessage>;
// What we receive: an UPDATE comes with its RFC 7606 findings.
using DecodedMessage =
    std::variant<OpenMessage, DecodedUpdate, NotificationMessage, KeepaliveMessage, RouteRefreshMessage>;

// Looks at the start of a stream buffer. Returns the length of the first message once
// its header is valid and the whole message is in `stream` (so stream.first(len) can be
// decoded at once), nullopt when more bytes are needed, or the Message Header Error to
// send (bad marker, length out of range for the type, unknown type; RFC 4271 §6.1).
// Header errors are reported as soon as the offending octets have arrived.
Result<std::optional<std::size_t>, DecodeError> frame_length(ByteSpan stream, const DecodeContext& ctx);

// Decodes one whole message (header included), as framed by frame_length.
Result<DecodedMessage, DecodeError> decode_message(ByteSpan message, const DecodeContext& ctx);

// Encodes one whole message with header. Appends to `out`.
void encode_message(const Message& m, const EncodeContext& ctx, ByteVec& out);
ByteVec encode_message(const Message& m, const EncodeContext& ctx = {});

}  // namespace evpnd::bgp::wire
