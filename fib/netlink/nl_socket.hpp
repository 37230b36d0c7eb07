#pragma once
// An rtnetlink socket (libmnl) and the two conversations the backend has over it:
// a batch of requests, each acknowledged on its own, and a dump.
//
// A batch is many requests back to back in one buffer, each with NLM_F_ACK and its own
// sequence number. It goes out in chunks of at most kChunkBytes per sendmsg; the kernel
// handles a chunk inside that sendmsg and queues one ack per request, so the receive
// buffer is made large (SO_RCVBUFFORCE, else SO_RCVBUF) and the acks of a chunk are read
// before the next is sent. Nothing waits forever: an ack that never comes is ETIMEDOUT
// after kTimeout, one the kernel had no room for (ENOBUFS) is ENOBUFS.
#include <linux/netlink.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

struct mnl_socket;

namespace evpnd::fib::netlink {

// Requests laid out for one send: append() gives room for one (kMaxRequestSize bytes),
// commit() keeps what a builder wrote there. Sequence numbers run from first_seq().
class RequestBatch {
 public:
  void reset(std::uint32_t first_seq);
  std::span<std::byte> room();
  void commit(std::size_t length);
  [[nodiscard]] std::uint32_t first_seq() const { return first_seq_; }
  [[nodiscard]] std::uint32_t next_seq() const { return first_seq_ + static_cast<std::uint32_t>(offsets_.size()); }
  [[nodiscard]] std::size_t count() const { return offsets_.size(); }
  [[nodiscard]] std::span<const std::byte> bytes() const { return {buffer_.data(), used_}; }
  [[nodiscard]] std::size_t offset(std::size_t i) const { return offsets_[i]; }
  void reserve(std::size_t requests);

 private:
  std::vector<std::byte> buffer_;
  std::vector<std::uint32_t> offsets_;  // where each request starts
  std::size_t used_ = 0;
  std::uint32_t first_seq_ = 1;
};

struct Ack {
  int error = 0;  // errno; 0: done
  std::string message;  // the kernel's extended ack, if any
};

class NlSocket {
 public:
  static constexpr std::size_t kChunkBytes = 128 * 1024;
  static constexpr int kReceiveBuffer = 32 * 1024 * 1024;
  static constexpr std::chrono::milliseconds kTimeout{5000};

  NlSocket() = default;
  ~NlSocket();
  NlSocket(const NlSocket&) = delete;
  NlSocket& operator=(const NlSocket&) = delete;

  // Opens NETLINK_ROUTE, subscribed to `groups` (RTMGRP_* bits; 0: none). 0 or an errno.
  int open(unsigned groups, bool nonblocking);
  // Takes `fd`, a connected datagram socket whose peer plays the kernel (a scripted
  // netlink peer in tests), speaking as port `portid`. The socket is closed with this.
  void adopt(int fd, std::uint32_t portid);
  [[nodiscard]] bool is_open() const { return fd_ >= 0; }
  [[nodiscard]] int fd() const { return fd_; }
  [[nodiscard]] std::uint32_t portid() const { return portid_; }
  // A fresh range of sequence numbers for a batch of `count` requests.
  std::uint32_t take_seqs(std::size_t count);

  // Sends the batch and fills acks[i] for request i (acks is resized to batch.count()).
  void transact(const RequestBatch& batch, std::vector<Ack>& acks);
  // Sends one dump request and calls on_message for each message of the answer.
  // 0, or an errno: EINTR when the kernel reports the dump inconsistent (NLM_F_DUMP_INTR,
  // the table changed under it; dump again), ENOBUFS, ETIMEDOUT, or the kernel's error.
  int dump(std::span<const std::byte> request, const std::function<void(const nlmsghdr*)>& on_message);
  // Reads what is queued, without waiting: calls on_message for each message. Returns 0
  // when the queue is empty, ENOBUFS when notifications were lost (the queue overflowed;
  // what is still queued is delivered first), or another errno.
  int drain(const std::function<void(const nlmsghdr*)>& on_message, std::size_t max_datagrams);

 private:
  bool send_all(std::span<const std::byte> bytes);
  void receive_acks(std::uint32_t first_seq, std::size_t count, std::vector<Ack>& acks, std::size_t base);

  mnl_socket* nl_ = nullptr;  // null for an adopted socket
  int fd_ = -1;
  std::uint32_t portid_ = 0;
  std::uint32_t next_seq_ = 1;
  std::vector<std::byte> rx_;  // recvmmsg slots for acks; dump datagrams
};

}  // namespace evpnd::fib::netlink
