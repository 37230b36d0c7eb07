#pragma once
// The keys an update group still has to send, in key order, each once. Best path reports
// its changes in key order, so a batch usually lands after everything pending (the hint
// makes that an append); a batch that meets keys still waiting (a slow group, two
// sources sending the same routes) is merged key by key in O(log n) each. A B-tree, not
// a std::set: no allocation per key, and about 50 bytes a key instead of 80. (A sorted
// vector merged per batch was tried: quadratic when a blocked group keeps receiving
// batches that overlap its backlog.)
#include <cstddef>
#include <vector>

#include <absl/container/btree_set.h>

#include "evpn/nlri.hpp"
#include "evpn/route_key_order.hpp"

namespace evpnd::bgp {

class PendingKeys {
 public:
  // `sorted`: ascending by evpn::RouteKeyLess.
  void add(const std::vector<evpn::EvpnRouteKey>& sorted) {
    for (const auto& k : sorted) keys_.insert(keys_.end(), k);
  }
  [[nodiscard]] bool empty() const { return keys_.empty(); }
  [[nodiscard]] std::size_t size() const { return keys_.size(); }
  [[nodiscard]] const evpn::EvpnRouteKey& front() const { return *keys_.begin(); }
  void pop() { keys_.erase(keys_.begin()); }

 private:
  absl::btree_set<evpn::EvpnRouteKey, evpn::RouteKeyLess> keys_;
};

}  // namespace evpnd::bgp
