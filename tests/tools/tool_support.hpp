#pragma once
// What the benchmark tools (evpnd-peersim, evpnd-fibbench) share: MAC addresses as
// numbers (route i's MAC is base + i in both, so a watcher tells a route's index from
// its MAC) and wall-clock microseconds (CLOCK_REALTIME, comparable between processes).
#include <chrono>
#include <cstdint>

#include "evpn/types.hpp"

namespace evpnd::tools {

inline std::uint64_t mac_value(const evpn::MacAddress& m) {
  std::uint64_t v = 0;
  for (auto b : m.bytes) v = (v << 8) | b;
  return v;
}

inline evpn::MacAddress mac_of(std::uint64_t v) {
  evpn::MacAddress m;
  for (int b = 5; b >= 0; --b, v >>= 8) m.bytes[static_cast<std::size_t>(b)] = static_cast<std::uint8_t>(v);
  return m;
}

inline std::int64_t wall_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace evpnd::tools
