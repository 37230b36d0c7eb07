#pragma once
// rtnetlink messages as bytes, without I/O: the requests the kernel backend sends and the
// kernel's link and neighbour messages read into plain values. Builders write one request
// into caller-provided room (at least kMaxRequestSize bytes) and return its aligned
// length; parsers take one whole message and return nullopt for anything that is not
// what they read (another family, a truncated attribute), never a partial value.
//
// The forwarding entries are encoded as FRR's zebra encodes them (FRR 8.4,
// zebra/rt_netlink.c: netlink_macfdb_update_ctx, netlink_vxlan_flood_update_ctx,
// netlink_neigh_update_ctx over netlink_neigh_update_msg_encode; the states come from
// zebra/zebra_dplane.c dplane_rem_neigh_add), so the kernel holds the same entries
// whichever daemon installed them:
//
//   entry          family     ifindex  ndm_flags                         ndm_state           nlmsg_flags
//   remote MAC     AF_BRIDGE  vxlan    MASTER|SELF|EXT_LEARNED            REACHABLE           CREATE|REPLACE
//   sticky MAC     AF_BRIDGE  vxlan    MASTER|SELF|STICKY                 REACHABLE|NOARP     CREATE|REPLACE
//   flood VTEP     AF_BRIDGE  vxlan    SELF                              NOARP|PERMANENT     CREATE|APPEND
//   neighbour      AF_INET/6  SVI      EXT_LEARNED (ndm_type RTN_UNICAST) NOARP               CREATE|REPLACE
//
// Attributes in zebra's order: NDA_PROTOCOL (RTPROT_ZEBRA), NDA_LLADDR, NDA_DST, and for
// MACs NDA_VLAN (a VLAN-aware bridge), NDA_SRC_VNI (a single vxlan device) and NDA_MASTER
// (the bridge); the flood entry's MAC is all zero, with NDA_SRC_VNI on a single vxlan
// device. A single vxlan device (`external`, VLAN-to-VNI tunnel map on its bridge port)
// keys its table by (MAC, VNI): its entries name the VNI in NDA_SRC_VNI.
#include <linux/netlink.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bgp/wire/types.hpp"
#include "evpn/types.hpp"

namespace evpnd::fib::netlink {

using IpAddress = bgp::wire::IpAddress;
using evpn::MacAddress;

// The largest request a builder writes (a link creation with its nested vxlan data).
inline constexpr std::size_t kMaxRequestSize = 512;
// RTPROT_ZEBRA: what zebra writes in NDA_PROTOCOL (linux/rtnetlink.h).
inline constexpr std::uint8_t kProtocolZebra = 11;

// ---- requests (each with NLM_F_REQUEST | NLM_F_ACK and the given sequence number) ----

// `vlan` (here and below): the VNI's VLAN on a VLAN-aware bridge, sent as NDA_VLAN for
// the bridge's entry as zebra sends it; 0 on a bridge without VLAN filtering. `src_vni`:
// the VNI when the vxlan device is a single vxlan device (sent as NDA_SRC_VNI for the
// device's own entry), else 0.
//
// A remote MAC on the vxlan device and the bridge in one request (NTF_MASTER | NTF_SELF):
// RTM_NEWNEIGH as zebra writes it.
std::size_t build_remote_mac(std::span<std::byte> out, std::uint32_t seq, int vxlan_ifindex, int bridge_ifindex,
                             const MacAddress& mac, const IpAddress& vtep, bool sticky, std::uint16_t vlan = 0,
                             std::uint32_t src_vni = 0);
// Removing a remote MAC takes two requests where zebra sends one with both flags: the
// kernel stops at the first of the two tables that lacks the entry, so a bridge entry
// already replaced by a local one would leave the vxlan entry behind. `master`: the
// bridge's entry (NTF_MASTER, NDA_MASTER, NDA_VLAN); else the vxlan device's (NTF_SELF,
// NDA_SRC_VNI, every destination: no NDA_DST).
std::size_t build_remote_mac_delete(std::span<std::byte> out, std::uint32_t seq, int vxlan_ifindex,
                                    int bridge_ifindex, const MacAddress& mac, bool master, std::uint16_t vlan = 0,
                                    std::uint32_t src_vni = 0);
// Head-end replication: the all-zero MAC with one more destination (RTM_NEWNEIGH), or
// without that destination (RTM_DELNEIGH, the same body).
std::size_t build_flood(std::span<std::byte> out, std::uint32_t seq, bool add, int vxlan_ifindex,
                        const IpAddress& vtep, std::uint32_t src_vni = 0);
// ARP/ND suppression entry on the SVI; the delete carries only the IP (zebra's).
std::size_t build_neighbor(std::span<std::byte> out, std::uint32_t seq, int svi_ifindex, const IpAddress& ip,
                           const MacAddress& mac);
std::size_t build_neighbor_delete(std::span<std::byte> out, std::uint32_t seq, int svi_ifindex, const IpAddress& ip);
// `mac static` (ours): the bridge's entry for a host pinned to a port, as `bridge fdb
// replace MAC dev PORT master static` writes it (NUD_NOARP: static, not the bridge's own
// address); RTM_DELNEIGH with the same body removes it.
std::size_t build_static_mac(std::span<std::byte> out, std::uint32_t seq, bool add, int port_ifindex,
                             int bridge_ifindex, const MacAddress& mac, std::uint16_t vlan = 0);

// Link creation (RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, up): a bridge, and a vxlan device
// as `ip link add NAME type vxlan id VNI local IP dstport 4789 nolearning master BRIDGE`.
std::size_t build_bridge_create(std::span<std::byte> out, std::uint32_t seq, std::string_view name);
std::size_t build_vxlan_create(std::span<std::byte> out, std::uint32_t seq, std::string_view name, std::uint32_t vni,
                               const IpAddress& local, int bridge_ifindex);
// Puts an existing link under a bridge and sets it up (RTM_NEWLINK on its ifindex).
std::size_t build_link_enslave(std::span<std::byte> out, std::uint32_t seq, int ifindex, int bridge_ifindex);

// Dumps (NLM_F_DUMP): every link; a bridge's FDB (its own entries and its ports', zebra's
// netlink_request_macs: ifinfomsg with IFLA_MASTER); the IPv4 and IPv6 neighbours of one
// device (NDA_IFINDEX filter).
std::size_t build_link_dump(std::span<std::byte> out, std::uint32_t seq);
std::size_t build_fdb_dump(std::span<std::byte> out, std::uint32_t seq, int bridge_ifindex);
std::size_t build_neighbor_dump(std::span<std::byte> out, std::uint32_t seq, int ifindex);
// Every bridge port's VLANs (RTM_GETLINK of family AF_BRIDGE with RTEXT_FILTER_BRVLAN,
// as `bridge vlan show` and zebra ask): only needed where a bridge filters VLANs.
std::size_t build_port_vlan_dump(std::span<std::byte> out, std::uint32_t seq, int unused = 0);

// ---- what the kernel says ----

struct LinkMessage {
  bool deleted = false;  // RTM_DELLINK
  int ifindex = 0;
  std::string name;
  std::string kind;  // IFLA_INFO_KIND: "vxlan", "bridge", "veth", ...; empty without IFLA_LINKINFO
  int master = 0;    // IFLA_MASTER
  unsigned flags = 0;  // ifi_flags (IFF_UP, IFF_RUNNING, ...)
  std::uint8_t operstate = 0;  // IFLA_OPERSTATE (IF_OPER_*)
  std::optional<std::uint32_t> vni;  // IFLA_VXLAN_ID (0 on a single vxlan device)
  std::optional<IpAddress> local;    // IFLA_VXLAN_LOCAL or IFLA_VXLAN_LOCAL6, when not unspecified
  bool collect_metadata = false;     // IFLA_VXLAN_COLLECT_METADATA (`external`): a single vxlan device
  bool vlan_filtering = false;       // a bridge's IFLA_BR_VLAN_FILTERING
  std::uint16_t vlan_id = 0;         // a VLAN device's IFLA_VLAN_ID
  int link = 0;                      // IFLA_LINK: a VLAN device's parent (the bridge, for an SVI)
  friend bool operator==(const LinkMessage&, const LinkMessage&) = default;
};
// RTM_NEWLINK / RTM_DELLINK of family AF_UNSPEC (the bridge's per-port AF_BRIDGE link
// messages are not about links coming and going: nullopt).
std::optional<LinkMessage> parse_link(const nlmsghdr* nlh);

// A bridge port's VLANs: RTM_NEWLINK of family AF_BRIDGE with IFLA_AF_SPEC, from the
// dump above or a notification of a change (the kernel sends those compressed, in
// ranges; the PVID is always an entry of its own). A port with `vlan_tunnel on` (the
// single vxlan device's) also lists its VLAN-to-VNI map (IFLA_BRIDGE_VLAN_TUNNEL_INFO),
// where a run of VLANs mapped to a run of VNIs comes as its first and last entry
// (RANGE_BEGIN, RANGE_END): read back here one pair per VLAN.
struct VlanTunnel {
  std::uint16_t vid = 0;
  std::uint32_t vni = 0;
  friend bool operator==(const VlanTunnel&, const VlanTunnel&) = default;
};
struct PortVlanMessage {
  int ifindex = 0;
  int master = 0;                     // IFLA_MASTER: the bridge
  std::optional<std::uint16_t> pvid;  // the entry flagged BRIDGE_VLAN_INFO_PVID
  std::vector<VlanTunnel> tunnels;    // in VLAN order
  friend bool operator==(const PortVlanMessage&, const PortVlanMessage&) = default;
};
std::optional<PortVlanMessage> parse_port_vlans(const nlmsghdr* nlh);

struct FdbMessage {  // an AF_BRIDGE neighbour: one bridge or device FDB entry
  bool deleted = false;  // RTM_DELNEIGH
  int ifindex = 0;       // the port (or device) the entry is on
  int master = 0;        // NDA_MASTER: the bridge, for the bridge's own entries; 0 for a device's ("self")
  MacAddress mac;
  std::optional<IpAddress> dst;  // NDA_DST: a vxlan entry's remote VTEP
  std::uint16_t state = 0;       // NUD_*
  std::uint8_t flags = 0;        // NTF_*
  std::uint16_t vlan = 0;        // NDA_VLAN, 0 without
  std::uint32_t src_vni = 0;     // NDA_SRC_VNI (a single vxlan device's entries), 0 without
  friend bool operator==(const FdbMessage&, const FdbMessage&) = default;
};
std::optional<FdbMessage> parse_fdb(const nlmsghdr* nlh);

struct NeighborMessage {  // an AF_INET / AF_INET6 neighbour
  bool deleted = false;
  int ifindex = 0;
  IpAddress ip;
  std::optional<MacAddress> mac;  // NDA_LLADDR when 6 bytes
  std::uint16_t state = 0;
  std::uint8_t flags = 0;
  std::uint8_t type = 0;  // ndm_type (RTN_UNICAST for hosts)
  friend bool operator==(const NeighborMessage&, const NeighborMessage&) = default;
};
std::optional<NeighborMessage> parse_neighbor(const nlmsghdr* nlh);

// An NLMSG_ERROR: the errno it carries (0 for an ack) and the extended ack's message.
struct AckMessage {
  std::uint32_t seq = 0;  // of the request acknowledged
  int error = 0;
  std::string message;
};
std::optional<AckMessage> parse_ack(const nlmsghdr* nlh, std::size_t received);

}  // namespace evpnd::fib::netlink
