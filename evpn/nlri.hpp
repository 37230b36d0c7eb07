#pragma once
// EVPN NLRI (AFI 25 / SAFI 70): the five route types of RFC 7432 §7 and RFC 9136 §3, route
// keys, the decoder, the encoder and FRR-style prefix strings.
//
// Data flow: bgp/wire hands over the raw NLRI bytes of MP_REACH_NLRI / MP_UNREACH_NLRI
// (wire::MpReach::nlri); decode_evpn_nlris / for_each_evpn_nlri turn them into EvpnNlri
// values; the RIB indexes them by route_key(); encode_evpn_nlri writes them back when
// packing outgoing UPDATEs. Decoding then encoding is byte exact for every NLRI accepted.
//
// Wire format of one NLRI (RFC 7432 §7, RFC 7911 §3 for the path id):
//   [path id (4), only with ADD-PATH] route type (1) | length (1) | route-type body
//
// Errors (RFC 4760 §7, RFC 7606 §5.3): an NLRI whose length runs past the buffer, or a
// known route type whose body has the wrong length or a bad inner length field, means the
// MP_REACH/MP_UNREACH attribute cannot be parsed, so the session is reset with UPDATE
// Message Error / Optional Attribute Error. DecodeError::offset is the first byte of the
// offending NLRI (its path id when ADD-PATH is on) counted from the start of the message
// (base_offset is the offset of the first NLRI byte). DecodeError::data is left empty: the
// caller, which holds the whole message, fills in the attribute as RFC 4271 §6.3 asks
// (bgp/inbound.cpp). Unknown route types (0, 6 and up) decode as UnknownRoute and are
// never an error (INTEROP.md §12: a session must not reset on them); whether they are
// kept is the receiver's choice (RFC 7606 §5.4 says discard).
//
// Accepted body lengths (INTEROP.md §10, FRR 8.4 bgp_evpn.c):
//   Type-1 25; Type-2 33/36 (no IP, 1/2 labels), 37/40 (IPv4), 49/52 (IPv6);
//   Type-3 17 (IPv4) / 29 (IPv6); Type-4 23 / 35; Type-5 34 (IPv4) / 58 (IPv6).
//   Length fields inside are in bits: MAC 48, IP 0/32/128 (CumulusNetworks/quagga PR #26).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "bgp/wire/bytes.hpp"
#include "bgp/wire/decode_error.hpp"
#include "bgp/wire/reader.hpp"
#include "bgp/wire/result.hpp"
#include "bgp/wire/types.hpp"
#include "evpn/types.hpp"

namespace evpnd::evpn {

namespace wire = ::evpnd::bgp::wire;

enum class RouteType : std::uint8_t {
  EthernetAutoDiscovery = 1,  // RFC 7432 §7.1
  MacIpAdvertisement = 2,     // RFC 7432 §7.2
  InclusiveMulticast = 3,     // RFC 7432 §7.3
  EthernetSegment = 4,        // RFC 7432 §7.4
  IpPrefix = 5,               // RFC 9136 §3
};

// Type 1: Ethernet Auto-Discovery (per ES with etag MAX-ET, or per EVI).
struct EadRoute {
  RouteDistinguisher rd;
  EthernetSegmentId esi;
  EthernetTag etag;
  Label label;
  friend bool operator==(const EadRoute&, const EadRoute&) = default;
};

// Type 2: MAC/IP Advertisement. label2 is the L3VNI of symmetric IRB (RFC 9135 §5).
struct MacIpRoute {
  RouteDistinguisher rd;
  EthernetSegmentId esi;
  EthernetTag etag;
  MacAddress mac;
  std::optional<wire::IpAddress> ip;
  Label label1;
  std::optional<Label> label2;
  friend bool operator==(const MacIpRoute&, const MacIpRoute&) = default;
};

// Type 3: Inclusive Multicast Ethernet Tag.
struct ImetRoute {
  RouteDistinguisher rd;
  EthernetTag etag;
  wire::IpAddress originating_ip;
  friend bool operator==(const ImetRoute&, const ImetRoute&) = default;
};

// Type 4: Ethernet Segment.
struct EsRoute {
  RouteDistinguisher rd;
  EthernetSegmentId esi;
  wire::IpAddress originating_ip;
  friend bool operator==(const EsRoute&, const EsRoute&) = default;
};

// Type 5: IP Prefix (RFC 9136 §3.1). `prefix` and `gateway` are of the same family (the
// body length decides it); the gateway is all zeros when unused. The prefix address is
// kept as received (host bits are not cleared) so re-encoding is byte exact.
struct IpPrefixRoute {
  RouteDistinguisher rd;
  EthernetSegmentId esi;
  EthernetTag etag;
  wire::IpAddress prefix;
  std::uint8_t prefix_length = 0;
  wire::IpAddress gateway;
  Label label;
  friend bool operator==(const IpPrefixRoute&, const IpPrefixRoute&) = default;
};

// Any other route type, kept opaque so it can be stored and reflected (INTEROP.md §12).
struct UnknownRoute {
  std::uint8_t type = 0;
  wire::ByteVec body;  // at most 255 bytes (the length octet)
  friend bool operator==(const UnknownRoute&, const UnknownRoute&) = default;
};

using EvpnRoute = std::variant<EadRoute, MacIpRoute, ImetRoute, EsRoute, IpPrefixRoute, UnknownRoute>;

struct EvpnNlri {
  std::optional<std::uint32_t> path_id;  // RFC 7911, set when ADD-PATH receive is on
  EvpnRoute route;
  friend bool operator==(const EvpnNlri&, const EvpnNlri&) = default;
};

// The route type octet (1..5, or the unknown type carried).
std::uint8_t route_type(const EvpnRoute& r);
const RouteDistinguisher* route_rd(const EvpnRoute& r);  // nullptr for UnknownRoute
const RouteDistinguisher* route_rd(EvpnRoute&&) = delete;  // would point into a temporary

// ---- Route keys (RFC 7432 §7, RFC 9136 §3.1, INTEROP.md §11) ----
// What identifies a route in a table: labels and (for Type-2/3/5) the ESI are attributes
// of the path, not part of the key. ADD-PATH path ids are per-peer and kept by the RIB.

struct EadRouteKey {  // §7.1: ESI and Ethernet Tag (plus the RD)
  RouteDistinguisher rd;
  EthernetSegmentId esi;
  EthernetTag etag;
  friend auto operator<=>(const EadRouteKey&, const EadRouteKey&) = default;
};
struct MacIpRouteKey {  // §7.2: Ethernet Tag, MAC length + MAC, IP length + IP
  RouteDistinguisher rd;
  EthernetTag etag;
  MacAddress mac;
  std::optional<wire::IpAddress> ip;
  friend auto operator<=>(const MacIpRouteKey&, const MacIpRouteKey&) = default;
};
struct ImetRouteKey {  // §7.3: Ethernet Tag, IP length + originating router's IP
  RouteDistinguisher rd;
  EthernetTag etag;
  wire::IpAddress originating_ip;
  friend auto operator<=>(const ImetRouteKey&, const ImetRouteKey&) = default;
};
struct EsRouteKey {  // §7.4: ESI, IP length + originating router's IP
  RouteDistinguisher rd;
  EthernetSegmentId esi;
  wire::IpAddress originating_ip;
  friend auto operator<=>(const EsRouteKey&, const EsRouteKey&) = default;
};
struct IpPrefixRouteKey {  // RFC 9136 §3.1: Ethernet Tag, IP prefix length and prefix
  RouteDistinguisher rd;
  EthernetTag etag;
  wire::IpAddress prefix;
  std::uint8_t prefix_length = 0;
  friend auto operator<=>(const IpPrefixRouteKey&, const IpPrefixRouteKey&) = default;
};
struct UnknownRouteKey {  // opaque: the whole body
  std::uint8_t type = 0;
  wire::ByteVec body;
  friend auto operator<=>(const UnknownRouteKey&, const UnknownRouteKey&) = default;
};

using EvpnRouteKey =
    std::variant<EadRouteKey, MacIpRouteKey, ImetRouteKey, EsRouteKey, IpPrefixRouteKey, UnknownRouteKey>;

EvpnRouteKey route_key(const EvpnRoute& r);
// A route with this key and zero labels and ESI: what a withdrawal needs (receivers
// ignore the rest, RFC 7432 §7 and INTEROP "Seen on the wire").
EvpnRoute route_of_key(const EvpnRouteKey& k);

// ---- Decoding ----

namespace detail {
// Decodes the NLRI at the reader's position into `out` (reusing its storage) and moves the
// reader past it. Allocates only for UnknownRoute. On failure fills `err` and returns false.
bool decode_one_evpn_nlri(wire::Reader& r, bool add_path, EvpnNlri& out, wire::DecodeError& err);
}  // namespace detail

// Calls f(const EvpnNlri&) for each NLRI in `data`, in order, without allocating for route
// types 1..5 (one EvpnNlri is reused; copy what you keep). If f returns bool, returning
// false stops the walk early. Returns the number of NLRI visited. NLRI before a malformed
// one have already been handed to f when the error is returned, so a caller that must be
// all-or-nothing validates first (the session is reset on error anyway).
template <class F>
wire::Result<std::size_t, wire::DecodeError> for_each_evpn_nlri(wire::ByteSpan data, bool add_path,
                                                               std::size_t base_offset, F&& f) {
  wire::Reader r(data, base_offset);
  EvpnNlri nlri;
  wire::DecodeError err;
  std::size_t count = 0;
  while (!r.empty()) {
    if (!detail::decode_one_evpn_nlri(r, add_path, nlri, err)) return wire::fail(std::move(err));
    ++count;
    if constexpr (std::is_same_v<std::invoke_result_t<F&, const EvpnNlri&>, bool>) {
      if (!f(std::as_const(nlri))) break;
    } else {
      f(std::as_const(nlri));
    }
  }
  return count;
}

// All NLRI of an MP_REACH/MP_UNREACH NLRI field, or the error for the first malformed one.
wire::Result<std::vector<EvpnNlri>, wire::DecodeError> decode_evpn_nlris(wire::ByteSpan data, bool add_path,
                                                                         std::size_t base_offset);

// ---- Encoding ----

// Bytes encode_evpn_nlri will append (for packing NLRI into a 4096-byte UPDATE).
std::size_t encoded_size(const EvpnNlri& n, bool add_path);

// Appends one NLRI. With add_path a missing path id is written as 0. Preconditions (met by
// everything the decoder produces): an UnknownRoute body is at most 255 bytes, and an
// IpPrefixRoute gateway has the prefix's family (otherwise a zero gateway is written).
void encode_evpn_nlri(const EvpnNlri& n, bool add_path, wire::ByteVec& out);
void encode_evpn_nlris(const std::vector<EvpnNlri>& nlris, bool add_path, wire::ByteVec& out);

// ---- Text (FRR 8.4 `show bgp l2vpn evpn route` prefix column, lib/prefix.c) ----
//   [1]:[EthTag]:[ESI]:[32]:[0.0.0.0]:[0]   (FRR keeps no VTEP IP or fragment id for
//                                            received EAD routes, so prints these zeros)
//   [2]:[EthTag]:[48]:[MAC] and [2]:[EthTag]:[48]:[MAC]:[IPlen]:[IP]
//   [3]:[EthTag]:[IPlen]:[OrigIP]
//   [4]:[ESI]:[IPlen]:[OrigIP]
//   [5]:[EthTag]:[IPlen]:[IP]
// FRR prints the Type-2/3/5 Ethernet Tag with %d, so a tag above 2^31-1 shows negative
// (MAX-ET as -1); we print the same for identical keys. Unknown types, which FRR never
// shows, print as "[N]:[<body hex>]".
std::string to_string(const EvpnRoute& r);
std::string to_string(const EvpnRouteKey& k);

}  // namespace evpnd::evpn

// ---- Hashing of route keys ----
namespace evpnd::evpn::detail {
std::size_t hash_ip(const wire::IpAddress& a);
}  // namespace evpnd::evpn::detail

template <>
struct std::hash<evpnd::evpn::EadRouteKey> {
  std::size_t operator()(const evpnd::evpn::EadRouteKey& k) const noexcept;
};
template <>
struct std::hash<evpnd::evpn::MacIpRouteKey> {
  std::size_t operator()(const evpnd::evpn::MacIpRouteKey& k) const noexcept;
};
template <>
struct std::hash<evpnd::evpn::ImetRouteKey> {
  std::size_t operator()(const evpnd::evpn::ImetRouteKey& k) const noexcept;
};
template <>
struct std::hash<evpnd::evpn::EsRouteKey> {
  std::size_t operator()(const evpnd::evpn::EsRouteKey& k) const noexcept;
};
template <>
struct std::hash<evpnd::evpn::IpPrefixRouteKey> {
  std::size_t operator()(const evpnd::evpn::IpPrefixRouteKey& k) const noexcept;
};
template <>
struct std::hash<evpnd::evpn::UnknownRouteKey> {
  std::size_t operator()(const evpnd::evpn::UnknownRouteKey& k) const noexcept;
};
// std::hash<EvpnRouteKey> comes from std::hash<std::variant<...>> over the above.
