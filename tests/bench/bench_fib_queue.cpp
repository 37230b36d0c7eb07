// The FIB programmer's bookkeeping (fib::FibQueue) on W2's shape: 1,000,000 remote MACs
// over 100 VNIs and 10 VTEPs wanted, taken in batches of 16,384 (the programmer's batch)
// and acknowledged, so every entry goes want -> pending -> in flight -> installed. No
// kernel: what this measures is the queue's own cost per operation on the BGP thread.
//
//   BM_FibQueue_Install   an empty queue installs the 1,000,000 MACs, in MAC order
//   BM_FibQueue_InstallShuffled  the same in a random order (a fabric's MACs are not
//                         learned in order; an ordered tree is at its best on the above)
//   BM_FibQueue_Move      the same MACs to another VTEP (every entry replaced)
//   BM_FibQueue_Unchanged the MACs wanted again as installed: each dropped at want()
//
// items_per_second is operations per second; "allocs_per_op" counts global operator new
// calls in the timed part divided by the operations.
#include <benchmark/benchmark.h>

#include "alloc_counter.hpp"

#include <chrono>
#include <cstdlib>
#include <algorithm>
#include <memory>
#include <random>
#include <vector>

#include "fib/fib_queue.hpp"

using evpnd::bench::g_allocs;

namespace {

using namespace evpnd;
using fib::Operation;

constexpr std::size_t kMacs = 1'000'000;
constexpr std::size_t kBatch = 16'384;

std::vector<Operation> macs(std::uint32_t vtep_base) {
  std::vector<Operation> out;
  out.reserve(kMacs);
  for (std::uint32_t i = 0; i < kMacs; ++i) {
    fib::RemoteMac m{*evpn::Vni::make(100 + i % 100), {}, bgp::wire::IpAddress::v4(vtep_base + i % 10), false};
    m.mac.bytes = {0x02, 0x00, static_cast<std::uint8_t>(i >> 24), static_cast<std::uint8_t>(i >> 16),
                   static_cast<std::uint8_t>(i >> 8), static_cast<std::uint8_t>(i)};
    out.emplace_back(m);
  }
  return out;
}

// Wants every op, then drains the queue in batches, every result a success.
void run(fib::FibQueue& q, const std::vector<Operation>& ops) {
  for (const auto& op : ops) q.want(op);
  const auto now = std::chrono::steady_clock::now();
  std::vector<fib::OperationResult> ok(kBatch);
  for (;;) {
    auto batch = q.next_batch(now, kBatch);
    if (batch.empty()) break;
    q.done(batch, std::span(ok.data(), batch.size()), now);
  }
}

void report(benchmark::State& state, std::uint64_t allocs) {
  const auto ops = static_cast<double>(state.iterations()) * kMacs;
  state.SetItemsProcessed(static_cast<std::int64_t>(ops));
  state.counters["allocs_per_op"] = static_cast<double>(allocs) / ops;
}

void install(benchmark::State& state, const std::vector<Operation>& ops) {
  std::uint64_t allocs = 0;
  for (auto _ : state) {
    fib::FibQueue q;
    const auto before = g_allocs.load();
    run(q, ops);
    allocs += g_allocs.load() - before;
    if (q.installed_count() != kMacs) std::abort();
    state.PauseTiming();
    { fib::FibQueue gone = std::move(q); }  // its teardown is not the workload
    state.ResumeTiming();
  }
  report(state, allocs);
}

void BM_FibQueue_Install(benchmark::State& state) { install(state, macs(0x0a000100)); }

void BM_FibQueue_InstallShuffled(benchmark::State& state) {
  auto ops = macs(0x0a000100);
  std::shuffle(ops.begin(), ops.end(), std::mt19937(7));
  install(state, ops);
}

void BM_FibQueue_Move(benchmark::State& state) {
  const auto first = macs(0x0a000100);
  const auto moved = macs(0x0a000200);
  std::uint64_t allocs = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto q = std::make_unique<fib::FibQueue>();
    run(*q, first);
    state.ResumeTiming();
    const auto before = g_allocs.load();
    run(*q, moved);
    allocs += g_allocs.load() - before;
    if (q->installed_count() != kMacs || q->counters().applied != 2 * kMacs) std::abort();
    state.PauseTiming();
    q.reset();
    state.ResumeTiming();
  }
  report(state, allocs);
}

void BM_FibQueue_Unchanged(benchmark::State& state) {
  const auto ops = macs(0x0a000100);
  fib::FibQueue q;
  run(q, ops);
  std::uint64_t allocs = 0;
  for (auto _ : state) {
    const auto before = g_allocs.load();
    run(q, ops);
    allocs += g_allocs.load() - before;
  }
  if (q.counters().unchanged < kMacs) std::abort();
  report(state, allocs);
}

BENCHMARK(BM_FibQueue_Install)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_FibQueue_InstallShuffled)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_FibQueue_Move)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_FibQueue_Unchanged)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
