#include "sys/prefault.h"

#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

namespace kouti {

void prefault_heap(size_t bytes) {
    ::mallopt(M_MMAP_THRESHOLD, 1 << 20);
    ::mallopt(M_TRIM_THRESHOLD, 8 << 20);
    auto start = reinterpret_cast<uintptr_t>(::sbrk(0));
    // volatile: the compiler may otherwise drop a malloc whose block is only freed.
    void* volatile block = std::malloc(bytes);
    std::free(block);
    uintptr_t page = static_cast<uintptr_t>(::sysconf(_SC_PAGESIZE));
    uintptr_t first = (start + page - 1) & ~(page - 1);
    if (reinterpret_cast<uintptr_t>(::sbrk(0)) < first + bytes) return; // the heap did not grow there
    (void)::madvise(reinterpret_cast<void*>(first), bytes, MADV_POPULATE_WRITE);
}

} // namespace kouti
