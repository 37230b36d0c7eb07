#pragma once
// The order of route keys, fast: the same order as EvpnRouteKey's operator<=> (route type,
// then the key's fields in declaration order), computed by comparing fields packed into
// big-endian integers instead of one memcmp call per byte array. Tables keyed by route
// key spend most of their lookup time here (a B-tree of a million keys compares ~20 times
// per lookup), and the defaulted comparison calls memcmp three or four times per compare.
// Types 2, 3 and 5, the ones a fabric holds by the million, take the fast way; the others
// use operator<=>. The unit test checks both orders agree.
#include <compare>

#include "evpn/nlri.hpp"

namespace evpnd::evpn {

std::strong_ordering compare_keys(const EvpnRouteKey& a, const EvpnRouteKey& b);

struct RouteKeyLess {
  bool operator()(const EvpnRouteKey& a, const EvpnRouteKey& b) const { return compare_keys(a, b) < 0; }
};

}  // namespace evpnd::evpn
