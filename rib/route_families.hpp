#pragma once
// The address families the Loc-RIB (rib/loc_rib.hpp) holds, as type traits: what a route
// key is, what of a route is path data rather than key, and how an NLRI splits into the
// two and is put back together. The RIB, the Adj-RIB-In view and the update groups are
// written once over these traits, so l2vpn evpn and ipv4 unicast go through the same
// code (receive, best path, reflection, export).
#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>

#include "bgp/wire/types.hpp"
#include "bgp/wire/update.hpp"
#include "evpn/nlri.hpp"
#include "evpn/route_data.hpp"
#include "evpn/route_key_order.hpp"
#include "rib/attr_store.hpp"

namespace evpnd::rib {

// l2vpn evpn: the RFC 7432 §7 route key; ESI, labels and gateway are path data.
struct EvpnFamily {
  using Key = evpn::EvpnRouteKey;
  using KeyLess = evpn::RouteKeyLess;
  using KeyHash = std::hash<evpn::EvpnRouteKey>;
  using Data = evpn::RouteData;
  using Nlri = evpn::EvpnNlri;
  static constexpr bgp::wire::AfiSafi kAfiSafi = bgp::wire::AfiSafi::l2vpn_evpn();

  static Key key(const Nlri& n) { return evpn::route_key(n.route); }
  static Data data(const Nlri& n) { return evpn::route_data(n.route); }
  static std::optional<std::uint32_t> path_id(const Nlri& n) { return n.path_id; }
  static Nlri nlri(const Key& k, const Data& d, std::optional<std::uint32_t> id) { return {id, evpn::join(k, d)}; }
  // A withdrawal names the key only (RFC 7432 §7: the label and ESI are not part of it).
  static Nlri withdrawal(const Key& k) { return {std::nullopt, evpn::route_of_key(k)}; }
  // The RFC 7432 §15 steps of best path read this.
  static const EvpnSummary* summary(const InternedAttributes& a) { return &a.evpn; }
};

// An IPv4 prefix as a route key: RFC 4271's NLRI without the RFC 7911 path id, which
// names a path, not a route.
struct PrefixKey {
  bgp::wire::IpAddress address;  // host bits zero
  std::uint8_t length = 0;
  friend auto operator<=>(const PrefixKey&, const PrefixKey&) = default;
};

struct PrefixKeyHash {
  std::size_t operator()(const PrefixKey& k) const { return evpn::detail::hash_ip(k.address) * 33 + k.length; }
};

// A unicast route has nothing beyond its key and its attributes.
struct NoRouteData {
  friend bool operator==(const NoRouteData&, const NoRouteData&) = default;
};

struct Ipv4UnicastFamily {
  using Key = PrefixKey;
  using KeyLess = std::less<PrefixKey>;
  using KeyHash = PrefixKeyHash;
  using Data = NoRouteData;
  using Nlri = bgp::wire::Prefix;
  static constexpr bgp::wire::AfiSafi kAfiSafi = bgp::wire::AfiSafi::ipv4_unicast();

  static Key key(const Nlri& n) { return {n.address, n.length}; }
  static Data data(const Nlri&) { return {}; }
  static std::optional<std::uint32_t> path_id(const Nlri& n) { return n.path_id; }
  static Nlri nlri(const Key& k, const Data&, std::optional<std::uint32_t> id) { return {k.address, k.length, id}; }
  static Nlri withdrawal(const Key& k) { return {k.address, k.length, std::nullopt}; }
  static const EvpnSummary* summary(const InternedAttributes&) { return nullptr; }
};

}  // namespace evpnd::rib
