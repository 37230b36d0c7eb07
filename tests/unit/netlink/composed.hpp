#pragma once
// Kernel messages this machine's kernel cannot produce, composed by hand after the
// rtnetlink ABI (linux/if_link.h, linux/if_bridge.h, linux/neighbour.h): a VLAN-aware
// bridge (IFLA_BR_VLAN_FILTERING), a VLAN device on it (IFLA_VLAN_ID, IFLA_LINK: the
// kernel here has no 802.1Q), the ports' VLANs (AF_BRIDGE link messages with
// IFLA_AF_SPEC / IFLA_BRIDGE_VLAN_INFO), a single vxlan device (IFLA_VXLAN_COLLECT_METADATA)
// and its port's VLAN-to-VNI map (IFLA_BRIDGE_VLAN_TUNNEL_INFO, with the kernel's
// RANGE_BEGIN / RANGE_END runs), and FDB entries with NDA_VLAN. The layouts are
// the ones the recorded messages of captured_*.hex show for what this kernel can build.
#include <libmnl/libmnl.h>
#include <linux/if_bridge.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <linux/if.h>
#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "fib/netlink/nl_messages.hpp"

namespace evpnd::fib::netlink::test::composed {

using Bytes = std::vector<std::uint8_t>;

class Message {
 public:
  Message(std::uint16_t type, std::uint16_t flags) {
    nlh_ = mnl_nlmsg_put_header(buf_.data());
    nlh_->nlmsg_type = type;
    nlh_->nlmsg_flags = flags;
  }
  nlmsghdr* operator->() { return nlh_; }
  nlmsghdr* get() { return nlh_; }
  [[nodiscard]] Bytes bytes() const { return Bytes(buf_.begin(), buf_.begin() + nlh_->nlmsg_len); }

 private:
  std::array<std::uint8_t, 1024> buf_{};
  nlmsghdr* nlh_;
};

struct Link {
  int ifindex = 0;
  std::string name;
  std::string kind;  // "bridge", "vxlan", "vlan", "veth"
  int master = 0;
  bool vlan_filtering = false;  // bridge
  std::uint32_t vni = 0;        // vxlan
  std::optional<IpAddress> local;
  std::uint16_t vlan_id = 0;  // vlan
  int link = 0;               // vlan: the parent
  bool external = false;      // vxlan: `external` (collect metadata), a single vxlan device
};

// RTM_NEWLINK (AF_UNSPEC), up and running, as a link dump answers.
inline Bytes link(const Link& l) {
  Message m(RTM_NEWLINK, NLM_F_MULTI);
  auto* ifm = static_cast<ifinfomsg*>(mnl_nlmsg_put_extra_header(m.get(), sizeof(ifinfomsg)));
  ifm->ifi_family = AF_UNSPEC;
  ifm->ifi_index = l.ifindex;
  ifm->ifi_flags = IFF_UP | IFF_RUNNING | IFF_LOWER_UP;
  mnl_attr_put_strz(m.get(), IFLA_IFNAME, l.name.c_str());
  if (l.master != 0) mnl_attr_put_u32(m.get(), IFLA_MASTER, static_cast<std::uint32_t>(l.master));
  if (l.link != 0) mnl_attr_put_u32(m.get(), IFLA_LINK, static_cast<std::uint32_t>(l.link));
  nlattr* info = mnl_attr_nest_start(m.get(), IFLA_LINKINFO);
  mnl_attr_put_strz(m.get(), IFLA_INFO_KIND, l.kind.c_str());
  nlattr* data = mnl_attr_nest_start(m.get(), IFLA_INFO_DATA);
  if (l.kind == "bridge") {
    mnl_attr_put_u8(m.get(), IFLA_BR_VLAN_FILTERING, l.vlan_filtering ? 1 : 0);
  } else if (l.kind == "vxlan") {
    mnl_attr_put_u32(m.get(), IFLA_VXLAN_ID, l.vni);  // 0 on a single vxlan device, as the kernel says
    if (l.local) mnl_attr_put(m.get(), IFLA_VXLAN_LOCAL, l.local->size(), l.local->data());
    mnl_attr_put_u8(m.get(), IFLA_VXLAN_COLLECT_METADATA, l.external ? 1 : 0);
  } else if (l.kind == "vlan") {
    mnl_attr_put_u16(m.get(), IFLA_VLAN_ID, l.vlan_id);
  }
  mnl_attr_nest_end(m.get(), data);
  mnl_attr_nest_end(m.get(), info);
  return m.bytes();
}

// One entry of a port's VLAN-to-VNI map as the kernel writes it (flags 0, or
// BRIDGE_VLAN_INFO_RANGE_BEGIN / _END around a run of VLANs mapped to a run of VNIs).
struct Tunnel {
  std::uint16_t vid = 0;
  std::uint32_t vni = 0;
  std::uint16_t flags = 0;
};

// A bridge port's VLANs (AF_BRIDGE RTM_NEWLINK): `vids`, the one equal to `pvid` flagged
// PVID and untagged, as `bridge vlan add dev PORT vid N pvid untagged` leaves it; then
// the tunnel map of a port with `vlan_tunnel on`.
inline Bytes port_vlans(int ifindex, int master, const std::vector<std::uint16_t>& vids,
                        std::optional<std::uint16_t> pvid, const std::vector<Tunnel>& tunnels = {}) {
  Message m(RTM_NEWLINK, NLM_F_MULTI);
  auto* ifm = static_cast<ifinfomsg*>(mnl_nlmsg_put_extra_header(m.get(), sizeof(ifinfomsg)));
  ifm->ifi_family = AF_BRIDGE;
  ifm->ifi_index = ifindex;
  mnl_attr_put_u32(m.get(), IFLA_MASTER, static_cast<std::uint32_t>(master));
  nlattr* spec = mnl_attr_nest_start(m.get(), IFLA_AF_SPEC);
  for (std::uint16_t vid : vids) {
    bridge_vlan_info info{};
    info.vid = vid;
    if (pvid == vid) info.flags = BRIDGE_VLAN_INFO_PVID | BRIDGE_VLAN_INFO_UNTAGGED;
    mnl_attr_put(m.get(), IFLA_BRIDGE_VLAN_INFO, sizeof info, &info);
  }
  for (const Tunnel& t : tunnels) {
    nlattr* tinfo = mnl_attr_nest_start(m.get(), IFLA_BRIDGE_VLAN_TUNNEL_INFO);
    mnl_attr_put_u32(m.get(), IFLA_BRIDGE_VLAN_TUNNEL_ID, t.vni);
    mnl_attr_put_u16(m.get(), IFLA_BRIDGE_VLAN_TUNNEL_VID, t.vid);
    mnl_attr_put_u16(m.get(), IFLA_BRIDGE_VLAN_TUNNEL_FLAGS, t.flags);
    mnl_attr_nest_end(m.get(), tinfo);
  }
  mnl_attr_nest_end(m.get(), spec);
  return m.bytes();
}

// A bridge's entry for a MAC learned on a port, in a VLAN: the notification the bridge
// sends (RTM_NEWNEIGH, NTF_MASTER, NUD_REACHABLE).
inline Bytes learned_mac(int port, int bridge, const MacAddress& mac, std::uint16_t vlan) {
  Message m(RTM_NEWNEIGH, 0);
  auto* ndm = static_cast<ndmsg*>(mnl_nlmsg_put_extra_header(m.get(), sizeof(ndmsg)));
  ndm->ndm_family = AF_BRIDGE;
  ndm->ndm_ifindex = port;
  ndm->ndm_state = NUD_REACHABLE;
  ndm->ndm_flags = NTF_MASTER;
  mnl_attr_put(m.get(), NDA_LLADDR, mac.bytes.size(), mac.bytes.data());
  if (vlan != 0) mnl_attr_put_u16(m.get(), NDA_VLAN, vlan);
  mnl_attr_put_u32(m.get(), NDA_MASTER, static_cast<std::uint32_t>(bridge));
  return m.bytes();
}

// An IPv4 neighbour resolved on `ifindex` (RTM_NEWNEIGH AF_INET, NUD_REACHABLE).
inline Bytes learned_neighbor(int ifindex, const IpAddress& ip, const MacAddress& mac) {
  Message m(RTM_NEWNEIGH, 0);
  auto* ndm = static_cast<ndmsg*>(mnl_nlmsg_put_extra_header(m.get(), sizeof(ndmsg)));
  ndm->ndm_family = AF_INET;
  ndm->ndm_ifindex = ifindex;
  ndm->ndm_state = NUD_REACHABLE;
  ndm->ndm_type = RTN_UNICAST;
  mnl_attr_put(m.get(), NDA_DST, ip.size(), ip.data());
  mnl_attr_put(m.get(), NDA_LLADDR, mac.bytes.size(), mac.bytes.data());
  return m.bytes();
}

}  // namespace evpnd::fib::netlink::test::composed
