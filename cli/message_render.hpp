#pragma once
// Decoded BGP messages as text and JSON, for evpnd-decode (and any later "debug" view).
// Every field the codec decodes is shown: OPEN capabilities, UPDATE attributes in the
// order received with their flags, RFC 7606 findings and the resulting action (RFC 7606
// §2), and the NLRI. EVPN NLRI, which the UPDATE codec keeps as raw bytes, are decoded
// here with evpn::for_each_evpn_nlri and shown with FRR's prefix strings plus every field;
// extended communities with evpn::describe (FRR's text) and, in JSON, their typed fields.
//
// JSON key names follow show_bgp.cpp where it has the same thing (ethTag, esi, macLen,
// mac, ipLen, ip, label, label2, originatingIp, gatewayIp, extendedCommunity "string");
// the rest are camelCase.
//
// A malformed EVPN NLRI is an error of the message, like a DecodeError from the codec:
// RFC 7606 §5.3 / RFC 4760 §7 leave no choice but a session reset for an MP_REACH or
// MP_UNREACH whose NLRI cannot be parsed. The renderers show it (JSON key "error") and
// evpn_nlri_error() returns it.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "bgp/wire/bytes.hpp"
#include "bgp/wire/context.hpp"
#include "bgp/wire/decode_error.hpp"
#include "bgp/wire/message.hpp"

namespace evpnd::cli {

// `raw`, when given, is the whole message the value was decoded from; it is used only to
// count error offsets inside EVPN NLRI from the start of the message (without it they
// count from the start of the NLRI field, and say so).
nlohmann::ordered_json message_json(const bgp::wire::DecodedMessage& m, const bgp::wire::CodecContext& ctx,
                                    bgp::wire::ByteSpan raw = {});
// The first line names the type ("UPDATE, l2vpn-evpn: 1 announced"); the details
// follow, indented by two spaces. Ends with a newline.
std::string message_text(const bgp::wire::DecodedMessage& m, const bgp::wire::CodecContext& ctx,
                         bgp::wire::ByteSpan raw = {});

// {"code": 3, "codeName": "UPDATE Message Error", "subcode": 9, "subcodeName": ...,
//  "offset": 45, "reason": "...", "data": "hex"}
nlohmann::ordered_json error_json(const bgp::wire::DecodeError& e);
// "UPDATE Message Error (3) / Optional Attribute Error (9) at offset 45: <reason>; data 90 0e ..."
std::string error_text(const bgp::wire::DecodeError& e);

// The error of the first malformed EVPN NLRI in an UPDATE's MP_REACH/MP_UNREACH, if any.
std::optional<bgp::wire::DecodeError> evpn_nlri_error(const bgp::wire::DecodedMessage& m,
                                                      const bgp::wire::CodecContext& ctx,
                                                      bgp::wire::ByteSpan raw = {});

// "OPEN", "UPDATE", ...; "type 9" for others.
std::string message_type_name(std::uint8_t type);
// Attribute names as IANA lists them ("MP_REACH_NLRI"); "ATTR_<n>" for unknown codes.
std::string attribute_name(std::uint8_t type);
// "ff ff 00 1d": lower-case hex octets separated by single spaces (text); no spaces (JSON).
std::string hex_spaced(bgp::wire::ByteSpan b);
std::string hex_compact(bgp::wire::ByteSpan b);

}  // namespace evpnd::cli
