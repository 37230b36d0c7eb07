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

// §5.3 / §3(j): MP_REACH_NLRI or MP_UNREACH_NLRI whose flags conflict with RFC 4760 is
// "incorrect", so "session reset" (or AFI/SAFI disable, which we do not implement):
// Attribute Flags Error with the attribute as data (RFC 4271 §6.3).
TEST(Rfc7606, Sec5_3_MpReachWithWrongFlagsResets) {
  SplitUpdate s = frr();
  s.attrs[kMpReach][0] = 0xD0;  // transitive bit set on a non-transitive attribute
  const DecodeError e = reset(s.join());
  EXPECT_EQ(e.subcode, static_cast<std::uint8_t>(UpdateSubcode::AttributeFlagsError));
  EXPECT_EQ(e.offset, s.attr_offset(kMpReach));
  EXPECT_EQ(e.data, s.attrs[kMpReach]);
}

TEST(Rfc7606, Sec5_3_MpUnreachWithWrongFlagsResets) {
  SplitUpdate s = test::split_capture("frr_withdraw_type2_mac.hex");
  ASSERT_EQ(s.attrs[0][1], 15);
  s.attrs[0][0] = 0x10;  // well-known flags on an optional attribute
  const DecodeError e = reset(s.join());
  EXPECT_EQ(e.subcode, static_cast<std::uint8_t>(UpdateSubcode::AttributeFlagsError));
  EXPECT_EQ(e.offset, s.attr_offset(0));
  EXPECT_EQ(e.data, s.attrs[0]);
}

// RFC 4271 §4.3: "For well-known attributes and for optional non-transitive
// attributes, the Partial bit MUST be set to 0." Like FRR, a Partial bit where none may
// be is a flags error, handled as the O/T conflicts of §3(c).
TEST(Rfc7606, Sec3c_PartialBitOnWellKnownAttribute) {
  SplitUpdate s = frr();
  s.attrs[kOrigin][0] = 0x60;  // ORIGIN with Partial
  const DecodedUpdate d = ok(s);
  expect_one(d, 1, AttrAction::TreatAsWithdraw, UpdateSubcode::AttributeFlagsError, s.attr_offset(kOrigin));
  EXPECT_FALSE(d.update.attrs.origin);
  // On an optional transitive attribute Partial is allowed.
  s = frr();
  s.attrs[kExtComm][0] = static_cast<std::uint8_t>(s.attrs[kExtComm][0] | 0x20);
  EXPECT_TRUE(ok(s).findings.empty());
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

// §4: attribute lengths inconsistent with the Total Path Attribute Length. RFC 7606 §4
// asks for treat-as-withdraw, with the Total Attribute Length locating the NLRI field;
// but the unreadable tail may hide MP_REACH/MP_UNREACH, whose routes we then could not
// withdraw (§3(j)). So: treat-as-withdraw when an MP attribute was parsed before the
// break (senders put it first, §5.1) or the session carries no MP family; reset
// otherwise.
TEST(Rfc7606, Sec4_OverrunAfterMpReachIsTreatAsWithdraw) {
  SplitUpdate s = frr();  // MP_REACH is the first attribute
  s.attrs[kExtComm][2] = static_cast<std::uint8_t>(s.attrs[kExtComm][2] + 1);
  const DecodedUpdate d = ok(s);
  expect_one(d, 16, AttrAction::TreatAsWithdraw, UpdateSubcode::AttributeLengthError, s.attr_offset(kExtComm));
  ASSERT_TRUE(d.update.attrs.mp_reach);
  EXPECT_FALSE(d.update.attrs.mp_reach->nlri.empty());  // the routes to withdraw
  EXPECT_TRUE(d.update.attrs.extended_communities.empty());
}

TEST(Rfc7606, Sec4_TruncatedHeaderAfterMpReachIsTreatAsWithdraw) {
  SplitUpdate s = frr();
  s.attrs.push_back({0x50, 0x02, 0x00});  // extended length needs 4 header octets
  const DecodedUpdate d = ok(s);
  expect_one(d, 0, AttrAction::TreatAsWithdraw, UpdateSubcode::MalformedAttributeList, s.attr_offset(4));
  ASSERT_TRUE(d.update.attrs.mp_reach);
  EXPECT_FALSE(d.update.attrs.mp_reach->nlri.empty());
}

TEST(Rfc7606, Sec4_OverrunBeforeAnyMpAttributeResets) {
  SplitUpdate s = frr();
  std::rotate(s.attrs.begin(), s.attrs.begin() + 1, s.attrs.end());  // ORIGIN, AS_PATH, EXT, MP_REACH
  s.attrs[1][3] = static_cast<std::uint8_t>(s.attrs[1][3] + 200);  // AS_PATH (extended length) overruns
  const Bytes msg = s.join();
  const DecodeError e = reset(msg);
  EXPECT_EQ(e.subcode, 5);  // Attribute Length Error
  EXPECT_EQ(e.offset, s.attr_offset(1));
  // Data: what there is of the attribute (to the end of the list).
  Bytes rest;
  for (std::size_t i = 1; i < s.attrs.size(); ++i) rest.insert(rest.end(), s.attrs[i].begin(), s.attrs[i].end());
  EXPECT_EQ(e.data, rest);
}

TEST(Rfc7606, Sec4_TruncatedHeaderBeforeAnyMpAttributeResets) {
  SplitUpdate s = frr();
  s.attrs.erase(s.attrs.begin() + kMpReach);
  s.attrs.push_back({0x50, 0x02, 0x00});
  const DecodeError e = reset(s.join());
  EXPECT_EQ(e.subcode, 1);  // Malformed Attribute List
  EXPECT_EQ(e.offset, s.attr_offset(3));
}

TEST(Rfc7606, Sec4_OverrunOnIpv4OnlySessionIsTreatAsWithdraw) {
  CodecContext v4;
  v4.multiprotocol = false;  // every route is in the NLRI field
  SplitUpdate s;
  s.attrs.push_back(attr(0x40, 1, {0}));
  s.attrs.push_back(attr(0x40, 2, {2, 1, 0, 0, 0xfd, 0xe9}));
  s.attrs.push_back(attr(0x40, 3, {10, 0, 0, 1}));
  s.attrs.push_back(attr(0xC0, 8, {0xfd, 0xe9, 0, 1}));
  s.attrs.back()[2] = 40;  // COMMUNITIES claims 40 octets, the list has 4 left
  s.nlri = {8, 10};
  const DecodedUpdate d = ok(s, v4);
  expect_one(d, 8, AttrAction::TreatAsWithdraw, UpdateSubcode::AttributeLengthError, s.attr_offset(3));
  ASSERT_EQ(d.update.nlri.size(), 1u);  // located by the Total Path Attribute Length
  EXPECT_EQ(d.update.nlri[0].length, 8);
  // The same message on a session with MP families: the tail might hide MP_REACH.
  EXPECT_EQ(reset(s.join()).subcode, 5);
}

// §5.2: "if an UPDATE message is encountered that does contain path attributes other
// than MP_UNREACH_NLRI and doesn't encode any reachable NLRI ... if any encountered
// error specifies an error-handling approach other than "attribute discard", then the
// "session reset" approach MUST be used."
TEST(Rfc7606, Sec5_2_NoReachableNlriEscalatesToReset) {
  SplitUpdate s = frr();
  s.attrs.erase(s.attrs.begin() + kMpReach);  // ORIGIN, AS_PATH, EXT; NLRI field empty
  s.attrs[0] = attr(0x40, 1, {7});
  DecodeError e = reset(s.join());
  EXPECT_EQ(e.subcode, static_cast<std::uint8_t>(UpdateSubcode::InvalidOriginAttribute));
  EXPECT_EQ(e.offset, s.attr_offset(0));
  EXPECT_EQ(e.data, s.attrs[0]);  // the attribute, as RFC 4271 §6.3 asks

  // An MP_REACH_NLRI whose NLRI field is empty encodes nothing reachable either.
  s = frr();
  Bytes v = value_of(s.attrs[kMpReach]);
  v.resize(5 + v[3]);  // AFI, SAFI, next-hop length, next hop, Reserved; no NLRI
  s.attrs[kMpReach] = attr(0x90, 14, v);
  s.attrs[kExtComm] = attr(0xC0, 16, Bytes(12, 1));  // treat-as-withdraw finding
  e = reset(s.join());
  EXPECT_EQ(e.subcode, static_cast<std::uint8_t>(UpdateSubcode::AttributeLengthError));
  EXPECT_EQ(e.offset, s.attr_offset(kExtComm));

  // A withdrawal with a malformed ORIGIN beside its MP_UNREACH_NLRI.
  s = test::split_capture("frr_withdraw_type2_mac.hex");
  s.attrs.push_back(attr(0x40, 1, {0, 0}));
  e = reset(s.join());
  EXPECT_EQ(e.subcode, static_cast<std::uint8_t>(UpdateSubcode::AttributeLengthError));

  // Only attribute-discard findings: processed as usual.
  s = frr();
  s.attrs.erase(s.attrs.begin() + kMpReach);
  s.attrs.push_back(attr(0x40, 6, {1}));
  const DecodedUpdate d = ok(s);
  EXPECT_EQ(d.action, AttrAction::AttributeDiscard);
  // With reachable NLRI the treat-as-withdraw stays one.
  s = frr();
  s.attrs[kOrigin] = attr(0x40, 1, {7});
  EXPECT_EQ(ok(s).action, AttrAction::TreatAsWithdraw);
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

// §7.5 LOCAL_PREF from an internal peer: length other than 4 -> treat-as-withdraw.
TEST(Rfc7606, Sec7_5_LocalPref) {
  SplitUpdate s = frr();
  s.attrs.push_back(attr(0x40, 5, {0, 0, 0, 150}));
  const DecodedUpdate good = ok(s);
  EXPECT_TRUE(good.findings.empty());
  EXPECT_EQ(good.update.attrs.local_pref, 150u);
  s.attrs.back() = attr(0x40, 5, {0, 150});
  expect_one(ok(s), 5, AttrAction::TreatAsWithdraw, UpdateSubcode::AttributeLengthError, s.attr_offset(4));
}

CodecContext external() {
  CodecContext c;
  c.ibgp = false;
  return c;
}

// §7.5, §7.9, §7.10: from an external neighbor LOCAL_PREF, ORIGINATOR_ID and
// CLUSTER_LIST "SHALL be discarded using the approach of "attribute discard"", whatever
// their shape: the routes stay.
TEST(Rfc7606, Sec7_5_9_10_InternalOnlyAttributesFromExternalPeerAreDiscarded) {
  struct Case {
    std::uint8_t flags, type;
    Bytes good, bad;
  };
  for (const Case& c : {Case{0x40, 5, {0, 0, 0, 150}, {0, 150}}, Case{0x80, 9, {10, 0, 0, 9}, {10, 0, 0}},
                        Case{0x80, 10, {10, 0, 0, 2}, {}}}) {
    for (const Bytes& value : {c.good, c.bad}) {
      SplitUpdate s = frr();
      s.attrs.push_back(attr(c.flags, c.type, value));
      const DecodedUpdate d = ok(s, external());
      expect_one(d, c.type, AttrAction::AttributeDiscard, UpdateSubcode::Unspecific, s.attr_offset(4));
      EXPECT_FALSE(d.update.attrs.local_pref);
      EXPECT_FALSE(d.update.attrs.originator_id);
      EXPECT_TRUE(d.update.attrs.cluster_list.empty());
      EXPECT_EQ(d.update.attrs.wire_order.size(), 4u);  // not kept for re-encoding either
      ASSERT_TRUE(d.update.attrs.mp_reach);
    }
  }
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

// RFC 7607 §2: "An UPDATE message that contains the AS number of zero in the AS_PATH or
// AGGREGATOR attribute MUST be considered as malformed and be handled by the procedures
// specified in [RFC7606]": treat-as-withdraw for AS_PATH (§7.2), attribute discard for
// AGGREGATOR (§7.7); AS4_PATH and AS4_AGGREGATOR follow RFC 6793 (attribute discard).
TEST(Rfc7607, AsZeroInAsPathIsTreatAsWithdraw) {
  SplitUpdate s = frr();
  s.attrs[kAsPath] = attr(0x50, 2, {2, 2, 0, 0, 0xfd, 0xe9, 0, 0, 0, 0});
  const DecodedUpdate d = ok(s);
  expect_one(d, 2, AttrAction::TreatAsWithdraw, UpdateSubcode::MalformedAsPath, s.attr_offset(kAsPath));
  EXPECT_FALSE(d.update.attrs.as_path);
  s.attrs[kAsPath] = attr(0x50, 2, {1, 2, 0, 0, 0xfd, 0xe9, 0, 0, 0, 0});  // in an AS_SET too
  expect_one(ok(s), 2, AttrAction::TreatAsWithdraw, UpdateSubcode::MalformedAsPath, s.attr_offset(kAsPath));
}

TEST(Rfc7607, AsZeroInAggregatorIsDiscarded) {
  SplitUpdate s = frr();
  s.attrs.push_back(attr(0xC0, 7, {0, 0, 0, 0, 10, 0, 0, 1}));
  const DecodedUpdate d = ok(s);
  expect_one(d, 7, AttrAction::AttributeDiscard, UpdateSubcode::OptionalAttributeError, s.attr_offset(4));
  EXPECT_FALSE(d.update.attrs.aggregator);
}

TEST(Rfc7607, AsZeroInAs4PathOrAs4AggregatorIsDiscarded) {
  SplitUpdate s = frr();
  s.attrs[kAsPath] = attr(0x40, 2, {2, 1, 0x5b, 0xa0});               // [AS_TRANS] on a 2-octet session
  s.attrs.push_back(attr(0xC0, 7, {0x5b, 0xa0, 10, 0, 0, 1}));          // AGGREGATOR AS_TRANS
  s.attrs.push_back(attr(0xC0, 17, {2, 1, 0, 0, 0, 0}));                // AS4_PATH [0]
  s.attrs.push_back(attr(0xC0, 18, {0, 0, 0, 0, 10, 0, 0, 1}));         // AS4_AGGREGATOR 0
  const DecodedUpdate d = ok(s, two_octet());
  ASSERT_EQ(d.findings.size(), 2u);
  EXPECT_EQ(d.findings[0].type, 17);
  EXPECT_EQ(d.findings[0].action, AttrAction::AttributeDiscard);
  EXPECT_EQ(d.findings[0].offset, s.attr_offset(5));
  EXPECT_EQ(d.findings[1].type, 18);
  EXPECT_EQ(d.findings[1].action, AttrAction::AttributeDiscard);
  EXPECT_EQ(d.update.attrs.as_path->to_string(), "23456");  // AS_PATH taken as it is
  EXPECT_EQ(d.update.attrs.aggregator->asn, Asn{23456});
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
