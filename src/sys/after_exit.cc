#include "sys/after_exit.h"

#include <fcntl.h>
#include <linux/limits.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <poll.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace kouti {

#if defined(__x86_64__)
namespace {

// A system call that leaves errno (the parent's, through the shared thread pointer) alone.
long raw_syscall(long number, long a = 0, long b = 0, long c = 0, long d = 0) {
    long ret;
    register long r10 asm("r10") = d;
    asm volatile("syscall" : "=a"(ret) : "a"(number), "D"(a), "S"(b), "d"(c), "r"(r10) : "rcx", "r11", "memory");
    return ret;
}

struct Job {
    char dir[PATH_MAX];
    char area[PATH_MAX];
    char lock[PATH_MAX];
    int lock_fd;
    int release_fd;
    int parent_pidfd; // readable once the parent has exited; -1 without pidfd_open
};

struct LinuxDirent64 {
    unsigned long long ino;
    long long off;
    unsigned short reclen;
    unsigned char type;
    char name[];
};

constexpr size_t kStackSize = 64 * 1024;

__attribute__((no_sanitize("address", "undefined"))) int remover(void* arg) {
    const Job* job = static_cast<const Job*>(arg);
    // Keeps the lock, the descriptor to release and the parent's pidfd; closes the rest.
    int keep[3] = {job->lock_fd, job->release_fd, job->parent_pidfd};
    for (int i = 0; i < 3; ++i)
        for (int j = i + 1; j < 3; ++j)
            if (keep[j] < keep[i]) {
                int t = keep[i];
                keep[i] = keep[j];
                keep[j] = t;
            }
    long from = 0;
    for (int fd : keep) {
        if (fd < 0) continue;
        if (fd > from) raw_syscall(SYS_close_range, from, fd - 1, 0);
        from = fd + 1;
    }
    raw_syscall(SYS_close_range, from, ~0U, 0);
    if (job->release_fd >= 0) {
        // Our copy must be the last one: the parent closes its own as it exits, and a namespace
        // whose last descriptor the parent closed would be torn down (two RCU grace periods)
        // before the caller of kouti hears of its exit.
        if (job->parent_pidfd >= 0) {
            struct pollfd p = {job->parent_pidfd, POLLIN, 0};
            while (raw_syscall(SYS_poll, reinterpret_cast<long>(&p), 1, -1) == -EINTR) {
            }
        }
        raw_syscall(SYS_close, job->release_fd);
    }
    if (job->parent_pidfd >= 0) raw_syscall(SYS_close, job->parent_pidfd);
    long fd = raw_syscall(SYS_openat, AT_FDCWD, reinterpret_cast<long>(job->dir), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0) {
        alignas(8) char buf[4096];
        // Passes until one removes nothing: entries removed while listing may shift the rest.
        for (bool removed = true; removed;) {
            removed = false;
            raw_syscall(SYS_lseek, fd, 0, SEEK_SET);
            long n;
            while ((n = raw_syscall(SYS_getdents64, fd, reinterpret_cast<long>(buf), sizeof buf)) > 0) {
                for (long at = 0; at < n;) {
                    auto* e = reinterpret_cast<LinuxDirent64*>(buf + at);
                    at += e->reclen;
                    bool dots = e->name[0] == '.' && (e->name[1] == '\0' || (e->name[1] == '.' && e->name[2] == '\0'));
                    if (!dots && raw_syscall(SYS_unlinkat, fd, reinterpret_cast<long>(e->name), AT_REMOVEDIR) == 0) removed = true;
                }
            }
        }
        raw_syscall(SYS_close, fd);
    }
    raw_syscall(SYS_unlinkat, AT_FDCWD, reinterpret_cast<long>(job->dir), AT_REMOVEDIR);
    raw_syscall(SYS_unlinkat, AT_FDCWD, reinterpret_cast<long>(job->area), AT_REMOVEDIR);
    raw_syscall(SYS_unlinkat, AT_FDCWD, reinterpret_cast<long>(job->lock), 0);
    raw_syscall(SYS_exit, 0);
    return 0;
}

} // namespace

bool remove_after_exit(const std::string& dir, const std::string& area, const std::string& lock_path, int lock_fd, int release_fd) {
    if (lock_fd < 0 || dir.size() >= PATH_MAX || area.size() >= PATH_MAX || lock_path.size() >= PATH_MAX) return false;
    // The child's stack and its job, never unmapped: the child may outlive every other use.
    void* mem = ::mmap(nullptr, kStackSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (mem == MAP_FAILED) return false;
    auto* job = static_cast<Job*>(mem);
    std::memcpy(job->dir, dir.c_str(), dir.size() + 1);
    std::memcpy(job->area, area.c_str(), area.size() + 1);
    std::memcpy(job->lock, lock_path.c_str(), lock_path.size() + 1);
    job->lock_fd = lock_fd;
    job->release_fd = release_fd == lock_fd ? -1 : release_fd;
    job->parent_pidfd = release_fd >= 0 ? static_cast<int>(::syscall(SYS_pidfd_open, ::getpid(), 0)) : -1;
    char* stack_top = static_cast<char*>(mem) + kStackSize;
    // Born with every signal blocked: a handler of ours must never run on the child's stack.
    sigset_t all, previous;
    ::sigfillset(&all);
    ::pthread_sigmask(SIG_SETMASK, &all, &previous);
    // CLONE_VM: no copy of this process's page tables. Not CLONE_FILES: the child's own table
    // keeps the lock held after we close ours.
    int child = ::clone(remover, stack_top, CLONE_VM | SIGCHLD, job);
    ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    if (job->parent_pidfd >= 0) ::close(job->parent_pidfd); // the child has its own copy
    if (child > 0) return true;
    ::munmap(mem, kStackSize);
    return false;
}
#else
bool remove_after_exit(const std::string&, const std::string&, const std::string&, int, int) { return false; }
#endif

} // namespace kouti
