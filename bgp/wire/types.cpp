#include "bgp/wire/types.hpp"

#include <arpa/inet.h>

#include <cstring>

namespace evpnd::bgp::wire {

IpAddress IpAddress::v4(std::uint32_t host_order) {
  IpAddress a;
  a.family_ = Family::V4;
  a.bytes_[0] = static_cast<std::uint8_t>(host_order >> 24);
  a.bytes_[1] = static_cast<std::uint8_t>(host_order >> 16);
  a.bytes_[2] = static_cast<std::uint8_t>(host_order >> 8);
  a.bytes_[3] = static_cast<std::uint8_t>(host_order);
  return a;
}

IpAddress IpAddress::v4(std::array<std::uint8_t, 4> b) {
  IpAddress a;
  a.family_ = Family::V4;
  std::memcpy(a.bytes_.data(), b.data(), 4);
  return a;
}

IpAddress IpAddress::v6(std::array<std::uint8_t, 16> b) {
  IpAddress a;
  a.family_ = Family::V6;
  a.bytes_ = b;
  return a;
}

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
  std::string s(text);
  std::array<std::uint8_t, 16> buf{};
  if (inet_pton(AF_INET, s.c_str(), buf.data()) == 1) return v4(std::array<std::uint8_t, 4>{buf[0], buf[1], buf[2], buf[3]});
  if (inet_pton(AF_INET6, s.c_str(), buf.data()) == 1) return v6(buf);
  return std::nullopt;
}

std::uint32_t IpAddress::v4_host_order() const {
  return (std::uint32_t{bytes_[0]} << 24) | (std::uint32_t{bytes_[1]} << 16) |
         (std::uint32_t{bytes_[2]} << 8) | std::uint32_t{bytes_[3]};
}

bool IpAddress::is_unspecified() const {
  for (std::size_t i = 0; i < size(); ++i)
    if (bytes_[i] != 0) return false;
  return true;
}

std::string IpAddress::to_string() const {
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(is_v4() ? AF_INET : AF_INET6, bytes_.data(), buf, sizeof buf);
  return buf;
}

std::string to_string(AfiSafi f) {
  if (f == AfiSafi::ipv4_unicast()) return "ipv4-unicast";
  if (f == AfiSafi::ipv6_unicast()) return "ipv6-unicast";
  if (f == AfiSafi::l2vpn_evpn()) return "l2vpn-evpn";
  return std::to_string(f.afi) + "/" + std::to_string(f.safi);
}

}  // namespace evpnd::bgp::wire
