// FindingLog: RFC 7606 findings and interop notes counted per rule, and logged at most
// once a minute per rule with the count of what was not logged. Time is passed in.
#include <gtest/gtest.h>

#include "bgp/finding_log.hpp"

namespace evpnd::bgp {
namespace {

using namespace std::chrono_literals;

const UpdateNote kAsPath{"RFC 7606 §7.2", 2, wire::AttrAction::TreatAsWithdraw, "AS_PATH segment of length zero"};
const UpdateNote kOrigin{"RFC 7606 §7.1", 1, wire::AttrAction::TreatAsWithdraw, "ORIGIN value 7 is not 0, 1 or 2"};
const UpdateNote kPmsi{"INTEROP §3", 0, wire::AttrAction::None, "Type-3 has no PMSI tunnel attribute"};

TEST(FindingLog, OneLinePerRulePerMinuteWithTheCount) {
  FindingLog log;
  const auto t0 = FindingLog::Clock::time_point{} + 1000s;
  auto first = log.add(kAsPath, t0);
  ASSERT_TRUE(first);
  EXPECT_EQ(*first, "RFC 7606 §7.2 treat-as-withdraw: AS_PATH segment of length zero");
  // The same rule within the minute: counted, not logged.
  for (int i = 1; i < 57; ++i) EXPECT_FALSE(log.add(kAsPath, t0 + std::chrono::seconds(i)));
  // Another rule has its own minute.
  EXPECT_TRUE(log.add(kOrigin, t0 + 5s));
  EXPECT_TRUE(log.add(kPmsi, t0 + 6s));
  // A minute after the first line: logged with what was held back meanwhile.
  auto later = log.add(kAsPath, t0 + 60s);
  ASSERT_TRUE(later);
  EXPECT_EQ(*later, "RFC 7606 §7.2 treat-as-withdraw: AS_PATH segment of length zero (57 times since the last report)");
  EXPECT_FALSE(log.add(kAsPath, t0 + 61s));

  ASSERT_EQ(log.entries().size(), 3u);
  EXPECT_EQ(log.entries()[0].count, 59u);
  EXPECT_EQ(log.entries()[0].attribute, 2);
  EXPECT_EQ(log.entries()[1].count, 1u);
  EXPECT_EQ(log.total(true), 60u);   // RFC 7606 findings only
  EXPECT_EQ(log.total(false), 61u);  // with the interop note
}

TEST(FindingLog, SameRuleOnAnotherAttributeOrActionIsItsOwnEntry) {
  FindingLog log;
  const auto t = FindingLog::Clock::time_point{};
  log.add(to_note(wire::AttrFinding{9, wire::AttrAction::AttributeDiscard, 0, 50, "x", "RFC 7606 §7.9", {}}), t);
  log.add(to_note(wire::AttrFinding{10, wire::AttrAction::AttributeDiscard, 0, 60, "y", "RFC 7606 §7.9", {}}), t);
  log.add(to_note(wire::AttrFinding{9, wire::AttrAction::TreatAsWithdraw, 5, 50, "z", "RFC 7606 §7.9", {}}), t);
  EXPECT_EQ(log.entries().size(), 3u);
  EXPECT_EQ(log.entries()[2].last_text, "z");
}

}  // namespace
}  // namespace evpnd::bgp
