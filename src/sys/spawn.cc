#include "sys/spawn.h"

#include <fcntl.h>
#include <linux/sched.h> // clone_args, CLONE_INTO_CGROUP
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <optional>

namespace kouti {
namespace {

struct ChildArgs {
    const SpawnRequest* req;
    int error;             // the child's errno when it could not exec: it writes our memory
    bool into_cgroup;      // this clone asks for CLONE_INTO_CGROUP
    const sigset_t* mask;  // the caller's
};

// In the child, on its own stack, sharing our memory with our thread stopped: system calls only
// (or the request's `run`).
int spawn_child(void* p) {
    auto* a = static_cast<ChildArgs*>(p);
    if (a->req->run) {
        ::pthread_sigmask(SIG_SETMASK, a->mask, nullptr);
        a->req->run(a->req->run_arg, a->into_cgroup);
        ::_exit(127); // run ends in an exec or _exit
    }
    for (int fd : a->req->inherited_fds)
        if (fd >= 0 && ::fcntl(fd, F_SETFD, 0) != 0) {
            a->error = errno;
            return 127;
        }
    ::syscall(SYS_execveat, a->req->executable_fd, "", a->req->argv, a->req->envp, AT_EMPTY_PATH);
    a->error = errno;
    return 127;
}

#if defined(__x86_64__)
// clone3 with a new stack, on which the child calls fn(arg) and exits with its result: glibc
// exports no clone3, and only clone3 takes CLONE_INTO_CGROUP. The child returns to no C++ frame.
long clone3_calling(clone_args* args, int (*fn)(void*), void* arg) {
    long ret;
    register long fn_reg __asm__("r12") = reinterpret_cast<long>(fn);
    register long arg_reg __asm__("r13") = reinterpret_cast<long>(arg);
    __asm__ volatile("syscall\n\t"
                     "testq %%rax, %%rax\n\t"
                     "jnz 1f\n\t"
                     "xorl %%ebp, %%ebp\n\t" // the child's outermost frame
                     "movq %%r13, %%rdi\n\t"
                     "callq *%%r12\n\t"
                     "movl %%eax, %%edi\n\t"
                     "movl %[sys_exit], %%eax\n\t"
                     "syscall\n\t"
                     "ud2\n"
                     "1:\n\t"
                     : "=a"(ret)
                     : "0"(static_cast<long>(SYS_clone3)), "D"(args), "S"(sizeof *args), "r"(fn_reg), "r"(arg_reg),
                       [sys_exit] "i"(SYS_exit)
                     : "rcx", "r11", "memory", "cc");
    return ret;
}
#endif

// A stack for a `run` child: mapped, so that only the pages it touches cost anything.
class ChildStack {
public:
    static constexpr size_t kSize = 1 << 20;
    ChildStack() {
        void* p = ::mmap(nullptr, kSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK | MAP_NORESERVE, -1, 0);
        m_base = p == MAP_FAILED ? nullptr : static_cast<char*>(p);
    }
    ~ChildStack() {
        if (m_base) ::munmap(m_base, kSize);
    }
    ChildStack(const ChildStack&) = delete;
    ChildStack& operator=(const ChildStack&) = delete;
    char* base() const { return m_base; }

private:
    char* m_base = nullptr;
};

} // namespace

Result<Spawned> spawn_in_namespaces(const SpawnRequest& req) {
    // The child needs little stack before its exec; ours is idle meanwhile, so it can hold it.
    // A child that runs code of ours first gets a larger one.
    alignas(16) char small_stack[32 * 1024];
    std::optional<ChildStack> large;
    char* stack = small_stack;
    size_t stack_size = sizeof small_stack;
    if (req.run) {
        large.emplace();
        if (!large->base()) return Error::from_syscall("map a stack for the container's init");
        stack = large->base();
        stack_size = ChildStack::kSize;
    }
    sigset_t all, old;
    ChildArgs child{&req, 0, false, &old};
    unsigned long flags = req.namespaces | CLONE_VM | CLONE_VFORK;
    ::sigfillset(&all);
    ::pthread_sigmask(SIG_SETMASK, &all, &old);
    Spawned out;
    long pid = -1;
    int err = 0;
#if defined(__x86_64__)
    clone_args args{};
    args.flags = flags;
    args.exit_signal = SIGCHLD;
    args.stack = reinterpret_cast<uint64_t>(stack);
    args.stack_size = stack_size;
    if (req.cgroup_dir_fd >= 0) {
        args.flags |= CLONE_INTO_CGROUP;
        args.cgroup = static_cast<uint64_t>(req.cgroup_dir_fd);
        child.into_cgroup = true;
        pid = clone3_calling(&args, spawn_child, &child);
        out.in_cgroup = pid >= 0;
        args.flags &= ~static_cast<uint64_t>(CLONE_INTO_CGROUP);
        args.cgroup = 0;
        child.into_cgroup = false;
    }
    if (pid < 0) pid = clone3_calling(&args, spawn_child, &child);
    if (pid < 0) err = static_cast<int>(-pid);
#else
    pid = ::clone(spawn_child, stack + stack_size, static_cast<int>(flags | SIGCHLD), &child);
    if (pid < 0) err = errno;
#endif
    ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
    if (pid < 0) return Error::from_syscall("clone", err);
    out.pid = static_cast<pid_t>(pid);
    if (child.error != 0) {
        // It has exited (CLONE_VFORK resumed us at its exit, not at an exec): reap it.
        int status;
        while (::waitpid(out.pid, &status, 0) < 0 && errno == EINTR) {
        }
        return Error::from_syscall("exec the container's setup", child.error);
    }
    return out;
}

} // namespace kouti
