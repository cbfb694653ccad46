#include "sys/shared_gate.h"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <climits>

namespace kouti {
namespace {

uint32_t* word(std::atomic<uint32_t>& a) { return reinterpret_cast<uint32_t*>(&a); }

} // namespace

void SharedGate::open(bool succeeded) {
    m_state.store(succeeded ? 1 : 2, std::memory_order_release);
    ::syscall(SYS_futex, word(m_state), FUTEX_WAKE_PRIVATE, INT_MAX, nullptr, nullptr, 0);
}

bool SharedGate::wait() {
    uint32_t s;
    while ((s = m_state.load(std::memory_order_acquire)) == 0)
        ::syscall(SYS_futex, word(m_state), FUTEX_WAIT_PRIVATE, 0, nullptr, nullptr, 0);
    return s == 1;
}

} // namespace kouti
