#include "fib/fib_queue.hpp"

#include <algorithm>
#include <cerrno>

namespace evpnd::fib {

namespace {
constexpr std::size_t kFailuresKept = 32;

struct KeyOf {
  EntryKey operator()(const RemoteMac& o) const { return {EntryKey::Kind::Mac, o.vni, o.mac, {}}; }
  EntryKey operator()(const RemoteMacGone& o) const { return {EntryKey::Kind::Mac, o.vni, o.mac, {}}; }
  EntryKey operator()(const FloodVtep& o) const { return {EntryKey::Kind::Flood, o.vni, {}, o.vtep}; }
  EntryKey operator()(const FloodVtepGone& o) const { return {EntryKey::Kind::Flood, o.vni, {}, o.vtep}; }
  EntryKey operator()(const RemoteNeighbor& o) const { return {EntryKey::Kind::Neighbor, o.vni, {}, o.ip}; }
  EntryKey operator()(const RemoteNeighborGone& o) const { return {EntryKey::Kind::Neighbor, o.vni, {}, o.ip}; }
  EntryKey operator()(const LocalStaticMac& o) const { return {EntryKey::Kind::StaticMac, o.vni, o.mac, {}}; }
  EntryKey operator()(const LocalStaticMacGone& o) const { return {EntryKey::Kind::StaticMac, o.vni, o.mac, {}}; }
};

// The removal of what `op` installed.
Operation removal_of(const Operation& op) {
  if (const auto* m = std::get_if<RemoteMac>(&op)) return RemoteMacGone{m->vni, m->mac};
  if (const auto* f = std::get_if<FloodVtep>(&op)) return FloodVtepGone{f->vni, f->vtep};
  if (const auto* s = std::get_if<LocalStaticMac>(&op)) return LocalStaticMacGone{s->vni, s->mac, s->port};
  const auto& n = std::get<RemoteNeighbor>(op);
  return RemoteNeighborGone{n.vni, n.ip};
}
}  // namespace

EntryKey key_of(const Operation& op) { return std::visit(KeyOf{}, op); }

bool is_removal(const Operation& op) {
  return std::holds_alternative<RemoteMacGone>(op) || std::holds_alternative<FloodVtepGone>(op) ||
         std::holds_alternative<RemoteNeighborGone>(op) || std::holds_alternative<LocalStaticMacGone>(op);
}

void FibQueue::adopt_installed(const Installed& installed) {
  auto adopt = [&](const Operation& op) {
    const auto key = key_of(op);
    installed_.insert_or_assign(key, op);
    unconfirmed_.insert(key);
  };
  for (const auto& m : installed.macs) adopt(m);
  for (const auto& f : installed.flood) adopt(f);
  for (const auto& n : installed.neighbors) adopt(n);
}

void FibQueue::enqueue(const EntryKey& key, const Operation& op, std::uint32_t attempts, TimePoint not_before) {
  Work& w = work_[key];
  if (!w.pending) ++pending_count_;  // else its earlier position goes stale
  w.pending = op;
  w.order = next_order_++;
  w.attempts = attempts;
  w.not_before = not_before;
  order_.emplace_back(w.order, key);
}

void FibQueue::compact_order() {
  const std::size_t stale = order_.size() - pending_count_;
  if (stale < 4096 || stale < pending_count_) return;
  std::erase_if(order_, [&](const auto& pos) {
    auto w = work_.find(pos.second);
    return w == work_.end() || !w->second.pending || w->second.order != pos.first;
  });
}

bool FibQueue::already_so(const EntryKey& key, const Operation& op) const {
  const auto inst = installed_.find(key);
  if (is_removal(op)) return inst == installed_.end();
  return inst != installed_.end() && inst->second == op;
}

void FibQueue::want(const Operation& op) {
  const auto key = key_of(op);
  if (!gone_.empty()) gone_.erase(key.vni);
  if (!unconfirmed_.empty()) unconfirmed_.erase(key);
  const auto w = work_.find(key);
  if (w != work_.end() && w->second.pending) {
    // Folded: the entry ends as the latest operation says. Keep its place in the queue.
    w->second.pending = op;
    w->second.attempts = 0;
    w->second.not_before = {};
    ++counters_.folded;
    return;
  }
  if ((w == work_.end() || !w->second.in_flight) && already_so(key, op)) {
    ++counters_.unchanged;
    return;
  }
  enqueue(key, op, 0, {});
}

std::vector<Operation> FibQueue::next_batch(TimePoint now, std::size_t max) {
  std::vector<Operation> batch;
  batch.reserve(std::min(max, pending_count_));
  // Positions before the first waiting one are popped as they are passed; after it, a
  // taken one stays behind as a stale position (dropped by compact_order).
  bool at_front = true;
  for (std::size_t i = 0; i < order_.size() && batch.size() < max;) {
    const auto& [order, key] = order_[i];
    const auto it = work_.find(key);
    if (it == work_.end() || !it->second.pending || it->second.order != order) {  // stale
      if (at_front) {
        order_.pop_front();
      } else {
        ++i;
      }
      continue;
    }
    Work& w = it->second;
    if (w.in_flight || w.not_before > now) {  // waits, in place
      at_front = false;
      ++i;
      continue;
    }
    batch.push_back(std::move(*w.pending));
    w.pending.reset();
    --pending_count_;
    w.in_flight = true;
    w.in_flight_attempts = w.attempts;
    ++in_flight_count_;
    if (at_front) {
      order_.pop_front();
    } else {
      ++i;
    }
  }
  compact_order();
  if (!batch.empty()) ++counters_.batches;
  return batch;
}

void FibQueue::done(std::span<const Operation> batch, std::span<const OperationResult> results, TimePoint now) {
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const auto& op = batch[i];
    const auto key = key_of(op);
    std::uint32_t attempts = 0;
    auto it = work_.find(key);
    if (it != work_.end() && it->second.in_flight) {
      attempts = it->second.in_flight_attempts;
      it->second.in_flight = false;
      --in_flight_count_;
    }
    const OperationResult result = i < results.size() ? results[i] : OperationResult{EIO, "no result"};
    if (result.ok()) {
      ++counters_.applied;
      if (is_removal(op)) {
        installed_.erase(key);
      } else {
        installed_.insert_or_assign(key, op);
      }
      if (it == work_.end()) continue;
      // Anything wanted meanwhile is still pending and goes next; if it now matches
      // what is installed, it costs nothing.
      if (it->second.pending && already_so(key, *it->second.pending)) {
        it->second.pending.reset();
        --pending_count_;
        ++counters_.unchanged;
      }
      if (!it->second.pending && !it->second.in_flight) work_.erase(it);
      continue;
    }
    ++counters_.failed;
    failures_.push_back({op, result, attempts + 1});
    if (failures_.size() > kFailuresKept) failures_.pop_front();
    if (it != work_.end() && it->second.pending) continue;  // superseded while in flight: the newer one goes
    if (gone_.contains(key.vni)) {  // the entry went with its device
      if (it != work_.end() && !it->second.in_flight) work_.erase(it);
      continue;
    }
    // Back-off doubling from kFirstRetry up to kMaxRetry.
    auto delay = kFirstRetry * (1u << std::min<std::uint32_t>(attempts, 16));
    if (delay > kMaxRetry) delay = kMaxRetry;
    ++counters_.retried;
    enqueue(key, op, attempts + 1, now + delay);
  }
}

std::size_t FibQueue::sweep_unconfirmed() {
  std::size_t n = 0;
  for (const auto& key : unconfirmed_) {
    auto inst = installed_.find(key);
    if (inst == installed_.end()) continue;
    enqueue(key, removal_of(inst->second), 0, {});
    ++n;
  }
  unconfirmed_.clear();
  counters_.swept += n;
  return n;
}

void FibQueue::forget_vni(Vni vni) {
  gone_.insert(vni);
  absl::erase_if(installed_, [&](const auto& kv) { return kv.first.vni == vni; });
  absl::erase_if(unconfirmed_, [&](const EntryKey& k) { return k.vni == vni; });
  for (auto it = work_.begin(); it != work_.end();) {
    if (it->first.vni != vni) {
      ++it;
      continue;
    }
    if (it->second.pending) {
      it->second.pending.reset();
      --pending_count_;
    }
    if (!it->second.in_flight) {
      work_.erase(it++);
    } else {
      ++it;
    }
  }
  compact_order();
}

std::optional<TimePoint> FibQueue::next_retry() const {
  std::optional<TimePoint> t;
  for (const auto& [key, w] : work_) {
    if (w.pending && w.attempts > 0 && !w.in_flight && (!t || w.not_before < *t)) t = w.not_before;
  }
  return t;
}

}  // namespace evpnd::fib
