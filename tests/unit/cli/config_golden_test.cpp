// Config goldens (STYLE rule 27): configs/NAME.conf is parsed; NAME.ok is what the
// printer prints for it, NAME.warn the accepted-but-ignored lines, NAME.err the errors
// of a file that must be refused. The test never rewrites them: scripts/update-goldens.sh
// does, and the diff is reviewed before it is committed.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "cli/config_parser.hpp"
#include "cli/config_printer.hpp"
#include "support/golden.hpp"
#include "support/testdata.hpp"

namespace evpnd::cli {
namespace {

namespace fs = std::filesystem;

fs::path configs_dir() { return fs::path(EVPND_TESTDATA_DIR) / ".." / "unit" / "cli" / "configs"; }

std::string lines(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& l : v) s += l + "\n";
  return s;
}

void check_golden(const fs::path& path, const std::string& actual) { test::expect_golden(path, actual); }

std::vector<fs::path> inputs() {
  std::vector<fs::path> v;
  for (const auto& e : fs::directory_iterator(configs_dir()))
    if (e.path().extension() == ".conf") v.push_back(e.path());
  std::sort(v.begin(), v.end());
  return v;
}

TEST(ConfigGolden, EveryConfHasAnExpectation) {
  auto v = inputs();
  ASSERT_GE(v.size(), 8u);
  for (const auto& conf : v) {
    auto ok = fs::path(conf).replace_extension(".ok"), err = fs::path(conf).replace_extension(".err");
    EXPECT_NE(fs::exists(ok), fs::exists(err)) << conf.filename() << " needs exactly one of .ok / .err";
  }
}

TEST(ConfigGolden, ParsePrintMatchesGoldens) {
  for (const auto& conf : inputs()) {
    SCOPED_TRACE(conf.filename().string());
    const std::string name = conf.filename().string();
    auto r = parse_config(test::read_text(conf.string()), name);
    auto ok = fs::path(conf).replace_extension(".ok");
    auto err = fs::path(conf).replace_extension(".err");
    if (fs::exists(err)) {
      ASSERT_FALSE(r.ok()) << "expected errors";
    }
    if (!r.ok()) {
      std::vector<std::string> printed;
      for (const auto& e : r.error()) printed.push_back(to_string(e));
      check_golden(err, lines(printed));
      continue;
    }
    const std::string text = print_config(r->config);
    check_golden(ok, text);
    std::vector<std::string> warnings;
    for (const auto& w : r->ignored) warnings.push_back(to_string(w));
    auto warn = fs::path(conf).replace_extension(".warn");
    if (!warnings.empty() || fs::exists(warn)) check_golden(warn, lines(warnings));

    // parse(print(parse(x))) == parse(x), and printing is stable.
    auto again = parse_config(text, "printed");
    ASSERT_TRUE(again.ok()) << to_string(again.error().front());
    EXPECT_EQ(again->config, r->config);
    EXPECT_EQ(print_config(again->config), text);
    EXPECT_TRUE(again->ignored.empty() || r->config.advertise_all_vni);
  }
}

}  // namespace
}  // namespace evpnd::cli
