// Unicast NLRI encoding (RFC 4271 §4.3 "Network Layer Reachability Information", RFC 4760
// §5 for IPv6) with the RFC 7911 §3 path identifier when ADD-PATH is negotiated for the
// family, and the next hop of MP_REACH_NLRI.
//
// Each prefix is <length octet, ceil(length/8) octets of address>. Bits past the prefix
// length are "irrelevant" (RFC 4271 §4.3): we zero them on decode, so two encodings of
// the same prefix compare equal, and we write them as zero.
#include <array>
#include <cstring>
#include <string>

#include "bgp/wire/attributes_internal.hpp"
#include "bgp/wire/reader.hpp"
#include "bgp/wire/update.hpp"
#include "bgp/wire/writer.hpp"

namespace evpnd::bgp::wire {

namespace {

DecodeError network_error(std::size_t offset, std::string why) {
  return detail::update_error(UpdateSubcode::InvalidNetworkField, offset, std::move(why));
}

}  // namespace

Result<std::vector<Prefix>, DecodeError> decode_prefixes(ByteSpan data, IpAddress::Family family,
                                                         bool add_path, std::size_t base_offset) {
  const bool v4 = family == IpAddress::Family::V4;
  const unsigned max_bits = v4 ? 32 : 128;
  std::vector<Prefix> out;
  Reader r(data, base_offset);
  while (!r.empty()) {
    const std::size_t start = r.offset();
    Prefix p;
    if (add_path) {
      // RFC 7911 §3: a 4-octet Path Identifier precedes each prefix.
      auto id = r.u32();
      if (!id) return fail(network_error(start, "prefix truncated inside its path identifier"));
      p.path_id = *id;
    }
    auto len = r.u8();
    if (!len) return fail(network_error(start, "prefix truncated before its length"));
    // RFC 7606 §5.3: a length longer than the address makes the field syntactically
    // incorrect (we cannot know where the next prefix starts).
    if (*len > max_bits)
      return fail(network_error(start, "prefix length " + std::to_string(*len) + " exceeds " +
                                           std::to_string(max_bits)));
    const std::size_t nbytes = (*len + 7u) / 8u;
    auto bytes = r.bytes(nbytes);
    if (!bytes)
      return fail(network_error(start, "prefix /" + std::to_string(*len) + " overruns the field"));
    std::array<std::uint8_t, 16> buf{};
    if (nbytes != 0) std::memcpy(buf.data(), bytes->data(), nbytes);
    if (const unsigned rem = *len % 8u; rem != 0) buf[nbytes - 1] &= static_cast<std::uint8_t>(0xFFu << (8u - rem));
    p.address = v4 ? IpAddress::v4(std::array<std::uint8_t, 4>{buf[0], buf[1], buf[2], buf[3]}) : IpAddress::v6(buf);
    p.length = *len;
    out.push_back(p);
  }
  return out;
}

void encode_prefixes(const std::vector<Prefix>& prefixes, bool add_path, ByteVec& out) {
  Writer w(out);
  for (const Prefix& p : prefixes) {
    if (add_path) w.u32(p.path_id.value_or(0));
    // A length beyond the address size is clamped: we never write what we could not read.
    const unsigned max_bits = static_cast<unsigned>(p.address.size() * 8);
    const unsigned len = p.length > max_bits ? max_bits : p.length;
    w.u8(static_cast<std::uint8_t>(len));
    const std::size_t nbytes = (len + 7u) / 8u;
    for (std::size_t i = 0; i < nbytes; ++i) {
      std::uint8_t b = p.address.data()[i];
      if (i + 1 == nbytes && len % 8u != 0) b &= static_cast<std::uint8_t>(0xFFu << (8u - len % 8u));
      w.u8(b);
    }
  }
}

std::optional<IpAddress> MpReach::next_hop_address() const {
  // RFC 4760 §3 leaves the next-hop format to the family: 4 octets IPv4; 16 IPv6 global;
  // 32 IPv6 global + link-local (RFC 2545 §3), of which the global one comes first.
  if (next_hop.size() == 4) return IpAddress::v4(std::array<std::uint8_t, 4>{next_hop[0], next_hop[1], next_hop[2], next_hop[3]});
  if (next_hop.size() == 16 || next_hop.size() == 32) {
    std::array<std::uint8_t, 16> b{};
    std::memcpy(b.data(), next_hop.data(), 16);
    return IpAddress::v6(b);
  }
  return std::nullopt;
}

}  // namespace evpnd::bgp::wire
