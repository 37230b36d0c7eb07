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

#include "rib/route_families.hpp"

namespace evpnd::bgp {

template <class F>
class PendingKeysOf {
 public:
  using Key = typename F::Key;
  // `sorted`: ascending by the family's key order.
  void add(const std::vector<Key>& sorted) {
    for (const auto& k : sorted) keys_.insert(keys_.end(), k);
  }
  [[nodiscard]] bool empty() const { return keys_.empty(); }
  [[nodiscard]] std::size_t size() const { return keys_.size(); }
  [[nodiscard]] const Key& front() const { return *keys_.begin(); }
  void pop() { keys_.erase(keys_.begin()); }

 private:
  absl::btree_set<Key, typename F::KeyLess> keys_;
};

using PendingKeys = PendingKeysOf<rib::EvpnFamily>;

}  // namespace evpnd::bgp
