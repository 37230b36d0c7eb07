// Capability values (RFC 5492 §4). Each decoder checks the exact shape of its value and
// falls back to UnknownCap when the shape is wrong, so that a peer's malformed or
// future-extended capability never costs us the session and re-encoding stays
// byte-exact. The one exception is the 4-octet AS capability (see decode_capability).
#include "bgp/wire/capabilities.hpp"

#include <algorithm>
#include <string>

#include "bgp/wire/reader.hpp"

namespace evpnd::bgp::wire {
namespace {

constexpr std::size_t kMaxCapabilityValue = 255;  // 1-octet Capability Length

template <class... Fs>
struct Overloaded : Fs... {
  using Fs::operator()...;
};
template <class... Fs>
Overloaded(Fs...) -> Overloaded<Fs...>;

std::optional<Capability> decode_multiprotocol(Reader r) {
  // RFC 4760 §8: AFI (2), Reserved (1), SAFI (1).
  if (r.remaining() != 4) return std::nullopt;
  MultiprotocolCap c;
  c.family.afi = *r.u16();
  c.reserved = *r.u8();
  c.family.safi = *r.u8();
  return c;
}

std::optional<Capability> decode_extended_next_hop(Reader r) {
  // RFC 8950 §3: one or more (NLRI AFI 2, NLRI SAFI 2, Next Hop AFI 2) triples.
  if (r.empty() || r.remaining() % 6 != 0) return std::nullopt;
  ExtendedNextHopCap c;
  while (!r.empty()) {
    ExtendedNextHopCap::Entry e;
    e.nlri_afi = *r.u16();
    e.nlri_safi = *r.u16();
    e.next_hop_afi = *r.u16();
    c.entries.push_back(e);
  }
  return c;
}

std::optional<Capability> decode_graceful_restart(Reader r) {
  // RFC 4724 §3: Restart Flags (4 bits) + Restart Time (12 bits), then zero or more
  // (AFI 2, SAFI 1, Flags 1) tuples.
  if (r.remaining() < 2 || (r.remaining() - 2) % 4 != 0) return std::nullopt;
  GracefulRestartCap c;
  const std::uint16_t head = *r.u16();
  c.flags = static_cast<std::uint8_t>(head >> 12);
  c.restart_time = static_cast<std::uint16_t>(head & 0x0FFF);
  while (!r.empty()) {
    GracefulRestartCap::Entry e;
    e.family.afi = *r.u16();
    e.family.safi = *r.u8();
    e.flags = *r.u8();
    c.entries.push_back(e);
  }
  return c;
}

std::optional<Capability> decode_add_path(Reader r) {
  // RFC 7911 §4: (AFI 2, SAFI 1, Send/Receive 1) tuples. "If any other value is received
  // [for Send/Receive], then the capability SHOULD be treated as not understood and
  // ignored" -- so an unknown direction makes the whole capability an UnknownCap.
  if (r.empty() || r.remaining() % 4 != 0) return std::nullopt;
  AddPathCap c;
  while (!r.empty()) {
    AddPathCap::Entry e;
    e.family.afi = *r.u16();
    e.family.safi = *r.u8();
    const std::uint8_t dir = *r.u8();
    if (dir < 1 || dir > 3) return std::nullopt;
    e.direction = static_cast<AddPathDirection>(dir);
    c.entries.push_back(e);
  }
  return c;
}

std::optional<Capability> decode_fqdn(Reader r) {
  // draft-walton-bgp-hostname-capability §3, as FRR sends it: hostname length (1),
  // hostname, domain length (1), domain. Both parts must be present and fill the value.
  auto take_string = [&r]() -> std::optional<std::string> {
    auto len = r.u8();
    if (!len) return std::nullopt;
    auto b = r.bytes(*len);
    if (!b) return std::nullopt;
    return std::string(b->begin(), b->end());
  };
  FqdnCap c;
  auto host = take_string();
  if (!host) return std::nullopt;
  auto domain = take_string();
  if (!domain || !r.empty()) return std::nullopt;
  c.hostname = std::move(*host);
  c.domain = std::move(*domain);
  return c;
}

// Cuts a string so that it fits in `room` octets.
std::string_view fit(const std::string& s, std::size_t room) {
  return std::string_view(s).substr(0, std::min(s.size(), room));
}

}  // namespace

std::uint8_t capability_code(const Capability& c) {
  return std::visit(
      Overloaded{
          [](const MultiprotocolCap&) { return std::uint8_t{1}; },
          [](const RouteRefreshCap&) { return std::uint8_t{2}; },
          [](const ExtendedNextHopCap&) { return std::uint8_t{5}; },
          [](const ExtendedMessageCap&) { return std::uint8_t{6}; },
          [](const GracefulRestartCap&) { return std::uint8_t{64}; },
          [](const FourOctetAsCap&) { return std::uint8_t{65}; },
          [](const AddPathCap&) { return std::uint8_t{69}; },
          [](const EnhancedRouteRefreshCap&) { return std::uint8_t{70}; },
          [](const FqdnCap&) { return std::uint8_t{73}; },
          [](const UnknownCap& u) { return u.code; },
      },
      c);
}

Result<Capability, DecodeError> decode_capability(std::uint8_t code, ByteSpan value, std::size_t length_offset) {
  const Reader r(value, length_offset + 1);
  std::optional<Capability> decoded;
  switch (static_cast<CapabilityCode>(code)) {
    case CapabilityCode::Multiprotocol: decoded = decode_multiprotocol(r); break;
    case CapabilityCode::RouteRefresh:
      if (value.empty()) decoded = RouteRefreshCap{};
      break;
    case CapabilityCode::ExtendedNextHop: decoded = decode_extended_next_hop(r); break;
    case CapabilityCode::ExtendedMessage:
      if (value.empty()) decoded = ExtendedMessageCap{};
      break;
    case CapabilityCode::GracefulRestart: decoded = decode_graceful_restart(r); break;
    case CapabilityCode::FourOctetAs:
      // RFC 6793 §3: the capability value is the 4-octet AS number. Unlike the other
      // capabilities we do not ignore a malformed one: the peer's AS would silently fall
      // back to the 2-octet field (possibly AS_TRANS) and the session would come up with
      // the wrong AS.
      if (value.size() != 4) {
        return fail(DecodeError::make(ErrorCode::OpenMessage, static_cast<std::uint8_t>(OpenSubcode::Unspecific),
                                      length_offset,
                                      "4-octet AS capability has length " + std::to_string(value.size()) +
                                          ", must be 4 (RFC 6793 section 3)"));
      }
      decoded = FourOctetAsCap{Asn{(std::uint32_t{value[0]} << 24) | (std::uint32_t{value[1]} << 16) |
                                   (std::uint32_t{value[2]} << 8) | std::uint32_t{value[3]}}};
      break;
    case CapabilityCode::AddPath: decoded = decode_add_path(r); break;
    case CapabilityCode::EnhancedRouteRefresh:
      if (value.empty()) decoded = EnhancedRouteRefreshCap{};
      break;
    case CapabilityCode::Fqdn: decoded = decode_fqdn(r); break;
    case CapabilityCode::LongLivedGracefulRestart:
    case CapabilityCode::RouteRefreshOld:
      break;  // not modelled: kept byte for byte
  }
  if (decoded) return std::move(*decoded);
  return Capability{UnknownCap{code, ByteVec(value.begin(), value.end())}};
}

void encode_capability(const Capability& c, Writer& w) {
  w.u8(capability_code(c));
  const std::size_t slot = w.reserve_u8();
  std::visit(Overloaded{
                 [&](const MultiprotocolCap& v) {
                   w.u16(v.family.afi);
                   w.u8(v.reserved);
                   w.u8(v.family.safi);
                 },
                 [](const RouteRefreshCap&) {},
                 [&](const ExtendedNextHopCap& v) {
                   const std::size_t n = std::min(v.entries.size(), kMaxCapabilityValue / 6);
                   for (std::size_t i = 0; i < n; ++i) {
                     w.u16(v.entries[i].nlri_afi);
                     w.u16(v.entries[i].nlri_safi);
                     w.u16(v.entries[i].next_hop_afi);
                   }
                 },
                 [](const ExtendedMessageCap&) {},
                 [&](const GracefulRestartCap& v) {
                   w.u16(static_cast<std::uint16_t>(((v.flags & 0x0F) << 12) | (v.restart_time & 0x0FFF)));
                   const std::size_t n = std::min(v.entries.size(), (kMaxCapabilityValue - 2) / 4);
                   for (std::size_t i = 0; i < n; ++i) {
                     w.u16(v.entries[i].family.afi);
                     w.u8(v.entries[i].family.safi);
                     w.u8(v.entries[i].flags);
                   }
                 },
                 [&](const FourOctetAsCap& v) { w.u32(v.asn.value); },
                 [&](const AddPathCap& v) {
                   const std::size_t n = std::min(v.entries.size(), kMaxCapabilityValue / 4);
                   for (std::size_t i = 0; i < n; ++i) {
                     w.u16(v.entries[i].family.afi);
                     w.u8(v.entries[i].family.safi);
                     w.u8(static_cast<std::uint8_t>(v.entries[i].direction));
                   }
                 },
                 [](const EnhancedRouteRefreshCap&) {},
                 [&](const FqdnCap& v) {
                   // Two length octets plus both strings must fit in 255.
                   const std::string_view host = fit(v.hostname, kMaxCapabilityValue - 2);
                   const std::string_view domain = fit(v.domain, kMaxCapabilityValue - 2 - host.size());
                   w.u8(static_cast<std::uint8_t>(host.size()));
                   w.bytes(ByteSpan(reinterpret_cast<const std::uint8_t*>(host.data()), host.size()));
                   w.u8(static_cast<std::uint8_t>(domain.size()));
                   w.bytes(ByteSpan(reinterpret_cast<const std::uint8_t*>(domain.data()), domain.size()));
                 },
                 [&](const UnknownCap& v) {
                   w.bytes(ByteSpan(v.value).first(std::min(v.value.size(), kMaxCapabilityValue)));
                 },
             },
             c);
  w.patch_u8(slot);
}

}  // namespace evpnd::bgp::wire
