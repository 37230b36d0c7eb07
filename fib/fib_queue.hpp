#pragma once
// fib::FibQueue: the programmer's bookkeeping, without threads or I/O (STYLE rule 7).
// What the VTEP model wants goes in as operations; a backlog folds so that the latest
// operation per entry wins (a MAC that moves three times while the kernel is busy is
// written once, to where it ended); what the backend holds is tracked, so an operation
// that would leave an entry as it is costs nothing; failures come back with a back-off
// and are retried until they succeed or are superseded, never dropped.
//
// Reconcile on start: the entries the backend reports it installed in an earlier life
// are taken as installed but unconfirmed. Wanting one of them as it is confirms it
// without a write; sweep_unconfirmed() (once the RIB has converged) removes the rest.
//
// It runs on the BGP thread for every entry (a million MACs are a million wants, batch
// slots and answers), so its tables are flat hash maps (abseil) and its queue a FIFO:
// no allocation per entry (bench_fib_queue counts them).
#include <absl/container/flat_hash_map.h>
#include <absl/container/flat_hash_set.h>

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "fib/backend.hpp"

namespace evpnd::fib {

using TimePoint = std::chrono::steady_clock::time_point;

// The identity of a forwarding entry: the operations on one entry fold into each other.
struct EntryKey {
  enum class Kind : std::uint8_t { Mac, Flood, Neighbor, StaticMac };
  Kind kind = Kind::Mac;
  Vni vni;
  MacAddress mac;  // Mac, StaticMac
  IpAddress ip;    // Flood: the VTEP; Neighbor: the host
  friend auto operator<=>(const EntryKey&, const EntryKey&) = default;
  template <typename H>
  friend H AbslHashValue(H h, const EntryKey& k) {
    h = H::combine(std::move(h), k.kind, k.vni.value(), k.mac.bytes, k.ip.is_v4());
    return H::combine_contiguous(std::move(h), k.ip.data(), k.ip.size());
  }
};
EntryKey key_of(const Operation& op);
bool is_removal(const Operation& op);

struct FibCounters {
  std::uint64_t applied = 0;      // operations the backend carried out
  std::uint64_t failed = 0;       // attempts that failed
  std::uint64_t retried = 0;      // failed operations sent again
  std::uint64_t folded = 0;       // operations replaced by a later one before they were sent
  std::uint64_t unchanged = 0;    // operations dropped: the entry already was so
  std::uint64_t swept = 0;        // stale entries from an earlier life removed
  std::uint64_t batches = 0;
};

struct FailedOperation {
  Operation op;
  OperationResult result;
  std::uint32_t attempts = 0;
};

class FibQueue {
 public:
  static constexpr std::chrono::milliseconds kFirstRetry{100};
  static constexpr std::chrono::milliseconds kMaxRetry{30'000};

  // What the backend reported it holds of its own making, before anything is wanted.
  void adopt_installed(const Installed& installed);
  void want(const Operation& op);
  // The next batch: up to `max` operations, oldest first, skipping entries with an
  // operation in flight and failed ones whose back-off has not run out.
  std::vector<Operation> next_batch(TimePoint now, std::size_t max);
  // The backend's answer for the batch next_batch() gave.
  void done(std::span<const Operation> batch, std::span<const OperationResult> results, TimePoint now);
  // Queues the removal of every adopted entry nobody wanted since. Returns how many.
  std::size_t sweep_unconfirmed();
  // The VNI's devices are gone, and its entries with them: forget them, drop what is
  // queued for it, and do not retry what fails for it until it is wanted again.
  void forget_vni(Vni vni);

  [[nodiscard]] bool in_flight() const { return in_flight_count_ != 0; }
  [[nodiscard]] std::size_t pending() const { return pending_count_; }
  [[nodiscard]] std::size_t installed_count() const { return installed_.size(); }
  [[nodiscard]] std::size_t unconfirmed_count() const { return unconfirmed_.size(); }
  // When the earliest waiting retry becomes due (nullopt: none waits).
  [[nodiscard]] std::optional<TimePoint> next_retry() const;
  [[nodiscard]] const FibCounters& counters() const { return counters_; }
  // The latest failures, newest last (show).
  [[nodiscard]] const std::deque<FailedOperation>& recent_failures() const { return failures_; }

 private:
  // An entry with work to do: an operation waiting to be sent, one in flight, or both
  // (wanted again while the backend has the last one). Gone when it has neither.
  struct Work {
    std::optional<Operation> pending;
    std::uint64_t order = 0;     // the pending operation's position in order_
    std::uint32_t attempts = 0;  // failed attempts of the pending operation before
    TimePoint not_before{};      // its back-off
    bool in_flight = false;
    std::uint32_t in_flight_attempts = 0;
  };
  void enqueue(const EntryKey& key, const Operation& op, std::uint32_t attempts, TimePoint not_before);
  // Would `op` leave the entry `key` as the backend holds it?
  [[nodiscard]] bool already_so(const EntryKey& key, const Operation& op) const;
  // Drops the queue's stale positions once they outnumber the live ones.
  void compact_order();

  // One lookup per step (want, batch, answer) in `work_`, one more in `installed_` to
  // compare with or record what the backend holds.
  absl::flat_hash_map<EntryKey, Operation> installed_;  // the positive operation that made each entry
  absl::flat_hash_set<EntryKey> unconfirmed_;
  absl::flat_hash_map<EntryKey, Work> work_;
  std::size_t pending_count_ = 0;
  std::size_t in_flight_count_ = 0;
  // Pending entries oldest first, by (order, key): a position is stale when its entry no
  // longer waits at that order (sent, folded away, queued again); stale ones are skipped
  // and dropped. Every pending entry has exactly one live position, so the stale ones
  // number order_.size() - pending_count_.
  std::deque<std::pair<std::uint64_t, EntryKey>> order_;
  std::set<Vni> gone_;
  std::uint64_t next_order_ = 0;
  FibCounters counters_;
  std::deque<FailedOperation> failures_;
};

}  // namespace evpnd::fib
