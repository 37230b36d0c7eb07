#pragma once
// Interned path attributes (ARCHITECTURE "Data, for speed"; BIRD's route attribute cache,
// OpenBGPD's path_getcache). Routes that share an attribute set share one immutable,
// ref-counted object, so a Type-2 route costs its key plus a pointer.
//
// Identity is structural (attr_identity.hpp): every decoded field but the per-message
// ones (wire order, the NLRI inside MP_REACH, MP_UNREACH); the MP next hop is part of it.
// A lookup hashes the decoded fields and compares them with the candidates of that hash:
// a set already interned costs no copy, no encoding and no allocation. An entry lives
// while some route holds it; the table drops expired entries as it meets them.
#include <cstddef>
#include <memory>
#include <unordered_map>

#include "bgp/wire/update.hpp"
#include "rib/evpn_summary.hpp"

namespace evpnd::rib {

// An interned attribute set: the attributes, and what EVPN consumers read of them,
// decoded once here (route targets, MAC mobility, encapsulation, router MAC, next hop).
struct InternedAttributes : bgp::wire::PathAttributes {
  explicit InternedAttributes(bgp::wire::PathAttributes a)
      : bgp::wire::PathAttributes(std::move(a)), evpn(summarize_evpn(*this)) {}
  EvpnSummary evpn;
};

using AttrRef = std::shared_ptr<const InternedAttributes>;

class AttrStore {
 public:
  // Returns the shared object equal to `attrs` (per-message parts aside), creating it
  // from a copy if there is none.
  AttrRef intern(const bgp::wire::PathAttributes& attrs);

  [[nodiscard]] std::size_t live_entries() const;
  // Entries in the table, dead ones not yet swept included (for tests and show).
  [[nodiscard]] std::size_t table_size() const { return table_.size(); }
  // Removes entries no route holds any more. Called by intern() now and then.
  void sweep();

 private:
  // Sweep when the table reaches this size; after a sweep it is twice what survived (at
  // least kMinSweep), so the table stays within 2x the live entries and sweeping costs O(1)
  // per intern amortised, however many new sets arrive.
  static constexpr std::size_t kMinSweep = 4096;
  // By attributes_hash: equal hashes of different sets are rare, and sit side by side.
  std::unordered_multimap<std::size_t, std::weak_ptr<const InternedAttributes>> table_;
  std::size_t sweep_at_ = kMinSweep;
};

}  // namespace evpnd::rib
