#include "rib/attr_store.hpp"

#include <algorithm>

#include "rib/attr_identity.hpp"

namespace evpnd::rib {

namespace wire = bgp::wire;

AttrRef AttrStore::intern(const wire::PathAttributes& attrs) {
  const std::size_t h = attributes_hash(attrs);
  auto [first, last] = table_.equal_range(h);
  for (auto it = first; it != last; ++it)
    if (auto live = it->second.lock(); live && same_attributes(*live, attrs)) return live;

  if (table_.size() >= sweep_at_) sweep();
  auto fresh = std::make_shared<const InternedAttributes>(canonical_copy(attrs));
  table_.emplace(h, fresh);
  return fresh;
}

std::size_t AttrStore::live_entries() const {
  std::size_t n = 0;
  for (const auto& [k, w] : table_)
    if (!w.expired()) ++n;
  return n;
}

void AttrStore::sweep() {
  std::erase_if(table_, [](const auto& kv) { return kv.second.expired(); });
  sweep_at_ = std::max(kMinSweep, 2 * table_.size());
}

}  // namespace evpnd::rib
