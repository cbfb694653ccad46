#pragma once
// Faulting in the heap a short-lived process is about to use, in one system call.
//
// A `run --rm` wrote to ~65 fresh heap pages in the kouti process, one page fault each; in this
// VM a fault costs 5-20 us (shadow paging: every fault exits to the hypervisor). One
// madvise(MADV_POPULATE_WRITE) maps them all at once: 225 -> 160 faults per `run --rm`,
// bench/ab.py -0.4/-0.8 ms in both orders (slow phase).
#include <cstddef>

namespace kouti {

// Grows the heap by `bytes` now and populates that much of it; malloc keeps it (no trimming
// below 8 MiB, no mmap below 1 MiB), so the command's allocations land there. Best effort: on a
// kernel without MADV_POPULATE_WRITE (before 5.14) pages fault in as before.
void prefault_heap(size_t bytes);

} // namespace kouti
