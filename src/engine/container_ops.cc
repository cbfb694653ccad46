// stop, kill, pause, rm, rename, wait.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <optional>
#include <thread>

#include "engine/container_spec.h"
#include "engine/containers.h"
#include "engine/networks.h"
#include "engine/volumes.h"
#include "runtime/cgroups.h"
#include "runtime/container.h"
#include "runtime/monitor.h"
#include "store/events.h"
#include "sys/fs.h"
#include "sys/process.h"
#include "util/humanize.h"
#include "util/timing.h"

namespace kouti {
namespace {

bool is_running(const Json& s) {
    std::string st = s.value("Status", "");
    return st == "running" || st == "paused";
}

Status signal_container(const ContainerRow& row, const Json& state, int sig, bool all) {
    RuntimeOptions rt;
    (void)rt;
    pid_t pid = state.value("Pid", 0);
    if (state.value("Status", "") == "paused") {
        // A frozen process cannot act on a signal; SIGKILL and stop must still work.
        std::string cg = state.value("CgroupPath", "");
        if (!cg.empty() && (sig == SIGKILL || all)) (void)Cgroup(detect_cgroups(), cg).freeze(false);
    }
    if (all) {
        std::string cg = state.value("CgroupPath", "");
        if (!cg.empty()) return Cgroup(detect_cgroups(), cg).kill_all(sig);
    }
    if (pid <= 0 || !process_alive(pid, state.value("PidStartTime", uint64_t{0})))
        return Error::conflict("Container " + row.id + " is not running");
    if (::kill(pid, sig) != 0) return Error::from_syscall("kill");
    return ok();
}

// Polls until the container is no longer running or the deadline passes.
bool wait_stopped(Store& store, const ContainerRow& row, int64_t deadline_ns) {
    while (true) {
        if (!is_running(observe_state(store, row))) return true;
        if (deadline_ns >= 0 && now_nanos() >= deadline_ns) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

Status set_state_flag(Store& store, const std::string& id, const char* key, const Json& value) {
    auto tx = TRY(Transaction::begin(store.db()));
    auto row = TRY(container_by_id(store.db(), id));
    if (!row) return Error::not_found("No such container: " + id);
    row->state[key] = value;
    TRY(update_container_state(store.db(), id, row->state));
    return tx.commit();
}

} // namespace

Result<StopResult> stop_container(Store& store, const std::string& name, int timeout, bool has_timeout, const std::string& signal) {
    std::optional<int> given;
    if (!signal.empty()) {
        auto parsed = parse_signal(signal);
        if (!parsed.ok()) return Error::invalid("Invalid signal: " + signal);
        given = *parsed;
    }
    auto found = TRY(resolve_container(store.db(), name));
    auto row = TRY(sync_container(store, found.id));
    StopResult result;
    if (row.state.value("Status", "") == "restarting") {
        TRY(set_state_flag(store, row.id, "ManualStop", true));
        TRY(set_state_flag(store, row.id, "Status", "exited"));
        return result;
    }
    if (!is_running(row.state)) return result;
    TRY(set_state_flag(store, row.id, "ManualStop", true));
    const Json& c = row.config["Config"];
    if (!has_timeout) timeout = c.contains("StopTimeout") && c["StopTimeout"].is_number() ? c["StopTimeout"].get<int>() : 10;
    int sig = SIGTERM;
    if (given) sig = *given;
    else if (!c.value("StopSignal", "").empty()) sig = TRY(parse_signal(c["StopSignal"].get<std::string>()));
    (void)signal_container(row, row.state, sig, false);
    if (row.state.value("Status", "") == "paused") (void)signal_container(row, row.state, SIGCONT, true);
    int64_t deadline = timeout < 0 ? -1 : now_nanos() + int64_t{timeout} * 1000000000;
    if (!wait_stopped(store, row, deadline)) {
        result.killed = true;
        (void)signal_container(row, row.state, SIGKILL, true);
        wait_stopped(store, row, -1);
    }
    TRY(sync_container(store, row.id));
    auto tx = TRY(Transaction::begin(store.db()));
    TRY(record_container_event(store.db(), row, "stop"));
    TRY(tx.commit());
    return result;
}

Status kill_container(Store& store, const std::string& name, const std::string& signal) {
    auto found = TRY(resolve_container(store.db(), name));
    auto row = TRY(sync_container(store, found.id));
    std::string given = signal.empty() ? "KILL" : signal;
    auto parsed = parse_signal(given);
    if (!parsed.ok()) {
        // Docker takes any number, then finds the kernel has no such signal.
        if (std::all_of(given.begin(), given.end(), ::isdigit))
            return Error::invalid("Cannot kill container: " + name + ": The linux daemon does not support signal " + given);
        return Error::invalid("Invalid signal: " + given);
    }
    int sig = *parsed;
    if (!is_running(row.state)) return Error::conflict("Cannot kill container: " + name + ": Container " + row.id + " is not running");
    if (sig == SIGKILL || sig == SIGTERM) TRY(set_state_flag(store, row.id, "ManualStop", true));
    TRY(signal_container(row, row.state, sig, false));
    auto tx = TRY(Transaction::begin(store.db()));
    TRY(record_container_event(store.db(), row, "kill", Json{{"signal", std::to_string(sig)}}));
    TRY(tx.commit());
    if (sig == SIGKILL) wait_stopped(store, row, now_nanos() + 10 * int64_t{1000000000});
    return ok();
}

Status pause_container(Store& store, const std::string& name, bool pause) {
    auto found = TRY(resolve_container(store.db(), name));
    auto row = TRY(sync_container(store, found.id));
    std::string status = row.state.value("Status", "");
    if (pause && status == "paused") return Error::conflict("Container " + row.id + " is already paused");
    if (pause && status != "running") return Error::conflict("Container " + row.id + " is not running");
    if (!pause && status != "paused") return Error::conflict("Container " + row.id + " is not paused");
    TRY(Cgroup(detect_cgroups(), row.state.value("CgroupPath", "")).freeze(pause));
    auto tx = TRY(Transaction::begin(store.db()));
    row.state["Status"] = pause ? "paused" : "running";
    row.state["Paused"] = pause;
    TRY(update_container_state(store.db(), row.id, row.state));
    TRY(record_container_event(store.db(), row, pause ? "pause" : "unpause"));
    return tx.commit();
}

Status remove_container(Store& store, const std::string& name, bool force, bool volumes) {
    auto found = TRY(resolve_container(store.db(), name));
    // A start under way (in a monitor whose client may have been killed) ends first: the
    // container then runs, and is killed below, or never started.
    auto starting = FileLock::acquire(container_run_dir(store, found.id) + "/" + kStartingLock, true, true);
    auto row = TRY(sync_container(store, found.id));
    if (is_running(row.state) || row.state.value("Status", "") == "restarting") {
        if (!force)
            return Error::conflict("You cannot remove a " + row.state.value("Status", "running") + " container " + row.id +
                                   ". Stop the container before attempting removal or force remove");
        TRY(set_state_flag(store, row.id, "ManualStop", true));
        if (is_running(row.state)) {
            (void)signal_container(row, row.state, SIGKILL, true);
            wait_stopped(store, row, now_nanos() + 10 * int64_t{1000000000});
        }
    }
    return remove_exited_container(store, row, volumes);
}

// Where the container's cgroup is or would be: recorded at its start, else as its spec would say.
static std::string cgroup_path_of(const ContainerRow& row) {
    std::string recorded = row.state.value("CgroupPath", "");
    return recorded.empty() ? container_cgroup_path(row, environment_cgroup_parent()) : recorded;
}

Status remove_exited_container(Store& store, const ContainerRow& row, bool volumes, bool runtime_state, std::optional<int> exit_code) {
    auto staging = TRY(store.stage());
    TRY(release_run_resources(store, row)); // its published ports; the leases go with the row
    {
        auto tx = TRY(Transaction::begin(store.db()));
        TRY(delete_container_row(store.db(), row.id, has_endpoints(row)));
        if (exit_code) TRY(record_container_event(store.db(), row, "die", Json{{"exitCode", *exit_code}}));
        TRY(record_container_event(store.db(), row, "destroy"));
        TRY(tx.commit());
    }
    timing_point("removal: row deleted");
    // The row is gone: what follows only frees space, and a crash here leaves files the
    // store's check removes.
    RuntimeOptions rt;
    rt.root = runtime_root(store);
    rt.spare_dirs = &store.spare_dirs();
    if (runtime_state) {
        if (container_state(rt, row.id).ok())
            (void)delete_container(rt, row.id, true);
        else { // a kouti killed while it created the container left its cgroup and the runtime's
               // directory, but no state to find them by
            (void)Cgroup(detect_cgroups(), cgroup_path_of(row)).remove();
            (void)move_aside_or_remove(rt.root + "/" + row.id, staging->fresh("rm"), store.spare_dirs());
        }
    }
    stop_health_checks(store, row);
    LayerRow rw;
    rw.cache_id = row.layer;
    // Moved into this process's staging area, which a child takes apart after we exit.
    if (!row.layer.empty()) (void)store.driver().unpublish(rw, staging->fresh("rm"));
    store.spare_dirs().recycle_file(container_dir(store, row.id) + "/config.json"); // no container sees it
    (void)move_aside_or_remove(container_dir(store, row.id), staging->fresh("rm"), store.spare_dirs());
    (void)move_aside_or_remove(container_run_dir(store, row.id), staging->fresh("rm"), store.spare_dirs());
    timing_point("removal: directories moved aside");
    if (volumes)
        for (const auto& v : row.config.value("AnonymousVolumes", Json::array())) (void)remove_volume(store, v.get<std::string>(), true);
    return ok();
}

void remove_orphaned_runtime_state(Store& store) {
    RuntimeOptions rt;
    rt.root = runtime_root(store);
    rt.spare_dirs = &store.spare_dirs();
    auto ids = list_dir(rt.root);
    if (!ids.ok()) return;
    for (const auto& id : *ids) {
        if (id.empty() || id[0] == '@') continue; // the runtime's own (@seccomp-cache)
        auto row = container_by_id(store.db(), id);
        if (!row.ok() || *row) continue;
        if (container_state(rt, id).ok()) {
            (void)delete_container(rt, id, true);
            continue;
        }
        ContainerRow gone; // its HostConfig is gone with it: the default parent is the best guess
        gone.id = id;
        gone.config = Json{{"HostConfig", Json::object()}};
        (void)Cgroup(detect_cgroups(), cgroup_path_of(gone)).remove();
        if (auto staging = store.stage(); staging.ok())
            (void)move_aside_or_remove(rt.root + "/" + id, (*staging)->fresh("rm"), store.spare_dirs());
    }
}

Status remove_link(Store& store, const std::string& link) {
    std::string name = link.empty() || link[0] != '/' ? "/" + link : link;
    size_t slash = name.rfind('/');
    if (slash == 0) return Error::conflict("Conflict, cannot remove the default link name of the container");
    std::string parent = name.substr(1, slash - 1);
    auto tx = TRY(Transaction::begin(store.db()));
    auto found = resolve_container(store.db(), parent);
    if (!found.ok()) return Error::not_found("Cannot get parent /" + parent + " for link name " + name);
    Json hc = found->config["HostConfig"];
    Json kept = Json::array();
    bool removed = false;
    for (const auto& l : hc.value("Links", Json::array())) {
        std::string s = l.get<std::string>();
        bool this_one = s.size() > name.size() && s.compare(s.size() - name.size() - 1, std::string::npos, ":" + name) == 0;
        removed = removed || this_one;
        if (!this_one) kept.push_back(l);
    }
    if (!removed) return Error::not_found("No such container: " + name);
    hc["Links"] = kept.empty() ? Json() : kept;
    TRY(update_host_config(store.db(), found->id, hc));
    return tx.commit();
}

Status rename_container_to(Store& store, const std::string& name, const std::string& new_name) {
    auto tx = TRY(Transaction::begin(store.db()));
    auto row = TRY(resolve_container(store.db(), name));
    std::string target = new_name[0] == '/' ? new_name.substr(1) : new_name;
    if (target == row.name) return Error::invalid("Renaming a container with the same name as its current name");
    if (TRY(container_name_taken(store.db(), target)))
        return Error::conflict("Error when allocating new name: Conflict. The container name \"/" + target +
                               "\" is already in use by container. You have to remove (or rename) that container to be able to reuse that name.");
    bool valid = target.size() >= 2 && std::isalnum(static_cast<unsigned char>(target[0]));
    for (char ch : target) valid = valid && (std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '.' || ch == '-');
    if (!valid) return Error::usage("Invalid container name (" + target + "), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
    TRY(rename_container(store.db(), row.id, target));
    TRY(record_container_event(store.db(), row, "rename", Json{{"name", target}, {"oldName", "/" + row.name}}));
    return tx.commit();
}

Result<int> wait_container(Store& store, const std::string& name) {
    auto row = TRY(resolve_container(store.db(), name));
    while (true) {
        Json s = observe_state(store, row);
        std::string st = s.value("Status", "");
        if (st != "running" && st != "paused" && st != "restarting") {
            if (st == "exited") (void)sync_container(store, row.id);
            return s.value("ExitCode", 0);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        // A restarting container gets a new state row: read it again.
        auto again = TRY(container_by_id(store.db(), row.id));
        if (!again) return s.value("ExitCode", 0);
        row = std::move(*again);
    }
}

} // namespace kouti
