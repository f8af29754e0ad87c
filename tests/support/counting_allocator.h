// Replaces the global operator new/delete of a test binary with ones that count every
// allocation, so that a test can show a hot path allocates nothing once warmed up.
// Include from exactly one source file of a test binary; read allocation_count().
#pragma once

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <new>

namespace slowscope::testing {
inline std::atomic<uint64_t> g_allocation_count{0};
inline uint64_t allocation_count() {
  return g_allocation_count.load(std::memory_order_relaxed);
}
}  // namespace slowscope::testing

// The replacement pairs malloc with free; gcc cannot see that once gtest's inlined
// `new TestClass` meets this delete, and warns.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void* operator new(std::size_t n) {
  slowscope::testing::g_allocation_count.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}
#pragma GCC diagnostic pop
