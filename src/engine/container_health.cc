// Health checks: the process that probes a running container (Docker runs them in dockerd; with
// no daemon, each container that has one gets this small loop, detached like its monitor).
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdio>

#include "engine/containers.h"
#include "engine/health.h"
#include "runtime/cgroups.h"
#include "runtime/container.h"
#include "store/events.h"
#include "sys/fs.h"
#include "sys/process.h"
#include "util/go_duration.h"
#include "util/humanize.h"

namespace kouti {
namespace {

// Keeps at most kMaxProbeOutput bytes, and says so when it drops some (Docker's limitedBuffer).
struct ProbeOutput {
    std::string text;
    bool truncated = false;
    void read_from(int fd) {
        char buf[4096];
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n <= 0) return;
        size_t keep = std::min(static_cast<size_t>(n), kMaxProbeOutput - text.size());
        text.append(buf, keep);
        truncated = truncated || keep < static_cast<size_t>(n);
    }
    std::string str() const { return truncated ? text + "..." : text; }
};

// Starts the probe with its stdout and stderr on `out` (exec gives it ours).
Result<pid_t> start_probe(const RuntimeOptions& rt, const std::string& id, const Json& process, int out) {
    UniqueFd null(::open("/dev/null", O_WRONLY | O_CLOEXEC));
    ::dup2(out, 1);
    ::dup2(out, 2);
    pid_t pid = -1;
    ExecOptions eo;
    eo.process = process;
    eo.detach = true;
    eo.started = &pid;
    auto started = exec_in_container(rt, id, eo);
    ::dup2(null.get(), 1);
    ::dup2(null.get(), 2);
    if (!started.ok()) return std::move(started).error();
    return pid;
}

// One probe: the command in the container, its output kept, killed when over the timeout.
ProbeResult probe(const RuntimeOptions& rt, const std::string& id, const Json& process, int64_t timeout) {
    ProbeResult r;
    r.start = now_nanos();
    r.exit_code = -1;
    int p[2];
    if (::pipe2(p, O_CLOEXEC | O_NONBLOCK) != 0) {
        r.output = Error::from_syscall("pipe").message;
        r.end = now_nanos();
        return r;
    }
    UniqueFd out_r(p[0]), out_w(p[1]);
    auto pid = start_probe(rt, id, process, out_w.get());
    out_w.reset();
    if (!pid.ok()) {
        r.output = "OCI runtime exec failed: " + pid.error().message;
        r.end = now_nanos();
        return r;
    }
    UniqueFd exited = open_pidfd(*pid, 0); // our child (we are its subreaper): valid until reaped
    ProbeOutput output;
    int64_t deadline = r.start + timeout;
    while (true) {
        int64_t left = deadline - now_nanos();
        if (left <= 0) {
            ::kill(*pid, SIGKILL);
            (void)wait_exit(*pid);
            r.output = "Health check exceeded timeout (" + go_duration_string(timeout) + ")";
            r.end = now_nanos();
            return r;
        }
        pollfd fds[2] = {{out_r.get(), POLLIN, 0}, {exited.get(), POLLIN, 0}};
        int ms = static_cast<int>(std::min<int64_t>(left / 1000000 + 1, INT_MAX));
        if (::poll(fds, 2, ms) < 0 && errno != EINTR) break;
        if (fds[0].revents & POLLIN) output.read_from(out_r.get());
        if (fds[0].revents & POLLHUP) out_r.reset(); // every writer closed: poll the exit alone
        if (fds[1].revents & POLLIN) break;
    }
    // Exited: what it wrote is in the pipe (a child it left running may hold the pipe open, so
    // no waiting for the end of it).
    if (out_r.valid()) output.read_from(out_r.get());
    auto code = wait_exit(*pid);
    r.exit_code = code.ok() ? *code : -1;
    r.output = output.str();
    r.end = now_nanos();
    return r;
}

// Whether `init` has exited, waiting at most `nanos` for it.
bool exits_within(int init, int64_t nanos) {
    int64_t until = now_nanos() + nanos;
    while (true) {
        int64_t left = until - now_nanos();
        pollfd p{init, POLLIN, 0};
        int ms = static_cast<int>(std::clamp<int64_t>(left / 1000000, 0, INT_MAX));
        int n = ::poll(&p, 1, ms);
        if (n > 0) return true;
        if (n == 0 && left <= 1000000) return false;
        if (n < 0 && errno != EINTR) return false;
    }
}

std::string health_file(const Store& store, const std::string& id) { return container_run_dir(store, id) + "/" + kHealthFile; }
// "PID STARTTIME" of the container's health check process.
std::string checker_file(const Store& store, const std::string& id) { return container_run_dir(store, id) + "/healthcheck.pid"; }

bool has_health_checks(const ContainerRow& row) {
    return HealthConfig::from_json(row.config["Config"].value("Healthcheck", Json())).probes();
}

} // namespace

void stop_health_checks(const Store& store, const ContainerRow& row) {
    if (!has_health_checks(row)) return;
    auto text = read_file(checker_file(store, row.id));
    if (!text.ok()) return;
    pid_t pid = 0;
    unsigned long long start = 0;
    if (std::sscanf(text->c_str(), "%d %llu", &pid, &start) != 2) return;
    UniqueFd checker = open_pidfd(pid, start);
    if (!checker.valid()) return;
    ::kill(pid, SIGKILL);
    (void)exits_within(checker.get(), 1000000000LL);
}

Status start_health_checks(Store& store, const ContainerRow& row, const Json& state) {
    if (!has_health_checks(row)) return ok();
    stop_health_checks(store, row); // one checker a container, as in Docker: a restart's old one may linger
    TRY(mkdir_p(container_run_dir(store, row.id), 0700));
    // Written before the probing process starts, so that a `ps` right after the start shows it.
    TRY(write_file_atomic(health_file(store, row.id), health_at_start(state.value("Health", Json())).dump()));
    std::string exe = executable_dir() + "/kouti";
    return spawn_detached(exe, {"kouti", "--root", store.root(), "--runroot", store.runroot(), "container", "healthcheck", row.id});
}

Status run_health_checks(Store& store, const std::string& id) {
    auto found = TRY(container_by_id(store.db(), id));
    if (!found) return Error::not_found("No such container: " + id);
    const ContainerRow& row = *found;
    HealthConfig config = HealthConfig::from_json(row.config["Config"].value("Healthcheck", Json()));
    if (!config.probes()) return ok();
    UniqueFd init = open_pidfd(row.state.value("Pid", 0), row.state.value("PidStartTime", uint64_t{0}));
    if (!init.valid()) return ok(); // exited already
    TRY(write_file_atomic(checker_file(store, id), std::to_string(::getpid()) + " " + std::to_string(process_start_time(::getpid()))));
    int64_t started_at = parse_rfc3339(row.state.value("StartedAt", ""));
    std::string file = health_file(store, id);
    auto text = read_file(file);
    Json health = text.ok() ? Json::parse(*text, nullptr, false) : Json();
    if (!health.is_object()) health = health_at_start(row.state.value("Health", Json()));
    ExecRequest req;
    req.cmd = config.command();
    Json process = TRY(exec_process(store, row, req));
    RuntimeOptions rt;
    rt.root = runtime_root(store);
    rt.spare_dirs = &store.spare_dirs();
    Cgroup cgroup(detect_cgroups(), row.state.value("CgroupPath", ""));
    while (!exits_within(init.get(), next_probe_delay(health, config, now_nanos(), started_at))) {
        if (cgroup.frozen()) continue; // paused: Docker does not probe either
        ProbeResult result = probe(rt, id, process, config.probe_timeout());
        bool changed = fold_probe_result(health, result, config, started_at);
        // After the exit its state is final: a late result must not land on the next start's.
        if (exits_within(init.get(), 0)) break;
        TRY(write_file_atomic(file, health.dump()));
        if (changed) {
            auto tx = TRY(Transaction::begin(store.db()));
            TRY(record_container_event(store.db(), row, "health_status: " + health.value("Status", "")));
            TRY(tx.commit());
        }
    }
    return ok();
}

} // namespace kouti
