#pragma once
// The container's first process, between clone() and execve(): it finishes its namespaces, builds
// its file system, waits for `start`, then becomes the spec's process.
#include <string>

#include "runtime/cgroups.h"
#include "runtime/spec.h"
#include "sys/process.h"
#include "sys/shared_gate.h"

namespace kouti {

struct InitContext {
    const Spec* spec = nullptr;
    Channel* channel = nullptr;    // to the parent: "go" in, "ready"/"error:..." out
    int fifo_fd = -1;              // O_PATH fd of exec.fifo: opening it for writing waits for start;
                                   // -1: "start" comes over the channel
    int console_fd = -1;           // connected --console-socket: the terminal's master goes there
    bool terminal_to_parent = false; // no console socket: the parent gets the master
    int preserve_fds = 0;
    int stdio[3] = {-1, -1, -1};
    bool no_pivot = false;
    bool joined_user_ns = false;
    CgroupLayout cgroups;
    std::string seccomp_program; // compiled before clone
    std::string executable;      // args[0] found on PATH while setting up (errors show before "ready")
    // The parent makes the v1 cgroups while the init sets up, then sends "cgroups"; the init
    // enters them (Cgroup::enter_v1_self) and answers "cgroups entered".
    const Cgroup* cgroup = nullptr;
    // Hooks or a new user namespace: wait for "go" (hooks run, id maps written) before any setup.
    // Otherwise the init sets up at once and needs only its cgroups, before mounting cgroupfs.
    bool wait_for_go = false;
    // The caller starts the container at once (`run`'s init, run in the caller's memory,
    // sys/spawn.h): the init enters its cgroups when cgroups_made opens, not on "cgroups", and
    // execs the process right after "ready", with no "start".
    bool start_at_once = false;
    bool enter_unified = false; // with start_at_once: the clone could not place it there
    SharedGate* cgroups_made = nullptr; // with start_at_once: opened once they are made
    SharedGate* network_ready = nullptr; // with start_at_once: waited for before "ready"
    // With start_at_once: opened once the files the caller writes for it (before_init_mounts)
    // are written; waited for before its first bind mount.
    SharedGate* mount_sources_ready = nullptr;
    // Sends "mntns" with its mount namespace first: the caller holds it past the exit, so that
    // the exit does not wait for its mounts' teardown.
    bool send_mount_namespace = false;
};

[[noreturn]] void run_init(InitContext& ctx);

// The process part shared with `exec`: fds, user, capabilities, cwd, no_new_privs, seccomp
// (the spec's profile compiled by the parent, see seccomp_program), execve. Returns only on failure.
// `found`: args[0] already looked up from the same working directory, or empty.
Error exec_process(const Spec& spec, int preserve_fds, const std::string& seccomp_program, const std::string& found = "");
// Finds args[0] like execvp does, with the PATH of `env`; empty when not found.
std::string find_executable(const std::string& name, const std::vector<std::string>& env);
// Why find_executable found nothing, in runc's words: a path to something that exists but cannot
// run is "permission denied" (126), anything else "executable file not found" (127).
Error executable_lookup_error(const std::string& name);
// Opens a pty whose slave becomes stdio and the controlling terminal; returns the master.
Result<int> setup_terminal(const Spec& spec, bool bind_dev_console);
// Connects to a --console-socket (before any namespace change: its path is a host path).
Result<UniqueFd> connect_console(const std::string& socket_path);
// Sends the pty master over it, as runc does.
Status send_console(int console_fd, int master);

} // namespace kouti
