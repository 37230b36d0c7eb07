#pragma once
// A scripted netlink peer that plays the kernel for fib::NetlinkBackend, for the paths a
// real kernel cannot be made to take on demand (a busy table, a refused entry, an
// extended-ack message). On its own thread it answers:
//   - link dumps with recorded RTM_NEWLINK messages (captured_links.hex) or composed
//     ones (composed.hpp), and AF_BRIDGE link dumps with the ports' VLANs it is given;
//   - FDB and neighbour dumps with what it holds;
//   - every request with an ack: the scripted error for it, else 0, and then it holds
//     the entry (or drops it) as the kernel would.
// It speaks over a pair of connected datagram sockets, one end of each handed to the
// backend (NetlinkBackend::PeerSockets).
#include <linux/netlink.h>

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "fib/netlink/netlink_backend.hpp"

namespace evpnd::fib::netlink::test {

class ScriptedKernel {
 public:
  using Bytes = std::vector<std::uint8_t>;
  static constexpr std::uint32_t kPortId = 4242;

  explicit ScriptedKernel(std::vector<Bytes> links, std::vector<Bytes> port_vlans = {});
  ~ScriptedKernel();
  ScriptedKernel(const ScriptedKernel&) = delete;
  ScriptedKernel& operator=(const ScriptedKernel&) = delete;

  // The backend's ends of the sockets (once).
  NetlinkBackend::PeerSockets backend_sockets();

  // The next `count` requests of `type` (RTM_NEWNEIGH, RTM_DELNEIGH, ...) fail with
  // `error`, the ack carrying `message` as its extended-ack text when there is one.
  void fail_next(std::uint16_t type, int error, std::size_t count, std::string message = {});

  // An FDB entry it holds: on `ifindex`, for `mac`, to `dst` (a vxlan device's entries),
  // in `src_vni` on a single vxlan device (NDA_SRC_VNI: its table is keyed by MAC and VNI).
  struct FdbEntry {
    int ifindex = 0;
    MacAddress mac;
    std::optional<IpAddress> dst;
    std::uint32_t src_vni = 0;
    friend auto operator<=>(const FdbEntry&, const FdbEntry&) = default;
  };
  [[nodiscard]] std::vector<FdbEntry> fdb() const;
  // Every request but dumps, as received, in order.
  [[nodiscard]] std::vector<Bytes> received() const;
  // Sends `message` on the event socket, as the kernel multicasts a notification.
  void notify(const Bytes& message);
  // How many requests of `type` it has answered, and how many of them it refused.
  [[nodiscard]] std::size_t requests(std::uint16_t type) const;
  [[nodiscard]] std::size_t refused(std::uint16_t type) const;

 private:
  struct Failure {
    int error;
    std::string message;
  };
  void serve();
  void answer(const nlmsghdr* request);
  void answer_dump(const nlmsghdr* request);
  void send_ack(const nlmsghdr* request, int error, const std::string& message);
  void send_bytes(const void* data, std::size_t length);

  int kernel_command_ = -1;  // our ends
  int kernel_events_ = -1;
  int backend_command_ = -1;  // theirs, until handed out
  int backend_events_ = -1;
  int stop_ = -1;  // an eventfd that ends the thread
  std::vector<Bytes> links_;
  std::vector<Bytes> port_vlans_;

  mutable std::mutex mu_;
  std::map<std::uint16_t, std::deque<Failure>> failures_;
  std::map<std::uint16_t, std::size_t> requests_;
  std::map<std::uint16_t, std::size_t> refused_;
  // What it holds, with the entry's NTF_EXT_LEARNED / NTF_STICKY flags (dumped back as
  // the vxlan device's own entries).
  std::map<FdbEntry, std::uint8_t> fdb_;
  std::vector<Bytes> received_;
  std::thread thread_;
};

}  // namespace evpnd::fib::netlink::test
