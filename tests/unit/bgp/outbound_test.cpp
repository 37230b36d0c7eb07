// Outbound: the attributes a peer sees (RFC 4271 §5.1.2 AS_PATH prepend on eBGP,
// §5.1.5 LOCAL_PREF on iBGP only) and the packing of EVPN NLRI into UPDATEs of at most
// 4096 bytes (65535 with RFC 8654), checked by decoding every message back.
#include <gtest/gtest.h>

#include <numeric>

#include "bgp/outbound.hpp"
#include "bgp/wire/message.hpp"
#include "evpn/ext_community.hpp"
#include "unit/rib/rib_test_support.hpp"

namespace evpnd::bgp {
namespace {

using test::ip;

constexpr wire::Asn kLocal{65001};

// Export of a route originated here (no source peer).
ExportContext local_export(bool ibgp, wire::Asn local_as) {
  ExportContext ex;
  ex.ibgp = ibgp;
  ex.local_as = local_as;
  return ex;
}

wire::PathAttributes base_attrs() {
  wire::PathAttributes a;
  a.origin = wire::Origin::Igp;
  a.mp_reach = wire::MpReach{wire::AfiSafi::l2vpn_evpn(), {10, 0, 0, 1}, {}, {}, {}};
  a.extended_communities = {evpn::RouteTarget::as2(65001, 100).encode(), evpn::Encapsulation{}.encode()};
  return a;
}

wire::AsPathSegment seq(std::vector<std::uint32_t> asns) {
  return wire::AsPathSegment{wire::AsPathSegmentType::Sequence, std::move(asns)};
}

TEST(ExportAttributes, EbgpStartsAnAsPathAndDropsLocalPref) {
  auto base = base_attrs();
  base.local_pref = 300;
  base.wire_order = {{14, 0x90}, {1, 0x40}};
  const auto a = export_attributes(base, local_export(false, kLocal));
  ASSERT_TRUE(a.as_path);
  ASSERT_EQ(a.as_path->segments.size(), 1u);
  EXPECT_EQ(a.as_path->segments[0], seq({65001}));
  EXPECT_FALSE(a.local_pref);
  EXPECT_TRUE(a.wire_order.empty());
  // What travels with the route everywhere is untouched.
  EXPECT_EQ(a.origin, wire::Origin::Igp);
  EXPECT_EQ(a.mp_reach, base.mp_reach);
  EXPECT_EQ(a.extended_communities, base.extended_communities);
  // The base itself is not modified.
  EXPECT_EQ(base.local_pref, 300u);
  EXPECT_FALSE(base.as_path);
}

TEST(ExportAttributes, EbgpPrependsToLeadingSequence) {
  auto base = base_attrs();
  base.as_path = wire::AsPath{{seq({65002, 65003})}};
  const auto a = export_attributes(base, local_export(false, kLocal));
  ASSERT_EQ(a.as_path->segments.size(), 1u);
  EXPECT_EQ(a.as_path->to_string(), "65001 65002 65003");
}

TEST(ExportAttributes, EbgpBeforeASetStartsANewSequence) {
  auto base = base_attrs();
  base.as_path = wire::AsPath{{wire::AsPathSegment{wire::AsPathSegmentType::Set, {1, 2}}}};
  const auto a = export_attributes(base, local_export(false, kLocal));
  ASSERT_EQ(a.as_path->segments.size(), 2u);
  EXPECT_EQ(a.as_path->segments[0], seq({65001}));
  EXPECT_EQ(a.as_path->segments[1].type, wire::AsPathSegmentType::Set);
}

TEST(ExportAttributes, EbgpFullSequenceStartsANewOne) {
  std::vector<std::uint32_t> full(255);
  std::iota(full.begin(), full.end(), 1u);
  auto base = base_attrs();
  base.as_path = wire::AsPath{{seq(full)}};
  const auto a = export_attributes(base, local_export(false, kLocal));
  ASSERT_EQ(a.as_path->segments.size(), 2u);
  EXPECT_EQ(a.as_path->segments[0], seq({65001}));
  EXPECT_EQ(a.as_path->segments[1].asns.size(), 255u);
  EXPECT_EQ(a.as_path->length(), 256u);
}

TEST(ExportAttributes, IbgpAddsLocalPref100AndNoPrepend) {
  const auto a = export_attributes(base_attrs(), local_export(true, kLocal));
  EXPECT_EQ(a.local_pref, 100u);
  ASSERT_TRUE(a.as_path);  // AS_PATH is mandatory: empty for our own routes on iBGP
  EXPECT_TRUE(a.as_path->segments.empty());
  EXPECT_EQ(a.origin, wire::Origin::Igp);

  auto base = base_attrs();
  base.local_pref = 200;
  base.as_path = wire::AsPath{{seq({65009})}};
  const auto b = export_attributes(base, local_export(true, kLocal));
  EXPECT_EQ(b.local_pref, 200u);
  EXPECT_EQ(b.as_path->to_string(), "65009");
}

TEST(ExportAttributes, OriginDefaultsToIgpButIsKept) {
  auto base = base_attrs();
  base.origin.reset();
  EXPECT_EQ(export_attributes(base, local_export(true, kLocal)).origin, wire::Origin::Igp);
  base.origin = wire::Origin::Incomplete;
  EXPECT_EQ(export_attributes(base, local_export(false, kLocal)).origin, wire::Origin::Incomplete);
}

// ---- packing ----

struct DecodedBatch {
  std::vector<evpn::EvpnNlri> nlri;
  std::vector<wire::PathAttributes> attrs;  // per message, MP NLRI removed
  std::vector<std::size_t> per_message;
};

DecodedBatch decode_all(const std::vector<wire::ByteVec>& msgs, const wire::CodecContext& ctx, bool reach) {
  DecodedBatch out;
  const bool add_path = ctx.add_path_receive(wire::AfiSafi::l2vpn_evpn());
  for (const auto& m : msgs) {
    EXPECT_LE(m.size(), ctx.max_send_size());
    auto d = wire::decode_message(m, ctx);
    EXPECT_TRUE(d.ok()) << (d.ok() ? "" : d.error().reason);
    if (!d) continue;
    const auto* u = std::get_if<wire::DecodedUpdate>(&d.value());
    EXPECT_NE(u, nullptr);
    if (!u) continue;
    EXPECT_EQ(u->action, wire::AttrAction::None);
    EXPECT_TRUE(u->findings.empty());
    EXPECT_TRUE(u->update.nlri.empty());
    EXPECT_TRUE(u->update.withdrawn.empty());
    const auto& a = u->update.attrs;
    const wire::ByteVec* field = nullptr;
    if (reach) {
      EXPECT_TRUE(a.mp_reach && !a.mp_unreach);
      if (a.mp_reach) field = &a.mp_reach->nlri;
    } else {
      EXPECT_TRUE(a.mp_unreach && !a.mp_reach);
      if (a.mp_unreach) {
        field = &a.mp_unreach->nlri;
        EXPECT_EQ(a.mp_unreach->family, wire::AfiSafi::l2vpn_evpn());
      }
    }
    if (!field) continue;
    auto n = evpn::decode_evpn_nlris(*field, add_path, 0);
    EXPECT_TRUE(n.ok());
    if (!n) continue;
    EXPECT_FALSE(n->empty()) << "an UPDATE without NLRI was sent";
    out.per_message.push_back(n->size());
    out.nlri.insert(out.nlri.end(), n->begin(), n->end());
    auto plain = a;
    if (plain.mp_reach) plain.mp_reach->nlri.clear();
    plain.mp_unreach.reset();
    plain.wire_order.clear();
    out.attrs.push_back(plain);
  }
  return out;
}

// MAC+IPv4 Type-2 routes: 2 + 37 bytes each on the wire.
std::vector<evpn::EvpnNlri> macip_routes(std::size_t n) {
  std::vector<evpn::EvpnNlri> v;
  for (std::size_t i = 0; i < n; ++i) {
    evpn::MacIpRoute r;
    r.rd = evpn::RouteDistinguisher::make_type1(0x0a000001, 2);
    r.mac.bytes = {0x02, 0, 0, static_cast<std::uint8_t>(i >> 16), static_cast<std::uint8_t>(i >> 8),
                   static_cast<std::uint8_t>(i)};
    r.ip = wire::IpAddress::v4(0xc0a80000u + static_cast<std::uint32_t>(i));
    r.label1 = evpn::Label{100};
    v.push_back(evpn::EvpnNlri{std::nullopt, r});
  }
  return v;
}

// Every message but the last is full: the next NLRI would not have fitted.
void expect_tightly_packed(const std::vector<wire::ByteVec>& msgs, const DecodedBatch& d, const wire::CodecContext& ctx) {
  std::size_t first_of_next = 0;
  for (std::size_t i = 0; i + 1 < msgs.size() && i < d.per_message.size(); ++i) {
    first_of_next += d.per_message[i];
    const auto next = evpn::encoded_size(d.nlri[first_of_next], ctx.add_path_send(wire::AfiSafi::l2vpn_evpn()));
    EXPECT_GT(msgs[i].size() + next, ctx.max_send_size()) << "message " << i << " had room left";
  }
}

TEST(BuildEvpnUpdates, ThousandType2RoutesEbgp) {
  const auto routes = macip_routes(1000);
  const auto attrs = export_attributes(base_attrs(), local_export(false, kLocal));
  const wire::CodecContext ctx;
  const auto msgs = build_updates(attrs, routes, ctx);
  // Fixed part: header 19 + 2 + 2, ORIGIN 4, AS_PATH [65001] 9, MP_REACH (extended
  // length) 4 + AFI/SAFI 3 + next hop 1+4 + reserved 1, two ext communities 3 + 16 = 68.
  // (4096 - 68) / 39 = 103 NLRI a message; 1000 routes need 10 messages.
  ASSERT_EQ(msgs.size(), 10u);
  for (std::size_t i = 0; i < 9; ++i) EXPECT_EQ(msgs[i].size(), 68u + 103u * 39u) << i;
  EXPECT_EQ(msgs[9].size(), 68u + 73u * 39u);
  const auto d = decode_all(msgs, ctx, true);
  EXPECT_EQ(d.nlri, routes);
  for (const auto& a : d.attrs) {
    EXPECT_EQ(a.as_path->to_string(), "65001");
    EXPECT_FALSE(a.local_pref);
    EXPECT_EQ(a.origin, wire::Origin::Igp);
    EXPECT_EQ(a.mp_reach->next_hop_address(), ip("10.0.0.1"));
    EXPECT_EQ(a.extended_communities, attrs.extended_communities);
  }
  expect_tightly_packed(msgs, d, ctx);
}

TEST(BuildEvpnUpdates, MixedRouteSizesIbgp) {
  std::vector<evpn::EvpnNlri> routes;
  std::uint32_t x = 12345;
  for (std::size_t i = 0; i < 700; ++i) {
    x = x * 1103515245u + 12345u;  // a fixed pseudo-random mix
    switch ((x >> 16) % 4) {
      case 0: routes.push_back(macip_routes(i + 1).back()); break;
      case 1: {
        auto n = macip_routes(i + 1).back();
        std::get<evpn::MacIpRoute>(n.route).ip.reset();
        routes.push_back(n);
        break;
      }
      case 2: {
        auto n = macip_routes(i + 1).back();
        std::array<std::uint8_t, 16> v6{0xfd};
        v6[15] = static_cast<std::uint8_t>(i);
        v6[14] = static_cast<std::uint8_t>(i >> 8);
        std::get<evpn::MacIpRoute>(n.route).ip = wire::IpAddress::v6(v6);
        std::get<evpn::MacIpRoute>(n.route).label2 = evpn::Label{5000};
        routes.push_back(n);
        break;
      }
      default:
        routes.push_back(evpn::EvpnNlri{
            std::nullopt, evpn::ImetRoute{evpn::RouteDistinguisher::make_type0(65001, static_cast<std::uint32_t>(i)),
                                          evpn::EthernetTag{0}, ip("10.0.0.1")}});
    }
  }
  const auto attrs = export_attributes(base_attrs(), local_export(true, kLocal));
  const wire::CodecContext ctx;
  const auto msgs = build_updates(attrs, routes, ctx);
  ASSERT_GT(msgs.size(), 1u);
  const auto d = decode_all(msgs, ctx, true);
  EXPECT_EQ(d.nlri, routes);
  for (const auto& a : d.attrs) EXPECT_EQ(a.local_pref, 100u);
  expect_tightly_packed(msgs, d, ctx);
}

TEST(BuildEvpnUpdates, ExtendedMessageTakesAllInOne) {
  const auto routes = macip_routes(1000);
  wire::CodecContext ctx;
  ctx.extended_message_tx = ctx.extended_message_rx = true;  // RFC 8654
  const auto msgs = build_updates(export_attributes(base_attrs(), local_export(false, kLocal)), routes, ctx);
  ASSERT_EQ(msgs.size(), 1u);
  EXPECT_EQ(msgs[0].size(), 68u + 1000u * 39u);
  EXPECT_EQ(decode_all(msgs, ctx, true).nlri, routes);
}

TEST(BuildEvpnUpdates, AddPathIdsTravel) {
  auto routes = macip_routes(300);
  for (std::size_t i = 0; i < routes.size(); ++i) routes[i].path_id = static_cast<std::uint32_t>(i % 3 + 1);
  wire::CodecContext ctx;
  ctx.add_path_tx = {wire::AfiSafi::l2vpn_evpn()};
  ctx.add_path_rx = {wire::AfiSafi::l2vpn_evpn()};
  const auto msgs = build_updates(export_attributes(base_attrs(), local_export(true, kLocal)), routes, ctx);
  // 43 bytes each with the path id; iBGP fixed part: 68 - AS_PATH 9 + empty AS_PATH 3
  // + LOCAL_PREF 7 = 69; (4096 - 69) / 43 = 93 a message.
  ASSERT_EQ(msgs.size(), 4u);
  const auto d = decode_all(msgs, ctx, true);
  EXPECT_EQ(d.nlri, routes);
  EXPECT_EQ(d.per_message, (std::vector<std::size_t>{93, 93, 93, 21}));
  expect_tightly_packed(msgs, d, ctx);
}

TEST(BuildEvpnUpdates, TwoOctetAsSessionCarriesAs4Path) {
  wire::CodecContext ctx;
  ctx.four_octet_as = false;
  const auto routes = macip_routes(200);
  const auto attrs = export_attributes(base_attrs(), local_export(false, wire::Asn{4200000000u}));
  const auto msgs = build_updates(attrs, routes, ctx);
  const auto d = decode_all(msgs, ctx, true);
  EXPECT_EQ(d.nlri, routes);
  for (const auto& a : d.attrs) EXPECT_EQ(a.as_path->to_string(), "4200000000");
  expect_tightly_packed(msgs, d, ctx);
}

TEST(BuildEvpnUpdates, NothingToSendSendsNothing) {
  EXPECT_TRUE(build_updates(base_attrs(), std::span<const evpn::EvpnNlri>{}, {}).empty());
  EXPECT_TRUE(build_withdrawals(std::span<const evpn::EvpnNlri>{}, {}).empty());
}

TEST(BuildEvpnWithdrawals, ThousandType2Routes) {
  const auto routes = macip_routes(1000);
  const wire::CodecContext ctx;
  const auto msgs = build_withdrawals(routes, ctx);
  // Header 19 + 2 + 2, MP_UNREACH (extended) 4 + AFI/SAFI 3 = 30; (4096 - 30) / 39 = 104.
  ASSERT_EQ(msgs.size(), 10u);
  for (std::size_t i = 0; i < 9; ++i) EXPECT_EQ(msgs[i].size(), 30u + 104u * 39u) << i;
  EXPECT_EQ(msgs[9].size(), 30u + 64u * 39u);
  const auto d = decode_all(msgs, ctx, false);
  EXPECT_EQ(d.nlri, routes);
  for (const auto& a : d.attrs) EXPECT_EQ(a, wire::PathAttributes{});  // nothing but MP_UNREACH
  expect_tightly_packed(msgs, d, ctx);
}

TEST(BuildEvpnWithdrawals, SingleRouteLooksLikeGobgps) {
  // GoBGP's withdrawal of 02:00:00:00:02:02 / 192.168.100.2 (label kept) is exactly what
  // we build for the same NLRI: a lone MP_UNREACH.
  const auto captured = test::testdata("gobgp_withdraw_type2_macip.hex");
  const auto cap = test::decode_capture("gobgp_withdraw_type2_macip.hex");
  ASSERT_EQ(cap.withdrawn.size(), 1u);
  const auto msgs = build_withdrawals(cap.withdrawn, {});
  ASSERT_EQ(msgs.size(), 1u);
  EXPECT_EQ(msgs[0], captured);
}

// Export of learned paths (RFC 4271 §9.2, RFC 4456): who may have a path, and what
// they see of it.
rib::PeerInfo source(bool ibgp, bool rr_client, const char* address = "192.0.2.1") {
  rib::PeerInfo p;
  p.address = ip(address);
  p.router_id = wire::RouterId{0x0a000007};
  p.asn = ibgp ? 65001 : 65100;
  p.ibgp = ibgp;
  p.rr_client = rr_client;
  return p;
}

TEST(MayAdvertise, SplitHorizonAndRouteReflection) {
  const auto attrs = base_attrs();
  const rib::PeerInfo local{};
  const auto client = source(true, true);
  const auto client2 = source(true, true, "192.0.2.2");
  const auto nonclient = source(true, false, "192.0.2.3");
  const auto nonclient2 = source(true, false, "192.0.2.4");
  const auto ebgp = source(false, false, "192.0.2.5");
  EXPECT_FALSE(may_advertise(attrs, client, true, client));  // never back to its source
  EXPECT_TRUE(may_advertise(attrs, local, false, nonclient));
  EXPECT_TRUE(may_advertise(attrs, ebgp, false, nonclient));
  EXPECT_TRUE(may_advertise(attrs, nonclient, false, ebgp));
  // RFC 4456 §6: from a client to everyone, from a non-client to clients only.
  EXPECT_TRUE(may_advertise(attrs, client, false, client2));
  EXPECT_TRUE(may_advertise(attrs, client, false, nonclient));
  EXPECT_TRUE(may_advertise(attrs, nonclient, false, client));
  EXPECT_FALSE(may_advertise(attrs, nonclient, false, nonclient2));
}

TEST(MayAdvertise, Rfc1997WellKnownCommunities) {
  auto attrs = base_attrs();
  attrs.communities = {0xFFFFFF01};  // NO_EXPORT
  EXPECT_TRUE(may_advertise(attrs, source(false, false), false, source(true, false, "192.0.2.9")));
  EXPECT_FALSE(may_advertise(attrs, source(true, false), false, source(false, false, "192.0.2.9")));
  attrs.communities = {0xFFFFFF02};  // NO_ADVERTISE
  EXPECT_FALSE(may_advertise(attrs, source(false, false), false, source(true, false, "192.0.2.9")));
}

TEST(ExportLearned, ReflectionSetsOriginatorIdAndPrependsTheClusterId) {
  auto attrs = base_attrs();
  attrs.local_pref = 250;
  attrs.med = 7;
  const auto from = source(true, true);
  ExportContext ex = local_export(true, kLocal);
  ex.from = &from;
  ex.cluster_id = wire::RouterId{0x0a0000fe};
  const auto a = export_attributes(attrs, ex);
  EXPECT_EQ(a.originator_id, wire::RouterId{0x0a000007});
  EXPECT_EQ(a.cluster_list, (std::vector<std::uint32_t>{0x0a0000fe}));
  EXPECT_EQ(a.local_pref, 250u);
  EXPECT_EQ(a.med, 7u);
  EXPECT_TRUE(a.as_path->segments.empty());
  EXPECT_EQ(a.mp_reach->next_hop, (wire::ByteVec{10, 0, 0, 1}));  // next hop unchanged
  // Reflected again by a second RR: the first originator stays, the list grows in front.
  auto again_in = a;
  ex.cluster_id = wire::RouterId{0x0a0000fd};
  const auto again = export_attributes(again_in, ex);
  EXPECT_EQ(again.originator_id, wire::RouterId{0x0a000007});
  EXPECT_EQ(again.cluster_list, (std::vector<std::uint32_t>{0x0a0000fd, 0x0a0000fe}));
}

TEST(ExportLearned, ToEbgpStripsInternalAttributesAndForeignMedButKeepsTheNextHop) {
  auto attrs = base_attrs();
  attrs.local_pref = 250;
  attrs.med = 7;
  attrs.originator_id = wire::RouterId{0x0a000009};
  attrs.cluster_list = {1};
  attrs.as_path = wire::AsPath{{seq({65100})}};
  const auto from = source(false, false);
  ExportContext ex = local_export(false, kLocal);
  ex.from = &from;
  const auto a = export_attributes(attrs, ex);
  EXPECT_FALSE(a.local_pref);
  EXPECT_FALSE(a.originator_id);
  EXPECT_TRUE(a.cluster_list.empty());
  EXPECT_FALSE(a.med);  // RFC 4271 §5.1.4
  EXPECT_EQ(a.as_path->to_string(), "65001 65100");
  EXPECT_EQ(a.mp_reach->next_hop, (wire::ByteVec{10, 0, 0, 1}));  // INTEROP §5
}

TEST(ExportLearned, FromEbgpToIbgpGetsOurLocalPref) {
  auto attrs = base_attrs();
  attrs.local_pref = 900;  // RFC 4271 §5.1.5: not ours to pass on
  attrs.as_path = wire::AsPath{{seq({65100})}};
  const auto from = source(false, false);
  ExportContext ex = local_export(true, kLocal);
  ex.from = &from;
  const auto a = export_attributes(attrs, ex);
  EXPECT_EQ(a.local_pref, 100u);
  EXPECT_FALSE(a.originator_id);  // not reflected: it came from outside
  EXPECT_TRUE(a.cluster_list.empty());
  EXPECT_EQ(a.as_path->to_string(), "65100");
}

TEST(ExportLearned, NextHopSelfReplacesALearnedNextHopOnly) {
  const auto from = source(false, false);
  ExportContext ex = local_export(true, kLocal);
  ex.next_hop_self = ip("10.9.9.9");
  EXPECT_EQ(export_attributes(base_attrs(), ex).mp_reach->next_hop, (wire::ByteVec{10, 0, 0, 1}));  // ours
  ex.from = &from;
  EXPECT_EQ(export_attributes(base_attrs(), ex).mp_reach->next_hop, (wire::ByteVec{10, 9, 9, 9}));
}

// FRR's rule: plain next-hop-self leaves a reflected path (iBGP to iBGP) alone; `force`
// rewrites it too. To eBGP a path from iBGP is not reflected: rewritten either way.
TEST(ExportLearned, NextHopSelfLeavesAReflectedPathAloneUnlessForced) {
  const auto client = source(true, true);
  ExportContext ex = local_export(true, kLocal);
  ex.next_hop_self = ip("10.9.9.9");
  ex.from = &client;
  EXPECT_EQ(export_attributes(base_attrs(), ex).mp_reach->next_hop, (wire::ByteVec{10, 0, 0, 1}));
  ex.next_hop_self_force = true;
  EXPECT_EQ(export_attributes(base_attrs(), ex).mp_reach->next_hop, (wire::ByteVec{10, 9, 9, 9}));
  ExportContext to_ebgp = local_export(false, kLocal);
  to_ebgp.next_hop_self = ip("10.9.9.9");
  to_ebgp.from = &client;
  EXPECT_EQ(export_attributes(base_attrs(), to_ebgp).mp_reach->next_hop, (wire::ByteVec{10, 9, 9, 9}));
}

TEST(ExportLearned, UnknownTransitiveAttributesPassWithPartialSet) {
  auto attrs = base_attrs();
  attrs.unknown = {{wire::attr_flag::kOptional | wire::attr_flag::kTransitive, 99, {1, 2}},
                   {wire::attr_flag::kOptional, 98, {3}}};
  const auto from = source(true, true);
  ExportContext ex = local_export(true, kLocal);
  ex.from = &from;
  const auto a = export_attributes(attrs, ex);
  ASSERT_EQ(a.unknown.size(), 1u);
  EXPECT_EQ(a.unknown[0].type, 99);
  EXPECT_TRUE(a.unknown[0].flags & wire::attr_flag::kPartial);
}

}  // namespace
}  // namespace evpnd::bgp
