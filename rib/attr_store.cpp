#include "rib/attr_store.hpp"

#include <algorithm>
#include <cassert>

#include "rib/attr_identity.hpp"

namespace evpnd::rib {

namespace wire = bgp::wire;

AttrRef AttrStore::intern(const wire::PathAttributes& attrs) {
  const std::size_t h = attributes_hash(attrs);
  auto [first, last] = table_.equal_range(h);
  for (auto it = first; it != last; ++it)
    if (same_attributes(*it->second, attrs)) return AttrRef(it->second.get());
  auto fresh = std::make_unique<InternedAttributes>(canonical_copy(attrs), *this, h);
  const InternedAttributes* p = fresh.get();
  table_.emplace(h, std::move(fresh));
  return AttrRef(p);
}

void AttrStore::remove(const InternedAttributes* set) {
  auto [first, last] = table_.equal_range(set->hash_);
  for (auto it = first; it != last; ++it) {
    if (it->second.get() == set) {
      table_.erase(it);
      return;
    }
  }
}

// A set still referenced when its store goes would leave a dangling pointer in that
// reference; the owners (Speaker, tests) declare the store before the tables.
AttrStore::~AttrStore() { assert(table_.empty() && "an AttrRef outlives its AttrStore"); }

}  // namespace evpnd::rib
