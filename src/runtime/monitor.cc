#include "runtime/monitor.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <optional>

#include "runtime/container.h"
#include "runtime/supervise.h"
#include "sys/fs.h"
#include "sys/process.h"
#include "util/humanize.h"

namespace kouti {

Json MonitorOptions::to_json() const {
    return Json{{"runtime_root", runtime_root}, {"id", id}, {"bundle", bundle}, {"run_dir", run_dir},
                {"log_path", log_path}, {"log_max_size", log_limits.max_size}, {"log_max_files", log_limits.max_files},
                {"tty", tty}, {"exit_command", exit_command}};
}

MonitorOptions MonitorOptions::from_json(const Json& j) {
    MonitorOptions o;
    o.runtime_root = j.value("runtime_root", "");
    o.id = j.value("id", "");
    o.bundle = j.value("bundle", "");
    o.run_dir = j.value("run_dir", "");
    o.log_path = j.value("log_path", "");
    o.log_limits.max_size = j.value("log_max_size", int64_t{0});
    o.log_limits.max_files = j.value("log_max_files", 1);
    o.tty = j.value("tty", false);
    o.exit_command = j.value("exit_command", std::vector<std::string>{});
    return o;
}

namespace {

int code_for(const Error& e) { return e.kind == ErrorKind::NotFound ? 127 : e.kind == ErrorKind::InvalidArgument ? 126 : 125; }

void report(int sync_fd, const std::string& msg) {
    if (sync_fd < 0) return;
    (void)write_all(sync_fd, msg.data(), msg.size());
    ::close(sync_fd);
}

int run_monitor(const MonitorOptions& o, int sync_fd) {
    ::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
    for (int s : {SIGHUP, SIGINT, SIGPIPE, SIGTTOU, SIGTTIN}) ::signal(s, SIG_IGN);
    RuntimeOptions rt;
    rt.root = o.runtime_root;
    CreateOptions co;
    co.id = o.id;
    co.bundle = o.bundle;
    co.terminal_to_caller = o.tty;
    UniqueFd devnull(::open("/dev/null", O_RDWR | O_CLOEXEC));
    int out[2] = {-1, -1}, err[2] = {-1, -1};
    if (!o.tty) {
        if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) {
            report(sync_fd, "error 125 cannot make pipes for the container's output");
            return 1;
        }
        co.stdio[0] = devnull.get();
        co.stdio[1] = out[1];
        co.stdio[2] = err[1];
    } else {
        co.stdio[0] = co.stdio[1] = co.stdio[2] = devnull.get();
    }
    auto created = create_container(rt, co);
    if (!o.tty) {
        ::close(out[1]);
        ::close(err[1]);
    }
    if (!created.ok()) {
        report(sync_fd, "error " + std::to_string(code_for(created.error())) + " " + created.error().message);
        return 1;
    }
    if (auto st = start_container(rt, o.id); !st.ok()) {
        (void)delete_container(rt, o.id, true);
        report(sync_fd, "error 125 " + st.error().message);
        return 1;
    }
    pid_t pid = created->pid;
    Json started{{"Pid", pid}, {"PidStartTime", process_start_time(pid)}, {"StartedAt", rfc3339_nano(now_nanos())},
                 {"MonitorPid", ::getpid()}, {"MonitorStartTime", process_start_time(::getpid())}};
    (void)write_file_atomic(o.run_dir + "/" + kMonitorFile, started.dump());
    report(sync_fd, "ok");

    std::optional<JsonLog> log;
    if (!o.log_path.empty()) {
        auto l = JsonLog::open(o.log_path, o.log_limits);
        if (l.ok()) log.emplace(std::move(l).value());
    }
    ContainerStreams streams;
    if (o.tty) streams.tty_master = created->pty_master;
    else {
        streams.out = out[0];
        streams.err = err[0];
    }
    SuperviseOptions so;
    so.log = log ? &*log : nullptr;
    so.reap_all = true;
    auto outcome = supervise(pid, streams, so);
    int code = outcome.ok() ? outcome->exit_code : 255;
    bool oom = container_oom_killed(rt, o.id);
    (void)delete_container(rt, o.id, true);
    Json exited{{"ExitCode", code}, {"FinishedAt", rfc3339_nano(now_nanos())}, {"OOMKilled", oom}};
    (void)write_file_atomic(o.run_dir + "/" + kExitFile, exited.dump());
    if (!o.exit_command.empty()) {
        std::vector<char*> argv;
        for (const auto& a : o.exit_command) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        if (devnull.valid()) {
            for (int i = 0; i < 3; ++i) ::dup2(devnull.get(), i);
        }
        ::execv(argv[0], argv.data());
    }
    return 0;
}

} // namespace

int monitor_main(const std::vector<std::string>& args) {
    if (args.size() != 2) return 125;
    auto j = Json::parse(args[0], nullptr, false);
    if (j.is_discarded()) return 125;
    return run_monitor(MonitorOptions::from_json(j), std::stoi(args[1]));
}

} // namespace kouti
