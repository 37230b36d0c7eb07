#pragma once
// Internal to the UPDATE codec (update.cpp, attributes_decode.cpp, attributes_encode.cpp,
// as_path.cpp): the pieces those files share. Not part of the public API; nothing outside
// bgp/wire includes it.
#include <bitset>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bgp/wire/bytes.hpp"
#include "bgp/wire/context.hpp"
#include "bgp/wire/decode_error.hpp"
#include "bgp/wire/update.hpp"

namespace evpnd::bgp::wire::detail {

// The Optional and Transitive bits RFC 4271 §5 / the defining RFC give each attribute we
// model; nullopt for a type we do not know.
std::optional<std::uint8_t> rfc_flags(std::uint8_t type);

// --- AS_PATH / AS4_PATH segments (RFC 4271 §4.3, RFC 5065 §3, RFC 6793) -------------------

// Decodes the segments of an AS_PATH (asn_size 2 or 4) or AS4_PATH (4). nullopt when the
// value is malformed in the sense of RFC 7606 §7.2 (unknown segment type, zero segment
// length, overrun, or a trailing lone octet); `why` then says which.
std::optional<AsPath> decode_as_path(ByteSpan value, std::size_t asn_size, std::string& why);

// Appends the segments. With asn_size 2, AS numbers that do not fit are written as
// AS_TRANS (RFC 6793 §4.2.2). Empty segments are skipped and segments longer than 255
// AS numbers are split, since the segment length octet cannot say more.
void encode_as_path(const AsPath& path, std::size_t asn_size, ByteVec& out);

// True when an AS number outside the confederation segments needs four octets, i.e. when
// a 2-octet session must carry AS4_PATH (RFC 6793 §4.2.2; AS4_PATH cannot carry
// confederation segments, RFC 6793 §6).
bool needs_as4_path(const AsPath& path);
bool has_confed_segment(const AsPath& path);
AsPath without_confed_segments(const AsPath& path);

// RFC 6793 §4.2.3: the AS path rebuilt from AS_PATH and AS4_PATH. The caller has checked
// that AS_PATH counts at least as many AS numbers as AS4_PATH.
AsPath merge_as4_path(const AsPath& as_path, const AsPath& as4_path);

// --- Path attributes ----------------------------------------------------------------------

// Decodes the Path Attributes field into `out` (RFC 4271 §4.3, RFC 7606). Findings below
// session reset are appended to `findings`; a session reset is returned. `base_offset` is
// the offset of attrs[0] in the whole message. `seen` gets every type code that appeared,
// stored or not (for the RFC 7606 §3(d) missing-attribute check).
std::optional<DecodeError> decode_path_attributes(ByteSpan attrs, const DecodeContext& ctx,
                                                  std::size_t base_offset, PathAttributes& out,
                                                  std::vector<AttrFinding>& findings, std::bitset<256>& seen);

// Appends the Path Attributes field (without its length).
void encode_path_attributes(const PathAttributes& attrs, const EncodeContext& ctx, ByteVec& out);

inline DecodeError update_error(UpdateSubcode sub, std::size_t offset, std::string why, ByteVec data = {}) {
  return DecodeError::make(ErrorCode::UpdateMessage, static_cast<std::uint8_t>(sub), offset, std::move(why),
                           std::move(data));
}

}  // namespace evpnd::bgp::wire::detail
