#pragma once
// Finds the EVPN pieces of a captured UPDATE: the MP_REACH_NLRI / MP_UNREACH_NLRI NLRI
// field with its offset in the message, and the EXTENDED_COMMUNITIES values in wire order.
// The values come from wire::decode_update; the offset (which the message model does not
// keep) from walking the path attributes by hand (RFC 4271 §4.3, RFC 4760 §3-4), and the
// two must agree byte for byte.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "bgp/wire/bytes.hpp"
#include "bgp/wire/update.hpp"

namespace evpnd::test {

struct CapturedAttrs {
  bool is_update = false;
  // MP_REACH (14) or MP_UNREACH (15) for AFI 25 / SAFI 70, if present.
  std::optional<std::uint8_t> mp_type;
  bgp::wire::ByteSpan nlri;       // the NLRI field
  std::size_t nlri_offset = 0;    // offset of nlri[0] in the whole message
  std::vector<bgp::wire::ExtendedCommunity> ext_communities;
};

inline std::uint16_t be16_at(const std::vector<std::uint8_t>& m, std::size_t at) {
  return static_cast<std::uint16_t>((m[at] << 8) | m[at + 1]);
}

// `msg` is a whole message (marker included). Fails the test on malformed framing.
inline CapturedAttrs locate_by_hand(const std::vector<std::uint8_t>& msg) {
  CapturedAttrs out;
  if (msg.size() < 19 || msg[18] != 2) return out;  // not an UPDATE
  out.is_update = true;
  std::size_t pos = 19;
  const std::size_t withdrawn = be16_at(msg, pos);
  pos += 2 + withdrawn;
  const std::size_t attrs_len = be16_at(msg, pos);
  pos += 2;
  const std::size_t end = pos + attrs_len;
  EXPECT_LE(end, msg.size());
  while (pos < end) {
    const std::uint8_t flags = msg[pos];
    const std::uint8_t type = msg[pos + 1];
    std::size_t len = 0;
    if (flags & 0x10) {
      len = be16_at(msg, pos + 2);
      pos += 4;
    } else {
      len = msg[pos + 2];
      pos += 3;
    }
    const std::size_t value = pos;
    pos += len;
    EXPECT_LE(pos, end);
    if (type == 14 || type == 15) {
      const std::uint16_t afi = be16_at(msg, value);
      const std::uint8_t safi = msg[value + 2];
      if (afi != 25 || safi != 70) continue;
      std::size_t nlri_at = value + 3;
      if (type == 14) nlri_at += 1 + msg[value + 3] + 1;  // next-hop length, next hop, reserved
      out.mp_type = type;
      out.nlri = bgp::wire::ByteSpan(msg.data() + nlri_at, pos - nlri_at);
      out.nlri_offset = nlri_at;
    } else if (type == 16) {
      EXPECT_EQ(len % 8, 0u);
      for (std::size_t i = 0; i + 8 <= len; i += 8) {
        bgp::wire::ExtendedCommunity c;
        for (std::size_t j = 0; j < 8; ++j) c.bytes[j] = msg[value + i + j];
        out.ext_communities.push_back(c);
      }
    }
  }
  return out;
}

inline CapturedAttrs parse_capture(const std::vector<std::uint8_t>& msg) {
  CapturedAttrs out = locate_by_hand(msg);
  if (!out.is_update) return out;
  namespace wire = bgp::wire;
  const wire::ByteSpan body(msg.data() + wire::kHeaderSize, msg.size() - wire::kHeaderSize);
  auto decoded = wire::decode_update(body, wire::CodecContext{});
  EXPECT_TRUE(decoded.ok()) << (decoded.ok() ? "" : decoded.error().reason);
  if (!decoded.ok()) return out;
  const wire::PathAttributes& a = decoded->update.attrs;
  EXPECT_EQ(a.extended_communities, out.ext_communities);
  const wire::ByteVec by_hand(out.nlri.begin(), out.nlri.end());
  if (out.mp_type == 14) {
    EXPECT_TRUE(a.mp_reach && a.mp_reach->family == wire::AfiSafi::l2vpn_evpn());
    if (a.mp_reach) {
      EXPECT_EQ(a.mp_reach->nlri, by_hand);
    }
  } else if (out.mp_type == 15) {
    EXPECT_TRUE(a.mp_unreach && a.mp_unreach->family == wire::AfiSafi::l2vpn_evpn());
    if (a.mp_unreach) {
      EXPECT_EQ(a.mp_unreach->nlri, by_hand);
    }
  } else {
    EXPECT_FALSE(a.mp_reach && a.mp_reach->family == wire::AfiSafi::l2vpn_evpn());
    EXPECT_FALSE(a.mp_unreach && a.mp_unreach->family == wire::AfiSafi::l2vpn_evpn());
  }
  return out;
}

}  // namespace evpnd::test
