#pragma once
// The recorded kernel messages of this directory (captured_*.hex): one message per line
// in hex, '#' lines say how they were recorded.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace evpnd::fib::netlink::test {

using Bytes = std::vector<std::uint8_t>;

inline std::vector<Bytes> load_hex(const std::string& name) {
  const auto path = std::filesystem::path(__FILE__).parent_path() / name;
  std::ifstream in(path);
  if (!in.good()) throw std::runtime_error("cannot read " + path.string());  // fails the test
  std::vector<Bytes> messages;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    Bytes b;
    for (std::size_t i = 0; i + 1 < line.size(); i += 2) {
      b.push_back(static_cast<std::uint8_t>(std::stoul(line.substr(i, 2), nullptr, 16)));
    }
    messages.push_back(std::move(b));
  }
  return messages;
}

}  // namespace evpnd::fib::netlink::test
