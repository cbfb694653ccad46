#pragma once
// The per-container monitor of a detached container (podman's conmon, in a few hundred lines).
// One process, three programs in turn, so that what stays resident while the container runs is
// small:
//  1. the kouti executable as `kouti-monitor-start`, detached from the caller (setsid, double
//     fork) and a child subreaper, creates and starts the OCI container and reports on a pipe;
//  2. it execs the static `kouti-monitor` (src/monitor), which only keeps the json-file log and
//     waits for the init (exec keeps its children and the subreaper flag);
//  3. that execs the kouti executable as `kouti-monitor-exit`, which records the exit in
//     <run_dir>/exit.json, removes the runtime state and cgroup, then execs the exit command
//     (`kouti container cleanup`, which applies --rm and restart policies).
// None of them opens the store: the next kouti command folds exit.json in.
#include <string>
#include <vector>

#include "runtime/json_log.h"
#include "util/json.h"

namespace kouti {

struct MonitorOptions {
    std::string runtime_root, id, bundle, run_dir;
    std::string log_path; // empty: --log-driver none
    LogSettings log_settings;
    bool tty = false;
    bool stdin_open = false;  // -i: the container's stdin is a pipe fed by attached clients
    bool wait_attach = false; // start only once a client is connected (run -it, start -ai)
    std::vector<std::string> exit_command;
    Json interfaces = Json::array(); // PlannedInterface JSON: made between create and start
    Json to_json() const;
    static MonitorOptions from_json(const Json& j);
};

// Files in run_dir: monitor.json {Pid, PidStartTime, StartedAt, MonitorPid} once started,
// exit.json {ExitCode, FinishedAt, OOMKilled} once the init has exited.
inline constexpr const char* kMonitorFile = "monitor.json";
inline constexpr const char* kExitFile = "exit.json";
// Held shared by whoever is starting the container (the client, then its monitor until the
// container runs) and exclusive by `rm`, which so never removes a container mid-start.
inline constexpr const char* kStartingLock = "starting.lock";

// argv after "kouti-monitor-start": <options json> <sync fd>. The sync fd receives
// "attach-ready\n" when wait_attach (the client connects then), then "ok" or
// "error <exit code> <message>".
int monitor_start_main(const std::vector<std::string>& args);
// argv after "kouti-monitor-exit": <options json> <exit code>.
int monitor_exit_main(const std::vector<std::string>& args);

} // namespace kouti
