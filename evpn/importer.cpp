#include "evpn/importer.hpp"

#include <algorithm>

namespace evpnd::evpn {

namespace {
bool importable(const EvpnRouteKey& key) {
  return std::holds_alternative<MacIpRouteKey>(key) || std::holds_alternative<ImetRouteKey>(key);
}
}  // namespace

void Importer::apply(const EvpnRouteKey& key, const std::optional<ImportedPath>& path,
                     std::span<const RouteTarget> route_targets, std::vector<ImportChange>& out) {
  if (!importable(key)) return;
  std::vector<Vni> now;
  if (path) {
    for (const auto& inst : instances_)
      if (imports(inst, route_targets)) now.push_back(inst.vni);
  }
  auto it = placed_.find(key);
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
  placed_.insert_or_assign(key, Placement{std::move(now), *path});
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
