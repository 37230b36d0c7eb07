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
  const auto order = next_order_++;
  pending_.insert_or_assign(key, Pending{op, order, attempts, not_before});
  order_.emplace(order, key);
}

bool FibQueue::already_so(const EntryKey& key, const Operation& op) const {
  const auto inst = installed_.find(key);
  if (is_removal(op)) return inst == installed_.end();
  return inst != installed_.end() && inst->second == op;
}

void FibQueue::want(const Operation& op) {
  const auto key = key_of(op);
  gone_.erase(key.vni);
  unconfirmed_.erase(key);
  if (auto p = pending_.find(key); p != pending_.end()) {
    // Folded: the entry ends as the latest operation says. Keep its place in the queue.
    p->second.op = op;
    p->second.attempts = 0;
    p->second.not_before = {};
    ++counters_.folded;
    return;
  }
  if (!in_flight_.contains(key) && already_so(key, op)) {
    ++counters_.unchanged;
    return;
  }
  enqueue(key, op, 0, {});
}

std::vector<Operation> FibQueue::next_batch(TimePoint now, std::size_t max) {
  std::vector<Operation> batch;
  for (auto o = order_.begin(); o != order_.end() && batch.size() < max;) {
    const auto p = pending_.find(o->second);
    if (p == pending_.end() || p->second.order != o->first) {  // superseded position
      o = order_.erase(o);
      continue;
    }
    if (in_flight_.contains(o->second) || p->second.not_before > now) {
      ++o;
      continue;
    }
    batch.push_back(p->second.op);
    in_flight_.emplace(o->second, p->second.attempts);
    pending_.erase(p);
    o = order_.erase(o);
  }
  if (!batch.empty()) ++counters_.batches;
  return batch;
}

void FibQueue::done(std::span<const Operation> batch, std::span<const OperationResult> results, TimePoint now) {
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const auto& op = batch[i];
    const auto key = key_of(op);
    std::uint32_t attempts = 0;
    if (auto f = in_flight_.find(key); f != in_flight_.end()) {
      attempts = f->second;
      in_flight_.erase(f);
    }
    const OperationResult result = i < results.size() ? results[i] : OperationResult{EIO, "no result"};
    if (result.ok()) {
      ++counters_.applied;
      if (is_removal(op)) {
        installed_.erase(key);
      } else {
        installed_.insert_or_assign(key, op);
      }
      // Anything wanted meanwhile is still pending and goes next; if it now matches
      // what is installed, it costs nothing.
      if (auto p = pending_.find(key); p != pending_.end() && already_so(key, p->second.op)) {
        pending_.erase(p);
        ++counters_.unchanged;
      }
      continue;
    }
    ++counters_.failed;
    failures_.push_back({op, result, attempts + 1});
    if (failures_.size() > kFailuresKept) failures_.pop_front();
    if (pending_.contains(key)) continue;  // superseded while in flight: the newer one goes
    if (gone_.contains(key.vni)) continue;  // the entry went with its device
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
  std::erase_if(installed_, [&](const auto& kv) { return kv.first.vni == vni; });
  std::erase_if(unconfirmed_, [&](const EntryKey& k) { return k.vni == vni; });
  std::erase_if(pending_, [&](const auto& kv) { return kv.first.vni == vni; });
}

std::optional<TimePoint> FibQueue::next_retry() const {
  std::optional<TimePoint> t;
  for (const auto& [key, p] : pending_)
    if (p.attempts > 0 && !in_flight_.contains(key) && (!t || p.not_before < *t)) t = p.not_before;
  return t;
}

}  // namespace evpnd::fib
