// Golden output of evpnd-decode on frr_evpn.pcap (text), produced by the same function
// the tool runs. Reviewed by eye against testdata/frr_evpn.messages.txt: 22 messages,
// frames and contents as listed there. The test never rewrites it: scripts/update-goldens.sh
// does, and the diff is reviewed before it is committed.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/decode_tool.hpp"
#include "support/golden.hpp"
#include "support/testdata.hpp"

namespace evpnd::cli {
namespace {

namespace fs = std::filesystem;

fs::path golden_dir() { return fs::path(EVPND_TESTDATA_DIR) / ".." / "unit" / "cli" / "golden"; }

void check_golden(const std::string& capture, DecodeOutput output, const std::string& golden) {
  const auto text = test::read_text(test::testdata_path(capture));
  DecodeOptions opts;
  opts.output = output;
  std::ostringstream out;
  const auto summary =
      run_decode({DecodeInput{capture, DecodeInputKind::Auto, bgp::wire::ByteVec(text.begin(), text.end())}}, opts,
                 out);
  EXPECT_EQ(summary.exit_code(), 0);
  test::expect_golden(golden_dir() / golden, out.str());
}

TEST(DecodeGolden, FrrCaptureText) { check_golden("frr_evpn.pcap", DecodeOutput::Text, "frr_evpn.decode.txt"); }

}  // namespace
}  // namespace evpnd::cli
