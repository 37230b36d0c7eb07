#include "alloc_counter.hpp"

#include <cstdlib>
#include <new>

namespace evpnd::bench {
std::atomic<std::uint64_t> g_allocs{0};
}  // namespace evpnd::bench

// GCC 12 flags free() on memory from operator new once both are inlined into a caller;
// here they are a matched pair.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void* operator new(std::size_t n) {
  evpnd::bench::g_allocs.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
#pragma GCC diagnostic pop
