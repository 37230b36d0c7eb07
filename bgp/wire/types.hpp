#pragma once
// Small value types shared by every layer above the codec.
#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace evpnd::bgp::wire {

// Autonomous system number; always held as 4 octets (RFC 6793).
struct Asn {
  std::uint32_t value = 0;
  static constexpr std::uint16_t kAsTrans = 23456;  // RFC 6793 §9
  [[nodiscard]] bool fits_two_octets() const { return value <= 0xFFFF; }
  friend auto operator<=>(const Asn&, const Asn&) = default;
};

// IPv4 or IPv6 address as a value. v4 uses the first 4 bytes of `bytes`.
class IpAddress {
 public:
  enum class Family : std::uint8_t { V4, V6 };

  IpAddress() = default;
  static IpAddress v4(std::uint32_t host_order);
  static IpAddress v4(std::array<std::uint8_t, 4> b);
  static IpAddress v6(std::array<std::uint8_t, 16> b);
  // Parses dotted quad or RFC 4291 text; nullopt if neither.
  static std::optional<IpAddress> parse(std::string_view text);

  [[nodiscard]] Family family() const { return family_; }
  [[nodiscard]] bool is_v4() const { return family_ == Family::V4; }
  [[nodiscard]] bool is_v6() const { return family_ == Family::V6; }
  [[nodiscard]] std::size_t size() const { return is_v4() ? 4 : 16; }
  [[nodiscard]] const std::uint8_t* data() const { return bytes_.data(); }
  [[nodiscard]] std::uint32_t v4_host_order() const;
  [[nodiscard]] bool is_unspecified() const;
  [[nodiscard]] std::string to_string() const;

  friend auto operator<=>(const IpAddress&, const IpAddress&) = default;

 private:
  Family family_ = Family::V4;
  std::array<std::uint8_t, 16> bytes_{};
};

// BGP Identifier (RFC 4271 §4.2): a 4-octet value written like an IPv4 address.
struct RouterId {
  std::uint32_t value = 0;  // host order
  [[nodiscard]] std::string to_string() const { return IpAddress::v4(value).to_string(); }
  friend auto operator<=>(const RouterId&, const RouterId&) = default;
};

// Address Family Identifiers (IANA) and Subsequent AFIs we name.
enum class Afi : std::uint16_t { Ipv4 = 1, Ipv6 = 2, L2vpn = 25 };
enum class Safi : std::uint8_t { Unicast = 1, Multicast = 2, Mpls = 4, Evpn = 70, MplsVpn = 128 };

struct AfiSafi {
  std::uint16_t afi = 0;
  std::uint8_t safi = 0;
  static constexpr AfiSafi ipv4_unicast() { return {1, 1}; }
  static constexpr AfiSafi ipv6_unicast() { return {2, 1}; }
  static constexpr AfiSafi l2vpn_evpn() { return {25, 70}; }
  friend auto operator<=>(const AfiSafi&, const AfiSafi&) = default;
};
// "ipv4-unicast", "l2vpn-evpn", or "afi/safi" numbers for others.
std::string to_string(AfiSafi f);

}  // namespace evpnd::bgp::wire
