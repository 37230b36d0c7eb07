#pragma once
// Loads the captured BGP messages in tests/testdata/*.hex: '#' lines are comments, the
// rest is whitespace-separated hex bytes of one whole message (marker included).
#include <cstdint>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#ifndef EVPND_TESTDATA_DIR
#error "EVPND_TESTDATA_DIR must be defined by the build"
#endif

namespace evpnd::test {

inline std::vector<std::uint8_t> parse_hex(const std::string& text) {
  std::vector<std::uint8_t> out;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    std::istringstream words(line);
    std::string w;
    while (words >> w) out.push_back(static_cast<std::uint8_t>(std::stoul(w, nullptr, 16)));
  }
  return out;
}

inline std::string read_text(const std::string& path) {
  std::ifstream f(path);
  if (!f) throw std::runtime_error("cannot open " + path);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

// testdata("frr_open.hex") -> the message bytes.
inline std::vector<std::uint8_t> testdata(const std::string& name) {
  return parse_hex(read_text(std::string(EVPND_TESTDATA_DIR) + "/" + name));
}

inline std::string testdata_path(const std::string& name) { return std::string(EVPND_TESTDATA_DIR) + "/" + name; }

}  // namespace evpnd::test
