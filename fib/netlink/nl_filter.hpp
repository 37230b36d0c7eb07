#pragma once
// The event socket's filter: a classic BPF program the kernel runs on every notification
// before queueing it. It drops the neighbour notifications of entries that are never a
// local host, most of them the echo of what the backend itself wrote, so that a batch of
// a hundred thousand remote MACs does not flood the event socket (and force a resync):
//   - AF_BRIDGE entries of a device's own table (NTF_SELF: the vxlan device's remote and
//     flood entries, a port's address list);
//   - AF_BRIDGE entries on a vxlan device (the bridge's half of a remote MAC);
//   - AF_INET/AF_INET6 extern_learn neighbours (ARP/ND suppression entries, ours).
// A bridge entry with extern_learn on another port stays: a switchdev driver's learned
// host is local. What the program drops is what read_events ignores anyway.
#include <linux/filter.h>

#include <span>
#include <vector>

namespace evpnd::fib::netlink {

// At most this many vxlan ifindexes are filtered (a jump reaches 255 instructions);
// notifications of any further ones pass and are ignored in user space.
inline constexpr std::size_t kMaxFilteredDevices = 200;

std::vector<sock_filter> event_filter_program(std::span<const int> vxlan_ifindexes);
// Attaches (or replaces) the program on a netlink socket: 0 or an errno.
int attach_event_filter(int fd, std::span<const int> vxlan_ifindexes);

}  // namespace evpnd::fib::netlink
