#include "bgp/outbound.hpp"

#include "bgp/wire/message.hpp"

namespace evpnd::bgp {

namespace {

constexpr std::size_t kMpExtendedLengthMargin = 1;  // MP_REACH may grow past 255 bytes

// Encodes the UPDATE for `attrs` with `nlri` placed in the MP attribute chosen by
// `reach` (MP_REACH for announcements, MP_UNREACH for withdrawals).
wire::ByteVec encode_with_nlri(wire::PathAttributes attrs, wire::ByteVec nlri, bool reach,
                               const wire::CodecContext& ctx) {
  if (reach) {
    attrs.mp_reach->nlri = std::move(nlri);
  } else {
    attrs.mp_unreach = wire::MpUnreach{wire::AfiSafi::l2vpn_evpn(), std::move(nlri), {}, {}};
  }
  wire::UpdateMessage m;
  m.attrs = std::move(attrs);
  return wire::encode_message(wire::Message{std::move(m)}, ctx);
}

std::vector<wire::ByteVec> pack(const wire::PathAttributes& attrs, std::span<const evpn::EvpnNlri> nlri, bool reach,
                                const wire::CodecContext& ctx) {
  std::vector<wire::ByteVec> out;
  if (nlri.empty()) return out;
  const bool add_path = ctx.add_path_send(wire::AfiSafi::l2vpn_evpn());
  const std::size_t overhead = encode_with_nlri(attrs, {}, reach, ctx).size() + kMpExtendedLengthMargin;
  const std::size_t budget = ctx.max_send_size() > overhead ? ctx.max_send_size() - overhead : 0;

  wire::ByteVec batch;
  wire::ByteVec one;
  for (const auto& n : nlri) {
    one.clear();
    evpn::encode_evpn_nlri(n, add_path, one);
    if (!batch.empty() && batch.size() + one.size() > budget) {
      out.push_back(encode_with_nlri(attrs, std::move(batch), reach, ctx));
      batch.clear();
    }
    batch.insert(batch.end(), one.begin(), one.end());
  }
  out.push_back(encode_with_nlri(attrs, std::move(batch), reach, ctx));
  return out;
}

}  // namespace

wire::PathAttributes export_attributes(const wire::PathAttributes& base, const ExportContext& ex) {
  wire::PathAttributes a = base;
  a.wire_order.clear();
  if (!a.origin) a.origin = wire::Origin::Igp;
  if (!a.as_path) a.as_path = wire::AsPath{};
  if (ex.ibgp) {
    if (!a.local_pref) a.local_pref = 100;  // RFC 4271 §5.1.5: sent to internal peers
  } else {
    a.local_pref.reset();                   // ... and never to external ones
    // RFC 4271 §5.1.2: prepend our AS to a leading AS_SEQUENCE, or start one.
    auto& segs = a.as_path->segments;
    if (!segs.empty() && segs.front().type == wire::AsPathSegmentType::Sequence && segs.front().asns.size() < 255) {
      segs.front().asns.insert(segs.front().asns.begin(), ex.local_as.value);
    } else {
      segs.insert(segs.begin(), wire::AsPathSegment{wire::AsPathSegmentType::Sequence, {ex.local_as.value}});
    }
  }
  return a;
}

std::vector<wire::ByteVec> build_evpn_updates(const wire::PathAttributes& attrs, std::span<const evpn::EvpnNlri> nlri,
                                              const wire::CodecContext& ctx) {
  // Without MP_REACH there is no next hop to announce EVPN routes with.
  if (!attrs.mp_reach) return {};
  return pack(attrs, nlri, true, ctx);
}

std::vector<wire::ByteVec> build_evpn_withdrawals(std::span<const evpn::EvpnNlri> nlri, const wire::CodecContext& ctx) {
  return pack(wire::PathAttributes{}, nlri, false, ctx);
}

}  // namespace evpnd::bgp
