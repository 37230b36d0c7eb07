#pragma once
// What makes two path attribute sets the same set, for interning (AttrStore): every
// decoded field, except what belongs to one message rather than to the paths it carries
// (the order and flags the attributes arrived in, the NLRI inside MP_REACH_NLRI, and
// MP_UNREACH_NLRI). Hash and equality work on the decoded fields directly, so looking a
// set up encodes nothing and copies nothing.
#include <cstddef>

#include "bgp/wire/update.hpp"

namespace evpnd::rib {

std::size_t attributes_hash(const bgp::wire::PathAttributes& a);
bool same_attributes(const bgp::wire::PathAttributes& a, const bgp::wire::PathAttributes& b);
// A copy of `a` without the per-message parts (what the store keeps).
bgp::wire::PathAttributes canonical_copy(const bgp::wire::PathAttributes& a);

}  // namespace evpnd::rib
