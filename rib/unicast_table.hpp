#pragma once
// A peer's IPv4 or IPv6 unicast paths keyed by prefix and ADD-PATH path id: what the
// Adj-RIB-In of a unicast family holds until the RIB issue gives unicast a Loc-RIB. It
// is what `maximum-prefix` counts and what a peer's session-down or EoRR clears.
#include <cstddef>
#include <map>

#include "bgp/wire/update.hpp"
#include "rib/attr_store.hpp"

namespace evpnd::rib {

class UnicastTable {
 public:
  struct Path {
    AttrRef attrs;
    bool stale = false;  // RFC 7313 §4, as in PathTable
  };

  // Adds or replaces; true if the prefix was new.
  bool announce(const bgp::wire::Prefix& p, AttrRef attrs);
  bool withdraw(const bgp::wire::Prefix& p);
  void clear() { paths_.clear(); }
  std::size_t mark_stale();
  std::size_t sweep_stale();

  [[nodiscard]] std::size_t size() const { return paths_.size(); }
  [[nodiscard]] const std::map<bgp::wire::Prefix, Path>& paths() const { return paths_; }

 private:
  std::map<bgp::wire::Prefix, Path> paths_;  // in prefix order, for show
};

}  // namespace evpnd::rib
