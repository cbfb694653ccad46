#include "runtime/init.h"

#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include <cstring>

#include "runtime/hooks.h"
#include "runtime/netns_ahead.h"
#include "runtime/rootfs.h"
#include "runtime/security.h"
#include "sys/fs.h"
#include "sys/resolve.h"
#include "util/timing.h"

namespace kouti {

std::string find_executable(const std::string& name, const std::vector<std::string>& env) {
    auto executable = [](const std::string& p) {
        struct stat st;
        return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(p.c_str(), X_OK) == 0;
    };
    if (name.find('/') != std::string::npos) return executable(name) ? name : "";
    std::string path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    for (const auto& e : env)
        if (e.rfind("PATH=", 0) == 0) path = e.substr(5);
    size_t start = 0;
    while (start <= path.size()) {
        size_t colon = path.find(':', start);
        std::string dir = path.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
        if (dir.empty()) dir = ".";
        if (executable(dir + "/" + name)) return dir + "/" + name;
        if (colon == std::string::npos) break;
        start = colon + 1;
    }
    return "";
}

Error executable_lookup_error(const std::string& name) {
    struct stat st;
    if (name.find('/') != std::string::npos && ::stat(name.c_str(), &st) == 0)
        return Error::invalid("exec: \"" + name + "\": permission denied");
    return Error::not_found("exec: \"" + name + "\": executable file not found in $PATH");
}

Result<int> setup_terminal(const Spec& spec, bool bind_dev_console) {
    int master = ::open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0) return Error::from_syscall("open /dev/ptmx");
    if (::unlockpt(master) != 0) return Error::from_syscall("unlockpt");
    char name[128];
    if (::ptsname_r(master, name, sizeof name) != 0) return Error::from_syscall("ptsname");
    int slave = ::open(name, O_RDWR | O_NOCTTY);
    if (slave < 0) return Error::from_syscall(std::string("open ") + name);
    if (spec.console_width || spec.console_height) {
        winsize ws{static_cast<unsigned short>(spec.console_height), static_cast<unsigned short>(spec.console_width), 0, 0};
        ::ioctl(slave, TIOCSWINSZ, &ws);
    }
    if (bind_dev_console) TRY(bind_console(name));
    ::setsid();
    if (::ioctl(slave, TIOCSCTTY, 0) != 0) return Error::from_syscall("set controlling terminal");
    for (int fd = 0; fd < 3; ++fd)
        if (::dup2(slave, fd) < 0) return Error::from_syscall("dup2 terminal");
    if (slave > 2) ::close(slave);
    return master;
}

Result<UniqueFd> connect_console(const std::string& socket_path) {
    UniqueFd sock(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!sock.valid()) return Error::from_syscall("socket");
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (socket_path.size() >= sizeof addr.sun_path) return Error::invalid("console socket path is too long");
    std::strcpy(addr.sun_path, socket_path.c_str());
    if (::connect(sock.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
        return Error::from_syscall("connect console socket " + socket_path);
    return sock;
}

Status send_console(int console_fd, int master) {
    Channel ch{UniqueFd(::dup(console_fd))};
    return ch.send("/dev/ptmx", master); // runc sends the master with its name
}

static Status become_container_process(const Spec& spec, const std::string& seccomp_program) {
    if (spec.personality && ::personality(*spec.personality) == -1) return Error::from_syscall("personality");
    if (!spec.no_new_privileges && spec.seccomp) {
        // Without no_new_privs, seccomp needs CAP_SYS_ADMIN: load it while we still have it.
        TRY(install_seccomp(seccomp_program));
    }
    TRY(apply_user_and_capabilities(spec));
    if (::chdir(spec.cwd.c_str()) != 0) {
        Error e = Error::from_syscall("chdir to cwd (\"" + spec.cwd + "\") set in config.json");
        e.kind = ErrorKind::Internal; // the command exists: "cannot invoke" (126), not "not found"
        return e;
    }
    char cwd[4096];
    if (!::getcwd(cwd, sizeof cwd) || cwd[0] != '/')
        return Error::invalid("current working directory is outside of the container's root");
    if (spec.no_new_privileges && ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return Error::from_syscall("no_new_privs");
    return ok();
}

static Error exec_as_container_process(const Spec& spec, int preserve_fds, const std::string& seccomp_program, const std::string& found) {
    // No host fd may reach the container (CVE-2024-21626): close all but stdio and preserved.
    close_fds_from(3 + preserve_fds);
    if (spec.no_new_privileges && spec.seccomp) {
        auto st = install_seccomp(seccomp_program);
        if (!st) return std::move(st).error();
    }
    std::string path = found.empty() ? find_executable(spec.args[0], spec.env) : found;
    if (path.empty()) return executable_lookup_error(spec.args[0]);
    std::vector<std::string> args = spec.args, env = spec.env;
    std::vector<char*> argv, envp;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    ::execve(path.c_str(), argv.data(), envp.data());
    return Error::from_syscall("exec " + path);
}

Error exec_process(const Spec& spec, int preserve_fds, const std::string& seccomp_program, const std::string& found) {
    if (auto st = become_container_process(spec, seccomp_program); !st) return std::move(st).error();
    return exec_as_container_process(spec, preserve_fds, seccomp_program, found);
}

namespace {

int ns_flag(const std::string& type) {
    if (type == "pid") return CLONE_NEWPID;
    if (type == "network") return CLONE_NEWNET;
    if (type == "mount") return CLONE_NEWNS;
    if (type == "ipc") return CLONE_NEWIPC;
    if (type == "uts") return CLONE_NEWUTS;
    if (type == "user") return CLONE_NEWUSER;
    if (type == "cgroup") return CLONE_NEWCGROUP;
    if (type == "time") return CLONE_NEWTIME;
    return 0;
}

Status join_namespaces(const Spec& spec) {
    // The user namespace first: joining the others needs the capabilities it gives.
    for (int pass = 0; pass < 2; ++pass)
        for (const auto& ns : spec.namespaces) {
            if (ns.path.empty() || (pass == 0) != (ns.type == "user")) continue;
            if (ns.type == "pid" && pass == 0) continue;
            auto fd = TRY(open_file(ns.path, O_RDONLY));
            if (::setns(fd.get(), ns_flag(ns.type)) != 0) return Error::from_syscall("join " + ns.type + " namespace " + ns.path);
        }
    return ok();
}

Status write_sysctls(const Spec& spec) {
    for (const auto& [key, value] : spec.sysctl) {
        std::string path = "/proc/sys/" + key;
        for (auto& c : path)
            if (c == '.') c = '/';
        auto fd = open_file(path, O_WRONLY | O_TRUNC);
        if (!fd.ok()) return std::move(fd).error().context("sysctl " + key);
        if (::write(fd->get(), value.data(), value.size()) < 0) return Error::from_syscall("sysctl " + key + "=" + value);
    }
    return ok();
}

Status set_rlimits(const Spec& spec) {
    for (const auto& r : spec.rlimits) {
        rlimit rl{r.soft, r.hard};
        if (::setrlimit(rlimit_number(r.type), &rl) != 0)
            return Error::from_syscall("set " + r.type + " to " + std::to_string(r.soft) + ":" + std::to_string(r.hard));
    }
    return ok();
}

Status enter_cgroups(InitContext& ctx) {
    if (ctx.start_at_once) {
        if (ctx.cgroups_made && !ctx.cgroups_made->wait()) return Error::internal("its cgroups could not be made");
        TRY(ctx.cgroup->enter_v1_self());
        return ctx.enter_unified ? ctx.cgroup->enter_unified_self() : ok();
    }
    auto msg = TRY(ctx.channel->receive());
    if (msg != "cgroups") return Error::internal("parent went away");
    TRY(ctx.cgroup->enter_v1_self());
    return ctx.channel->send("cgroups entered");
}

// Made once the init is in its cgroups: they become the namespace's root.
Status unshare_cgroup_namespace(const Spec& spec) {
    if (spec.has_namespace("cgroup") && spec.find_namespace("cgroup")->path.empty() && ::unshare(CLONE_NEWCGROUP) != 0)
        return Error::from_syscall("create cgroup namespace");
    return ok();
}

Status init_steps(InitContext& ctx) {
    const Spec& spec = *ctx.spec;
    if (ctx.wait_for_go) {
        TRY(enter_cgroups(ctx));
        auto go = TRY(ctx.channel->receive());
        if (go != "go") return Error::internal("parent went away");
    }
    if (spec.has_namespace("user") && !ctx.joined_user_ns) {
        if (::syscall(SYS_setresgid, 0, 0, 0) != 0 || ::syscall(SYS_setresuid, 0, 0, 0) != 0)
            return Error::from_syscall("become root in the user namespace");
    }
    timing_point("init: start");
    TRY(join_namespaces(spec));
    if (auto* net = spec.find_namespace("network"); net && net->path.empty()) TRY(loopback_up());
    if (auto* pidns = spec.find_namespace("pid"); pidns && !pidns->path.empty()) {
        // Joining a pid namespace applies to children only: the container's process is a new
        // child, and this one reports its pid and leaves (the parent is its subreaper).
        pid_t init = ::fork();
        if (init < 0) return Error::from_syscall("fork into the pid namespace");
        if (init > 0) {
            (void)ctx.channel->send("pid:" + std::to_string(init));
            ::_exit(0);
        }
        ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    }
    bool in_cgroups = ctx.wait_for_go;
    auto ensure_in_cgroups = [&]() -> Status {
        if (in_cgroups) return ok();
        in_cgroups = true;
        TRY(enter_cgroups(ctx));
        return unshare_cgroup_namespace(spec);
    };
    if (ctx.wait_for_go) TRY(unshare_cgroup_namespace(spec));
    if (spec.has_namespace("time") && spec.find_namespace("time")->path.empty()) {
        // unshare makes it for our children; setns on time_for_children moves us in as well.
        if (::unshare(CLONE_NEWTIME) != 0) return Error::from_syscall("create time namespace");
        auto t = TRY(open_file("/proc/self/ns/time_for_children", O_RDONLY));
        if (::setns(t.get(), CLONE_NEWTIME) != 0) return Error::from_syscall("enter time namespace");
    }
    if (spec.has_namespace("uts")) {
        if (!spec.hostname.empty() && ::sethostname(spec.hostname.data(), spec.hostname.size()) != 0)
            return Error::from_syscall("sethostname");
        if (!spec.domainname.empty() && ::setdomainname(spec.domainname.data(), spec.domainname.size()) != 0)
            return Error::from_syscall("setdomainname");
    }
    timing_point("init: lo, hostname");
    // (The context is the caller's memory when the init runs in it: only read.)
    bool sources_ready = !ctx.mount_sources_ready;
    RootfsOptions ro{ctx.no_pivot, ctx.cgroups, ensure_in_cgroups, !spec.has_namespace("cgroup"), [&]() -> Status {
                         if (sources_ready) return ok();
                         if (!ctx.mount_sources_ready->wait()) return Error::internal("the files it mounts could not be written");
                         sources_ready = true;
                         return ok();
                     }};
    TRY(prepare_rootfs(spec, ro));
    timing_point("init: rootfs prepared");
    TRY(ensure_in_cgroups());
    Json state{{"ociVersion", spec.oci_version}, {"id", ""}, {"status", "created"}, {"pid", ::getpid()}, {"bundle", ""}};
    TRY(run_hooks(spec.hooks.create_container, state, "createContainer"));
    TRY(enter_rootfs(spec, ro));
    timing_point("init: pivoted");
    // Docker makes a missing working directory (root's, 0755). Inside the new root, so nothing
    // it resolves leaves the container; before a read-only root is remounted.
    // A runtime's failure shows at the chdir before exec, as runc's; the engine's before the
    // start, as Docker's engine reports a file in the way.
    if (auto made = mkdir_p(spec.cwd, 0755); !made.ok() && spec.engine_workdir) {
        if (path_exists(spec.cwd) && !is_directory(spec.cwd)) return Error::invalid("Cannot mkdir: " + spec.cwd + " is not a directory");
        if (made.error().err == ENOTDIR) return std::move(made).error();
    }
    TRY(write_sysctls(spec));
    // Masking binds the container's /dev/null, so it must be the null device itself, never a
    // symlink or file the image planted there (the CVE-2025-31133 class).
    auto devnull = TRY(open_file("/dev/null", O_PATH | O_NOFOLLOW));
    struct stat st;
    if (::fstat(devnull.get(), &st) != 0 || !S_ISCHR(st.st_mode) || st.st_rdev != makedev(1, 3))
        return Error::invalid("/dev/null in the container is not the null device");
    TRY(finish_rootfs(spec, devnull.get()));
    timing_point("init: masked");
    if (spec.terminal) {
        int master = TRY(setup_terminal(spec, true));
        if (ctx.console_fd >= 0) TRY(send_console(ctx.console_fd, master));
        else TRY(ctx.channel->send("pty", master));
        ::close(master);
    }
    TRY(set_rlimits(spec));
    if (spec.umask) ::umask(*spec.umask);
    timing_point("init: terminal, rlimits");
    // Looked up from the working directory, as runc does (after its chdir) and as the exec will:
    // `-w /bin ... ./true` runs /bin/true. A missing directory is reported by that exec.
    (void)::chdir(spec.cwd.c_str());
    if (ctx.network_ready && !ctx.network_ready->wait()) return Error::internal("its network could not be set up");
    ctx.executable = find_executable(spec.args[0], spec.env);
    timing_point("init: executable found");
    if (ctx.executable.empty()) return executable_lookup_error(spec.args[0]);
    return ok();
}

} // namespace

[[noreturn]] void run_init(InitContext& ctx) {
    // Until `create` has answered, the init dies with its parent; and it is never dumpable, so no
    // process in the container can open /proc/1/exe, which is still kouti (CVE-2019-5736).
    ::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    if (ctx.send_mount_namespace) {
        // Made by the clone already. Without it the caller only loses time: no error.
        int mount_ns = ::open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
        if (mount_ns >= 0) {
            (void)ctx.channel->send("mntns", mount_ns);
            ::close(mount_ns);
        }
    }
    for (int i = 0; i < 3; ++i)
        if (ctx.stdio[i] >= 0 && ctx.stdio[i] != i) ::dup2(ctx.stdio[i], i);
    timing_point("init: cloned");
    auto st = init_steps(ctx);
    if (!st) {
        (void)ctx.channel->send("error:" + st.error().message);
        ::_exit(1);
    }
    // From here the init outlives `create`, which exits as soon as it reads "ready".
    ::prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0);
    (void)ctx.channel->send("ready");
    // As runc does, the init takes the container process's seccomp filter (without
    // no_new_privs), capabilities, user and working directory before it waits for the start,
    // which leaves only the exec after it: the start's message no longer waits for the filter's
    // compilation by the kernel (0.1 ms). startContainer hooks still run with the init's own.
    bool early = ctx.spec->hooks.start_container.empty();
    Status became = early ? become_container_process(*ctx.spec, ctx.seccomp_program) : ok();
    timing_point("init: became the container's process");
    if (ctx.start_at_once) {
        // The caller starts it at once: nothing to wait for.
    } else if (ctx.fifo_fd < 0) {
        // Started by the process that created it: "start", or its death (end of file), arrives.
        auto start = ctx.channel->receive();
        if (!start.ok() || *start != "start") ::_exit(1);
    } else {
        // Blocks until `start` opens the fifo for reading.
        int fifo = ::open(fd_path(ctx.fifo_fd).c_str(), O_WRONLY | O_CLOEXEC);
        if (fifo < 0 || ::write(fifo, "0", 1) != 1) {
            std::fprintf(stderr, "kouti: wait for start: %s\n", std::strerror(errno));
            ::_exit(1);
        }
        ::close(fifo);
    }
    Json state{{"ociVersion", ctx.spec->oci_version}, {"status", "running"}, {"pid", ::getpid()}};
    if (auto hs = run_hooks(ctx.spec->hooks.start_container, state, "startContainer"); !hs) {
        std::fprintf(stderr, "kouti: %s\n", hs.error().message.c_str());
        ::_exit(1);
    }
    // The lookup made while setting up still holds when the start follows at once, with no hook
    // in between; after a separate `start`, look again as runc does.
    bool found_still_holds = ctx.fifo_fd < 0 && ctx.spec->hooks.start_container.empty();
    std::string found = found_still_holds ? ctx.executable : "";
    Error e = !became ? std::move(became).error()
              : early ? exec_as_container_process(*ctx.spec, ctx.preserve_fds, ctx.seccomp_program, found)
                      : exec_process(*ctx.spec, ctx.preserve_fds, ctx.seccomp_program, found);
    std::fprintf(stderr, "kouti: %s\n", e.message.c_str());
    ::_exit(e.kind == ErrorKind::NotFound ? 127 : 126);
}

} // namespace kouti
