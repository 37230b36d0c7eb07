#pragma once
// Test helper: split a captured UPDATE into its fields and raw attributes, edit them,
// and join them again with every length recomputed, so that a test can alter one
// attribute of a real message and know the offsets of what it altered.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "bgp/wire/update.hpp"
#include "support/testdata.hpp"

namespace evpnd::test {

using Bytes = std::vector<std::uint8_t>;

// One raw path attribute: flags, type, length (1 or 2 octets per the flags), value.
inline Bytes attr(std::uint8_t flags, std::uint8_t type, const Bytes& value) {
  Bytes out{flags, type};
  if (flags & 0x10) out.push_back(static_cast<std::uint8_t>(value.size() >> 8));
  out.push_back(static_cast<std::uint8_t>(value.size()));
  out.insert(out.end(), value.begin(), value.end());
  return out;
}

struct SplitUpdate {
  Bytes withdrawn;
  std::vector<Bytes> attrs;  // each a whole raw attribute
  Bytes nlri;

  // Index of the first attribute of `type`, or -1.
  [[nodiscard]] int find(std::uint8_t type) const {
    for (std::size_t i = 0; i < attrs.size(); ++i)
      if (attrs[i][1] == type) return static_cast<int>(i);
    return -1;
  }
  // Offset of attribute i in the joined message (marker included).
  [[nodiscard]] std::size_t attr_offset(std::size_t i) const {
    std::size_t off = 19 + 2 + withdrawn.size() + 2;
    for (std::size_t k = 0; k < i; ++k) off += attrs[k].size();
    return off;
  }
  [[nodiscard]] std::size_t attrs_offset() const { return 19 + 2 + withdrawn.size() + 2; }
  [[nodiscard]] std::size_t nlri_offset() const { return attr_offset(attrs.size()); }

  // The whole message: marker, length, type 2, body.
  [[nodiscard]] Bytes join() const {
    Bytes body;
    body.push_back(static_cast<std::uint8_t>(withdrawn.size() >> 8));
    body.push_back(static_cast<std::uint8_t>(withdrawn.size()));
    body.insert(body.end(), withdrawn.begin(), withdrawn.end());
    std::size_t alen = 0;
    for (const auto& a : attrs) alen += a.size();
    body.push_back(static_cast<std::uint8_t>(alen >> 8));
    body.push_back(static_cast<std::uint8_t>(alen));
    for (const auto& a : attrs) body.insert(body.end(), a.begin(), a.end());
    body.insert(body.end(), nlri.begin(), nlri.end());
    Bytes msg(16, 0xff);
    const std::size_t len = 19 + body.size();
    msg.push_back(static_cast<std::uint8_t>(len >> 8));
    msg.push_back(static_cast<std::uint8_t>(len));
    msg.push_back(2);
    msg.insert(msg.end(), body.begin(), body.end());
    return msg;
  }
};

// Splits a whole captured UPDATE (well-formed; asserts otherwise).
inline SplitUpdate split_update(const Bytes& msg) {
  SplitUpdate s;
  EXPECT_GE(msg.size(), 23u);
  std::size_t p = 19;
  const std::size_t wlen = (msg[p] << 8) | msg[p + 1];
  p += 2;
  s.withdrawn.assign(msg.begin() + static_cast<std::ptrdiff_t>(p), msg.begin() + static_cast<std::ptrdiff_t>(p + wlen));
  p += wlen;
  const std::size_t alen = (msg[p] << 8) | msg[p + 1];
  p += 2;
  const std::size_t end = p + alen;
  while (p < end) {
    const bool ext = msg[p] & 0x10;
    const std::size_t len = ext ? ((msg[p + 2] << 8) | msg[p + 3]) : msg[p + 2];
    const std::size_t total = (ext ? 4 : 3) + len;
    s.attrs.emplace_back(msg.begin() + static_cast<std::ptrdiff_t>(p), msg.begin() + static_cast<std::ptrdiff_t>(p + total));
    p += total;
  }
  EXPECT_EQ(p, end);
  s.nlri.assign(msg.begin() + static_cast<std::ptrdiff_t>(end), msg.end());
  return s;
}

inline SplitUpdate split_capture(const std::string& name) { return split_update(testdata(name)); }

// decode_update on a whole message, as message.cpp calls it.
inline bgp::wire::Result<bgp::wire::DecodedUpdate, bgp::wire::DecodeError> decode_whole(
    const Bytes& msg, const bgp::wire::DecodeContext& ctx = {}) {
  return bgp::wire::decode_update(std::span<const std::uint8_t>(msg).subspan(19), ctx, 19);
}

}  // namespace evpnd::test
