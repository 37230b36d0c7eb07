// UPDATE codec on 2-octet AS sessions (RFC 6793): AS_TRANS with AS4_PATH and
// AS4_AGGREGATOR on the way out, their reconciliation on the way in, and the cases where
// AS4_* attributes are ignored or discarded.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "bgp/wire/update.hpp"
#include "unit/wire/update_test_support.hpp"

namespace evpnd::bgp::wire {
namespace {

using test::Bytes;
using namespace update_test;

// --- RFC 6793: 2-octet sessions ------------------------------------------------------------

CodecContext two_octet() {
  CodecContext c;
  c.four_octet_as = false;
  return c;
}

TEST(UpdateAs4, FourOctetPathCrossesATwoOctetSession) {
  UpdateMessage m;
  m.attrs.origin = Origin::Igp;
  m.attrs.as_path = path({cseq({64512}), seq({65001, 4200000001u, 70000}), set({4200000002u, 3})});
  m.attrs.aggregator = Aggregator{Asn{4200000009u}, ip("192.0.2.9")};
  m.attrs.mp_reach = MpReach{AfiSafi::l2vpn_evpn(), Bytes{10, 0, 0, 1}, Bytes{3, 17, 0, 1, 10, 0, 0, 1, 0, 2, 0, 0, 0, 0, 32, 10, 0, 0, 1}, {}, {}};
  Bytes body;
  encode_update_body(m, two_octet(), body);
  // RFC 6793 §4.2.2: AS_PATH and AGGREGATOR with AS_TRANS, plus AS4_PATH (without the
  // confederation segment) and AS4_AGGREGATOR, both optional transitive.
  EXPECT_EQ(headers(body), (std::vector<PathAttributes::Slot>{{14, 0x80}, {1, 0x40}, {2, 0x40}, {7, 0xC0}, {17, 0xC0}, {18, 0xC0}}));
  const Bytes as_path_value{3, 1, 0xfc, 0x00,  2, 3, 0xfd, 0xe9, 0x5b, 0xa0, 0x5b, 0xa0,  1, 2, 0x5b, 0xa0, 0, 3};
  EXPECT_NE(std::search(body.begin(), body.end(), as_path_value.begin(), as_path_value.end()), body.end());
  const Bytes aggregator{0xC0, 7, 6, 0x5b, 0xa0, 192, 0, 2, 9};
  EXPECT_NE(std::search(body.begin(), body.end(), aggregator.begin(), aggregator.end()), body.end());
  const Bytes as4_path{0xC0, 17, 24, 2, 3, 0, 0, 0xfd, 0xe9, 0xfa, 0x56, 0xea, 0x01, 0, 1, 0x11, 0x70,
                       1, 2, 0xfa, 0x56, 0xea, 0x02, 0, 0, 0, 3};
  EXPECT_NE(std::search(body.begin(), body.end(), as4_path.begin(), as4_path.end()), body.end());

  // RFC 6793 §4.2.3 on the way back: the same path and aggregator, no findings.
  auto r = decode_update(body, two_octet());
  ASSERT_TRUE(r.ok()) << r.error().reason;
  EXPECT_TRUE(r->findings.empty()) << r->findings[0].reason;
  EXPECT_EQ(r->update.attrs.as_path, m.attrs.as_path);
  EXPECT_EQ(r->update.attrs.aggregator, m.attrs.aggregator);
  // And the decoded value re-encodes to the same bytes (AS4 slots kept).
  Bytes again;
  encode_update_body(r->update, two_octet(), again);
  EXPECT_EQ(again, body);

  // The same value on a 4-octet session: no AS4_* at all, real numbers in place.
  Bytes four;
  encode_update_body(m, CodecContext{}, four);
  EXPECT_EQ(headers(four), (std::vector<PathAttributes::Slot>{{14, 0x80}, {1, 0x40}, {2, 0x40}, {7, 0xC0}}));
  auto r4 = decode_update(four, CodecContext{});
  ASSERT_TRUE(r4.ok());
  EXPECT_EQ(r4->update.attrs.as_path, m.attrs.as_path);
  EXPECT_EQ(r4->update.attrs.aggregator, m.attrs.aggregator);
}

TEST(UpdateAs4, MappablePathNeedsNoAs4Path) {
  UpdateMessage m;
  m.attrs.as_path = path({seq({65001, 65002})});
  m.attrs.aggregator = Aggregator{Asn{65001}, ip("192.0.2.9")};
  Bytes body;
  encode_update_body(m, two_octet(), body);
  // RFC 6793 §4.2.2: "the NEW BGP speaker MUST NOT send the AS4_PATH attribute".
  EXPECT_EQ(headers(body), (std::vector<PathAttributes::Slot>{{2, 0x40}, {7, 0xC0}}));
  auto r = decode_update(body, two_octet());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->update.attrs.as_path, m.attrs.as_path);
  EXPECT_EQ(r->update.attrs.aggregator, m.attrs.aggregator);
}

// An UPDATE as an OLD-to-NEW path would arrive: hand-built 2-octet AS_PATH + AS4_PATH.
Bytes as4_update(const Bytes& as_path, const Bytes& as4_path, const Bytes& aggregator = {}, const Bytes& as4_aggregator = {}) {
  test::SplitUpdate s;
  s.attrs.push_back(test::attr(0x40, 1, {0}));
  s.attrs.push_back(test::attr(0x40, 2, as_path));
  if (!aggregator.empty()) s.attrs.push_back(test::attr(0xC0, 7, aggregator));
  s.attrs.push_back(test::attr(0xC0, 17, as4_path));
  if (!as4_aggregator.empty()) s.attrs.push_back(test::attr(0xC0, 18, as4_aggregator));
  return s.join();
}

TEST(UpdateAs4, ReconcilesAs4PathOnTwoOctetSession) {
  // AS_PATH [65001 AS_TRANS AS_TRANS 65002], AS4_PATH [70000 70001 65002]: the leading
  // 4 - 3 = 1 AS comes from AS_PATH, the rest from AS4_PATH, in one sequence.
  const Bytes msg = as4_update({2, 4, 0xfd, 0xe9, 0x5b, 0xa0, 0x5b, 0xa0, 0xfd, 0xea},
                               {2, 3, 0, 1, 0x11, 0x70, 0, 1, 0x11, 0x71, 0, 0, 0xfd, 0xea});
  auto r = test::decode_whole(msg, two_octet());
  ASSERT_TRUE(r.ok()) << r.error().reason;
  EXPECT_TRUE(r->findings.empty());
  EXPECT_EQ(r->update.attrs.as_path, path({seq({65001, 70000, 70001, 65002})}));
  EXPECT_EQ(r->update.attrs.as_path->to_string(), "65001 70000 70001 65002");
  // Re-encoded, AS4_PATH (kept in its slot, since it is still needed) carries the whole
  // path, as a NEW speaker sends it (RFC 6793 §4.2.2); everything else is as received.
  Bytes body;
  encode_update_body(r->update, two_octet(), body);
  test::SplitUpdate want = test::split_update(msg);
  want.attrs[2] = test::attr(0xC0, 17, {2, 4, 0, 0, 0xfd, 0xe9, 0, 1, 0x11, 0x70, 0, 1, 0x11, 0x71, 0, 0, 0xfd, 0xea});
  const Bytes want_msg = want.join();
  EXPECT_EQ(body, Bytes(want_msg.begin() + 19, want_msg.end()));
  auto again = decode_update(body, two_octet());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->update, r->update);
}

TEST(UpdateAs4, LeadingConfedAndSetAreTakenFromAsPath) {
  // AS_PATH [(64512) {1 2} 65001 AS_TRANS], AS4_PATH [70000]: need 3 - 1 = 2 counted
  // ASes from AS_PATH: the set (counts one) and 65001; the leading confederation
  // sequence is prepended too (RFC 6793 §4.2.3).
  const Bytes msg = as4_update({3, 1, 0xfc, 0x00, 1, 2, 0, 1, 0, 2, 2, 2, 0xfd, 0xe9, 0x5b, 0xa0},
                               {2, 1, 0, 1, 0x11, 0x70});
  auto r = test::decode_whole(msg, two_octet());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->update.attrs.as_path, path({cseq({64512}), set({1, 2}), seq({65001, 70000})}));
  EXPECT_EQ(r->update.attrs.as_path->to_string(), "(64512) {1,2} 65001 70000");
}

TEST(UpdateAs4, LongerAs4PathIsIgnored) {
  // RFC 6793 §4.2.3: AS_PATH counts 1, AS4_PATH 2 -> AS4_PATH ignored, AS_PATH taken.
  const Bytes msg = as4_update({2, 1, 0x5b, 0xa0}, {2, 2, 0, 1, 0x11, 0x70, 0, 1, 0x11, 0x71});
  auto r = test::decode_whole(msg, two_octet());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->update.attrs.as_path, path({seq({23456})}));
  ASSERT_EQ(r->findings.size(), 1u);
  EXPECT_EQ(r->findings[0].type, 17);
  EXPECT_EQ(r->findings[0].action, AttrAction::AttributeDiscard);
  EXPECT_EQ(r->action, AttrAction::AttributeDiscard);
  // Not in wire_order: we would not send it again.
  for (const auto& s : r->update.attrs.wire_order) EXPECT_NE(s.type, 17);
}

TEST(UpdateAs4, As4AggregatorReplacesAsTransAggregator) {
  const Bytes msg = as4_update({2, 1, 0x5b, 0xa0}, {2, 1, 0, 1, 0x11, 0x70}, {0x5b, 0xa0, 192, 0, 2, 1},
                               {0, 1, 0x11, 0x70, 192, 0, 2, 1});
  auto r = test::decode_whole(msg, two_octet());
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->findings.empty());
  EXPECT_EQ(r->update.attrs.aggregator, (Aggregator{Asn{70000}, ip("192.0.2.1")}));
  EXPECT_EQ(r->update.attrs.as_path, path({seq({70000})}));
  Bytes body;
  encode_update_body(r->update, two_octet(), body);
  EXPECT_EQ(body, Bytes(msg.begin() + 19, msg.end()));
}

TEST(UpdateAs4, RealAggregatorDisablesAs4Attributes) {
  // RFC 6793 §4.2.3: AGGREGATOR with an AS other than AS_TRANS -> AS4_AGGREGATOR and
  // AS4_PATH are ignored.
  const Bytes msg = as4_update({2, 1, 0x5b, 0xa0}, {2, 1, 0, 1, 0x11, 0x70}, {0xfd, 0xe9, 192, 0, 2, 1},
                               {0, 1, 0x11, 0x70, 192, 0, 2, 1});
  auto r = test::decode_whole(msg, two_octet());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->update.attrs.aggregator, (Aggregator{Asn{65001}, ip("192.0.2.1")}));
  EXPECT_EQ(r->update.attrs.as_path, path({seq({23456})}));
  ASSERT_EQ(r->findings.size(), 2u);
  EXPECT_EQ(r->findings[0].type, 18);
  EXPECT_EQ(r->findings[1].type, 17);
}

// RFC 6793 §4.2.3 ignores AS4_PATH because of the AGGREGATOR only "When both of the
// attributes are received": without AS4_AGGREGATOR the path is merged, so a 4-octet AS
// (ours, say, for the loop check) is seen behind AS_TRANS.
TEST(UpdateAs4, RealAggregatorWithoutAs4AggregatorKeepsAs4Path) {
  const Bytes msg = as4_update({2, 2, 0xfd, 0xe9, 0x5b, 0xa0}, {2, 1, 0xfa, 0x56, 0xea, 0x01}, {0xfd, 0xe9, 192, 0, 2, 1});
  auto r = test::decode_whole(msg, two_octet());
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->findings.empty()) << r->findings[0].reason;
  EXPECT_EQ(r->update.attrs.as_path, path({seq({65001, 4200000001u})}));
  EXPECT_TRUE(r->update.attrs.as_path->contains(4200000001u));
  EXPECT_EQ(r->update.attrs.aggregator, (Aggregator{Asn{65001}, ip("192.0.2.1")}));
}

// RFC 6793 §6: an AS4_PATH whose length "is not a multiple of two or is too small (i.e.,
// less than 6) for the attribute to carry at least one AS number" is malformed and
// discarded.
TEST(UpdateAs4, EmptyOrShortAs4PathIsDiscarded) {
  for (const Bytes& v : {Bytes{}, Bytes{2, 0}, Bytes{2, 1, 0, 1}}) {
    const Bytes msg = as4_update({2, 1, 0x5b, 0xa0}, v);
    auto r = test::decode_whole(msg, two_octet());
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r->findings.size(), 1u) << v.size();
    EXPECT_EQ(r->findings[0].type, 17);
    EXPECT_EQ(r->findings[0].action, AttrAction::AttributeDiscard);
    EXPECT_EQ(r->update.attrs.as_path, path({seq({23456})}));
    for (const auto& slot : r->update.attrs.wire_order) EXPECT_NE(slot.type, 17);
  }
}

TEST(UpdateAs4, ConfedSegmentsInAs4PathAreDropped) {
  // RFC 6793 §6: confederation segments in AS4_PATH are discarded, the rest is used.
  const Bytes msg = as4_update({2, 2, 0xfd, 0xe9, 0x5b, 0xa0}, {3, 1, 0, 1, 0x11, 0x71, 2, 1, 0, 1, 0x11, 0x70});
  auto r = test::decode_whole(msg, two_octet());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->update.attrs.as_path, path({seq({65001, 70000})}));
  ASSERT_EQ(r->findings.size(), 1u);
  EXPECT_EQ(r->findings[0].type, 17);
}

}  // namespace
}  // namespace evpnd::bgp::wire
