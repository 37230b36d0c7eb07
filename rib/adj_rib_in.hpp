#pragma once
// One source's EVPN Adj-RIB-In (RFC 4271 §3.2: the routes as received, with the RFC 7313
// stale marks): a view of the Loc-RIB's paths that carry the source's PeerId, so every
// path is held once. Detached (default-constructed), it owns a RIB of its own and is a
// plain table, as the codec tools and the inbound tests use it.
#include <cstddef>
#include <memory>
#include <vector>

#include "rib/evpn_rib.hpp"
#include "rib/path_table.hpp"

namespace evpnd::rib {

class AdjRibIn {
 public:
  AdjRibIn();
  AdjRibIn(EvpnRib& rib, PeerId id) : rib_(&rib), id_(id) {}
  AdjRibIn(const AdjRibIn&) = delete;
  AdjRibIn& operator=(const AdjRibIn&) = delete;

  // True: the key (with its path id) was new for this source.
  bool announce(const evpn::EvpnNlri& nlri, AttrRef attrs);
  bool withdraw(const evpn::EvpnNlri& nlri);
  void clear();
  std::size_t mark_stale() { return rib_->mark_stale(id_); }
  std::size_t sweep_stale();

  [[nodiscard]] PeerId id() const { return id_; }
  [[nodiscard]] std::size_t size() const { return rib_->paths_of(id_); }
  [[nodiscard]] const EvpnRib::Path* find(const evpn::EvpnNlri& nlri) const {
    return rib_->find_path(id_, PathTable::key_of(nlri));
  }
  // The source's routes in key order, as received (for show, tools and tests: a copy).
  [[nodiscard]] std::vector<RibPath> sorted() const;
  [[nodiscard]] PathTable snapshot() const;

 private:
  // Detached: nobody else runs best path, so each change is settled at once (the entry
  // of a withdrawn key goes, and the dirty list stays empty).
  void settle();

  std::unique_ptr<EvpnRib> own_;
  EvpnRib* rib_ = nullptr;
  PeerId id_{};
};

using OriginatedRoutes = AdjRibIn;

}  // namespace evpnd::rib
