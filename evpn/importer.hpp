#pragma once
// evpn::Importer: which local EVPN instances each received route belongs to (RFC 7432
// §9.2.1, RFC 8365 §5.1.2: by route target, never by RD), and the change to each VNI's
// view when a route's best path comes, changes or goes. It remembers where each route
// was imported, so that a route whose targets change leaves the VNIs it no longer
// matches, and an instance whose import set changes can be re-evaluated by replaying the
// table. Pure: the Loc-RIB's best-path changes in, per-VNI changes out. Type-2 and
// Type-3 routes only; the other types have no per-VNI meaning for an L2 VTEP.
#include <cstdint>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

#include "evpn/instance.hpp"
#include "evpn/nlri.hpp"

namespace evpnd::evpn {

// What the VTEP needs of a route's best path (read from its interned EVPN summary).
struct ImportedPath {
  bgp::wire::IpAddress vtep;  // the next hop (Type-2) or the originating router (Type-3)
  std::uint32_t sequence = 0;
  bool sticky = false;
  friend bool operator==(const ImportedPath&, const ImportedPath&) = default;
};

struct ImportChange {
  Vni vni;
  EvpnRouteKey key;
  std::optional<ImportedPath> path;  // nullopt: the route left the VNI
};

class Importer {
 public:
  void set_instances(std::vector<EvpnInstance> instances);
  [[nodiscard]] const std::vector<EvpnInstance>& instances() const { return instances_; }

  // The best path of `key` is now `path` with `route_targets` (nullopt: the key has no
  // best path, or it is one of ours). Appends what changes for each VNI.
  void apply(const EvpnRouteKey& key, const std::optional<ImportedPath>& path,
             std::span<const RouteTarget> route_targets, std::vector<ImportChange>& out);

  // The instance went: its routes are no longer placed in it (no changes reported; the
  // VNI's view goes with it).
  void forget_vni(Vni vni);

  // How many routes each VNI holds (show).
  [[nodiscard]] std::size_t imported_count(Vni vni) const;

 private:
  struct Placement {
    std::vector<Vni> vnis;
    ImportedPath path;
  };
  std::vector<EvpnInstance> instances_;
  // The instances that may import a route target, by its local-admin part (auto import
  // matches on it alone; an explicit RT is then compared exactly): a route is tested
  // against the few instances its targets name, not against every VNI.
  std::unordered_map<std::uint32_t, std::vector<std::size_t>> by_local_admin_;
  std::vector<std::size_t> candidates_;  // scratch of apply()
  std::vector<Vni> now_;                 // scratch of apply()
  std::unordered_map<EvpnRouteKey, Placement> placed_;
};

}  // namespace evpnd::evpn
