#pragma once
// Framing of management messages on the Unix socket: a 4-byte big-endian length, then
// the serialized protobuf. Shared by the daemon's server and evpnsh.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace evpnd::cli {

constexpr std::uint32_t kMaxMgmtFrame = 64u << 20;  // a show of a large table fits; junk does not

inline std::string frame_message(std::string_view payload) {
  std::string out;
  out.reserve(payload.size() + 4);
  const auto n = static_cast<std::uint32_t>(payload.size());
  out.push_back(static_cast<char>(n >> 24));
  out.push_back(static_cast<char>(n >> 16));
  out.push_back(static_cast<char>(n >> 8));
  out.push_back(static_cast<char>(n));
  out.append(payload);
  return out;
}

// The payload length announced by a 4-byte header, or nullopt if over the limit.
inline std::optional<std::uint32_t> frame_length(const unsigned char* header) {
  const std::uint32_t n = (std::uint32_t{header[0]} << 24) | (std::uint32_t{header[1]} << 16) |
                          (std::uint32_t{header[2]} << 8) | std::uint32_t{header[3]};
  if (n > kMaxMgmtFrame) return std::nullopt;
  return n;
}

}  // namespace evpnd::cli
