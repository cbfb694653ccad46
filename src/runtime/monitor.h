#pragma once
// The per-container monitor of a detached container (podman's conmon, in a few hundred lines):
// the kouti executable started as `kouti-monitor`, detached from the caller (setsid, double
// fork) and a child subreaper. It creates and starts the OCI container, reports the outcome on a
// pipe, keeps the json-file log, and when the init exits records the exit in <run_dir>/exit.json,
// removes the runtime state and cgroup, then execs the exit command (`kouti container cleanup`,
// which applies --rm and restart policies). It links no SQLite: the store learns of the exit
// from exit.json at the next command that looks.
#include <string>
#include <vector>

#include "runtime/json_log.h"
#include "util/json.h"

namespace kouti {

struct MonitorOptions {
    std::string runtime_root, id, bundle, run_dir;
    std::string log_path; // empty: --log-driver none
    LogLimits log_limits;
    bool tty = false;
    std::vector<std::string> exit_command;
    Json to_json() const;
    static MonitorOptions from_json(const Json& j);
};

// Files in run_dir: monitor.json {Pid, PidStartTime, StartedAt, MonitorPid} once started,
// exit.json {ExitCode, FinishedAt, OOMKilled} once the init has exited.
inline constexpr const char* kMonitorFile = "monitor.json";
inline constexpr const char* kExitFile = "exit.json";

// argv after "kouti-monitor": <options json> <sync fd>. The sync fd receives "ok" or
// "error <exit code> <message>".
int monitor_main(const std::vector<std::string>& args);

} // namespace kouti
