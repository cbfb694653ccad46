#include "sys/thread_beside.h"

#include <sched.h>

namespace kouti {

void keep_off_current_cpu(pthread_t thread) {
    int busy_cpu = ::sched_getcpu();
    cpu_set_t allowed;
    if (busy_cpu < 0 || busy_cpu >= CPU_SETSIZE || ::sched_getaffinity(0, sizeof allowed, &allowed) != 0) return;
    if (!CPU_ISSET(busy_cpu, &allowed) || CPU_COUNT(&allowed) < 2) return;
    CPU_CLR(busy_cpu, &allowed);
    (void)::pthread_setaffinity_np(thread, sizeof allowed, &allowed);
}

} // namespace kouti
