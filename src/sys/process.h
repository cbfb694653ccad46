#pragma once
// Processes: fork-like clone into new namespaces, a framed message channel between parent and
// child, passing fds, and waiting.
#include <sys/types.h>

#include <string>
#include <vector>

#include "sys/fd.h"
#include "util/result.h"

namespace kouti {

// clone(flags | SIGCHLD) without a new stack: returns 0 in the child, like fork().
Result<pid_t> clone_process(unsigned long flags);
// The same through clone3 with CLONE_INTO_CGROUP: the child starts in the cgroup v2 directory
// `cgroup_dir_fd`, with no migration (which costs an RCU grace period). Fails with the errno of
// clone3 (ENOSYS on kernels before 5.7) so that the caller can fall back to clone_process.
Result<pid_t> clone_process_into_cgroup(unsigned long flags, int cgroup_dir_fd);

// A SOCK_SEQPACKET pair: each send is one message.
struct Channel {
    UniqueFd fd;
    Status send(const std::string& msg, int pass_fd = -1) const;
    // Receives one message (empty on EOF); a passed fd lands in *fd_out.
    Result<std::string> receive(int* fd_out = nullptr) const;
};
Result<std::pair<Channel, Channel>> channel_pair();

// Waits for a child; returns its exit code, or 128 + signal as shells report it.
Result<int> wait_exit(pid_t pid);
// The process start time (field 22 of /proc/PID/stat), to tell a PID from a reused one; 0 if gone.
uint64_t process_start_time(pid_t pid);
bool process_alive(pid_t pid, uint64_t start_time);

// A descriptor that polls readable once `pid` has exited; invalid when `pid` is gone already or
// is now another process than the one that started at `start_time` (0: any).
UniqueFd open_pidfd(pid_t pid, uint64_t start_time);

// Runs `path` with `argv` detached from us (its own session, reparented away from us), stdio on
// /dev/null and `pass_fd` (when >= 0) as its fd 3: killing the caller never kills it.
Status spawn_detached(const std::string& path, const std::vector<std::string>& argv, int pass_fd = -1);

// Closes every fd from `first` on, except those in `keep`.
void close_fds_from(int first, const std::vector<int>& keep = {});

} // namespace kouti
