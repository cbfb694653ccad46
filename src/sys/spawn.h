#pragma once
// Starting a program in new namespaces the way posix_spawn starts one: the child borrows our
// memory (CLONE_VM | CLONE_VFORK) until its execve, and we go on once it has exec'd.
//
// A fork of a large process write-protects all of its memory: every page either side writes
// afterwards takes a copy-on-write fault, each with a TLB flush, and the child's exec tears the
// copied page tables down again. In this VM (shadow paging) that was 3-5 ms of a `run --rm`
// in its slow minutes (perf: do_wp_page -> ptep_clear_flush in the parent). A child that shares
// our memory copies nothing and makes nothing copy-on-write; it runs only async-signal-safe
// system calls on its own stack before the exec.
#include <sys/types.h>

#include <vector>

#include "util/result.h"

namespace kouti {

struct SpawnRequest {
    unsigned long namespaces = 0; // CLONE_NEW* flags
    int cgroup_dir_fd = -1;       // >= 0: start in this cgroup v2 directory (CLONE_INTO_CGROUP)
    int executable_fd = -1;       // opened O_PATH: exec'd with execveat(AT_EMPTY_PATH)
    char* const* argv = nullptr;
    char* const* envp = nullptr;
    std::vector<int> inherited_fds; // lose FD_CLOEXEC in the child only
    // Instead of an exec: the child calls run(run_arg, in_cgroup) on a stack of its own, still
    // sharing our memory while our thread waits, and run must end in an exec or _exit. It runs
    // with the caller's signal mask. `in_cgroup`: whether CLONE_INTO_CGROUP placed it.
    // Only for code that allocates little and never touches another thread's state: glibc's
    // setuid family, for one, would signal our threads (use the raw system calls).
    void (*run)(void* run_arg, bool in_cgroup) = nullptr;
    void* run_arg = nullptr;
};

struct Spawned {
    pid_t pid = -1;
    bool in_cgroup = false; // false: CLONE_INTO_CGROUP is unavailable, the caller moves it
};

// Signals are blocked in the child until its exec (a handler of ours must not run on our memory
// from there); the program starts with every signal blocked and restores the mask it is given.
// With `run`, the child restores our mask itself: kouti sets no signal handler before it starts
// a container.
Result<Spawned> spawn_in_namespaces(const SpawnRequest& req);

} // namespace kouti
