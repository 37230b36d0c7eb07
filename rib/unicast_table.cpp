#include "rib/unicast_table.hpp"

namespace evpnd::rib {

bool UnicastTable::announce(const bgp::wire::Prefix& p, AttrRef attrs) {
  auto [it, inserted] = paths_.insert_or_assign(p, Path{std::move(attrs), false});
  (void)it;
  return inserted;
}

bool UnicastTable::withdraw(const bgp::wire::Prefix& p) { return paths_.erase(p) > 0; }

std::size_t UnicastTable::mark_stale() {
  for (auto& [p, path] : paths_) path.stale = true;
  return paths_.size();
}

std::size_t UnicastTable::sweep_stale() {
  return std::erase_if(paths_, [](const auto& kv) { return kv.second.stale; });
}

}  // namespace evpnd::rib
