// Path attribute decoding (RFC 4271 §4.3 and §5) with the error handling of RFC 7606.
//
// The Path Attributes field is walked attribute by attribute, each parsed inside its own
// bounds. A malformed attribute gives an AttrFinding carrying the approach RFC 7606 §7
// (or the RFC defining the attribute) names; the value is then not stored. Only errors
// that leave the NLRI unknowable end the session: framing of the attribute list, a
// duplicated or malformed MP_REACH_NLRI/MP_UNREACH_NLRI, an unrecognized well-known
// attribute.
//
// `wire_order` records (type, flags) of every attribute we store, as received, so that
// the encoder can reproduce the UPDATE byte for byte. Attributes we drop (malformed,
// duplicated, AS4_* that were not needed) are not recorded, so re-encoding a decoded
// UPDATE and decoding it again gives the same UpdateMessage.
#include <array>
#include <bitset>
#include <string>
#include <utility>

#include "bgp/wire/attributes_internal.hpp"
#include "bgp/wire/reader.hpp"

namespace evpnd::bgp::wire::detail {

namespace {

using attr_flag::kExtendedLength;
using attr_flag::kOptional;
using attr_flag::kPartial;
using attr_flag::kTransitive;
constexpr std::uint8_t kOT = kOptional | kTransitive;

struct Attr {
  std::uint8_t flags = 0;
  std::uint8_t type = 0;
  std::size_t offset = 0;        // of the flags octet, in the whole message
  std::size_t value_offset = 0;  // of value[0], in the whole message
  ByteSpan raw;                  // flags, type, length and value: NOTIFICATION data
  ByteSpan value;
};

constexpr std::uint8_t t(AttrType a) { return static_cast<std::uint8_t>(a); }


std::string flags_hex(std::uint8_t f) {
  static constexpr char kDigits[] = "0123456789abcdef";
  return std::string{'0', 'x', kDigits[f >> 4], kDigits[f & 0xF]};
}

IpAddress read_v4(Reader& r) {
  std::array<std::uint8_t, 4> b{};
  r.copy(b);
  return IpAddress::v4(b);
}

class AttrDecoder {
 public:
  AttrDecoder(const DecodeContext& ctx, PathAttributes& out, std::vector<AttrFinding>& findings)
      : ctx_(ctx), out_(out), findings_(findings) {}

  std::optional<DecodeError> decode(const Attr& a);
  void reconcile_as4();

 private:
  void finding(const Attr& a, AttrAction action, UpdateSubcode sub, std::string_view rule, std::string why) {
    findings_.push_back(AttrFinding{a.type, action, static_cast<std::uint8_t>(sub), a.offset,
                                    std::move(why) + " (" + std::string(rule) + ")", rule,
                                    ByteVec(a.raw.begin(), a.raw.end())});
  }
  void keep(const Attr& a) { out_.wire_order.push_back({a.type, a.flags}); }
  void drop_slot(std::uint8_t type) {
    std::erase_if(out_.wire_order, [type](const PathAttributes::Slot& s) { return s.type == type; });
  }
  // Length check with the approach RFC 7606 names for this attribute; true when fine.
  bool length_is(const Attr& a, std::size_t want, AttrAction action, std::string_view rule) {
    if (a.value.size() == want) return true;
    finding(a, action, UpdateSubcode::AttributeLengthError, rule,
            attribute_name(a.type) + " length " + std::to_string(a.value.size()) + " is not " + std::to_string(want));
    return false;
  }
  bool length_multiple(const Attr& a, std::size_t unit, std::string_view rule) {
    if (!a.value.empty() && a.value.size() % unit == 0) return true;
    finding(a, AttrAction::TreatAsWithdraw, UpdateSubcode::AttributeLengthError, rule,
            attribute_name(a.type) + " length " + std::to_string(a.value.size()) + " is not a non-zero multiple of " +
                std::to_string(unit));
    return false;
  }
  // RFC 7606 §7.5, §7.9, §7.10: attributes only internal peers may send. True when the
  // attribute came from an external peer and was discarded.
  bool internal_only(const Attr& a, std::string_view rule) {
    if (ctx_.ibgp) return false;
    finding(a, AttrAction::AttributeDiscard, UpdateSubcode::Unspecific, rule,
            attribute_name(a.type) + " from an external peer is discarded");
    return true;
  }

  void origin(const Attr& a);
  void as_path(const Attr& a);
  void aggregator(const Attr& a);
  void as4_path(const Attr& a);
  void as4_aggregator(const Attr& a);
  void pmsi_tunnel(const Attr& a);
  std::optional<DecodeError> mp_reach(const Attr& a);
  std::optional<DecodeError> mp_unreach(const Attr& a);
  std::optional<DecodeError> unknown(const Attr& a);

  const DecodeContext& ctx_;
  PathAttributes& out_;
  std::vector<AttrFinding>& findings_;
  // RFC 6793 §4.2.3: on a 2-octet session these wait until AS_PATH and AGGREGATOR are in.
  std::optional<AsPath> as4_path_;
  std::optional<Aggregator> as4_aggregator_;
  std::size_t as4_path_offset_ = 0, as4_aggregator_offset_ = 0;
};

std::optional<DecodeError> AttrDecoder::decode(const Attr& a) {
  const auto expected = rfc_flags(a.type);
  if (!expected) return unknown(a);

  if ((a.type == t(AttrType::As4Path) || a.type == t(AttrType::As4Aggregator)) && ctx_.four_octet_as) {
    // RFC 6793 §6: "A NEW BGP speaker that receives the AS4_PATH attribute or the
    // AS4_AGGREGATOR attribute in an UPDATE message from another NEW BGP speaker MUST
    // discard the path attribute and continue processing the UPDATE message."
    finding(a, AttrAction::AttributeDiscard, UpdateSubcode::Unspecific, "RFC 6793 §6",
            attribute_name(a.type) + " on a 4-octet AS session is discarded");
    return std::nullopt;
  }
  // RFC 7606 §7.5: "If the LOCAL_PREF attribute is received from an external neighbor,
  // it SHALL be discarded using the approach of "attribute discard""; §7.9 and §7.10
  // say the same of ORIGINATOR_ID and CLUSTER_LIST. Before any other check: their shape
  // does not matter then.
  switch (static_cast<AttrType>(a.type)) {
    case AttrType::LocalPref: if (internal_only(a, "RFC 7606 §7.5")) return std::nullopt; break;
    case AttrType::OriginatorId: if (internal_only(a, "RFC 7606 §7.9")) return std::nullopt; break;
    case AttrType::ClusterList: if (internal_only(a, "RFC 7606 §7.10")) return std::nullopt; break;
    default: break;
  }

  const bool is_mp = a.type == t(AttrType::MpReachNlri) || a.type == t(AttrType::MpUnreachNlri);
  // RFC 4271 §4.3: "For well-known attributes and for optional non-transitive
  // attributes, the Partial bit MUST be set to 0." FRR checks it with the other flags.
  const bool partial_misplaced = (a.flags & kPartial) && *expected != kOT;
  if ((a.flags & kOT) != *expected || partial_misplaced) {
    const std::string why = attribute_name(a.type) + " flags " + flags_hex(a.flags) + " conflict with the type";
    if (is_mp) {
      // RFC 7606 §5.3: MP_REACH_NLRI/MP_UNREACH_NLRI "SHALL be considered to be
      // incorrect if ... The attribute flags of the attribute are inconsistent with
      // those specified in [RFC4760]", and §3(j) then asks for "session reset" (or
      // AFI/SAFI disable, which we do not implement). RFC 4271 §6.3: Attribute Flags
      // Error with the attribute as data.
      return update_error(UpdateSubcode::AttributeFlagsError, a.offset, why + " (RFC 7606 §5.3)",
                          ByteVec(a.raw.begin(), a.raw.end()));
    }
    // RFC 7606 §3(c): "If the value of either the Optional or Transitive bits in the
    // Attribute Flags is in conflict with their specified values, then the attribute
    // MUST be treated as malformed and the "treat-as-withdraw" approach used".
    finding(a, AttrAction::TreatAsWithdraw, UpdateSubcode::AttributeFlagsError, "RFC 7606 §3(c)", why);
    return std::nullopt;
  }

  Reader v(a.value, a.value_offset);
  switch (static_cast<AttrType>(a.type)) {
    case AttrType::Origin: origin(a); break;
    case AttrType::AsPath: as_path(a); break;
    case AttrType::NextHop:
      // RFC 7606 §7.3: a NEXT_HOP whose length is not 4 is malformed -> treat-as-withdraw.
      // (The martian/own-address checks of RFC 4271 §6.3 are the speaker's, not ours.)
      if (length_is(a, 4, AttrAction::TreatAsWithdraw, "RFC 7606 §7.3")) {
        out_.next_hop = read_v4(v);
        keep(a);
      }
      break;
    case AttrType::MultiExitDisc:
      // RFC 7606 §7.4: MULTI_EXIT_DISC of length other than 4 -> treat-as-withdraw.
      if (length_is(a, 4, AttrAction::TreatAsWithdraw, "RFC 7606 §7.4")) {
        out_.med = *v.u32();
        keep(a);
      }
      break;
    case AttrType::LocalPref:
      // RFC 7606 §7.5, from an internal peer: length other than 4 -> treat-as-withdraw.
      if (length_is(a, 4, AttrAction::TreatAsWithdraw, "RFC 7606 §7.5")) {
        out_.local_pref = *v.u32();
        keep(a);
      }
      break;
    case AttrType::AtomicAggregate:
      // RFC 7606 §7.6: ATOMIC_AGGREGATE of length other than 0 -> attribute discard.
      if (length_is(a, 0, AttrAction::AttributeDiscard, "RFC 7606 §7.6")) {
        out_.atomic_aggregate = true;
        keep(a);
      }
      break;
    case AttrType::Aggregator: aggregator(a); break;
    case AttrType::Communities:
      // RFC 7606 §7.8: not a non-zero multiple of 4 -> treat-as-withdraw.
      if (length_multiple(a, 4, "RFC 7606 §7.8")) {
        out_.communities.reserve(a.value.size() / 4);
        while (!v.empty()) out_.communities.push_back(*v.u32());
        keep(a);
      }
      break;
    case AttrType::OriginatorId:
      // RFC 7606 §7.9, from an internal peer: length other than 4 -> treat-as-withdraw.
      if (length_is(a, 4, AttrAction::TreatAsWithdraw, "RFC 7606 §7.9")) {
        out_.originator_id = RouterId{*v.u32()};
        keep(a);
      }
      break;
    case AttrType::ClusterList:
      // RFC 7606 §7.10, from an internal peer: not a non-zero multiple of 4 ->
      // treat-as-withdraw.
      if (length_multiple(a, 4, "RFC 7606 §7.10")) {
        out_.cluster_list.reserve(a.value.size() / 4);
        while (!v.empty()) out_.cluster_list.push_back(*v.u32());
        keep(a);
      }
      break;
    case AttrType::MpReachNlri: return mp_reach(a);
    case AttrType::MpUnreachNlri: return mp_unreach(a);
    case AttrType::ExtendedCommunities:
      // RFC 7606 §7.14: not a non-zero multiple of 8 -> treat-as-withdraw.
      if (length_multiple(a, 8, "RFC 7606 §7.14")) {
        out_.extended_communities.resize(a.value.size() / 8);
        for (auto& ec : out_.extended_communities) v.copy(ec.bytes);
        keep(a);
      }
      break;
    case AttrType::As4Path: as4_path(a); break;
    case AttrType::As4Aggregator: as4_aggregator(a); break;
    case AttrType::PmsiTunnel: pmsi_tunnel(a); break;
    case AttrType::LargeCommunities:
      // RFC 8092 §6: not a non-zero multiple of 12 -> treat-as-withdraw.
      if (length_multiple(a, 12, "RFC 8092 §6")) {
        out_.large_communities.reserve(a.value.size() / 12);
        while (!v.empty()) out_.large_communities.push_back(LargeCommunity{*v.u32(), *v.u32(), *v.u32()});
        keep(a);
      }
      break;
  }
  return std::nullopt;
}

void AttrDecoder::origin(const Attr& a) {
  // RFC 7606 §7.1: an ORIGIN whose length is not 1 or whose value is undefined is
  // malformed -> treat-as-withdraw.
  if (!length_is(a, 1, AttrAction::TreatAsWithdraw, "RFC 7606 §7.1")) return;
  const std::uint8_t value = a.value[0];
  if (value > 2) {
    finding(a, AttrAction::TreatAsWithdraw, UpdateSubcode::InvalidOriginAttribute, "RFC 7606 §7.1",
            "ORIGIN value " + std::to_string(value) + " is not 0, 1 or 2");
    return;
  }
  out_.origin = static_cast<Origin>(value);
  keep(a);
}

void AttrDecoder::as_path(const Attr& a) {
  // RFC 7606 §7.2: a malformed AS_PATH -> treat-as-withdraw. The segments carry 4-octet
  // AS numbers only when both sides announced the capability (RFC 6793 §4.1).
  std::string why;
  auto path = decode_as_path(a.value, ctx_.four_octet_as ? 4 : 2, why);
  if (!path) {
    finding(a, AttrAction::TreatAsWithdraw, UpdateSubcode::MalformedAsPath, "RFC 7606 §7.2", why);
    return;
  }
  // RFC 7607 §2: "An UPDATE message that contains the AS number of zero in the AS_PATH
  // or AGGREGATOR attribute MUST be considered as malformed and be handled by the
  // procedures specified in [RFC7606]" (§7.2 for AS_PATH).
  if (path->contains(0)) {
    finding(a, AttrAction::TreatAsWithdraw, UpdateSubcode::MalformedAsPath, "RFC 7607 §2", "AS_PATH holds AS 0");
    return;
  }
  out_.as_path = std::move(*path);
  keep(a);
}

void AttrDecoder::aggregator(const Attr& a) {
  // RFC 7606 §7.7: AGGREGATOR of length other than 6 (2-octet session) or 8 (4-octet
  // session, RFC 6793 §3) -> attribute discard.
  const std::size_t want = ctx_.four_octet_as ? 8 : 6;
  if (!length_is(a, want, AttrAction::AttributeDiscard, "RFC 7606 §7.7")) return;
  Reader v(a.value);
  Aggregator agg;
  agg.asn = Asn{ctx_.four_octet_as ? *v.u32() : std::uint32_t{*v.u16()}};
  agg.address = read_v4(v);
  // RFC 7607 §2 with RFC 7606 §7.7: AS 0 in AGGREGATOR -> attribute discard.
  if (agg.asn.value == 0) {
    finding(a, AttrAction::AttributeDiscard, UpdateSubcode::OptionalAttributeError, "RFC 7607 §2",
            "AGGREGATOR holds AS 0");
    return;
  }
  out_.aggregator = agg;
  keep(a);
}

void AttrDecoder::as4_path(const Attr& a) {
  // Only reached on a 2-octet session. RFC 6793 §6: a malformed AS4_PATH is discarded
  // (the AS_PATH still tells us enough to route). It is malformed when "the attribute
  // length is not a multiple of two or is too small (i.e., less than 6) for the
  // attribute to carry at least one AS number", or its segments do not parse.
  if (a.value.size() < 6) {
    finding(a, AttrAction::AttributeDiscard, UpdateSubcode::OptionalAttributeError, "RFC 6793 §6",
            "AS4_PATH of " + std::to_string(a.value.size()) + " octets carries no AS number");
    return;
  }
  std::string why;
  auto path = decode_as_path(a.value, 4, why);
  if (!path) {
    finding(a, AttrAction::AttributeDiscard, UpdateSubcode::OptionalAttributeError, "RFC 6793 §6", why);
    return;
  }
  // RFC 7607 §2 reaches AS4_PATH through RFC 6793's procedures: attribute discard.
  if (path->contains(0)) {
    finding(a, AttrAction::AttributeDiscard, UpdateSubcode::OptionalAttributeError, "RFC 7607 §2",
            "AS4_PATH holds AS 0");
    return;
  }
  if (has_confed_segment(*path)) {
    // RFC 6793 §6: confederation segments in AS4_PATH "MUST" be discarded, and the
    // rest of the attribute processed.
    finding(a, AttrAction::AttributeDiscard, UpdateSubcode::OptionalAttributeError, "RFC 6793 §6",
            "AS4_PATH confederation segments discarded");
    *path = without_confed_segments(*path);
  }
  as4_path_ = std::move(*path);
  as4_path_offset_ = a.offset;
  keep(a);
}

void AttrDecoder::as4_aggregator(const Attr& a) {
  // RFC 6793 §6: an AS4_AGGREGATOR of length other than 8 is discarded.
  if (!length_is(a, 8, AttrAction::AttributeDiscard, "RFC 6793 §6")) return;
  Reader v(a.value);
  Aggregator agg;
  agg.asn = Asn{*v.u32()};
  agg.address = read_v4(v);
  if (agg.asn.value == 0) {
    finding(a, AttrAction::AttributeDiscard, UpdateSubcode::OptionalAttributeError, "RFC 7607 §2",
            "AS4_AGGREGATOR holds AS 0");
    return;
  }
  as4_aggregator_ = agg;
  as4_aggregator_offset_ = a.offset;
  keep(a);
}

void AttrDecoder::pmsi_tunnel(const Attr& a) {
  // RFC 6514 §5: flags (1), tunnel type (1), MPLS label (3), tunnel identifier (rest).
  // It is optional transitive and RFC 7606 §2 makes treat-as-withdraw the default for
  // a malformed attribute that affects route selection, which a flood list does.
  if (a.value.size() < 5) {
    finding(a, AttrAction::TreatAsWithdraw, UpdateSubcode::AttributeLengthError, "RFC 6514 §5",
            "PMSI_TUNNEL length " + std::to_string(a.value.size()) + " is shorter than 5");
    return;
  }
  Reader v(a.value);
  PmsiTunnel p;
  p.flags = *v.u8();
  p.tunnel_type = *v.u8();
  p.label = *v.u24();
  const ByteSpan id = v.rest();
  p.tunnel_id.assign(id.begin(), id.end());
  out_.pmsi_tunnel = std::move(p);
  keep(a);
}

// RFC 4760 §7 / RFC 7606 §7.11: an MP_REACH_NLRI or MP_UNREACH_NLRI we cannot parse
// leaves its NLRI unknown, so neither treat-as-withdraw nor attribute discard is safe;
// RFC 7606 allows "AFI/SAFI disable" or "session reset". evpnd does not implement
// AFI/SAFI disable (one family per session in practice, and a half-disabled session is
// harder to reason about), so we reset with Optional Attribute Error and the attribute
// as data, as RFC 4760 §7 asks.
std::optional<DecodeError> AttrDecoder::mp_reach(const Attr& a) {
  auto bad = [&](std::string why, std::size_t off) {
    return update_error(UpdateSubcode::OptionalAttributeError, off, "MP_REACH_NLRI " + std::move(why) + " (RFC 7606 §7.11)",
                        ByteVec(a.raw.begin(), a.raw.end()));
  };
  Reader v(a.value, a.value_offset);
  auto afi = v.u16();
  auto safi = v.u8();
  auto nh_len = v.u8();
  if (!afi || !safi || !nh_len) return bad("shorter than its fixed fields", a.offset);
  MpReach mp;
  mp.family = AfiSafi{*afi, *safi};
  auto nh = v.bytes(*nh_len);
  if (!nh) return bad("next hop length " + std::to_string(*nh_len) + " overruns the attribute", a.offset);
  // RFC 7606 §7.11: a next-hop length inconsistent with the family is malformed; the
  // NLRI after it cannot be located reliably. Unknown families are taken as they come.
  const std::size_t n = *nh_len;
  bool nh_ok = true;
  if (mp.family == AfiSafi::ipv4_unicast() || mp.family == AfiSafi::l2vpn_evpn())
    nh_ok = n == 4 || n == 16 || n == 32;  // IPv4, or IPv6 (RFC 8950; EVPN allows either)
  else if (mp.family == AfiSafi::ipv6_unicast())
    nh_ok = n == 16 || n == 32;  // RFC 2545 §3
  if (!nh_ok) return bad("next hop length " + std::to_string(n) + " is wrong for " + to_string(mp.family), a.offset);
  mp.next_hop.assign(nh->begin(), nh->end());
  // RFC 4760 §3: the Reserved octet "MUST be set to 0, and SHOULD be ignored upon receipt".
  if (!v.skip(1)) return bad("has no Reserved octet", a.offset);
  const std::size_t nlri_offset = v.offset();
  const ByteSpan nlri = v.rest();
  mp.nlri.assign(nlri.begin(), nlri.end());
  mp.position = WirePosition{a.offset, a.raw.size(), nlri_offset};
  if (mp.family.safi == 1 && (mp.family.afi == 1 || mp.family.afi == 2)) {
    auto prefixes = decode_prefixes(nlri, mp.family.afi == 1 ? IpAddress::Family::V4 : IpAddress::Family::V6,
                                    ctx_.add_path_receive(mp.family), nlri_offset);
    if (!prefixes) return bad("NLRI: " + prefixes.error().reason, prefixes.error().offset);
    mp.prefixes = std::move(prefixes.value());
  }
  out_.mp_reach = std::move(mp);
  keep(a);
  return std::nullopt;
}

std::optional<DecodeError> mp_unreach_error(const Attr& a, std::string why, std::size_t off) {
  return update_error(UpdateSubcode::OptionalAttributeError, off, "MP_UNREACH_NLRI " + std::move(why) + " (RFC 7606 §7.11)",
                      ByteVec(a.raw.begin(), a.raw.end()));
}

std::optional<DecodeError> AttrDecoder::mp_unreach(const Attr& a) {
  // Same reasoning as mp_reach above (RFC 7606 §7.11, RFC 4760 §7).
  Reader v(a.value, a.value_offset);
  auto afi = v.u16();
  auto safi = v.u8();
  if (!afi || !safi) return mp_unreach_error(a, "shorter than AFI and SAFI", a.offset);
  MpUnreach mp;
  mp.family = AfiSafi{*afi, *safi};
  const std::size_t nlri_offset = v.offset();
  const ByteSpan nlri = v.rest();
  mp.nlri.assign(nlri.begin(), nlri.end());
  mp.position = WirePosition{a.offset, a.raw.size(), nlri_offset};
  if (mp.family.safi == 1 && (mp.family.afi == 1 || mp.family.afi == 2)) {
    auto prefixes = decode_prefixes(nlri, mp.family.afi == 1 ? IpAddress::Family::V4 : IpAddress::Family::V6,
                                    ctx_.add_path_receive(mp.family), nlri_offset);
    if (!prefixes) return mp_unreach_error(a, "withdrawn routes: " + prefixes.error().reason, prefixes.error().offset);
    mp.prefixes = std::move(prefixes.value());
  }
  out_.mp_unreach = std::move(mp);
  keep(a);
  return std::nullopt;
}

std::optional<DecodeError> AttrDecoder::unknown(const Attr& a) {
  if (!(a.flags & kOptional)) {
    // RFC 4271 §6.3: "If any of the well-known mandatory attributes are not recognized,
    // then the Error Subcode MUST be set to Unrecognized Well-known Attribute. The Data
    // field MUST contain the unrecognized attribute (type, length, and value)." RFC 7606
    // leaves this one as a session reset.
    return update_error(UpdateSubcode::UnrecognizedWellKnownAttribute, a.offset,
                        "unrecognized well-known attribute type " + std::to_string(a.type),
                        ByteVec(a.raw.begin(), a.raw.end()));
  }
  // RFC 4271 §5: an unrecognized optional transitive attribute is passed on "with the
  // Partial bit in the Attribute Flags octet set to 1"; we set it as we store it, so
  // whoever re-advertises the path need not remember. Optional non-transitive ones are
  // kept too (for show and for byte-exact re-encoding) and dropped by the RIB on export.
  UnknownAttribute u;
  u.flags = (a.flags & kTransitive) ? static_cast<std::uint8_t>(a.flags | kPartial) : a.flags;
  u.type = a.type;
  u.value.assign(a.value.begin(), a.value.end());
  out_.wire_order.push_back({u.type, u.flags});
  out_.unknown.push_back(std::move(u));
  return std::nullopt;
}

void AttrDecoder::reconcile_as4() {
  if (ctx_.four_octet_as) return;
  auto ignore = [&](std::uint8_t type, std::size_t offset, std::string why) {
    findings_.push_back(AttrFinding{type, AttrAction::AttributeDiscard, 0, offset, std::move(why), "RFC 6793 §4.2.3", {}});
    drop_slot(type);
  };
  // RFC 6793 §4.2.3: "If the AGGREGATOR attribute contains an AS number other than
  // AS_TRANS, then: the AS4_AGGREGATOR attribute and the AS4_PATH attribute SHALL be
  // ignored, the AGGREGATOR attribute SHALL be taken as the information about the
  // aggregating node, and the AS_PATH attribute SHALL be taken as the AS path
  // information."
  // "When both of the attributes are received": without AS4_AGGREGATOR the AGGREGATOR
  // alone never blocks AS4_PATH.
  const bool aggregator_blocks =
      as4_aggregator_ && out_.aggregator && out_.aggregator->asn.value != Asn::kAsTrans;
  if (as4_aggregator_) {
    if (!out_.aggregator) {
      ignore(t(AttrType::As4Aggregator), as4_aggregator_offset_, "AS4_AGGREGATOR without AGGREGATOR is ignored");
    } else if (aggregator_blocks) {
      ignore(t(AttrType::As4Aggregator), as4_aggregator_offset_, "AS4_AGGREGATOR ignored: AGGREGATOR is not AS_TRANS");
    } else {
      // "Otherwise, the AS4_AGGREGATOR attribute SHALL be taken as the information
      // about the aggregating node".
      out_.aggregator = *as4_aggregator_;
      // We send AS4_AGGREGATOR only for a non-mappable AS (RFC 6793 §4.2.2); forget the
      // slot otherwise so that decode(encode(x)) == x.
      if (as4_aggregator_->asn.fits_two_octets()) drop_slot(t(AttrType::As4Aggregator));
    }
  }
  if (as4_path_) {
    if (aggregator_blocks) {
      ignore(t(AttrType::As4Path), as4_path_offset_, "AS4_PATH ignored: AGGREGATOR is not AS_TRANS");
    } else if (!out_.as_path) {
      ignore(t(AttrType::As4Path), as4_path_offset_, "AS4_PATH without a usable AS_PATH is ignored");
    } else if (out_.as_path->length() < as4_path_->length()) {
      // RFC 6793 §4.2.3: "If the number of AS numbers in the AS_PATH attribute is less
      // than the number of AS numbers in the AS4_PATH attribute, then the AS4_PATH
      // attribute SHALL be ignored, and the AS_PATH attribute SHALL be taken as the AS
      // path information."
      ignore(t(AttrType::As4Path), as4_path_offset_, "AS4_PATH longer than AS_PATH is ignored");
    } else {
      out_.as_path = merge_as4_path(*out_.as_path, *as4_path_);
      // As for AS4_AGGREGATOR: we would not send AS4_PATH for an all-mappable path.
      if (!needs_as4_path(*out_.as_path)) drop_slot(t(AttrType::As4Path));
    }
  }
}

}  // namespace

std::optional<std::uint8_t> rfc_flags(std::uint8_t type) {
  switch (static_cast<AttrType>(type)) {
    // RFC 4271 §5: well-known attributes are transitive and not optional.
    case AttrType::Origin:
    case AttrType::AsPath:
    case AttrType::NextHop:
    case AttrType::LocalPref:
    case AttrType::AtomicAggregate: return kTransitive;
    // Optional non-transitive: RFC 4271 §5.1.4 (MED), RFC 4456 §8, RFC 4760 §3/§4.
    case AttrType::MultiExitDisc:
    case AttrType::OriginatorId:
    case AttrType::ClusterList:
    case AttrType::MpReachNlri:
    case AttrType::MpUnreachNlri: return kOptional;
    // Optional transitive: RFC 4271 §5.1.7, RFC 1997, RFC 4360 §2, RFC 6793 §3,
    // RFC 6514 §5, RFC 8092 §3.
    case AttrType::Aggregator:
    case AttrType::Communities:
    case AttrType::ExtendedCommunities:
    case AttrType::As4Path:
    case AttrType::As4Aggregator:
    case AttrType::PmsiTunnel:
    case AttrType::LargeCommunities: return kOT;
  }
  return std::nullopt;
}

std::optional<DecodeError> decode_path_attributes(ByteSpan attrs, const DecodeContext& ctx, std::size_t base_offset,
                                                  PathAttributes& out, std::vector<AttrFinding>& findings,
                                                  std::bitset<256>& seen) {
  AttrDecoder dec(ctx, out, findings);
  Reader r(attrs, base_offset);
  // RFC 7606 §4: an attribute list inconsistent with the Total Path Attribute Length
  // "MUST" get treat-as-withdraw, "and the Total Attribute Length MUST be relied upon to
  // enable the beginning of the NLRI field to be located". Treat-as-withdraw must know
  // every route the UPDATE carries (§3(j)), and the tail we cannot walk may hide
  // MP_REACH_NLRI/MP_UNREACH_NLRI (for EVPN they carry every route). So: treat-as-withdraw
  // when an MP attribute came before the break (senders put it first, §5.1) or the
  // session carries no MP family (every route is in the NLRI field); reset otherwise,
  // with Malformed Attribute List for a truncated header (RFC 4271 §6.3) or Attribute
  // Length Error for a value that runs past the list.
  auto broken_list = [&](std::uint8_t type, UpdateSubcode sub, std::size_t offset, std::string why,
                         ByteVec data) -> std::optional<DecodeError> {
    const bool routes_known = out.mp_reach || out.mp_unreach || !ctx.multiprotocol;
    if (!routes_known) return update_error(sub, offset, why + " (RFC 7606 §4)", std::move(data));
    findings.push_back(AttrFinding{type, AttrAction::TreatAsWithdraw, static_cast<std::uint8_t>(sub), offset,
                                   why + "; the rest of the list is skipped (RFC 7606 §4)", "RFC 7606 §4",
                                   std::move(data)});
    return std::nullopt;
  };
  while (!r.empty()) {
    Attr a;
    a.offset = r.offset();
    const std::size_t start = a.offset - base_offset;
    const std::size_t header = (r.peek_u8().value_or(0) & kExtendedLength) ? 4 : 3;
    if (r.remaining() < header) {
      const ByteSpan tail = r.rest();
      if (auto err = broken_list(0, UpdateSubcode::MalformedAttributeList, a.offset,
                                 std::to_string(tail.size()) +
                                     " octets left in the attribute list, too few for an attribute header",
                                 ByteVec(tail.begin(), tail.end())))
        return err;
      break;
    }
    a.flags = *r.u8();
    a.type = *r.u8();
    const std::size_t len = header == 4 ? std::size_t{*r.u16()} : std::size_t{*r.u8()};
    a.value_offset = r.offset();
    auto value = r.bytes(len);
    if (!value) {
      seen.set(a.type);  // present, if unreadable: not "missing" too (§3(d))
      if (auto err = broken_list(a.type, UpdateSubcode::AttributeLengthError, a.offset,
                                 attribute_name(a.type) + " length " + std::to_string(len) + " overruns the attribute list",
                                 ByteVec(attrs.begin() + static_cast<std::ptrdiff_t>(start), attrs.end())))
        return err;
      break;
    }
    a.value = *value;
    a.raw = attrs.subspan(start, header + len);

    if (seen.test(a.type)) {
      // RFC 7606 §3(g): "If the MP_REACH_NLRI attribute or the MP_UNREACH_NLRI [RFC4760]
      // attribute appears more than once in the UPDATE message, then a NOTIFICATION
      // message MUST be sent with the Error Subcode "Malformed Attribute List". If any
      // other attribute (whether recognized or unrecognized) appears more than once in
      // an UPDATE message, then all the occurrences of the attribute other than the
      // first one SHALL be discarded and the UPDATE message will continue to be
      // processed."
      if (a.type == t(AttrType::MpReachNlri) || a.type == t(AttrType::MpUnreachNlri))
        return update_error(UpdateSubcode::MalformedAttributeList, a.offset,
                            attribute_name(a.type) + " appears more than once (RFC 7606 §3(g))");
      findings.push_back(AttrFinding{a.type, AttrAction::AttributeDiscard,
                                     static_cast<std::uint8_t>(UpdateSubcode::MalformedAttributeList), a.offset,
                                     "duplicate " + attribute_name(a.type) + " discarded (RFC 7606 §3(g))",
                                     "RFC 7606 §3(g)", ByteVec(a.raw.begin(), a.raw.end())});
      continue;
    }
    seen.set(a.type);
    // MP_REACH_NLRI/MP_UNREACH_NLRI are accepted wherever they appear: RFC 7606 §5.1
    // asks senders to put them first, but their position is not an error (and GoBGP
    // puts MP_REACH_NLRI third).
    if (auto err = dec.decode(a)) return err;
  }
  dec.reconcile_as4();
  return std::nullopt;
}

}  // namespace evpnd::bgp::wire::detail

namespace evpnd::bgp::wire {

std::string attribute_name(std::uint8_t type) {
  switch (static_cast<AttrType>(type)) {
    case AttrType::Origin: return "ORIGIN";
    case AttrType::AsPath: return "AS_PATH";
    case AttrType::NextHop: return "NEXT_HOP";
    case AttrType::MultiExitDisc: return "MULTI_EXIT_DISC";
    case AttrType::LocalPref: return "LOCAL_PREF";
    case AttrType::AtomicAggregate: return "ATOMIC_AGGREGATE";
    case AttrType::Aggregator: return "AGGREGATOR";
    case AttrType::Communities: return "COMMUNITIES";
    case AttrType::OriginatorId: return "ORIGINATOR_ID";
    case AttrType::ClusterList: return "CLUSTER_LIST";
    case AttrType::MpReachNlri: return "MP_REACH_NLRI";
    case AttrType::MpUnreachNlri: return "MP_UNREACH_NLRI";
    case AttrType::ExtendedCommunities: return "EXTENDED_COMMUNITIES";
    case AttrType::As4Path: return "AS4_PATH";
    case AttrType::As4Aggregator: return "AS4_AGGREGATOR";
    case AttrType::PmsiTunnel: return "PMSI_TUNNEL";
    case AttrType::LargeCommunities: return "LARGE_COMMUNITIES";
  }
  return "attribute " + std::to_string(type);
}

}  // namespace evpnd::bgp::wire
