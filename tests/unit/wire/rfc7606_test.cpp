// RFC 7606 (and the per-attribute rules of RFC 4271, 4760, 6514, 6793, 8092): one test
// per rule. Each takes a real captured UPDATE, alters one attribute or field, and asserts
// the approach, the finding's attribute type and UPDATE error subcode, or, for a session
// reset, the NOTIFICATION code, subcode, data and offset in the whole message.
#include <gtest/gtest.h>

#include <string>

#include "bgp/wire/update.hpp"
#include "unit/wire/update_builder.hpp"

namespace evpnd::bgp::wire {
namespace {

using test::attr;
using test::Bytes;
using test::SplitUpdate;

// frr_type2_mac.hex: MP_REACH_NLRI (0x90), ORIGIN, AS_PATH (0x50), EXTENDED_COMMUNITIES.
constexpr int kMpReach = 0, kOrigin = 1, kAsPath = 2, kExtComm = 3;
SplitUpdate frr() {
  SplitUpdate s = test::split_capture("frr_type2_mac.hex");
  EXPECT_EQ(s.attrs.size(), 4u);
  EXPECT_EQ(s.find(14), kMpReach);
  EXPECT_EQ(s.find(16), kExtComm);
  return s;
}

CodecContext two_octet() {
  CodecContext c;
  c.four_octet_as = false;
  return c;
}

DecodedUpdate ok(const SplitUpdate& s, const CodecContext& ctx = {}) {
  auto r = test::decode_whole(s.join(), ctx);
  if (!r.ok()) {
    ADD_FAILURE() << "unexpected session reset: " << r.error().reason;
    return {};
  }
  return std::move(r.value());
}

DecodeError reset(const Bytes& msg, const CodecContext& ctx = {}) {
  auto r = test::decode_whole(msg, ctx);
  if (r.ok()) {
    ADD_FAILURE() << "expected a session reset";
    return {};
  }
  EXPECT_EQ(r.error().code, 3) << "UPDATE Message Error";
  return r.error();
}

// Exactly one finding, with these fields; and the UPDATE's action is that finding's.
void expect_one(const DecodedUpdate& d, std::uint8_t type, AttrAction action, UpdateSubcode sub, std::size_t offset) {
  ASSERT_EQ(d.findings.size(), 1u);
  const AttrFinding& f = d.findings[0];
  EXPECT_EQ(f.type, type) << f.reason;
  EXPECT_EQ(f.action, action) << f.reason;
  EXPECT_EQ(f.subcode, static_cast<std::uint8_t>(sub)) << f.reason;
  EXPECT_EQ(f.offset, offset) << f.reason;
  EXPECT_FALSE(f.reason.empty());
  EXPECT_EQ(d.action, action);
}

Bytes value_of(const Bytes& raw) { return Bytes(raw.begin() + ((raw[0] & 0x10) ? 4 : 3), raw.end()); }

TEST(Rfc7606, Baseline) {
  // The untouched capture: EVPN announcement without NEXT_HOP (RFC 4760 makes it
  // discretionary), nothing to report.
  const DecodedUpdate d = ok(frr());
  EXPECT_EQ(d.action, AttrAction::None);
  EXPECT_TRUE(d.findings.empty());
}

// §3(b) (RFC 4271 §6.3 kept): lengths that exceed the message -> Malformed Attribute List.
TEST(Rfc7606, Sec3b_WithdrawnRoutesLengthTooLarge) {
  Bytes msg = frr().join();
  msg[19] = 0x01;  // Withdrawn Routes Length 0x0100
  const DecodeError e = reset(msg);
  EXPECT_EQ(e.subcode, 1);
  EXPECT_EQ(e.offset, 19u);
}

TEST(Rfc7606, Sec3b_TotalAttributeLengthTooLarge) {
  Bytes msg = frr().join();
  msg[22] = static_cast<std::uint8_t>(msg[22] + 1);  // one octet more than there is
  const DecodeError e = reset(msg);
  EXPECT_EQ(e.subcode, 1);
  EXPECT_EQ(e.offset, 21u);
}

// §3(c): Optional/Transitive bits in conflict -> treat-as-withdraw, attribute dropped.
TEST(Rfc7606, Sec3c_AttributeFlagsConflict) {
  SplitUpdate s = frr();
  s.attrs[kOrigin][0] = 0xC0;  // ORIGIN marked optional
  const DecodedUpdate d = ok(s);
  // The flag error is the only finding: ORIGIN was present, so §3(d) does not add one.
  expect_one(d, 1, AttrAction::TreatAsWithdraw, UpdateSubcode::AttributeFlagsError, s.attr_offset(kOrigin));
  EXPECT_FALSE(d.update.attrs.origin);
  // The NLRI are still there for the caller to withdraw.
  ASSERT_TRUE(d.update.attrs.mp_reach);
  EXPECT_FALSE(d.update.attrs.mp_reach->nlri.empty());
}

TEST(Rfc7606, Sec3c_MpReachWithWrongFlagsIsStillParsedForTheWithdraw) {
  SplitUpdate s = frr();
  const Bytes original_nlri = value_of(s.attrs[kMpReach]);
  s.attrs[kMpReach][0] = 0xD0;  // transitive bit set on a non-transitive attribute
  const DecodedUpdate d = ok(s);
  expect_one(d, 14, AttrAction::TreatAsWithdraw, UpdateSubcode::AttributeFlagsError, s.attr_offset(kMpReach));
  ASSERT_TRUE(d.update.attrs.mp_reach);  // §3(j): treat-as-withdraw needs the NLRI
  EXPECT_EQ(d.update.attrs.mp_reach->family, AfiSafi::l2vpn_evpn());
  EXPECT_TRUE(std::equal(d.update.attrs.mp_reach->nlri.begin(), d.update.attrs.mp_reach->nlri.end(),
                         original_nlri.end() - static_cast<std::ptrdiff_t>(d.update.attrs.mp_reach->nlri.size())));
}

// §3(d): a missing well-known mandatory attribute -> treat-as-withdraw.
TEST(Rfc7606, Sec3d_MissingOrigin) {
  SplitUpdate s = frr();
  s.attrs.erase(s.attrs.begin() + kOrigin);
  expect_one(ok(s), 1, AttrAction::TreatAsWithdraw, UpdateSubcode::MissingWellKnownAttribute, s.attrs_offset());
}

TEST(Rfc7606, Sec3d_MissingAsPath) {
  SplitUpdate s = frr();
  s.attrs.erase(s.attrs.begin() + kAsPath);
  expect_one(ok(s), 2, AttrAction::TreatAsWithdraw, UpdateSubcode::MissingWellKnownAttribute, s.attrs_offset());
}

TEST(Rfc7606, Sec3d_NextHopRequiredOnlyForIpv4Nlri) {
  SplitUpdate s = frr();
  s.attrs.erase(s.attrs.begin() + kMpReach);
  s.nlri = {8, 10};  // 10.0.0.0/8 in the NLRI field, no NEXT_HOP
  const DecodedUpdate d = ok(s);
  expect_one(d, 3, AttrAction::TreatAsWithdraw, UpdateSubcode::MissingWellKnownAttribute, s.attrs_offset());
  ASSERT_EQ(d.update.nlri.size(), 1u);
  s.attrs.push_back(attr(0x40, 3, {10, 0, 0, 1}));
  EXPECT_TRUE(ok(s).findings.empty());
}

TEST(Rfc7606, Sec3d_WithdrawOnlyUpdatesNeedNoAttributes) {
  EXPECT_TRUE(ok(test::split_capture("frr_withdraw_type2_mac.hex")).findings.empty());
  SplitUpdate s;
  s.withdrawn = {24, 192, 0, 2};
  const DecodedUpdate d = ok(s);
  EXPECT_TRUE(d.findings.empty());
  EXPECT_EQ(d.action, AttrAction::None);
  ASSERT_EQ(d.update.withdrawn.size(), 1u);
}

// §3(g): MP_REACH/MP_UNREACH twice -> Malformed Attribute List; anything else twice ->
// all but the first discarded.
TEST(Rfc7606, Sec3g_DuplicateMpReachResets) {
  SplitUpdate s = frr();
  s.attrs.push_back(s.attrs[kMpReach]);
  const DecodeError e = reset(s.join());
  EXPECT_EQ(e.subcode, 1);
  EXPECT_EQ(e.offset, s.attr_offset(4));
}

TEST(Rfc7606, Sec3g_DuplicateMpUnreachResets) {
  SplitUpdate s = test::split_capture("gobgp_withdraw_type3.hex");
  ASSERT_EQ(s.attrs.size(), 1u);
  s.attrs.push_back(s.attrs[0]);
  const DecodeError e = reset(s.join());
  EXPECT_EQ(e.subcode, 1);
  EXPECT_EQ(e.offset, s.attr_offset(1));
}

TEST(Rfc7606, Sec3g_OtherDuplicatesAreDiscarded) {
  SplitUpdate s = frr();
  s.attrs.push_back(attr(0x40, 1, {2}));          // a second ORIGIN (INCOMPLETE)
  s.attrs.push_back(attr(0x40, 1, {9, 9}));       // and a malformed third: not even parsed
  const DecodedUpdate d = ok(s);
  ASSERT_EQ(d.findings.size(), 2u);
  EXPECT_EQ(d.findings[0].type, 1);
  EXPECT_EQ(d.findings[0].action, AttrAction::AttributeDiscard);
  EXPECT_EQ(d.findings[0].offset, s.attr_offset(4));
  EXPECT_EQ(d.findings[1].offset, s.attr_offset(5));
  EXPECT_EQ(d.action, AttrAction::AttributeDiscard);
  EXPECT_EQ(d.update.attrs.origin, Origin::Igp);  // the first one
  EXPECT_EQ(d.update.attrs.wire_order.size(), 4u);
}

// §5.1: MP_REACH_NLRI anywhere in the list is fine.
TEST(Rfc7606, Sec5_1_MpReachPositionIsNotAnError) {
  SplitUpdate s = frr();
  const DecodedUpdate first = ok(s);
  std::rotate(s.attrs.begin(), s.attrs.begin() + 1, s.attrs.end());  // MP_REACH last
  const DecodedUpdate last = ok(s);
  EXPECT_TRUE(last.findings.empty());
  EXPECT_EQ(last.update.attrs.mp_reach, first.update.attrs.mp_reach);
  EXPECT_EQ(last.update.attrs.wire_order.back().type, 14);
}

// §3(j) / §5.3: an NLRI or Withdrawn Routes field we cannot parse -> session reset with
// Invalid Network Field.
TEST(Rfc7606, Sec3j_NlriFieldUnparseable) {
  SplitUpdate s = frr();
  s.attrs.push_back(attr(0x40, 3, {10, 0, 0, 1}));
  s.nlri = {8, 10, 33, 10, 0, 0, 0, 0};  // 10/8 fine, then /33
  DecodeError e = reset(s.join());
  EXPECT_EQ(e.subcode, 10);
  EXPECT_EQ(e.offset, s.nlri_offset() + 2);
  s.nlri = {24, 10, 0};  // overruns the field
  e = reset(s.join());
  EXPECT_EQ(e.subcode, 10);
  EXPECT_EQ(e.offset, s.nlri_offset());
}

TEST(Rfc7606, Sec3j_WithdrawnRoutesFieldUnparseable) {
  SplitUpdate s = frr();
  s.withdrawn = {40, 1, 2, 3, 4, 5};
  const DecodeError e = reset(s.join());
  EXPECT_EQ(e.subcode, 10);
  EXPECT_EQ(e.offset, 21u);
}

// §4: attribute lengths inconsistent with the Total Path Attribute Length. We reset
// rather than treat-as-withdraw: the unreadable tail may hide MP_REACH/MP_UNREACH.
TEST(Rfc7606, Sec4_AttributeLengthOverrunsTheList) {
  SplitUpdate s = frr();
  s.attrs[kExtComm][2] = static_cast<std::uint8_t>(s.attrs[kExtComm][2] + 1);
  const Bytes msg = s.join();
  const DecodeError e = reset(msg);
  EXPECT_EQ(e.subcode, 5);  // Attribute Length Error
  EXPECT_EQ(e.offset, s.attr_offset(kExtComm));
  EXPECT_EQ(e.data, s.attrs[kExtComm]);  // what there is of the attribute
}

TEST(Rfc7606, Sec4_AttributeHeaderTruncated) {
  SplitUpdate s = frr();
  s.attrs.push_back({0x50, 0x02, 0x00});  // extended length needs 4 header octets
  const DecodeError e = reset(s.join());
  EXPECT_EQ(e.subcode, 1);  // Malformed Attribute List
  EXPECT_EQ(e.offset, s.attr_offset(4));
}

// §7.1 ORIGIN: bad length or undefined value -> treat-as-withdraw.
TEST(Rfc7606, Sec7_1_Origin) {
  SplitUpdate s = frr();
  s.attrs[kOrigin] = attr(0x40, 1, {7});
  expect_one(ok(s), 1, AttrAction::TreatAsWithdraw, UpdateSubcode::InvalidOriginAttribute, s.attr_offset(kOrigin));
  s.attrs[kOrigin] = attr(0x40, 1, {0, 0});
  expect_one(ok(s), 1, AttrAction::TreatAsWithdraw, UpdateSubcode::AttributeLengthError, s.attr_offset(kOrigin));
}

// §7.2 AS_PATH: malformed -> treat-as-withdraw.
TEST(Rfc7606, Sec7_2_AsPath) {
  for (const Bytes& value : {Bytes{5, 1, 0, 0, 0xfd, 0xe9},      // unknown segment type
                             Bytes{2, 0},                         // segment length zero
                             Bytes{2, 2, 0, 0, 0xfd, 0xe9},       // overruns the attribute
                             Bytes{2, 1, 0, 0, 0xfd, 0xe9, 2}}) {  // a lone trailing octet
    SplitUpdate s = frr();
    s.attrs[kAsPath] = attr(0x50, 2, value);
    const DecodedUpdate d = ok(s);
    expect_one(d, 2, AttrAction::TreatAsWithdraw, UpdateSubcode::MalformedAsPath, s.attr_offset(kAsPath));
    EXPECT_FALSE(d.update.attrs.as_path);
  }
}

// §7.3 NEXT_HOP: length other than 4 -> treat-as-withdraw.
TEST(Rfc7606, Sec7_3_NextHop) {
  SplitUpdate s = frr();
  s.attrs.push_back(attr(0x40, 3, {10, 0, 0, 1, 0}));
  expect_one(ok(s), 3, AttrAction::TreatAsWithdraw, UpdateSubcode::AttributeLengthError, s.attr_offset(4));
}

// §7.4 MULTI_EXIT_DISC: length other than 4 -> treat-as-withdraw.
TEST(Rfc7606, Sec7_4_Med) {
  SplitUpdate s = frr();
  s.attrs.push_back(attr(0x80, 4, {0, 0, 1}));
  expect_one(ok(s), 4, AttrAction::TreatAsWithdraw, UpdateSubcode::AttributeLengthError, s.attr_offset(4));
}

// §7.5 LOCAL_PREF: decoded whoever sent it (eBGP discard is the speaker's); length other
// than 4 -> treat-as-withdraw.
TEST(Rfc7606, Sec7_5_LocalPref) {
  SplitUpdate s = frr();
  s.attrs.push_back(attr(0x40, 5, {0, 0, 0, 150}));
  const DecodedUpdate good = ok(s);
  EXPECT_TRUE(good.findings.empty());
  EXPECT_EQ(good.update.attrs.local_pref, 150u);
  s.attrs.back() = attr(0x40, 5, {0, 150});
  expect_one(ok(s), 5, AttrAction::TreatAsWithdraw, UpdateSubcode::AttributeLengthError, s.attr_offset(4));
}

// §7.6 ATOMIC_AGGREGATE: length other than 0 -> attribute discard.
TEST(Rfc7606, Sec7_6_AtomicAggregate) {
  SplitUpdate s = frr();
  s.attrs.push_back(attr(0x40, 6, {}));
  EXPECT_TRUE(ok(s).update.attrs.atomic_aggregate);
  s.attrs.back() = attr(0x40, 6, {1});
  const DecodedUpdate d = ok(s);
  expect_one(d, 6, AttrAction::AttributeDiscard, UpdateSubcode::AttributeLengthError, s.attr_offset(4));
  EXPECT_FALSE(d.update.attrs.atomic_aggregate);
}

// §7.7 AGGREGATOR: length other than 8 (4-octet session) or 6 (2-octet) -> discard.
TEST(Rfc7606, Sec7_7_Aggregator) {
  SplitUpdate s = frr();
  s.attrs.push_back(attr(0xC0, 7, {0xfd, 0xe9, 10, 0, 0, 1}));  // 2-octet form on a 4-octet session
  const DecodedUpdate d = ok(s);
  expect_one(d, 7, AttrAction::AttributeDiscard, UpdateSubcode::AttributeLengthError, s.attr_offset(4));
  EXPECT_FALSE(d.update.attrs.aggregator);

  s.attrs[kAsPath] = attr(0x40, 2, {2, 1, 0xfd, 0xe9});  // a 2-octet AS_PATH
  const DecodedUpdate two = ok(s, two_octet());
  EXPECT_TRUE(two.findings.empty());
  EXPECT_EQ(two.update.attrs.aggregator, (Aggregator{Asn{65001}, *IpAddress::parse("10.0.0.1")}));
  s.attrs.back() = attr(0xC0, 7, {0, 0, 0xfd, 0xe9, 10, 0, 0, 1});  // 4-octet form on a 2-octet session
  expect_one(ok(s, two_octet()), 7, AttrAction::AttributeDiscard, UpdateSubcode::AttributeLengthError, s.attr_offset(4));
}

// §7.8 COMMUNITIES: not a non-zero multiple of 4 -> treat-as-withdraw.
TEST(Rfc7606, Sec7_8_Communities) {
  for (const Bytes& value : {Bytes{0xfd, 0xe9, 0, 100, 1}, Bytes{}}) {
    SplitUpdate s = frr();
    s.attrs.push_back(attr(0xC0, 8, value));
    const DecodedUpdate d = ok(s);
    expect_one(d, 8, AttrAction::TreatAsWithdraw, UpdateSubcode::AttributeLengthError, s.attr_offset(4));
    EXPECT_TRUE(d.update.attrs.communities.empty());
  }
}

// §7.9 ORIGINATOR_ID: length other than 4 -> treat-as-withdraw.
TEST(Rfc7606, Sec7_9_OriginatorId) {
  SplitUpdate s = frr();
  s.attrs.push_back(attr(0x80, 9, {10, 0, 0}));
  expect_one(ok(s), 9, AttrAction::TreatAsWithdraw, UpdateSubcode::AttributeLengthError, s.attr_offset(4));
}

// §7.10 CLUSTER_LIST: not a non-zero multiple of 4 -> treat-as-withdraw.
TEST(Rfc7606, Sec7_10_ClusterList) {
  for (const Bytes& value : {Bytes{10, 0, 0, 1, 10, 0}, Bytes{}}) {
    SplitUpdate s = frr();
    s.attrs.push_back(attr(0x80, 10, value));
    expect_one(ok(s), 10, AttrAction::TreatAsWithdraw, UpdateSubcode::AttributeLengthError, s.attr_offset(4));
  }
}

// §7.11 MP_REACH_NLRI / MP_UNREACH_NLRI: malformed -> session reset (we do not implement
// AFI/SAFI disable), Optional Attribute Error with the attribute as data (RFC 4760 §7).
TEST(Rfc7606, Sec7_11_MpReachMalformedResets) {
  SplitUpdate s = frr();
  s.attrs[kMpReach][7] = 200;  // next-hop length 200 overruns the attribute
  DecodeError e = reset(s.join());
  EXPECT_EQ(e.subcode, 9);
  EXPECT_EQ(e.offset, s.attr_offset(kMpReach));
  EXPECT_EQ(e.data, s.attrs[kMpReach]);

  s = frr();
  Bytes v = value_of(s.attrs[kMpReach]);
  v[3] = 5;  // EVPN next hop of 5 octets: the NLRI cannot be located reliably
  v.insert(v.begin() + 8, 0);
  s.attrs[kMpReach] = attr(0x90, 14, v);
  e = reset(s.join());
  EXPECT_EQ(e.subcode, 9);
  EXPECT_EQ(e.offset, s.attr_offset(kMpReach));

  // IPv4 unicast MP_REACH whose NLRI has a /40: reset at the offending prefix.
  s = frr();
  s.attrs[kMpReach] = attr(0x90, 14, {0, 1, 1, 4, 10, 0, 0, 1, 0, 24, 10, 1, 2, 40, 1});
  e = reset(s.join());
  EXPECT_EQ(e.subcode, 9);
  EXPECT_EQ(e.offset, s.attr_offset(kMpReach) + 4 + 13);
  EXPECT_EQ(e.data, s.attrs[kMpReach]);
}

TEST(Rfc7606, Sec7_11_MpUnreachMalformedResets) {
  SplitUpdate s = test::split_capture("frr_withdraw_type2_mac.hex");
  s.attrs[0] = attr(0x90, 15, {0, 25});  // no SAFI
  const DecodeError e = reset(s.join());
  EXPECT_EQ(e.subcode, 9);
  EXPECT_EQ(e.offset, s.attr_offset(0));
  EXPECT_EQ(e.data, s.attrs[0]);
}

// §7.14 EXTENDED_COMMUNITIES: not a non-zero multiple of 8 -> treat-as-withdraw.
TEST(Rfc7606, Sec7_14_ExtendedCommunities) {
  SplitUpdate s = frr();
  Bytes v = value_of(s.attrs[kExtComm]);
  v.resize(12);
  s.attrs[kExtComm] = attr(0xC0, 16, v);
  const DecodedUpdate d = ok(s);
  expect_one(d, 16, AttrAction::TreatAsWithdraw, UpdateSubcode::AttributeLengthError, s.attr_offset(kExtComm));
  EXPECT_TRUE(d.update.attrs.extended_communities.empty());
}

// RFC 8092 §6 LARGE_COMMUNITIES: not a non-zero multiple of 12 -> treat-as-withdraw.
TEST(Rfc7606, Rfc8092_LargeCommunities) {
  for (const Bytes& value : {Bytes(13, 1), Bytes{}}) {
    SplitUpdate s = frr();
    s.attrs.push_back(attr(0xC0, 32, value));
    expect_one(ok(s), 32, AttrAction::TreatAsWithdraw, UpdateSubcode::AttributeLengthError, s.attr_offset(4));
  }
  SplitUpdate s = frr();
  s.attrs.push_back(attr(0xC0, 32, {0, 0, 0xfd, 0xe9, 0, 0, 0, 1, 0, 0, 0, 2}));
  EXPECT_EQ(ok(s).update.attrs.large_communities, (std::vector<LargeCommunity>{{65001, 1, 2}}));
}

// RFC 6514 §5 PMSI_TUNNEL: shorter than flags + type + label -> treat-as-withdraw.
TEST(Rfc7606, Rfc6514_PmsiTunnelTooShort) {
  SplitUpdate s = test::split_capture("gobgp_type3_pmsi.hex");
  const int i = s.find(22);
  ASSERT_EQ(i, 4);
  s.attrs[i] = attr(0xC0, 22, {0, 6, 0, 0});
  const DecodedUpdate d = ok(s);
  expect_one(d, 22, AttrAction::TreatAsWithdraw, UpdateSubcode::AttributeLengthError, s.attr_offset(i));
  EXPECT_FALSE(d.update.attrs.pmsi_tunnel);
  s.attrs[i] = attr(0x40, 22, {0, 6, 0, 0, 100, 10, 0, 0, 2});  // well-formed, not optional: §3(c)
  expect_one(ok(s), 22, AttrAction::TreatAsWithdraw, UpdateSubcode::AttributeFlagsError, s.attr_offset(i));
}

// RFC 6793 §6: AS4_PATH / AS4_AGGREGATOR between NEW speakers are discarded.
TEST(Rfc7606, Rfc6793_As4AttributesOnFourOctetSessionDiscarded) {
  SplitUpdate s = frr();
  s.attrs.push_back(attr(0xC0, 17, {2, 1, 0, 1, 0x11, 0x70}));
  s.attrs.push_back(attr(0xC0, 18, {0, 1, 0x11, 0x70, 10, 0, 0, 1}));
  const DecodedUpdate d = ok(s);
  ASSERT_EQ(d.findings.size(), 2u);
  EXPECT_EQ(d.findings[0].type, 17);
  EXPECT_EQ(d.findings[0].action, AttrAction::AttributeDiscard);
  EXPECT_EQ(d.findings[0].offset, s.attr_offset(4));
  EXPECT_EQ(d.findings[1].type, 18);
  EXPECT_EQ(d.findings[1].offset, s.attr_offset(5));
  EXPECT_EQ(d.update.attrs.as_path->to_string(), "65001");  // untouched
  EXPECT_EQ(d.update.attrs.wire_order.size(), 4u);
}

// RFC 4271 §6.3 (unchanged by RFC 7606): unrecognized well-known -> session reset.
TEST(Rfc7606, UnrecognizedWellKnownAttributeResets) {
  SplitUpdate s = frr();
  s.attrs.insert(s.attrs.begin() + 2, attr(0x40, 99, {1, 2}));
  const DecodeError e = reset(s.join());
  EXPECT_EQ(e.subcode, 2);
  EXPECT_EQ(e.offset, s.attr_offset(2));
  EXPECT_EQ(e.data, (Bytes{0x40, 99, 2, 1, 2}));
}

// RFC 4271 §5: unknown optional attributes are kept; transitive ones get Partial.
TEST(Rfc7606, UnknownOptionalAttributesKept) {
  SplitUpdate s = frr();
  s.attrs.push_back(attr(0xC0, 99, {1, 2}));
  s.attrs.push_back(attr(0x80, 98, {3}));
  const DecodedUpdate d = ok(s);
  EXPECT_TRUE(d.findings.empty());
  ASSERT_EQ(d.update.attrs.unknown.size(), 2u);
  EXPECT_EQ(d.update.attrs.unknown[0], (UnknownAttribute{0xE0, 99, Bytes{1, 2}}));
  EXPECT_EQ(d.update.attrs.unknown[1], (UnknownAttribute{0x80, 98, Bytes{3}}));
  EXPECT_EQ(d.update.attrs.wire_order[4], (PathAttributes::Slot{99, 0xE0}));
}

// §3(h): with several malformed attributes the harshest approach applies to the UPDATE.
TEST(Rfc7606, Sec3h_HarshestActionWins) {
  SplitUpdate s = frr();
  s.attrs.push_back(attr(0x40, 6, {1}));  // discard
  s.attrs[kOrigin] = attr(0x40, 1, {5});   // treat-as-withdraw
  const DecodedUpdate d = ok(s);
  ASSERT_EQ(d.findings.size(), 2u);
  EXPECT_EQ(d.findings[0].action, AttrAction::TreatAsWithdraw);
  EXPECT_EQ(d.findings[1].action, AttrAction::AttributeDiscard);
  EXPECT_EQ(d.action, AttrAction::TreatAsWithdraw);
}

}  // namespace
}  // namespace evpnd::bgp::wire
