#include "runtime/netns_ahead.h"

#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <cstring>

namespace kouti {

Status loopback_up() {
    UniqueFd sock(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (!sock.valid()) return Error::from_syscall("socket");
    ifreq ifr{};
    std::strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
    if (::ioctl(sock.get(), SIOCGIFFLAGS, &ifr) != 0) return Error::from_syscall("get flags of lo");
    ifr.ifr_flags = static_cast<short>(ifr.ifr_flags | IFF_UP);
    if (::ioctl(sock.get(), SIOCSIFFLAGS, &ifr) != 0) return Error::from_syscall("bring lo up");
    return ok();
}

// Moves the calling thread off `busy_cpu` when another CPU is allowed. The scheduler often
// places a new thread on its creator's CPU even while another one idles (it judges by recent
// load): the thread then takes turns with the creator instead of running beside it.
static void leave_cpu(int busy_cpu) {
    cpu_set_t allowed;
    if (busy_cpu < 0 || busy_cpu >= CPU_SETSIZE || ::sched_getaffinity(0, sizeof allowed, &allowed) != 0) return;
    if (!CPU_ISSET(busy_cpu, &allowed) || CPU_COUNT(&allowed) < 2) return;
    CPU_CLR(busy_cpu, &allowed);
    (void)::sched_setaffinity(0, sizeof allowed, &allowed);
}

NetnsAhead::NetnsAhead() {
    int creator_cpu = ::sched_getcpu();
    m_thread = std::thread([this, creator_cpu] {
        // Signals stay with the main thread (its signalfd waits for SIGCHLD).
        sigset_t all;
        ::sigfillset(&all);
        ::pthread_sigmask(SIG_BLOCK, &all, nullptr);
        // Short-lived: it keeps this placement until it ends.
        leave_cpu(creator_cpu);
        // unshare in a thread changes that thread's namespace only.
        if (::unshare(CLONE_NEWNET) != 0) {
            m_status = Error::from_syscall("create network namespace");
            return;
        }
        if (auto st = loopback_up(); !st.ok()) {
            m_status = std::move(st).error();
            return;
        }
        m_fd.reset(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC));
        if (!m_fd.valid()) m_status = Error::from_syscall("open the new network namespace");
    });
}

NetnsAhead::~NetnsAhead() {
    if (m_thread.joinable()) m_thread.join();
}

Result<UniqueFd> NetnsAhead::take() {
    if (m_thread.joinable()) m_thread.join();
    TRY(m_status);
    return std::move(m_fd);
}

} // namespace kouti
