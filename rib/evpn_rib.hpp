#pragma once
// The EVPN Loc-RIB (RFC 4271 §3.2) with every source's Adj-RIB-In folded in: one entry
// per route key (RFC 7432 §7) holding each source's paths (from each peer, and from
// kLocalPeer for routes originated here) and the best one, chosen by best_path.hpp. A
// path keeps only what is not in the key (evpn::RouteData: ESI, labels, gateway), so a
// key is stored once however many peers send it, and a peer's Adj-RIB-In is the set of
// paths carrying its PeerId (rib::AdjRibIn is that view). No sockets, no timers.
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

#include "evpn/nlri.hpp"
#include "evpn/route_data.hpp"
#include "evpn/route_key_order.hpp"
#include "rib/attr_store.hpp"
#include "rib/best_path.hpp"
#include "rib/path_table.hpp"
#include "rib/peer_info.hpp"

namespace evpnd::rib {

class EvpnRib {
 public:
  struct Path {
    AttrRef attrs;
    evpn::RouteData data;    // what of the route is not in the key
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
  enum class Change : std::uint8_t { Added, Replaced, Unchanged, Withdrawn };
  struct BestChange {
    evpn::EvpnRouteKey key;
    Change change = Change::Unchanged;
  };
  using Table = absl::btree_map<evpn::EvpnRouteKey, Entry, evpn::RouteKeyLess>;

  // Sources. Ids are never reused while the RIB lives; kLocalPeer exists from the start.
  PeerId add_peer(PeerInfo info);
  // Updates what best path knows of a source (its router ID is learned from the OPEN).
  // Keys with paths from it are decided again.
  void set_peer(PeerId id, PeerInfo info);
  [[nodiscard]] const PeerInfo& peer(PeerId id) const { return peers_[id.value]; }
  void set_options(const BestPathOptions& o) { options_ = o; }

  // A path from `peer` under the NLRI's key and path id; replaces that peer's previous
  // path with the same id (an implicit withdraw). True: the peer had no such path.
  bool announce(PeerId peer, const evpn::EvpnNlri& nlri, AttrRef attrs);
  // True: a path was removed. The label and ESI of a withdrawal are ignored: FRR zeroes
  // the label, GoBGP keeps it (INTEROP "Seen on the wire").
  bool withdraw(PeerId peer, const evpn::EvpnNlri& nlri);
  bool withdraw(PeerId peer, const PathKey& key);
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
  [[nodiscard]] const Entry* find(const evpn::EvpnRouteKey& key) const;
  [[nodiscard]] const Path* find_path(PeerId peer, const PathKey& key) const;
  [[nodiscard]] static const Path* best_of(const Entry& e) { return e.best ? &e.paths[*e.best] : nullptr; }
  [[nodiscard]] std::size_t path_count() const { return path_count_; }
  [[nodiscard]] std::size_t paths_of(PeerId peer) const { return peer_paths_[peer.value]; }
  // `peer`'s paths in key order (its Adj-RIB-In as show walks it).
  void for_each_path(PeerId peer, const std::function<void(const evpn::EvpnRouteKey&, const Path&)>& f) const;

  // The route as its source sent it: the key joined with the path's data.
  [[nodiscard]] static evpn::EvpnRoute route_of(const evpn::EvpnRouteKey& key, const Path& p) {
    return evpn::join(key, p.data);
  }

 private:
  void touch(const evpn::EvpnRouteKey& key, Entry& e);
  void remove_path(Entry& e, std::size_t index);
  Candidate candidate(const Path& p) const;
  // Runs best path on one dirty entry; false: it has no paths left (the caller erases it).
  bool decide(const evpn::EvpnRouteKey& key, Entry& e, std::vector<BestChange>& out);

  std::vector<PeerInfo> peers_{PeerInfo{}};  // [0] is kLocalPeer
  std::vector<std::size_t> peer_paths_{0};
  BestPathOptions options_;
  Table table_;
  std::vector<evpn::EvpnRouteKey> dirty_;  // keys, not iterators: see above
  std::vector<Candidate> candidates_;      // reused by decide()
  // The entry of the last announce: where the next is likely to go. Only announce
  // inserts and only run_best_path erases, so it stays valid from one to the other.
  std::optional<Table::iterator> hint_;
  std::size_t path_count_ = 0;
};

std::string_view to_string(EvpnRib::Change c);

}  // namespace evpnd::rib
