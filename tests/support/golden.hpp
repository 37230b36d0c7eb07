#pragma once
// Golden files. A test compares what it produced with the committed file and never
// writes into the source tree. With EVPND_GOLDEN_OUT=DIR set it also writes what it
// produced to DIR/<the file's path under tests/>, so that scripts/update-goldens.sh can
// copy the new outputs over the committed ones when someone wants them (and a reviewer
// reads the diff). A missing golden file fails the test.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "support/testdata.hpp"

namespace evpnd::test {

inline std::filesystem::path tests_dir() { return std::filesystem::path(EVPND_TESTDATA_DIR).parent_path(); }

inline void expect_golden(const std::filesystem::path& committed, const std::string& actual) {
  namespace fs = std::filesystem;
  if (const char* out = std::getenv("EVPND_GOLDEN_OUT"); out && *out) {
    const fs::path copy = fs::path(out) / fs::relative(committed, tests_dir());
    fs::create_directories(copy.parent_path());
    std::ofstream(copy, std::ios::binary) << actual;
  }
  ASSERT_TRUE(fs::exists(committed)) << committed << " is missing (scripts/update-goldens.sh creates it)";
  EXPECT_EQ(read_text(committed.string()), actual) << "golden " << committed.filename()
                                                   << " (scripts/update-goldens.sh shows and applies the change)";
}

}  // namespace evpnd::test
