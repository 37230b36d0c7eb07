#include "evpn/importer.hpp"

#include <algorithm>

namespace evpnd::evpn {

namespace {
bool importable(const EvpnRouteKey& key) {
  return std::holds_alternative<MacIpRouteKey>(key) || std::holds_alternative<ImetRouteKey>(key);
}
}  // namespace

void Importer::set_instances(std::vector<EvpnInstance> instances) {
  instances_ = std::move(instances);
  by_local_admin_.clear();
  for (std::size_t i = 0; i < instances_.size(); ++i)
    for (const auto& rt : instances_[i].import_rts) {
      auto& list = by_local_admin_[rt.local_admin];
      if (list.empty() || list.back() != i) list.push_back(i);
    }
}

void Importer::apply(const EvpnRouteKey& key, const std::optional<ImportedPath>& path,
                     std::span<const RouteTarget> route_targets, std::vector<ImportChange>& out) {
  if (!importable(key)) return;
  auto& now = now_;
  now.clear();
  if (path) {
    candidates_.clear();
    for (const auto& rt : route_targets)
      if (auto c = by_local_admin_.find(rt.local_admin); c != by_local_admin_.end())
        candidates_.insert(candidates_.end(), c->second.begin(), c->second.end());
    // In instance order, once each, as a walk over all instances would find them.
    std::sort(candidates_.begin(), candidates_.end());
    candidates_.erase(std::unique(candidates_.begin(), candidates_.end()), candidates_.end());
    for (const auto i : candidates_)
      if (imports(instances_[i], route_targets)) now.push_back(instances_[i].vni);
  }
  auto it = placed_.find(key);
  // Unchanged (a path whose targets and VTEP stay, the common case of a walk): nothing to
  // report and nothing to store again.
  if (it != placed_.end() && path && it->second.vnis == now && it->second.path == *path) return;
  if (it != placed_.end()) {
    for (const auto& vni : it->second.vnis)
      if (std::find(now.begin(), now.end(), vni) == now.end()) out.push_back({vni, key, std::nullopt});
  }
  if (now.empty()) {
    if (it != placed_.end()) placed_.erase(it);
    return;
  }
  for (const auto& vni : now) {
    const bool had = it != placed_.end() &&
                     std::find(it->second.vnis.begin(), it->second.vnis.end(), vni) != it->second.vnis.end();
    if (!had || it->second.path != *path) out.push_back({vni, key, *path});
  }
  if (it != placed_.end()) {
    it->second.vnis = now;
    it->second.path = *path;
  } else {
    placed_.emplace(key, Placement{now, *path});
  }
}

void Importer::forget_vni(Vni vni) {
  for (auto it = placed_.begin(); it != placed_.end();) {
    std::erase(it->second.vnis, vni);
    it = it->second.vnis.empty() ? placed_.erase(it) : std::next(it);
  }
}

std::size_t Importer::imported_count(Vni vni) const {
  std::size_t n = 0;
  for (const auto& [key, p] : placed_) n += std::count(p.vnis.begin(), p.vnis.end(), vni);
  return n;
}

}  // namespace evpnd::evpn
