#include "runtime/container.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <map>
#include <thread>

#include "runtime/cgroups.h"
#include "runtime/security.h"
#include "runtime/hooks.h"
#include "runtime/init.h"
#include "runtime/init_handoff.h"
#include "sys/fs.h"
#include "sys/resolve.h"
#include "sys/spare_dirs.h"
#include "sys/process.h"
#include "sys/shared_gate.h"
#include "sys/thread_beside.h"
#include "sys/spawn.h"
#include "util/crash.h"
#include "util/humanize.h"
#include "util/numbers.h"
#include "util/timing.h"

namespace kouti {
namespace {

std::string state_dir(const RuntimeOptions& rt, const std::string& id) { return rt.root + "/" + id; }

Status remove_state_dir(const RuntimeOptions& rt, const std::string& id) {
    if (!rt.spare_dirs) return remove_all(state_dir(rt, id));
    rt.spare_dirs->recycle_file(state_dir(rt, id) + "/state.json");
    return remove_all(state_dir(rt, id), *rt.spare_dirs);
}


// The container's first process is kouti-setup, installed beside this executable.
Result<UniqueFd> open_setup_executable() {
    std::string path = executable_dir() + "/kouti-setup";
    auto fd = open_file(path, O_PATH);
    if (!fd.ok()) return Error::internal("cannot find kouti-setup, the container's first process, at " + path);
    return fd;
}

Error no_such(const std::string& id) { return Error::not_found("container \"" + id + "\" does not exist"); }

// Fault injection for the cleanup tests: KOUTI_FAIL_AT names the step of create that fails.
Status fail_point(const char* name) {
    static const char* wanted = std::getenv("KOUTI_FAIL_AT");
    if (wanted && std::string(wanted) == name) return Error::internal("injected failure at " + std::string(name));
    return ok();
}

unsigned long clone_flags(const Spec& spec) {
    static const std::map<std::string, unsigned long> flags = {
        {"pid", CLONE_NEWPID}, {"network", CLONE_NEWNET}, {"mount", CLONE_NEWNS}, {"ipc", CLONE_NEWIPC},
        {"uts", CLONE_NEWUTS}, {"user", CLONE_NEWUSER}, {"cgroup", CLONE_NEWCGROUP}, {"time", CLONE_NEWTIME}};
    unsigned long f = 0;
    for (const auto& ns : spec.namespaces)
        if (ns.path.empty()) f |= flags.at(ns.type);
    // The cgroup namespace is made by the child once it is in its cgroups, so that they are its
    // root; CLONE_NEWTIME shares its bit with clone()'s exit signal, so the child unshares it.
    return f & ~static_cast<unsigned long>(CLONE_NEWCGROUP | CLONE_NEWTIME);
}

Status write_id_map(pid_t pid, const char* file, const std::vector<IdMapping>& maps) {
    std::string text;
    for (const auto& m : maps) text += std::to_string(m.container_id) + " " + std::to_string(m.host_id) + " " + std::to_string(m.size) + "\n";
    auto fd = TRY(open_file("/proc/" + std::to_string(pid) + "/" + file, O_WRONLY));
    if (::write(fd.get(), text.data(), text.size()) < 0) return Error::from_syscall(std::string("write ") + file);
    return ok();
}

Status save_state(const RuntimeOptions& rt, const ContainerState& s) {
    Json j = s.to_json();
    j["start_time"] = s.start_time;
    j["cgroup_path"] = s.cgroup_path;
    std::string path = state_dir(rt, s.id) + "/state.json";
    return rt.spare_dirs ? write_file_atomic(path, j.dump(), *rt.spare_dirs) : write_file_atomic(path, j.dump());
}

Cgroup cgroup_of(const ContainerState& s) { return Cgroup(detect_cgroups(), s.cgroup_path); }

// The container's first process. Normally kouti-setup, spawned into the new namespaces without
// a copy of this process (sys/spawn.h) and handed the context through a memfd. A new user
// namespace is the exception: the child is an unmapped uid there until we write its id maps,
// and an exec before that would drop the capabilities it has in the namespace; so that child is
// forked and runs the init in place.
Result<Spawned> start_init(const Spec& spec, InitContext& ctx, const std::string& config_text, HandoffExtras& extras,
                           int cgroup_dir_fd, Channel& parent_end) {
    if (spec.has_namespace("user") && spec.find_namespace("user")->path.empty()) {
        Spawned forked;
        if (cgroup_dir_fd >= 0) {
            auto into = clone_process_into_cgroup(clone_flags(spec), cgroup_dir_fd);
            if (into.ok()) forked = Spawned{*into, true};
        }
        if (forked.pid < 0) forked.pid = TRY(clone_process(clone_flags(spec)));
        if (forked.pid == 0) {
            parent_end.fd.reset();
            run_init(ctx);
        }
        return forked;
    }
    auto setup = TRY(open_setup_executable());
    ::pthread_sigmask(SIG_BLOCK, nullptr, &extras.signal_mask);
    auto handoff = TRY(memfd_holding("kouti-setup", encode_init_handoff(ctx, config_text, extras)));
    std::string handoff_arg = std::to_string(handoff.get());
    char* argv[] = {const_cast<char*>("kouti-setup"), handoff_arg.data(), nullptr};
    SpawnRequest req;
    req.namespaces = clone_flags(spec);
    req.cgroup_dir_fd = cgroup_dir_fd;
    req.executable_fd = setup.get();
    req.argv = argv;
    req.envp = environ;
    req.inherited_fds = {handoff.get(), ctx.channel->fd.get(), ctx.fifo_fd, ctx.console_fd, extras.netns_fd,
                         ctx.stdio[0], ctx.stdio[1], ctx.stdio[2]};
    return spawn_in_namespaces(req);
}

// `run`'s init with start_at_once: it runs in our memory until it execs the container's process
// (sys/spawn.h), which saves kouti-setup's exec and its decoding of the context.
[[noreturn]] void run_init_in_child(void* init_context, bool in_cgroup) {
    auto* ctx = static_cast<InitContext*>(init_context);
    ctx->enter_unified = !in_cgroup;
    run_init(*ctx);
}

Result<Spawned> start_init_at_once(const Spec& spec, InitContext& ctx, int cgroup_dir_fd) {
    SpawnRequest req;
    req.namespaces = clone_flags(spec);
    req.cgroup_dir_fd = cgroup_dir_fd;
    req.run = run_init_in_child;
    req.run_arg = &ctx;
    return spawn_in_namespaces(req);
}

} // namespace

// '@' is not allowed in a container id, so no container's state directory can take this name.
std::string seccomp_cache_dir(const RuntimeOptions& rt) { return rt.root + "/@seccomp-cache"; }

bool valid_container_id(const std::string& id) {
    if (id.empty() || id.size() > 1024 || id == "." || id == "..") return false;
    for (char c : id)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' || c == '+')) return false;
    return true;
}

Json ContainerState::to_json() const {
    Json j = Json::object();
    j["ociVersion"] = oci_version;
    j["id"] = id;
    j["pid"] = status == "stopped" ? 0 : pid;
    j["status"] = status;
    j["bundle"] = bundle;
    j["rootfs"] = rootfs;
    j["created"] = created;
    j["owner"] = "";
    if (!annotations.empty()) j["annotations"] = annotations;
    return j;
}

Result<ContainerState> container_state(const RuntimeOptions& rt, const std::string& id) {
    if (!valid_container_id(id)) return Error::invalid("invalid container id \"" + id + "\"");
    auto text = read_file(state_dir(rt, id) + "/state.json");
    if (!text.ok()) return no_such(id);
    auto j = Json::parse(*text, nullptr, false);
    if (j.is_discarded()) return Error::corrupt("state of container " + id + " is damaged");
    ContainerState s;
    s.id = id;
    s.oci_version = j.value("ociVersion", "");
    s.pid = j.value("pid", 0);
    s.start_time = j.value("start_time", uint64_t{0});
    s.bundle = j.value("bundle", "");
    s.rootfs = j.value("rootfs", "");
    s.created = j.value("created", "");
    s.cgroup_path = j.value("cgroup_path", "");
    if (j.contains("annotations")) s.annotations = j["annotations"];
    if (!process_alive(s.pid, s.start_time)) s.status = "stopped";
    else if (path_exists(state_dir(rt, id) + "/exec.fifo")) s.status = "created";
    else if (cgroup_of(s).frozen()) s.status = "paused";
    else s.status = "running";
    return s;
}

Result<std::vector<ContainerState>> list_containers(const RuntimeOptions& rt) {
    std::vector<ContainerState> out;
    auto names = list_dir(rt.root);
    if (!names.ok()) return out;
    for (const auto& n : *names) {
        auto s = container_state(rt, n);
        if (s.ok()) out.push_back(std::move(s).value());
    }
    return out;
}

Result<Created> create_container(const RuntimeOptions& rt, const CreateOptions& opts) {
    if (!valid_container_id(opts.id)) return Error::invalid("invalid container id \"" + opts.id + "\"");
    std::string bundle = absolute_path(opts.bundle.empty() ? "." : opts.bundle);
    // The setup process gets the config as text: the caller's, or the bundle's file.
    std::string read_text;
    if (!opts.config_text) read_text = TRY(read_config_text(bundle));
    const std::string& config_text = opts.config_text ? *opts.config_text : read_text;
    Spec spec = opts.config ? TRY(parse_spec_json(*opts.config, bundle)) : TRY(parse_spec(config_text, bundle));
    timing_point("runtime: spec loaded");
    use_network_namespace_fd(spec, opts.netns_fd);
    if (spec.terminal && opts.console_socket.empty() && !opts.terminal_to_caller)
        return Error::invalid("cannot allocate tty if kouti will detach without setting console socket");
    if (!spec.terminal && !opts.console_socket.empty())
        return Error::invalid("cannot use console socket if kouti will not detach or allocate tty");
    TRY(mkdir_p(rt.root, 0700));
    std::string dir = state_dir(rt, opts.id);
    if (auto made = rt.spare_dirs ? rt.spare_dirs->make(dir, 0711) : (::mkdir(dir.c_str(), 0711) == 0 ? ok() : Error::from_syscall("mkdir"));
        !made.ok()) {
        if (made.error().err == EEXIST) return Error::conflict("container with id exists: " + opts.id);
        return Error::from_syscall("create state directory " + dir, made.error().err);
    }
    // Everything made from here on is undone unless create succeeds.
    Cgroup cgroup(detect_cgroups(), cgroup_path_for(spec.cgroups_path, opts.id));
    pid_t child = -1;
    bool cgroup_made = false;
    auto cleanup = [&] {
        if (child > 0) {
            ::kill(child, SIGKILL);
            ::waitpid(child, nullptr, 0);
        }
        if (cgroup_made) (void)cgroup.remove();
        (void)remove_state_dir(rt, opts.id);
    };
    auto result = [&]() -> Result<Created> {
        bool start_on_channel = opts.start_in_process && rt.no_hooks;
        UniqueFd fifo_fd;
        if (!start_on_channel) {
            std::string fifo = dir + "/exec.fifo";
            // Writable by the container's root even when it is an unprivileged uid on the host.
            if (::mkfifo(fifo.c_str(), 0622) != 0 || ::chmod(fifo.c_str(), 0622) != 0) return Error::from_syscall("mkfifo " + fifo);
            fifo_fd = TRY(open_file(fifo, O_PATH));
        }
        auto [parent_end, child_end] = TRY(channel_pair());
        InitContext ctx;
        ctx.spec = &spec;
        ctx.channel = &child_end;
        ctx.fifo_fd = fifo_fd.get();
        UniqueFd console;
        if (!opts.console_socket.empty()) console = TRY(connect_console(opts.console_socket));
        ctx.console_fd = console.get();
        ctx.terminal_to_parent = opts.terminal_to_caller;
        ctx.preserve_fds = opts.preserve_fds;
        for (int i = 0; i < 3; ++i) ctx.stdio[i] = opts.stdio[i];
        ctx.no_pivot = opts.no_pivot;
        ctx.joined_user_ns = spec.has_namespace("user") && !spec.find_namespace("user")->path.empty();
        ctx.cgroups = detect_cgroups();
        if (spec.seccomp) ctx.seccomp_program = TRY(seccomp_program(*spec.seccomp, seccomp_cache_dir(rt)));
        timing_point("runtime: seccomp");
        ctx.cgroup = &cgroup;
        bool has_create_hooks = !spec.hooks.prestart.empty() || !spec.hooks.create_runtime.empty();
        bool new_user_ns = spec.has_namespace("user") && spec.find_namespace("user")->path.empty();
        ctx.wait_for_go = has_create_hooks || new_user_ns;
        bool joins_pid = spec.has_namespace("pid") && !spec.find_namespace("pid")->path.empty();
        bool at_once = opts.start_at_once && start_on_channel && !ctx.wait_for_go && !joins_pid && !spec.oom_score_adj &&
                       spec.hooks.start_container.empty() && !opts.after_clone;
        ctx.start_at_once = at_once;
        ctx.send_mount_namespace = opts.hold_mount_namespace && !has_create_hooks;
        // The devices every container gets, as runc allows them after the spec's own rules.
        Resources res = spec.resources;
        if (!res.devices.empty()) {
            for (auto [major, minor] : std::vector<std::pair<int64_t, int64_t>>{{1, 3}, {1, 5}, {1, 7}, {1, 8}, {1, 9}, {5, 0}, {5, 1}, {5, 2}, {136, -1}})
                res.devices.push_back(DeviceRule{true, "c", major, minor, "rwm"});
            for (const auto& d : spec.devices)
                if (d.type == "c" || d.type == "b") res.devices.push_back(DeviceRule{true, d.type, d.major, d.minor, "rwm"});
        }
        auto make_cgroups = [&](pid_t unplaced) -> Status {
            TRY_CTX(cgroup.create(res), "cgroup " + cgroup.path());
            if (unplaced > 0) TRY(cgroup.add_process_unified(unplaced));
            timing_point("runtime: cgroup made");
            return ok();
        };
        TRY(fail_point("cgroup"));
        cgroup_made = true;
        UniqueFd unified_dir = TRY(cgroup.create_unified_dir());
        // An init that starts the container at once does not wait for "cgroups": they are made
        // on a thread beside its start, and it waits for them only when it enters them. Then the
        // files written for it (its /etc/hosts), which it waits for before its first bind mount;
        // then its network, which it waits for before its exec. On ext4 without a journal each
        // new file can cost 50-80 us (spare_dirs.h): 0.15-0.25 ms off the init's path.
        SharedGate cgroups_gate, sources_gate, network_gate;
        Status cgroups_made = ok(), sources_written = ok(), network_made = ok();
        ThreadBeside beside_init;
        if (at_once) {
            ctx.cgroups_made = &cgroups_gate;
            if (opts.before_init_mounts) ctx.mount_sources_ready = &sources_gate;
            if (opts.network_setup) ctx.network_ready = &network_gate;
            beside_init = ThreadBeside([&] {
                cgroups_made = make_cgroups(0);
                cgroups_gate.open(cgroups_made.ok());
                if (opts.before_init_mounts) {
                    sources_written = fail_point("mount-sources");
                    if (sources_written.ok()) sources_written = opts.before_init_mounts();
                    sources_gate.open(sources_written.ok());
                }
                if (!opts.network_setup) return;
                network_made = cgroups_made.ok() ? opts.network_setup() : Error::internal("no cgroups");
                network_gate.open(network_made.ok());
            });
        }
        TRY(fail_point("clone"));
        if (joins_pid) ::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); // the init will be our grandchild
        HandoffExtras extras;
        extras.bundle = bundle;
        extras.netns_fd = opts.netns_fd;
        auto spawned = TRY(at_once ? start_init_at_once(spec, ctx, unified_dir.get())
                                   : start_init(spec, ctx, config_text, extras, unified_dir.get(), parent_end));
        child = spawned.pid;
        timing_point(at_once ? "runtime: cloned, the container's process started" : "runtime: cloned");
        child_end.fd.reset();
        unified_dir.reset();
        Status after_clone = ok();
        std::jthread after_clone_thread;
        if (opts.after_clone) after_clone_thread = std::jthread([&, pid = child] { after_clone = opts.after_clone(pid); });
        else if (opts.network_setup && !at_once) after_clone_thread = std::jthread([&] { after_clone = opts.network_setup(); });
        if (at_once) {
            beside_init.join();
            TRY(cgroups_made);
            TRY(sources_written);
            TRY(network_made);
        } else {
            TRY(make_cgroups(spawned.in_cgroup ? 0 : child));
            // The init mounts nothing of the caller's before it has entered its cgroups.
            if (opts.before_init_mounts) {
                TRY(fail_point("mount-sources"));
                TRY(opts.before_init_mounts());
            }
        }
        if (new_user_ns) {
            TRY(write_id_map(child, "uid_map", spec.uid_mappings));
            TRY(write_id_map(child, "gid_map", spec.gid_mappings));
        }
        if (spec.oom_score_adj) {
            auto adj = TRY(open_file("/proc/" + std::to_string(child) + "/oom_score_adj", O_WRONLY));
            std::string v = std::to_string(*spec.oom_score_adj);
            if (::write(adj.get(), v.data(), v.size()) < 0) return Error::from_syscall("set oom_score_adj");
        }
        ContainerState state;
        state.id = opts.id;
        state.oci_version = spec.oci_version;
        state.pid = child;
        state.start_time = process_start_time(child);
        state.bundle = bundle;
        state.rootfs = spec.root_path;
        state.created = rfc3339_nano(now_nanos());
        state.cgroup_path = cgroup.path();
        state.annotations = spec.annotations;
        state.status = "creating";
        TRY(fail_point("hooks"));
        // The init enters its v1 cgroups itself; hooks may look at them, so wait until it has.
        // Any other message, or none (ECONNRESET when the init died leaving one unread), says why
        // the init did not get ready.
        auto setup_failed = [&](const std::string& msg) {
            if (msg.rfind("error:", 0) == 0) return Error::invalid(msg.substr(6));
            if (cgroup.oom_killed())
                return Error::invalid("container init was killed by the OOM killer during setup: the memory limit is too low");
            return Error::internal("container init exited during setup");
        };
        if (!at_once) (void)parent_end.send("cgroups"); // fails only when the init died: said below
        bool entered_cgroups = false;
        if (has_create_hooks) {
            auto msg = parent_end.receive();
            if (!msg.ok() || *msg != "cgroups entered") return setup_failed(msg.ok() ? *msg : "");
            entered_cgroups = true;
        }
        TRY(run_hooks(spec.hooks.prestart, state.to_json(), "prestart"));
        TRY(run_hooks(spec.hooks.create_runtime, state.to_json(), "createRuntime"));
        if (ctx.wait_for_go) (void)parent_end.send("go");
        timing_point("runtime: go sent");
        // While the init sets up: unless it is yet to report its pid, the state is final now.
        if (!joins_pid) TRY(save_state(rt, state));
        if (opts.while_init_sets_up) TRY(opts.while_init_sets_up());
        Created created;
        created.pid = child;
        // When the init is forked into a joined pid namespace, its "ready" may overtake its
        // parent's "pid:": wait for both.
        bool need_pid = joins_pid, ready = false;
        while (true) {
            int fd = -1;
            auto received = parent_end.receive(&fd);
            std::string msg = received.ok() ? *received : std::string();
            if (msg == "pty") {
                created.pty_master = fd;
                continue;
            }
            if (msg == "mntns") {
                created.mount_namespace = std::make_shared<UniqueFd>(fd);
                continue;
            }
            if (msg == "cgroups entered" && !entered_cgroups) {
                entered_cgroups = true;
                continue;
            }
            if (msg.rfind("pid:", 0) == 0) { // joined a pid namespace: the init is a grandchild
                pid_t intermediate = child;
                child = std::stoi(msg.substr(4));
                created.pid = child;
                ::waitpid(intermediate, nullptr, 0);
                state.pid = child;
                state.start_time = process_start_time(child);
                need_pid = false;
                if (ready) break;
                continue;
            }
            if (msg == "ready") {
                ready = true;
                if (!need_pid) break;
                continue;
            }
            return setup_failed(msg);
        }
        timing_point("runtime: init ready");
        if (after_clone_thread.joinable()) after_clone_thread.join();
        TRY(after_clone);
        timing_point("runtime: after-clone work done");
        TRY(fail_point("ready"));
        if (joins_pid) TRY(save_state(rt, state));
        created.start_time = state.start_time;
        created.started = at_once;
        if (start_on_channel && !at_once) created.start_channel = std::make_shared<Channel>(std::move(parent_end));
        if (!opts.pid_file.empty()) TRY(write_file_atomic(absolute_path(opts.pid_file), std::to_string(child)));
        return created;
    }();
    if (!result.ok()) cleanup();
    return result;
}

namespace {

// Opening exec.fifo for reading lets the init, blocked opening it for writing, go on to exec.
// Non-blocking open, then wait for the init's byte while checking that it is still alive: an
// init that died must not leave `start` waiting forever.
Status release_init(const RuntimeOptions& rt, const std::string& id, pid_t pid, uint64_t start_time) {
    std::string fifo = state_dir(rt, id) + "/exec.fifo";
    auto fd = TRY(open_file(fifo, O_RDONLY | O_NONBLOCK));
    ssize_t n = 0;
    while (true) {
        pollfd p{fd.get(), POLLIN, 0};
        ::poll(&p, 1, 50);
        char c;
        n = ::read(fd.get(), &c, 1);
        if (n == 1) break;
        if (!process_alive(pid, start_time)) break;
    }
    ::unlink(fifo.c_str());
    if (n != 1) return Error::internal("container init exited before it was started");
    return ok();
}

} // namespace

Status start_created(const RuntimeOptions& rt, const std::string& id, const Created& created) {
    if (created.started) return ok();
    if (created.start_channel) {
        if (!created.start_channel->send("start").ok()) return Error::internal("container init exited before it was started");
        return ok();
    }
    if (!rt.no_hooks) return start_container(rt, id); // poststart hooks need the state and spec
    return release_init(rt, id, created.pid, created.start_time);
}

Status start_container(const RuntimeOptions& rt, const std::string& id) {
    auto s = TRY(container_state(rt, id));
    if (s.status != "created") return Error::conflict("cannot start a container that has " + std::string(s.status == "stopped" ? "stopped" : "already started"));
    TRY(release_init(rt, id, s.pid, s.start_time));
    if (rt.no_hooks) return ok();
    auto spec = load_spec(s.bundle);
    if (spec.ok()) {
        s.status = "running";
        TRY(run_hooks(spec->hooks.poststart, s.to_json(), "poststart"));
    }
    return ok();
}

Status kill_container(const RuntimeOptions& rt, const std::string& id, int sig, bool all) {
    auto s = TRY(container_state(rt, id));
    if (s.status == "stopped") return Error::conflict("container not running");
    if (all) return cgroup_of(s).kill_all(sig);
    if (::kill(s.pid, sig) != 0) return Error::from_syscall("kill");
    return ok();
}

Status pause_container(const RuntimeOptions& rt, const std::string& id, bool pause) {
    auto s = TRY(container_state(rt, id));
    if (pause && s.status != "running") return Error::conflict("container not running");
    if (!pause && s.status != "paused") return Error::conflict("container not paused");
    return cgroup_of(s).freeze(pause);
}

Result<std::vector<pid_t>> container_processes(const RuntimeOptions& rt, const std::string& id) {
    auto s = TRY(container_state(rt, id));
    return cgroup_of(s).processes();
}

bool container_oom_killed(const RuntimeOptions& rt, const std::string& id) {
    auto s = container_state(rt, id);
    return s.ok() && cgroup_of(*s).oom_killed();
}

Status delete_container(const RuntimeOptions& rt, const std::string& id, bool force) {
    auto s = TRY(container_state(rt, id));
    if (s.status != "stopped" && s.status != "created" && !force)
        return Error::conflict("cannot delete container " + id + " that is not stopped: " + s.status);
    Cgroup cg = cgroup_of(s);
    if (s.status != "stopped") {
        if (s.status == "paused") (void)cg.freeze(false);
        ::kill(s.pid, SIGKILL);
    }
    TRY(cg.remove()); // kills and waits for anything left
    if (rt.no_hooks) return remove_state_dir(rt, id);
    auto spec = load_spec(s.bundle);
    s.status = "stopped";
    if (spec.ok()) (void)run_hooks(spec->hooks.poststop, s.to_json(), "poststop");
    return remove_state_dir(rt, id);
}

Status delete_reaped_container(const RuntimeOptions& rt, const std::string& id, const std::string& cgroups_path,
                               std::atomic<size_t>* cgroup_claims) {
    if (!rt.no_hooks || !valid_container_id(id)) return delete_container(rt, id, true);
    TRY(remove_reaped_cgroup(id, cgroups_path, cgroup_claims)); // kills and waits for anything left
    return remove_state_dir(rt, id);
}

Status remove_reaped_cgroup(const std::string& id, const std::string& cgroups_path, std::atomic<size_t>* cgroup_claims) {
    return Cgroup(detect_cgroups(), cgroup_path_for(cgroups_path, id)).remove(cgroup_claims);
}

Result<int> parse_signal(const std::string& raw) {
    static const std::map<std::string, int> names = {
        {"HUP", SIGHUP}, {"INT", SIGINT}, {"QUIT", SIGQUIT}, {"ILL", SIGILL}, {"TRAP", SIGTRAP}, {"ABRT", SIGABRT},
        {"BUS", SIGBUS}, {"FPE", SIGFPE}, {"KILL", SIGKILL}, {"USR1", SIGUSR1}, {"SEGV", SIGSEGV}, {"USR2", SIGUSR2},
        {"PIPE", SIGPIPE}, {"ALRM", SIGALRM}, {"TERM", SIGTERM}, {"CHLD", SIGCHLD}, {"CONT", SIGCONT}, {"STOP", SIGSTOP},
        {"TSTP", SIGTSTP}, {"TTIN", SIGTTIN}, {"TTOU", SIGTTOU}, {"URG", SIGURG}, {"XCPU", SIGXCPU}, {"XFSZ", SIGXFSZ},
        {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF}, {"WINCH", SIGWINCH}, {"IO", SIGIO}, {"PWR", SIGPWR}, {"SYS", SIGSYS}};
    if (!raw.empty() && std::all_of(raw.begin(), raw.end(), ::isdigit)) {
        int n = parse_number<int>(raw).value_or(0);
        if (n > 0 && n < 65) return n;
    }
    std::string s = raw;
    for (auto& c : s) c = static_cast<char>(std::toupper(c));
    if (s.rfind("SIG", 0) == 0) s = s.substr(3);
    auto it = names.find(s);
    if (it == names.end()) return Error::invalid("unknown signal \"" + raw + "\"");
    return it->second;
}

} // namespace kouti
