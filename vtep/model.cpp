#include "vtep/model.hpp"

#include <algorithm>

namespace evpnd::vtep {

namespace {

// The best of a MAC's remote paths: sticky first (RFC 7432 §15.2), then the higher
// sequence, then the lower VTEP address (§15.1).
const RemoteMacPath* best_remote(const Model::MacEntry& e) {
  const RemoteMacPath* best = nullptr;
  for (const auto& [key, p] : e.remotes) {
    if (!best || std::tie(p.sticky, p.sequence) > std::tie(best->sticky, best->sequence) ||
        (p.sticky == best->sticky && p.sequence == best->sequence && p.vtep < best->vtep))
      best = &p;
  }
  return best;
}

// Does the local side win over `remote` (RFC 7432 §15)?
bool local_wins(const Model::MacEntry& e, const RemoteMacPath* remote, const IpAddress& local_vtep) {
  if (!e.local) return false;
  if (e.local->is_static || e.gateway || !remote) return true;
  if (remote->sticky) return false;
  if (remote->sequence != e.local->sequence) return e.local->sequence > remote->sequence;
  return local_vtep < remote->vtep;
}

}  // namespace

void Model::add_vni(Vni vni, IpAddress local_vtep) {
  auto [it, inserted] = vnis_.try_emplace(vni);
  if (!inserted && it->second.local_vtep == local_vtep) return;
  it->second.local_vtep = local_vtep;
  // The VTEP address is in every route we originate and decides equal-sequence ties.
  std::vector<MacAddress> macs;
  for (const auto& [mac, e] : it->second.macs) macs.push_back(mac);
  for (const auto& mac : macs) resolve_mac(vni, it->second, mac);
}

void Model::remove_vni(Vni vni) {
  auto it = vnis_.find(vni);
  if (it == vnis_.end()) return;
  for (auto& [mac, e] : it->second.macs) {
    if (e.installed) changes_.forwarding.emplace_back(RemoteMacGone{vni, mac});
    withdraw_local(e);
  }
  for (const auto& [ip, n] : it->second.neighbors)
    if (n.installed) changes_.forwarding.emplace_back(RemoteNeighborGone{vni, ip});
  for (const auto& [vtep, keys] : it->second.flood) changes_.forwarding.emplace_back(FloodVtepGone{vni, vtep});
  vnis_.erase(it);
}

void Model::set_gateway_mac(Vni vni, MacAddress mac) {
  auto it = vnis_.find(vni);
  if (it == vnis_.end()) return;
  it->second.macs[mac].gateway = true;
  resolve_mac(vni, it->second, mac);
}

void Model::count_move(MacEntry& e, TimePoint now) {
  if (!dad_.enabled || e.gateway) return;
  while (!e.moves.empty() && now - e.moves.front() > dad_.window) e.moves.pop_front();
  e.moves.push_back(now);
  if (e.moves.size() >= dad_.max_moves) e.duplicate = true;
}

void Model::local_mac_learned(Vni vni, const MacAddress& mac, const std::string& port, bool is_static,
                              TimePoint now) {
  auto it = vnis_.find(vni);
  if (it == vnis_.end()) return;
  auto& e = it->second.macs[mac];
  if (e.duplicate && !e.local) return;  // frozen as remote: the local side does not move
  const RemoteMacPath* remote = best_remote(e);
  if (!e.local) {
    // A host that was behind another VTEP appeared here: it moved (§15.1), and our
    // route must beat the remote one.
    std::uint32_t sequence = 0;
    if (remote && !remote->sticky && !e.gateway) {
      sequence = remote->sequence + 1;
      count_move(e, now);
    }
    e.local = LocalMac{port, is_static, sequence};
  } else {
    e.local->port = port;
    e.local->is_static = is_static;
  }
  resolve_mac(vni, it->second, mac);
}

void Model::local_mac_gone(Vni vni, const MacAddress& mac) {
  auto it = vnis_.find(vni);
  if (it == vnis_.end()) return;
  auto m = it->second.macs.find(mac);
  if (m == it->second.macs.end() || !m->second.local) return;
  m->second.local.reset();
  resolve_mac(vni, it->second, mac);
  erase_if_empty(it->second, mac);
}

void Model::local_neighbor_learned(Vni vni, const IpAddress& ip, const MacAddress& mac) {
  auto it = vnis_.find(vni);
  if (it == vnis_.end()) return;
  auto& v = it->second;
  auto& n = v.neighbors[ip];
  if (n.local == mac) return;
  if (n.local) {
    if (auto old = v.macs.find(*n.local); old != v.macs.end()) {
      old->second.local_ips.erase(ip);
      resolve_mac(vni, v, old->first);
      erase_if_empty(v, old->first);
    }
  }
  n.local = mac;
  v.macs[mac].local_ips.insert(ip);
  resolve_mac(vni, v, mac);
  resolve_neighbor(vni, v, ip);
}

void Model::local_neighbor_gone(Vni vni, const IpAddress& ip) {
  auto it = vnis_.find(vni);
  if (it == vnis_.end()) return;
  auto& v = it->second;
  auto n = v.neighbors.find(ip);
  if (n == v.neighbors.end() || !n->second.local) return;
  const MacAddress mac = *n->second.local;
  n->second.local.reset();
  if (auto m = v.macs.find(mac); m != v.macs.end()) {
    m->second.local_ips.erase(ip);
    resolve_mac(vni, v, mac);
    erase_if_empty(v, mac);
  }
  resolve_neighbor(vni, v, ip);
}

void Model::remote_mac_route(Vni vni, const evpn::MacIpRouteKey& key, const std::optional<RemoteMacPath>& path,
                             TimePoint now) {
  auto it = vnis_.find(vni);
  if (it == vnis_.end()) return;
  auto& v = it->second;
  auto& e = v.macs[key.mac];
  if (path) {
    e.remotes[key] = *path;
  } else {
    e.remotes.erase(key);
  }
  // A remote route that beats our local entry means the host moved away (§15.1): the
  // local entry goes, and with it our route. A frozen MAC keeps its local side.
  if (e.local && !e.duplicate && !local_wins(e, best_remote(e), v.local_vtep)) {
    e.local.reset();
    count_move(e, now);
  }
  resolve_mac(vni, v, key.mac);
  erase_if_empty(v, key.mac);
  if (key.ip) {
    auto& n = v.neighbors[*key.ip];
    if (path) {
      n.remotes[key] = RemoteNeighborPath{key.mac};
    } else {
      n.remotes.erase(key);
    }
    resolve_neighbor(vni, v, *key.ip);
  }
}

void Model::remote_imet_route(Vni vni, const evpn::ImetRouteKey& key, const std::optional<IpAddress>& vtep) {
  auto it = vnis_.find(vni);
  if (it == vnis_.end()) return;
  auto& flood = it->second.flood;
  // The route may have named another VTEP before: take it out of that one's set first.
  for (auto f = flood.begin(); f != flood.end();) {
    if (f->second.erase(key) && f->second.empty() && (!vtep || f->first != *vtep)) {
      changes_.forwarding.emplace_back(FloodVtepGone{vni, f->first});
      f = flood.erase(f);
    } else {
      ++f;
    }
  }
  if (!vtep || *vtep == it->second.local_vtep) return;
  auto& keys = flood[*vtep];
  if (keys.empty()) changes_.forwarding.emplace_back(FloodVtep{vni, *vtep});
  keys.insert(key);
}

std::size_t Model::clear_duplicates(Vni vni, const std::optional<MacAddress>& mac) {
  auto it = vnis_.find(vni);
  if (it == vnis_.end()) return 0;
  std::size_t n = 0;
  for (auto& [m, e] : it->second.macs) {
    if (!e.duplicate || (mac && *mac != m)) continue;
    e.duplicate = false;
    e.moves.clear();
    ++n;
  }
  return n;
}

void Model::resolve_mac(Vni vni, VniState& v, const MacAddress& mac) {
  auto it = v.macs.find(mac);
  if (it == v.macs.end()) return;
  auto& e = it->second;
  const RemoteMacPath* remote = best_remote(e);
  if (local_wins(e, remote, v.local_vtep)) {
    if (e.installed) {
      changes_.forwarding.emplace_back(RemoteMacGone{vni, mac});
      e.installed.reset();
    }
    if (!e.duplicate || !e.advertised) advertise_local(vni, e, mac);
    return;
  }
  withdraw_local(e);
  // The anycast gateway is on this VTEP's SVI too, learned or not: never sent away.
  if (remote && !e.gateway) {
    const RemoteMac want{vni, mac, remote->vtep, remote->sticky};
    if (e.installed != want) {
      changes_.forwarding.emplace_back(want);
      e.installed = want;
    }
  } else if (e.installed) {
    changes_.forwarding.emplace_back(RemoteMacGone{vni, mac});
    e.installed.reset();
  }
}

void Model::advertise_local(Vni vni, MacEntry& e, const MacAddress& mac) {
  const std::uint32_t seq = e.local->sequence;
  const bool sticky = e.local->is_static;
  const LocalMacRoute route{vni, mac, std::nullopt, seq, sticky};
  if (e.advertised != route) {
    changes_.originations.emplace_back(route);
    e.advertised = route;
  }
  for (auto a = e.advertised_ips.begin(); a != e.advertised_ips.end();) {
    if (e.local_ips.contains(a->first)) {
      ++a;
      continue;
    }
    changes_.originations.emplace_back(LocalMacRouteGone{vni, mac, a->first});
    a = e.advertised_ips.erase(a);
  }
  for (const auto& ip : e.local_ips) {
    const LocalMacRoute with_ip{vni, mac, ip, seq, sticky};
    auto [a, inserted] = e.advertised_ips.try_emplace(ip, with_ip);
    if (!inserted && a->second == with_ip) continue;
    a->second = with_ip;
    changes_.originations.emplace_back(with_ip);
  }
}

void Model::withdraw_local(MacEntry& e) {
  if (e.advertised) {
    changes_.originations.emplace_back(LocalMacRouteGone{e.advertised->vni, e.advertised->mac, std::nullopt});
    e.advertised.reset();
  }
  for (const auto& [ip, r] : e.advertised_ips) changes_.originations.emplace_back(LocalMacRouteGone{r.vni, r.mac, ip});
  e.advertised_ips.clear();
}

void Model::resolve_neighbor(Vni vni, VniState& v, const IpAddress& ip) {
  auto it = v.neighbors.find(ip);
  if (it == v.neighbors.end()) return;
  auto& n = it->second;
  // A local neighbour is the kernel's own entry; a remote one is installed for ARP/ND
  // suppression only while no local host claims the address.
  std::optional<MacAddress> want;
  if (!n.local && !n.remotes.empty()) want = n.remotes.begin()->second.mac;
  if (want != n.installed) {
    if (want) {
      changes_.forwarding.emplace_back(RemoteNeighbor{vni, ip, *want});
    } else {
      changes_.forwarding.emplace_back(RemoteNeighborGone{vni, ip});
    }
    n.installed = want;
  }
  if (!n.local && n.remotes.empty()) v.neighbors.erase(it);
}

void Model::erase_if_empty(VniState& v, const MacAddress& mac) {
  auto it = v.macs.find(mac);
  if (it == v.macs.end()) return;
  const auto& e = it->second;
  if (!e.local && e.remotes.empty() && e.local_ips.empty() && !e.installed && !e.advertised && !e.gateway &&
      !e.duplicate)
    v.macs.erase(it);
}

Changes Model::take_changes() {
  Changes out;
  std::swap(out, changes_);
  return out;
}

const Model::VniState* Model::find(Vni vni) const {
  auto it = vnis_.find(vni);
  return it == vnis_.end() ? nullptr : &it->second;
}

}  // namespace evpnd::vtep
