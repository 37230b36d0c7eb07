#include "rib/path_table.hpp"

#include <algorithm>

namespace evpnd::rib {

PathKey PathTable::key_of(const evpn::EvpnNlri& nlri) {
  return PathKey{evpn::route_key(nlri.route), nlri.path_id.value_or(0)};
}

bool PathTable::announce(const evpn::EvpnNlri& nlri, AttrRef attrs) {
  auto [it, inserted] = paths_.insert_or_assign(key_of(nlri), RibPath{nlri.route, nlri.path_id, std::move(attrs), false});
  (void)it;
  return inserted;
}

bool PathTable::withdraw(const evpn::EvpnNlri& nlri) { return paths_.erase(key_of(nlri)) > 0; }

const RibPath* PathTable::find(const evpn::EvpnNlri& nlri) const { return find(key_of(nlri)); }

const RibPath* PathTable::find(const PathKey& key) const {
  auto it = paths_.find(key);
  return it == paths_.end() ? nullptr : &it->second;
}

std::vector<const RibPath*> PathTable::sorted() const {
  std::vector<std::pair<const PathKey*, const RibPath*>> v;
  v.reserve(paths_.size());
  for (const auto& [k, p] : paths_) v.emplace_back(&k, &p);
  std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
    if (auto c = a.first->route <=> b.first->route; c != 0) return c < 0;
    return a.first->path_id < b.first->path_id;
  });
  std::vector<const RibPath*> out;
  out.reserve(v.size());
  for (const auto& [k, p] : v) out.push_back(p);
  return out;
}

}  // namespace evpnd::rib
