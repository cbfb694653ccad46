// `exec`: a new process in a running container's namespaces and cgroup, with the container's
// process settings overridden by the given "process" object.
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runtime/cgroups.h"
#include "runtime/security.h"
#include "runtime/container.h"
#include "runtime/init.h"
#include "sys/fs.h"
#include "sys/process.h"

namespace kouti {
namespace {

// /proc/PID/ns names, the user namespace first (joining the others needs its capabilities) and
// pid last (it only applies to children).
const std::pair<const char*, int> kJoinOrder[] = {{"user", CLONE_NEWUSER}, {"mnt", CLONE_NEWNS}, {"uts", CLONE_NEWUTS},
                                                   {"ipc", CLONE_NEWIPC},  {"net", CLONE_NEWNET}, {"cgroup", CLONE_NEWCGROUP},
                                                   {"pid", CLONE_NEWPID}};

bool same_namespace(pid_t pid, const char* name) {
    struct stat a, b;
    std::string mine = std::string("/proc/self/ns/") + name, theirs = "/proc/" + std::to_string(pid) + "/ns/" + name;
    return ::stat(mine.c_str(), &a) == 0 && ::stat(theirs.c_str(), &b) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev;
}

// Holds a detached process's terminal: its output is read and dropped (nobody attaches to an
// exec), and the terminal stays open, as Docker's daemon keeps it, until the process and all
// it started have closed it. A session of its own, so no signal meant for us reaches it.
void drain_in_background(int master) {
    pid_t holder = ::fork();
    if (holder != 0) {
        ::close(master);
        if (holder > 0) ::waitpid(holder, nullptr, 0);
        return;
    }
    if (::fork() != 0) ::_exit(0); // the holder is nobody's child: init reaps it
    ::setsid();
    int null = ::open("/dev/null", O_RDWR);
    for (int fd = 0; fd < 3; ++fd) ::dup2(null, fd);
    ::dup2(master, 3);
    ::close_range(4, ~0U, 0);
    char buf[4096];
    while (true) {
        ssize_t n = ::read(3, buf, sizeof buf);
        if (n > 0 || (n < 0 && errno == EINTR)) continue;
        break;
    }
    ::_exit(0);
}

} // namespace

Result<int> exec_in_container(const RuntimeOptions& rt, const std::string& id, const ExecOptions& opts) {
    auto s = TRY(container_state(rt, id));
    if (s.status != "running") return Error::conflict("cannot exec in a container that is " + s.status);
    auto config_text = TRY(read_file(s.bundle + "/config.json"));
    auto config = Json::parse(config_text, nullptr, false);
    if (config.is_discarded()) return Error::invalid("config.json: not valid JSON");
    // The exec'd process starts from the container's process and takes what was given.
    for (auto it = opts.process.begin(); it != opts.process.end(); ++it) config["process"][it.key()] = it.value();
    Spec spec = TRY(parse_spec(config.dump(), s.bundle));
    if (spec.terminal && opts.console_socket.empty() && opts.detach && !opts.drain_terminal)
        return Error::invalid("cannot allocate tty if kouti will detach without setting console socket");

    std::vector<UniqueFd> ns_fds;
    std::vector<int> ns_types;
    for (const auto& [name, flag] : kJoinOrder) {
        if (same_namespace(s.pid, name)) continue;
        ns_fds.push_back(TRY(open_file("/proc/" + std::to_string(s.pid) + "/ns/" + name, O_RDONLY)));
        ns_types.push_back(flag);
    }
    UniqueFd console;
    if (!opts.console_socket.empty()) console = TRY(connect_console(opts.console_socket));
    std::string seccomp = spec.seccomp ? TRY(seccomp_program(*spec.seccomp, seccomp_cache_dir(rt))) : std::string();
    auto [parent_end, child_end] = TRY(channel_pair());
    ::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); // the exec'd process is our grandchild
    pid_t child = ::fork();
    if (child < 0) return Error::from_syscall("fork");
    if (child == 0) {
        parent_end.fd.reset();
        ::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
        ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
        auto go = child_end.receive();
        if (!go.ok() || *go != "go") ::_exit(1);
        for (size_t i = 0; i < ns_fds.size(); ++i)
            if (::setns(ns_fds[i].get(), ns_types[i]) != 0) {
                (void)child_end.send("error:" + Error::from_syscall("join namespace").message);
                ::_exit(1);
            }
        ns_fds.clear();
        pid_t grandchild = ::fork();
        if (grandchild != 0) {
            (void)child_end.send("pid:" + std::to_string(grandchild));
            ::_exit(grandchild < 0 ? 1 : 0);
        }
        ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
        if (spec.terminal) {
            auto master = setup_terminal(spec, false);
            if (!master.ok()) {
                (void)child_end.send("error:" + master.error().message);
                ::_exit(1);
            }
            auto sent = console.valid() ? send_console(console.get(), *master) : child_end.send("pty", *master);
            ::close(*master);
            if (!sent.ok()) ::_exit(1);
        }
        for (const auto& r : spec.rlimits) {
            rlimit rl{r.soft, r.hard};
            ::setrlimit(rlimit_number(r.type), &rl);
        }
        // Checked while still root, so that the common mistakes come back as messages, not as a
        // line the process writes after "ready".
        struct stat cwd;
        if (::stat(spec.cwd.c_str(), &cwd) != 0) {
            (void)child_end.send("error:" + Error::from_syscall("chdir to cwd (\"" + spec.cwd + "\") set in config.json failed").message);
            ::_exit(126);
        }
        if (find_executable(spec.args[0], spec.env).empty()) {
            (void)child_end.send("error:" + executable_lookup_error(spec.args[0]).message);
            ::_exit(127);
        }
        (void)child_end.send("ready");
        Error e = exec_process(spec, opts.preserve_fds, seccomp);
        std::fprintf(stderr, "kouti: %s\n", e.message.c_str());
        ::_exit(e.kind == ErrorKind::NotFound ? 127 : 126);
    }
    child_end.fd.reset();
    ns_fds.clear();
    Cgroup cg(detect_cgroups(), s.cgroup_path);
    auto added = cg.add_process(child);
    if (!added.ok()) {
        ::kill(child, SIGKILL);
        ::waitpid(child, nullptr, 0);
        return std::move(added).error();
    }
    TRY(parent_end.send("go"));
    pid_t pid = -1;
    int master = -1;
    bool ready = false;
    while (true) {
        int fd = -1;
        auto msg = parent_end.receive(&fd);
        if (!msg.ok() || msg->empty()) break;
        // "ready" (from the process) may overtake "pid:" (from its parent): wait for both.
        if (msg->rfind("pid:", 0) == 0) {
            pid = std::stoi(msg->substr(4));
            if (ready) break;
        } else if (*msg == "pty") master = fd;
        else if (*msg == "ready") {
            ready = true;
            if (pid > 0) break;
        }
        else if (msg->rfind("error:", 0) == 0) {
            ::waitpid(child, nullptr, 0);
            if (pid > 0) ::waitpid(pid, nullptr, 0);
            return Error::invalid(msg->substr(6));
        }
    }
    ::waitpid(child, nullptr, 0);
    if (pid <= 0) return Error::internal("exec: the process did not start");
    if (!opts.pid_file.empty()) TRY(write_file_atomic(absolute_path(opts.pid_file), std::to_string(pid)));
    if (opts.started) *opts.started = pid;
    if (opts.detach) {
        if (master >= 0) drain_in_background(master);
        return 0;
    }
    int code = TRY(wait_with_terminal(pid, master, master >= 0 ? opts.detach_keys : ""));
    if (code != kDetached) return code;
    drain_in_background(master); // as for exec -d -t: the terminal stays open without us
    return 0;
}

} // namespace kouti
