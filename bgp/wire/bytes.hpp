#pragma once
// Byte vocabulary of the codec. We use std::uint8_t rather than std::byte: the codec
// does arithmetic on almost every byte it reads, and the Reader/Writer are the only
// places that touch raw buffers, so the extra type safety of std::byte buys little.
#include <cstdint>
#include <span>
#include <vector>

namespace evpnd::bgp::wire {

using ByteSpan = std::span<const std::uint8_t>;
using ByteVec = std::vector<std::uint8_t>;

}  // namespace evpnd::bgp::wire
