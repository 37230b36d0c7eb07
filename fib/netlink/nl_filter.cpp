#include "fib/netlink/nl_filter.hpp"

#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstddef>
#include <cstdint>

namespace evpnd::fib::netlink {
namespace {

// Offsets into a notification: struct nlmsghdr (16 bytes), then struct ndmsg.
constexpr unsigned kTypeOffset = 4;  // nlmsg_type, host order
constexpr unsigned kFamilyOffset = 16;
constexpr unsigned kIfindexOffset = 16 + 4;  // after family, pad1, pad2
constexpr unsigned kFlagsOffset = 16 + 10;   // after ifindex and state
// BPF loads bytes as they are and words in network order; netlink is host order. The low
// byte of the 16-bit type comes first on a little-endian host; both neighbour types are
// below 256.
constexpr bool kLittle = std::endian::native == std::endian::little;
constexpr unsigned kTypeLowByte = kLittle ? kTypeOffset : kTypeOffset + 1;
constexpr unsigned kTypeHighByte = kLittle ? kTypeOffset + 1 : kTypeOffset;
constexpr unsigned kAccept = 0xFFFFFFFFu;

std::uint32_t as_loaded(int ifindex) {
  const auto v = static_cast<std::uint32_t>(ifindex);
  return kLittle ? __builtin_bswap32(v) : v;
}

sock_filter stmt(std::uint16_t code, std::uint32_t k) { return sock_filter{code, 0, 0, k}; }
sock_filter jump(std::uint16_t code, std::uint32_t k, std::size_t jt, std::size_t jf) {
  return sock_filter{code, static_cast<std::uint8_t>(jt), static_cast<std::uint8_t>(jf), k};
}

}  // namespace

std::vector<sock_filter> event_filter_program(std::span<const int> vxlan_ifindexes) {
  const std::size_t n = std::min(vxlan_ifindexes.size(), kMaxFilteredDevices);
  const std::size_t accept = 12 + n;
  const std::size_t drop = accept + 1;
  auto to = [](std::size_t from, std::size_t target) { return target - from - 1; };
  std::vector<sock_filter> p;
  p.reserve(drop + 1);
  // 0-1: a type of 256 or more is no neighbour message: accept.
  p.push_back(stmt(BPF_LD | BPF_B | BPF_ABS, kTypeHighByte));
  p.push_back(jump(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, to(1, accept)));
  // 2-4: RTM_NEWNEIGH or RTM_DELNEIGH, else accept.
  p.push_back(stmt(BPF_LD | BPF_B | BPF_ABS, kTypeLowByte));
  p.push_back(jump(BPF_JMP | BPF_JEQ | BPF_K, RTM_NEWNEIGH, to(3, 5), 0));
  p.push_back(jump(BPF_JMP | BPF_JEQ | BPF_K, RTM_DELNEIGH, 0, to(4, accept)));
  // 5-6: bridge entries at 9.
  p.push_back(stmt(BPF_LD | BPF_B | BPF_ABS, kFamilyOffset));
  p.push_back(jump(BPF_JMP | BPF_JEQ | BPF_K, AF_BRIDGE, to(6, 9), 0));
  // 7-8: an IP neighbour: drop extern_learn, accept the rest.
  p.push_back(stmt(BPF_LD | BPF_B | BPF_ABS, kFlagsOffset));
  p.push_back(jump(BPF_JMP | BPF_JSET | BPF_K, NTF_EXT_LEARNED, to(8, drop), to(8, accept)));
  // 9-10: a bridge entry: drop a device's own ("self") entries.
  p.push_back(stmt(BPF_LD | BPF_B | BPF_ABS, kFlagsOffset));
  p.push_back(jump(BPF_JMP | BPF_JSET | BPF_K, NTF_SELF, to(10, drop), 0));
  // 11..: drop entries on a vxlan device.
  p.push_back(stmt(BPF_LD | BPF_W | BPF_ABS, kIfindexOffset));
  for (std::size_t k = 0; k < n; ++k) {
    p.push_back(jump(BPF_JMP | BPF_JEQ | BPF_K, as_loaded(vxlan_ifindexes[k]), to(12 + k, drop), 0));
  }
  p.push_back(stmt(BPF_RET | BPF_K, kAccept));
  p.push_back(stmt(BPF_RET | BPF_K, 0));
  return p;
}

int attach_event_filter(int fd, std::span<const int> vxlan_ifindexes) {
  auto program = event_filter_program(vxlan_ifindexes);
  sock_fprog prog{static_cast<unsigned short>(program.size()), program.data()};
  if (::setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) < 0) return errno;
  return 0;
}

}  // namespace evpnd::fib::netlink
