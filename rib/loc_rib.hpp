#pragma once
// The Loc-RIB of one address family (RFC 4271 §3.2) with every source's Adj-RIB-In
// folded in: one entry per route key holding each source's paths (from each peer, and
// from kLocalPeer for routes originated here) and the best one, chosen by best_path.hpp.
// A path keeps only what is not in the key (for EVPN, evpn::RouteData: ESI, labels,
// gateway), so a key is stored once however many peers send it, and a peer's Adj-RIB-In
// is the set of paths carrying its PeerId (rib::AdjRibInOf is that view). No sockets, no
// timers. Written once over the family traits of route_families.hpp: EvpnRib (l2vpn
// evpn, keyed by the RFC 7432 §7 route key) and Ipv4Rib (ipv4 unicast, by prefix).
//
// Changes are applied first and decided later: announce/withdraw only mark the key
// dirty, and run_best_path() decides every dirty key once and reports, in key order,
// what happened to its best path ({Added, Replaced, Unchanged, Withdrawn}). A read pass
// that applies many UPDATEs therefore runs best path once per key, and consumers hear
// once per key.
//
// Entries live in a B-tree (absl::btree_map): key order for table sends, refreshes and
// show, a few bytes of overhead per entry where std::map spends a 32-byte node header
// and an allocation, and lookups that touch a few cache lines instead of ~20 nodes. Its
// iterators do not survive an insertion or erasure, so nothing here keeps one.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include <absl/container/btree_map.h>
#include <absl/container/inlined_vector.h>

#include "rib/attr_store.hpp"
#include "rib/best_path.hpp"
#include "rib/peer_info.hpp"
#include "rib/route_families.hpp"

namespace evpnd::rib {

// What best path did to a key's best path, as consumers hear it.
enum class RibChange : std::uint8_t { Added, Replaced, Unchanged, Withdrawn };
std::string_view to_string(RibChange c);

template <class F>
class LocRib {
 public:
  using Family = F;
  using Key = typename F::Key;
  using Nlri = typename F::Nlri;
  struct Path {
    AttrRef attrs;
    // What of the route is not in the key. Not [[no_unique_address]]: for EVPN that let
    // the next members into RouteData's tail padding and made moving a path measurably
    // slower (bench_rib: Relearn +5%); ipv4's empty NoRouteData fits the padding anyway.
    typename F::Data data;
    PeerId peer;
    std::uint32_t path_id = 0;  // RFC 7911; 0 without ADD-PATH
    bool has_path_id = false;
    // RFC 7313 §4: the peer began re-advertising this family (BoRR); the path goes at its
    // End-of-RIB-Refresh unless announced again meanwhile.
    bool stale = false;
    [[nodiscard]] std::optional<std::uint32_t> add_path_id() const {
      return has_path_id ? std::optional<std::uint32_t>(path_id) : std::nullopt;
    }
  };
  struct Entry {
    // Ordered by (peer, path id): the fixed order best path walks. One path inline: most
    // keys have one.
    absl::InlinedVector<Path, 1> paths;
    std::optional<std::uint32_t> best;
    SelectionReason reason = SelectionReason::OnlyPath;
    // Bookkeeping between a change and run_best_path().
    bool dirty = false;
    bool had_best = false;      // there was a best path when the key was first dirtied
    bool best_touched = false;  // the best path itself was replaced or removed since
  };
  using Change = RibChange;
  struct BestChange {
    Key key;
    Change change = Change::Unchanged;
  };
  using Table = absl::btree_map<Key, Entry, typename F::KeyLess>;

  // Sources. Ids are never reused while the RIB lives; kLocalPeer exists from the start.
  PeerId add_peer(PeerInfo info);
  // Updates what best path knows of a source (its router ID is learned from the OPEN).
  // Keys with paths from it are decided again.
  void set_peer(PeerId id, PeerInfo info);
  [[nodiscard]] const PeerInfo& peer(PeerId id) const { return peers_[id.value]; }
  void set_options(const BestPathOptions& o) { options_ = o; }

  // A path from `peer` under the NLRI's key and path id; replaces that peer's previous
  // path with the same id (an implicit withdraw). True: the peer had no such path.
  bool announce(PeerId peer, const Nlri& nlri, AttrRef attrs);
  // True: a path was removed. The label and ESI of a withdrawal are ignored: FRR zeroes
  // the label, GoBGP keeps it (INTEROP "Seen on the wire").
  bool withdraw(PeerId peer, const Nlri& nlri);
  bool withdraw(PeerId peer, const Key& key, std::uint32_t path_id);
  // Every path of `peer` (its session went down). A walk of the table, skipped for a
  // source without paths.
  void withdraw_peer(PeerId peer);
  // RFC 7313 §4 for one source: marks its paths stale (BoRR), and removes those still
  // stale (EoRR, or the stale timer). Each returns how many paths it marked or removed.
  std::size_t mark_stale(PeerId peer);
  std::size_t sweep_stale(PeerId peer);

  [[nodiscard]] bool dirty() const { return !dirty_.empty(); }
  // Decides every dirty key; entries left without paths are removed.
  std::vector<BestChange> run_best_path();

  [[nodiscard]] const Table& table() const { return table_; }
  [[nodiscard]] const Entry* find(const Key& key) const;
  [[nodiscard]] const Path* find_path(PeerId peer, const Key& key, std::uint32_t path_id) const;
  [[nodiscard]] static const Path* best_of(const Entry& e) { return e.best ? &e.paths[*e.best] : nullptr; }
  [[nodiscard]] std::size_t path_count() const { return path_count_; }
  [[nodiscard]] std::size_t paths_of(PeerId peer) const { return peer_paths_[peer.value]; }
  // `peer`'s paths in key order (its Adj-RIB-In as show walks it).
  void for_each_path(PeerId peer, const std::function<void(const Key&, const Path&)>& f) const;

  // The NLRI as its source sent it: the key joined with the path's data (and path id).
  [[nodiscard]] static Nlri nlri_of(const Key& key, const Path& p) { return F::nlri(key, p.data, p.add_path_id()); }
  // The same without the path id, as a table of one path per key shows it.
  [[nodiscard]] static Nlri plain_nlri_of(const Key& key, const Path& p) { return F::nlri(key, p.data, std::nullopt); }

 private:
  void touch(const Key& key, Entry& e);
  void remove_path(Entry& e, std::size_t index);
  Candidate candidate(const Path& p) const;
  // Runs best path on one dirty entry; false: it has no paths left (the caller erases it).
  bool decide(const Key& key, Entry& e, std::vector<BestChange>& out);

  std::vector<PeerInfo> peers_{PeerInfo{}};  // [0] is kLocalPeer
  std::vector<std::size_t> peer_paths_{0};
  BestPathOptions options_;
  Table table_;
  std::vector<Key> dirty_;  // keys, not iterators: see above
  std::vector<Candidate> candidates_;  // reused by decide()
  // The entry of the last announce: where the next is likely to go. Only announce
  // inserts and only run_best_path erases, so it stays valid from one to the other.
  std::optional<typename Table::iterator> hint_;
  std::size_t path_count_ = 0;
};

using EvpnRib = LocRib<EvpnFamily>;
using Ipv4Rib = LocRib<Ipv4UnicastFamily>;
// Defined once, in loc_rib.cpp.
extern template class LocRib<EvpnFamily>;
extern template class LocRib<Ipv4UnicastFamily>;

}  // namespace evpnd::rib
