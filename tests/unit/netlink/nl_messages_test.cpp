// The pure half of the netlink backend: requests checked byte for byte against zebra's
// encoding (nl_messages.hpp), and the parsers fed messages recorded from a real kernel
// (captured_*.hex, which say how they were recorded).
#include "fib/netlink/nl_messages.hpp"

#include <gtest/gtest.h>
#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cstring>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "fib/netlink/nl_filter.hpp"
#include "unit/netlink/captured.hpp"
#include "unit/netlink/composed.hpp"

namespace evpnd::fib::netlink {
namespace {

using Bytes = std::vector<std::uint8_t>;

MacAddress mac(const char* text) { return *MacAddress::parse(text); }
IpAddress ip(const char* text) { return *IpAddress::parse(text); }

Bytes build(const std::function<std::size_t(std::span<std::byte>)>& builder) {
  std::array<std::byte, kMaxRequestSize> room{};
  const std::size_t n = builder(room);
  Bytes out(n);
  std::memcpy(out.data(), room.data(), n);
  return out;
}

const nlmsghdr* header(const Bytes& b) { return reinterpret_cast<const nlmsghdr*>(b.data()); }

using test::load_hex;
namespace composed = test::composed;

// ---- builders ----

TEST(NlMessages, RemoteMacIsZebrasEncoding) {
  const Bytes got = build([](std::span<std::byte> out) {
    return build_remote_mac(out, 7, 3, 2, mac("02:00:00:00:00:01"), ip("10.0.0.9"), false);
  });
  const Bytes want = {
      0x40, 0x00, 0x00, 0x00,  // nlmsg_len 64
      0x1c, 0x00,              // RTM_NEWNEIGH
      0x05, 0x05,              // NLM_F_REQUEST | NLM_F_ACK | NLM_F_REPLACE | NLM_F_CREATE
      0x07, 0x00, 0x00, 0x00,  // seq
      0x00, 0x00, 0x00, 0x00,  // pid
      0x07, 0x00, 0x00, 0x00,  // AF_BRIDGE, pads
      0x03, 0x00, 0x00, 0x00,  // ifindex: the vxlan device
      0x02, 0x00,              // NUD_REACHABLE
      0x16,                    // NTF_MASTER | NTF_SELF | NTF_EXT_LEARNED
      0x00,                    // ndm_type
      0x05, 0x00, 0x0c, 0x00, 0x0b, 0x00, 0x00, 0x00,                          // NDA_PROTOCOL RTPROT_ZEBRA
      0x0a, 0x00, 0x02, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,  // NDA_LLADDR
      0x08, 0x00, 0x01, 0x00, 0x0a, 0x00, 0x00, 0x09,                          // NDA_DST
      0x08, 0x00, 0x09, 0x00, 0x02, 0x00, 0x00, 0x00,                          // NDA_MASTER: the bridge
  };
  EXPECT_EQ(got, want);
}

TEST(NlMessages, StickyMacIsStaticAndNotExternLearned) {
  const Bytes got = build([](std::span<std::byte> out) {
    return build_remote_mac(out, 1, 3, 2, mac("02:00:00:00:00:01"), ip("10.0.0.9"), true);
  });
  const auto* ndm = static_cast<const ndmsg*>(mnl_nlmsg_get_payload(header(got)));
  EXPECT_EQ(ndm->ndm_flags, NTF_MASTER | NTF_SELF | NTF_STICKY);
  EXPECT_EQ(ndm->ndm_state, NUD_REACHABLE | NUD_NOARP);
  // Read back as the kernel would report it: every field survives.
  auto fdb = parse_fdb(header(got));
  ASSERT_TRUE(fdb);
  EXPECT_EQ(fdb->ifindex, 3);
  EXPECT_EQ(fdb->master, 2);
  EXPECT_EQ(fdb->dst, ip("10.0.0.9"));
  EXPECT_EQ(fdb->mac, mac("02:00:00:00:00:01"));
}

TEST(NlMessages, RemoteMacDeleteIsOneRequestPerTable) {
  const Bytes master = build([](std::span<std::byte> out) {
    return build_remote_mac_delete(out, 1, 3, 2, mac("02:00:00:00:00:01"), true);
  });
  const Bytes self = build([](std::span<std::byte> out) {
    return build_remote_mac_delete(out, 2, 3, 2, mac("02:00:00:00:00:01"), false);
  });
  EXPECT_EQ(header(master)->nlmsg_type, RTM_DELNEIGH);
  EXPECT_EQ(header(master)->nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK);
  auto m = parse_fdb(header(master));
  auto s = parse_fdb(header(self));
  ASSERT_TRUE(m && s);
  EXPECT_EQ(m->flags, NTF_MASTER);
  EXPECT_EQ(m->master, 2);
  EXPECT_EQ(s->flags, NTF_SELF);
  EXPECT_EQ(s->master, 0);
  EXPECT_FALSE(s->dst);  // every destination of the vxlan entry
}

TEST(NlMessages, FloodEntryAppendsTheZeroMac) {
  const Bytes add = build([](std::span<std::byte> out) { return build_flood(out, 9, true, 3, ip("10.0.0.7")); });
  const Bytes del = build([](std::span<std::byte> out) { return build_flood(out, 9, false, 3, ip("10.0.0.7")); });
  EXPECT_EQ(header(add)->nlmsg_type, RTM_NEWNEIGH);
  EXPECT_EQ(header(add)->nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_APPEND);
  EXPECT_EQ(header(del)->nlmsg_type, RTM_DELNEIGH);
  EXPECT_EQ(header(del)->nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK);
  for (const Bytes* b : {&add, &del}) {
    auto fdb = parse_fdb(header(*b));
    ASSERT_TRUE(fdb);
    EXPECT_TRUE(fdb->mac.is_zero());
    EXPECT_EQ(fdb->flags, NTF_SELF);
    EXPECT_EQ(fdb->state, NUD_NOARP | NUD_PERMANENT);
    EXPECT_EQ(fdb->dst, ip("10.0.0.7"));
    EXPECT_EQ(fdb->master, 0);  // zebra names no bridge for the flood list
  }
  // Same body both ways, but for the header's type and flags.
  EXPECT_TRUE(std::equal(add.begin() + 16, add.end(), del.begin() + 16, del.end()));
}

TEST(NlMessages, StaticMacIsAPortEntryOfTheBridge) {
  const Bytes add = build([](std::span<std::byte> out) {
    return build_static_mac(out, 4, true, 5, 2, mac("02:aa:00:00:00:01"));
  });
  const Bytes del = build([](std::span<std::byte> out) {
    return build_static_mac(out, 4, false, 5, 2, mac("02:aa:00:00:00:01"));
  });
  const Bytes want = {
      0x30, 0x00, 0x00, 0x00,  // nlmsg_len 48
      0x1c, 0x00,              // RTM_NEWNEIGH
      0x05, 0x05,              // NLM_F_REQUEST | NLM_F_ACK | NLM_F_REPLACE | NLM_F_CREATE
      0x04, 0x00, 0x00, 0x00,  // seq
      0x00, 0x00, 0x00, 0x00,  // pid
      0x07, 0x00, 0x00, 0x00,  // AF_BRIDGE, pads
      0x05, 0x00, 0x00, 0x00,  // ifindex: the port
      0x40, 0x00,              // NUD_NOARP: static, neither local nor ageing
      0x04,                    // NTF_MASTER: the bridge's table, not the port's own
      0x00,                    // ndm_type
      0x0a, 0x00, 0x02, 0x00, 0x02, 0xaa, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,  // NDA_LLADDR
      0x08, 0x00, 0x09, 0x00, 0x02, 0x00, 0x00, 0x00,                          // NDA_MASTER: the bridge
  };
  EXPECT_EQ(add, want);
  EXPECT_EQ(header(del)->nlmsg_type, RTM_DELNEIGH);
  EXPECT_EQ(header(del)->nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK);
  EXPECT_TRUE(std::equal(add.begin() + 16, add.end(), del.begin() + 16, del.end()));
  // Read back as the kernel reports a static port entry.
  auto fdb = parse_fdb(header(add));
  ASSERT_TRUE(fdb);
  EXPECT_EQ(fdb->ifindex, 5);
  EXPECT_EQ(fdb->master, 2);
  EXPECT_FALSE(fdb->dst);
}

TEST(NlMessages, OnAVlanAwareBridgeTheBridgesHalfCarriesTheVlan) {
  const Bytes add = build([](std::span<std::byte> out) {
    return build_remote_mac(out, 1, 3, 2, mac("02:00:00:00:00:01"), ip("10.0.0.9"), false, 20);
  });
  const Bytes master = build([](std::span<std::byte> out) {
    return build_remote_mac_delete(out, 2, 3, 2, mac("02:00:00:00:00:01"), true, 20);
  });
  const Bytes self = build([](std::span<std::byte> out) {
    return build_remote_mac_delete(out, 3, 3, 2, mac("02:00:00:00:00:01"), false, 20);
  });
  const Bytes pinned = build([](std::span<std::byte> out) {
    return build_static_mac(out, 4, true, 5, 2, mac("02:00:00:00:00:05"), 20);
  });
  for (const Bytes* b : {&add, &master, &pinned}) {
    auto fdb = parse_fdb(header(*b));
    ASSERT_TRUE(fdb);
    EXPECT_EQ(fdb->vlan, 20);
  }
  EXPECT_EQ(parse_fdb(header(self))->vlan, 0);  // the vxlan device's table has no VLANs
  // Without a VLAN the bytes are the ones zebra writes for a bridge without filtering.
  const Bytes plain = build([](std::span<std::byte> out) {
    return build_remote_mac(out, 7, 3, 2, mac("02:00:00:00:00:01"), ip("10.0.0.9"), false);
  });
  EXPECT_EQ(plain.size(), 64u);
  EXPECT_EQ(add.size(), 64u + 8u);  // NDA_VLAN: 4 bytes of header, 2 of VLAN, 2 of padding
}

TEST(NlMessages, PortVlanDumpAsksForTheBridgesVlans) {
  const Bytes got = build([](std::span<std::byte> out) { return build_port_vlan_dump(out, 5); });
  EXPECT_EQ(header(got)->nlmsg_type, RTM_GETLINK);
  EXPECT_EQ(header(got)->nlmsg_flags, NLM_F_REQUEST | NLM_F_DUMP);
  const auto* ifm = static_cast<const ifinfomsg*>(mnl_nlmsg_get_payload(header(got)));
  EXPECT_EQ(ifm->ifi_family, AF_BRIDGE);
  const auto* attr = reinterpret_cast<const nlattr*>(got.data() + 16 + sizeof(ifinfomsg));
  EXPECT_EQ(mnl_attr_get_type(attr), IFLA_EXT_MASK);
  EXPECT_EQ(mnl_attr_get_u32(attr), static_cast<std::uint32_t>(RTEXT_FILTER_BRVLAN));
}

TEST(NlMessages, ParsesVlanAwareBridgesVlanDevicesAndPortVlans) {
  using composed::Link;
  auto bridge = parse_link(header(composed::link(Link{10, "br2", "bridge", 0, true, 0, {}, 0, 0, false})));
  ASSERT_TRUE(bridge);
  EXPECT_TRUE(bridge->vlan_filtering);
  auto svi = parse_link(header(composed::link(Link{13, "br2.20", "vlan", 0, false, 0, {}, 20, 10, false})));
  ASSERT_TRUE(svi);
  EXPECT_EQ(svi->kind, "vlan");
  EXPECT_EQ(svi->vlan_id, 20);
  EXPECT_EQ(svi->link, 10);
  // The recorded bridge of this kernel does not filter VLANs.
  auto recorded = parse_link(header(load_hex("captured_links.hex").at(0)));
  ASSERT_TRUE(recorded);
  EXPECT_EQ(recorded->kind, "bridge");
  EXPECT_FALSE(recorded->vlan_filtering);

  auto port = parse_port_vlans(header(composed::port_vlans(11, 10, {10, 20, 30}, 20)));
  ASSERT_TRUE(port);
  EXPECT_EQ(port->ifindex, 11);
  EXPECT_EQ(port->master, 10);
  EXPECT_EQ(port->pvid, 20);
  auto tagged_only = parse_port_vlans(header(composed::port_vlans(12, 10, {30}, std::nullopt)));
  ASSERT_TRUE(tagged_only);
  EXPECT_FALSE(tagged_only->pvid);
  // A link message of the other family is no port's VLANs, and the other way round.
  EXPECT_FALSE(parse_port_vlans(header(load_hex("captured_links.hex").at(0))));
  EXPECT_FALSE(parse_link(header(composed::port_vlans(11, 10, {20}, 20))));
}

// ---- a single vxlan device (composed messages: this kernel has no VLAN filtering, so no
// VLAN tunnel map either)

// The attribute types of a message, in order.
std::vector<std::uint16_t> attribute_types(const Bytes& b) {
  std::vector<std::uint16_t> out;
  mnl_attr_parse(header(b), sizeof(ndmsg), [](const nlattr* a, void* data) -> int {
    static_cast<std::vector<std::uint16_t>*>(data)->push_back(mnl_attr_get_type(a));
    return MNL_CB_OK;
  }, &out);
  return out;
}

TEST(NlMessages, OnASingleVxlanDeviceTheDevicesEntriesCarryTheVni) {
  const Bytes add = build([](std::span<std::byte> out) {
    return build_remote_mac(out, 1, 3, 2, mac("02:00:00:00:00:01"), ip("10.0.0.9"), false, 10, 1000);
  });
  // zebra's order: the VLAN for the bridge's half, the VNI for the device's, then the bridge.
  const std::vector<std::uint16_t> zebra_order = {NDA_PROTOCOL, NDA_LLADDR, NDA_DST, NDA_VLAN, NDA_SRC_VNI, NDA_MASTER};
  EXPECT_EQ(attribute_types(add), zebra_order);
  auto fdb = parse_fdb(header(add));
  ASSERT_TRUE(fdb);
  EXPECT_EQ(fdb->vlan, 10);
  EXPECT_EQ(fdb->src_vni, 1000u);

  const Bytes master = build([](std::span<std::byte> out) {
    return build_remote_mac_delete(out, 2, 3, 2, mac("02:00:00:00:00:01"), true, 10, 1000);
  });
  const Bytes self = build([](std::span<std::byte> out) {
    return build_remote_mac_delete(out, 3, 3, 2, mac("02:00:00:00:00:01"), false, 10, 1000);
  });
  EXPECT_EQ(parse_fdb(header(master))->vlan, 10);  // the bridge's table: by VLAN
  EXPECT_EQ(parse_fdb(header(master))->src_vni, 0u);
  EXPECT_EQ(parse_fdb(header(self))->vlan, 0);  // the device's table: by VNI
  EXPECT_EQ(parse_fdb(header(self))->src_vni, 1000u);

  const Bytes flood = build([](std::span<std::byte> out) { return build_flood(out, 4, true, 3, ip("10.0.0.9"), 1000); });
  const std::vector<std::uint16_t> flood_order = {NDA_PROTOCOL, NDA_LLADDR, NDA_DST, NDA_SRC_VNI};
  EXPECT_EQ(attribute_types(flood), flood_order);
  EXPECT_EQ(parse_fdb(header(flood))->src_vni, 1000u);
  // Without a VNI, the flood entry of a device of its own, as before.
  const Bytes plain = build([](std::span<std::byte> out) { return build_flood(out, 4, true, 3, ip("10.0.0.9")); });
  EXPECT_EQ(parse_fdb(header(plain))->src_vni, 0u);
  EXPECT_EQ(plain.size() + 8u, flood.size());
}

TEST(NlMessages, ParsesASingleVxlanDeviceAndItsVlanTunnelMap) {
  using composed::Link;
  using composed::Tunnel;
  auto svd = parse_link(header(composed::link(Link{11, "vxlan0", "vxlan", 10, false, 0, ip("10.0.0.2"), 0, 0, true})));
  ASSERT_TRUE(svd);
  EXPECT_TRUE(svd->collect_metadata);
  EXPECT_EQ(svd->vni, 0u);
  auto plain = parse_link(header(composed::link(Link{12, "vx1", "vxlan", 10, false, 100, ip("10.0.0.2"), 0, 0, false})));
  ASSERT_TRUE(plain);
  EXPECT_FALSE(plain->collect_metadata);

  // VLAN 10 -> VNI 1000 alone, VLANs 20-22 -> VNIs 2000-2002 as one run (how the kernel
  // compresses `bridge vlan add dev vxlan0 vid 20-22 tunnel_info id 2000-2002`).
  const std::vector<Tunnel> map = {{10, 1000, 0},
                                   {20, 2000, BRIDGE_VLAN_INFO_RANGE_BEGIN},
                                   {22, 2002, BRIDGE_VLAN_INFO_RANGE_END}};
  auto port = parse_port_vlans(header(composed::port_vlans(11, 10, {10, 20, 21, 22}, std::nullopt, map)));
  ASSERT_TRUE(port);
  const std::vector<VlanTunnel> want = {{10, 1000}, {20, 2000}, {21, 2001}, {22, 2002}};
  EXPECT_EQ(port->tunnels, want);
  EXPECT_FALSE(port->pvid);
  // A port without the map has none.
  EXPECT_TRUE(parse_port_vlans(header(composed::port_vlans(14, 10, {10}, 10)))->tunnels.empty());

  // A run's end without its beginning, a beginning never ended, or a run whose VNIs do
  // not rise with its VLANs is no map: refused whole, never read in part.
  const std::vector<std::vector<Tunnel>> broken = {
      {{22, 2002, BRIDGE_VLAN_INFO_RANGE_END}},
      {{20, 2000, BRIDGE_VLAN_INFO_RANGE_BEGIN}},
      {{20, 2000, BRIDGE_VLAN_INFO_RANGE_BEGIN}, {22, 2005, BRIDGE_VLAN_INFO_RANGE_END}},
      {{22, 2000, BRIDGE_VLAN_INFO_RANGE_BEGIN}, {20, 1998, BRIDGE_VLAN_INFO_RANGE_END}},
  };
  for (const auto& b : broken) {
    EXPECT_FALSE(parse_port_vlans(header(composed::port_vlans(11, 10, {20}, std::nullopt, b))));
  }
}

TEST(NlMessages, NeighborIsExternLearnedNoarpOnTheSvi) {
  const Bytes v4 = build([](std::span<std::byte> out) {
    return build_neighbor(out, 1, 2, ip("192.168.1.5"), mac("02:00:00:00:aa:01"));
  });
  EXPECT_EQ(header(v4)->nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE);
  auto n = parse_neighbor(header(v4));
  ASSERT_TRUE(n);
  EXPECT_EQ(n->ifindex, 2);
  EXPECT_EQ(n->ip, ip("192.168.1.5"));
  EXPECT_EQ(n->mac, mac("02:00:00:00:aa:01"));
  EXPECT_EQ(n->flags, NTF_EXT_LEARNED);
  EXPECT_EQ(n->state, NUD_NOARP);
  EXPECT_EQ(n->type, RTN_UNICAST);
  const Bytes v6 = build([](std::span<std::byte> out) { return build_neighbor_delete(out, 1, 2, ip("2001:db8::5")); });
  const auto* ndm = static_cast<const ndmsg*>(mnl_nlmsg_get_payload(header(v6)));
  EXPECT_EQ(ndm->ndm_family, AF_INET6);
  auto d = parse_neighbor(header(v6));
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->deleted);
  EXPECT_FALSE(d->mac);
  EXPECT_EQ(d->ip, ip("2001:db8::5"));
}

TEST(NlMessages, VxlanCreationCarriesWhatIpLinkWould) {
  const Bytes b = build([](std::span<std::byte> out) {
    return build_vxlan_create(out, 1, "vx100", 100, ip("10.0.0.2"), 2);
  });
  EXPECT_EQ(header(b)->nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL);
  auto link = parse_link(header(b));
  ASSERT_TRUE(link);
  EXPECT_EQ(link->name, "vx100");
  EXPECT_EQ(link->kind, "vxlan");
  EXPECT_EQ(link->vni, 100u);
  EXPECT_EQ(link->local, ip("10.0.0.2"));
  EXPECT_EQ(link->master, 2);
  EXPECT_EQ(link->flags & IFF_UP, static_cast<unsigned>(IFF_UP));
}

// ---- parsers on captured kernel messages ----

TEST(NlMessages, ParsesCapturedLinks) {
  const auto messages = load_hex("captured_links.hex");
  ASSERT_EQ(messages.size(), 3u);
  std::map<std::string, LinkMessage> links;
  for (const auto& m : messages) {
    auto link = parse_link(header(m));
    ASSERT_TRUE(link);
    links[link->name] = *link;
  }
  const auto& br = links.at("br1");
  EXPECT_EQ(br.ifindex, 2);
  EXPECT_EQ(br.kind, "bridge");
  EXPECT_EQ(br.master, 0);
  const auto& vx = links.at("vx1");
  EXPECT_EQ(vx.ifindex, 3);
  EXPECT_EQ(vx.kind, "vxlan");
  EXPECT_EQ(vx.vni, 100u);
  EXPECT_EQ(vx.local, ip("10.0.0.2"));
  EXPECT_EQ(vx.master, 2);
  EXPECT_NE(vx.flags & IFF_UP, 0u);
  EXPECT_EQ(vx.operstate, IF_OPER_UNKNOWN);  // a vxlan device has no carrier of its own
  const auto& v1 = links.at("v1");
  EXPECT_EQ(v1.kind, "veth");
  EXPECT_EQ(v1.master, 2);
  EXPECT_FALSE(v1.vni);
  EXPECT_EQ(v1.operstate, IF_OPER_UP);
}

TEST(NlMessages, ParsesCapturedFdb) {
  const auto messages = load_hex("captured_fdb.hex");
  ASSERT_EQ(messages.size(), 18u);
  std::vector<FdbMessage> fdb;
  for (const auto& m : messages) {
    auto e = parse_fdb(header(m));
    ASSERT_TRUE(e);
    fdb.push_back(*e);
  }
  auto find = [&](const char* m, int ifindex, bool master) -> const FdbMessage* {
    for (const auto& e : fdb) {
      if (e.mac == mac(m) && e.ifindex == ifindex && (e.master != 0) == master) return &e;
    }
    return nullptr;
  };
  // The remote MAC, twice: the vxlan device's entry with the VTEP, the bridge's without.
  const auto* self = find("02:00:00:00:00:01", 3, false);
  ASSERT_TRUE(self);
  EXPECT_EQ(self->dst, ip("10.0.0.9"));
  EXPECT_EQ(self->flags, NTF_SELF | NTF_EXT_LEARNED);
  const auto* bridge = find("02:00:00:00:00:01", 3, true);
  ASSERT_TRUE(bridge);
  EXPECT_EQ(bridge->master, 2);
  EXPECT_FALSE(bridge->dst);
  EXPECT_EQ(bridge->flags, NTF_EXT_LEARNED);  // the bridge sets no NTF_MASTER in its own entries
  EXPECT_EQ(bridge->state, NUD_REACHABLE);
  // The flood entry.
  const auto* flood = find("00:00:00:00:00:00", 3, false);
  ASSERT_TRUE(flood);
  EXPECT_EQ(flood->dst, ip("10.0.0.7"));
  EXPECT_EQ(flood->state, NUD_NOARP | NUD_PERMANENT);
  // The operator's static host on v1, and v2's address learned on v1.
  const auto* host = find("02:00:00:00:aa:01", 5, true);
  ASSERT_TRUE(host);
  EXPECT_EQ(host->state, NUD_NOARP);
  EXPECT_EQ(host->flags, 0);
  std::size_t dynamic = 0;
  for (const auto& e : fdb) {
    if (e.ifindex == 5 && e.master == 2 && e.state == NUD_REACHABLE) ++dynamic;
  }
  EXPECT_EQ(dynamic, 1u);
  // The ports' own addresses: permanent bridge entries.
  const auto* own = find("36:ad:98:75:56:16", 5, true);
  ASSERT_TRUE(own);
  EXPECT_EQ(own->state, NUD_PERMANENT);
}

TEST(NlMessages, ParsesCapturedNeighbors) {
  const auto messages = load_hex("captured_neigh.hex");
  ASSERT_EQ(messages.size(), 3u);
  std::vector<NeighborMessage> n;
  for (const auto& m : messages) {
    auto e = parse_neighbor(header(m));
    ASSERT_TRUE(e);
    n.push_back(*e);
  }
  EXPECT_EQ(n[0].ip, ip("224.0.0.22"));
  EXPECT_EQ(n[0].type, RTN_MULTICAST);
  EXPECT_EQ(n[1].ip, ip("192.168.1.6"));
  EXPECT_EQ(n[1].flags, NTF_EXT_LEARNED);
  EXPECT_EQ(n[1].state, NUD_NOARP);
  EXPECT_EQ(n[2].ip, ip("192.168.1.5"));
  EXPECT_EQ(n[2].mac, mac("02:00:00:00:aa:01"));
  EXPECT_EQ(n[2].state, NUD_REACHABLE);
  EXPECT_EQ(n[2].flags, 0);
  EXPECT_EQ(n[2].ifindex, 2);
  // A namespace without addresses has no local table, so the kernel types every unicast
  // neighbour RTN_BROADCAST (inet_addr_type's default): ndm_type is no test of a host.
  EXPECT_EQ(n[2].type, RTN_BROADCAST);
}

TEST(NlMessages, ParsersRefuseOtherFamiliesAndTruncation) {
  const auto fdb = load_hex("captured_fdb.hex");
  const auto neigh = load_hex("captured_neigh.hex");
  EXPECT_FALSE(parse_neighbor(header(fdb[0])));  // AF_BRIDGE is not an IP neighbour
  EXPECT_FALSE(parse_fdb(header(neigh[0])));
  EXPECT_FALSE(parse_link(header(fdb[0])));
  // Cut an attribute short: the message claims fewer bytes than its last attribute needs.
  Bytes cut = fdb[5];
  auto* nlh = reinterpret_cast<nlmsghdr*>(cut.data());
  nlh->nlmsg_len -= 6;  // into the last attribute, not only its padding
  EXPECT_FALSE(parse_fdb(nlh));
}

TEST(NlMessages, AckCarriesErrnoAndExtendedMessage) {
  // An NLMSG_ERROR as the kernel sends it with NETLINK_CAP_ACK and NETLINK_EXT_ACK.
  std::array<std::byte, 256> buf{};
  nlmsghdr* nlh = mnl_nlmsg_put_header(buf.data());
  nlh->nlmsg_type = NLMSG_ERROR;
  nlh->nlmsg_flags = NLM_F_CAPPED | NLM_F_ACK_TLVS;
  nlh->nlmsg_seq = 42;
  auto* err = static_cast<nlmsgerr*>(mnl_nlmsg_put_extra_header(nlh, sizeof(nlmsgerr)));
  err->error = -ENODEV;
  err->msg.nlmsg_len = 64;
  err->msg.nlmsg_seq = 42;
  mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "Unknown device");
  auto ack = parse_ack(nlh, nlh->nlmsg_len);
  ASSERT_TRUE(ack);
  EXPECT_EQ(ack->seq, 42u);
  EXPECT_EQ(ack->error, ENODEV);
  EXPECT_EQ(ack->message, "Unknown device");
  EXPECT_FALSE(parse_ack(nlh, 20));  // shorter than an error message
  // No errno the kernel sends (found by fuzz_netlink: INT_MIN has no negation) is a
  // protocol error, never read as a success.
  for (int odd : {std::numeric_limits<int>::min(), -5000, 7}) {
    err->error = odd;
    EXPECT_EQ(parse_ack(nlh, nlh->nlmsg_len)->error, EPROTO) << odd;
  }
}

TEST(NlMessages, EventFilterIsWellFormed) {
  for (std::size_t devices : {std::size_t{0}, std::size_t{3}, kMaxFilteredDevices + 5}) {
    std::vector<int> ifindexes(devices);
    for (std::size_t i = 0; i < devices; ++i) ifindexes[i] = static_cast<int>(i + 10);
    const auto program = event_filter_program(ifindexes);
    ASSERT_EQ(program.size(), 14 + std::min(devices, kMaxFilteredDevices));
    // Every jump lands inside the program, which ends in its two returns.
    for (std::size_t i = 0; i < program.size(); ++i) {
      if (BPF_CLASS(program[i].code) == BPF_JMP) {
        EXPECT_LT(i + 1 + program[i].jt, program.size());
        EXPECT_LT(i + 1 + program[i].jf, program.size());
      }
    }
    EXPECT_EQ(program[program.size() - 2].code, BPF_RET | BPF_K);
    EXPECT_EQ(program.back().code, BPF_RET | BPF_K);
    EXPECT_EQ(program.back().k, 0u);
  }
}


// The program run by the kernel's BPF interpreter on the captured messages, through a
// datagram socket pair: what arrives is what the event socket would queue.
TEST(NlMessages, EventFilterDropsRemoteSelfAndExternLearnedEntries) {
  int sv[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, sv), 0);
  const std::vector<int> vxlans = {3};  // vx1 in the capture
  ASSERT_EQ(attach_event_filter(sv[1], vxlans), 0);
  auto passes = [&](const Bytes& m) {
    EXPECT_EQ(::send(sv[0], m.data(), m.size(), 0), static_cast<ssize_t>(m.size()));
    std::array<std::uint8_t, 4096> buf{};
    return ::recv(sv[1], buf.data(), buf.size(), 0) > 0;
  };
  std::size_t passed = 0;
  for (const auto& m : load_hex("captured_fdb.hex")) {
    auto fdb = parse_fdb(header(m));
    ASSERT_TRUE(fdb);
    const bool want = fdb->master != 0 && fdb->ifindex != 3;  // the bridge's entries on v1
    EXPECT_EQ(passes(m), want) << fdb->mac.to_string() << " on " << fdb->ifindex;
    passed += want ? 1 : 0;
  }
  EXPECT_EQ(passed, 3u);
  for (const auto& m : load_hex("captured_neigh.hex")) {
    auto n = parse_neighbor(header(m));
    ASSERT_TRUE(n);
    EXPECT_EQ(passes(m), (n->flags & NTF_EXT_LEARNED) == 0) << n->ip.to_string();
  }
  for (const auto& m : load_hex("captured_links.hex")) EXPECT_TRUE(passes(m));
  ::close(sv[0]);
  ::close(sv[1]);
}

}  // namespace
}  // namespace evpnd::fib::netlink
