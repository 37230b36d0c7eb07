#pragma once
// One source's EVPN Adj-RIB-In (RFC 4271 §3.2: the routes as received, with the RFC 7313
// stale marks) that keeps the Loc-RIB in step: every path it gains or loses is announced
// to or withdrawn from the EvpnRib under the source's PeerId. Detached (no RIB), it is a
// plain table, as the codec tools and the inbound tests use it.
//
// The path is held twice (here and in the Loc-RIB entry; the attributes are shared): the
// RIB issue's memory work folds this view into the Loc-RIB as a per-peer index.
#include <cstddef>
#include <vector>

#include "rib/evpn_rib.hpp"
#include "rib/path_table.hpp"

namespace evpnd::rib {

class AdjRibIn {
 public:
  AdjRibIn() = default;
  AdjRibIn(EvpnRib& rib, PeerId id) : rib_(&rib), id_(id) {}
  AdjRibIn(const AdjRibIn&) = delete;
  AdjRibIn& operator=(const AdjRibIn&) = delete;

  bool announce(const evpn::EvpnNlri& nlri, AttrRef attrs);
  bool withdraw(const evpn::EvpnNlri& nlri);
  void clear();
  std::size_t mark_stale() { return table_.mark_stale(); }
  std::size_t sweep_stale();

  [[nodiscard]] PeerId id() const { return id_; }
  [[nodiscard]] const PathTable& table() const { return table_; }
  [[nodiscard]] std::size_t size() const { return table_.size(); }
  [[nodiscard]] const RibPath* find(const evpn::EvpnNlri& nlri) const { return table_.find(nlri); }
  [[nodiscard]] const RibPath* find(const PathKey& key) const { return table_.find(key); }
  [[nodiscard]] std::vector<const RibPath*> sorted() const { return table_.sorted(); }
  [[nodiscard]] std::vector<PathKey> sorted_keys() const { return table_.sorted_keys(); }

 private:
  EvpnRib* rib_ = nullptr;
  PeerId id_{};
  PathTable table_;
};

using OriginatedRoutes = AdjRibIn;

}  // namespace evpnd::rib
