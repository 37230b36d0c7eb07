// Path attribute encoding (RFC 4271 §4.3).
//
// Order and flags: the attributes named in `wire_order` come first, in that order and
// with those flags (only the length is recomputed), so a decoded UPDATE re-encodes byte
// for byte; every other attribute present follows with the flags its RFC gives,
// MP_REACH_NLRI and MP_UNREACH_NLRI first (RFC 7606 §5.1), then ascending type order. The Extended Length bit is kept when the slot has it and added when a
// value exceeds 255 octets (RFC 4271 §4.3).
//
// On a 2-octet AS session (RFC 6793 §4.2.2) AS_PATH and AGGREGATOR carry AS_TRANS for AS
// numbers that do not fit, and AS4_PATH / AS4_AGGREGATOR carry the real ones, but only
// when some AS number needs it ("the NEW BGP speaker MUST NOT send the AS4_PATH
// attribute" otherwise). On a 4-octet session they are never sent (RFC 6793 §6).
#include <bitset>

#include "bgp/wire/attributes_internal.hpp"
#include "bgp/wire/writer.hpp"

namespace evpnd::bgp::wire::detail {

namespace {

using attr_flag::kExtendedLength;

void write_v4(Writer& w, const IpAddress& a) { w.bytes(ByteSpan(a.data(), 4)); }

class AttrEncoder {
 public:
  AttrEncoder(const PathAttributes& a, const EncodeContext& ctx, ByteVec& out) : a_(a), ctx_(ctx), out_(out), w_(out) {}

  void run() {
    std::bitset<256> done;
    for (const auto& slot : a_.wire_order) {
      if (done.test(slot.type) || !present(slot.type)) continue;
      emit(slot.type, slot.flags);
      done.set(slot.type);
    }
    // RFC 7606 §5.1: "The MP_REACH_NLRI or MP_UNREACH_NLRI attribute (if present) SHALL
    // be encoded as the very first path attribute in an UPDATE message", so that a
    // receiver that meets a broken attribute list still knows the routes.
    auto emit_default = [&](std::uint8_t ty) {
      if (done.test(ty) || !present(ty)) return;
      emit(ty, default_flags(ty));
      done.set(ty);
    };
    emit_default(static_cast<std::uint8_t>(AttrType::MpReachNlri));
    emit_default(static_cast<std::uint8_t>(AttrType::MpUnreachNlri));
    for (unsigned type = 0; type < 256; ++type) emit_default(static_cast<std::uint8_t>(type));
  }

 private:
  const UnknownAttribute* find_unknown(std::uint8_t type) const {
    for (const auto& u : a_.unknown)
      if (u.type == type) return &u;
    return nullptr;
  }

  bool present(std::uint8_t type) const {
    switch (static_cast<AttrType>(type)) {
      case AttrType::Origin: return a_.origin.has_value();
      case AttrType::AsPath: return a_.as_path.has_value();
      case AttrType::NextHop: return a_.next_hop.has_value();
      case AttrType::MultiExitDisc: return a_.med.has_value();
      case AttrType::LocalPref: return a_.local_pref.has_value();
      case AttrType::AtomicAggregate: return a_.atomic_aggregate;
      case AttrType::Aggregator: return a_.aggregator.has_value();
      case AttrType::Communities: return !a_.communities.empty();
      case AttrType::OriginatorId: return a_.originator_id.has_value();
      case AttrType::ClusterList: return !a_.cluster_list.empty();
      case AttrType::MpReachNlri: return a_.mp_reach.has_value();
      case AttrType::MpUnreachNlri: return a_.mp_unreach.has_value();
      case AttrType::ExtendedCommunities: return !a_.extended_communities.empty();
      case AttrType::As4Path: return !ctx_.four_octet_as && a_.as_path && needs_as4_path(*a_.as_path);
      case AttrType::As4Aggregator:
        return !ctx_.four_octet_as && a_.aggregator && !a_.aggregator->asn.fits_two_octets();
      case AttrType::PmsiTunnel: return a_.pmsi_tunnel.has_value();
      case AttrType::LargeCommunities: return !a_.large_communities.empty();
    }
    // An UnknownAttribute that reuses a known type code is never written: the modelled
    // field is the truth for that type.
    return find_unknown(type) != nullptr;
  }

  std::uint8_t default_flags(std::uint8_t type) const {
    if (auto f = rfc_flags(type)) return *f;
    return static_cast<std::uint8_t>(find_unknown(type)->flags & ~kExtendedLength);
  }

  void emit(std::uint8_t type, std::uint8_t flags) {
    const std::size_t start = out_.size();
    w_.u8(flags);
    w_.u8(type);
    const bool ext = flags & kExtendedLength;
    if (ext)
      w_.u16(0);
    else
      w_.u8(0);
    value(type);
    std::size_t header = ext ? 4 : 3;
    std::size_t len = out_.size() - start - header;
    if (!ext && len > 255) {
      // Grow the length field in place; values this long are rare (big AS_PATHs,
      // community lists, MP_REACH with many NLRI).
      out_.insert(out_.begin() + static_cast<std::ptrdiff_t>(start + 3), 0);
      out_[start] |= kExtendedLength;
      header = 4;
    }
    if (header == 4) {
      // The UPDATE cannot exceed 65535 octets; packing is the caller's job.
      out_[start + 2] = static_cast<std::uint8_t>(len >> 8);
      out_[start + 3] = static_cast<std::uint8_t>(len);
    } else {
      out_[start + 2] = static_cast<std::uint8_t>(len);
    }
  }

  void value(std::uint8_t type) {
    const std::size_t asn_size = ctx_.four_octet_as ? 4 : 2;
    switch (static_cast<AttrType>(type)) {
      case AttrType::Origin: w_.u8(static_cast<std::uint8_t>(*a_.origin)); return;
      case AttrType::AsPath: encode_as_path(*a_.as_path, asn_size, out_); return;
      case AttrType::NextHop: w_.bytes(ByteSpan(a_.next_hop->data(), a_.next_hop->size())); return;
      case AttrType::MultiExitDisc: w_.u32(*a_.med); return;
      case AttrType::LocalPref: w_.u32(*a_.local_pref); return;
      case AttrType::AtomicAggregate: return;
      case AttrType::Aggregator: {
        const Asn asn = a_.aggregator->asn;
        if (asn_size == 4)
          w_.u32(asn.value);
        else
          w_.u16(asn.fits_two_octets() ? static_cast<std::uint16_t>(asn.value) : Asn::kAsTrans);
        write_v4(w_, a_.aggregator->address);
        return;
      }
      case AttrType::Communities:
        for (auto c : a_.communities) w_.u32(c);
        return;
      case AttrType::OriginatorId: w_.u32(a_.originator_id->value); return;
      case AttrType::ClusterList:
        for (auto c : a_.cluster_list) w_.u32(c);
        return;
      case AttrType::MpReachNlri: {
        // RFC 4760 §3: AFI, SAFI, next-hop length and address, Reserved (0), NLRI.
        const MpReach& m = *a_.mp_reach;
        w_.u16(m.family.afi);
        w_.u8(m.family.safi);
        const std::size_t nh = m.next_hop.size() > 255 ? 255 : m.next_hop.size();
        w_.u8(static_cast<std::uint8_t>(nh));
        w_.bytes(ByteSpan(m.next_hop.data(), nh));
        w_.u8(0);
        // The raw NLRI bytes win when present (they are what was received); a route
        // built locally may give only the unicast prefixes.
        if (!m.nlri.empty() || m.prefixes.empty())
          w_.bytes(m.nlri);
        else
          encode_prefixes(m.prefixes, ctx_.add_path_send(m.family), out_);
        return;
      }
      case AttrType::MpUnreachNlri: {
        // RFC 4760 §4: AFI, SAFI, withdrawn routes.
        const MpUnreach& m = *a_.mp_unreach;
        w_.u16(m.family.afi);
        w_.u8(m.family.safi);
        if (!m.nlri.empty() || m.prefixes.empty())
          w_.bytes(m.nlri);
        else
          encode_prefixes(m.prefixes, ctx_.add_path_send(m.family), out_);
        return;
      }
      case AttrType::ExtendedCommunities:
        for (const auto& ec : a_.extended_communities) w_.bytes(ec.bytes);
        return;
      case AttrType::As4Path: encode_as_path(without_confed_segments(*a_.as_path), 4, out_); return;
      case AttrType::As4Aggregator:
        w_.u32(a_.aggregator->asn.value);
        write_v4(w_, a_.aggregator->address);
        return;
      case AttrType::PmsiTunnel: {
        // RFC 6514 §5: flags, tunnel type, 3-octet label, tunnel identifier.
        const PmsiTunnel& p = *a_.pmsi_tunnel;
        w_.u8(p.flags);
        w_.u8(p.tunnel_type);
        w_.u24(p.label & 0xFFFFFF);
        w_.bytes(p.tunnel_id);
        return;
      }
      case AttrType::LargeCommunities:
        for (const auto& lc : a_.large_communities) {
          w_.u32(lc.global_admin);
          w_.u32(lc.local1);
          w_.u32(lc.local2);
        }
        return;
    }
    w_.bytes(find_unknown(type)->value);
  }

  const PathAttributes& a_;
  const EncodeContext& ctx_;
  ByteVec& out_;
  Writer w_;
};

}  // namespace

void encode_path_attributes(const PathAttributes& attrs, const EncodeContext& ctx, ByteVec& out) {
  AttrEncoder(attrs, ctx, out).run();
}

}  // namespace evpnd::bgp::wire::detail
