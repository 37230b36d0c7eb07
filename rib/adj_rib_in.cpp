#include "rib/adj_rib_in.hpp"

namespace evpnd::rib {

template <class F>
AdjRibInOf<F>::AdjRibInOf() : own_(std::make_unique<Rib>()), rib_(own_.get()), id_(own_->add_peer(PeerInfo{})) {}

template <class F>
void AdjRibInOf<F>::settle() {
  if (own_) (void)own_->run_best_path();
}

template <class F>
bool AdjRibInOf<F>::announce(const Nlri& nlri, AttrRef attrs) {
  const bool fresh = rib_->announce(id_, nlri, std::move(attrs));
  settle();
  return fresh;
}

template <class F>
bool AdjRibInOf<F>::withdraw(const Nlri& nlri) {
  const bool removed = rib_->withdraw(id_, nlri);
  settle();
  return removed;
}

template <class F>
void AdjRibInOf<F>::clear() {
  rib_->withdraw_peer(id_);
  settle();
}

template <class F>
std::size_t AdjRibInOf<F>::sweep_stale() {
  const std::size_t n = rib_->sweep_stale(id_);
  settle();
  return n;
}

template class AdjRibInOf<EvpnFamily>;
template class AdjRibInOf<Ipv4UnicastFamily>;

std::vector<RibPath> AdjRibIn::sorted() const {
  std::vector<RibPath> out;
  out.reserve(size());
  for_each([&](const evpn::EvpnRouteKey& k, const EvpnRib::Path& p) {
    out.push_back(RibPath{EvpnRib::plain_nlri_of(k, p).route, p.add_path_id(), p.attrs, p.stale});
  });
  return out;
}

PathTable AdjRibIn::snapshot() const {
  PathTable t;
  for_each([&](const evpn::EvpnRouteKey& k, const EvpnRib::Path& p) { t.announce(EvpnRib::nlri_of(k, p), p.attrs); });
  return t;
}

}  // namespace evpnd::rib
