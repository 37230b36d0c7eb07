#include "bgp/update_groups.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "bgp/wire/message.hpp"

namespace evpnd::bgp {

template <class F>
struct UpdateGroupsOf<F>::Group {
  Group(Clock& clock, std::uint32_t i, const ExportKey& k) : id(i), key(k), laggard_timer(clock.make_timer()) {
    to.ibgp = k.ibgp;
    to.rr_client = k.rr_client;
  }
  std::uint32_t id;
  ExportKey key;
  // What may_advertise needs of the receiving side, from the key; the source itself is
  // left out by each message's audience, not there.
  rib::PeerInfo to;
  std::vector<ExportPeer*> members;
  // Per key, the source of the path the group was sent (see the header: a member holds
  // the key unless it is that source), and how many keys each source accounts for.
  absl::flat_hash_map<Key, rib::PeerId, typename F::KeyHash> adj_out;
  absl::flat_hash_map<std::uint32_t, std::size_t> from_count;
  PendingKeysOf<F> pending;
  struct TableSend {
    TableSendReason reason;
    std::optional<Key> after;  // the last key sent; unset: from the start
  };
  std::optional<TableSend> table;
  std::unique_ptr<Timer> laggard_timer;
  bool laggard_armed = false;
  Counters counters;

  [[nodiscard]] bool idle() const { return pending.empty() && !table; }
  void record(const Key& key, rib::PeerId from) {
    auto [it, fresh] = adj_out.try_emplace(key, from);
    if (!fresh) {
      if (it->second == from) return;
      --from_count[it->second.value];
      it->second = from;
    }
    ++from_count[from.value];
  }
  [[nodiscard]] std::size_t held_by(const ExportPeer& m) const {
    auto it = from_count.find(m.rib_id().value);
    return adj_out.size() - (it == from_count.end() ? 0 : it->second);
  }
};

// The UPDATEs of one part, before encoding: each batch is encoded once and goes to its
// audience. Withdrawals first, then announcements, each in the order first met (key order).
template <class F>
struct UpdateGroupsOf<F>::Part {
  enum class To : std::uint8_t { AllBut, Only };
  struct Batch {
    To to = To::AllBut;
    rib::PeerId peer;                                  // the one left out, or the only one
    const rib::InternedAttributes* attrs = nullptr;  // announcements: sent with these
    std::vector<typename F::Nlri> nlri;
  };
  std::vector<Batch> withdrawals;
  std::vector<Batch> announcements;

  void withdraw(To to, rib::PeerId peer, const Key& key) {
    auto it = std::find_if(withdrawals.begin(), withdrawals.end(),
                           [&](const Batch& b) { return b.to == to && b.peer == peer; });
    if (it == withdrawals.end()) it = withdrawals.insert(withdrawals.end(), Batch{to, peer, nullptr, {}});
    it->nlri.push_back(F::withdrawal(key));
  }
  // An announcement's export depends on its attributes and its source (AS path,
  // ORIGINATOR_ID), and its audience is everyone but that source: one batch per pair.
  void announce(const rib::InternedAttributes* attrs, rib::PeerId from, typename F::Nlri nlri) {
    std::size_t slot;
    auto it = index.find({attrs, from.value});
    if (it == index.end()) {
      slot = announcements.size();
      index.emplace(std::pair{attrs, from.value}, slot);
      announcements.push_back(Batch{To::AllBut, from, attrs, {}});
    } else {
      slot = it->second;
    }
    announcements[slot].nlri.push_back(std::move(nlri));
  }

 private:
  absl::flat_hash_map<std::pair<const rib::InternedAttributes*, std::uint32_t>, std::size_t> index;
};

std::size_t hash_value(const ExportKey& k) {
  std::size_t h = (k.ibgp ? 1u : 0u) | (k.rr_client ? 2u : 0u) | (k.four_octet_as ? 4u : 0u) |
                  (k.add_path_send ? 8u : 0u) | (k.extended_message ? 16u : 0u);
  if (k.next_hop_self) h ^= evpn::detail::hash_ip(*k.next_hop_self) << 5;
  if (k.next_hop_self_force) h ^= 32u;
  if (k.local_next_hop) h ^= evpn::detail::hash_ip(*k.local_next_hop) << 7;
  return h;
}

std::string describe(const ExportKey& k) {
  std::string s = k.ibgp ? "ibgp" : "ebgp";
  if (k.rr_client) s += " rr-client";
  if (k.four_octet_as) s += " as4";
  if (k.add_path_send) s += " add-path-tx";
  if (k.extended_message) s += " extended-message";
  if (k.next_hop_self) s += " next-hop-self " + k.next_hop_self->to_string();
  if (k.next_hop_self && k.next_hop_self_force) s += " force";
  return s;
}

template <class F>
UpdateGroupsOf<F>::UpdateGroupsOf(Clock& clock, const Rib& rib, Globals globals, Limits limits)
    : clock_(clock), rib_(rib), globals_(globals), limits_(limits) {}

template <class F>
UpdateGroupsOf<F>::~UpdateGroupsOf() = default;

template <class F>
ExportContext UpdateGroupsOf<F>::export_context(const ExportKey& k, const rib::PeerInfo* from) const {
  ExportContext ex;
  ex.ibgp = k.ibgp;
  ex.local_as = globals_.local_as;
  ex.cluster_id = globals_.cluster_id;
  ex.next_hop_self = k.next_hop_self;
  ex.next_hop_self_force = k.next_hop_self_force;
  ex.local_next_hop = k.local_next_hop;
  ex.default_local_pref = globals_.default_local_pref;
  ex.from = from;
  return ex;
}

template <class F>
typename UpdateGroupsOf<F>::Group& UpdateGroupsOf<F>::create(const ExportKey& key) {
  groups_.push_back(std::make_unique<Group>(clock_, next_id_++, key));
  return *groups_.back();
}

template <class F>
typename UpdateGroupsOf<F>::Group* UpdateGroupsOf<F>::find(std::uint32_t id) {
  for (auto& g : groups_)
    if (g->id == id) return g.get();
  return nullptr;
}

template <class F>
typename UpdateGroupsOf<F>::Group* UpdateGroupsOf<F>::group_ptr(const ExportPeer& peer) const {
  auto it = member_of_.find(&peer);
  return it == member_of_.end() ? nullptr : it->second;
}

template <class F>
void UpdateGroupsOf<F>::erase(std::uint32_t id) {
  auto it = std::find_if(groups_.begin(), groups_.end(), [&](const auto& g) { return g->id == id; });
  if (it == groups_.end()) return;
  for (auto* m : (*it)->members) member_of_.erase(m);
  retired_.messages_encoded += (*it)->counters.messages_encoded;
  retired_.routes_encoded += (*it)->counters.routes_encoded;
  retired_.messages_delivered += (*it)->counters.messages_delivered;
  groups_.erase(it);  // destroys the laggard timer, which cancels it
}

template <class F>
void UpdateGroupsOf<F>::remove(const ExportPeer& peer) {
  Group* g = group_ptr(peer);
  if (!g) return;
  std::erase_if(g->members, [&](const ExportPeer* m) { return m == &peer; });
  member_of_.erase(&peer);
  if (g->members.empty()) erase(g->id);
}

// A group of one for `peer`, holding what its old group held and still has to send. Its
// key is the peer's own now: a refresh after the peer's settings changed re-sends the
// table under the new key (withdrawing what it may no longer have) and then joins the
// group of that key.
template <class F>
typename UpdateGroupsOf<F>::Group& UpdateGroupsOf<F>::split(Group& from, ExportPeer& peer) {
  Group& g = create(peer.export_key(kFamily));
  g.adj_out = from.adj_out;
  g.from_count = from.from_count;
  g.pending = from.pending;
  std::erase(from.members, &peer);
  g.members.push_back(&peer);
  member_of_[&peer] = &g;
  return g;
}

template <class F>
void UpdateGroupsOf<F>::prune(Group& g) {
  std::erase_if(g.members, [&](ExportPeer* m) {
    if (m->exports(kFamily)) return false;
    member_of_.erase(m);
    return true;
  });
}

template <class F>
void UpdateGroupsOf<F>::start_table(ExportPeer& peer, TableSendReason reason) {
  Group* cur = group_ptr(peer);
  Group* g = nullptr;
  if (reason == TableSendReason::Initial || !cur) {
    // A new session holds nothing of what the last one was sent.
    remove(peer);
    g = &create(peer.export_key(kFamily));
    g->members.push_back(&peer);
    member_of_[&peer] = g;
    peer.set_prefixes_sent(kFamily, 0);
    reason = TableSendReason::Initial;
  } else {
    g = cur->members.size() == 1 ? cur : &split(*cur, peer);
    // A refresh of a table still being sent for the first time restarts it, and still
    // ends with End-of-RIB.
    if (g->table && g->table->reason == TableSendReason::Initial) reason = TableSendReason::Initial;
  }
  // RFC 7313 §4: "Before the speaker starts a route refresh that is either initiated
  // locally, or in response to a "normal route refresh request" from the peer, the
  // speaker MUST send a BoRR message."
  if (reason == TableSendReason::Refresh && peer.enhanced_route_refresh()) {
    const SharedMessage borr = std::make_shared<const wire::ByteVec>(route_refresh_message(
        kFamily, wire::RouteRefreshMessage::Subtype::BeginOfRibRefresh, peer.codec()));
    peer.send_shared({&borr, 1}, wire::MessageType::RouteRefresh);
  }
  g->table = typename Group::TableSend{reason, std::nullopt};
  drain(g->id);
}

template <class F>
void UpdateGroupsOf<F>::changed(std::span<const typename Rib::BestChange> changes) {
  // In key order, as best path reports them.
  std::vector<Key> keys;
  keys.reserve(changes.size());
  for (const auto& c : changes)
    if (c.change != rib::RibChange::Unchanged) keys.push_back(c.key);
  if (keys.empty()) return;
  std::vector<std::uint32_t> ids;
  for (auto& g : groups_) ids.push_back(g->id);
  for (auto id : ids) {
    Group* g = find(id);
    prune(*g);
    if (g->members.empty()) {
      erase(id);
      continue;
    }
    g->pending.add(keys);
  }
  for (auto id : ids) drain(id);
}

template <class F>
void UpdateGroupsOf<F>::output_drained(ExportPeer& peer) {
  if (Group* g = group_ptr(peer)) drain(g->id);
}

template <class F>
bool UpdateGroupsOf<F>::ready(Group& g) {
  bool ready = true;
  for (auto* m : g.members) {
    if (m->queued_bytes() < limits_.high_water) continue;
    m->notify_when_drained();
    ready = false;
  }
  if (!ready && g.members.size() > 1 && !g.laggard_armed) {
    g.laggard_armed = true;
    // Erasing the group (merged, emptied) destroys the timer, which cancels it.
    g.laggard_timer->wait_for(limits_.laggard_grace, [this, id = g.id] { split_laggards(id); });
  }
  return ready;
}

template <class F>
void UpdateGroupsOf<F>::split_laggards(std::uint32_t id) {
  Group* g = find(id);
  if (!g) return;
  g->laggard_armed = false;
  if (g->idle()) return;
  std::vector<ExportPeer*> slow;
  for (auto* m : g->members)
    if (m->exports(kFamily) && m->queued_bytes() >= limits_.high_water) slow.push_back(m);
  // Everyone slow: nobody to let go ahead.
  if (slow.size() == g->members.size()) {
    ready(*g);
    return;
  }
  for (auto* m : slow) {
    spdlog::info("update group {}: a member reads slowly ({} bytes queued); it leaves the group and goes on alone",
                 id, m->queued_bytes());
    split(*g, *m);  // its drain notification reaches its new group
  }
  drain(id);
}

template <class F>
void UpdateGroupsOf<F>::drain(std::uint32_t id) {
  Group* g = find(id);
  if (!g) return;
  prune(*g);
  if (g->members.empty()) return erase(id);
  if (g->table && !continue_table(*g)) return;
  while (!g->pending.empty()) {
    if (!ready(*g)) return;
    Part part;
    // Pending keys come in key order and are mostly neighbours in the Loc-RIB too: each is
    // looked for just after the previous one (one equality test) before the tree is
    // searched (some twenty comparisons at a million keys). The cursor lives for one part:
    // delivering may change the Loc-RIB (a member whose session ends takes its paths
    // out), and that invalidates B-tree iterators.
    const auto& table = rib_.table();
    auto cursor = table.end();
    for (std::size_t n = 0; !g->pending.empty() && n < limits_.part; ++n) {
      const auto& k = g->pending.front();
      auto it = table.end();
      if (cursor != table.end()) {
        auto next = std::next(cursor);
        if (next != table.end() && next->first == k) it = next;
      }
      if (it == table.end()) it = table.find(k);
      if (it != table.end()) cursor = it;
      export_route(*g, k, it == table.end() ? nullptr : &it->second, part);
      g->pending.pop();
    }
    deliver(*g, part);
  }
  merge_if_idle(id);
}

template <class F>
bool UpdateGroupsOf<F>::continue_table(Group& g) {
  ExportPeer& peer = *g.members.front();
  const auto& table = rib_.table();
  for (;;) {
    if (!ready(g)) return false;
    // The next part of the Loc-RIB in key order, from where the last part ended (keys
    // added or removed meanwhile are simply met or not met).
    Part part;
    auto e = g.table->after ? table.upper_bound(*g.table->after) : table.begin();
    for (std::size_t n = 0; e != table.end() && n < limits_.part; ++e, ++n) export_route(g, e->first, &e->second, part);
    const bool done = e == table.end();
    if (!done) g.table->after = std::prev(e)->first;  // the part ended before `e`: resume there
    // (A refresh may also withdraw: a key the peer holds that it may no longer have.)
    deliver(g, part);
    if (done) break;
  }
  // The whole table is out: RFC 4724 End-of-RIB after the initial send, RFC 7313 §4 EoRR
  // after a refresh ("After the speaker completes the re-advertisement of the entire
  // Adj-RIB-Out to the peer, it MUST send an EoRR message").
  const auto family = kFamily;
  if (g.table->reason == TableSendReason::Initial) {
    const SharedMessage eor = std::make_shared<const wire::ByteVec>(end_of_rib_message(family, peer.codec()));
    peer.send_shared({&eor, 1}, wire::MessageType::Update);
  } else if (peer.enhanced_route_refresh()) {
    const SharedMessage eorr = std::make_shared<const wire::ByteVec>(
        route_refresh_message(family, wire::RouteRefreshMessage::Subtype::EndOfRibRefresh, peer.codec()));
    peer.send_shared({&eorr, 1}, wire::MessageType::RouteRefresh);
  }
  g.table.reset();
  return true;
}

template <class F>
void UpdateGroupsOf<F>::export_route(Group& g, const Key& key, const typename Rib::Entry* entry, Part& part) {
  const typename Rib::Path* best = entry ? Rib::best_of(*entry) : nullptr;
  auto prev = g.adj_out.find(key);
  const bool had = prev != g.adj_out.end();
  if (best && may_advertise(*best->attrs, rib_.peer(best->peer), false, g.to) &&
      sendable(*best->attrs, export_context(g.key, &rib_.peer(best->peer)), std::type_identity<typename F::Nlri>{})) {
    part.announce(best->attrs.get(), best->peer, Rib::plain_nlri_of(key, *best));
    // The member whose path is now the best had been sent another source's: it must not
    // keep that one.
    if (had && prev->second != best->peer) part.withdraw(Part::To::Only, best->peer, key);
    g.record(key, best->peer);
    return;
  }
  if (!had) return;
  part.withdraw(Part::To::AllBut, prev->second, key);
  --g.from_count[prev->second.value];
  g.adj_out.erase(prev);
}

template <class F>
void UpdateGroupsOf<F>::deliver(Group& g, Part& part) {
  const wire::CodecContext& codec = g.members.front()->codec();
  std::vector<ExportPeer*> audience;
  std::vector<SharedMessage> shared;
  auto send = [&](const typename Part::Batch& b) {
    audience.clear();
    for (auto* m : g.members) {
      const bool is = m->rib_id() == b.peer;
      if (b.to == Part::To::Only ? is : !is) audience.push_back(m);
    }
    if (audience.empty()) return;  // e.g. the source is the group's only member
    std::vector<wire::ByteVec> encoded;
    if (b.attrs) {
      encoded = build_updates(export_attributes(*b.attrs, export_context(g.key, &rib_.peer(b.peer))),
                              std::span<const typename F::Nlri>(b.nlri), codec);
    } else {
      encoded = build_withdrawals(std::span<const typename F::Nlri>(b.nlri), codec);
    }
    shared.clear();
    for (auto& m : encoded) shared.push_back(std::make_shared<const wire::ByteVec>(std::move(m)));
    g.counters.messages_encoded += shared.size();
    g.counters.routes_encoded += b.nlri.size();
    g.counters.messages_delivered += shared.size() * audience.size();
    for (auto* m : audience) m->send_shared(shared, wire::MessageType::Update);
  };
  for (const auto& b : part.withdrawals) send(b);
  for (const auto& b : part.announcements) send(b);
  publish_counts(g);
}

template <class F>
void UpdateGroupsOf<F>::publish_counts(Group& g) {
  for (auto* m : g.members) m->set_prefixes_sent(kFamily, g.held_by(*m));
}

template <class F>
void UpdateGroupsOf<F>::merge_if_idle(std::uint32_t id) {
  Group* g = find(id);
  if (!g || !g->idle()) return;
  for (auto& other : groups_) {
    Group& h = *other;
    if (h.id == id || !h.idle() || !(h.key == g->key)) continue;
    prune(h);
    if (h.members.empty()) continue;
    // Both idle: each holds what the Loc-RIB and the key say. Unequal sizes would mean a
    // bug here; keep them apart rather than send a member the wrong withdrawals.
    if (h.adj_out.size() != g->adj_out.size()) {
      spdlog::warn("update groups {} and {}: same settings, idle, but {} and {} routes sent; not merged", h.id, id,
                   h.adj_out.size(), g->adj_out.size());
      continue;
    }
    for (auto* m : g->members) {
      h.members.push_back(m);
      member_of_[m] = &h;
    }
    g->members.clear();
    erase(id);
    return;
  }
}

template <class F>
std::vector<typename F::Key> UpdateGroupsOf<F>::advertised_keys(const ExportPeer& peer) const {
  std::vector<Key> keys;
  const Group* g = group_ptr(peer);
  if (!g) return keys;
  for (const auto& [key, from] : g->adj_out)
    if (from != peer.rib_id()) keys.push_back(key);
  std::sort(keys.begin(), keys.end(), typename F::KeyLess{});
  return keys;
}

template <class F>
std::size_t UpdateGroupsOf<F>::advertised_count(const ExportPeer& peer) const {
  const Group* g = group_ptr(peer);
  return g ? g->held_by(peer) : 0;
}

template <class F>
std::optional<std::uint32_t> UpdateGroupsOf<F>::group_of(const ExportPeer& peer) const {
  const Group* g = group_ptr(peer);
  return g ? std::optional(g->id) : std::nullopt;
}

template <class F>
std::vector<typename UpdateGroupsOf<F>::View> UpdateGroupsOf<F>::views() const {
  std::vector<View> out;
  for (const auto& g : groups_) {
    if (g->members.empty()) continue;  // pruned, erased at the next change
    View v{g->id, g->key, {}, g->adj_out.size(), g->pending.size(), g->table.has_value(), g->counters};
    for (const auto* m : g->members) v.members.push_back(m->rib_id());
    out.push_back(std::move(v));
  }
  return out;
}

template <class F>
typename UpdateGroupsOf<F>::Counters UpdateGroupsOf<F>::totals() const {
  Counters c = retired_;
  for (const auto& g : groups_) {
    c.messages_encoded += g->counters.messages_encoded;
    c.routes_encoded += g->counters.routes_encoded;
    c.messages_delivered += g->counters.messages_delivered;
  }
  return c;
}

template class UpdateGroupsOf<rib::EvpnFamily>;
template class UpdateGroupsOf<rib::Ipv4UnicastFamily>;

}  // namespace evpnd::bgp
