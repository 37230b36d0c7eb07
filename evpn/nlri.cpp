// Route type, route keys and their hashes (RFC 7432 §7, RFC 9136 §3.1).
#include "evpn/nlri.hpp"

namespace evpnd::evpn {

namespace {
template <class... Fs>
struct Overloaded : Fs... {
  using Fs::operator()...;
};
template <class... Fs>
Overloaded(Fs...) -> Overloaded<Fs...>;
}  // namespace

std::uint8_t route_type(const EvpnRoute& r) {
  switch (r.index()) {
    case 0: return 1;
    case 1: return 2;
    case 2: return 3;
    case 3: return 4;
    case 4: return 5;
    default: return std::get<UnknownRoute>(r).type;
  }
}

const RouteDistinguisher* route_rd(const EvpnRoute& r) {
  return std::visit(Overloaded{[](const UnknownRoute&) -> const RouteDistinguisher* { return nullptr; },
                               [](const auto& x) -> const RouteDistinguisher* { return &x.rd; }},
                    r);
}

EvpnRouteKey route_key(const EvpnRoute& r) {
  return std::visit(Overloaded{
                        [](const EadRoute& x) -> EvpnRouteKey { return EadRouteKey{x.rd, x.esi, x.etag}; },
                        [](const MacIpRoute& x) -> EvpnRouteKey { return MacIpRouteKey{x.rd, x.etag, x.mac, x.ip}; },
                        [](const ImetRoute& x) -> EvpnRouteKey { return ImetRouteKey{x.rd, x.etag, x.originating_ip}; },
                        [](const EsRoute& x) -> EvpnRouteKey { return EsRouteKey{x.rd, x.esi, x.originating_ip}; },
                        [](const IpPrefixRoute& x) -> EvpnRouteKey {
                          return IpPrefixRouteKey{x.rd, x.etag, x.prefix, x.prefix_length};
                        },
                        [](const UnknownRoute& x) -> EvpnRouteKey { return UnknownRouteKey{x.type, x.body}; },
                    },
                    r);
}

EvpnRoute route_of_key(const EvpnRouteKey& k) {
  return std::visit(Overloaded{
                        [](const EadRouteKey& x) -> EvpnRoute { return EadRoute{x.rd, x.esi, x.etag, {}}; },
                        [](const MacIpRouteKey& x) -> EvpnRoute {
                          MacIpRoute r;
                          r.rd = x.rd;
                          r.etag = x.etag;
                          r.mac = x.mac;
                          r.ip = x.ip;
                          return r;
                        },
                        [](const ImetRouteKey& x) -> EvpnRoute { return ImetRoute{x.rd, x.etag, x.originating_ip}; },
                        [](const EsRouteKey& x) -> EvpnRoute { return EsRoute{x.rd, x.esi, x.originating_ip}; },
                        [](const IpPrefixRouteKey& x) -> EvpnRoute {
                          IpPrefixRoute r;
                          r.rd = x.rd;
                          r.etag = x.etag;
                          r.prefix = x.prefix;
                          r.prefix_length = x.prefix_length;
                          r.gateway = x.prefix.is_v4() ? wire::IpAddress::v4(0u) : wire::IpAddress::v6({});
                          return r;
                        },
                        [](const UnknownRouteKey& x) -> EvpnRoute { return UnknownRoute{x.type, x.body}; },
                    },
                    k);
}

namespace detail {
std::size_t hash_ip(const wire::IpAddress& a) {
  return hash_bytes(a.data(), a.size(), a.is_v4() ? 4 : 6);
}
}  // namespace detail

}  // namespace evpnd::evpn

namespace {
using evpnd::evpn::detail::hash_combine;
template <class T>
std::size_t h(const T& v) {
  return std::hash<T>{}(v);
}
}  // namespace

std::size_t std::hash<evpnd::evpn::EadRouteKey>::operator()(const evpnd::evpn::EadRouteKey& k) const noexcept {
  return hash_combine(hash_combine(h(k.rd), h(k.esi)), h(k.etag));
}
std::size_t std::hash<evpnd::evpn::MacIpRouteKey>::operator()(const evpnd::evpn::MacIpRouteKey& k) const noexcept {
  std::size_t s = hash_combine(hash_combine(h(k.rd), h(k.etag)), h(k.mac));
  return hash_combine(s, k.ip ? evpnd::evpn::detail::hash_ip(*k.ip) : 0x5a5a);
}
std::size_t std::hash<evpnd::evpn::ImetRouteKey>::operator()(const evpnd::evpn::ImetRouteKey& k) const noexcept {
  return hash_combine(hash_combine(h(k.rd), h(k.etag)), evpnd::evpn::detail::hash_ip(k.originating_ip));
}
std::size_t std::hash<evpnd::evpn::EsRouteKey>::operator()(const evpnd::evpn::EsRouteKey& k) const noexcept {
  return hash_combine(hash_combine(h(k.rd), h(k.esi)), evpnd::evpn::detail::hash_ip(k.originating_ip));
}
std::size_t std::hash<evpnd::evpn::IpPrefixRouteKey>::operator()(
    const evpnd::evpn::IpPrefixRouteKey& k) const noexcept {
  std::size_t s = hash_combine(hash_combine(h(k.rd), h(k.etag)), evpnd::evpn::detail::hash_ip(k.prefix));
  return hash_combine(s, k.prefix_length);
}
std::size_t std::hash<evpnd::evpn::UnknownRouteKey>::operator()(
    const evpnd::evpn::UnknownRouteKey& k) const noexcept {
  return evpnd::evpn::detail::hash_bytes(k.body.data(), k.body.size(), k.type);
}
