#pragma once
// Typed views of the BGP Extended Communities EVPN uses (RFC 4360 §3, RFC 7432 §7.5-7.11,
// RFC 9012 §4.1, RFC 9135 §8.1, RFC 8584 §2.2, RFC 9047 §3), and FRR's text for them.
//
// The RIB keeps communities as raw wire::ExtendedCommunity values (that is what is
// re-advertised); these views interpret one when a consumer needs a field. Reserved octets
// are ignored on decode and written as zero on encode (each RFC says "MUST be zero when
// sent, ignored when received"), so encode(decode(x)) == x exactly when x's reserved octets
// are zero, which holds for every FRR and GoBGP capture.
#include <compare>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "bgp/wire/update.hpp"
#include "evpn/types.hpp"

namespace evpnd::evpn {

namespace wire = ::evpnd::bgp::wire;

// Route Target (RFC 4360 §4, RFC 5668 §2): transitive types 0x00 (2-octet AS), 0x01
// (IPv4) and 0x02 (4-octet AS), sub-type 0x02.
struct RouteTarget {
  enum class Format : std::uint8_t { As2 = 0x00, Ipv4 = 0x01, As4 = 0x02 };
  static constexpr std::uint8_t kSubtype = 0x02;

  Format format = Format::As2;
  std::uint32_t global_admin = 0;  // AS number, or the IPv4 address in host order
  std::uint32_t local_admin = 0;   // 32 bits for As2, 16 bits for Ipv4 and As4

  static RouteTarget as2(std::uint16_t asn, std::uint32_t n) { return {Format::As2, asn, n}; }
  static RouteTarget ipv4(std::uint32_t addr_host_order, std::uint16_t n) { return {Format::Ipv4, addr_host_order, n}; }
  static RouteTarget as4(std::uint32_t asn, std::uint16_t n) { return {Format::As4, asn, n}; }

  // "65001:100" (As2; the number may use 32 bits), "10.0.0.1:5" (Ipv4), "4200000000:100"
  // (As4, chosen when the AS exceeds 65535, as FRR does). nullopt on anything else or on
  // a number out of range for the chosen format.
  static std::optional<RouteTarget> parse(std::string_view text);
  static std::optional<RouteTarget> decode(const wire::ExtendedCommunity& c);
  [[nodiscard]] wire::ExtendedCommunity encode() const;
  [[nodiscard]] std::string to_string() const;  // "65001:100", without FRR's "RT:" prefix

  friend auto operator<=>(const RouteTarget&, const RouteTarget&) = default;
};

// BGP Encapsulation (RFC 9012 §4.1, RFC 8365 §5.1.3): type 0x03 sub-type 0x0c, tunnel type
// in the last two octets.
struct Encapsulation {
  static constexpr std::uint16_t kVxlan = 8;
  static constexpr std::uint16_t kNvgre = 9;
  static constexpr std::uint16_t kMpls = 10;
  static constexpr std::uint16_t kVxlanGpe = 12;
  static constexpr std::uint16_t kMplsInUdp = 13;
  std::uint16_t tunnel_type = kVxlan;

  static std::optional<Encapsulation> decode(const wire::ExtendedCommunity& c);
  [[nodiscard]] wire::ExtendedCommunity encode() const;
  friend auto operator<=>(const Encapsulation&, const Encapsulation&) = default;
};

// MAC Mobility (RFC 7432 §7.7): type 0x06 sub-type 0x00, flags (0x01 sticky/static),
// reserved, 32-bit sequence number.
struct MacMobility {
  static constexpr std::uint8_t kStickyFlag = 0x01;
  bool sticky = false;
  std::uint32_t sequence = 0;

  static std::optional<MacMobility> decode(const wire::ExtendedCommunity& c);
  [[nodiscard]] wire::ExtendedCommunity encode() const;
  friend auto operator<=>(const MacMobility&, const MacMobility&) = default;
};

// ESI Label (RFC 7432 §7.5): type 0x06 sub-type 0x01, flags (0x01 single-active),
// two reserved octets, 3-octet label.
struct EsiLabel {
  static constexpr std::uint8_t kSingleActiveFlag = 0x01;
  bool single_active = false;
  Label label;

  static std::optional<EsiLabel> decode(const wire::ExtendedCommunity& c);
  [[nodiscard]] wire::ExtendedCommunity encode() const;
  friend auto operator<=>(const EsiLabel&, const EsiLabel&) = default;
};

// ES-Import Route Target (RFC 7432 §7.6): type 0x06 sub-type 0x02, a MAC address.
struct EsImportRouteTarget {
  MacAddress mac;
  static std::optional<EsImportRouteTarget> decode(const wire::ExtendedCommunity& c);
  [[nodiscard]] wire::ExtendedCommunity encode() const;
  friend auto operator<=>(const EsImportRouteTarget&, const EsImportRouteTarget&) = default;
};

// EVPN Router's MAC (RFC 9135 §8.1): type 0x06 sub-type 0x03.
struct RouterMac {
  MacAddress mac;
  static std::optional<RouterMac> decode(const wire::ExtendedCommunity& c);
  [[nodiscard]] wire::ExtendedCommunity encode() const;
  friend auto operator<=>(const RouterMac&, const RouterMac&) = default;
};

// DF Election (RFC 8584 §2.2): type 0x06 sub-type 0x06, algorithm (low 5 bits),
// capability bitmap, and the preference in the last two octets (draft-ietf-bess-evpn-
// pref-df, which FRR implements).
struct DfElection {
  std::uint8_t algorithm = 0;
  std::uint16_t bitmap = 0;
  std::uint16_t preference = 0;
  static std::optional<DfElection> decode(const wire::ExtendedCommunity& c);
  [[nodiscard]] wire::ExtendedCommunity encode() const;
  friend auto operator<=>(const DfElection&, const DfElection&) = default;
};

// EVPN ARP/ND (RFC 9047 §3): type 0x06 sub-type 0x08, a flags octet: 0x01 Router,
// 0x02 Override, 0x04 the bit FRR calls "proxy" (RFC 9047's Immutable binding).
struct ArpNd {
  static constexpr std::uint8_t kRouterFlag = 0x01;
  static constexpr std::uint8_t kOverrideFlag = 0x02;
  static constexpr std::uint8_t kProxyFlag = 0x04;
  std::uint8_t flags = 0;
  static std::optional<ArpNd> decode(const wire::ExtendedCommunity& c);
  [[nodiscard]] wire::ExtendedCommunity encode() const;
  friend auto operator<=>(const ArpNd&, const ArpNd&) = default;
};

// Default Gateway (RFC 7432 §7.8): type 0x03 sub-type 0x0d, no value.
struct DefaultGateway {
  static std::optional<DefaultGateway> decode(const wire::ExtendedCommunity& c);
  [[nodiscard]] wire::ExtendedCommunity encode() const;
  friend auto operator<=>(const DefaultGateway&, const DefaultGateway&) = default;
};

// Anything else, unchanged.
struct UnknownExtCommunity {
  wire::ExtendedCommunity raw;
  [[nodiscard]] wire::ExtendedCommunity encode() const { return raw; }
  friend auto operator<=>(const UnknownExtCommunity&, const UnknownExtCommunity&) = default;
};

using ExtCommunityValue = std::variant<RouteTarget, Encapsulation, MacMobility, EsiLabel, EsImportRouteTarget,
                                       RouterMac, DfElection, ArpNd, DefaultGateway, UnknownExtCommunity>;

ExtCommunityValue decode_ext_community(const wire::ExtendedCommunity& c);
wire::ExtendedCommunity encode_ext_community(const ExtCommunityValue& v);

// FRR 8.4's display text (bgpd/bgp_ecommunity.c ecommunity_ecom2str, display format):
// "RT:65001:100", "ET:8", "MM:5", "MM:5, sticky MAC", "Rmac:aa:bb:cc:dd:ee:ff",
// "ES-Import-Rt:aa:bb:cc:dd:ee:ff", "ESI-label-Rt:SA" / "ESI-label-Rt:AA" (FRR prints no
// label value), "DF: (alg: 2, pref: 100)", "ND:Router Flag", "ND:Proxy", "Default Gateway",
// "SoO:65001:1", and "UNK:<type>, <subtype>" for the rest. Two deliberate differences: FRR
// prints a stale sub-type for unknown type-0x03/0x06 communities (its loop does not read
// it), we print the real one; and an ND community with neither flag is "" in FRR and here.
std::string describe(const ExtCommunityValue& v);
std::string describe(const wire::ExtendedCommunity& c);

// Joins describe() with single spaces. Received: in the order given (the wire order).
// FrrSorted: FRR's own order, since FRR sorts and de-duplicates a received attribute by
// its bytes before it prints it (ecommunity_uniq_sort), e.g. "RT:65001:100 ET:8" for a
// route FRR sent as ENCAP, RT.
enum class DescribeOrder { Received, FrrSorted };
std::string describe_all(const std::vector<wire::ExtendedCommunity>& cs,
                         DescribeOrder order = DescribeOrder::Received);

// The first community of type T in `cs`, if any (e.g. find_ext_community<MacMobility>).
template <class T>
std::optional<T> find_ext_community(const std::vector<wire::ExtendedCommunity>& cs) {
  for (const auto& c : cs)
    if (auto v = T::decode(c)) return v;
  return std::nullopt;
}
std::vector<RouteTarget> route_targets(const std::vector<wire::ExtendedCommunity>& cs);

}  // namespace evpnd::evpn

template <>
struct std::hash<evpnd::evpn::RouteTarget> {
  std::size_t operator()(const evpnd::evpn::RouteTarget& rt) const noexcept {
    return evpnd::evpn::detail::hash_combine(
        (static_cast<std::size_t>(rt.format) << 32) ^ rt.global_admin, rt.local_admin);
  }
};
