#pragma once
// EVPN value types (RFC 7432 §7, RFC 8365 §5.1.3, RFC 4364 §4.2): the fields that make up
// EVPN NLRI and route keys. Each is a small, trivially copyable value with ordering and
// hashing, so route keys built from them can index the RIB directly. Text forms follow
// FRR 8.4 (`show bgp l2vpn evpn route`), so operators see the same strings on both.
#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace evpnd::evpn {

// Route Distinguisher (RFC 4364 §4.2): a 2-octet type and a 6-octet value. Types 0, 1 and
// 2 are named; any other type is carried and compared as raw bytes (RDs only disambiguate,
// they are never interpreted for import; INTEROP.md §7).
struct RouteDistinguisher {
  std::uint16_t type = 0;
  std::array<std::uint8_t, 6> value{};

  // Type 0: 2-octet AS : 4-octet number. Type 1: IPv4 : 2-octet number. Type 2: 4-octet
  // AS : 2-octet number.
  static RouteDistinguisher make_type0(std::uint16_t asn, std::uint32_t assigned);
  static RouteDistinguisher make_type1(std::uint32_t ipv4_host_order, std::uint16_t assigned);
  static RouteDistinguisher make_type2(std::uint32_t asn, std::uint16_t assigned);

  // FRR's str2prefix_rd grammar: "A.B.C.D:N" is type 1 (N <= 65535); "AS:N" is type 0
  // when AS <= 65535 (N <= 2^32-1), else type 2 (N <= 65535). Out-of-range numbers,
  // empty parts or stray characters give nullopt (FRR truncates silently; we refuse).
  static std::optional<RouteDistinguisher> parse(std::string_view text);

  // "65001:100", "10.0.0.1:2", "4200000000:5"; other types "Unknown Type: N" as FRR.
  [[nodiscard]] std::string to_string() const;

  friend auto operator<=>(const RouteDistinguisher&, const RouteDistinguisher&) = default;
};

// Ethernet Segment Identifier (RFC 7432 §5): 10 octets, the first is the ESI type (0..5).
// All zero means single-homed.
struct EthernetSegmentId {
  std::array<std::uint8_t, 10> bytes{};

  [[nodiscard]] bool is_zero() const;
  [[nodiscard]] std::uint8_t type() const { return bytes[0]; }
  // "00:11:22:33:44:55:66:77:88:99" (lower case, as FRR's esi_to_str).
  [[nodiscard]] std::string to_string() const;
  // Ten colon-separated hex octets, either case.
  static std::optional<EthernetSegmentId> parse(std::string_view text);

  friend auto operator<=>(const EthernetSegmentId&, const EthernetSegmentId&) = default;
};

// Ethernet Tag ID (RFC 7432 §7): 0 for VLAN-based service (RFC 8365 §5.1.3), the VID or
// VNI in VLAN-aware bundles, MAX-ET for EAD per ES.
struct EthernetTag {
  static constexpr std::uint32_t kMaxEt = 0xFFFFFFFF;  // RFC 7432 §8.2.1
  std::uint32_t value = 0;
  friend auto operator<=>(const EthernetTag&, const EthernetTag&) = default;
};

struct MacAddress {
  std::array<std::uint8_t, 6> bytes{};

  [[nodiscard]] bool is_zero() const;
  [[nodiscard]] bool is_multicast() const { return (bytes[0] & 0x01) != 0; }  // includes broadcast
  [[nodiscard]] bool is_broadcast() const;
  // "02:00:00:00:01:01" (lower case, as FRR's prefix_mac2str).
  [[nodiscard]] std::string to_string() const;
  // Six colon- or dash-separated hex octets (one or two digits each), either case.
  static std::optional<MacAddress> parse(std::string_view text);

  friend auto operator<=>(const MacAddress&, const MacAddress&) = default;
};

// VXLAN Network Identifier: a checked 24-bit value (RFC 7348 §5).
class Vni {
 public:
  static constexpr std::uint32_t kMax = 0xFFFFFF;
  constexpr Vni() = default;
  static constexpr std::optional<Vni> make(std::uint32_t v) {
    if (v > kMax) return std::nullopt;
    return Vni(v);
  }
  [[nodiscard]] constexpr std::uint32_t value() const { return value_; }
  friend auto operator<=>(const Vni&, const Vni&) = default;

 private:
  constexpr explicit Vni(std::uint32_t v) : value_(v) {}
  std::uint32_t value_ = 0;
};

// The 3-octet label field of EVPN NLRI (RFC 7432 §7.2) as received. Whether it is a VNI or
// an MPLS label depends on the encapsulation (RFC 8365 §5.1.3: for VXLAN the whole 24 bits
// are the VNI); the field is kept raw and read either way (INTEROP.md §1).
struct Label {
  std::uint32_t raw = 0;  // low 24 bits used

  static constexpr Label from_vni(Vni v) { return Label{v.value()}; }
  // MPLS encoding (RFC 3032): 20-bit label, then TC (zero here) and the bottom-of-stack bit.
  static constexpr Label from_mpls(std::uint32_t label, bool bottom_of_stack = true) {
    return Label{((label & 0xFFFFF) << 4) | (bottom_of_stack ? 1u : 0u)};
  }

  // RFC 8365: the VNI is the whole 24-bit field.
  [[nodiscard]] constexpr Vni vni() const { return *Vni::make(raw & 0xFFFFFF); }
  // RFC 3032 / RFC 7432: the high 20 bits.
  [[nodiscard]] constexpr std::uint32_t mpls_label() const { return (raw & 0xFFFFFF) >> 4; }
  // A sender using MPLS-style encoding (ExaBGP, some vendors) sets the bottom-of-stack bit,
  // so the low nibble is 1; a raw VNI has it only by coincidence. Used to count and flag
  // suspicious labels on VXLAN routes (INTEROP.md §1), never to reinterpret them silently.
  [[nodiscard]] constexpr bool looks_mpls_shifted() const { return (raw & 0xF) == 1; }

  friend auto operator<=>(const Label&, const Label&) = default;
};

namespace detail {
// FNV-1a over bytes, then combined with boost-style mixing; enough for hash maps.
inline std::size_t hash_bytes(const std::uint8_t* p, std::size_t n, std::size_t seed = 0) {
  std::uint64_t h = 1469598103934665603ull ^ seed;
  for (std::size_t i = 0; i < n; ++i) {
    h ^= p[i];
    h *= 1099511628211ull;
  }
  return static_cast<std::size_t>(h);
}
inline std::size_t hash_combine(std::size_t seed, std::size_t v) {
  return seed ^ (v + 0x9e3779b97f4a7c15ull + (seed << 6) + (seed >> 2));
}
}  // namespace detail

}  // namespace evpnd::evpn

template <>
struct std::hash<evpnd::evpn::RouteDistinguisher> {
  std::size_t operator()(const evpnd::evpn::RouteDistinguisher& rd) const noexcept {
    return evpnd::evpn::detail::hash_bytes(rd.value.data(), rd.value.size(), rd.type);
  }
};
template <>
struct std::hash<evpnd::evpn::EthernetSegmentId> {
  std::size_t operator()(const evpnd::evpn::EthernetSegmentId& e) const noexcept {
    return evpnd::evpn::detail::hash_bytes(e.bytes.data(), e.bytes.size());
  }
};
template <>
struct std::hash<evpnd::evpn::EthernetTag> {
  std::size_t operator()(const evpnd::evpn::EthernetTag& t) const noexcept { return std::hash<std::uint32_t>{}(t.value); }
};
template <>
struct std::hash<evpnd::evpn::MacAddress> {
  std::size_t operator()(const evpnd::evpn::MacAddress& m) const noexcept {
    return evpnd::evpn::detail::hash_bytes(m.bytes.data(), m.bytes.size());
  }
};
template <>
struct std::hash<evpnd::evpn::Vni> {
  std::size_t operator()(const evpnd::evpn::Vni& v) const noexcept { return std::hash<std::uint32_t>{}(v.value()); }
};
template <>
struct std::hash<evpnd::evpn::Label> {
  std::size_t operator()(const evpnd::evpn::Label& l) const noexcept { return std::hash<std::uint32_t>{}(l.raw); }
};
