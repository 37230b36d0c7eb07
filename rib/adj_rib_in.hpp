#pragma once
// One source's Adj-RIB-In of one family (RFC 4271 §3.2: the routes as received, with the
// RFC 7313 stale marks): a view of the Loc-RIB's paths that carry the source's PeerId,
// so every path is held once. Detached (default-constructed), it owns a RIB of its own
// and is a plain table, as the codec tools and the inbound tests use it.
#include <cstddef>
#include <memory>
#include <vector>

#include "rib/loc_rib.hpp"
#include "rib/path_table.hpp"

namespace evpnd::rib {

template <class F>
class AdjRibInOf {
 public:
  using Rib = LocRib<F>;
  using Nlri = typename F::Nlri;
  AdjRibInOf();
  AdjRibInOf(Rib& rib, PeerId id) : rib_(&rib), id_(id) {}
  AdjRibInOf(const AdjRibInOf&) = delete;
  AdjRibInOf& operator=(const AdjRibInOf&) = delete;

  // True: the key (with its path id) was new for this source.
  bool announce(const Nlri& nlri, AttrRef attrs);
  bool withdraw(const Nlri& nlri);
  void clear();
  std::size_t mark_stale() { return rib_->mark_stale(id_); }
  std::size_t sweep_stale();

  [[nodiscard]] PeerId id() const { return id_; }
  [[nodiscard]] std::size_t size() const { return rib_->paths_of(id_); }
  [[nodiscard]] const typename Rib::Path* find(const Nlri& nlri) const {
    return rib_->find_path(id_, F::key(nlri), F::path_id(nlri).value_or(0));
  }
  // The source's paths in key order.
  void for_each(const std::function<void(const typename F::Key&, const typename Rib::Path&)>& f) const {
    rib_->for_each_path(id_, f);
  }

 private:
  // Detached: nobody else runs best path, so each change is settled at once (the entry
  // of a withdrawn key goes, and the dirty list stays empty).
  void settle();

  std::unique_ptr<Rib> own_;
  Rib* rib_ = nullptr;
  PeerId id_{};
};

extern template class AdjRibInOf<EvpnFamily>;
extern template class AdjRibInOf<Ipv4UnicastFamily>;

// l2vpn evpn's, with the copies show, the tools and the tests take of it.
class AdjRibIn : public AdjRibInOf<EvpnFamily> {
 public:
  using AdjRibInOf::AdjRibInOf;
  // The source's routes in key order, as received.
  [[nodiscard]] std::vector<RibPath> sorted() const;
  [[nodiscard]] PathTable snapshot() const;
};

using Ipv4AdjRibIn = AdjRibInOf<Ipv4UnicastFamily>;
using OriginatedRoutes = AdjRibIn;
using OriginatedPrefixes = Ipv4AdjRibIn;

}  // namespace evpnd::rib
