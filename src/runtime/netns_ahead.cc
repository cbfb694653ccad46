#include "runtime/netns_ahead.h"

#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <cstring>

#include "sys/thread_beside.h"

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

NetnsAhead::NetnsAhead() {
    m_thread = ThreadBeside([this] {
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

NetnsAhead::~NetnsAhead() { m_thread.join(); }

Result<UniqueFd> NetnsAhead::take() {
    m_thread.join();
    TRY(m_status);
    return std::move(m_fd);
}

} // namespace kouti
