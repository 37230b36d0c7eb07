#include "rib/adj_rib_in.hpp"

namespace evpnd::rib {

bool AdjRibIn::announce(const evpn::EvpnNlri& nlri, AttrRef attrs) {
  if (rib_) rib_->announce(id_, nlri, attrs);
  return table_.announce(nlri, std::move(attrs));
}

bool AdjRibIn::withdraw(const evpn::EvpnNlri& nlri) {
  if (!table_.withdraw(nlri)) return false;
  if (rib_) rib_->withdraw(id_, nlri);
  return true;
}

void AdjRibIn::clear() {
  if (rib_) rib_->withdraw_peer(id_);
  table_.clear();
}

std::size_t AdjRibIn::sweep_stale() {
  if (rib_) {
    for (const auto& k : table_.sorted_keys()) {
      const RibPath* p = table_.find(k);
      if (p && p->stale) rib_->withdraw(id_, k);
    }
  }
  return table_.sweep_stale();
}

}  // namespace evpnd::rib
