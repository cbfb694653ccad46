// Starting containers: in the foreground, watched by this process; detached, watched by a
// kouti-monitor that outlives us. Either way the OCI spec is written fresh from the stored
// configuration at every start.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <thread>

#include "engine/container_spec.h"
#include "engine/containers.h"
#include "engine/health.h"
#include "engine/links.h"
#include "engine/log_settings.h"
#include "engine/networks.h"
#include "engine/shared_namespaces.h"
#include "engine/volume_mounts.h"
#include "runtime/attach.h"
#include "runtime/container.h"
#include "runtime/monitor.h"
#include "runtime/supervise.h"
#include "store/events.h"
#include "store/images.h"
#include "sys/fs.h"
#include "sys/process.h"
#include "sys/thread_beside.h"
#include "util/humanize.h"
#include "util/timing.h"

namespace kouti {
namespace {

// Docker's exit codes for a process that could not be started.
Error start_error(Error e) {
    if (e.message.find("executable file not found") != std::string::npos)
        e.exit_status = 127;
    else if (e.message.find("permission denied") != std::string::npos)
        e.exit_status = 126;
    else
        e.exit_status = 125;
    // Docker's engine, not its runtime, refuses a working directory that is a file.
    if (e.message.starts_with("Cannot mkdir: ")) return e;
    e.message = "failed to create task for container: " + e.message;
    return e;
}

struct Prepared {
    ContainerRow row;
    std::string bundle, cgroup_path;
    RuntimeOptions rt;
    std::vector<PlannedInterface> interfaces;
    Json config; // the OCI spec written to the bundle
    std::string config_text; // its text, as the bundle's config.json holds it
    ContainerNetworking net; // etc_contents: not yet written when prepared with defer_etc
    LogSettings log;
};

} // namespace

Status release_run_resources(Store& store, const ContainerRow& row) {
    auto network = release_networking(store, row);
    auto volumes = release_volumes_of(store, row);
    return network.ok() ? volumes : network;
}

namespace {

Result<Prepared> prepare(Store& store, const std::string& id, bool restarting = false, const JustCreated* just_created = nullptr,
                         bool defer_etc = false) {
    Prepared p;
    std::vector<LayerRow> chain;
    if (just_created) {
        p.row = just_created->row;
        chain = just_created->image_layers;
    } else {
        p.row = TRY(sync_container(store, id));
        std::string status = p.row.state.value("Status", "");
        if (status == "running" || status == "paused" || (status == "restarting" && !restarting))
            return Error::conflict("container " + p.row.id + " is already running");
        if (status == "removing") return Error::conflict("container is marked for removal and cannot be started");
        auto image = TRY(image_by_id(store.db(), p.row.image_id));
        if (image && !image->top_layer.empty()) chain = TRY(layer_chain(store.db(), image->top_layer));
    }
    // Before anything is set up, as Docker initializes the logging driver: a bad tag fails the start.
    p.log = TRY(log_settings(p.row));
    SpecInputs in;
    TRY(store.driver().before_rw_mount(p.row.layer));
    in.rootfs = store.driver().rw_rootfs(p.row.layer, chain, p.row.config["HostConfig"].value("AutoRemove", false));
    LayerRow rw;
    rw.cache_id = p.row.layer;
    in.rw_dir = store.driver().diff_dir(rw);
    for (const auto& l : chain) in.layer_dirs.push_back(store.driver().diff_dir(l));
    in.cgroup_parent = environment_cgroup_parent();
    in.volumes_dir = store.root() + "/volumes";
    in.init_path = executable_dir() + "/kouti-init";
    in.shared = TRY(shared_namespaces(store, p.row));
    if (p.row.config["HostConfig"].contains("Links"))
        for (const auto& l : TRY(linked_containers(store, p.row))) in.link_env.insert(in.link_env.end(), l.env.begin(), l.env.end());
    TRY(mount_volumes_for(store, p.row));
    auto net = prepare_networking(store, p.row, defer_etc);
    if (!net.ok()) {
        (void)release_volumes_of(store, p.row);
        return std::move(net).error();
    }
    p.net = std::move(*net);
    timing_point("networking prepared");
    p.interfaces = p.net.interfaces;
    in.etc_files = p.net.etc;
    in.netns_path = p.net.netns_path;
    if (!p.net.ports.empty()) p.row.state["Ports"] = p.net.ports;
    auto spec = build_oci_spec(p.row, in);
    if (!spec.ok()) {
        (void)release_run_resources(store, p.row);
        return std::move(spec).error();
    }
    p.cgroup_path = (*spec)["linux"]["cgroupsPath"].get<std::string>();
    p.bundle = container_dir(store, p.row.id);
    p.config = std::move(spec).value();
    p.config_text = p.config.dump();
    p.rt.root = runtime_root(store);
    p.rt.spare_dirs = &store.spare_dirs();
    p.rt.no_hooks = true;
    // What a crashed earlier run left in the runtime is of no use now.
    if (container_state(p.rt, p.row.id).ok()) (void)delete_container(p.rt, p.row.id, true);
    return p;
}

// `exec` reads it; the runtime takes the spec from memory.
Status write_bundle_config(const Prepared& p) { return write_file_atomic(p.bundle + "/config.json", p.config_text, *p.rt.spare_dirs); }

Json running_state(const Json& previous, pid_t pid, uint64_t pid_start_time, pid_t watcher, const std::string& started_at, const std::string& cgroup) {
    Json s = previous;
    s["Status"] = "running";
    s["Running"] = true;
    s["Paused"] = false;
    s["Restarting"] = false;
    s["OOMKilled"] = false;
    s["Dead"] = false;
    s["Pid"] = pid;
    s["PidStartTime"] = pid_start_time;
    s["ExitCode"] = 0;
    s["Error"] = "";
    s["StartedAt"] = started_at;
    s["MonitorPid"] = watcher;
    s["MonitorStartTime"] = process_start_time(watcher);
    s["CgroupPath"] = cgroup;
    s.erase("ManualStop");
    return s;
}

Status record_start(Store& store, const ContainerRow& row, const Json& state) {
    auto tx = TRY(Transaction::begin(store.db()));
    TRY(update_container_state(store.db(), row.id, state));
    TRY(record_container_event(store.db(), row, "start"));
    return tx.commit();
}

// The container runs either way: a health check that cannot start is worth a warning, not a
// failed start.
void health_checks_or_warn(Store& store, const ContainerRow& row, const Json& state) {
    if (auto st = start_health_checks(store, row, state); !st.ok())
        std::fprintf(stderr, "WARNING: the health checks of %s did not start: %s\n", row.id.c_str(), st.error().message.c_str());
}

bool logs_enabled(const Json& hc) { return hc.value("LogConfig", Json::object()).value("Type", "json-file") != "none"; }

} // namespace

Result<int> start_attached(Store& store, const std::string& id, const AttachOptions& opts, const JustCreated* just_created) {
    // A checkpoint runs beside the container's start (db.h) when one would be due before this
    // run ends (its start and removal add about half as many frames): one due later would be
    // waited for at its removal.
    store.db().checkpoint_in_background(Db::kCheckpointFrames / 2);
    Prepared p = TRY(prepare(store, id, false, just_created, true));
    timing_point("bundle written");
    const Json& c = p.row.config["Config"];
    const Json& hc = p.row.config["HostConfig"];
    bool tty = c.value("Tty", false), rm = hc.value("AutoRemove", false);
    std::optional<JsonLog> log;
    // A --rm container's log would be deleted at once: its output goes straight to ours.
    if (logs_enabled(hc) && !rm) log.emplace(TRY(JsonLog::open(log_path(store, p.row.id), p.log)));
    CreateOptions co;
    co.id = p.row.id;
    co.bundle = p.bundle;
    co.terminal_to_caller = tty;
    co.config = &p.config;
    co.config_text = &p.config_text;
    co.start_in_process = true;
    co.start_at_once = true;
    co.hold_mount_namespace = rm;
    UniqueFd netns;
    if (just_created && just_created->netns) {
        netns = TRY(just_created->netns->take());
        co.netns_fd = netns.get();
    }
    UniqueFd devnull(::open("/dev/null", O_RDWR | O_CLOEXEC));
    UniqueFd out_r, out_w, err_r, err_w;
    if (!tty) {
        co.stdio[0] = opts.stdin_open ? 0 : devnull.get();
        if (log || !opts.attach_output) {
            int o[2], e[2];
            if (::pipe2(o, O_CLOEXEC) != 0 || ::pipe2(e, O_CLOEXEC) != 0) return Error::from_syscall("pipe");
            out_r.reset(o[0]);
            out_w.reset(o[1]);
            err_r.reset(e[0]);
            err_w.reset(e[1]);
            co.stdio[1] = out_w.get();
            co.stdio[2] = err_w.get();
        }
    }
    auto network_context = [](Status st) -> Status { return st.ok() ? st : std::move(st).error().context("network"); };
    if (!p.interfaces.empty() && netns.valid())
        co.network_setup = [&] { return network_context(join_networks_at(netns.get(), p.interfaces)); };
    else if (!p.interfaces.empty())
        co.after_clone = [&](pid_t pid) { return network_context(join_networks(pid, p.interfaces)); };
    co.before_init_mounts = [&] { return write_etc_contents(p.net); };
    co.while_init_sets_up = [&] { return write_bundle_config(p); };
    auto created = create_container(p.rt, co);
    timing_point("runtime created the container");
    out_w.reset();
    err_w.reset();
    if (!created.ok()) {
        (void)release_run_resources(store, p.row);
        return start_error(std::move(created).error());
    }
    if (rm) {
        // Held past the exit (its init sends it: by now the process may have ended): the
        // container's mount namespace is then torn down (its mounts, two RCU grace periods: the
        // namespace's and overlayfs's) by the child that finishes the staging area after we exit,
        // not by the container's exit, which we wait for.
        if (created->mount_namespace && created->mount_namespace->valid())
            if (auto staging = store.stage(); staging.ok()) (*staging)->release_after_exit(std::move(*created->mount_namespace));
    }
    std::string started_at = rfc3339_nano(now_nanos());
    if (auto st = start_created(p.rt, p.row.id, *created); !st.ok()) {
        (void)delete_container(p.rt, p.row.id, true);
        (void)release_run_resources(store, p.row);
        return start_error(std::move(st).error());
    }
    Json state = running_state(p.row.state, created->pid, created->start_time, ::getpid(), started_at, p.cgroup_path);
    timing_point("started");
    TRY(record_start(store, p.row, state));
    timing_point("start recorded");
    health_checks_or_warn(store, p.row, state);
    // Or, due from that commit, while the container runs.
    store.db().checkpoint_in_background();
    ContainerStreams streams;
    streams.tty_master = created->pty_master;
    streams.out = out_r.get();
    streams.err = err_r.get();
    SuperviseOptions so;
    so.forward_signals = opts.sig_proxy;
    so.raw_terminal = tty && opts.stdin_open;
    so.stdin_fd = tty && opts.stdin_open ? 0 : -1;
    so.out_fd = opts.attach_output ? 1 : -1;
    so.err_fd = opts.attach_output ? 2 : -1;
    so.log = log ? &*log : nullptr;
    so.detach_keys = tty && opts.stdin_open ? opts.detach_keys : "";
    auto outcome = TRY(supervise(created->pid, streams, so));
    timing_point("exited");
    if (outcome.detached) {
        if (created->pty_master >= 0) ::close(created->pty_master);
        return -1;
    }
    if (created->pty_master >= 0) ::close(created->pty_master);
    if (rm) {
        // Removed right away: its exit need not be recorded first. The runtime's cgroups and
        // state and the store's row and layer are independent: they go side by side.
        // Its cgroup's directories are shared out: this thread takes those left once its own part is done.
        std::atomic<size_t> cgroup_claims{0};
        ThreadBeside runtime_cleanup([&] {
            (void)delete_reaped_container(p.rt, p.row.id, p.cgroup_path, &cgroup_claims);
            timing_point("removal: runtime state deleted");
        });
        TRY(remove_exited_container(store, p.row, true, false, outcome.exit_code));
        (void)remove_reaped_cgroup(p.row.id, p.cgroup_path, &cgroup_claims);
        runtime_cleanup.join();
        timing_point("removed");
        return outcome.exit_code;
    }
    bool oom = container_oom_killed(p.rt, p.row.id);
    (void)delete_container(p.rt, p.row.id, true);
    timing_point("runtime state deleted");
    {
        auto tx = TRY(Transaction::begin(store.db()));
        Json s = state;
        s["Status"] = "exited";
        s["Running"] = false;
        s["Pid"] = 0;
        s["ExitCode"] = outcome.exit_code;
        s["OOMKilled"] = oom;
        s["FinishedAt"] = rfc3339_nano(now_nanos());
        fold_health(store, p.row.id, s, true);
        ::unlink((container_run_dir(store, p.row.id) + "/" + kHealthFile).c_str());
        TRY(update_container_state(store.db(), p.row.id, s));
        TRY(record_container_event(store.db(), p.row, "die", Json{{"exitCode", outcome.exit_code}}));
        TRY(tx.commit());
    }
    TRY(release_run_resources(store, p.row));
    return outcome.exit_code;
}

Status start_detached(Store& store, const std::string& id) { return start_monitor(store, id, nullptr); }

Status start_monitor(Store& store, const std::string& id, UniqueFd* attached) { return start_monitor(store, id, attached, false); }

Status start_monitor(Store& store, const std::string& id, UniqueFd* attached, bool restarting) {
    Prepared p = TRY(prepare(store, id, restarting));
    if (auto st = write_bundle_config(p); !st.ok()) { // the monitor's runtime reads it
        (void)release_run_resources(store, p.row);
        return st;
    }
    const Json& hc = p.row.config["HostConfig"];
    std::string run = container_run_dir(store, p.row.id);
    TRY(mkdir_p(run, 0700));
    auto starting = FileLock::acquire(run + "/" + kStartingLock, false, false);
    if (!starting.ok()) {
        (void)release_run_resources(store, p.row);
        return Error::conflict("container is marked for removal and cannot be started");
    }
    ::unlink((run + "/" + kExitFile).c_str());
    ::unlink((run + "/" + kMonitorFile).c_str());
    MonitorOptions mo;
    mo.runtime_root = p.rt.root;
    mo.id = p.row.id;
    mo.bundle = p.bundle;
    mo.run_dir = run;
    if (logs_enabled(hc)) mo.log_path = log_path(store, p.row.id);
    mo.log_settings = p.log;
    mo.tty = p.row.config["Config"].value("Tty", false);
    mo.stdin_open = p.row.config["Config"].value("OpenStdin", false);
    mo.wait_attach = attached != nullptr;
    for (const auto& itf : p.interfaces) mo.interfaces.push_back(itf.to_json());
    std::string exe = executable_dir() + "/kouti";
    mo.exit_command = {exe, "--root", store.root(), "--runroot", store.runroot(), "container", "cleanup", p.row.id};
    std::string arg = mo.to_json().dump();

    int sync[2];
    if (::pipe2(sync, O_CLOEXEC) != 0) return Error::from_syscall("pipe");
    UniqueFd sync_r(sync[0]), sync_w(sync[1]);
    // Detached from our session and process tree: killing this kouti never kills it.
    auto spawned = spawn_detached(exe, {"kouti-monitor-start", arg, "3"}, sync_w.get());
    sync_w.reset();
    if (!spawned.ok()) {
        (void)release_run_resources(store, p.row);
        return std::move(spawned).error().context("monitor");
    }
    std::string answer;
    char buf[4096];
    ssize_t n;
    while ((n = ::read(sync_r.get(), buf, sizeof buf)) > 0) {
        answer.append(buf, static_cast<size_t>(n));
        if (attached && answer.rfind("attach-ready\n", 0) == 0) {
            // Connected before the container starts, so no output is missed.
            *attached = TRY(connect_attach(run));
            answer.erase(0, 13);
        }
    }
    if (answer != "ok") {
        (void)release_run_resources(store, p.row);
        if (answer.rfind("error ", 0) == 0) {
            size_t sp = answer.find(' ', 6);
            Error e = Error::internal(answer.substr(sp == std::string::npos ? answer.size() : sp + 1));
            e = start_error(std::move(e));
            return e;
        }
        return Error::internal("the container's monitor failed to start");
    }
    // Recorded only while the monitor's file is still there: if the container already exited
    // and its cleanup folded the exit in, that is the newer truth.
    auto tx = TRY(Transaction::begin(store.db()));
    auto started = read_file(run + "/" + kMonitorFile);
    Json state;
    if (started.ok()) {
        Json m = Json::parse(*started, nullptr, false);
        if (m.is_object()) {
            state = running_state(p.row.state, m.value("Pid", 0), m.value("PidStartTime", uint64_t{0}), m.value("MonitorPid", 0), m.value("StartedAt", ""), p.cgroup_path);
            TRY(update_container_state(store.db(), p.row.id, state));
        }
    }
    TRY(record_container_event(store.db(), p.row, "start"));
    TRY(tx.commit());
    if (state.is_object()) health_checks_or_warn(store, p.row, state);
    return ok();
}

Status cleanup_container(Store& store, const std::string& id) {
    auto row = TRY(sync_container(store, id));
    const Json& hc = row.config["HostConfig"];
    if (row.state.value("Status", "") != "exited") return ok();
    if (hc.value("AutoRemove", false)) return remove_container(store, id, true, true);
    if (row.state.value("ManualStop", false)) return ok();
    Json policy = hc.value("RestartPolicy", Json::object());
    std::string name = policy.value("Name", "no");
    int code = row.state.value("ExitCode", 0);
    int count = row.state.value("RestartCount", 0);
    bool again = name == "always" || name == "unless-stopped" ||
                 (name == "on-failure" && code != 0 && (policy.value("MaximumRetryCount", 0) == 0 || count < policy.value("MaximumRetryCount", 0)));
    if (!again) return ok();
    {
        auto tx = TRY(Transaction::begin(store.db()));
        Json s = row.state;
        s["Status"] = "restarting";
        s["Restarting"] = true;
        s["RestartCount"] = count + 1;
        TRY(update_container_state(store.db(), id, s));
        TRY(tx.commit());
    }
    // Docker's back-off: 100 ms, doubling, at most a minute.
    int64_t delay = std::min<int64_t>(100LL << std::min(count, 10), 60000);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay));
    auto again_row = TRY(container_by_id(store.db(), id));
    if (!again_row || again_row->state.value("Status", "") != "restarting") return ok(); // stopped or removed meanwhile
    // It stays "restarting" until the new start is recorded as running.
    auto started = start_monitor(store, id, nullptr, true);
    if (!started.ok()) {
        auto tx = TRY(Transaction::begin(store.db()));
        Json s = again_row->state;
        s["Status"] = "exited";
        s["Restarting"] = false;
        s["Error"] = started.error().message;
        TRY(update_container_state(store.db(), id, s));
        TRY(tx.commit());
    }
    return started;
}

} // namespace kouti
