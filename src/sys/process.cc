#include "sys/process.h"

#include <linux/sched.h> // clone_args, CLONE_INTO_CGROUP
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "sys/fs.h"

namespace kouti {

Result<pid_t> clone_process(unsigned long flags) {
    long pid = ::syscall(SYS_clone, flags | SIGCHLD, nullptr, nullptr, nullptr, nullptr);
    if (pid < 0) return Error::from_syscall("clone");
    return static_cast<pid_t>(pid);
}

Result<pid_t> clone_process_into_cgroup(unsigned long flags, int cgroup_dir_fd) {
    clone_args args{};
    args.flags = flags | CLONE_INTO_CGROUP;
    args.exit_signal = SIGCHLD;
    args.cgroup = static_cast<uint64_t>(cgroup_dir_fd);
    long pid = ::syscall(SYS_clone3, &args, sizeof args);
    if (pid < 0) return Error::from_syscall("clone3 into cgroup");
    return static_cast<pid_t>(pid);
}

Status Channel::send(const std::string& msg, int pass_fd) const {
    iovec iov{const_cast<char*>(msg.data()), msg.size()};
    msghdr mh{};
    mh.msg_iov = &iov;
    mh.msg_iovlen = 1;
    char ctrl[CMSG_SPACE(sizeof(int))] = {};
    if (pass_fd >= 0) {
        mh.msg_control = ctrl;
        mh.msg_controllen = sizeof ctrl;
        cmsghdr* c = CMSG_FIRSTHDR(&mh);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        std::memcpy(CMSG_DATA(c), &pass_fd, sizeof(int));
    }
    while (::sendmsg(fd.get(), &mh, MSG_NOSIGNAL) < 0) {
        if (errno == EINTR) continue;
        return Error::from_syscall("send");
    }
    return ok();
}

Result<std::string> Channel::receive(int* fd_out) const {
    char buf[8192]; // messages are short; a big stack array would be probed page by page
    iovec iov{buf, sizeof buf};
    msghdr mh{};
    mh.msg_iov = &iov;
    mh.msg_iovlen = 1;
    char ctrl[CMSG_SPACE(sizeof(int))] = {};
    mh.msg_control = ctrl;
    mh.msg_controllen = sizeof ctrl;
    ssize_t n;
    while ((n = ::recvmsg(fd.get(), &mh, MSG_CMSG_CLOEXEC)) < 0) {
        if (errno == EINTR) continue;
        return Error::from_syscall("receive");
    }
    for (cmsghdr* c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS && fd_out) std::memcpy(fd_out, CMSG_DATA(c), sizeof(int));
    return std::string(buf, static_cast<size_t>(n));
}

Result<std::pair<Channel, Channel>> channel_pair() {
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) return Error::from_syscall("socketpair");
    return std::make_pair(Channel{UniqueFd(sv[0])}, Channel{UniqueFd(sv[1])});
}

Result<int> wait_exit(pid_t pid) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno == EINTR) continue;
        return Error::from_syscall("wait");
    }
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return 1;
}

uint64_t process_start_time(pid_t pid) {
    auto stat = read_file("/proc/" + std::to_string(pid) + "/stat");
    if (!stat.ok()) return 0;
    auto close = stat->rfind(')');
    if (close == std::string::npos) return 0;
    // Fields after the command: state is field 3; start time is field 22.
    size_t pos = close + 2;
    for (int field = 3; field < 22; ++field) {
        pos = stat->find(' ', pos);
        if (pos == std::string::npos) return 0;
        ++pos;
    }
    return std::strtoull(stat->c_str() + pos, nullptr, 10);
}

bool process_alive(pid_t pid, uint64_t start_time) {
    if (pid <= 0) return false;
    uint64_t now = process_start_time(pid);
    if (now == 0 || (start_time != 0 && now != start_time)) return false;
    // A zombie has exited: it only waits to be reaped.
    auto stat = read_file("/proc/" + std::to_string(pid) + "/stat");
    if (!stat.ok()) return false;
    auto close = stat->rfind(')');
    return close != std::string::npos && close + 2 < stat->size() && (*stat)[close + 2] != 'Z' && (*stat)[close + 2] != 'X';
}

UniqueFd open_pidfd(pid_t pid, uint64_t start_time) {
    if (pid <= 0) return UniqueFd();
    UniqueFd fd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
    // Checked after opening: a pidfd refers to the process it was opened for, whatever comes later.
    if (fd.valid() && start_time != 0 && process_start_time(pid) != start_time) return UniqueFd();
    return fd;
}

Status spawn_detached(const std::string& path, const std::vector<std::string>& argv, int pass_fd) {
    std::vector<const char*> args;
    for (const auto& a : argv) args.push_back(a.c_str());
    args.push_back(nullptr);
    pid_t mid = ::fork();
    if (mid < 0) return Error::from_syscall("fork");
    if (mid == 0) {
        ::setsid();
        pid_t detached = ::fork();
        if (detached != 0) ::_exit(detached < 0 ? 1 : 0);
        int null = ::open("/dev/null", O_RDWR);
        for (int i = 0; i < 3; ++i) ::dup2(null, i);
        if (pass_fd >= 0) ::dup2(pass_fd, 3); // dup2 clears close-on-exec
        close_fds_from(pass_fd >= 0 ? 4 : 3);
        ::execv(path.c_str(), const_cast<char* const*>(args.data()));
        ::_exit(127);
    }
    int status = 0;
    ::waitpid(mid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return Error::internal("could not start " + path);
    return ok();
}

void close_fds_from(int first, const std::vector<int>& keep) {
    std::vector<int> k = keep;
    std::sort(k.begin(), k.end());
    int from = first;
    for (int fd : k) {
        if (fd < from) continue;
        if (fd > from) ::syscall(SYS_close_range, from, fd - 1, 0);
        from = fd + 1;
    }
    ::syscall(SYS_close_range, from, ~0U, 0);
}

} // namespace kouti
