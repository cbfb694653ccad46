#include "sys/after_exit.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "sys/spare_dirs.h"

namespace kouti {

#if defined(__x86_64__)
namespace {

// A system call that leaves errno (the parent's, through the shared thread pointer) alone.
long raw_syscall(long number, long a = 0, long b = 0, long c = 0, long d = 0, long e = 0) {
    long ret;
    register long r10 asm("r10") = d;
    register long r8 asm("r8") = e;
    asm volatile("syscall" : "=a"(ret) : "a"(number), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8) : "rcx", "r11", "memory");
    return ret;
}

long raw_ptr(const void* p) { return reinterpret_cast<long>(p); }

struct Job {
    char area[PATH_MAX];
    char pool[PATH_MAX];
    char lock[PATH_MAX];
    int lock_fd;
    int release_fd;
    int parent_pidfd; // readable once the parent has exited; -1 without a descriptor to release
};

struct LinuxDirent64 {
    unsigned long long ino;
    long long off;
    unsigned short reclen;
    unsigned char type;
    char name[];
};

constexpr size_t kStackSize = 128 * 1024;
// Deeper trees are left to the next kouti command: the area's lock file stays, and its lock
// is free once this child exits, which is how a crashed process's area is recognised.
constexpr int kMaxDepth = 24;
constexpr int kPoolSlots = SpareDirs::kSlots;
constexpr int kPoolFileSlots = SpareDirs::kFileSlots;
static_assert(kPoolFileSlots <= 10, "file slots are named f0 .. f9");
constexpr long kIoprioWhoProcess = 1, kIoprioClassIdle = 3, kIoprioClassShift = 13; // linux/ioprio.h

bool is_dots(const char* n) { return n[0] == '.' && (n[1] == '\0' || (n[1] == '.' && n[2] == '\0')); }

// What SpareDirs::remove does, in system calls alone: a plain directory (root's, with some
// permission bits, stripped of extended attributes) goes to the pool, any other is removed.
struct Remover {
    long pool_fd;
    int next_slot = 0;

    __attribute__((no_sanitize("address", "undefined"))) bool strip_xattrs(long fd) {
        char names[1024] = {};
        long n = raw_syscall(SYS_flistxattr, fd, raw_ptr(names), sizeof names);
        if (n < 0) return false;
        for (long at = 0; at < n;) {
            if (raw_syscall(SYS_fremovexattr, fd, raw_ptr(names + at)) != 0) return false;
            while (at < n && names[at] != '\0') ++at;
            ++at;
        }
        return true;
    }

    // Removes the empty directory `name` in `parent`, whose descriptor is `fd`, or gives it to the pool.
    __attribute__((no_sanitize("address", "undefined"))) bool dispose(long parent, const char* name, long fd) {
        struct stat st {};
        bool plain = pool_fd >= 0 && raw_syscall(SYS_fstat, fd, raw_ptr(&st)) == 0 && S_ISDIR(st.st_mode) && st.st_uid == 0 &&
                     st.st_gid == 0 && (st.st_mode & 07777) != 0 && strip_xattrs(fd);
        for (; plain && next_slot < kPoolSlots; ++next_slot) {
            char slot[4] = {};
            if (next_slot >= 10) {
                slot[0] = static_cast<char>('0' + next_slot / 10);
                slot[1] = static_cast<char>('0' + next_slot % 10);
            } else {
                slot[0] = static_cast<char>('0' + next_slot);
            }
            long r = raw_syscall(SYS_renameat2, parent, raw_ptr(name), pool_fd, raw_ptr(slot), RENAME_NOREPLACE);
            if (r == 0) {
                ++next_slot;
                return true;
            }
            if (r != -EEXIST) break;
        }
        return raw_syscall(SYS_unlinkat, parent, raw_ptr(name), AT_REMOVEDIR) == 0;
    }

    // The area's lock file, empty and ours, goes to the pool's files (still locked: see
    // new_lock_file in store.cc), or is removed.
    __attribute__((no_sanitize("address", "undefined"))) void dispose_lock(const char* path) {
        for (int i = 0; pool_fd >= 0 && i < kPoolFileSlots; ++i) {
            char slot[3] = {'f', static_cast<char>('0' + i), '\0'};
            long r = raw_syscall(SYS_renameat2, AT_FDCWD, raw_ptr(path), pool_fd, raw_ptr(slot), RENAME_NOREPLACE);
            if (r == 0) return;
            if (r != -EEXIST) break;
        }
        raw_syscall(SYS_unlinkat, AT_FDCWD, raw_ptr(path), 0);
    }

    // Empties the directory open as `fd`: passes until one removes nothing, since entries
    // removed while listing may shift the rest. True when it is empty.
    __attribute__((no_sanitize("address", "undefined"))) bool empty(long fd, int depth) {
        alignas(8) char buf[2048];
        for (bool removed = true;;) {
            removed = false;
            bool left = false;
            raw_syscall(SYS_lseek, fd, 0, SEEK_SET);
            long n;
            while ((n = raw_syscall(SYS_getdents64, fd, raw_ptr(buf), sizeof buf)) > 0) {
                for (long at = 0; at < n;) {
                    auto* e = reinterpret_cast<LinuxDirent64*>(buf + at);
                    at += e->reclen;
                    if (is_dots(e->name)) continue;
                    left = true;
                    if (e->type != DT_DIR) {
                        long r = raw_syscall(SYS_unlinkat, fd, raw_ptr(e->name), 0);
                        if (r == 0) removed = true;
                        if (r != -EISDIR) continue;
                    }
                    if (depth >= kMaxDepth) continue;
                    long sub = raw_syscall(SYS_openat, fd, raw_ptr(e->name), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                    if (sub < 0) continue;
                    if (empty(sub, depth + 1) && dispose(fd, e->name, sub)) removed = true;
                    raw_syscall(SYS_close, sub);
                }
            }
            if (n < 0) return false;
            if (!removed) return !left;
        }
    }
};

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
    // Nothing waits for this work, while the next command, often started at once, does: the
    // child runs only on time and disk that nothing else wants.
    struct sched_param idle = {};
    raw_syscall(SYS_sched_setscheduler, 0, SCHED_IDLE, raw_ptr(&idle));
    raw_syscall(SYS_ioprio_set, kIoprioWhoProcess, 0, kIoprioClassIdle << kIoprioClassShift);
    if (job->release_fd >= 0) {
        // Our copy must be the last one: the parent closes its own as it exits, and a namespace
        // whose last descriptor the parent closed would be torn down (two RCU grace periods)
        // before the caller of kouti hears of its exit.
        if (job->parent_pidfd >= 0) {
            struct pollfd p = {job->parent_pidfd, POLLIN, 0};
            while (raw_syscall(SYS_poll, raw_ptr(&p), 1, -1) == -EINTR) {
            }
            raw_syscall(SYS_close, job->parent_pidfd);
        }
        raw_syscall(SYS_close, job->release_fd);
    }
    Remover r{raw_syscall(SYS_openat, AT_FDCWD, raw_ptr(job->pool), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)};
    long area = raw_syscall(SYS_openat, AT_FDCWD, raw_ptr(job->area), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (area >= 0) {
        // Only an area that is gone loses its lock file: what is left, the next command removes.
        if (r.empty(area, 0) && r.dispose(AT_FDCWD, job->area, area)) r.dispose_lock(job->lock);
        raw_syscall(SYS_close, area);
    }
    raw_syscall(SYS_exit, 0);
    return 0;
}

} // namespace

bool remove_after_exit(const std::string& area, const std::string& pool, const std::string& lock_path, int lock_fd, int release_fd) {
    if (lock_fd < 0 || area.size() >= PATH_MAX || pool.size() >= PATH_MAX || lock_path.size() >= PATH_MAX) return false;
    // The child's stack and its job, never unmapped: the child may outlive every other use.
    void* mem = ::mmap(nullptr, kStackSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (mem == MAP_FAILED) return false;
    auto* job = static_cast<Job*>(mem);
    std::memcpy(job->area, area.c_str(), area.size() + 1);
    std::memcpy(job->pool, pool.c_str(), pool.size() + 1);
    std::memcpy(job->lock, lock_path.c_str(), lock_path.size() + 1);
    job->lock_fd = lock_fd;
    job->release_fd = release_fd == lock_fd ? -1 : release_fd;
    job->parent_pidfd = job->release_fd >= 0 ? static_cast<int>(::syscall(SYS_pidfd_open, ::getpid(), 0)) : -1;
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
