#include "unit/netlink/scripted_kernel.hpp"

#include <libmnl/libmnl.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "fib/netlink/nl_messages.hpp"

namespace evpnd::fib::netlink::test {
namespace {

constexpr std::size_t kDatagram = 256 * 1024;

bool is_dump(const nlmsghdr* nlh) { return (nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP; }

// The family byte that starts both ifinfomsg and ndmsg.
std::uint8_t family_of(const nlmsghdr* nlh) {
  return mnl_nlmsg_get_payload_len(nlh) > 0 ? *static_cast<const std::uint8_t*>(mnl_nlmsg_get_payload(nlh)) : 0;
}

}  // namespace

ScriptedKernel::ScriptedKernel(std::vector<Bytes> links, std::vector<Bytes> port_vlans)
    : links_(std::move(links)), port_vlans_(std::move(port_vlans)) {
  std::array<int, 2> command{-1, -1};
  std::array<int, 2> events{-1, -1};
  if (::socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, command.data()) != 0 ||
      ::socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, events.data()) != 0) {
    return;  // backend_sockets() then hands out -1: the backend reports EBADF
  }
  // Room for a whole batch of acks, as the backend asks of the real kernel.
  const int size = 8 * 1024 * 1024;
  for (int fd : {command[0], command[1]}) {
    (void)::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    (void)::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
  }
  backend_command_ = command[0];
  kernel_command_ = command[1];
  backend_events_ = events[0];
  kernel_events_ = events[1];
  stop_ = ::eventfd(0, EFD_CLOEXEC);
  thread_ = std::thread([this] { serve(); });
}

ScriptedKernel::~ScriptedKernel() {
  if (thread_.joinable()) {
    const std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(stop_, &one, sizeof one);
    thread_.join();
  }
  for (int fd : {kernel_command_, kernel_events_, backend_command_, backend_events_, stop_}) {
    if (fd >= 0) ::close(fd);
  }
}

NetlinkBackend::PeerSockets ScriptedKernel::backend_sockets() {
  NetlinkBackend::PeerSockets s{backend_command_, backend_events_, kPortId};
  backend_command_ = -1;  // the backend closes them now
  backend_events_ = -1;
  return s;
}

void ScriptedKernel::fail_next(std::uint16_t type, int error, std::size_t count, std::string message) {
  std::lock_guard lock(mu_);
  for (std::size_t i = 0; i < count; ++i) failures_[type].push_back({error, message});
}

std::vector<ScriptedKernel::FdbEntry> ScriptedKernel::fdb() const {
  std::lock_guard lock(mu_);
  std::vector<FdbEntry> out;
  for (const auto& [entry, flags] : fdb_) out.push_back(entry);
  return out;
}

std::vector<ScriptedKernel::Bytes> ScriptedKernel::received() const {
  std::lock_guard lock(mu_);
  return received_;
}

void ScriptedKernel::notify(const Bytes& message) {
  Bytes m = message;
  auto* nlh = reinterpret_cast<nlmsghdr*>(m.data());
  nlh->nlmsg_seq = 0;  // notifications carry no request's sequence
  nlh->nlmsg_pid = 0;
  while (::send(kernel_events_, m.data(), m.size(), 0) < 0 && errno == EINTR) {
  }
}

std::size_t ScriptedKernel::requests(std::uint16_t type) const {
  std::lock_guard lock(mu_);
  auto it = requests_.find(type);
  return it == requests_.end() ? 0 : it->second;
}

std::size_t ScriptedKernel::refused(std::uint16_t type) const {
  std::lock_guard lock(mu_);
  auto it = refused_.find(type);
  return it == refused_.end() ? 0 : it->second;
}

void ScriptedKernel::serve() {
  std::vector<std::uint8_t> buf(kDatagram);
  for (;;) {
    std::array<pollfd, 2> p{pollfd{kernel_command_, POLLIN, 0}, pollfd{stop_, POLLIN, 0}};
    if (::poll(p.data(), p.size(), -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if ((p[1].revents & POLLIN) != 0) return;
    const ssize_t got = ::recv(kernel_command_, buf.data(), buf.size(), 0);
    if (got <= 0) continue;
    // A datagram holds requests back to back, as the kernel reads a sendmsg.
    int len = static_cast<int>(got);
    for (auto* nlh = reinterpret_cast<const nlmsghdr*>(buf.data()); mnl_nlmsg_ok(nlh, len);
         nlh = mnl_nlmsg_next(nlh, &len)) {
      answer(nlh);
    }
  }
}

void ScriptedKernel::send_bytes(const void* data, std::size_t length) {
  while (::send(kernel_command_, data, length, 0) < 0 && errno == EINTR) {
  }
}

void ScriptedKernel::send_ack(const nlmsghdr* request, int error, const std::string& message) {
  std::array<std::uint8_t, 1024> out{};
  nlmsghdr* nlh = mnl_nlmsg_put_header(out.data());
  nlh->nlmsg_type = NLMSG_ERROR;
  nlh->nlmsg_flags = NLM_F_CAPPED | (message.empty() ? 0 : NLM_F_ACK_TLVS);
  nlh->nlmsg_seq = request->nlmsg_seq;
  nlh->nlmsg_pid = kPortId;
  auto* err = static_cast<nlmsgerr*>(mnl_nlmsg_put_extra_header(nlh, sizeof(nlmsgerr)));
  err->error = -error;
  err->msg = *request;  // capped: the request's header only, as with NETLINK_CAP_ACK
  if (!message.empty()) mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, message.c_str());
  send_bytes(out.data(), nlh->nlmsg_len);
}

void ScriptedKernel::answer_dump(const nlmsghdr* request) {
  std::vector<std::uint8_t> out;
  auto append = [&](const void* data, std::size_t length) {
    const auto* p = static_cast<const std::uint8_t*>(data);
    out.insert(out.end(), p, p + MNL_ALIGN(length));
  };
  if (request->nlmsg_type == RTM_GETLINK) {
    for (Bytes link : family_of(request) == AF_BRIDGE ? port_vlans_ : links_) {
      auto* nlh = reinterpret_cast<nlmsghdr*>(link.data());
      nlh->nlmsg_seq = request->nlmsg_seq;
      nlh->nlmsg_pid = kPortId;
      nlh->nlmsg_flags = NLM_F_MULTI;
      link.resize(MNL_ALIGN(link.size()));
      append(link.data(), link.size());
    }
  } else if (request->nlmsg_type == RTM_GETNEIGH && family_of(request) == AF_BRIDGE) {
    std::lock_guard lock(mu_);
    for (const auto& [entry, flags] : fdb_) {
      // The vxlan device's own ("self") entry, as the kernel dumps it.
      std::array<std::uint8_t, 256> m{};
      nlmsghdr* nlh = mnl_nlmsg_put_header(m.data());
      nlh->nlmsg_type = RTM_NEWNEIGH;
      nlh->nlmsg_flags = NLM_F_MULTI;
      nlh->nlmsg_seq = request->nlmsg_seq;
      nlh->nlmsg_pid = kPortId;
      auto* ndm = static_cast<ndmsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(ndmsg)));
      ndm->ndm_family = AF_BRIDGE;
      ndm->ndm_ifindex = entry.ifindex;
      ndm->ndm_state = NUD_REACHABLE;
      ndm->ndm_flags = static_cast<std::uint8_t>(NTF_SELF | flags);
      mnl_attr_put(nlh, NDA_LLADDR, entry.mac.bytes.size(), entry.mac.bytes.data());
      if (entry.dst) mnl_attr_put(nlh, NDA_DST, entry.dst->size(), entry.dst->data());
      if (entry.src_vni != 0) mnl_attr_put_u32(nlh, NDA_SRC_VNI, entry.src_vni);
      append(m.data(), nlh->nlmsg_len);
    }
  }
  // Neighbour dumps: it holds none (this peer keeps FDB entries only).
  nlmsghdr done{};
  done.nlmsg_len = sizeof(nlmsghdr) + sizeof(int);
  done.nlmsg_type = NLMSG_DONE;
  done.nlmsg_flags = NLM_F_MULTI;
  done.nlmsg_seq = request->nlmsg_seq;
  done.nlmsg_pid = kPortId;
  std::array<std::uint8_t, sizeof(nlmsghdr) + sizeof(int)> d{};
  std::memcpy(d.data(), &done, sizeof done);
  append(d.data(), d.size());
  send_bytes(out.data(), out.size());
}

void ScriptedKernel::answer(const nlmsghdr* request) {
  if (is_dump(request)) return answer_dump(request);
  std::optional<Failure> failure;
  {
    std::lock_guard lock(mu_);
    ++requests_[request->nlmsg_type];
    const auto* p = reinterpret_cast<const std::uint8_t*>(request);
    received_.emplace_back(p, p + request->nlmsg_len);
    if (auto it = failures_.find(request->nlmsg_type); it != failures_.end() && !it->second.empty()) {
      failure = it->second.front();
      it->second.pop_front();
      ++refused_[request->nlmsg_type];
    }
  }
  if (failure) return send_ack(request, failure->error, failure->message);
  int error = 0;
  if (family_of(request) == AF_BRIDGE) {
    if (auto fdb = parse_fdb(request)) {
      // A flood entry (all-zero MAC) is one per destination; any other MAC one per device
      // (and VNI, on a single vxlan device).
      FdbEntry key{fdb->ifindex, fdb->mac, fdb->mac.is_zero() ? fdb->dst : std::nullopt, fdb->src_vni};
      auto same_mac = [&](const FdbEntry& e) {
        return e.ifindex == key.ifindex && e.mac == key.mac && e.src_vni == key.src_vni;
      };
      std::lock_guard lock(mu_);
      if (!fdb->deleted) {
        if (!fdb->mac.is_zero()) {
          std::erase_if(fdb_, [&](const auto& e) { return same_mac(e.first); });
          key.dst = fdb->dst;
        }
        fdb_[key] = static_cast<std::uint8_t>(fdb->flags & (NTF_EXT_LEARNED | NTF_STICKY));
      } else if ((fdb->flags & NTF_MASTER) == 0) {  // the bridge's half needs no record here
        const auto before = fdb_.size();
        std::erase_if(fdb_, [&](const auto& e) { return same_mac(e.first) && (!key.dst || e.first.dst == key.dst); });
        if (fdb_.size() == before) error = ENOENT;
      }
    }
  }
  send_ack(request, error, {});
}

}  // namespace evpnd::fib::netlink::test
