#pragma once
// The EVPN Loc-RIB (RFC 4271 §3.2): one entry per route key (RFC 7432 §7) holding every
// candidate path (from each peer, and from kLocalPeer for routes originated here) and
// the best one, chosen by best_path.hpp. No sockets, no timers.
//
// Changes are applied first and decided later: announce/withdraw only mark the key
// dirty, and run_best_path() decides every dirty key once and reports, in key order,
// what happened to its best path ({Added, Replaced, Unchanged, Withdrawn}). A read pass
// that applies many UPDATEs therefore runs best path once per key, and consumers hear
// once per key.
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "evpn/nlri.hpp"
#include "rib/attr_store.hpp"
#include "rib/best_path.hpp"
#include "rib/path_table.hpp"
#include "rib/peer_info.hpp"

namespace evpnd::rib {

class EvpnRib {
 public:
  struct Path {
    PeerId peer;
    RibPath path;  // the route as that peer sent it, its ADD-PATH id and attributes
  };
  struct Entry {
    std::vector<Path> paths;  // ordered by (peer, path id): the fixed order best path walks
    std::optional<std::size_t> best;
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
  using Table = std::map<evpn::EvpnRouteKey, Entry>;

  // Sources. Ids are never reused while the RIB lives; kLocalPeer exists from the start.
  PeerId add_peer(PeerInfo info);
  // Updates what best path knows of a source (its router ID is learned from the OPEN).
  // Keys with paths from it are decided again.
  void set_peer(PeerId id, PeerInfo info);
  [[nodiscard]] const PeerInfo& peer(PeerId id) const { return peers_[id.value]; }
  void set_options(const BestPathOptions& o) { options_ = o; }

  // A path from `peer` under the NLRI's key and path id; replaces that peer's previous
  // path with the same id (an implicit withdraw).
  void announce(PeerId peer, const evpn::EvpnNlri& nlri, AttrRef attrs);
  void withdraw(PeerId peer, const evpn::EvpnNlri& nlri);
  void withdraw(PeerId peer, const PathKey& key);
  // Every path of `peer` (its session went down).
  void withdraw_peer(PeerId peer);

  [[nodiscard]] bool dirty() const { return !dirty_.empty(); }
  // Decides every dirty key; entries left without paths are removed.
  std::vector<BestChange> run_best_path();

  [[nodiscard]] const Table& table() const { return table_; }
  [[nodiscard]] const Entry* find(const evpn::EvpnRouteKey& key) const;
  [[nodiscard]] static const Path* best_of(const Entry& e) { return e.best ? &e.paths[*e.best] : nullptr; }
  [[nodiscard]] std::size_t path_count() const { return path_count_; }
  [[nodiscard]] std::size_t paths_of(PeerId peer) const;

 private:
  void touch(Table::iterator it);
  void remove_path(Table::iterator it, std::size_t index);
  Candidate candidate(const Path& p) const;

  std::vector<PeerInfo> peers_{PeerInfo{}};  // [0] is kLocalPeer
  std::vector<std::size_t> peer_paths_{0};
  BestPathOptions options_;
  Table table_;
  std::vector<Table::iterator> dirty_;
  std::size_t path_count_ = 0;
};

std::string_view to_string(EvpnRib::Change c);

}  // namespace evpnd::rib
