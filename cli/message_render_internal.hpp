#pragma once
// Shared by message_render_text.cpp and message_render_json.cpp: names, the EVPN NLRI
// decoding of an MP_REACH/MP_UNREACH with error offsets, and the attribute order.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bgp/wire/message.hpp"
#include "evpn/nlri.hpp"

namespace evpnd::cli::detail {

namespace wire = bgp::wire;

// The NLRI of one MP_REACH/MP_UNREACH decoded as EVPN: every NLRI before the first
// malformed one, and the error for that one.
struct EvpnSection {
  std::vector<evpn::EvpnNlri> nlri;
  std::optional<wire::DecodeError> error;
};

// `raw` is the whole message (may be empty). `attr_type` is 14 or 15.
EvpnSection decode_evpn_section(wire::ByteSpan nlri, std::uint8_t attr_type, const wire::CodecContext& ctx,
                                wire::ByteSpan raw);

// Offset, in the whole message, of the NLRI field of the first attribute `attr_type`
// (14 or 15); nullopt when `raw` is not an UPDATE holding one.
std::optional<std::size_t> mp_nlri_offset(wire::ByteSpan raw, std::uint8_t attr_type);

// Attributes in the order received; for a locally built value (no wire_order), the
// present ones in type order with their usual flags.
std::vector<wire::PathAttributes::Slot> attribute_slots(const wire::PathAttributes& a);

std::string origin_name(wire::Origin o);  // "IGP", "EGP", "incomplete" (show_bgp.cpp)
std::string community_text(std::uint32_t c);  // "65001:100", or FRR's well-known names
std::string large_community_text(const wire::LargeCommunity& c);  // "1:2:3"
std::string prefix_text(const wire::Prefix& p);  // "10.0.0.0/8"
std::string pmsi_type_name(std::uint8_t type);   // RFC 6514 §5 tunnel types
std::string tunnel_id_text(const wire::ByteVec& id);  // an address for 4/16 bytes, else hex
std::string capability_name(std::uint8_t code);   // "multiprotocol", "four-octet-as", ...
std::string add_path_direction_name(wire::AddPathDirection d);
std::string as_segment_type_name(wire::AsPathSegmentType t);  // FRR's JSON: "as-sequence", ...
std::string route_type_name(std::uint8_t type);  // "ethernet-auto-discovery", "mac-ip", ...
std::string flags_hex(std::uint8_t f);           // "0x90"
std::string route_refresh_subtype_name(wire::RouteRefreshMessage::Subtype s);
// Peer-supplied text (hostname, shutdown communication) for a terminal: control
// characters, quotes and backslashes escaped as \xNN.
std::string printable(std::string_view s);

// The family of the routes an UPDATE carries (for the summary line).
struct FamilyCounts {
  wire::AfiSafi family;
  std::size_t announced = 0;
  std::size_t withdrawn = 0;
};
std::vector<FamilyCounts> family_counts(const wire::DecodedUpdate& u, const wire::CodecContext& ctx,
                                        wire::ByteSpan raw);

}  // namespace evpnd::cli::detail
