#pragma once
// An OCI container's life: create, start, state, kill, pause/resume, exec, delete. State lives
// under the runtime root (runc's --root) in <root>/<id>/: state.json and, until started,
// exec.fifo.
#include <sys/types.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "runtime/spec.h"
#include "sys/process.h"
#include "util/json.h"
#include "util/result.h"

namespace kouti {

class SpareDirs;

struct RuntimeOptions {
    std::string root = "/run/kouti/oci";
    bool systemd_cgroup = false;
    // kouti's engine writes specs without hooks: start and delete need not read the spec again
    // to look for poststart/poststop hooks.
    bool no_hooks = false;
    // Where the state directories may come from and go to (sys/spare_dirs.h): the engine's.
    SpareDirs* spare_dirs = nullptr;
};

struct CreateOptions {
    std::string id, bundle, pid_file, console_socket;
    bool no_pivot = false;
    int preserve_fds = 0;
    bool terminal_to_caller = false; // `run` in the foreground without a console socket
    int stdio[3] = {-1, -1, -1};     // the init's stdin/stdout/stderr; -1: inherit ours
    // Runs on a thread of its own as soon as the init is cloned (its namespaces exist), while
    // this one moves it into its cgroup and the init sets up its mounts; create waits for it and
    // fails with its error. kouti puts the container's network interfaces in place here.
    std::function<Status(pid_t)> after_clone;
    // Work on a network namespace the caller made ahead (netns_fd): with start_at_once on a
    // thread beside the init's start, which waits for it before its exec; otherwise as
    // after_clone. kouti puts the container's interfaces in place here.
    std::function<Status()> network_setup;
    // Runs on this thread right after the clone, before the init is told to enter its cgroups:
    // files the init will mount, written while it makes its first mounts (kouti's etc files).
    // With start_at_once, on a thread beside the init's start, which waits for it before its
    // first bind mount.
    std::function<Status()> before_init_mounts;
    // Runs on this thread once the init's cgroups are made, while the init builds its root file
    // system and this process would only wait: work the caller must finish before the container
    // starts (kouti writes the bundle's config.json for `exec` here). Create fails with its error.
    std::function<Status()> while_init_sets_up;
    // The bundle's config.json as the caller just wrote it: saves reading and parsing it again.
    const Json* config = nullptr;
    // Its text, as written: handed to the container's setup process without another dump.
    const std::string* config_text = nullptr;
    // The caller starts the container itself, with start_created and no hooks (`run`): no
    // exec.fifo; the init waits for "start" on its channel, and exits if the caller dies first.
    bool start_in_process = false;
    // With start_in_process: start it as soon as it is created. When nothing has to happen
    // between the clone and the exec (no hooks, no new user namespace, no joined pid namespace,
    // no oom_score_adj, no after_clone: network_setup serves), the init runs in this process's memory and execs the
    // container's process at once (sys/spawn.h), without kouti-setup's exec; the cgroups and
    // before_init_mounts are made beside it. start_created then has nothing to do.
    bool start_at_once = false;
    // Created.mount_namespace: the container's, sent by its init, to hold past its exit.
    bool hold_mount_namespace = false;
    // A network namespace made ahead (NetnsAhead) for a spec that asks for a new one: the init
    // joins it instead.
    int netns_fd = -1;
};

struct Created {
    pid_t pid = -1;
    uint64_t start_time = 0; // of the init, to tell it from a later process with its pid
    int pty_master = -1; // when terminal_to_caller
    std::shared_ptr<Channel> start_channel; // with start_in_process: where "start" goes
    bool started = false; // start_at_once did start it
    std::shared_ptr<UniqueFd> mount_namespace; // with hold_mount_namespace
};

struct ContainerState {
    std::string id, bundle, rootfs, created, cgroup_path, oci_version;
    pid_t pid = 0;
    uint64_t start_time = 0;
    Json annotations = Json::object();
    std::string status; // computed: created, running, paused, stopped
    Json to_json() const; // runc's `state` output
};

Result<Created> create_container(const RuntimeOptions& rt, const CreateOptions& opts);
Status start_container(const RuntimeOptions& rt, const std::string& id);
// `start` for the process that just created the container: its state need not be read back.
Status start_created(const RuntimeOptions& rt, const std::string& id, const Created& created);
Result<ContainerState> container_state(const RuntimeOptions& rt, const std::string& id);
Result<std::vector<ContainerState>> list_containers(const RuntimeOptions& rt);
Status kill_container(const RuntimeOptions& rt, const std::string& id, int sig, bool all);
Status delete_container(const RuntimeOptions& rt, const std::string& id, bool force);
// delete_container for a container whose init the caller created and has reaped: its state need
// not be read back, the caller knows its spec's cgroupsPath. With hooks, as delete_container.
// `cgroup_claims`: shared with remove_reaped_cgroup on another thread, which takes some of the
// cgroup's directories meanwhile (Cgroup::remove).
Status delete_reaped_container(const RuntimeOptions& rt, const std::string& id, const std::string& cgroups_path,
                               std::atomic<size_t>* cgroup_claims = nullptr);
Status remove_reaped_cgroup(const std::string& id, const std::string& cgroups_path, std::atomic<size_t>* cgroup_claims);
Status pause_container(const RuntimeOptions& rt, const std::string& id, bool pause);
// Whether the kernel's OOM killer killed a process of the container (memory cgroup counters).
bool container_oom_killed(const RuntimeOptions& rt, const std::string& id);
Result<std::vector<pid_t>> container_processes(const RuntimeOptions& rt, const std::string& id);

struct ExecOptions {
    Json process;          // an OCI "process" object (from --process or built from flags)
    std::string console_socket, pid_file;
    bool detach = false;
    // Detached with a terminal and no console socket (Docker's exec -d -t): a small process of
    // our own keeps the terminal open and reads it until the process is gone.
    bool drain_terminal = false;
    int preserve_fds = 0;
    pid_t* started = nullptr; // detached: receives the process's pid (our child: we are its subreaper)
    std::string detach_keys;  // with a terminal, in the foreground: typed, they leave the process running
};
// Runs a process in the container's namespaces and cgroup; returns its exit code (0 when detached).
Result<int> exec_in_container(const RuntimeOptions& rt, const std::string& id, const ExecOptions& opts);

// Waits for a child in the foreground: forwards signals to it and, when `master` is a pty, copies
// between it and our stdio (the host terminal in raw mode). Returns the exit code, or kDetached
// once `detach_keys` (bytes; empty: none) were typed, `master` then left open.
inline constexpr int kDetached = -1;
Result<int> wait_with_terminal(pid_t pid, int master, const std::string& detach_keys = "");

Result<int> parse_signal(const std::string& s); // "TERM", "SIGKILL", "9"
// Compiled seccomp programs, shared by every container of this runtime root.
std::string seccomp_cache_dir(const RuntimeOptions& rt);
bool valid_container_id(const std::string& id);

} // namespace kouti
