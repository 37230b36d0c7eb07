#include "fib/netlink/nl_messages.hpp"

#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/if_bridge.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <cstring>

namespace evpnd::fib::netlink {
namespace {

constexpr std::uint16_t kVxlanPort = 4789;

nlmsghdr* start(std::span<std::byte> out, std::uint16_t type, std::uint16_t flags, std::uint32_t seq) {
  // The builders write at most kMaxRequestSize bytes (the caller's room); libmnl zeroes
  // every header it puts and every attribute's padding, so nothing stale is sent.
  nlmsghdr* nlh = mnl_nlmsg_put_header(out.data());
  nlh->nlmsg_type = type;
  nlh->nlmsg_flags = static_cast<std::uint16_t>(NLM_F_REQUEST | flags);
  nlh->nlmsg_seq = seq;
  return nlh;
}

ndmsg* put_ndmsg(nlmsghdr* nlh, std::uint8_t family, int ifindex, std::uint16_t state, std::uint8_t flags,
                 std::uint8_t type) {
  auto* ndm = static_cast<ndmsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(ndmsg)));
  ndm->ndm_family = family;
  ndm->ndm_ifindex = ifindex;
  ndm->ndm_state = state;
  ndm->ndm_flags = flags;
  ndm->ndm_type = type;
  return ndm;
}

void put_ip(nlmsghdr* nlh, std::uint16_t type, const IpAddress& ip) { mnl_attr_put(nlh, type, ip.size(), ip.data()); }

std::size_t finish(const nlmsghdr* nlh) { return MNL_ALIGN(nlh->nlmsg_len); }

std::uint8_t family_of(const IpAddress& ip) { return ip.is_v4() ? AF_INET : AF_INET6; }

std::optional<IpAddress> ip_from(const nlattr* attr) {
  const auto len = mnl_attr_get_payload_len(attr);
  const auto* p = static_cast<const std::uint8_t*>(mnl_attr_get_payload(attr));
  if (len == 4) {
    std::array<std::uint8_t, 4> b{};
    std::memcpy(b.data(), p, 4);
    return IpAddress::v4(b);
  }
  if (len == 16) {
    std::array<std::uint8_t, 16> b{};
    std::memcpy(b.data(), p, 16);
    return IpAddress::v6(b);
  }
  return std::nullopt;
}

std::optional<MacAddress> mac_from(const nlattr* attr) {
  if (mnl_attr_get_payload_len(attr) != 6) return std::nullopt;
  MacAddress mac;
  std::memcpy(mac.bytes.data(), mnl_attr_get_payload(attr), 6);
  return mac;
}

// Attribute tables: the attribute of each type (the last of a repeated one), validated
// only as being whole (mnl_attr_parse checks each attribute's length against the message).
// libmnl stops quietly at an attribute that overruns its message; `end` records how far
// the whole attributes reached, so that a cut message is refused rather than read short.
template <std::size_t N>
struct AttrTable {
  std::array<const nlattr*, N + 1> at{};
  const char* end = nullptr;
  static int collect(const nlattr* attr, void* data) {
    auto* self = static_cast<AttrTable*>(data);
    const auto type = mnl_attr_get_type(attr);
    if (type <= N) self->at[type] = attr;
    self->end = reinterpret_cast<const char*>(attr) + MNL_ALIGN(attr->nla_len);
    return MNL_CB_OK;
  }
  const nlattr* operator[](std::size_t type) const { return type <= N ? at[type] : nullptr; }
  // Parses the attributes after `offset` bytes of the message's payload: false if any is cut.
  bool parse(const nlmsghdr* nlh, std::size_t offset) {
    end = static_cast<const char*>(mnl_nlmsg_get_payload(nlh)) + MNL_ALIGN(offset);
    if (mnl_attr_parse(nlh, static_cast<unsigned>(offset), collect, this) != MNL_CB_OK) return false;
    return end >= static_cast<const char*>(mnl_nlmsg_get_payload_tail(nlh));
  }
  bool parse_nested(const nlattr* nest) {
    end = static_cast<const char*>(mnl_attr_get_payload(nest));
    if (mnl_attr_parse_nested(nest, collect, this) != MNL_CB_OK) return false;
    return end >= static_cast<const char*>(mnl_attr_get_payload(nest)) + mnl_attr_get_payload_len(nest);
  }
};

bool u32_ok(const nlattr* attr) { return attr != nullptr && mnl_attr_get_payload_len(attr) >= 4; }

}  // namespace

std::size_t build_remote_mac(std::span<std::byte> out, std::uint32_t seq, int vxlan_ifindex, int bridge_ifindex,
                             const MacAddress& mac, const IpAddress& vtep, bool sticky, std::uint16_t vlan,
                             std::uint32_t src_vni) {
  nlmsghdr* nlh = start(out, RTM_NEWNEIGH, NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE, seq);
  const std::uint8_t flags = NTF_MASTER | NTF_SELF | (sticky ? NTF_STICKY : NTF_EXT_LEARNED);
  const std::uint16_t state = sticky ? (NUD_REACHABLE | NUD_NOARP) : NUD_REACHABLE;
  put_ndmsg(nlh, AF_BRIDGE, vxlan_ifindex, state, flags, 0);
  mnl_attr_put_u8(nlh, NDA_PROTOCOL, kProtocolZebra);
  mnl_attr_put(nlh, NDA_LLADDR, mac.bytes.size(), mac.bytes.data());
  put_ip(nlh, NDA_DST, vtep);
  if (vlan != 0) mnl_attr_put_u16(nlh, NDA_VLAN, vlan);
  if (src_vni != 0) mnl_attr_put_u32(nlh, NDA_SRC_VNI, src_vni);
  mnl_attr_put_u32(nlh, NDA_MASTER, static_cast<std::uint32_t>(bridge_ifindex));
  return finish(nlh);
}

std::size_t build_remote_mac_delete(std::span<std::byte> out, std::uint32_t seq, int vxlan_ifindex,
                                    int bridge_ifindex, const MacAddress& mac, bool master, std::uint16_t vlan,
                                    std::uint32_t src_vni) {
  nlmsghdr* nlh = start(out, RTM_DELNEIGH, NLM_F_ACK, seq);
  put_ndmsg(nlh, AF_BRIDGE, vxlan_ifindex, NUD_REACHABLE, master ? NTF_MASTER : NTF_SELF, 0);
  mnl_attr_put_u8(nlh, NDA_PROTOCOL, kProtocolZebra);
  mnl_attr_put(nlh, NDA_LLADDR, mac.bytes.size(), mac.bytes.data());
  // The bridge's table is keyed by VLAN, the vxlan device's by VNI (a single vxlan device).
  if (master && vlan != 0) mnl_attr_put_u16(nlh, NDA_VLAN, vlan);
  if (!master && src_vni != 0) mnl_attr_put_u32(nlh, NDA_SRC_VNI, src_vni);
  if (master) mnl_attr_put_u32(nlh, NDA_MASTER, static_cast<std::uint32_t>(bridge_ifindex));
  return finish(nlh);
}

std::size_t build_flood(std::span<std::byte> out, std::uint32_t seq, bool add, int vxlan_ifindex,
                        const IpAddress& vtep, std::uint32_t src_vni) {
  nlmsghdr* nlh = add ? start(out, RTM_NEWNEIGH, NLM_F_ACK | NLM_F_CREATE | NLM_F_APPEND, seq)
                      : start(out, RTM_DELNEIGH, NLM_F_ACK, seq);
  put_ndmsg(nlh, AF_BRIDGE, vxlan_ifindex, NUD_NOARP | NUD_PERMANENT, NTF_SELF, 0);
  mnl_attr_put_u8(nlh, NDA_PROTOCOL, kProtocolZebra);
  const std::array<std::uint8_t, 6> zero{};
  mnl_attr_put(nlh, NDA_LLADDR, zero.size(), zero.data());
  put_ip(nlh, NDA_DST, vtep);
  if (src_vni != 0) mnl_attr_put_u32(nlh, NDA_SRC_VNI, src_vni);
  return finish(nlh);
}

std::size_t build_neighbor(std::span<std::byte> out, std::uint32_t seq, int svi_ifindex, const IpAddress& ip,
                           const MacAddress& mac) {
  nlmsghdr* nlh = start(out, RTM_NEWNEIGH, NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE, seq);
  put_ndmsg(nlh, family_of(ip), svi_ifindex, NUD_NOARP, NTF_EXT_LEARNED, RTN_UNICAST);
  mnl_attr_put_u8(nlh, NDA_PROTOCOL, kProtocolZebra);
  mnl_attr_put(nlh, NDA_LLADDR, mac.bytes.size(), mac.bytes.data());
  put_ip(nlh, NDA_DST, ip);
  return finish(nlh);
}

std::size_t build_neighbor_delete(std::span<std::byte> out, std::uint32_t seq, int svi_ifindex, const IpAddress& ip) {
  nlmsghdr* nlh = start(out, RTM_DELNEIGH, NLM_F_ACK, seq);
  put_ndmsg(nlh, family_of(ip), svi_ifindex, 0, NTF_EXT_LEARNED, RTN_UNICAST);
  mnl_attr_put_u8(nlh, NDA_PROTOCOL, kProtocolZebra);
  put_ip(nlh, NDA_DST, ip);
  return finish(nlh);
}

std::size_t build_static_mac(std::span<std::byte> out, std::uint32_t seq, bool add, int port_ifindex,
                             int bridge_ifindex, const MacAddress& mac, std::uint16_t vlan) {
  nlmsghdr* nlh = add ? start(out, RTM_NEWNEIGH, NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE, seq)
                      : start(out, RTM_DELNEIGH, NLM_F_ACK, seq);
  put_ndmsg(nlh, AF_BRIDGE, port_ifindex, NUD_NOARP, NTF_MASTER, 0);
  mnl_attr_put(nlh, NDA_LLADDR, mac.bytes.size(), mac.bytes.data());
  if (vlan != 0) mnl_attr_put_u16(nlh, NDA_VLAN, vlan);
  mnl_attr_put_u32(nlh, NDA_MASTER, static_cast<std::uint32_t>(bridge_ifindex));
  return finish(nlh);
}

namespace {
nlmsghdr* start_link(std::span<std::byte> out, std::uint32_t seq, std::uint16_t flags, int ifindex) {
  nlmsghdr* nlh = start(out, RTM_NEWLINK, NLM_F_ACK | flags, seq);
  auto* ifm = static_cast<ifinfomsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(ifinfomsg)));
  ifm->ifi_family = AF_UNSPEC;
  ifm->ifi_index = ifindex;
  ifm->ifi_flags = IFF_UP;
  ifm->ifi_change = IFF_UP;
  return nlh;
}
void put_name(nlmsghdr* nlh, std::string_view name) {
  // IFNAMSIZ includes the terminator; a longer name is the kernel's to refuse (ERANGE).
  std::array<char, IFNAMSIZ + 1> z{};
  std::memcpy(z.data(), name.data(), std::min(name.size(), z.size() - 1));
  mnl_attr_put_strz(nlh, IFLA_IFNAME, z.data());
}
}  // namespace

std::size_t build_bridge_create(std::span<std::byte> out, std::uint32_t seq, std::string_view name) {
  nlmsghdr* nlh = start_link(out, seq, NLM_F_CREATE | NLM_F_EXCL, 0);
  put_name(nlh, name);
  nlattr* info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
  mnl_attr_put_str(nlh, IFLA_INFO_KIND, "bridge");
  mnl_attr_nest_end(nlh, info);
  return finish(nlh);
}

std::size_t build_vxlan_create(std::span<std::byte> out, std::uint32_t seq, std::string_view name, std::uint32_t vni,
                               const IpAddress& local, int bridge_ifindex) {
  nlmsghdr* nlh = start_link(out, seq, NLM_F_CREATE | NLM_F_EXCL, 0);
  put_name(nlh, name);
  mnl_attr_put_u32(nlh, IFLA_MASTER, static_cast<std::uint32_t>(bridge_ifindex));
  nlattr* info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
  mnl_attr_put_str(nlh, IFLA_INFO_KIND, "vxlan");
  nlattr* data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
  mnl_attr_put_u32(nlh, IFLA_VXLAN_ID, vni);
  put_ip(nlh, local.is_v4() ? IFLA_VXLAN_LOCAL : IFLA_VXLAN_LOCAL6, local);
  mnl_attr_put_u16(nlh, IFLA_VXLAN_PORT, htons(kVxlanPort));
  mnl_attr_put_u8(nlh, IFLA_VXLAN_LEARNING, 0);
  mnl_attr_nest_end(nlh, data);
  mnl_attr_nest_end(nlh, info);
  return finish(nlh);
}

std::size_t build_link_enslave(std::span<std::byte> out, std::uint32_t seq, int ifindex, int bridge_ifindex) {
  nlmsghdr* nlh = start_link(out, seq, 0, ifindex);
  mnl_attr_put_u32(nlh, IFLA_MASTER, static_cast<std::uint32_t>(bridge_ifindex));
  return finish(nlh);
}

std::size_t build_link_dump(std::span<std::byte> out, std::uint32_t seq) {
  nlmsghdr* nlh = start(out, RTM_GETLINK, NLM_F_DUMP, seq);
  auto* ifm = static_cast<ifinfomsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(ifinfomsg)));
  ifm->ifi_family = AF_UNSPEC;
  return finish(nlh);
}

std::size_t build_fdb_dump(std::span<std::byte> out, std::uint32_t seq, int bridge_ifindex) {
  nlmsghdr* nlh = start(out, RTM_GETNEIGH, NLM_F_DUMP, seq);
  auto* ifm = static_cast<ifinfomsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(ifinfomsg)));
  ifm->ifi_family = AF_BRIDGE;
  mnl_attr_put_u32(nlh, IFLA_MASTER, static_cast<std::uint32_t>(bridge_ifindex));
  return finish(nlh);
}

std::size_t build_port_vlan_dump(std::span<std::byte> out, std::uint32_t seq, int) {
  nlmsghdr* nlh = start(out, RTM_GETLINK, NLM_F_DUMP, seq);
  auto* ifm = static_cast<ifinfomsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(ifinfomsg)));
  ifm->ifi_family = AF_BRIDGE;
  mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_BRVLAN);
  return finish(nlh);
}

std::size_t build_neighbor_dump(std::span<std::byte> out, std::uint32_t seq, int ifindex) {
  nlmsghdr* nlh = start(out, RTM_GETNEIGH, NLM_F_DUMP, seq);
  put_ndmsg(nlh, AF_UNSPEC, 0, 0, 0, 0);
  mnl_attr_put_u32(nlh, NDA_IFINDEX, static_cast<std::uint32_t>(ifindex));
  return finish(nlh);
}

std::optional<LinkMessage> parse_link(const nlmsghdr* nlh) {
  if (nlh->nlmsg_type != RTM_NEWLINK && nlh->nlmsg_type != RTM_DELLINK) return std::nullopt;
  if (mnl_nlmsg_get_payload_len(nlh) < sizeof(ifinfomsg)) return std::nullopt;
  const auto* ifm = static_cast<const ifinfomsg*>(mnl_nlmsg_get_payload(nlh));
  if (ifm->ifi_family != AF_UNSPEC) return std::nullopt;
  AttrTable<IFLA_MAX> tb;
  if (!tb.parse(nlh, sizeof(ifinfomsg))) return std::nullopt;
  LinkMessage link;
  link.deleted = nlh->nlmsg_type == RTM_DELLINK;
  link.ifindex = ifm->ifi_index;
  link.flags = ifm->ifi_flags;
  if (const nlattr* a = tb[IFLA_IFNAME]; a != nullptr) {
    if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0) return std::nullopt;
    link.name = mnl_attr_get_str(a);
  }
  if (const nlattr* a = tb[IFLA_MASTER]; u32_ok(a)) link.master = static_cast<int>(mnl_attr_get_u32(a));
  if (const nlattr* a = tb[IFLA_OPERSTATE]; a != nullptr && mnl_attr_get_payload_len(a) >= 1) {
    link.operstate = mnl_attr_get_u8(a);
  }
  if (const nlattr* info = tb[IFLA_LINKINFO]; info != nullptr) {
    AttrTable<IFLA_INFO_MAX> ti;
    if (!ti.parse_nested(info)) return std::nullopt;
    if (const nlattr* k = ti[IFLA_INFO_KIND]; k != nullptr) {
      // The kernel writes the kind with its terminator; take the bytes up to it.
      const auto* p = static_cast<const char*>(mnl_attr_get_payload(k));
      link.kind.assign(p, strnlen(p, mnl_attr_get_payload_len(k)));
    }
    const nlattr* data = ti[IFLA_INFO_DATA];
    if (link.kind == "vxlan" && data != nullptr) {
      AttrTable<IFLA_VXLAN_MAX> tv;
      if (!tv.parse_nested(data)) return std::nullopt;
      if (const nlattr* a = tv[IFLA_VXLAN_ID]; u32_ok(a)) link.vni = mnl_attr_get_u32(a);
      if (const nlattr* a = tv[IFLA_VXLAN_COLLECT_METADATA]; a != nullptr && mnl_attr_get_payload_len(a) >= 1) {
        link.collect_metadata = mnl_attr_get_u8(a) != 0;
      }
      const nlattr* local = tv[IFLA_VXLAN_LOCAL] != nullptr ? tv[IFLA_VXLAN_LOCAL] : tv[IFLA_VXLAN_LOCAL6];
      if (local != nullptr) {
        auto ip = ip_from(local);
        if (ip && !ip->is_unspecified()) link.local = ip;
      }
    } else if (link.kind == "bridge" && data != nullptr) {
      AttrTable<IFLA_BR_MAX> tbr;
      if (!tbr.parse_nested(data)) return std::nullopt;
      if (const nlattr* a = tbr[IFLA_BR_VLAN_FILTERING]; a != nullptr && mnl_attr_get_payload_len(a) >= 1) {
        link.vlan_filtering = mnl_attr_get_u8(a) != 0;
      }
    } else if (link.kind == "vlan" && data != nullptr) {
      AttrTable<IFLA_VLAN_MAX> tvl;
      if (!tvl.parse_nested(data)) return std::nullopt;
      if (const nlattr* a = tvl[IFLA_VLAN_ID]; a != nullptr && mnl_attr_get_payload_len(a) >= 2) {
        link.vlan_id = mnl_attr_get_u16(a);
      }
    }
  }
  if (const nlattr* a = tb[IFLA_LINK]; u32_ok(a)) link.link = static_cast<int>(mnl_attr_get_u32(a));
  return link;
}

std::optional<PortVlanMessage> parse_port_vlans(const nlmsghdr* nlh) {
  if (nlh->nlmsg_type != RTM_NEWLINK) return std::nullopt;
  if (mnl_nlmsg_get_payload_len(nlh) < sizeof(ifinfomsg)) return std::nullopt;
  const auto* ifm = static_cast<const ifinfomsg*>(mnl_nlmsg_get_payload(nlh));
  if (ifm->ifi_family != AF_BRIDGE) return std::nullopt;
  AttrTable<IFLA_MAX> tb;
  if (!tb.parse(nlh, sizeof(ifinfomsg))) return std::nullopt;
  PortVlanMessage port;
  port.ifindex = ifm->ifi_index;
  if (const nlattr* a = tb[IFLA_MASTER]; u32_ok(a)) port.master = static_cast<int>(mnl_attr_get_u32(a));
  const nlattr* spec = tb[IFLA_AF_SPEC];
  if (spec == nullptr) return port;  // no VLANs (a bridge without filtering, or not asked)
  // Every IFLA_BRIDGE_VLAN_INFO and IFLA_BRIDGE_VLAN_TUNNEL_INFO of the nest (libmnl's
  // iteration macro is C only).
  struct Walk {
    PortVlanMessage* port;
    std::optional<VlanTunnel> range_begin;
    bool ok = true;
  } walk{&port, std::nullopt};
  mnl_attr_parse_nested(spec, [](const nlattr* a, void* data) -> int {
    auto* w = static_cast<Walk*>(data);
    if (mnl_attr_get_type(a) == IFLA_BRIDGE_VLAN_INFO) {
      if (mnl_attr_get_payload_len(a) < sizeof(bridge_vlan_info)) {
        w->ok = false;
        return MNL_CB_ERROR;
      }
      bridge_vlan_info info{};
      std::memcpy(&info, mnl_attr_get_payload(a), sizeof info);
      if ((info.flags & BRIDGE_VLAN_INFO_PVID) != 0) w->port->pvid = info.vid;
      return MNL_CB_OK;
    }
    if (mnl_attr_get_type(a) != IFLA_BRIDGE_VLAN_TUNNEL_INFO) return MNL_CB_OK;
    AttrTable<IFLA_BRIDGE_VLAN_TUNNEL_MAX> tt;
    const nlattr* id = nullptr;
    const nlattr* vid = nullptr;
    if (tt.parse_nested(a)) {
      id = tt[IFLA_BRIDGE_VLAN_TUNNEL_ID];
      vid = tt[IFLA_BRIDGE_VLAN_TUNNEL_VID];
    }
    if (!u32_ok(id) || vid == nullptr || mnl_attr_get_payload_len(vid) < 2) {
      w->ok = false;
      return MNL_CB_ERROR;
    }
    std::uint16_t flags = 0;
    if (const nlattr* f = tt[IFLA_BRIDGE_VLAN_TUNNEL_FLAGS]; f != nullptr && mnl_attr_get_payload_len(f) >= 2) {
      flags = mnl_attr_get_u16(f);
    }
    const VlanTunnel entry{mnl_attr_get_u16(vid), mnl_attr_get_u32(id)};
    if ((flags & BRIDGE_VLAN_INFO_RANGE_BEGIN) != 0) {
      w->range_begin = entry;
      return MNL_CB_OK;
    }
    if ((flags & BRIDGE_VLAN_INFO_RANGE_END) != 0) {
      // The run's VLANs and VNIs rise together (the kernel only merges such runs).
      const auto begin = w->range_begin;
      w->range_begin.reset();
      if (!begin || entry.vid < begin->vid || entry.vni - begin->vni != std::uint32_t(entry.vid - begin->vid)) {
        w->ok = false;
        return MNL_CB_ERROR;
      }
      for (std::uint16_t v = begin->vid; v < entry.vid; ++v) {
        w->port->tunnels.push_back(VlanTunnel{v, begin->vni + (v - begin->vid)});
      }
    }
    w->port->tunnels.push_back(entry);
    return MNL_CB_OK;
  }, &walk);
  if (!walk.ok || walk.range_begin) return std::nullopt;  // a broken or unfinished range
  return port;
}

std::optional<FdbMessage> parse_fdb(const nlmsghdr* nlh) {
  if (nlh->nlmsg_type != RTM_NEWNEIGH && nlh->nlmsg_type != RTM_DELNEIGH) return std::nullopt;
  if (mnl_nlmsg_get_payload_len(nlh) < sizeof(ndmsg)) return std::nullopt;
  const auto* ndm = static_cast<const ndmsg*>(mnl_nlmsg_get_payload(nlh));
  if (ndm->ndm_family != AF_BRIDGE) return std::nullopt;
  AttrTable<NDA_MAX> tb;
  if (!tb.parse(nlh, sizeof(ndmsg))) return std::nullopt;
  const nlattr* lladdr = tb[NDA_LLADDR];
  if (lladdr == nullptr) return std::nullopt;
  auto mac = mac_from(lladdr);
  if (!mac) return std::nullopt;
  FdbMessage fdb;
  fdb.deleted = nlh->nlmsg_type == RTM_DELNEIGH;
  fdb.ifindex = ndm->ndm_ifindex;
  fdb.mac = *mac;
  fdb.state = ndm->ndm_state;
  fdb.flags = ndm->ndm_flags;
  if (const nlattr* a = tb[NDA_MASTER]; u32_ok(a)) fdb.master = static_cast<int>(mnl_attr_get_u32(a));
  if (const nlattr* a = tb[NDA_DST]; a != nullptr) {
    fdb.dst = ip_from(a);
    if (!fdb.dst) return std::nullopt;
  }
  if (const nlattr* a = tb[NDA_VLAN]; a != nullptr && mnl_attr_get_payload_len(a) >= 2) fdb.vlan = mnl_attr_get_u16(a);
  if (const nlattr* a = tb[NDA_SRC_VNI]; u32_ok(a)) fdb.src_vni = mnl_attr_get_u32(a);
  return fdb;
}

std::optional<NeighborMessage> parse_neighbor(const nlmsghdr* nlh) {
  if (nlh->nlmsg_type != RTM_NEWNEIGH && nlh->nlmsg_type != RTM_DELNEIGH) return std::nullopt;
  if (mnl_nlmsg_get_payload_len(nlh) < sizeof(ndmsg)) return std::nullopt;
  const auto* ndm = static_cast<const ndmsg*>(mnl_nlmsg_get_payload(nlh));
  if (ndm->ndm_family != AF_INET && ndm->ndm_family != AF_INET6) return std::nullopt;
  AttrTable<NDA_MAX> tb;
  if (!tb.parse(nlh, sizeof(ndmsg))) return std::nullopt;
  const nlattr* dst = tb[NDA_DST];
  if (dst == nullptr) return std::nullopt;
  auto ip = ip_from(dst);
  if (!ip || ip->is_v4() != (ndm->ndm_family == AF_INET)) return std::nullopt;
  NeighborMessage n;
  n.deleted = nlh->nlmsg_type == RTM_DELNEIGH;
  n.ifindex = ndm->ndm_ifindex;
  n.ip = *ip;
  n.state = ndm->ndm_state;
  n.flags = ndm->ndm_flags;
  n.type = ndm->ndm_type;
  if (const nlattr* a = tb[NDA_LLADDR]; a != nullptr) n.mac = mac_from(a);
  return n;
}

std::optional<AckMessage> parse_ack(const nlmsghdr* nlh, std::size_t received) {
  if (received < sizeof(nlmsghdr) + sizeof(nlmsgerr) || nlh->nlmsg_type != NLMSG_ERROR) return std::nullopt;
  const auto* err = static_cast<const nlmsgerr*>(mnl_nlmsg_get_payload(nlh));
  AckMessage ack;
  ack.seq = nlh->nlmsg_seq;
  // An errno is a small negative number (or 0); anything else is no errno the kernel
  // sends (and INT_MIN has no negation): a protocol error, never a success.
  ack.error = err->error <= 0 && err->error >= -4095 ? -err->error : EPROTO;
  if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) == 0 || nlh->nlmsg_len > received) return ack;
  // The TLVs follow the echoed request: its header only when capped (NETLINK_CAP_ACK, or
  // any ack of success), else the whole request.
  std::size_t offset = sizeof(nlmsgerr);
  if ((nlh->nlmsg_flags & NLM_F_CAPPED) == 0) offset += MNL_ALIGN(err->msg.nlmsg_len) - sizeof(nlmsghdr);
  if (offset > mnl_nlmsg_get_payload_len(nlh)) return ack;
  AttrTable<NLMSGERR_ATTR_MAX> tb;
  if (!tb.parse(nlh, offset)) return ack;
  if (const nlattr* m = tb[NLMSGERR_ATTR_MSG]; m != nullptr) {
    const auto* p = static_cast<const char*>(mnl_attr_get_payload(m));
    ack.message.assign(p, strnlen(p, mnl_attr_get_payload_len(m)));
  }
  return ack;
}

}  // namespace evpnd::fib::netlink
