#include "rib/loc_rib.hpp"

#include <algorithm>

namespace evpnd::rib {

std::string_view to_string(RibChange c) {
  switch (c) {
    case RibChange::Added: return "added";
    case RibChange::Replaced: return "replaced";
    case RibChange::Unchanged: return "unchanged";
    case RibChange::Withdrawn: return "withdrawn";
  }
  return "?";
}

template <class F>
PeerId LocRib<F>::add_peer(PeerInfo info) {
  peers_.push_back(std::move(info));
  peer_paths_.push_back(0);
  return PeerId{static_cast<std::uint32_t>(peers_.size() - 1)};
}

template <class F>
void LocRib<F>::set_peer(PeerId id, PeerInfo info) {
  peers_[id.value] = std::move(info);
  if (peer_paths_[id.value] == 0) return;
  for (auto& [key, e] : table_)
    if (std::any_of(e.paths.begin(), e.paths.end(), [&](const Path& p) { return p.peer == id; })) {
      touch(key, e);
      e.best_touched = true;  // the same path may now compare differently
    }
}

template <class F>
void LocRib<F>::touch(const Key& key, Entry& e) {
  if (e.dirty) return;
  e.dirty = true;
  e.had_best = e.best.has_value();
  e.best_touched = false;
  dirty_.push_back(key);
}

namespace {
template <class P>
bool before(const P& p, PeerId peer, std::uint32_t path_id) {
  return p.peer != peer ? p.peer < peer : p.path_id < path_id;
}
template <class P>
bool same(const P& p, PeerId peer, std::uint32_t path_id) {
  return p.peer == peer && p.path_id == path_id;
}
}  // namespace

template <class F>
bool LocRib<F>::announce(PeerId peer, const Nlri& nlri, AttrRef attrs) {
  auto key = F::key(nlri);
  // Routes arrive mostly in key order (a peer sends its table in its order, an UPDATE
  // packs neighbours): the entry after the last one announced is the first guess, and a
  // right guess costs two comparisons instead of a descent of the tree.
  typename Table::iterator it = hint_ ? table_.try_emplace(std::next(*hint_), std::move(key)) : table_.try_emplace(std::move(key)).first;
  hint_ = it;
  Entry& e = it->second;
  touch(it->first, e);
  const auto path_id = F::path_id(nlri);
  const std::uint32_t id = path_id.value_or(0);
  Path path{std::move(attrs), F::data(nlri), peer, id, path_id.has_value(), false};
  auto pos = std::find_if(e.paths.begin(), e.paths.end(), [&](const Path& p) { return !before(p, peer, id); });
  const auto index = static_cast<std::uint32_t>(pos - e.paths.begin());
  if (pos != e.paths.end() && same(*pos, peer, id)) {
    if (e.best == index && (pos->attrs != path.attrs || !(pos->data == path.data))) e.best_touched = true;
    *pos = std::move(path);
    return false;
  }
  e.paths.insert(pos, std::move(path));
  if (e.best && *e.best >= index) ++*e.best;
  ++path_count_;
  ++peer_paths_[peer.value];
  return true;
}

template <class F>
bool LocRib<F>::withdraw(PeerId peer, const Nlri& nlri) {
  return withdraw(peer, F::key(nlri), F::path_id(nlri).value_or(0));
}

template <class F>
bool LocRib<F>::withdraw(PeerId peer, const Key& key, std::uint32_t path_id) {
  auto it = table_.find(key);
  if (it == table_.end()) return false;
  Entry& e = it->second;
  auto pos = std::find_if(e.paths.begin(), e.paths.end(), [&](const Path& p) { return same(p, peer, path_id); });
  if (pos == e.paths.end()) return false;
  touch(it->first, e);
  remove_path(e, static_cast<std::size_t>(pos - e.paths.begin()));
  return true;
}

template <class F>
void LocRib<F>::remove_path(Entry& e, std::size_t index) {
  --peer_paths_[e.paths[index].peer.value];
  --path_count_;
  e.paths.erase(e.paths.begin() + static_cast<std::ptrdiff_t>(index));
  if (e.best) {
    if (*e.best == index) {
      e.best.reset();
      e.best_touched = true;
    } else if (*e.best > index) {
      --*e.best;
    }
  }
}

template <class F>
void LocRib<F>::withdraw_peer(PeerId peer) {
  if (peer_paths_[peer.value] == 0) return;
  for (auto it = table_.begin(); it != table_.end() && peer_paths_[peer.value] > 0; ++it) {
    auto& paths = it->second.paths;
    for (std::size_t i = paths.size(); i-- > 0;) {
      if (paths[i].peer != peer) continue;
      touch(it->first, it->second);
      remove_path(it->second, i);
    }
  }
}

template <class F>
std::size_t LocRib<F>::mark_stale(PeerId peer) {
  std::size_t n = 0;
  if (peer_paths_[peer.value] == 0) return 0;
  for (auto& [key, e] : table_)
    for (auto& p : e.paths)
      if (p.peer == peer) {
        p.stale = true;
        ++n;
      }
  return n;
}

template <class F>
std::size_t LocRib<F>::sweep_stale(PeerId peer) {
  std::size_t n = 0;
  if (peer_paths_[peer.value] == 0) return 0;
  for (auto& [key, e] : table_)
    for (std::size_t i = e.paths.size(); i-- > 0;) {
      if (e.paths[i].peer != peer || !e.paths[i].stale) continue;
      touch(key, e);
      remove_path(e, i);
      ++n;
    }
  return n;
}

template <class F>
Candidate LocRib<F>::candidate(const Path& p) const {
  const auto& a = *p.attrs;
  return Candidate{&a, &peers_[p.peer.value], F::summary(a), p.path_id, 0};
}

template <class F>
bool LocRib<F>::decide(const Key& key, Entry& e, std::vector<BestChange>& out) {
  e.dirty = false;
  if (e.paths.empty()) {
    if (e.had_best) out.push_back({key, Change::Withdrawn});
    return false;
  }
  const auto old_best = e.best;
  candidates_.clear();
  for (const auto& p : e.paths) candidates_.push_back(candidate(p));
  const auto sel = select_best(candidates_, options_);
  e.best = static_cast<std::uint32_t>(sel.index);
  e.reason = sel.reason;
  Change c = Change::Replaced;
  if (!e.had_best) c = Change::Added;
  else if (old_best == e.best && !e.best_touched) c = Change::Unchanged;
  out.push_back({key, c});
  return true;
}

template <class F>
std::vector<typename LocRib<F>::BestChange> LocRib<F>::run_best_path() {
  hint_.reset();  // erasures below invalidate it
  std::vector<BestChange> out;
  out.reserve(dirty_.size());
  // Key order, so consumers (and the UPDATEs they build) never depend on arrival order.
  // When much of the table is dirty (a peer's initial table), one walk of the B-tree in
  // order is cheaper than sorting the keys and looking each up.
  if (dirty_.size() * 4 >= table_.size()) {
    for (auto it = table_.begin(); it != table_.end();) {
      if (!it->second.dirty || decide(it->first, it->second, out)) ++it;
      else it = table_.erase(it);
    }
  } else {
    std::sort(dirty_.begin(), dirty_.end(), typename F::KeyLess{});
    for (const auto& key : dirty_) {
      auto it = table_.find(key);
      if (!decide(it->first, it->second, out)) table_.erase(it);
    }
  }
  dirty_.clear();
  return out;
}

template <class F>
const typename LocRib<F>::Entry* LocRib<F>::find(const Key& key) const {
  auto it = table_.find(key);
  return it == table_.end() ? nullptr : &it->second;
}

template <class F>
const typename LocRib<F>::Path* LocRib<F>::find_path(PeerId peer, const Key& key, std::uint32_t path_id) const {
  const Entry* e = find(key);
  if (!e) return nullptr;
  for (const auto& p : e->paths)
    if (same(p, peer, path_id)) return &p;
  return nullptr;
}

template <class F>
void LocRib<F>::for_each_path(PeerId peer, const std::function<void(const Key&, const Path&)>& f) const {
  if (peer_paths_[peer.value] == 0) return;
  for (const auto& [key, e] : table_)
    for (const auto& p : e.paths)
      if (p.peer == peer) f(key, p);
}

template class LocRib<EvpnFamily>;
template class LocRib<Ipv4UnicastFamily>;

}  // namespace evpnd::rib
