#pragma once
// cgroups v1, v2 and the hybrid layout (v1 controllers plus a cgroup2 mount, as on this
// machine). A controller that is not mounted is skipped unless the spec asks for a limit on it.
#include <sys/types.h>

#include <atomic>
#include <map>
#include <string>
#include <vector>

#include "runtime/spec.h"
#include "sys/fd.h"
#include "util/result.h"

namespace kouti {

struct CgroupLayout {
    std::map<std::string, std::string> v1; // controller -> its hierarchy's mount point
    std::string unified;                    // cgroup2 mount point, "" when none
    bool pure_v2() const { return v1.empty() && !unified.empty(); }
    int version() const { return pure_v2() ? 2 : 1; }
};

CgroupLayout detect_cgroups();
// Parses /proc/self/mountinfo text (unit-tested with captured layouts).
CgroupLayout parse_cgroup_mounts(const std::string& mountinfo);
// /proc/<pid>/cgroup text as each controller's path ("" for the cgroup2 one): "/" in a cgroup
// namespace of its own, the whole path in the host's.
std::map<std::string, std::string> parse_proc_cgroup(const std::string& text);

// A value written to a cgroup file: the plan of applying a spec's resources, testable as data.
struct CgroupWrite {
    std::string controller; // "memory", ... or "" for the v2 directory
    std::string file, value;
    // Written instead when `file` does not exist: v1's blkio.weight is CFQ's, gone from kernels
    // since 5.0; BFQ has blkio.bfq.weight (runc and crun fall back the same way).
    std::string fallback = {};
};
Result<std::vector<CgroupWrite>> plan_cgroup_writes(const Resources& r, int version);
// v1 keeps memory.memsw.limit_in_bytes >= memory.limit_in_bytes at every write: the swap
// limit goes first when it is above the current memory limit (or unlimited), as runc orders it.
void order_memory_writes(std::vector<CgroupWrite>& writes, int64_t current_limit);

// Whether containers can be given CPU real-time time: v1's cpu controller with the kernel's
// RT_GROUP_SCHED (cgroup v2 has no such budget).
bool cpu_realtime_supported();

// "/kouti/ID" for an empty path; "slice:prefix:name" (systemd style) becomes a path too.
std::string cgroup_path_for(const std::string& spec_path, const std::string& id);

class Cgroup {
public:
    Cgroup() = default;
    Cgroup(CgroupLayout layout, std::string path) : m_layout(std::move(layout)), m_path(std::move(path)) {}

    // Makes the directories (parents too) and applies the limits; remove() undoes it.
    Status create(const Resources& r);
    Status add_process(pid_t pid);
    Status add_process_unified(pid_t pid); // the cgroup2 directory only
    // Moving a process in through cgroup.procs takes the kernel's global threadgroup lock, which
    // waits for an RCU grace period (0.2-15 ms here). A container's init avoids it: it is cloned
    // straight into the v2 directory (CLONE_INTO_CGROUP, with the fd this makes before the rest),
    // and moves itself, still single-threaded, into each v1 hierarchy by writing "0" to `tasks`,
    // which skips that lock.
    Result<UniqueFd> create_unified_dir();
    Status enter_v1_self() const;
    // The calling process into the unified directory, when a clone could not place it there.
    Status enter_unified_self() const;
    Status freeze(bool frozen);
    bool frozen() const;
    std::vector<pid_t> processes() const;
    Status kill_all(int sig);
    // Kills what is left, then removes the directories. With `claims` only those it hands out:
    // an index shared by threads that remove the same cgroup side by side, each taking the next
    // directory (a v1 host has nine, ~60 us each).
    Status remove(std::atomic<size_t>* claims = nullptr);
    bool oom_killed() const;
    const std::string& path() const { return m_path; }
    std::vector<std::string> directories() const;

private:
    std::string dir_for(const std::string& controller) const;
    CgroupLayout m_layout;
    std::string m_path;
};

} // namespace kouti
