#pragma once
// Test helpers shared by the UPDATE codec tests: addresses, AS paths, and the attribute
// headers of an encoded UPDATE body.
#include <cstdint>
#include <initializer_list>
#include <vector>

#include "bgp/wire/update.hpp"
#include "unit/wire/update_builder.hpp"

namespace evpnd::bgp::wire::update_test {

using test::Bytes;

inline IpAddress ip(const char* s) { return *IpAddress::parse(s); }

inline AsPath path(std::initializer_list<AsPathSegment> segs) { return AsPath{std::vector<AsPathSegment>(segs)}; }
inline AsPathSegment seq(std::vector<std::uint32_t> a) { return {AsPathSegmentType::Sequence, std::move(a)}; }
inline AsPathSegment set(std::vector<std::uint32_t> a) { return {AsPathSegmentType::Set, std::move(a)}; }
inline AsPathSegment cseq(std::vector<std::uint32_t> a) { return {AsPathSegmentType::ConfedSequence, std::move(a)}; }
inline AsPathSegment cset(std::vector<std::uint32_t> a) { return {AsPathSegmentType::ConfedSet, std::move(a)}; }

// The attribute headers (flags, type) of an encoded body, in order.
inline std::vector<PathAttributes::Slot> headers(const Bytes& body) {
  std::vector<PathAttributes::Slot> out;
  std::size_t p = 2 + ((body[0] << 8) | body[1]);
  const std::size_t end = p + 2 + ((body[p] << 8) | body[p + 1]);
  p += 2;
  while (p < end) {
    const bool ext = body[p] & 0x10;
    out.push_back({body[p + 1], body[p]});
    p += (ext ? 4 : 3) + (ext ? ((body[p + 2] << 8) | body[p + 3]) : body[p + 2]);
  }
  return out;
}

}  // namespace evpnd::bgp::wire::update_test
