// Best path as a matrix (STYLE rule 22, like the FSM's transition matrix): every step of
// the decision process has a way to make a path better at that step and nowhere else.
// For every pair of steps (i, j), a path better at i meets a path better at j: the
// earlier step decides, in both orders, with its reason. Then the rules around the
// steps: when MED is compared, what absent values mean, ORIGINATOR_ID, and the order
// (in)dependence of select_best with and without deterministic-med.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "rib/best_path.hpp"

namespace evpnd::rib {
namespace {

namespace wire = bgp::wire;
using R = SelectionReason;

wire::IpAddress ip(const char* s) { return *wire::IpAddress::parse(s); }
wire::RouterId rid(const char* s) { return wire::RouterId{ip(s).v4_host_order()}; }
wire::AsPath seq(std::vector<std::uint32_t> asns) {
  return wire::AsPath{{wire::AsPathSegment{wire::AsPathSegmentType::Sequence, std::move(asns)}}};
}

// One path with everything best path reads, held by value so a test can change it.
struct TestPath {
  wire::PathAttributes attrs;
  PeerInfo peer;
  EvpnSummary evpn;
  bool is_evpn = true;
  std::uint32_t path_id = 5;
  std::uint32_t igp_metric = 20;
  [[nodiscard]] Candidate candidate() const {
    return Candidate{&attrs, &peer, is_evpn ? &evpn : nullptr, path_id, igp_metric};
  }
};

// Middling at every step, so each step has a better value.
TestPath baseline() {
  TestPath p;
  p.attrs.origin = wire::Origin::Egp;
  p.attrs.as_path = seq({65001, 65100});
  p.attrs.med = 50;
  p.attrs.local_pref = 100;
  p.attrs.cluster_list = {1, 2};
  p.peer.address = ip("192.0.2.9");
  p.peer.router_id = rid("10.0.0.9");
  p.peer.asn = 65000;
  p.peer.ibgp = true;
  p.evpn.next_hop = ip("10.1.0.5");
  return p;
}

struct Step {
  R reason;
  std::function<void(TestPath&)> better;
};

// In the order of the decision process.
const std::vector<Step>& steps() {
  static const std::vector<Step> s = {
      {R::EvpnStickyMac, [](TestPath& p) { p.evpn.sticky = true; }},
      {R::EvpnSequence, [](TestPath& p) { p.evpn.mobility_sequence = 7; }},
      {R::EvpnLowerIp, [](TestPath& p) { p.evpn.next_hop = ip("10.1.0.1"); }},
      {R::Weight, [](TestPath& p) { p.peer.weight = 100; }},
      {R::LocalPref, [](TestPath& p) { p.attrs.local_pref = 200; }},
      // Locally originated: the local source has no address; nothing else changes.
      {R::LocalRoute, [](TestPath& p) { p.peer.address = wire::IpAddress{}; }},
      {R::AsPath, [](TestPath& p) { p.attrs.as_path = seq({65001}); }},  // same neighbouring AS
      {R::Origin, [](TestPath& p) { p.attrs.origin = wire::Origin::Igp; }},
      {R::Med, [](TestPath& p) { p.attrs.med = 10; }},
      {R::PeerType, [](TestPath& p) { p.peer.ibgp = false; }},
      {R::IgpMetric, [](TestPath& p) { p.igp_metric = 10; }},
      {R::RouterId, [](TestPath& p) { p.peer.router_id = rid("10.0.0.2"); }},
      {R::ClusterLength, [](TestPath& p) { p.attrs.cluster_list = {1}; }},
      // Lower than the baseline's, and not unspecified (that would be a local path).
      {R::NeighborIp, [](TestPath& p) { p.peer.address = ip("192.0.2.2"); }},
      {R::PathId, [](TestPath& p) { p.path_id = 1; }},
  };
  return s;
}

TEST(BestPathMatrix, EachStepAloneDecidesWithItsReason) {
  for (const auto& step : steps()) {
    SCOPED_TRACE(std::string(to_string(step.reason)));
    TestPath good = baseline();
    step.better(good);
    const TestPath plain = baseline();
    EXPECT_EQ(compare(good.candidate(), plain.candidate(), {}), (Comparison{Preferred::First, step.reason}));
    EXPECT_EQ(compare(plain.candidate(), good.candidate(), {}), (Comparison{Preferred::Second, step.reason}));
  }
}

TEST(BestPathMatrix, TheEarlierStepWinsOverEveryLaterOne) {
  const auto& s = steps();
  for (std::size_t i = 0; i < s.size(); ++i) {
    for (std::size_t j = 0; j < s.size(); ++j) {
      if (i == j) continue;
      SCOPED_TRACE(std::string(to_string(s[i].reason)) + " vs " + std::string(to_string(s[j].reason)));
      TestPath a = baseline();
      s[i].better(a);
      TestPath b = baseline();
      s[j].better(b);
      const auto first = i < j ? Preferred::First : Preferred::Second;
      const auto second = i < j ? Preferred::Second : Preferred::First;
      const auto decided_by = s[std::min(i, j)].reason;
      EXPECT_EQ(compare(a.candidate(), b.candidate(), {}), (Comparison{first, decided_by}));
      EXPECT_EQ(compare(b.candidate(), a.candidate(), {}), (Comparison{second, decided_by}));
    }
  }
}

TEST(BestPathMatrix, IdenticalPathsLeaveNothingToCompareAndKeepTheFirst) {
  const TestPath a = baseline();
  const TestPath b = baseline();
  EXPECT_EQ(compare(a.candidate(), b.candidate(), {}), (Comparison{Preferred::First, R::NothingLeft}));
}

TEST(BestPathRules, EvpnStepsNeedBothPathsToBeEvpn) {
  TestPath a = baseline();
  a.evpn.mobility_sequence = 9;
  TestPath b = baseline();
  b.peer.weight = 1;
  b.is_evpn = false;
  EXPECT_EQ(compare(a.candidate(), b.candidate(), {}), (Comparison{Preferred::Second, R::Weight}));
}

TEST(BestPathRules, Rfc7432EqualSequenceWithoutANextHopFallsThrough) {
  TestPath a = baseline();
  a.evpn.next_hop.reset();
  TestPath b = baseline();
  b.peer.weight = 1;
  EXPECT_EQ(compare(a.candidate(), b.candidate(), {}), (Comparison{Preferred::Second, R::Weight}));
}

TEST(BestPathRules, MedOnlyBetweenTheSameNeighbouringAsUnlessAlwaysCompareMed) {
  TestPath a = baseline();
  a.attrs.as_path = seq({65001, 65100});
  a.attrs.med = 10;
  TestPath b = baseline();
  b.attrs.as_path = seq({65002, 65100});
  b.peer.router_id = rid("10.0.0.2");
  // Different neighbouring AS: MED skipped, the router ID decides.
  EXPECT_EQ(compare(a.candidate(), b.candidate(), {}), (Comparison{Preferred::Second, R::RouterId}));
  BestPathOptions always;
  always.always_compare_med = true;
  EXPECT_EQ(compare(a.candidate(), b.candidate(), always), (Comparison{Preferred::First, R::Med}));
}

TEST(BestPathRules, MedComparesBetweenTwoInternalPaths) {
  TestPath a = baseline();
  a.attrs.as_path = wire::AsPath{};
  a.attrs.med = 10;
  TestPath b = baseline();
  b.attrs.as_path.reset();  // no AS_PATH at all counts as empty
  EXPECT_EQ(compare(a.candidate(), b.candidate(), {}), (Comparison{Preferred::First, R::Med}));
}

TEST(BestPathRules, AbsentValuesTakeTheirDefaults) {
  TestPath a = baseline();
  a.attrs.local_pref.reset();  // the default, 100: equal to the baseline's 100
  a.attrs.med.reset();         // 0: better than 50
  const TestPath b = baseline();
  EXPECT_EQ(compare(a.candidate(), b.candidate(), {}), (Comparison{Preferred::First, R::Med}));
  BestPathOptions high;
  high.default_local_pref = 150;
  EXPECT_EQ(compare(a.candidate(), b.candidate(), high), (Comparison{Preferred::First, R::LocalPref}));
}

TEST(BestPathRules, AsSetCountsOneAndConfederationSegmentsNone) {
  TestPath a = baseline();
  a.attrs.as_path = wire::AsPath{{{wire::AsPathSegmentType::Sequence, {65001}},
                                  {wire::AsPathSegmentType::Set, {1, 2, 3}},
                                  {wire::AsPathSegmentType::ConfedSequence, {64512, 64513}}}};
  TestPath b = baseline();
  b.attrs.as_path = seq({65001, 65100, 65200});
  EXPECT_EQ(compare(a.candidate(), b.candidate(), {}), (Comparison{Preferred::First, R::AsPath}));
}

TEST(BestPathRules, OriginatorIdStandsInForTheRouterId) {
  // RFC 4456 §9: a reflected path is compared by its originator, not the reflector.
  TestPath a = baseline();
  a.peer.router_id = rid("10.0.0.1");
  a.attrs.originator_id = rid("10.0.0.8");
  TestPath b = baseline();
  b.peer.router_id = rid("10.0.0.3");
  b.attrs.originator_id = rid("10.0.0.4");
  EXPECT_EQ(compare(a.candidate(), b.candidate(), {}), (Comparison{Preferred::Second, R::RouterId}));
}

TEST(BestPathRules, AbsentOriginIsTheWorst) {
  TestPath a = baseline();
  a.attrs.origin.reset();
  TestPath b = baseline();
  b.attrs.origin = wire::Origin::Incomplete;
  EXPECT_EQ(compare(a.candidate(), b.candidate(), {}).reason, R::NothingLeft);  // equal at Origin
}

// The three paths that make MED non-transitive: p2 beats p0 on MED (same AS), p0
// beats p1 and p1 beats p2 on the router ID (different AS).
std::vector<TestPath> med_cycle() {
  std::vector<TestPath> p(3, baseline());
  p[0].attrs.as_path = seq({100});
  p[0].attrs.med = 20;
  p[0].peer.router_id = rid("10.0.0.1");
  p[1].attrs.as_path = seq({200});
  p[1].attrs.med = 0;
  p[1].peer.router_id = rid("10.0.0.2");
  p[2].attrs.as_path = seq({100});
  p[2].attrs.med = 10;
  p[2].peer.router_id = rid("10.0.0.3");
  return p;
}

Selection pick(const std::vector<TestPath>& paths, const std::vector<std::size_t>& order, BestPathOptions o) {
  std::vector<Candidate> c;
  for (auto i : order) c.push_back(paths[i].candidate());
  auto s = select_best(c, o);
  s.index = order[s.index];
  return s;
}

TEST(BestPathSelect, OnePathIsTheFirstPathReceived) {
  const std::vector<TestPath> one{baseline()};
  EXPECT_EQ(pick(one, {0}, {}), (Selection{0, R::OnlyPath}));
}

TEST(BestPathSelect, WithoutDeterministicMedTheOrderMatters) {
  const auto p = med_cycle();
  EXPECT_EQ(pick(p, {0, 1, 2}, {}), (Selection{2, R::Med}));
  EXPECT_EQ(pick(p, {2, 0, 1}, {}), (Selection{1, R::RouterId}));
}

TEST(BestPathSelect, DeterministicMedGivesOneAnswerInEveryOrder) {
  const auto p = med_cycle();
  BestPathOptions o;
  o.deterministic_med = true;
  const std::vector<std::vector<std::size_t>> orders = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
  for (const auto& order : orders) EXPECT_EQ(pick(p, order, o), (Selection{1, R::RouterId}));
}

TEST(BestPathSelect, DeterministicMedWithOneNeighbouringAsIsAPlainWalk) {
  auto p = med_cycle();
  p[1].attrs.as_path = seq({100});  // now all three from AS 100: MED decides
  BestPathOptions o;
  o.deterministic_med = true;
  EXPECT_EQ(pick(p, {0, 1, 2}, o), (Selection{1, R::Med}));
}

TEST(BestPathSelect, ReasonNamesAreFrrs) {
  EXPECT_EQ(to_string(R::EvpnSequence), "EVPN sequence number");
  EXPECT_EQ(to_string(R::RouterId), "Router ID");
  EXPECT_EQ(to_string(R::OnlyPath), "First path received");
}

}  // namespace
}  // namespace evpnd::rib
