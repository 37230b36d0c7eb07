#pragma once
// fib::NetlinkBackend: the Linux kernel as the forwarding plane (fib/backend.hpp), over
// rtnetlink. An L2VNI is a vxlan device enslaved to a bridge, as zebra finds it: on a
// bridge without VLAN filtering the bridge is also the SVI; on a VLAN-aware bridge the
// VNI's VLAN is the vxlan port's PVID (its access VLAN) and the SVI is the VLAN device on
// the bridge with that VLAN ID, and the bridge's entries carry the VLAN. A single vxlan
// device (`external`, collect metadata) on a VLAN-aware bridge carries many L2VNIs: its
// bridge port's VLAN-to-VNI tunnel map (`bridge vlan add dev vxlan0 vid 10 tunnel_info
// id 1000`) gives each VNI its VLAN, and the device's own entries carry the VNI
// (NDA_SRC_VNI). (Its `vnifilter` list, RTM_GETTUNNEL, is not read: the VNIs are the
// map's.) Remote MACs, flood entries and ARP/ND suppression neighbours are written as
// FRR's zebra writes them (nl_messages.hpp), so either daemon reads the other's entries.
//
//   apply(ops) ─ builders ─► RequestBatch ─ chunks ─► command socket ─► one ack per request
//   discover / ensure_vni / local_state / installed ─ dumps ─► command socket
//   event socket (RTNLGRP_LINK, RTNLGRP_NEIGH, BPF filter) ─► read_events ─► fib::Event
//
// Links are cached by ifindex from dumps and notifications; the VNIs are derived from the
// cache (every vxlan device with a VNI and a local address under a bridge, and every VNI
// of a single vxlan device's map), and a change of that derived set is a VniAppeared or
// VniGone. A lost notification (ENOBUFS on the
// event socket) is repaired by dumping again and reporting the difference.
#include <functional>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "fib/backend.hpp"
#include "fib/netlink/nl_messages.hpp"
#include "fib/netlink/nl_socket.hpp"

namespace evpnd::fib {

class NetlinkBackend : public Backend {
 public:
  // Opens both sockets; `error()` says whether that worked (an unopened backend fails
  // every operation with its errno).
  NetlinkBackend();
  // The same backend over a scripted netlink peer instead of the kernel (tests of the
  // paths a real kernel cannot be made to take): `command` answers requests and dumps,
  // `events` carries notifications. Both are connected datagram sockets, taken over.
  struct PeerSockets {
    int command = -1;
    int events = -1;
    std::uint32_t portid = 1;
  };
  explicit NetlinkBackend(PeerSockets peer);
  [[nodiscard]] int error() const { return open_error_; }

  std::variant<VniDevice, std::string> ensure_vni(const VniSpec& spec) override;
  std::vector<VniDevice> discover() override;
  std::vector<Event> local_state() override;
  Installed installed() override;
  std::vector<OperationResult> apply(std::span<const Operation> ops) override;
  [[nodiscard]] int event_fd() const override;
  std::vector<Event> read_events() override;

 private:
  // An ensured VNI's devices.
  struct VniRecord {
    Vni vni;
    int bridge = 0;
    int vxlan = 0;
    int svi = 0;
    std::uint16_t vlan = 0;     // on a VLAN-aware bridge
    std::uint32_t src_vni = 0;  // on a single vxlan device: the VNI its entries are keyed by
  };
  struct LocalMac {
    std::string port;
    bool is_static = false;
    friend bool operator==(const LocalMac&, const LocalMac&) = default;
  };

  void start();  // once the sockets are open: the event filter and the first link dump
  int refresh_links();
  // The PVID and VLAN tunnel map of every port of a VLAN-aware bridge (a second dump,
  // only while there is one).
  int refresh_port_vlans();
  void set_port_vlans(const netlink::PortVlanMessage& port);
  [[nodiscard]] bool any_vlan_aware_bridge() const;
  [[nodiscard]] static bool is_single_vxlan_device(const netlink::LinkMessage& link);
  // The VNIs a link carries: a vxlan device's VNI, a single vxlan device's mapped ones.
  [[nodiscard]] std::vector<std::uint32_t> vnis_of(const netlink::LinkMessage& link) const;
  // The vxlan device carrying `vni` (vni_carriers_); null if none.
  [[nodiscard]] const netlink::LinkMessage* vxlan_with(Vni vni) const;
  // The VNI's VLAN and SVI on the vxlan device's bridge: {0, bridge} without VLAN
  // filtering; nullopt if a VLAN-aware bridge gives the port no PVID (a single vxlan
  // device: no VLAN mapped to the VNI).
  struct VlanAndSvi {
    std::uint16_t vlan = 0;
    int svi = 0;
  };
  [[nodiscard]] std::optional<VlanAndSvi> vlan_of(const netlink::LinkMessage& vxlan, Vni vni) const;
  int dump(std::size_t (*build)(std::span<std::byte>, std::uint32_t, int), int ifindex,
           const std::function<void(const nlmsghdr*)>& on_message, const std::function<void()>& restart);
  [[nodiscard]] std::optional<VniDevice> usable_device(const netlink::LinkMessage& vxlan, Vni vni) const;
  [[nodiscard]] std::string link_name(int ifindex) const;
  [[nodiscard]] const VniRecord* record_by_bridge(int bridge_ifindex, std::uint16_t vlan) const;
  [[nodiscard]] const VniRecord* record_by_svi(int svi_ifindex) const;
  // The ifindex of port `name` of the VNI's bridge; 0, with `result` saying why, if none.
  int port_of(const VniRecord& record, const vtep::PortName& name, OperationResult& result) const;
  // After a change of the links or the ports' VLANs: the indexes below, then every
  // record's devices again.
  void rebind_records();
  void reindex_links();
  void reindex_records();
  // Keeps the event filter's list of vxlan devices (nl_filter.hpp) up to date.
  void update_event_filter();
  // The VNIs now usable compared with the ones last reported: VniAppeared/VniGone.
  void diff_vnis(std::vector<Event>& out);
  std::variant<VniDevice, std::string> create_devices(const VniSpec& spec);
  std::string transact_one(netlink::RequestBatch& batch);

  // Translation of kernel messages about local hosts (nullopt: not one of theirs).
  struct MacView {
    Vni vni;
    MacAddress mac;
    bool present = false;  // learned (else gone)
    bool remote = false;   // now on the vxlan device: no longer local, and none of the host's doing
    LocalMac value;
  };
  std::optional<MacView> local_mac_of(const netlink::FdbMessage& fdb) const;
  struct NeighborView {
    Vni vni;
    IpAddress ip;
    MacAddress mac;
    bool present = false;
  };
  std::optional<NeighborView> local_neighbor_of(const netlink::NeighborMessage& n) const;
  void handle_event_message(const nlmsghdr* nlh, std::vector<Event>& out, bool& links_changed);
  // Dumps the local MACs and neighbours of every ensured VNI into the known sets and
  // reports the difference from what was known (all of it when `report_all`).
  int resync_local(std::vector<Event>& out, bool report_all);

  netlink::NlSocket command_;
  netlink::NlSocket events_;
  int open_error_ = 0;
  std::unordered_map<int, netlink::LinkMessage> links_;
  std::unordered_map<int, std::uint16_t> port_pvids_;  // ports of VLAN-aware bridges
  // Single vxlan devices' maps: port ifindex -> (VNI -> VLAN).
  std::unordered_map<int, std::map<std::uint32_t, std::uint16_t>> port_tunnels_;
  // Indexes, so that a single vxlan device with thousands of VNIs (or a bridge with
  // thousands of VLAN devices) costs a lookup per VNI, not a scan of every link:
  std::unordered_map<std::uint32_t, int> vni_carriers_;        // VNI -> the vxlan device carrying it
  std::map<std::pair<int, std::uint16_t>, int> vlan_devices_;  // (bridge, VLAN) -> its VLAN device
  std::map<Vni, VniRecord> records_;
  std::map<std::pair<int, std::uint16_t>, Vni> records_by_vlan_;  // (bridge, VLAN) -> the record there
  std::unordered_map<int, Vni> records_by_svi_;
  std::map<Vni, VniDevice> reported_vnis_;  // what discover/events last said
  std::map<std::pair<Vni, MacAddress>, LocalMac> known_macs_;
  std::map<std::pair<Vni, IpAddress>, MacAddress> known_neighbors_;
  bool resync_needed_ = false;
  std::vector<int> filtered_vxlans_;
  // Reused by every apply(): the batch, the op each request belongs to, the acks.
  netlink::RequestBatch batch_;
  std::vector<std::uint32_t> owner_;
  std::vector<netlink::Ack> acks_;
};

}  // namespace evpnd::fib
