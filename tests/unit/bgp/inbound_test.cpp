// apply_update: real captured UPDATEs (FRR and GoBGP) decoded by the wire codec and
// applied to an Adj-RIB-In; announcements, both peers' withdrawal styles, RFC 7606
// treat-as-withdraw and session reset, RFC 8212, End-of-RIB and interop notes.
#include <gtest/gtest.h>

#include <algorithm>

#include "bgp/inbound.hpp"
#include "bgp/outbound.hpp"
#include "bgp/wire/message.hpp"
#include "evpn/ext_community.hpp"
#include "unit/rib/rib_test_support.hpp"
#include "unit/wire/update_builder.hpp"

namespace evpnd::bgp {
namespace {

using test::Bytes;
using test::ip;
using test::rd;

wire::DecodedUpdate decode(const Bytes& msg, const wire::CodecContext& ctx = {}) {
  auto m = wire::decode_message(msg, ctx);
  EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error().reason);
  if (!m) return {};
  const auto* u = std::get_if<wire::DecodedUpdate>(&m.value());
  EXPECT_NE(u, nullptr);
  return u ? *u : wire::DecodedUpdate{};
}

wire::DecodedUpdate capture(const std::string& name) { return decode(test::testdata(name)); }

bool has_note(const InboundResult& r, const std::string& part) {
  return std::any_of(r.notes.begin(), r.notes.end(),
                     [&](const auto& n) { return n.text.find(part) != std::string::npos; });
}
std::string first_note(const InboundResult& r) { return r.notes.empty() ? "" : r.notes[0].text; }

struct Rib {
  rib::AttrStore store;  // first: the paths' AttrRefs go before their store
  PeerTables tables;
  rib::AdjRibIn& adj = tables.evpn;
  InboundResult apply(const wire::DecodedUpdate& u, InboundPolicy policy = {}, const wire::CodecContext& ctx = {},
                      wire::ByteSpan raw = {}) {
    return apply_update(u, raw, ctx, policy, tables, store);
  }
  InboundResult apply(const std::string& capture_name, InboundPolicy policy = {}) {
    return apply(capture(capture_name), policy);
  }
};

const evpn::MacIpRoute& macip_of(const rib::RibPath& p) { return std::get<evpn::MacIpRoute>(p.route); }

TEST(Inbound, FrrType2MacAnnounced) {
  Rib rib;
  const auto r = rib.apply("frr_type2_mac.hex");
  EXPECT_EQ(r.announced, 1u);
  EXPECT_EQ(r.withdrawn, 0u);
  EXPECT_EQ(r.filtered, 0u);
  EXPECT_FALSE(r.treated_as_withdraw);
  EXPECT_FALSE(r.reset);
  EXPECT_FALSE(r.end_of_rib);
  EXPECT_TRUE(r.notes.empty());
  ASSERT_EQ(rib.adj.size(), 1u);
  const auto all = rib.adj.sorted();
  const auto* p = &all[0];
  const auto& m = macip_of(*p);
  EXPECT_EQ(m.rd, rd("10.0.0.1:2"));
  EXPECT_EQ(m.mac.to_string(), "02:00:00:00:01:01");
  EXPECT_FALSE(m.ip);
  EXPECT_EQ(m.label1.raw, 100u);
  EXPECT_TRUE(m.esi.is_zero());
  EXPECT_FALSE(p->path_id);
  // Attributes as the header says: nh 10.0.0.1; IGP; [65001]; ENCAP:VXLAN RT:65001:100.
  const auto& a = *p->attrs;
  EXPECT_EQ(a.mp_reach->next_hop_address(), ip("10.0.0.1"));
  EXPECT_EQ(a.origin, wire::Origin::Igp);
  EXPECT_EQ(a.as_path->to_string(), "65001");
  ASSERT_EQ(a.extended_communities.size(), 2u);
  EXPECT_EQ(evpn::decode_ext_community(a.extended_communities[0]),
            evpn::ExtCommunityValue{evpn::Encapsulation{evpn::Encapsulation::kVxlan}});
  EXPECT_EQ(evpn::decode_ext_community(a.extended_communities[1]),
            evpn::ExtCommunityValue{evpn::RouteTarget::as2(65001, 100)});
  // Interned: the NLRI are not kept inside the shared attributes.
  EXPECT_TRUE(a.mp_reach->nlri.empty());
  EXPECT_TRUE(a.wire_order.empty());
}

TEST(Inbound, AnnouncementsShareAttributes) {
  Rib rib;
  rib.apply("frr_type2_mac.hex");
  rib.apply("frr_type2_macip.hex");
  ASSERT_EQ(rib.adj.size(), 2u);
  const auto s = rib.adj.sorted();
  EXPECT_EQ(s[0].attrs.get(), s[1].attrs.get());
  EXPECT_EQ(rib.store.live_entries(), 1u);
}

TEST(Inbound, TwoNlriInOneUpdate) {
  Rib rib;
  const auto r = rib.apply("frr_type2_mac_mobility.hex");
  EXPECT_EQ(r.announced, 2u);
  ASSERT_EQ(rib.adj.size(), 2u);
  const auto s = rib.adj.sorted();
  EXPECT_FALSE(macip_of(s[0]).ip);
  EXPECT_EQ(macip_of(s[1]).ip, ip("192.168.100.1"));
  const auto mm = evpn::find_ext_community<evpn::MacMobility>(s[0].attrs->extended_communities);
  ASSERT_TRUE(mm);
  EXPECT_EQ(mm->sequence, 2u);
  EXPECT_FALSE(mm->sticky);
}

TEST(Inbound, ReannouncementReplacesPath) {
  Rib rib;
  rib.apply("gobgp_type2_mac_mobility.hex");  // 02:00:00:00:01:01 from 10.0.0.2:100, seq 1
  rib.apply("frr_type2_mac_mobility_reflected.hex");  // same key, seq 1, longer path
  ASSERT_EQ(rib.adj.size(), 1u);
  EXPECT_EQ(rib.adj.sorted()[0].attrs->as_path->to_string(), "65001 65002");
}

TEST(Inbound, FrrWithdrawalWithLabelZeroRemovesBoth) {
  Rib rib;
  rib.apply("frr_type2_mac.hex");
  rib.apply("frr_type2_macip.hex");
  ASSERT_EQ(rib.adj.size(), 2u);
  const auto r = rib.apply("frr_withdraw_type2_macip.hex");
  EXPECT_EQ(r.withdrawn, 2u);
  EXPECT_EQ(r.announced, 0u);
  EXPECT_FALSE(r.reset);
  EXPECT_EQ(rib.adj.size(), 0u);
  // Withdrawing what is no longer there counts nothing.
  EXPECT_EQ(rib.apply("frr_withdraw_type2_macip.hex").withdrawn, 0u);
}

TEST(Inbound, GobgpWithdrawalsKeepTheLabelAndStillRemove) {
  Rib rib;
  rib.apply("gobgp_type2_mac.hex");           // 02:00:00:00:02:03
  rib.apply("gobgp_type2_mac_mobility.hex");  // 02:00:00:00:01:01
  rib.apply("gobgp_type2_macip.hex");         // 02:00:00:00:02:02 192.168.100.2
  rib.apply("gobgp_type3_pmsi.hex");
  ASSERT_EQ(rib.adj.size(), 4u);
  EXPECT_EQ(rib.apply("gobgp_withdraw_type2_mac.hex").withdrawn, 1u);
  EXPECT_EQ(rib.apply("gobgp_withdraw_type2_macip.hex").withdrawn, 1u);
  EXPECT_EQ(rib.apply("gobgp_withdraw_type3.hex").withdrawn, 1u);
  ASSERT_EQ(rib.adj.size(), 1u);
  EXPECT_EQ(macip_of(rib.adj.sorted()[0]).mac.to_string(), "02:00:00:00:02:03");
}

TEST(Inbound, Type3WithPmsi) {
  Rib rib;
  const auto r = rib.apply("frr_type3_pmsi.hex");
  EXPECT_EQ(r.announced, 1u);
  EXPECT_TRUE(r.notes.empty());
  ASSERT_EQ(rib.adj.size(), 1u);
  const auto all = rib.adj.sorted();
  const auto* p = &all[0];
  const auto& im = std::get<evpn::ImetRoute>(p->route);
  EXPECT_EQ(im.originating_ip, ip("10.0.0.1"));
  ASSERT_TRUE(p->attrs->pmsi_tunnel);
  EXPECT_EQ(p->attrs->pmsi_tunnel->tunnel_type, wire::PmsiTunnel::kIngressReplication);
  EXPECT_EQ(p->attrs->pmsi_tunnel->label, 100u);
  EXPECT_EQ(p->attrs->pmsi_tunnel->tunnel_id, (wire::ByteVec{10, 0, 0, 1}));
}

TEST(Inbound, Type3WithoutPmsiIsKeptAndNoted) {
  auto s = test::split_capture("frr_type3_pmsi.hex");
  const int pmsi = s.find(22);
  ASSERT_GE(pmsi, 0);
  s.attrs.erase(s.attrs.begin() + pmsi);
  Rib rib;
  const auto r = rib.apply(decode(s.join()));
  EXPECT_EQ(r.announced, 1u);
  EXPECT_EQ(rib.adj.size(), 1u);
  ASSERT_EQ(r.notes.size(), 1u);
  EXPECT_TRUE(has_note(r, "has no PMSI tunnel attribute")) << first_note(r);
  EXPECT_TRUE(has_note(r, "[3]:[0]:[32]:[10.0.0.1]")) << first_note(r);
}

TEST(Inbound, PmsiEndpointDifferentFromOriginatorIsNoted) {
  auto s = test::split_capture("frr_type3_pmsi.hex");
  const int pmsi = s.find(22);
  ASSERT_GE(pmsi, 0);
  auto& a = s.attrs[static_cast<std::size_t>(pmsi)];
  ASSERT_EQ(a.size(), 3u + 9u);  // flags type len | flags type label(3) tunnel(4)
  a.back() = 99;                 // tunnel 10.0.0.99, originator 10.0.0.1
  Rib rib;
  const auto r = rib.apply(decode(s.join()));
  EXPECT_EQ(r.announced, 1u);
  EXPECT_TRUE(has_note(r, "PMSI tunnel endpoint differs"));
}

TEST(Inbound, MplsShiftedLabelWithoutEncapIsNoted) {
  wire::PathAttributes attrs;
  attrs.origin = wire::Origin::Igp;
  attrs.as_path = wire::AsPath{};
  attrs.mp_reach = wire::MpReach{wire::AfiSafi::l2vpn_evpn(), {10, 0, 0, 9}, {}, {}, {}};
  attrs.extended_communities.push_back(evpn::RouteTarget::as2(65009, 100).encode());
  const auto shifted = test::macip("10.0.0.9:1", "02:00:00:00:09:09", nullptr, evpn::Label::from_mpls(100).raw);
  const std::vector<evpn::EvpnNlri> one{shifted};
  {
    Rib rib;
    const auto r = rib.apply(decode(build_updates(attrs, one, {}).at(0)));
    EXPECT_EQ(r.announced, 1u);
    EXPECT_TRUE(has_note(r, "MPLS bottom-of-stack")) << first_note(r);
  }
  attrs.extended_communities.push_back(evpn::Encapsulation{}.encode());
  {
    Rib rib;
    const auto r = rib.apply(decode(build_updates(attrs, one, {}).at(0)));
    EXPECT_EQ(r.announced, 1u);
    EXPECT_TRUE(r.notes.empty());
  }
}

// RFC 7606 §7.1: a bad ORIGIN value means treat-as-withdraw; what the UPDATE announces
// must leave the Adj-RIB-In if it was there.
TEST(Inbound, TreatAsWithdrawRemovesPreviouslyAnnounced) {
  Rib rib;
  rib.apply("frr_type2_mac.hex");
  rib.apply("frr_type3_pmsi.hex");
  ASSERT_EQ(rib.adj.size(), 2u);

  auto s = test::split_capture("frr_type2_mac.hex");
  const int origin = s.find(1);
  ASSERT_GE(origin, 0);
  s.attrs[static_cast<std::size_t>(origin)][3] = 7;
  const auto u = decode(s.join());
  ASSERT_EQ(u.action, wire::AttrAction::TreatAsWithdraw);
  const auto r = rib.apply(u);
  EXPECT_TRUE(r.treated_as_withdraw);
  EXPECT_EQ(r.announced, 0u);
  EXPECT_EQ(r.withdrawn, 1u);
  EXPECT_FALSE(r.reset);
  EXPECT_TRUE(std::any_of(r.notes.begin(), r.notes.end(), [](const UpdateNote& n) {
    return n.attribute == 1 && n.rule == "RFC 7606 §7.1" && n.action == wire::AttrAction::TreatAsWithdraw;
  }));
  ASSERT_EQ(rib.adj.size(), 1u);  // only the Type-3 is left
  EXPECT_TRUE(std::holds_alternative<evpn::ImetRoute>(rib.adj.sorted()[0].route));
}

TEST(Inbound, TreatAsWithdrawOfUnknownRouteStoresNothing) {
  auto s = test::split_capture("gobgp_type2_macip.hex");
  s.attrs[static_cast<std::size_t>(s.find(1))][3] = 3;
  Rib rib;
  const auto r = rib.apply(decode(s.join()));
  EXPECT_TRUE(r.treated_as_withdraw);
  EXPECT_EQ(r.withdrawn, 0u);
  EXPECT_EQ(r.announced, 0u);
  EXPECT_EQ(rib.adj.size(), 0u);
}

// RFC 8212: an eBGP peer without policy gets nothing accepted.
TEST(Inbound, PolicyRejectStoresNothingAndCountsFiltered) {
  Rib rib;
  InboundPolicy reject;
  reject.accept = false;
  auto r = rib.apply("frr_type2_mac_mobility.hex", reject);
  EXPECT_EQ(r.filtered, 2u);
  EXPECT_EQ(r.announced, 0u);
  EXPECT_EQ(rib.adj.size(), 0u);
  r = rib.apply("gobgp_type3_pmsi.hex", reject);
  EXPECT_EQ(r.filtered, 1u);
  EXPECT_EQ(rib.adj.size(), 0u);
  EXPECT_EQ(rib.store.live_entries(), 0u);
  // Withdrawals and End-of-RIB are not filtered.
  r = rib.apply("gobgp_withdraw_type3.hex", reject);
  EXPECT_EQ(r.filtered, 0u);
  EXPECT_EQ(rib.apply(capture("frr_eor_evpn.hex"), reject).end_of_rib, wire::AfiSafi::l2vpn_evpn());
}

TEST(Inbound, EndOfRibDetected) {
  Rib rib;
  const auto r = rib.apply("frr_eor_evpn.hex");
  ASSERT_TRUE(r.end_of_rib);
  EXPECT_EQ(*r.end_of_rib, wire::AfiSafi::l2vpn_evpn());
  EXPECT_EQ(r.announced + r.withdrawn + r.filtered, 0u);
  EXPECT_FALSE(r.reset);
  EXPECT_EQ(rib.adj.size(), 0u);
  EXPECT_FALSE(rib.apply("frr_type2_mac.hex").end_of_rib);
}

// IPv4 unicast routes (NLRI field, or MP attributes of AFI 1 / SAFI 1) go to their own
// table, which maximum-prefix counts and a session-down clears.
TEST(Inbound, Ipv4EndOfRibAndUnicastTable) {
  Rib rib;
  wire::UpdateMessage empty;  // RFC 4724: the IPv4 unicast End-of-RIB
  auto r = rib.apply(decode(wire::encode_message(wire::Message{empty})));
  EXPECT_EQ(r.end_of_rib, wire::AfiSafi::ipv4_unicast());

  wire::UpdateMessage v4;
  v4.attrs.origin = wire::Origin::Igp;
  v4.attrs.as_path = wire::AsPath{};
  v4.attrs.next_hop = ip("10.0.0.1");
  v4.nlri = {wire::Prefix{ip("10.1.0.0"), 16, std::nullopt}, wire::Prefix{ip("10.2.0.0"), 16, std::nullopt}};
  r = rib.apply(decode(wire::encode_message(wire::Message{v4})));
  EXPECT_EQ(r.announced, 2u);
  EXPECT_EQ(r.other_families, 0u);
  EXPECT_EQ(rib.adj.size(), 0u);
  ASSERT_EQ(rib.tables.ipv4.size(), 2u);
  const auto* path = rib.tables.ipv4.find(v4.nlri[0]);
  ASSERT_NE(path, nullptr);
  EXPECT_EQ(path->attrs->next_hop, ip("10.0.0.1"));

  wire::UpdateMessage w;
  w.withdrawn = {v4.nlri[0]};
  r = rib.apply(decode(wire::encode_message(wire::Message{w})));
  EXPECT_EQ(r.withdrawn, 1u);
  EXPECT_EQ(rib.tables.ipv4.size(), 1u);
}

// RFC 4760 §8 / RFC 7432 §7: NLRI of a family the session did not negotiate are not taken,
// and a malformed EVPN NLRI there is not a reason to reset either (m1-rfc §12).
TEST(Inbound, FamilyNotNegotiatedIsIgnored) {
  InboundPolicy v4_only;
  v4_only.families = {wire::AfiSafi::ipv4_unicast()};
  Rib rib;
  auto r = rib.apply("frr_type2_mac.hex", v4_only);
  EXPECT_EQ(r.announced, 0u);
  EXPECT_EQ(r.not_negotiated, 1u);
  EXPECT_EQ(rib.adj.size(), 0u);
  EXPECT_TRUE(has_note(r, "did not negotiate"));

  auto s = test::split_capture("frr_type2_mac.hex");
  auto& mp = s.attrs[static_cast<std::size_t>(s.find(14))];
  mp[((mp[0] & 0x10) ? 4u : 3u) + 9u + 1] += 1;  // NLRI length past the end
  r = rib.apply(decode(s.join()), v4_only);
  EXPECT_FALSE(r.reset);
  EXPECT_EQ(r.not_negotiated, 1u);
  // With the family negotiated the same bytes reset the session.
  InboundPolicy evpn_too;
  evpn_too.families = {wire::AfiSafi::ipv4_unicast(), wire::AfiSafi::l2vpn_evpn()};
  EXPECT_TRUE(rib.apply(decode(s.join()), evpn_too).reset);
}

// RFC 7606 §5.4: EVPN routes of a type we do not know are discarded (and counted);
// `bgp evpn unknown-route-types reflect` keeps them, opaque (m1-rfc §8).
TEST(Inbound, UnknownRouteTypesDiscardedOrKept) {
  const auto attrs = capture("frr_type2_mac.hex").update.attrs;
  const std::vector<evpn::EvpnNlri> mixed = {
      test::macip("10.0.0.1:2", "02:00:00:00:01:01", nullptr, 100),
      evpn::EvpnNlri{std::nullopt, evpn::UnknownRoute{9, {1, 2, 3, 4}}},
      evpn::EvpnNlri{std::nullopt, evpn::UnknownRoute{6, Bytes(17, 7)}}};
  const auto update = decode(build_updates(attrs, mixed, {}).at(0));
  {
    Rib rib;
    const auto r = rib.apply(update);
    EXPECT_FALSE(r.reset);
    EXPECT_EQ(r.announced, 1u);
    EXPECT_EQ(r.unknown_types, 2u);
    ASSERT_EQ(rib.adj.size(), 1u);
    EXPECT_TRUE(std::holds_alternative<evpn::MacIpRoute>(rib.adj.sorted()[0].route));
    EXPECT_TRUE(std::any_of(r.notes.begin(), r.notes.end(), [](const UpdateNote& n) { return n.rule == "RFC 7606 §5.4"; }));
  }
  {
    InboundPolicy reflect;
    reflect.keep_unknown_route_types = true;
    Rib rib;
    const auto r = rib.apply(update, reflect);
    EXPECT_EQ(r.announced, 3u);
    EXPECT_EQ(r.unknown_types, 2u);
    ASSERT_EQ(rib.adj.size(), 3u);
    EXPECT_EQ(rib.adj.sorted()[2].route, (evpn::EvpnRoute{evpn::UnknownRoute{9, {1, 2, 3, 4}}}));
  }
}

// RFC 9136 §3: Type-5 routes that must be treated as withdrawn (m1-rfc §18).
TEST(Inbound, Type5ValidityRules) {
  wire::PathAttributes attrs;
  attrs.origin = wire::Origin::Igp;
  attrs.as_path = wire::AsPath{};
  attrs.mp_reach = wire::MpReach{wire::AfiSafi::l2vpn_evpn(), {10, 0, 0, 9}, {}, {}, {}};
  attrs.extended_communities.push_back(evpn::RouteTarget::as2(65009, 5000).encode());
  auto t5 = [](std::uint32_t label, const char* gw, bool esi) {
    evpn::IpPrefixRoute r;
    r.rd = test::rd("10.0.0.9:5");
    r.prefix = ip("192.0.2.0");
    r.prefix_length = 24;
    r.gateway = ip(gw);
    r.label = evpn::Label{label};
    if (esi) r.esi.bytes[9] = 1;
    return evpn::EvpnNlri{std::nullopt, r};
  };
  auto with_rmac = [&](const char* mac) {
    auto a = attrs;
    a.extended_communities.push_back(evpn::RouterMac{test::mac(mac)}.encode());
    return a;
  };
  struct Case {
    const char* what;
    wire::PathAttributes attrs;
    evpn::EvpnNlri route;
    bool valid;
  };
  const std::vector<Case> cases = {
      {"label 5000, router MAC (FRR's interface-less model)", with_rmac("02:00:00:00:00:09"), t5(5000, "0.0.0.0", false), true},
      {"label 0 and no overlay index (§3.1)", attrs, t5(0, "0.0.0.0", false), false},
      {"label 0 with a gateway IP overlay index", attrs, t5(0, "192.0.2.1", false), true},
      {"label 0 with an ESI overlay index", attrs, t5(0, "0.0.0.0", true), true},
      {"ESI and gateway both set (§3.2)", attrs, t5(5000, "192.0.2.1", true), false},
      {"router MAC multicast (§3.2)", with_rmac("01:00:5e:00:00:01"), t5(5000, "0.0.0.0", false), false},
      {"router MAC zero (§3.2)", with_rmac("00:00:00:00:00:00"), t5(5000, "0.0.0.0", false), false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    Rib rib;
    const std::vector<evpn::EvpnNlri> one{c.route};
    const auto r = rib.apply(decode(build_updates(c.attrs, one, {}).at(0)));
    EXPECT_EQ(r.announced, c.valid ? 1u : 0u);
    EXPECT_EQ(r.invalid_type5, c.valid ? 0u : 1u);
    EXPECT_EQ(rib.adj.size(), c.valid ? 1u : 0u);
  }
  // An invalid re-announcement withdraws the valid path held under the same key.
  Rib rib;
  const std::vector<evpn::EvpnNlri> good{t5(5000, "0.0.0.0", false)}, bad{t5(0, "0.0.0.0", false)};
  rib.apply(decode(build_updates(with_rmac("02:00:00:00:00:09"), good, {}).at(0)));
  ASSERT_EQ(rib.adj.size(), 1u);
  const auto r = rib.apply(decode(build_updates(attrs, bad, {}).at(0)));
  EXPECT_EQ(r.withdrawn, 1u);
  EXPECT_EQ(rib.adj.size(), 0u);
}

// The EVPN NLRI are opaque to the wire codec; a malformed one is found here and resets
// the session with UPDATE Message Error / Optional Attribute Error (RFC 7606 §5.3).
void expect_reset(const InboundResult& r) {
  ASSERT_TRUE(r.reset);
  EXPECT_EQ(r.reset->code, static_cast<std::uint8_t>(wire::ErrorCode::UpdateMessage));
  EXPECT_EQ(r.reset->subcode, static_cast<std::uint8_t>(wire::UpdateSubcode::OptionalAttributeError));
  EXPECT_EQ(r.announced, 0u);
}

// RFC 4271 §6.3: "The Data field MUST contain the attribute (type, length, and value)",
// and the offset counts from the first marker octet, as every codec error does (m1-rfc
// §9): here the offset of the NLRI that broke, `nlri_at` octets into the attribute.
void expect_reset_with(const InboundResult& r, const test::SplitUpdate& s, int attr, std::size_t nlri_at) {
  expect_reset(r);
  if (!r.reset) return;
  EXPECT_EQ(r.reset->data, s.attrs[static_cast<std::size_t>(attr)]);
  EXPECT_EQ(r.reset->offset, s.attr_offset(static_cast<std::size_t>(attr)) + nlri_at);
}

// Offset of the first EVPN NLRI inside an MP_REACH attribute with a 4-byte IPv4 next hop.
std::size_t first_nlri_in_mp_reach(const Bytes& attr) { return ((attr[0] & 0x10) ? 4u : 3u) + 9u; }

TEST(Inbound, NlriRunningPastTheAttributeResets) {
  for (const char* name : {"frr_type2_mac.hex", "gobgp_type2_macip.hex"}) {
    SCOPED_TRACE(name);
    auto s = test::split_capture(name);
    auto& mp = s.attrs[static_cast<std::size_t>(s.find(14))];
    const auto at = first_nlri_in_mp_reach(mp);
    ASSERT_EQ(mp[at], 2);  // route type 2
    mp[at + 1] += 1;       // length one past the end
    Rib rib;
    const Bytes msg = s.join();
    const auto r = rib.apply(decode(msg), {}, {}, msg);
    expect_reset_with(r, s, s.find(14), at);
    EXPECT_EQ(rib.adj.size(), 0u);
  }
}

TEST(Inbound, BadInnerLengthResets) {
  auto s = test::split_capture("frr_type2_macip.hex");
  auto& mp = s.attrs[static_cast<std::size_t>(s.find(14))];
  const auto at = first_nlri_in_mp_reach(mp);
  // type, len, RD(8), ESI(10), etag(4), MAC length
  ASSERT_EQ(mp[at + 2 + 8 + 10 + 4], 48);
  mp[at + 2 + 8 + 10 + 4] = 47;
  Rib rib;
  rib.apply("frr_type2_mac.hex");
  const Bytes msg = s.join();
  const auto r = rib.apply(decode(msg), {}, {}, msg);
  expect_reset_with(r, s, s.find(14), at);
  EXPECT_EQ(rib.adj.size(), 1u);  // nothing of the bad UPDATE applied
}

TEST(Inbound, MalformedWithdrawalResets) {
  auto s = test::split_capture("gobgp_withdraw_type3.hex");
  auto& mp = s.attrs[static_cast<std::size_t>(s.find(15))];
  const std::size_t at = ((mp[0] & 0x10) ? 4u : 3u) + 3u;  // AFI SAFI, then NLRI
  ASSERT_EQ(mp[at], 3);
  mp[at + 1] = 16;  // Type-3 with IPv4 is 17
  mp.pop_back();
  mp[(mp[0] & 0x10) ? 3 : 2] -= 1;  // attribute length
  Rib rib;
  rib.apply("gobgp_type3_pmsi.hex");
  const Bytes msg = s.join();
  const auto r = rib.apply(decode(msg), {}, {}, msg);
  expect_reset_with(r, s, s.find(15), at);
  EXPECT_EQ(r.withdrawn, 0u);
}

// RFC 7911: with ADD-PATH receive on, NLRI carry path ids and each id is its own path.
TEST(Inbound, AddPathIdsAreSeparatePaths) {
  wire::CodecContext ctx;
  ctx.add_path_rx = {wire::AfiSafi::l2vpn_evpn()};
  ctx.add_path_tx = {wire::AfiSafi::l2vpn_evpn()};
  const auto attrs = capture("frr_type2_mac.hex").update.attrs;
  std::vector<evpn::EvpnNlri> two = {test::macip("10.0.0.1:2", "02:00:00:00:01:01", nullptr, 100, 1),
                                     test::macip("10.0.0.1:2", "02:00:00:00:01:01", nullptr, 100, 2)};
  auto msgs = build_updates(attrs, two, ctx);
  ASSERT_EQ(msgs.size(), 1u);
  Rib rib;
  auto r = rib.apply(decode(msgs[0], ctx), {}, ctx);
  EXPECT_EQ(r.announced, 2u);
  ASSERT_EQ(rib.adj.size(), 2u);
  EXPECT_EQ(rib.adj.sorted()[0].path_id, 1u);
  EXPECT_EQ(rib.adj.sorted()[1].path_id, 2u);

  std::vector<evpn::EvpnNlri> w = {test::macip("10.0.0.1:2", "02:00:00:00:01:01", nullptr, 0, 2)};
  auto wmsgs = build_withdrawals(w, ctx);
  ASSERT_EQ(wmsgs.size(), 1u);
  r = rib.apply(decode(wmsgs[0], ctx), {}, ctx);
  EXPECT_EQ(r.withdrawn, 1u);
  ASSERT_EQ(rib.adj.size(), 1u);
  EXPECT_EQ(rib.adj.sorted()[0].path_id, 1u);
}

}  // namespace
}  // namespace evpnd::bgp
