// Replays every scenario in tests/conformance/scenarios through the harness and compares
// its transcript (tables shown, UPDATEs sent) with tests/conformance/golden/NAME.json.
// Each scenario also runs twice in one process and must give the same transcript: the
// harness's promise of determinism, checked rather than assumed.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "conformance/scenario.hpp"
#include "support/golden.hpp"

namespace evpnd::test {
namespace {

namespace fs = std::filesystem;

fs::path conformance_dir() { return tests_dir() / "conformance"; }

std::vector<std::string> scenario_names() {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(conformance_dir() / "scenarios"))
    if (e.path().extension() == ".scn") names.push_back(e.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

class Conformance : public ::testing::TestWithParam<std::string> {};

TEST_P(Conformance, TranscriptMatchesGolden) {
  const std::string script = read_text((conformance_dir() / "scenarios" / (GetParam() + ".scn")).string());
  std::string first, second;
  try {
    first = run_scenario(script).dump(2) + "\n";
    second = run_scenario(script).dump(2) + "\n";
  } catch (const std::exception& e) {
    FAIL() << e.what();
  }
  EXPECT_EQ(first, second) << "the scenario gave two different transcripts";
  expect_golden(conformance_dir() / "golden" / (GetParam() + ".json"), first);
}

INSTANTIATE_TEST_SUITE_P(Scenarios, Conformance, ::testing::ValuesIn(scenario_names()),
                         [](const auto& info) {
                           std::string n = info.param;
                           std::replace(n.begin(), n.end(), '-', '_');
                           return n;
                         });

}  // namespace
}  // namespace evpnd::test
