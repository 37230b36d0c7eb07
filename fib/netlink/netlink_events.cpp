// NetlinkBackend: the local hosts (local_state) and the kernel's notifications
// (read_events). The rules for what counts as a local MAC or neighbour follow zebra's
// reading of the same messages (FRR 8.4 zebra/rt_netlink.c netlink_macfdb_change,
// netlink_ipneigh_change): permanent FDB entries are the host's own addresses, entries on
// the vxlan device are remote, extern_learn neighbours are a control plane's (ours).
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include <cerrno>
#include <set>

#include "fib/netlink/netlink_backend.hpp"

namespace evpnd::fib {

namespace {

constexpr std::size_t kMaxDatagramsPerRead = 4096;  // then the descriptor stays readable
constexpr std::uint16_t kNeighborValid = NUD_PERMANENT | NUD_NOARP | NUD_REACHABLE | NUD_PROBE | NUD_STALE | NUD_DELAY;

}  // namespace

std::optional<NetlinkBackend::MacView> NetlinkBackend::local_mac_of(const netlink::FdbMessage& fdb) const {
  if (fdb.master == 0) return std::nullopt;  // a device's own table ("self"), not the bridge's
  // On a VLAN-aware bridge the entry's VLAN names the VNI; elsewhere both are 0.
  const VniRecord* record = record_by_bridge(fdb.master, fdb.vlan);
  if (record == nullptr || fdb.ifindex == record->bridge) return std::nullopt;
  if (fdb.mac.is_zero() || fdb.mac.is_multicast()) return std::nullopt;
  MacView view{record->vni, fdb.mac, false, false, {}};
  auto port = links_.find(fdb.ifindex);
  if (fdb.ifindex == record->vxlan || (port != links_.end() && port->second.kind == "vxlan")) {
    view.remote = true;
    return view;
  }
  // The host's own addresses (a port's MAC) are no hosts. An extern_learn entry on a local
  // port is (zebra reads it so too): a switchdev driver's learning, or a host that took
  // over a remote MAC's entry, which keeps the flag.
  if ((fdb.state & NUD_PERMANENT) != 0) return std::nullopt;
  if (fdb.deleted) return view;
  if ((fdb.state & (NUD_REACHABLE | NUD_STALE | NUD_NOARP)) == 0) return std::nullopt;
  view.present = true;
  view.value = LocalMac{link_name(fdb.ifindex), (fdb.state & NUD_NOARP) != 0};
  return view;
}

std::optional<NetlinkBackend::NeighborView> NetlinkBackend::local_neighbor_of(const netlink::NeighborMessage& n) const {
  const VniRecord* record = record_by_svi(n.ifindex);
  if (record == nullptr || (n.flags & NTF_EXT_LEARNED) != 0) return std::nullopt;
  // Not ndm_type: the kernel types a neighbour by a route lookup (RTN_BROADCAST when the
  // device has no addresses yet); multicast and broadcast entries show in their MAC.
  NeighborView view{record->vni, n.ip, {}, false};
  if (n.deleted || (n.state & kNeighborValid) == 0 || !n.mac || n.mac->is_zero() || n.mac->is_multicast()) {
    return view;  // gone, failed or not resolved: no longer a host we can answer for
  }
  view.mac = *n.mac;
  view.present = true;
  return view;
}

int NetlinkBackend::resync_local(std::vector<Event>& out, bool report_all) {
  std::map<std::pair<Vni, MacAddress>, LocalMac> macs;
  std::map<std::pair<Vni, IpAddress>, MacAddress> neighbors;
  std::set<int> dumped_bridges;  // a VLAN-aware bridge holds several VNIs: one dump each
  for (const auto& entry : records_) {
    // Named copies: clang 14 cannot capture structured bindings in the lambdas below.
    const Vni vni = entry.first;
    const VniRecord& record = entry.second;
    if (record.bridge == 0) continue;
    auto on_fdb = [&](const nlmsghdr* nlh) {
      auto fdb = netlink::parse_fdb(nlh);
      if (!fdb) return;
      if (auto view = local_mac_of(*fdb); view && view->present) macs[{view->vni, view->mac}] = view->value;
    };
    auto restart_fdb = [&] {
      std::erase_if(macs, [&](const auto& e) {
        auto r = records_.find(e.first.first);
        return r != records_.end() && r->second.bridge == record.bridge;
      });
    };
    if (dumped_bridges.insert(record.bridge).second) {
      if (int rc = dump(netlink::build_fdb_dump, record.bridge, on_fdb, restart_fdb); rc != 0) return rc;
    }
    if (record.svi == 0) continue;  // no SVI: no neighbours to learn
    auto on_neighbor = [&](const nlmsghdr* nlh) {
      auto n = netlink::parse_neighbor(nlh);
      if (!n) return;
      if (auto view = local_neighbor_of(*n); view && view->present) neighbors[{view->vni, view->ip}] = view->mac;
    };
    auto restart_neighbors = [&] { std::erase_if(neighbors, [&](const auto& e) { return e.first.first == vni; }); };
    if (int rc = dump(netlink::build_neighbor_dump, record.svi, on_neighbor, restart_neighbors); rc != 0) return rc;
  }
  for (const auto& [key, old] : known_macs_) {
    if (!macs.contains(key)) out.push_back(LocalMacGone{key.first, key.second});
  }
  for (const auto& [key, mac] : macs) {
    auto it = known_macs_.find(key);
    if (report_all || it == known_macs_.end() || it->second != mac) {
      out.push_back(LocalMacLearned{key.first, key.second, mac.port, mac.is_static});
    }
  }
  for (const auto& [key, old] : known_neighbors_) {
    if (!neighbors.contains(key)) out.push_back(LocalNeighborGone{key.first, key.second});
  }
  for (const auto& [key, mac] : neighbors) {
    auto it = known_neighbors_.find(key);
    if (report_all || it == known_neighbors_.end() || it->second != mac) {
      out.push_back(LocalNeighborLearned{key.first, key.second, mac});
    }
  }
  known_macs_ = std::move(macs);
  known_neighbors_ = std::move(neighbors);
  return 0;
}

std::vector<Event> NetlinkBackend::local_state() {
  std::vector<Event> out;
  if (open_error_ != 0) return out;
  refresh_links();
  // Everything present is reported, whatever was known before: the caller starts from here.
  if (resync_local(out, true) != 0) resync_needed_ = true;
  return out;
}

void NetlinkBackend::handle_event_message(const nlmsghdr* nlh, std::vector<Event>& out, bool& links_changed) {
  switch (nlh->nlmsg_type) {
    case RTM_NEWLINK:
    case RTM_DELLINK: {
      // A bridge port's VLANs or a single vxlan device's map changed (AF_BRIDGE): a VNI's
      // VLAN may have, or VNIs come and go.
      if (auto port = netlink::parse_port_vlans(nlh)) {
        set_port_vlans(*port);
        rebind_records();
        links_changed = true;
        return;
      }
      auto link = netlink::parse_link(nlh);
      if (!link) return;
      if (link->kind == "bridge" && link->vlan_filtering && !link->deleted) {
        // VLAN filtering switched on: the ports' PVIDs were never read; dump them.
        if (auto old = links_.find(link->ifindex); old == links_.end() || !old->second.vlan_filtering) {
          resync_needed_ = true;
        }
      }
      if (link->deleted) {
        links_.erase(link->ifindex);
      } else {
        links_[link->ifindex] = std::move(*link);
      }
      rebind_records();
      links_changed = true;
      return;
    }
    case RTM_NEWNEIGH:
    case RTM_DELNEIGH:
      break;
    default:
      return;
  }
  if (auto fdb = netlink::parse_fdb(nlh)) {
    auto view = local_mac_of(*fdb);
    if (!view) return;
    const std::pair key{view->vni, view->mac};
    if (view->present) {
      // Reported even when it looks known: the bridge notifies only on a change, and what
      // is known may be stale where a remote entry replaced it unseen (the filter drops
      // extern_learn notifications).
      known_macs_.insert_or_assign(key, view->value);
      out.push_back(LocalMacLearned{view->vni, view->mac, view->value.port, view->value.is_static});
    } else if (known_macs_.erase(key) > 0 && !view->remote) {
      // A MAC now on the vxlan device was replaced by a remote entry of ours: the control
      // plane that installed it knows; it is no longer local either way.
      out.push_back(LocalMacGone{view->vni, view->mac});
    }
    return;
  }
  if (auto n = netlink::parse_neighbor(nlh)) {
    auto view = local_neighbor_of(*n);
    if (!view) return;
    const std::pair key{view->vni, view->ip};
    if (view->present) {
      auto [it, inserted] = known_neighbors_.try_emplace(key, view->mac);
      if (!inserted && it->second == view->mac) return;
      it->second = view->mac;
      out.push_back(LocalNeighborLearned{view->vni, view->ip, view->mac});
    } else if (known_neighbors_.erase(key) > 0) {
      out.push_back(LocalNeighborGone{view->vni, view->ip});
    }
  }
}

std::vector<Event> NetlinkBackend::read_events() {
  std::vector<Event> out;
  if (open_error_ != 0) return out;
  bool links_changed = false;
  const int rc = events_.drain([&](const nlmsghdr* nlh) { handle_event_message(nlh, out, links_changed); },
                               kMaxDatagramsPerRead);
  if (rc == ENOBUFS) resync_needed_ = true;  // notifications were lost: dump and compare
  if (links_changed) {
    diff_vnis(out);
    update_event_filter();
  }
  if (resync_needed_) {
    resync_needed_ = false;
    if (refresh_links() != 0 || resync_local(out, false) != 0) {
      resync_needed_ = true;
    } else {
      diff_vnis(out);
    }
  }
  return out;
}

}  // namespace evpnd::fib
