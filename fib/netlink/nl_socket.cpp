#include "fib/netlink/nl_socket.hpp"

#include <libmnl/libmnl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>
#include <cstring>
#include <ctime>

#include "fib/netlink/nl_messages.hpp"

namespace evpnd::fib::netlink {
namespace {

constexpr int kPending = INT_MIN;
constexpr std::size_t kAckSlots = 128;
constexpr std::size_t kAckSlotBytes = 2048;  // an ack echoes at most a header (NETLINK_CAP_ACK) and a message
constexpr std::size_t kDatagramBytes = 64 * 1024;  // a dump datagram is at most 32 KB

int remaining_ms(std::chrono::steady_clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  return static_cast<int>(std::max<std::chrono::milliseconds::rep>(0, left.count()));
}

// Waits until fd is readable or the deadline passes: true when readable.
bool wait_readable(int fd, std::chrono::steady_clock::time_point deadline) {
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    const int n = ::poll(&p, 1, remaining_ms(deadline));
    if (n > 0) return true;
    if (n == 0) return false;
    if (errno != EINTR) return false;
  }
}

void set_int_option(int fd, int level, int name, int value) {
  (void)::setsockopt(fd, level, name, &value, sizeof(value));
}

}  // namespace

void RequestBatch::reset(std::uint32_t first_seq) {
  first_seq_ = first_seq;
  offsets_.clear();
  used_ = 0;
}

void RequestBatch::reserve(std::size_t requests) {
  offsets_.reserve(requests);
  // Room for the requests at a typical size (a remote MAC is 64 bytes), plus one whole.
  const std::size_t want = requests * 96 + kMaxRequestSize;
  if (buffer_.size() < want) buffer_.resize(want);
}

std::span<std::byte> RequestBatch::room() {
  if (buffer_.size() < used_ + kMaxRequestSize) buffer_.resize(std::max(buffer_.size() * 2, used_ + kMaxRequestSize));
  return {buffer_.data() + used_, kMaxRequestSize};
}

void RequestBatch::commit(std::size_t length) {
  offsets_.push_back(static_cast<std::uint32_t>(used_));
  used_ += length;
}

NlSocket::~NlSocket() {
  if (nl_ != nullptr) {
    mnl_socket_close(nl_);
  } else if (fd_ >= 0) {
    ::close(fd_);
  }
}

void NlSocket::adopt(int fd, std::uint32_t portid) {
  fd_ = fd;
  portid_ = portid;
  next_seq_ = 1;
  rx_.resize(std::max(kAckSlots * kAckSlotBytes, kDatagramBytes));
}

int NlSocket::open(unsigned groups, bool nonblocking) {
  nl_ = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC | (nonblocking ? SOCK_NONBLOCK : 0));
  if (nl_ == nullptr) return errno;
  if (mnl_socket_bind(nl_, groups, MNL_SOCKET_AUTOPID) < 0) {
    const int err = errno;
    mnl_socket_close(nl_);
    nl_ = nullptr;
    return err;
  }
  const int fd = mnl_socket_get_fd(nl_);
  fd_ = fd;
  portid_ = mnl_socket_get_portid(nl_);
  // Error messages in acks, and acks that do not echo the request back.
  set_int_option(fd, SOL_NETLINK, NETLINK_EXT_ACK, 1);
  set_int_option(fd, SOL_NETLINK, NETLINK_CAP_ACK, 1);
  if (::setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &kReceiveBuffer, sizeof(kReceiveBuffer)) < 0) {
    set_int_option(fd, SOL_SOCKET, SO_RCVBUF, kReceiveBuffer);  // capped by net.core.rmem_max
  }
  constexpr int kSendBuffer = 4 * static_cast<int>(kChunkBytes);
  if (::setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &kSendBuffer, sizeof(kSendBuffer)) < 0) {
    set_int_option(fd, SOL_SOCKET, SO_SNDBUF, kSendBuffer);
  }
  next_seq_ = static_cast<std::uint32_t>(::time(nullptr));
  rx_.resize(std::max(kAckSlots * kAckSlotBytes, kDatagramBytes));
  return 0;
}

std::uint32_t NlSocket::take_seqs(std::size_t count) {
  const std::uint32_t first = next_seq_;
  next_seq_ += static_cast<std::uint32_t>(count);
  return first;
}

bool NlSocket::send_all(std::span<const std::byte> bytes) {
  for (;;) {
    // An adopted socket is connected to its peer; the kernel's is addressed by libmnl.
    const ssize_t n = nl_ != nullptr ? mnl_socket_sendto(nl_, bytes.data(), bytes.size())
                                     : ::send(fd_, bytes.data(), bytes.size(), 0);
    if (n >= 0) return true;  // a netlink datagram goes whole or not at all
    if (errno != EINTR) return false;
  }
}

void NlSocket::transact(const RequestBatch& batch, std::vector<Ack>& acks) {
  const std::size_t n = batch.count();
  acks.resize(n);
  for (auto& a : acks) {
    a.error = kPending;
    a.message.clear();
  }
  if (fd_ < 0) {
    for (auto& a : acks) a.error = EBADF;
    return;
  }
  const auto bytes = batch.bytes();
  std::size_t i = 0;
  while (i < n) {
    // One chunk: requests i..j-1, at most kChunkBytes unless a single request is larger.
    auto end_of = [&](std::size_t k) { return k + 1 < n ? batch.offset(k + 1) : bytes.size(); };
    std::size_t j = i + 1;
    while (j < n && end_of(j) - batch.offset(i) <= kChunkBytes) ++j;
    const std::size_t end = j < n ? batch.offset(j) : bytes.size();
    if (!send_all(bytes.subspan(batch.offset(i), end - batch.offset(i)))) {
      const int err = errno;
      for (std::size_t k = i; k < j; ++k) acks[k].error = err;
    } else {
      receive_acks(batch.first_seq() + static_cast<std::uint32_t>(i), j - i, acks, i);
    }
    i = j;
  }
}

void NlSocket::receive_acks(std::uint32_t first_seq, std::size_t count, std::vector<Ack>& acks, std::size_t base) {
  const int fd = fd_;
  const std::uint32_t portid = portid_;
  std::size_t pending = count;
  bool overflowed = false;
  const auto deadline = std::chrono::steady_clock::now() + kTimeout;
  std::array<mmsghdr, kAckSlots> msgs{};
  std::array<iovec, kAckSlots> iov{};
  for (std::size_t k = 0; k < kAckSlots; ++k) {
    iov[k] = {rx_.data() + k * kAckSlotBytes, kAckSlotBytes};
    msgs[k].msg_hdr.msg_iov = &iov[k];
    msgs[k].msg_hdr.msg_iovlen = 1;
  }
  auto fail_pending = [&](int err) {
    for (std::size_t k = base; k < base + count; ++k) {
      if (acks[k].error == kPending) acks[k].error = err;
    }
    pending = 0;
  };
  while (pending > 0) {
    const int got = ::recvmmsg(fd, msgs.data(), kAckSlots, MSG_DONTWAIT, nullptr);
    if (got < 0) {
      if (errno == EINTR) continue;
      if (errno == ENOBUFS) {  // acks were dropped; read what is still queued
        overflowed = true;
        continue;
      }
      if (errno != EAGAIN && errno != EWOULDBLOCK) {
        fail_pending(errno);
        break;
      }
      // The kernel answers a chunk while sending it, so an empty queue after an overflow
      // means the missing acks are gone; otherwise wait, but not forever.
      if (overflowed) {
        fail_pending(ENOBUFS);
        break;
      }
      if (!wait_readable(fd, deadline)) {
        fail_pending(ETIMEDOUT);
        break;
      }
      continue;
    }
    for (int m = 0; m < got; ++m) {
      const auto* data = rx_.data() + static_cast<std::size_t>(m) * kAckSlotBytes;
      int len = static_cast<int>(std::min<std::size_t>(msgs[m].msg_len, kAckSlotBytes));
      for (auto* nlh = reinterpret_cast<const nlmsghdr*>(data); len >= static_cast<int>(sizeof(nlmsghdr));) {
        const std::size_t avail = static_cast<std::size_t>(len);
        if (nlh->nlmsg_pid == portid || nlh->nlmsg_pid == 0) {
          if (auto ack = parse_ack(nlh, avail); ack && ack->seq - first_seq < count) {
            Ack& slot = acks[base + (ack->seq - first_seq)];
            if (slot.error == kPending) {
              slot.error = ack->error;
              slot.message = std::move(ack->message);
              --pending;
            }
          }
        }
        if (!mnl_nlmsg_ok(nlh, len)) break;  // truncated (an oversized ack): its head was read
        nlh = mnl_nlmsg_next(nlh, &len);
      }
    }
  }
}

int NlSocket::dump(std::span<const std::byte> request, const std::function<void(const nlmsghdr*)>& on_message) {
  if (fd_ < 0) return EBADF;
  const auto* req = reinterpret_cast<const nlmsghdr*>(request.data());
  const std::uint32_t seq = req->nlmsg_seq;
  const std::uint32_t portid = portid_;
  if (!send_all(request)) return errno;
  const int fd = fd_;
  bool interrupted = false;
  for (;;) {
    const auto deadline = std::chrono::steady_clock::now() + kTimeout;
    const ssize_t got = ::recv(fd, rx_.data(), kDatagramBytes, MSG_DONTWAIT);
    if (got < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        if (!wait_readable(fd, deadline)) return ETIMEDOUT;
        continue;
      }
      return errno;  // ENOBUFS: part of the dump was lost
    }
    int len = static_cast<int>(got);
    for (auto* nlh = reinterpret_cast<const nlmsghdr*>(rx_.data()); mnl_nlmsg_ok(nlh, len);
         nlh = mnl_nlmsg_next(nlh, &len)) {
      if (nlh->nlmsg_seq != seq || nlh->nlmsg_pid != portid) continue;  // a late ack of an earlier batch
      if ((nlh->nlmsg_flags & NLM_F_DUMP_INTR) != 0) interrupted = true;
      if (nlh->nlmsg_type == NLMSG_DONE) return interrupted ? EINTR : 0;
      if (nlh->nlmsg_type == NLMSG_ERROR) {
        auto ack = parse_ack(nlh, static_cast<std::size_t>(len));
        return ack && ack->error != 0 ? ack->error : EPROTO;
      }
      on_message(nlh);
    }
  }
}

int NlSocket::drain(const std::function<void(const nlmsghdr*)>& on_message, std::size_t max_datagrams) {
  if (fd_ < 0) return EBADF;
  const int fd = fd_;
  bool overflowed = false;
  for (std::size_t d = 0; d < max_datagrams; ++d) {
    const ssize_t got = ::recv(fd, rx_.data(), kDatagramBytes, MSG_DONTWAIT);
    if (got < 0) {
      if (errno == EINTR) continue;
      if (errno == ENOBUFS) {
        overflowed = true;
        continue;
      }
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      return errno;
    }
    int len = static_cast<int>(got);
    for (auto* nlh = reinterpret_cast<const nlmsghdr*>(rx_.data()); mnl_nlmsg_ok(nlh, len);
         nlh = mnl_nlmsg_next(nlh, &len)) {
      on_message(nlh);
    }
  }
  return overflowed ? ENOBUFS : 0;
}

}  // namespace evpnd::fib::netlink
