#include "rib/attr_store.hpp"

#include <algorithm>

#include "bgp/wire/context.hpp"

namespace evpnd::rib {

namespace wire = bgp::wire;

wire::PathAttributes canonical_attributes(wire::PathAttributes attrs) {
  if (attrs.mp_reach) {
    attrs.mp_reach->nlri.clear();
    attrs.mp_reach->prefixes.clear();
  }
  attrs.mp_unreach.reset();
  attrs.wire_order.clear();
  return attrs;
}

AttrRef AttrStore::intern(wire::PathAttributes attrs) {
  attrs = canonical_attributes(std::move(attrs));
  // The encoding of an UPDATE that carries only these attributes is a faithful
  // identity: two sets encode alike exactly when they are equal.
  wire::UpdateMessage m;
  m.attrs = attrs;
  wire::ByteVec bytes;
  wire::encode_update_body(m, wire::CodecContext{}, bytes);
  std::string key(bytes.begin(), bytes.end());

  if (table_.size() >= sweep_at_) sweep();

  auto& slot = table_[key];
  if (auto live = slot.lock()) return live;
  auto fresh = std::make_shared<const InternedAttributes>(std::move(attrs));
  slot = fresh;
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
