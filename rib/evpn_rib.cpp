#include "rib/evpn_rib.hpp"

#include <algorithm>

namespace evpnd::rib {

std::string_view to_string(EvpnRib::Change c) {
  switch (c) {
    case EvpnRib::Change::Added: return "added";
    case EvpnRib::Change::Replaced: return "replaced";
    case EvpnRib::Change::Unchanged: return "unchanged";
    case EvpnRib::Change::Withdrawn: return "withdrawn";
  }
  return "?";
}

PeerId EvpnRib::add_peer(PeerInfo info) {
  peers_.push_back(std::move(info));
  peer_paths_.push_back(0);
  return PeerId{static_cast<std::uint32_t>(peers_.size() - 1)};
}

void EvpnRib::set_peer(PeerId id, PeerInfo info) {
  peers_[id.value] = std::move(info);
  if (peer_paths_[id.value] == 0) return;
  for (auto it = table_.begin(); it != table_.end(); ++it)
    if (std::any_of(it->second.paths.begin(), it->second.paths.end(), [&](const Path& p) { return p.peer == id; })) {
      touch(it);
      it->second.best_touched = true;  // the same path may now compare differently
    }
}

void EvpnRib::touch(Table::iterator it) {
  Entry& e = it->second;
  if (e.dirty) return;
  e.dirty = true;
  e.had_best = e.best.has_value();
  e.best_touched = false;
  dirty_.push_back(it);
}

namespace {
bool before(const EvpnRib::Path& p, PeerId peer, std::uint32_t path_id) {
  return p.peer != peer ? p.peer < peer : p.path.path_id.value_or(0) < path_id;
}
}  // namespace

void EvpnRib::announce(PeerId peer, const evpn::EvpnNlri& nlri, AttrRef attrs) {
  auto [it, fresh] = table_.try_emplace(evpn::route_key(nlri.route));
  touch(it);
  Entry& e = it->second;
  const std::uint32_t id = nlri.path_id.value_or(0);
  auto pos = std::find_if(e.paths.begin(), e.paths.end(), [&](const Path& p) { return !before(p, peer, id); });
  const auto index = static_cast<std::size_t>(pos - e.paths.begin());
  if (pos != e.paths.end() && pos->peer == peer && pos->path.path_id.value_or(0) == id) {
    RibPath& old = pos->path;
    if (e.best == index && (old.attrs != attrs || !(old.route == nlri.route))) e.best_touched = true;
    old = RibPath{nlri.route, nlri.path_id, std::move(attrs), false};
    return;
  }
  e.paths.insert(pos, Path{peer, RibPath{nlri.route, nlri.path_id, std::move(attrs), false}});
  if (e.best && *e.best >= index) ++*e.best;
  ++path_count_;
  ++peer_paths_[peer.value];
}

void EvpnRib::withdraw(PeerId peer, const evpn::EvpnNlri& nlri) {
  withdraw(peer, PathKey{evpn::route_key(nlri.route), nlri.path_id.value_or(0)});
}

void EvpnRib::withdraw(PeerId peer, const PathKey& key) {
  auto it = table_.find(key.route);
  if (it == table_.end()) return;
  auto& paths = it->second.paths;
  auto pos = std::find_if(paths.begin(), paths.end(),
                          [&](const Path& p) { return p.peer == peer && p.path.path_id.value_or(0) == key.path_id; });
  if (pos == paths.end()) return;
  touch(it);
  remove_path(it, static_cast<std::size_t>(pos - paths.begin()));
}

void EvpnRib::remove_path(Table::iterator it, std::size_t index) {
  Entry& e = it->second;
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

void EvpnRib::withdraw_peer(PeerId peer) {
  if (peer_paths_[peer.value] == 0) return;
  // A walk of the whole table: a per-peer index would make this O(the peer's paths).
  for (auto it = table_.begin(); it != table_.end() && peer_paths_[peer.value] > 0; ++it) {
    auto& paths = it->second.paths;
    for (std::size_t i = paths.size(); i-- > 0;) {
      if (paths[i].peer != peer) continue;
      touch(it);
      remove_path(it, i);
    }
  }
}

Candidate EvpnRib::candidate(const Path& p) const {
  const auto& a = *p.path.attrs;
  return Candidate{&a, &peers_[p.peer.value], &a.evpn, p.path.path_id.value_or(0), 0};
}

std::vector<EvpnRib::BestChange> EvpnRib::run_best_path() {
  std::vector<BestChange> out;
  out.reserve(dirty_.size());
  // Key order, so consumers (and the UPDATEs they build) never depend on arrival order.
  std::sort(dirty_.begin(), dirty_.end(), [](const auto& a, const auto& b) { return a->first < b->first; });
  std::vector<Candidate> cands;
  for (auto it : dirty_) {
    Entry& e = it->second;
    e.dirty = false;
    const auto old_best = e.best;
    if (e.paths.empty()) {
      if (e.had_best) out.push_back({it->first, Change::Withdrawn});
      table_.erase(it);
      continue;
    }
    cands.clear();
    for (const auto& p : e.paths) cands.push_back(candidate(p));
    const auto sel = select_best(cands, options_);
    e.best = sel.index;
    e.reason = sel.reason;
    Change c = Change::Replaced;
    if (!e.had_best) c = Change::Added;
    else if (old_best == sel.index && !e.best_touched) c = Change::Unchanged;
    out.push_back({it->first, c});
  }
  dirty_.clear();
  return out;
}

const EvpnRib::Entry* EvpnRib::find(const evpn::EvpnRouteKey& key) const {
  auto it = table_.find(key);
  return it == table_.end() ? nullptr : &it->second;
}

std::size_t EvpnRib::paths_of(PeerId peer) const { return peer_paths_[peer.value]; }

}  // namespace evpnd::rib
