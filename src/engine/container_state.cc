// What state a container is in. The store records transitions made by kouti commands; the
// runtime side (a monitor's monitor.json/exit.json, the process table, the freezer) says what
// happened since. observe_state() merges them without writing; sync_container() writes back.
#include <unistd.h>

#include "engine/containers.h"
#include "engine/health.h"
#include "engine/networks.h"
#include "runtime/cgroups.h"
#include "runtime/monitor.h"
#include "store/events.h"
#include "sys/fs.h"
#include "sys/process.h"
#include "util/humanize.h"

namespace kouti {
namespace {

Json read_json_file(const std::string& path) {
    auto text = read_file(path);
    if (!text.ok()) return Json();
    auto j = Json::parse(*text, nullptr, false);
    return j.is_discarded() ? Json() : j;
}

const CgroupLayout& cgroups() {
    static const CgroupLayout layout = detect_cgroups();
    return layout;
}

void mark_exited(Json& s) {
    s["Status"] = "exited";
    s["Running"] = false;
    s["Paused"] = false;
    s["Restarting"] = false;
    s["Pid"] = 0;
}

} // namespace

void fold_health(const Store& store, const std::string& id, Json& s, bool exited) {
    Json h = read_json_file(container_run_dir(store, id) + "/" + kHealthFile);
    if (h.is_object()) s["Health"] = h;
    // As Docker: a health check that stopped leaves the container unhealthy.
    if (exited && s.contains("Health") && s["Health"].is_object()) s["Health"]["Status"] = "unhealthy";
}

std::set<std::string> containers_with_runtime_files(const Store& store) {
    auto names = list_dir(store.runroot() + "/containers");
    if (!names.ok()) return {};
    return {names->begin(), names->end()};
}

bool state_needs_observing(const std::string& stored_status, const std::string& id, const std::set<std::string>& with_runtime_files) {
    bool live = stored_status == "running" || stored_status == "paused" || stored_status == "restarting";
    return live || with_runtime_files.count(id) > 0;
}

Json observe_state(const Store& store, const ContainerRow& row) {
    Json s = row.state;
    std::string status = s.value("Status", "created");
    if (status == "removing" || status == "dead") return s;
    std::string run = container_run_dir(store, row.id);
    // A stopped container has no runtime files unless a start is under way: one stat, no reads.
    bool live = status == "running" || status == "paused" || status == "restarting";
    if (!live && ::access((run + "/" + kMonitorFile).c_str(), F_OK) != 0 && ::access((run + "/" + kExitFile).c_str(), F_OK) != 0)
        return s;
    Json exited = read_json_file(run + "/" + kExitFile);
    Json started = read_json_file(run + "/" + kMonitorFile);
    if (started.is_object() && (status != "running" || s.value("Pid", 0) != started.value("Pid", 0))) {
        for (const char* k : {"Pid", "PidStartTime", "StartedAt", "MonitorPid", "MonitorStartTime"}) s[k] = started[k];
        status = "running";
    }
    if (exited.is_object()) {
        mark_exited(s);
        s["ExitCode"] = exited.value("ExitCode", 255);
        s["FinishedAt"] = exited.value("FinishedAt", rfc3339_nano(now_nanos()));
        s["OOMKilled"] = exited.value("OOMKilled", false);
        fold_health(store, row.id, s, true);
        return s;
    }
    if (status != "running" && status != "paused") return s;
    pid_t pid = s.value("Pid", 0);
    bool watcher_alive = process_alive(s.value("MonitorPid", 0), s.value("MonitorStartTime", uint64_t{0}));
    if (!process_alive(pid, s.value("PidStartTime", uint64_t{0})) && watcher_alive) {
        s["Status"] = "running"; // exited a moment ago; its watcher is about to record how
        s["Running"] = true;
        return s;
    }
    if (!process_alive(pid, s.value("PidStartTime", uint64_t{0}))) {
        // Nobody saw it exit: its watcher was killed. The exit code is lost.
        mark_exited(s);
        s["ExitCode"] = 255;
        s["Error"] = "the process watching the container was killed; its exit code is unknown";
        s["FinishedAt"] = rfc3339_nano(now_nanos());
        fold_health(store, row.id, s, true);
        return s;
    }
    fold_health(store, row.id, s, false);
    std::string cg = s.value("CgroupPath", "");
    bool paused = !cg.empty() && Cgroup(cgroups(), cg).frozen();
    s["Status"] = paused ? "paused" : "running";
    s["Running"] = true;
    s["Paused"] = paused;
    return s;
}

Status record_container_event(Db& db, const ContainerRow& row, const std::string& action, const Json& extra) {
    Json attributes = Json::object();
    const Json& config = row.config.contains("Config") ? row.config["Config"] : Json::object();
    if (config.contains("Labels") && config["Labels"].is_object())
        for (auto& [k, v] : config["Labels"].items()) attributes[k] = v;
    attributes["image"] = config.value("Image", "");
    attributes["name"] = row.name;
    for (auto& [k, v] : extra.items()) attributes[k] = v;
    return record_event(db, "container", action, row.id, attributes);
}

Result<ContainerRow> sync_container(Store& store, const std::string& id) {
    auto tx = TRY(Transaction::begin(store.db()));
    auto found = TRY(container_by_id(store.db(), id));
    if (!found) return Error::not_found("No such container: " + id);
    ContainerRow row = std::move(*found);
    Json s = observe_state(store, row);
    bool died = s.value("Status", "") == "exited" && row.state.value("Status", "") != "exited";
    if (s != row.state) {
        TRY(update_container_state(store.db(), id, s));
        if (died) TRY(record_container_event(store.db(), row, "die", Json{{"exitCode", s.value("ExitCode", 0)}}));
        row.state = s;
    }
    if (s.value("Status", "") == "exited") {
        std::string run = container_run_dir(store, id);
        ::unlink((run + "/" + kExitFile).c_str());
        ::unlink((run + "/" + kMonitorFile).c_str());
        ::unlink((run + "/" + kHealthFile).c_str());
    }
    TRY(tx.commit());
    // Its ports and addresses are free for others from now on (also when nobody saw it exit).
    if (died) TRY(release_run_resources(store, row));
    return row;
}

Status sync_all(Store& store) {
    auto rows = TRY(all_containers(store.db()));
    for (const auto& r : rows) {
        std::string st = r.state.value("Status", "");
        bool files = path_exists(container_run_dir(store, r.id) + "/" + kExitFile) ||
                     path_exists(container_run_dir(store, r.id) + "/" + kMonitorFile);
        if (st == "running" || st == "paused" || st == "restarting" || files) TRY(sync_container(store, r.id));
    }
    return ok();
}

} // namespace kouti
