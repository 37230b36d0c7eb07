#pragma once
// bgp::UpdateGroupsOf<F>: the export side of the speaker for one address family (one set
// of groups per family: UpdateGroups for l2vpn evpn, Ipv4UpdateGroups for ipv4 unicast).
// Peers whose ExportKey in the family is equal form one update group: each change of the Loc-RIB is encoded once for the group, into
// reference-counted messages that every member's output queue shares, and the group's
// Adj-RIB-Out records what it was sent, so a withdrawal goes only to members that got
// the route.
//
// Split horizon inside a group: a route is never sent back to the member it came from.
// The Adj-RIB-Out keeps, per key, the source of the path the group was sent; a member
// holds the key unless it is that source. Each encoded message therefore has an
// audience: every member but the path's source, or (a member whose own path became the
// best, after it had been sent someone else's) that member alone, for its withdrawal.
//
// Pacing: changes wait as keys (in key order, so output is deterministic) and a group
// encodes the next part only while every member's queue is below the high-water mark,
// so a group holds about one part of encoded output beyond what its members' sockets
// took. A member that stays above the mark for `laggard_grace` while its group has more
// to send is split off into a group of its own (with a copy of the Adj-RIB-Out and of
// what is pending), so one slow reader does not hold back the others; it goes on at its
// own pace, as every peer did before update groups.
//
// A table send (a peer's initial table, a route refresh) runs in a group of one: the
// peer is split off, walks the Loc-RIB in key order, and ends with End-of-RIB (RFC 4724)
// or EoRR (RFC 7313). A group that has nothing pending and no table to send merges into
// another idle group with the same key: both then hold exactly what the Loc-RIB's best
// paths and the key say they should, so their Adj-RIB-Outs are equal.
//
// No sockets: members are ExportPeers. Single-threaded, on the speaker's loop; the
// laggard timer runs on the speaker's Clock.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <absl/container/flat_hash_map.h>

#include "bgp/clock.hpp"
#include "bgp/export_peer.hpp"
#include "bgp/outbound.hpp"
#include "bgp/pending_keys.hpp"
#include "rib/loc_rib.hpp"

namespace evpnd::bgp {

namespace asio = boost::asio;

// What every group's export shares: the speaker's AS, cluster ID and default LOCAL_PREF.
struct UpdateGroupGlobals {
  wire::Asn local_as;
  wire::RouterId cluster_id;
  std::uint32_t default_local_pref = 100;
};
struct UpdateGroupLimits {
  std::size_t part = 2048;            // routes encoded at a time
  std::size_t high_water = 1u << 20;  // a member's queued bytes that stop the next part
  std::chrono::milliseconds laggard_grace{500};
};
struct UpdateGroupCounters {
  std::uint64_t messages_encoded = 0;   // UPDATEs built, once per group
  std::uint64_t routes_encoded = 0;     // NLRI in them
  std::uint64_t messages_delivered = 0; // the same UPDATEs, once per member that got them
};
struct UpdateGroupInfo {
  std::uint32_t id = 0;
  ExportKey key;
  std::vector<rib::PeerId> members;
  std::size_t adj_rib_out = 0;  // keys the group was sent
  std::size_t pending = 0;      // keys changed and not yet sent
  bool table_send = false;
  UpdateGroupCounters counters;
};


template <class F>
class UpdateGroupsOf {
 public:
  using Rib = rib::LocRib<F>;
  using Key = typename F::Key;
  static constexpr wire::AfiSafi kFamily = F::kAfiSafi;
  using Globals = UpdateGroupGlobals;
  using Limits = UpdateGroupLimits;
  using Counters = UpdateGroupCounters;
  using View = UpdateGroupInfo;

  UpdateGroupsOf(Clock& clock, const Rib& rib, Globals globals, Limits limits);
  UpdateGroupsOf(Clock& clock, const Rib& rib, Globals globals) : UpdateGroupsOf(clock, rib, globals, Limits{}) {}
  ~UpdateGroupsOf();
  UpdateGroupsOf(const UpdateGroupsOf&) = delete;
  UpdateGroupsOf& operator=(const UpdateGroupsOf&) = delete;

  // Sends `peer` its table of the family in a group of its own. Initial: from nothing (its
  // session just came up), ending with End-of-RIB. Refresh: everything it holds again,
  // with BoRR/EoRR if it speaks RFC 7313. The caller has run best path.
  void start_table(ExportPeer& peer, TableSendReason reason);
  // Best path ran: every group is sent the keys that changed.
  void changed(std::span<const typename Rib::BestChange> changes);
  // `peer`'s queue fell below the low-water mark (after ExportPeer::notify_when_drained).
  void output_drained(ExportPeer& peer);
  // `peer` leaves its group (its session ended); also done lazily for members that no
  // longer export.
  void remove(const ExportPeer& peer);

  // What `peer` was sent and holds, in key order (`advertised-routes`), and how many.
  [[nodiscard]] std::vector<Key> advertised_keys(const ExportPeer& peer) const;
  [[nodiscard]] std::size_t advertised_count(const ExportPeer& peer) const;
  [[nodiscard]] std::optional<std::uint32_t> group_of(const ExportPeer& peer) const;
  [[nodiscard]] std::vector<View> views() const;
  [[nodiscard]] Counters totals() const;
  // The export of a path from `from` to peers with key `k`.
  [[nodiscard]] ExportContext export_context(const ExportKey& k, const rib::PeerInfo* from) const;

 private:
  struct Group;
  struct Part;

  Group& create(const ExportKey& key);
  Group* find(std::uint32_t id);
  Group* group_ptr(const ExportPeer& peer) const;
  void erase(std::uint32_t id);
  Group& split(Group& from, ExportPeer& peer);
  void prune(Group& g);
  // Sends `id` what it can; may merge or erase the group.
  void drain(std::uint32_t id);
  // False: a member is over the high-water mark (it will say when it drains).
  bool ready(Group& g);
  bool continue_table(Group& g);
  void export_route(Group& g, const Key& key, const typename Rib::Entry* entry, Part& part);
  void deliver(Group& g, Part& part);
  void publish_counts(Group& g);
  void split_laggards(std::uint32_t id);
  void merge_if_idle(std::uint32_t id);

  Clock& clock_;  // of the laggard timers
  const Rib& rib_;
  Globals globals_;
  Limits limits_;
  std::vector<std::unique_ptr<Group>> groups_;
  absl::flat_hash_map<const ExportPeer*, Group*> member_of_;
  std::uint32_t next_id_ = 1;
  Counters retired_;  // of groups that merged or emptied
};

using UpdateGroups = UpdateGroupsOf<rib::EvpnFamily>;
using Ipv4UpdateGroups = UpdateGroupsOf<rib::Ipv4UnicastFamily>;
extern template class UpdateGroupsOf<rib::EvpnFamily>;
extern template class UpdateGroupsOf<rib::Ipv4UnicastFamily>;

}  // namespace evpnd::bgp
