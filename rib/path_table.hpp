#pragma once
// A table of EVPN paths keyed by the RFC 7432 §7 route key plus the ADD-PATH path
// identifier. The full route value (ESI, labels) is kept beside the key because it is an
// attribute of the path, not part of its identity (INTEROP §11). It holds copies taken
// for show: a peer's Adj-RIB-In (AdjRibIn::snapshot; the RIB itself keeps the paths in
// EvpnRib) and what a peer was sent (Speaker::advertised_routes).
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <unordered_map>
#include <vector>

#include "evpn/nlri.hpp"
#include "rib/attr_store.hpp"

namespace evpnd::rib {

struct PathKey {
  evpn::EvpnRouteKey route;
  std::uint32_t path_id = 0;  // 0 without ADD-PATH
  friend bool operator==(const PathKey&, const PathKey&) = default;
};

struct PathKeyHash {
  std::size_t operator()(const PathKey& k) const {
    return std::hash<evpn::EvpnRouteKey>{}(k.route) * 31 + k.path_id;
  }
};

struct RibPath {
  evpn::EvpnRoute route;
  std::optional<std::uint32_t> path_id;
  AttrRef attrs;
  bool stale = false;  // RFC 7313 §4, as EvpnRib::Path has it
};

class PathTable {
 public:
  // Adds or replaces (an implicit withdraw of the previous path with the same key).
  // Returns true if the key was new.
  bool announce(const evpn::EvpnNlri& nlri, AttrRef attrs);
  // Returns true if a path was removed. The label and ESI of a withdrawal are ignored:
  // FRR zeroes the label, GoBGP keeps it (INTEROP "Seen on the wire").
  bool withdraw(const evpn::EvpnNlri& nlri);
  void clear() { paths_.clear(); }

  [[nodiscard]] std::size_t size() const { return paths_.size(); }
  [[nodiscard]] const RibPath* find(const evpn::EvpnNlri& nlri) const;
  [[nodiscard]] const RibPath* find(const PathKey& key) const;
  // Every path, in route-key order (for show and dumps).
  [[nodiscard]] std::vector<const RibPath*> sorted() const;

  static PathKey key_of(const evpn::EvpnNlri& nlri);

 private:
  std::unordered_map<PathKey, RibPath, PathKeyHash> paths_;
};

}  // namespace evpnd::rib
