#include "rib/adj_rib_in.hpp"

namespace evpnd::rib {

AdjRibIn::AdjRibIn() : own_(std::make_unique<EvpnRib>()), rib_(own_.get()), id_(own_->add_peer(PeerInfo{})) {}

void AdjRibIn::settle() {
  if (own_) (void)own_->run_best_path();
}

bool AdjRibIn::announce(const evpn::EvpnNlri& nlri, AttrRef attrs) {
  const bool fresh = rib_->announce(id_, nlri, std::move(attrs));
  settle();
  return fresh;
}

bool AdjRibIn::withdraw(const evpn::EvpnNlri& nlri) {
  const bool removed = rib_->withdraw(id_, nlri);
  settle();
  return removed;
}

void AdjRibIn::clear() {
  rib_->withdraw_peer(id_);
  settle();
}

std::size_t AdjRibIn::sweep_stale() {
  const std::size_t n = rib_->sweep_stale(id_);
  settle();
  return n;
}

std::vector<RibPath> AdjRibIn::sorted() const {
  std::vector<RibPath> out;
  out.reserve(size());
  rib_->for_each_path(id_, [&](const evpn::EvpnRouteKey& k, const EvpnRib::Path& p) {
    out.push_back(RibPath{EvpnRib::route_of(k, p), p.add_path_id(), p.attrs, p.stale});
  });
  return out;
}

PathTable AdjRibIn::snapshot() const {
  PathTable t;
  rib_->for_each_path(id_, [&](const evpn::EvpnRouteKey& k, const EvpnRib::Path& p) {
    t.announce(evpn::EvpnNlri{p.add_path_id(), EvpnRib::route_of(k, p)}, p.attrs);
  });
  return t;
}

}  // namespace evpnd::rib
