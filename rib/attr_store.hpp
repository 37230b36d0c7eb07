#pragma once
// Interned path attributes (ARCHITECTURE "Data, for speed"; BIRD's route attribute cache,
// OpenBGPD's path_getcache). Routes that share an attribute set share one immutable,
// ref-counted object, so a Type-2 route costs its key plus a pointer.
//
// Identity is structural (attr_identity.hpp): every decoded field but the per-message
// ones (wire order, the NLRI inside MP_REACH, MP_UNREACH); the MP next hop is part of it.
// A lookup hashes the decoded fields and compares them with the candidates of that hash:
// a set already interned costs no copy, no encoding and no allocation. An entry lives
// while some route holds it, and leaves the table when the last one lets go.
#include <cstddef>
#include <memory>
#include <unordered_map>
#include <utility>

#include "bgp/wire/update.hpp"
#include "rib/evpn_summary.hpp"

namespace evpnd::rib {

class AttrStore;

// An interned attribute set: the attributes, and what EVPN consumers read of them,
// decoded once here (route targets, MAC mobility, encapsulation, router MAC, next hop).
// Counted by the AttrRefs that hold it; the last one to let go removes it from its
// store.
struct InternedAttributes : bgp::wire::PathAttributes {
  InternedAttributes(bgp::wire::PathAttributes a, AttrStore& store, std::size_t hash)
      : bgp::wire::PathAttributes(std::move(a)), evpn(summarize_evpn(*this)), store_(&store), hash_(hash) {}
  InternedAttributes(const InternedAttributes&) = delete;
  InternedAttributes& operator=(const InternedAttributes&) = delete;
  EvpnSummary evpn;

 private:
  friend class AttrRef;
  friend class AttrStore;
  AttrStore* store_;
  std::size_t hash_;  // attributes_hash, to find the entry again on release
  mutable std::uint32_t refs_ = 0;
};

// A counted reference to an interned set: one pointer, and a plain (non-atomic) count in
// the set itself. The RIB is single-threaded (ARCHITECTURE: the BGP loop owns it), so
// the atomic increments and the separate control block of a shared_ptr buy nothing; a
// path pays 8 bytes for its attributes instead of 16, and copying one is an increment.
// The store must outlive every reference to its sets.
class AttrRef {
 public:
  AttrRef() = default;
  AttrRef(std::nullptr_t) {}  // NOLINT: as a null shared_ptr converts
  AttrRef(const AttrRef& o) : p_(o.p_) { acquire(); }
  AttrRef(AttrRef&& o) noexcept : p_(std::exchange(o.p_, nullptr)) {}
  AttrRef& operator=(const AttrRef& o) {
    if (p_ != o.p_) {
      AttrRef copy(o);
      swap(copy);
    }
    return *this;
  }
  AttrRef& operator=(AttrRef&& o) noexcept {
    AttrRef moved(std::move(o));
    swap(moved);
    return *this;
  }
  ~AttrRef() { release(); }

  void swap(AttrRef& o) noexcept { std::swap(p_, o.p_); }
  void reset() { AttrRef().swap(*this); }
  [[nodiscard]] const InternedAttributes* get() const { return p_; }
  const InternedAttributes& operator*() const { return *p_; }
  const InternedAttributes* operator->() const { return p_; }
  explicit operator bool() const { return p_ != nullptr; }
  [[nodiscard]] std::uint32_t use_count() const { return p_ ? p_->refs_ : 0; }
  friend bool operator==(const AttrRef& a, const AttrRef& b) { return a.p_ == b.p_; }
  friend bool operator==(const AttrRef& a, std::nullptr_t) { return a.p_ == nullptr; }

 private:
  friend class AttrStore;
  explicit AttrRef(const InternedAttributes* p) : p_(p) { acquire(); }
  void acquire() const {
    if (p_) ++p_->refs_;
  }
  void release();

  const InternedAttributes* p_ = nullptr;
};

class AttrStore {
 public:
  AttrStore() = default;
  AttrStore(const AttrStore&) = delete;
  AttrStore& operator=(const AttrStore&) = delete;
  ~AttrStore();

  // Returns the shared object equal to `attrs` (per-message parts aside), creating it
  // from a copy if there is none.
  AttrRef intern(const bgp::wire::PathAttributes& attrs);

  [[nodiscard]] std::size_t live_entries() const { return table_.size(); }

 private:
  friend class AttrRef;
  // The last reference went: the entry goes at once.
  void remove(const InternedAttributes* set);

  // By attributes_hash: equal hashes of different sets are rare, and sit side by side.
  std::unordered_multimap<std::size_t, std::unique_ptr<InternedAttributes>> table_;
};

inline void AttrRef::release() {
  if (p_ && --p_->refs_ == 0) p_->store_->remove(p_);
  p_ = nullptr;
}

}  // namespace evpnd::rib
