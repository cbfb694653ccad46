#include "runtime/monitor.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <optional>

#include "network/sandbox.h"
#include "runtime/attach.h"
#include "runtime/container.h"
#include "runtime/netns_ahead.h"
#include "runtime/supervise.h"
#include "sys/fs.h"
#include "sys/process.h"
#include "util/humanize.h"

namespace kouti {

Json MonitorOptions::to_json() const {
    Json j{{"runtime_root", runtime_root}, {"id", id}, {"bundle", bundle}, {"run_dir", run_dir},
           {"log_path", log_path}, {"tty", tty}, {"stdin_open", stdin_open}, {"wait_attach", wait_attach},
           {"exit_command", exit_command}, {"interfaces", interfaces}};
    put_log_settings(j, log_settings);
    return j;
}

MonitorOptions MonitorOptions::from_json(const Json& j) {
    MonitorOptions o;
    o.runtime_root = j.value("runtime_root", "");
    o.id = j.value("id", "");
    o.bundle = j.value("bundle", "");
    o.run_dir = j.value("run_dir", "");
    o.log_path = j.value("log_path", "");
    o.log_settings = log_settings_from(j);
    o.tty = j.value("tty", false);
    o.stdin_open = j.value("stdin_open", false);
    o.wait_attach = j.value("wait_attach", false);
    o.exit_command = j.value("exit_command", std::vector<std::string>{});
    o.interfaces = j.value("interfaces", Json::array());
    return o;
}

namespace {

int code_for(const Error& e) { return e.kind == ErrorKind::NotFound ? 127 : e.kind == ErrorKind::InvalidArgument ? 126 : 125; }

void report(int sync_fd, const std::string& msg) {
    if (sync_fd < 0) return;
    (void)write_all(sync_fd, msg.data(), msg.size());
    ::close(sync_fd);
}

// Stage 2 done in-process (only when the static watcher is missing).
int watch(const MonitorOptions& o, pid_t pid, int out, int err, int in, int listener) {
    std::optional<JsonLog> log;
    if (!o.log_path.empty()) {
        auto l = JsonLog::open(o.log_path, o.log_settings);
        if (l.ok()) log.emplace(std::move(l).value());
    }
    ContainerStreams streams;
    if (o.tty) streams.tty_master = out;
    else {
        streams.out = out;
        streams.err = err;
        streams.in = in;
    }
    SuperviseOptions so;
    so.log = log ? &*log : nullptr;
    so.reap_all = true;
    so.attach_listen = listener;
    auto outcome = supervise(pid, streams, so);
    return outcome.ok() ? outcome->exit_code : 255;
}

Result<std::vector<PlannedInterface>> planned_interfaces(const Json& planned) {
    std::vector<PlannedInterface> interfaces;
    for (const auto& j : planned) interfaces.push_back(TRY(PlannedInterface::from_json(j)));
    return interfaces;
}

// Stage 3: the init has exited with `code`.
int finish(const MonitorOptions& o, int code) {
    RuntimeOptions rt;
    rt.root = o.runtime_root;
    bool oom = container_oom_killed(rt, o.id);
    (void)delete_container(rt, o.id, true);
    Json exited{{"ExitCode", code}, {"FinishedAt", rfc3339_nano(now_nanos())}, {"OOMKilled", oom}};
    (void)write_file_atomic(o.run_dir + "/" + kExitFile, exited.dump());
    if (!o.exit_command.empty()) {
        std::vector<char*> argv;
        for (const auto& a : o.exit_command) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        ::execv(argv[0], argv.data());
    }
    return 0;
}

int run_monitor(const MonitorOptions& o, int sync_fd) {
    ::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
    for (int s : {SIGHUP, SIGINT, SIGPIPE, SIGTTOU, SIGTTIN}) ::signal(s, SIG_IGN);
    // A container with interfaces has a new network namespace: made while we get ready, and
    // its interfaces put in place beside the init's start (CreateOptions::network_setup).
    std::optional<NetnsAhead> netns;
    if (!o.interfaces.empty()) netns.emplace();
    RuntimeOptions rt;
    rt.root = o.runtime_root;
    rt.no_hooks = true; // the engine's specs have none
    CreateOptions co;
    co.id = o.id;
    co.bundle = o.bundle;
    co.terminal_to_caller = o.tty;
    // We start it ourselves, at once: without exec.fifo, and without kouti-setup when the spec
    // allows (CreateOptions::start_at_once).
    co.start_in_process = true;
    co.start_at_once = true;
    // Taken before our client lets go of its own (it waits for our report), so that a client
    // killed now leaves the start covered; refused while `rm` holds it.
    auto starting = FileLock::acquire(o.run_dir + "/" + kStartingLock, false, false);
    if (!starting.ok()) {
        report(sync_fd, "error 125 container is marked for removal and cannot be started");
        return 1;
    }
    UniqueFd devnull(::open("/dev/null", O_RDWR | O_CLOEXEC));
    auto listener = listen_attach(o.run_dir);
    if (!listener.ok()) {
        report(sync_fd, "error 125 " + listener.error().message);
        return 1;
    }
    if (o.wait_attach) {
        (void)write_all(sync_fd, "attach-ready\n", 13);
        // The client that waits for us to be ready attaches next; if it dies first (its end of
        // the sync pipe closes: POLLERR on ours) nobody will, and the container stays created.
        pollfd p[2] = {{listener->get(), POLLIN, 0}, {sync_fd, 0, 0}};
        int ready = ::poll(p, 2, 10000);
        if (ready > 0 && !(p[0].revents & POLLIN)) return 1;
        if (ready != 1 && !(p[0].revents & POLLIN)) {
            report(sync_fd, "error 125 no client attached within 10 seconds");
            return 1;
        }
    }
    int out[2] = {-1, -1}, err[2] = {-1, -1}, in[2] = {-1, -1};
    if (!o.tty) {
        if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0 || (o.stdin_open && ::pipe2(in, O_CLOEXEC) != 0)) {
            report(sync_fd, "error 125 cannot make pipes for the container's output");
            return 1;
        }
        co.stdio[0] = o.stdin_open ? in[0] : devnull.get();
        co.stdio[1] = out[1];
        co.stdio[2] = err[1];
    } else {
        co.stdio[0] = co.stdio[1] = co.stdio[2] = devnull.get();
    }
    auto interfaces = planned_interfaces(o.interfaces);
    if (!interfaces.ok()) {
        report(sync_fd, "error 125 " + interfaces.error().message);
        return 1;
    }
    UniqueFd netns_fd;
    if (netns) {
        auto fd = netns->take();
        if (!fd.ok()) {
            report(sync_fd, "error 125 " + fd.error().message);
            return 1;
        }
        netns_fd = std::move(fd).value();
        co.netns_fd = netns_fd.get();
        co.network_setup = [&]() -> Status {
            auto st = join_networks_at(netns_fd.get(), *interfaces);
            return st.ok() ? st : std::move(st).error().context("network");
        };
    }
    auto created = create_container(rt, co);
    if (!o.tty) {
        ::close(out[1]);
        ::close(err[1]);
        if (in[0] >= 0) ::close(in[0]);
    }
    if (!created.ok()) {
        report(sync_fd, "error " + std::to_string(code_for(created.error())) + " " + created.error().message);
        return 1;
    }
    if (auto st = start_created(rt, o.id, *created); !st.ok()) {
        (void)delete_container(rt, o.id, true);
        report(sync_fd, "error 125 " + st.error().message);
        return 1;
    }
    pid_t pid = created->pid;
    Json started{{"Pid", pid}, {"PidStartTime", created->start_time}, {"StartedAt", rfc3339_nano(now_nanos())},
                 {"MonitorPid", ::getpid()}, {"MonitorStartTime", process_start_time(::getpid())}};
    (void)write_file_atomic(o.run_dir + "/" + kMonitorFile, started.dump());
    starting = FileLock();
    report(sync_fd, "ok");

    // Stage 2: the small watcher takes over this process (and its children).
    std::string dir = executable_dir();
    int fds[4] = {o.tty ? created->pty_master : out[0], o.tty ? -1 : err[0], o.tty ? -1 : in[1], listener->get()};
    for (int fd : fds)
        if (fd >= 0) ::fcntl(fd, F_SETFD, 0);
    std::string opts = o.to_json().dump(), pid_arg = std::to_string(pid);
    std::string a[4] = {std::to_string(fds[0]), std::to_string(fds[1]), std::to_string(fds[2]), std::to_string(fds[3])};
    const char* argv[] = {"kouti-monitor", opts.c_str(), pid_arg.c_str(), a[0].c_str(), a[1].c_str(), a[2].c_str(), a[3].c_str(), nullptr};
    std::string watcher = dir + "/kouti-monitor";
    ::execv(watcher.c_str(), const_cast<char* const*>(argv));
    // No watcher: watch from here (larger, but the container is not left alone).
    return finish(o, watch(o, pid, fds[0], fds[1], fds[2], fds[3]));
}

} // namespace

int monitor_start_main(const std::vector<std::string>& args) {
    if (args.size() != 2) return 125;
    auto j = Json::parse(args[0], nullptr, false);
    if (j.is_discarded()) return 125;
    return run_monitor(MonitorOptions::from_json(j), std::stoi(args[1]));
}

int monitor_exit_main(const std::vector<std::string>& args) {
    if (args.size() != 2) return 125;
    auto j = Json::parse(args[0], nullptr, false);
    if (j.is_discarded()) return 125;
    return finish(MonitorOptions::from_json(j), std::stoi(args[1]));
}

} // namespace kouti
