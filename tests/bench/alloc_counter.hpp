#pragma once
// A global operator new that counts calls, for the benchmarks' allocations-per-item
// figures. alloc_counter.cpp replaces operator new/delete in every benchmark binary.
#include <atomic>
#include <cstdint>

namespace evpnd::bench {
extern std::atomic<std::uint64_t> g_allocs;
}  // namespace evpnd::bench
