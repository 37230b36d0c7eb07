// NetlinkBackend: devices (discover, ensure_vni), the batch (apply) and what we hold
// (installed). The events and the local state are in netlink_events.cpp.
#include "fib/netlink/netlink_backend.hpp"

#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <net/if.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <set>

#include "fib/fib_queue.hpp"
#include "fib/netlink/nl_filter.hpp"

namespace evpnd::fib {

using netlink::FdbMessage;
using netlink::LinkMessage;

namespace {

constexpr int kDumpAttempts = 3;  // a dump the kernel reports inconsistent is repeated

std::string describe(int error, const std::string& message) {
  std::string text = std::strerror(error);
  if (!message.empty()) text += ": " + message;
  return text;
}

std::string vni_text(Vni vni) { return "VNI " + std::to_string(vni.value()); }

}  // namespace

NetlinkBackend::NetlinkBackend() {
  open_error_ = command_.open(0, false);
  if (open_error_ == 0) open_error_ = events_.open(RTMGRP_LINK | RTMGRP_NEIGH, true);
  start();
}

NetlinkBackend::NetlinkBackend(PeerSockets peer) {
  command_.adopt(peer.command, peer.portid);
  events_.adopt(peer.events, peer.portid);
  start();
}

void NetlinkBackend::start() {
  if (open_error_ == 0) open_error_ = netlink::attach_event_filter(events_.fd(), {});
  if (open_error_ == 0 && refresh_links() == 0) {
    std::vector<Event> ignored;
    diff_vnis(ignored);  // events report changes from here on; discover() reports what is
  }
}

int NetlinkBackend::event_fd() const { return events_.fd(); }

int NetlinkBackend::dump(std::size_t (*build)(std::span<std::byte>, std::uint32_t, int), int ifindex,
                         const std::function<void(const nlmsghdr*)>& on_message,
                         const std::function<void()>& restart) {
  std::array<std::byte, netlink::kMaxRequestSize> request{};
  int rc = 0;
  for (int attempt = 0; attempt < kDumpAttempts; ++attempt) {
    if (attempt > 0 && restart) restart();
    const std::size_t len = build(request, command_.take_seqs(1), ifindex);
    rc = command_.dump(std::span<const std::byte>(request.data(), len), on_message);
    if (rc != EINTR) break;
  }
  return rc;
}

int NetlinkBackend::refresh_links() {
  std::unordered_map<int, LinkMessage> fresh;
  const int rc = dump([](std::span<std::byte> out, std::uint32_t seq, int) { return netlink::build_link_dump(out, seq); },
                      0, [&](const nlmsghdr* nlh) {
                        if (auto link = netlink::parse_link(nlh); link && !link->deleted) {
                          fresh[link->ifindex] = std::move(*link);
                        }
                      },
                      [&] { fresh.clear(); });
  if (rc != 0) return rc;
  links_ = std::move(fresh);
  if (any_vlan_aware_bridge()) {
    if (int vrc = refresh_port_vlans(); vrc != 0) return vrc;
  } else {
    port_pvids_.clear();
    port_tunnels_.clear();
  }
  rebind_records();
  update_event_filter();
  return 0;
}

bool NetlinkBackend::any_vlan_aware_bridge() const {
  return std::any_of(links_.begin(), links_.end(),
                     [](const auto& l) { return l.second.kind == "bridge" && l.second.vlan_filtering; });
}

int NetlinkBackend::refresh_port_vlans() {
  std::vector<netlink::PortVlanMessage> fresh;
  const int rc = dump(netlink::build_port_vlan_dump, 0, [&](const nlmsghdr* nlh) {
    if (auto port = netlink::parse_port_vlans(nlh)) fresh.push_back(std::move(*port));
  }, [&] { fresh.clear(); });
  if (rc != 0) return rc;
  port_pvids_.clear();
  port_tunnels_.clear();
  for (const auto& port : fresh) set_port_vlans(port);
  return 0;
}

void NetlinkBackend::set_port_vlans(const netlink::PortVlanMessage& port) {
  // Each message holds the port's whole VLAN state, not a change to it.
  if (port.pvid) {
    port_pvids_[port.ifindex] = *port.pvid;
  } else {
    port_pvids_.erase(port.ifindex);
  }
  if (!port.tunnels.empty()) {
    auto& map = port_tunnels_[port.ifindex];
    map.clear();
    for (const auto& t : port.tunnels) map[t.vni] = t.vid;
  } else {
    port_tunnels_.erase(port.ifindex);
  }
}

bool NetlinkBackend::is_single_vxlan_device(const LinkMessage& link) {
  return link.kind == "vxlan" && link.collect_metadata && link.vni.value_or(0) == 0;
}

std::vector<std::uint32_t> NetlinkBackend::vnis_of(const LinkMessage& link) const {
  std::vector<std::uint32_t> out;
  if (link.kind != "vxlan") return out;
  if (!is_single_vxlan_device(link)) {
    if (link.vni) out.push_back(*link.vni);
    return out;
  }
  if (auto map = port_tunnels_.find(link.ifindex); map != port_tunnels_.end()) {
    out.reserve(map->second.size());
    for (const auto& [vni, vid] : map->second) out.push_back(vni);
  }
  return out;
}

void NetlinkBackend::reindex_links() {
  vni_carriers_.clear();
  vlan_devices_.clear();
  for (const auto& [ifindex, link] : links_) {
    if (link.kind == "vlan" && link.link != 0) {
      auto [it, inserted] = vlan_devices_.try_emplace({link.link, link.vlan_id}, ifindex);
      if (!inserted) it->second = std::min(it->second, ifindex);  // the same one whatever the hash order
    }
    for (std::uint32_t vni : vnis_of(link)) {
      auto [it, inserted] = vni_carriers_.try_emplace(vni, ifindex);
      if (inserted) continue;
      // A VNI on two devices (a misconfiguration): a vxlan device of its own before a
      // single vxlan device's map entry, as zebra takes it, then the lower ifindex.
      const LinkMessage& held = links_.at(it->second);
      const bool held_single = is_single_vxlan_device(held);
      const bool this_single = is_single_vxlan_device(link);
      if (held_single != this_single ? held_single : ifindex < it->second) it->second = ifindex;
    }
  }
}

void NetlinkBackend::reindex_records() {
  records_by_vlan_.clear();
  records_by_svi_.clear();
  for (const auto& [vni, record] : records_) {
    if (record.bridge != 0) records_by_vlan_.try_emplace({record.bridge, record.vlan}, vni);
    if (record.svi != 0) records_by_svi_.try_emplace(record.svi, vni);
  }
}

const LinkMessage* NetlinkBackend::vxlan_with(Vni vni) const {
  auto carrier = vni_carriers_.find(vni.value());
  if (carrier == vni_carriers_.end()) return nullptr;
  auto link = links_.find(carrier->second);
  return link != links_.end() ? &link->second : nullptr;
}

std::optional<NetlinkBackend::VlanAndSvi> NetlinkBackend::vlan_of(const LinkMessage& vxlan, Vni vni) const {
  auto bridge = links_.find(vxlan.master);
  if (bridge == links_.end()) return std::nullopt;
  if (!bridge->second.vlan_filtering) {
    if (is_single_vxlan_device(vxlan)) return std::nullopt;  // its map needs VLANs
    return VlanAndSvi{0, bridge->first};
  }
  std::optional<std::uint16_t> vid;
  if (is_single_vxlan_device(vxlan)) {
    if (auto map = port_tunnels_.find(vxlan.ifindex); map != port_tunnels_.end()) {
      if (auto t = map->second.find(vni.value()); t != map->second.end()) vid = t->second;
    }
  } else if (auto pvid = port_pvids_.find(vxlan.ifindex); pvid != port_pvids_.end()) {
    vid = pvid->second;
  }
  if (!vid) return std::nullopt;
  VlanAndSvi out{*vid, 0};
  if (auto svi = vlan_devices_.find({bridge->first, *vid}); svi != vlan_devices_.end()) out.svi = svi->second;
  return out;
}

void NetlinkBackend::update_event_filter() {
  std::vector<int> vxlans;
  for (const auto& [ifindex, link] : links_) {
    if (link.kind == "vxlan") vxlans.push_back(ifindex);
  }
  std::sort(vxlans.begin(), vxlans.end());
  if (vxlans == filtered_vxlans_ || !events_.is_open()) return;
  // On failure the old program stays: more notifications pass, and are ignored here.
  if (netlink::attach_event_filter(events_.fd(), vxlans) == 0) filtered_vxlans_ = std::move(vxlans);
}

std::string NetlinkBackend::link_name(int ifindex) const {
  if (auto it = links_.find(ifindex); it != links_.end()) return it->second.name;
  std::array<char, IF_NAMESIZE> name{};
  if (::if_indextoname(static_cast<unsigned>(ifindex), name.data()) != nullptr) return name.data();
  return "if" + std::to_string(ifindex);
}

std::optional<VniDevice> NetlinkBackend::usable_device(const LinkMessage& vxlan, Vni vni) const {
  if (vxlan.kind != "vxlan" || !vxlan.local || vxlan.master == 0) return std::nullopt;
  auto bridge = links_.find(vxlan.master);
  if (bridge == links_.end() || bridge->second.kind != "bridge") return std::nullopt;
  const auto vlan = vlan_of(vxlan, vni);
  if (!vlan) return std::nullopt;
  VniDevice device;
  device.vni = vni;
  device.bridge = bridge->second.name;
  device.vxlan = vxlan.name;
  device.local = vxlan.local;
  device.svi = vlan->svi != 0 ? link_name(vlan->svi) : std::string();  // without VLANs: the bridge
  device.up = (vxlan.flags & IFF_UP) != 0 && (vxlan.flags & IFF_RUNNING) != 0;
  device.vlan = vlan->vlan;
  return device;
}

void NetlinkBackend::rebind_records() {
  reindex_links();
  for (auto& [vni, record] : records_) {
    const LinkMessage* found = vxlan_with(vni);
    const auto vlan = found != nullptr ? vlan_of(*found, vni) : std::nullopt;
    if (!vlan) found = nullptr;  // on a VLAN-aware bridge without a VLAN: no devices now
    record.vxlan = found != nullptr ? found->ifindex : 0;
    record.bridge = found != nullptr ? found->master : 0;
    record.svi = vlan ? vlan->svi : 0;
    record.vlan = vlan ? vlan->vlan : 0;
    record.src_vni = found != nullptr && is_single_vxlan_device(*found) ? vni.value() : 0;
  }
  reindex_records();
}

const NetlinkBackend::VniRecord* NetlinkBackend::record_by_bridge(int bridge_ifindex, std::uint16_t vlan) const {
  auto it = records_by_vlan_.find({bridge_ifindex, vlan});
  return it != records_by_vlan_.end() ? &records_.at(it->second) : nullptr;
}

const NetlinkBackend::VniRecord* NetlinkBackend::record_by_svi(int svi_ifindex) const {
  auto it = records_by_svi_.find(svi_ifindex);
  return it != records_by_svi_.end() ? &records_.at(it->second) : nullptr;
}

void NetlinkBackend::diff_vnis(std::vector<Event>& out) {
  std::map<Vni, VniDevice> now;
  // vni_carriers_ already holds each VNI once, on the device that carries it.
  for (const auto& [value, ifindex] : vni_carriers_) {
    auto vni = Vni::make(value);
    if (!vni) continue;
    if (auto device = usable_device(links_.at(ifindex), *vni)) now.emplace(*vni, std::move(*device));
  }
  for (const auto& [vni, old] : reported_vnis_) {
    if (!now.contains(vni)) out.push_back(VniGone{vni});
  }
  for (const auto& [vni, device] : now) {
    auto it = reported_vnis_.find(vni);
    if (it == reported_vnis_.end() || it->second != device) out.push_back(VniAppeared{device});
  }
  reported_vnis_ = std::move(now);
}

std::vector<VniDevice> NetlinkBackend::discover() {
  std::vector<VniDevice> devices;
  if (open_error_ != 0 || refresh_links() != 0) return devices;
  std::vector<Event> ignored;
  diff_vnis(ignored);  // what discover reports is what later events are relative to
  for (const auto& [vni, device] : reported_vnis_) devices.push_back(device);  // in VNI order
  return devices;
}

std::string NetlinkBackend::transact_one(netlink::RequestBatch& batch) {
  command_.transact(batch, acks_);
  for (const auto& ack : acks_) {
    if (ack.error != 0) return describe(ack.error, ack.message);
  }
  return {};
}

std::variant<VniDevice, std::string> NetlinkBackend::create_devices(const VniSpec& spec) {
  if (!spec.vxlan || !spec.bridge || !spec.local) {
    return vni_text(spec.vni) + ": creating it needs a bridge, a vxlan device and a local address";
  }
  auto by_name = [&](const std::string& name) -> const LinkMessage* {
    for (const auto& [ifindex, link] : links_) {
      if (link.name == name) return &link;
    }
    return nullptr;
  };
  if (by_name(*spec.vxlan) != nullptr) {
    return vni_text(spec.vni) + ": device " + *spec.vxlan + " exists and is not a vxlan device with that VNI";
  }
  netlink::RequestBatch batch;
  const LinkMessage* bridge = by_name(*spec.bridge);
  if (bridge != nullptr && bridge->kind != "bridge") {
    return vni_text(spec.vni) + ": device " + *spec.bridge + " exists and is not a bridge";
  }
  if (bridge == nullptr) {
    batch.reset(command_.take_seqs(1));
    batch.commit(netlink::build_bridge_create(batch.room(), batch.next_seq(), *spec.bridge));
    if (auto err = transact_one(batch); !err.empty()) return "creating bridge " + *spec.bridge + ": " + err;
    if (refresh_links() != 0 || (bridge = by_name(*spec.bridge)) == nullptr) {
      return "creating bridge " + *spec.bridge + ": it did not appear";
    }
  }
  batch.reset(command_.take_seqs(1));
  batch.commit(netlink::build_vxlan_create(batch.room(), batch.next_seq(), *spec.vxlan, spec.vni.value(), *spec.local,
                                           bridge->ifindex));
  if (auto err = transact_one(batch); !err.empty()) return "creating vxlan device " + *spec.vxlan + ": " + err;
  if (refresh_links() != 0) return "creating vxlan device " + *spec.vxlan + ": links could not be read";
  return VniDevice{};  // the caller reads the devices back
}

std::variant<VniDevice, std::string> NetlinkBackend::ensure_vni(const VniSpec& spec) {
  if (open_error_ != 0) return "netlink: " + describe(open_error_, {});
  if (int rc = refresh_links(); rc != 0) return "netlink link dump: " + describe(rc, {});
  const LinkMessage* vxlan = vxlan_with(spec.vni);
  if (vxlan == nullptr) {
    if (!spec.create) return vni_text(spec.vni) + ": no vxlan device has it";
    auto created = create_devices(spec);
    if (auto* err = std::get_if<std::string>(&created)) return *err;
    vxlan = vxlan_with(spec.vni);
    if (vxlan == nullptr) return vni_text(spec.vni) + ": the vxlan device did not appear";
  }
  if (spec.vxlan && *spec.vxlan != vxlan->name) {
    return vni_text(spec.vni) + " is on vxlan device " + vxlan->name + ", not " + *spec.vxlan;
  }
  auto master = links_.find(vxlan->master);
  if (vxlan->master == 0 || master == links_.end() || master->second.kind != "bridge") {
    if (!spec.create || !spec.bridge) return vni_text(spec.vni) + ": vxlan device " + vxlan->name + " is in no bridge";
    const LinkMessage* bridge = nullptr;
    for (const auto& [ifindex, link] : links_) {
      if (link.name == *spec.bridge && link.kind == "bridge") bridge = &link;
    }
    netlink::RequestBatch batch;
    if (bridge == nullptr) {
      batch.reset(command_.take_seqs(1));
      batch.commit(netlink::build_bridge_create(batch.room(), batch.next_seq(), *spec.bridge));
      if (auto err = transact_one(batch); !err.empty()) return "creating bridge " + *spec.bridge + ": " + err;
      refresh_links();
      for (const auto& [ifindex, link] : links_) {
        if (link.name == *spec.bridge && link.kind == "bridge") bridge = &link;
      }
      if (bridge == nullptr) return "creating bridge " + *spec.bridge + ": it did not appear";
    }
    vxlan = vxlan_with(spec.vni);
    if (vxlan == nullptr) return vni_text(spec.vni) + ": the vxlan device went away";
    batch.reset(command_.take_seqs(1));
    batch.commit(netlink::build_link_enslave(batch.room(), batch.next_seq(), vxlan->ifindex, bridge->ifindex));
    if (auto err = transact_one(batch); !err.empty()) return "putting " + vxlan->name + " in " + *spec.bridge + ": " + err;
    refresh_links();
    vxlan = vxlan_with(spec.vni);
    if (vxlan == nullptr) return vni_text(spec.vni) + ": the vxlan device went away";
    master = links_.find(vxlan->master);
    if (master == links_.end()) return vni_text(spec.vni) + ": the bridge went away";
  }
  if (spec.bridge && *spec.bridge != master->second.name) {
    return vni_text(spec.vni) + ": vxlan device " + vxlan->name + " is in bridge " + master->second.name + ", not " +
           *spec.bridge;
  }
  if (spec.local && vxlan->local != spec.local) {
    return vni_text(spec.vni) + ": vxlan device " + vxlan->name + " has local " +
           (vxlan->local ? vxlan->local->to_string() : std::string("none")) + ", not " + spec.local->to_string();
  }
  const auto vlan = vlan_of(*vxlan, spec.vni);
  if (!vlan && is_single_vxlan_device(*vxlan)) {
    return vni_text(spec.vni) + ": single vxlan device " + vxlan->name + " maps it to no VLAN of VLAN-aware bridge " +
           master->second.name;
  }
  if (!vlan) {
    return vni_text(spec.vni) + ": vxlan device " + vxlan->name + " has no PVID (access VLAN) on VLAN-aware bridge " +
           master->second.name;
  }
  auto device = usable_device(*vxlan, spec.vni);
  if (!device) return vni_text(spec.vni) + ": vxlan device " + vxlan->name + " has no local address";
  const std::uint32_t src_vni = is_single_vxlan_device(*vxlan) ? spec.vni.value() : 0;
  records_[spec.vni] = VniRecord{spec.vni, master->second.ifindex, vxlan->ifindex, vlan->svi, vlan->vlan, src_vni};
  reindex_records();
  reported_vnis_[spec.vni] = *device;  // the caller has it; no VniAppeared to repeat it
  return *device;
}

int NetlinkBackend::port_of(const VniRecord& record, const vtep::PortName& name, OperationResult& result) const {
  for (const auto& [ifindex, link] : links_) {
    if (link.name != name.view()) continue;
    if (link.master == record.bridge) return ifindex;
    result = {EINVAL, name.str() + " is not a port of bridge " + link_name(record.bridge)};
    return 0;
  }
  result = {ENODEV, "no interface " + name.str()};
  return 0;
}

std::vector<OperationResult> NetlinkBackend::apply(std::span<const Operation> ops) {
  std::vector<OperationResult> results(ops.size());
  if (open_error_ != 0) {
    for (auto& r : results) r = {open_error_, "netlink socket: " + describe(open_error_, {})};
    return results;
  }
  batch_.reset(command_.take_seqs(2 * ops.size()));
  batch_.reserve(2 * ops.size());
  owner_.clear();
  owner_.reserve(2 * ops.size());
  auto add = [&](std::size_t op, std::size_t length) {
    batch_.commit(length);
    owner_.push_back(static_cast<std::uint32_t>(op));
  };
  auto record_of = [&](std::size_t i, Vni vni) -> const VniRecord* {
    auto it = records_.find(vni);
    if (it == records_.end() || it->second.vxlan == 0 || it->second.bridge == 0) {
      results[i] = {ENODEV, vni_text(vni) + (it == records_.end() ? " is not ensured" : " has no devices now")};
      return nullptr;
    }
    return &it->second;
  };
  for (std::size_t i = 0; i < ops.size(); ++i) {
    const Operation& op = ops[i];
    if (const auto* mac = std::get_if<RemoteMac>(&op)) {
      if (const VniRecord* r = record_of(i, mac->vni)) {
        // The bridge's entry moves to the vxlan device, and the event filter keeps that
        // notification from us: the MAC is no longer local.
        known_macs_.erase({mac->vni, mac->mac});
        add(i, netlink::build_remote_mac(batch_.room(), batch_.next_seq(), r->vxlan, r->bridge, mac->mac, mac->vtep,
                                         mac->sticky, r->vlan, r->src_vni));
      }
    } else if (const auto* gone = std::get_if<RemoteMacGone>(&op)) {
      if (const VniRecord* r = record_of(i, gone->vni)) {
        add(i, netlink::build_remote_mac_delete(batch_.room(), batch_.next_seq(), r->vxlan, r->bridge, gone->mac, true,
                                                r->vlan));
        add(i, netlink::build_remote_mac_delete(batch_.room(), batch_.next_seq(), r->vxlan, r->bridge, gone->mac, false,
                                                0, r->src_vni));
      }
    } else if (const auto* flood = std::get_if<FloodVtep>(&op)) {
      if (const VniRecord* r = record_of(i, flood->vni)) {
        add(i, netlink::build_flood(batch_.room(), batch_.next_seq(), true, r->vxlan, flood->vtep, r->src_vni));
      }
    } else if (const auto* flood_gone = std::get_if<FloodVtepGone>(&op)) {
      if (const VniRecord* r = record_of(i, flood_gone->vni)) {
        add(i, netlink::build_flood(batch_.room(), batch_.next_seq(), false, r->vxlan, flood_gone->vtep, r->src_vni));
      }
    } else if (const auto* neigh = std::get_if<RemoteNeighbor>(&op)) {
      if (const VniRecord* r = record_of(i, neigh->vni); r != nullptr && r->svi == 0) {
        results[i] = {ENODEV, vni_text(neigh->vni) + " has no SVI (no VLAN device for VLAN " + std::to_string(r->vlan) +
                                  " on bridge " + link_name(r->bridge) + ")"};
      } else if (r != nullptr) {
        known_neighbors_.erase({neigh->vni, neigh->ip});  // replaced by ours, likewise
        add(i, netlink::build_neighbor(batch_.room(), batch_.next_seq(), r->svi, neigh->ip, neigh->mac));
      }
    } else if (const auto* neigh_gone = std::get_if<RemoteNeighborGone>(&op)) {
      // Without an SVI no neighbour entry of the VNI can be there: nothing to remove.
      if (const VniRecord* r = record_of(i, neigh_gone->vni); r != nullptr && r->svi != 0) {
        add(i, netlink::build_neighbor_delete(batch_.room(), batch_.next_seq(), r->svi, neigh_gone->ip));
      }
    } else if (const auto* pin = std::get_if<LocalStaticMac>(&op)) {
      if (const VniRecord* r = record_of(i, pin->vni)) {
        if (const int port = port_of(*r, pin->port, results[i]); port != 0) {
          add(i, netlink::build_static_mac(batch_.room(), batch_.next_seq(), true, port, r->bridge, pin->mac, r->vlan));
        }
      }
    } else if (const auto* unpin = std::get_if<LocalStaticMacGone>(&op)) {
      if (const VniRecord* r = record_of(i, unpin->vni)) {
        if (const int port = port_of(*r, unpin->port, results[i]); port != 0) {
          add(i,
              netlink::build_static_mac(batch_.room(), batch_.next_seq(), false, port, r->bridge, unpin->mac, r->vlan));
        }
      }
    }
  }
  if (batch_.count() == 0) return results;
  command_.transact(batch_, acks_);
  for (std::size_t k = 0; k < batch_.count(); ++k) {
    const std::size_t i = owner_[k];
    const netlink::Ack& ack = acks_[k];
    const bool removal = is_removal(ops[i]);
    if (ack.error == 0 || (removal && ack.error == ENOENT)) continue;  // gone already is gone
    if (results[i].error == 0) results[i] = {ack.error, describe(ack.error, ack.message)};
  }
  return results;
}

Installed NetlinkBackend::installed() {
  Installed out;
  if (open_error_ != 0) return out;
  refresh_links();
  // The vxlan devices' own entries name their VNI by device, and on a single vxlan device
  // also by NDA_SRC_VNI: (ifindex, src VNI) -> VNI. One dump per bridge, however many
  // VNIs it holds.
  std::map<int, std::map<std::pair<int, std::uint32_t>, Vni>> by_bridge;
  for (const auto& [vni, record] : records_) {
    if (record.vxlan == 0 || record.bridge == 0) continue;
    by_bridge[record.bridge].emplace(std::pair{record.vxlan, record.src_vni}, vni);
  }
  for (const auto& entry : by_bridge) {
    // Named copies: clang 14 cannot capture structured bindings in the lambdas below.
    const int bridge = entry.first;
    const auto& owners = entry.second;
    std::set<std::pair<Vni, MacAddress>> seen;
    std::vector<RemoteMac> macs;
    std::vector<FloodVtep> flood;
    const int rc = dump(netlink::build_fdb_dump, bridge, [&](const nlmsghdr* nlh) {
      auto fdb = netlink::parse_fdb(nlh);
      // The vxlan device's own entries carry the VTEP; the bridge's half of a remote MAC
      // (NDA_MASTER, no NDA_DST) names the same MAC again.
      if (!fdb || fdb->deleted || fdb->master != 0 || !fdb->dst) return;
      auto owner = owners.find({fdb->ifindex, fdb->src_vni});
      if (owner == owners.end()) return;
      const Vni vni = owner->second;
      if (fdb->mac.is_zero()) {
        flood.push_back(FloodVtep{vni, *fdb->dst});
      } else if ((fdb->flags & (NTF_EXT_LEARNED | NTF_STICKY)) != 0 && seen.insert({vni, fdb->mac}).second) {
        macs.push_back(RemoteMac{vni, fdb->mac, *fdb->dst, (fdb->flags & NTF_STICKY) != 0});
      }
    }, [&] {
      seen.clear();
      macs.clear();
      flood.clear();
    });
    if (rc != 0) continue;  // nothing reported for this bridge's VNIs: their entries stay unknown, not removed
    out.macs.insert(out.macs.end(), macs.begin(), macs.end());
    out.flood.insert(out.flood.end(), flood.begin(), flood.end());
  }
  for (const auto& entry : records_) {
    const Vni vni = entry.first;
    const VniRecord& record = entry.second;
    if (record.vxlan == 0 || record.svi == 0) continue;  // no SVI, no neighbour entries
    std::vector<RemoteNeighbor> neighbors;
    const int nrc = dump(netlink::build_neighbor_dump, record.svi, [&](const nlmsghdr* nlh) {
      auto n = netlink::parse_neighbor(nlh);
      if (!n || n->deleted || n->ifindex != record.svi || (n->flags & NTF_EXT_LEARNED) == 0 || !n->mac) return;
      neighbors.push_back(RemoteNeighbor{vni, n->ip, *n->mac});
    }, [&] { neighbors.clear(); });
    if (nrc == 0) out.neighbors.insert(out.neighbors.end(), neighbors.begin(), neighbors.end());
  }
  return out;
}

}  // namespace evpnd::fib
