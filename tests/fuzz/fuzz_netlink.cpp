// libFuzzer target for the kernel's side of the netlink backend (fib/netlink/
// nl_messages.hpp): the input is one rtnetlink message as the kernel would send it (its
// nlmsg_len cut to the input). Every parser either refuses it or returns a value read
// from whole attributes; a port's VLANs read back (PVID, the tunnel map with its runs
// expanded) are read the same again from a message that lists each mapping on its own
// (composed as the kernel writes one, tests/unit/netlink/composed.hpp); and an FDB entry
// built from the input's first bytes parses back to the fields it was built from, VLAN
// and source VNI included.
#include <linux/netlink.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "fib/netlink/nl_messages.hpp"
#include "unit/netlink/composed.hpp"

namespace nl = evpnd::fib::netlink;

namespace {

void check_round_trip(const std::uint8_t* data, std::size_t size) {
  if (size < 16) return;
  nl::MacAddress mac;
  std::memcpy(mac.bytes.data(), data, 6);
  const auto vtep = nl::IpAddress::v4(std::array<std::uint8_t, 4>{data[6], data[7], data[8], data[9]});
  const auto vlan = static_cast<std::uint16_t>((data[10] << 8 | data[11]) & 0x0fff);
  const std::uint32_t src_vni = (std::uint32_t{data[12]} << 16 | std::uint32_t{data[13]} << 8 | data[14]);
  const bool sticky = (data[15] & 1) != 0;
  std::vector<std::uint32_t> room(nl::kMaxRequestSize / 4);
  std::span<std::byte> out(reinterpret_cast<std::byte*>(room.data()), nl::kMaxRequestSize);
  nl::build_remote_mac(out, 1, 3, 2, mac, vtep, sticky, vlan, src_vni);
  auto fdb = nl::parse_fdb(reinterpret_cast<const nlmsghdr*>(room.data()));
  if (!fdb || fdb->mac != mac || fdb->dst != vtep || fdb->vlan != vlan || fdb->src_vni != src_vni ||
      fdb->master != 2 || fdb->ifindex != 3) {
    __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  check_round_trip(data, size);
  if (size < sizeof(nlmsghdr) || size > 65536) return 0;
  std::vector<std::uint32_t> aligned((size + 3) / 4);  // nlmsghdr and its attributes are 4-aligned
  std::memcpy(aligned.data(), data, size);
  auto* nlh = reinterpret_cast<nlmsghdr*>(aligned.data());
  if (nlh->nlmsg_len < sizeof(nlmsghdr) || nlh->nlmsg_len > size) nlh->nlmsg_len = static_cast<std::uint32_t>(size);

  if (auto link = nl::parse_link(nlh)) {
    if (link->deleted != (nlh->nlmsg_type == RTM_DELLINK)) __builtin_trap();
  }
  if (auto port = nl::parse_port_vlans(nlh); port && port->tunnels.size() <= 30) {  // what a composed message (1 KB) holds
    std::vector<nl::test::composed::Tunnel> singles;
    for (const auto& t : port->tunnels) singles.push_back({t.vid, t.vni, 0});
    std::vector<std::uint16_t> vids;
    if (port->pvid) vids.push_back(*port->pvid);
    const auto again = nl::test::composed::port_vlans(port->ifindex, port->master, vids, port->pvid, singles);
    auto reread = nl::parse_port_vlans(reinterpret_cast<const nlmsghdr*>(again.data()));
    if (!reread || reread->tunnels != port->tunnels || reread->pvid != port->pvid) __builtin_trap();
  }
  (void)nl::parse_fdb(nlh);
  (void)nl::parse_neighbor(nlh);
  (void)nl::parse_ack(nlh, size);
  return 0;
}
