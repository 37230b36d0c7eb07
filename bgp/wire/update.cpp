// UPDATE message (RFC 4271 §4.3): the fields around the path attributes, the RFC 7606
// outcome of the whole message, and End-of-RIB (RFC 4724 §2).
//
//   Withdrawn Routes Length (2) | Withdrawn Routes | Total Path Attribute Length (2) |
//   Path Attributes | NLRI (the rest)
//
// Data flow: decode_update() checks the two length fields, decodes the IPv4 withdrawn
// routes and NLRI (prefixes.cpp), hands the attribute list to attributes_decode.cpp, then
// applies the message-level rules of RFC 7606 (missing mandatory attributes) and folds
// the findings into one action. The speaker (bgp/) turns a DecodeError into the
// NOTIFICATION it describes and a TreatAsWithdraw outcome into withdrawals.
//
// What we do not do: AFI/SAFI disable (RFC 7606 §2, RFC 4760 §7). Where RFC 7606 allows
// "AFI/SAFI disable or session reset" we reset; see attributes_decode.cpp.
#include <algorithm>
#include <bitset>
#include <string>

#include "bgp/wire/attributes_internal.hpp"
#include "bgp/wire/reader.hpp"
#include "bgp/wire/update.hpp"
#include "bgp/wire/writer.hpp"

namespace evpnd::bgp::wire {

using detail::update_error;

namespace {

constexpr std::uint8_t t(AttrType a) { return static_cast<std::uint8_t>(a); }

// RFC 7606 §3(d): "If any of the well-known mandatory attributes are not present in an
// UPDATE message, then "treat-as-withdraw" MUST be used. (Note that [RFC4760]
// reclassifies NEXT_HOP as what is effectively discretionary.)"
// ORIGIN and AS_PATH are mandatory whenever the UPDATE announces something: routes in
// the NLRI field (RFC 4271 §5) or an MP_REACH_NLRI (RFC 4760 §3: "An UPDATE message that
// carries the MP_REACH_NLRI MUST also carry the ORIGIN and the AS_PATH attributes").
// NEXT_HOP only when the NLRI field has IPv4 routes. An UPDATE that only withdraws needs
// none (RFC 4760 §4).
void check_mandatory(DecodedUpdate& d, const std::bitset<256>& seen, std::size_t attrs_offset) {
  const UpdateMessage& u = d.update;
  const bool announces = !u.nlri.empty() || u.attrs.mp_reach.has_value();
  if (!announces) return;
  auto require = [&](AttrType type, const char* name) {
    if (seen.test(t(type))) return;  // present, or malformed and already reported
    // RFC 4271 §6.3: "the Data field MUST contain the Attribute Type Code of the missing
    // well-known attribute".
    d.findings.push_back(AttrFinding{t(type), AttrAction::TreatAsWithdraw,
                                     static_cast<std::uint8_t>(UpdateSubcode::MissingWellKnownAttribute),
                                     attrs_offset, std::string("missing well-known attribute ") + name + " (RFC 7606 §3(d))",
                                     "RFC 7606 §3(d)", ByteVec{t(type)}});
  };
  require(AttrType::Origin, "ORIGIN");
  require(AttrType::AsPath, "AS_PATH");
  if (!u.nlri.empty()) require(AttrType::NextHop, "NEXT_HOP");
}

bool has_attributes_besides_mp_unreach(const PathAttributes& a) {
  return a.origin || a.as_path || a.next_hop || a.med || a.local_pref || a.atomic_aggregate || a.aggregator ||
         !a.communities.empty() || a.originator_id || !a.cluster_list.empty() || a.mp_reach ||
         !a.extended_communities.empty() || !a.large_communities.empty() || a.pmsi_tunnel || !a.unknown.empty();
}

// The same question about what arrived, stored or not: a malformed attribute is not
// stored, but it was there.
bool has_attributes_besides_mp_unreach(const PathAttributes& a, const std::bitset<256>& seen) {
  if (has_attributes_besides_mp_unreach(a)) return true;
  std::bitset<256> others = seen;
  others.reset(t(AttrType::MpUnreachNlri));
  return others.any();
}

}  // namespace

std::string_view to_string(AttrAction a) {
  switch (a) {
    case AttrAction::None: return "none";
    case AttrAction::AttributeDiscard: return "attribute-discard";
    case AttrAction::TreatAsWithdraw: return "treat-as-withdraw";
    case AttrAction::AfiSafiDisable: return "afi-safi-disable";
    case AttrAction::SessionReset: return "session-reset";
  }
  return "unknown";
}

Result<DecodedUpdate, DecodeError> decode_update(ByteSpan body, const DecodeContext& ctx, std::size_t base_offset) {
  Reader r(body, base_offset);
  // RFC 4271 §6.3, kept by RFC 7606 §3(b): "If the Withdrawn Routes Length or Total
  // Attribute Length is too large (i.e., if Withdrawn Routes Length + Total Attribute
  // Length + 23 exceeds the message Length), then the Error Subcode MUST be set to
  // Malformed Attribute List." Nothing after a wrong length can be located.
  auto wlen = r.u16();
  if (!wlen)
    return fail(update_error(UpdateSubcode::MalformedAttributeList, base_offset,
                             "UPDATE of " + std::to_string(body.size()) + " octets has no Withdrawn Routes Length"));
  const std::size_t withdrawn_offset = r.offset();
  auto withdrawn = r.bytes(*wlen);
  if (!withdrawn)
    return fail(update_error(UpdateSubcode::MalformedAttributeList, base_offset,
                             "Withdrawn Routes Length " + std::to_string(*wlen) + " exceeds the " +
                                 std::to_string(r.remaining()) + " octets that follow"));
  const std::size_t alen_offset = r.offset();
  auto alen = r.u16();
  if (!alen)
    return fail(update_error(UpdateSubcode::MalformedAttributeList, alen_offset,
                             "UPDATE has no Total Path Attribute Length"));
  const std::size_t attrs_offset = r.offset();
  auto attrs = r.bytes(*alen);
  if (!attrs)
    return fail(update_error(UpdateSubcode::MalformedAttributeList, alen_offset,
                             "Total Path Attribute Length " + std::to_string(*alen) + " exceeds the " +
                                 std::to_string(r.remaining()) + " octets that follow"));
  const std::size_t nlri_offset = r.offset();
  const ByteSpan nlri = r.rest();

  DecodedUpdate d;
  const bool add_path = ctx.add_path_receive(AfiSafi::ipv4_unicast());
  // RFC 7606 §3(j) and §5.3: treat-as-withdraw needs every NLRI, so a Withdrawn Routes
  // or NLRI field we cannot parse is a session reset (Invalid Network Field, RFC 4271
  // §6.3). RFC 7606 §3(i) checks the Withdrawn Routes field the same way as the NLRI.
  auto w = decode_prefixes(*withdrawn, IpAddress::Family::V4, add_path, withdrawn_offset);
  if (!w) return fail(std::move(w.error()));
  d.update.withdrawn = std::move(w.value());

  std::bitset<256> seen;
  if (auto err = detail::decode_path_attributes(*attrs, ctx, attrs_offset, d.update.attrs, d.findings, seen))
    return fail(std::move(*err));

  auto n = decode_prefixes(nlri, IpAddress::Family::V4, add_path, nlri_offset);
  if (!n) return fail(std::move(n.error()));
  d.update.nlri = std::move(n.value());

  check_mandatory(d, seen, attrs_offset);

  // RFC 7606 §2 orders the approaches; when several attributes are malformed the
  // harshest one applies to the UPDATE (RFC 7606 §3(h)).
  for (const auto& f : d.findings) d.action = std::max(d.action, f.action);

  // RFC 7606 §5.2: "if an UPDATE message is encountered that does contain path
  // attributes other than MP_UNREACH_NLRI and doesn't encode any reachable NLRI, we
  // cannot be confident that the NLRI have been successfully parsed as Section 3 (j)
  // requires. For this reason, if any path attribute errors are encountered in such an
  // UPDATE message and if any encountered error specifies an error-handling approach
  // other than "attribute discard", then the "session reset" approach MUST be used."
  // The NOTIFICATION is the one the first such error names.
  const UpdateMessage& u = d.update;
  const bool reachable = !u.nlri.empty() || (u.attrs.mp_reach && !u.attrs.mp_reach->nlri.empty());
  if (!reachable && d.action > AttrAction::AttributeDiscard && has_attributes_besides_mp_unreach(u.attrs, seen)) {
    for (auto& f : d.findings) {
      if (f.action <= AttrAction::AttributeDiscard) continue;
      return fail(DecodeError::make(ErrorCode::UpdateMessage, f.subcode, f.offset,
                                    f.reason + "; the UPDATE announces nothing, so the session is reset (RFC 7606 §5.2)",
                                    std::move(f.data)));
    }
  }
  return d;
}

void encode_update_body(const UpdateMessage& m, const EncodeContext& ctx, ByteVec& out) {
  Writer w(out);
  const bool add_path = ctx.add_path_send(AfiSafi::ipv4_unicast());
  const std::size_t wlen = w.reserve_u16();
  encode_prefixes(m.withdrawn, add_path, out);
  w.patch_u16(wlen);
  const std::size_t alen = w.reserve_u16();
  detail::encode_path_attributes(m.attrs, ctx, out);
  w.patch_u16(alen);
  encode_prefixes(m.nlri, add_path, out);
}

std::optional<AfiSafi> UpdateMessage::end_of_rib() const {
  // RFC 4724 §2: "An UPDATE message with no reachable Network Layer Reachability
  // Information (NLRI) and empty withdrawn NLRI is specified as the End-of-RIB marker
  // that can be used by a BGP speaker to indicate to its peer the completion of the
  // initial routing update after the session is established. For the IPv4 unicast
  // address family, the End-of-RIB marker is an UPDATE message with the minimum length
  // [BGP-4]. For any other address family, it is an UPDATE message that contains only
  // the MP_UNREACH_NLRI attribute [BGP-MP] with no withdrawn routes for that
  // <AFI, SAFI>."
  if (!withdrawn.empty() || !nlri.empty() || has_attributes_besides_mp_unreach(attrs)) return std::nullopt;
  if (!attrs.mp_unreach) return AfiSafi::ipv4_unicast();
  if (attrs.mp_unreach->nlri.empty() && attrs.mp_unreach->prefixes.empty()) return attrs.mp_unreach->family;
  return std::nullopt;
}

UpdateMessage make_end_of_rib(AfiSafi family) {
  UpdateMessage m;
  if (family != AfiSafi::ipv4_unicast()) m.attrs.mp_unreach = MpUnreach{family, {}, {}, {}};
  return m;
}

}  // namespace evpnd::bgp::wire
