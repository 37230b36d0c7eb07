#include "evpn/types.hpp"

#include <charconv>
#include <cstdio>

#include "evpn/byte_order.hpp"

namespace evpnd::evpn {

namespace {

// Strict unsigned decimal: digits only, no sign or spaces, within `max`.
std::optional<std::uint64_t> parse_decimal(std::string_view s, std::uint64_t max) {
  if (s.empty() || s.size() > 20) return std::nullopt;
  for (char c : s)
    if (c < '0' || c > '9') return std::nullopt;
  std::uint64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || ptr != s.data() + s.size() || v > max) return std::nullopt;
  return v;
}

// Dotted quad, four decimal parts 0..255 (no inet_aton shorthands like "10.1").
std::optional<std::uint32_t> parse_ipv4(std::string_view s) {
  std::uint32_t out = 0;
  for (int part = 0; part < 4; ++part) {
    auto dot = s.find('.');
    std::string_view piece = part < 3 ? s.substr(0, dot) : s;
    if (part < 3 && dot == std::string_view::npos) return std::nullopt;
    if (piece.size() > 3) return std::nullopt;
    auto v = parse_decimal(piece, 255);
    if (!v) return std::nullopt;
    out = (out << 8) | static_cast<std::uint32_t>(*v);
    if (part < 3) s.remove_prefix(dot + 1);
  }
  return out;
}

std::optional<std::uint8_t> parse_hex_octet(std::string_view s) {
  if (s.empty() || s.size() > 2) return std::nullopt;
  unsigned v = 0;
  for (char c : s) {
    v <<= 4;
    if (c >= '0' && c <= '9') v |= static_cast<unsigned>(c - '0');
    else if (c >= 'a' && c <= 'f') v |= static_cast<unsigned>(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') v |= static_cast<unsigned>(c - 'A' + 10);
    else return std::nullopt;
  }
  return static_cast<std::uint8_t>(v);
}

// N hex octets separated by any one of `seps` (the same separator throughout).
template <std::size_t N>
std::optional<std::array<std::uint8_t, N>> parse_octets(std::string_view s, std::string_view seps) {
  std::array<std::uint8_t, N> out{};
  char sep = 0;
  for (std::size_t i = 0; i < N; ++i) {
    std::size_t end = s.size();
    if (i + 1 < N) {
      end = s.find_first_of(seps);
      if (end == std::string_view::npos) return std::nullopt;
      if (sep == 0) sep = s[end];
      else if (s[end] != sep) return std::nullopt;
    }
    auto b = parse_hex_octet(s.substr(0, end));
    if (!b) return std::nullopt;
    out[i] = *b;
    s.remove_prefix(i + 1 < N ? end + 1 : end);
  }
  return out;
}

template <std::size_t N>
std::string hex_octets(const std::array<std::uint8_t, N>& b) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  s.reserve(N * 3);
  for (std::size_t i = 0; i < N; ++i) {
    if (i) s.push_back(':');
    s.push_back(kHex[b[i] >> 4]);
    s.push_back(kHex[b[i] & 0xF]);
  }
  return s;
}

using detail::be16;
using detail::be32;
using detail::put16;
using detail::put32;

}  // namespace

RouteDistinguisher RouteDistinguisher::make_type0(std::uint16_t asn, std::uint32_t assigned) {
  RouteDistinguisher rd;
  rd.type = 0;
  put16(rd.value.data(), asn);
  put32(rd.value.data() + 2, assigned);
  return rd;
}

RouteDistinguisher RouteDistinguisher::make_type1(std::uint32_t ipv4_host_order, std::uint16_t assigned) {
  RouteDistinguisher rd;
  rd.type = 1;
  put32(rd.value.data(), ipv4_host_order);
  put16(rd.value.data() + 4, assigned);
  return rd;
}

RouteDistinguisher RouteDistinguisher::make_type2(std::uint32_t asn, std::uint16_t assigned) {
  RouteDistinguisher rd;
  rd.type = 2;
  put32(rd.value.data(), asn);
  put16(rd.value.data() + 4, assigned);
  return rd;
}

std::optional<RouteDistinguisher> RouteDistinguisher::parse(std::string_view text) {
  auto colon = text.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  std::string_view admin = text.substr(0, colon);
  std::string_view number = text.substr(colon + 1);
  if (admin.find('.') != std::string_view::npos) {
    auto ip = parse_ipv4(admin);
    auto n = parse_decimal(number, 0xFFFF);
    if (!ip || !n) return std::nullopt;
    return make_type1(*ip, static_cast<std::uint16_t>(*n));
  }
  auto as = parse_decimal(admin, 0xFFFFFFFF);
  if (!as) return std::nullopt;
  if (*as <= 0xFFFF) {
    auto n = parse_decimal(number, 0xFFFFFFFF);
    if (!n) return std::nullopt;
    return make_type0(static_cast<std::uint16_t>(*as), static_cast<std::uint32_t>(*n));
  }
  auto n = parse_decimal(number, 0xFFFF);
  if (!n) return std::nullopt;
  return make_type2(static_cast<std::uint32_t>(*as), static_cast<std::uint16_t>(*n));
}

std::string RouteDistinguisher::to_string() const {
  const std::uint8_t* v = value.data();
  char buf[48];
  switch (type) {
    case 0:
      std::snprintf(buf, sizeof buf, "%u:%u", unsigned{be16(v)}, be32(v + 2));
      break;
    case 1:
      std::snprintf(buf, sizeof buf, "%u.%u.%u.%u:%u", v[0], v[1], v[2], v[3], unsigned{be16(v + 4)});
      break;
    case 2:
      std::snprintf(buf, sizeof buf, "%u:%u", be32(v), unsigned{be16(v + 4)});
      break;
    default:
      // FRR's prefix_rd2str wording for types it does not know.
      std::snprintf(buf, sizeof buf, "Unknown Type: %u", unsigned{type});
      break;
  }
  return buf;
}

bool EthernetSegmentId::is_zero() const {
  for (auto b : bytes)
    if (b) return false;
  return true;
}

std::string EthernetSegmentId::to_string() const { return hex_octets(bytes); }

std::optional<EthernetSegmentId> EthernetSegmentId::parse(std::string_view text) {
  auto b = parse_octets<10>(text, ":");
  if (!b) return std::nullopt;
  return EthernetSegmentId{*b};
}

bool MacAddress::is_zero() const {
  for (auto b : bytes)
    if (b) return false;
  return true;
}

bool MacAddress::is_broadcast() const {
  for (auto b : bytes)
    if (b != 0xFF) return false;
  return true;
}

std::string MacAddress::to_string() const { return hex_octets(bytes); }

std::optional<MacAddress> MacAddress::parse(std::string_view text) {
  auto b = parse_octets<6>(text, ":-");
  if (!b) return std::nullopt;
  return MacAddress{*b};
}

}  // namespace evpnd::evpn
