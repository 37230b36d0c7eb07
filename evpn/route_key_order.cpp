#include "evpn/route_key_order.hpp"

#include <cstdint>
#include <cstring>

namespace evpnd::evpn {

namespace {

std::uint64_t load_be(const std::uint8_t* p, std::size_t n) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < n; ++i) v = (v << 8) | p[i];
  return v;
}
std::uint64_t load_be64(const std::uint8_t* p) {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  return __builtin_bswap64(v);
}

// RouteDistinguisher's order: type, then the value bytes.
std::uint64_t packed(const RouteDistinguisher& rd) {
  return (std::uint64_t{rd.type} << 48) | load_be(rd.value.data(), rd.value.size());
}

// IpAddress's order: family, then the 16 bytes.
std::strong_ordering compare_ip(const wire::IpAddress& a, const wire::IpAddress& b) {
  if (a.family() != b.family()) return a.family() <=> b.family();
  if (auto c = load_be64(a.data()) <=> load_be64(b.data()); c != 0) return c;
  return load_be64(a.data() + 8) <=> load_be64(b.data() + 8);
}

std::strong_ordering compare(const MacIpRouteKey& a, const MacIpRouteKey& b) {
  if (auto c = packed(a.rd) <=> packed(b.rd); c != 0) return c;
  if (auto c = a.etag.value <=> b.etag.value; c != 0) return c;
  if (auto c = load_be(a.mac.bytes.data(), 6) <=> load_be(b.mac.bytes.data(), 6); c != 0) return c;
  if (a.ip.has_value() != b.ip.has_value()) return a.ip.has_value() <=> b.ip.has_value();  // nullopt first
  return a.ip ? compare_ip(*a.ip, *b.ip) : std::strong_ordering::equal;
}

std::strong_ordering compare(const ImetRouteKey& a, const ImetRouteKey& b) {
  if (auto c = packed(a.rd) <=> packed(b.rd); c != 0) return c;
  if (auto c = a.etag.value <=> b.etag.value; c != 0) return c;
  return compare_ip(a.originating_ip, b.originating_ip);
}

std::strong_ordering compare(const IpPrefixRouteKey& a, const IpPrefixRouteKey& b) {
  if (auto c = packed(a.rd) <=> packed(b.rd); c != 0) return c;
  if (auto c = a.etag.value <=> b.etag.value; c != 0) return c;
  if (auto c = compare_ip(a.prefix, b.prefix); c != 0) return c;
  return a.prefix_length <=> b.prefix_length;
}

template <class T>
std::strong_ordering compare(const T& a, const T& b) {
  return a <=> b;
}

}  // namespace

std::strong_ordering compare_keys(const EvpnRouteKey& a, const EvpnRouteKey& b) {
  if (a.index() != b.index()) return a.index() <=> b.index();
  switch (a.index()) {
    case 1: return compare(*std::get_if<MacIpRouteKey>(&a), *std::get_if<MacIpRouteKey>(&b));
    case 2: return compare(*std::get_if<ImetRouteKey>(&a), *std::get_if<ImetRouteKey>(&b));
    case 4: return compare(*std::get_if<IpPrefixRouteKey>(&a), *std::get_if<IpPrefixRouteKey>(&b));
    default:
      return std::visit(
          [&](const auto& x) -> std::strong_ordering {
            using T = std::decay_t<decltype(x)>;
            return compare(x, *std::get_if<T>(&b));
          },
          a);
  }
}

}  // namespace evpnd::evpn
