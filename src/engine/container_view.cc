// How containers look from outside: `ps` rows and `inspect` JSON, as Docker prints them.
#include <algorithm>
#include <set>

#include "engine/binds.h"
#include "engine/container_spec.h"
#include "engine/containers.h"
#include "engine/health.h"
#include "engine/networks.h"
#include "engine/images.h"
#include "store/images.h"
#include "util/humanize.h"

namespace kouti {
namespace {

std::string status_text(const std::string& status, int exit_code, const std::string& started_at, const std::string& finished_at,
                        int64_t now) {
    std::string st = status.empty() ? "created" : status;
    auto since = [&](const std::string& when) {
        int64_t t = parse_rfc3339(when);
        return t <= 0 ? std::string("Less than a second") : human_duration((now - t) / 1000000000);
    };
    if (st == "running") return "Up " + since(started_at);
    if (st == "paused") return "Up " + since(started_at) + " (Paused)";
    if (st == "restarting") return "Restarting (" + std::to_string(exit_code) + ") " + since(finished_at) + " ago";
    if (st == "exited") {
        if (parse_rfc3339(finished_at) <= 0) return "Created";
        return "Exited (" + std::to_string(exit_code) + ") " + since(finished_at) + " ago";
    }
    if (st == "removing") return "Removal In Progress";
    if (st == "dead") return "Dead";
    return "Created";
}

Json docker_state(const Json& s) {
    Json j{{"Status", s.value("Status", "created")}, {"Running", s.value("Running", false)},
                {"Paused", s.value("Paused", false)},    {"Restarting", s.value("Restarting", false)},
                {"OOMKilled", s.value("OOMKilled", false)}, {"Dead", s.value("Dead", false)},
                {"Pid", s.value("Pid", 0)},              {"ExitCode", s.value("ExitCode", 0)},
                {"Error", s.value("Error", "")},         {"StartedAt", s.value("StartedAt", "0001-01-01T00:00:00Z")},
                {"FinishedAt", s.value("FinishedAt", "0001-01-01T00:00:00Z")}};
    if (s.contains("Health") && s["Health"].is_object()) j["Health"] = s["Health"];
    return j;
}

// What Go's omitempty leaves out: null, false, 0, "" and empty lists and maps.
bool omitted_when_empty(const Json& v) {
    if (v.is_null()) return true;
    if (v.is_boolean()) return !v.get<bool>();
    if (v.is_number()) return v == 0;
    if (v.is_string()) return v.get_ref<const std::string&>().empty();
    return v.empty();
}

// HostConfig as Docker's inspect shows it: its fields in its order, a default for each one
// kouti does not record, null for an empty list Docker leaves nil, and the fields Docker omits
// when empty only when set. Anything else recorded follows.
Json docker_host_config(const Json& hc) {
    bool privileged = hc.value("Privileged", false);
    Json masked = privileged ? Json() : hc.contains("MaskedPaths") ? hc["MaskedPaths"] : Json(docker_masked_paths());
    Json readonly = privileged ? Json() : hc.contains("ReadonlyPaths") ? hc["ReadonlyPaths"] : Json(docker_readonly_paths());
    struct Field {
        const char* name;
        Json fallback;
        bool null_when_empty = false, omit_when_empty = false;
    };
    const Json none;
    const std::vector<Field> fields = {
        {"Binds", none, true}, {"ContainerIDFile", ""}, {"LogConfig", {{"Type", "json-file"}, {"Config", Json::object()}}},
        {"NetworkMode", "bridge"}, {"PortBindings", Json::object()}, {"RestartPolicy", {{"Name", "no"}, {"MaximumRetryCount", 0}}},
        {"AutoRemove", false}, {"VolumeDriver", ""}, {"VolumesFrom", none, true}, {"CapAdd", none, true}, {"CapDrop", none, true}, {"CgroupnsMode", "private"},
        {"Dns", Json::array()}, {"DnsOptions", Json::array()}, {"DnsSearch", Json::array()}, {"ExtraHosts", none, true},
        {"GroupAdd", none, true}, {"IpcMode", "private"}, {"Cgroup", ""}, {"Links", none, true}, {"OomScoreAdj", 0},
        {"PidMode", ""}, {"Privileged", false}, {"PublishAllPorts", false}, {"ReadonlyRootfs", false},
        {"SecurityOpt", none}, {"StorageOpt", none, false, true}, {"Tmpfs", none, false, true}, {"UTSMode", ""},
        {"UsernsMode", ""}, {"ShmSize", 67108864}, {"Sysctls", none, false, true}, {"Runtime", "kouti"},
        {"ConsoleSize", {0, 0}}, {"Annotations", none, false, true}, {"Isolation", ""}, {"CpuShares", 0}, {"Memory", 0}, {"NanoCpus", 0}, {"CgroupParent", ""}, {"BlkioWeight", 0},
        {"BlkioWeightDevice", Json::array()}, {"BlkioDeviceReadBps", Json::array()}, {"BlkioDeviceWriteBps", Json::array()},
        {"BlkioDeviceReadIOps", Json::array()}, {"BlkioDeviceWriteIOps", Json::array()}, {"CpuPeriod", 0}, {"CpuQuota", 0},
        {"CpuRealtimePeriod", 0}, {"CpuRealtimeRuntime", 0}, {"CpusetCpus", ""}, {"CpusetMems", ""}, {"Devices", Json::array()},
        {"DeviceCgroupRules", none, true}, {"DeviceRequests", none, true}, {"KernelMemory", 0}, {"KernelMemoryTCP", 0},
        {"MemoryReservation", 0}, {"MemorySwap", 0}, {"MemorySwappiness", none}, {"OomKillDisable", false}, {"PidsLimit", none},
        {"Ulimits", Json::array()}, {"CpuCount", 0}, {"CpuPercent", 0}, {"IOMaximumIOps", 0}, {"IOMaximumBandwidth", 0},
        {"Mounts", none, false, true}, {"MaskedPaths", masked}, {"ReadonlyPaths", readonly}};
    Json out = Json::object();
    for (const auto& f : fields) {
        const Json* v = hc.contains(f.name) ? &hc[f.name] : &f.fallback;
        bool empty = omitted_when_empty(*v);
        if (f.omit_when_empty && empty) continue;
        out[f.name] = f.null_when_empty && empty ? Json() : *v;
    }
    // Init: Docker shows it only when --init was given (a nil *bool otherwise).
    if (hc.value("Init", false)) out["Init"] = true;
    std::set<std::string> known = {"Init"};
    for (const auto& f : fields) known.insert(f.name);
    for (auto& [k, v] : hc.items())
        if (!known.count(k)) out[k] = v;
    return out;
}

// Config as Docker's inspect shows it: its order, Env null when empty, and the fields Docker
// omits when empty (ExposedPorts, Healthcheck, StopSignal...) only when set.
Json docker_config(const Json& c) {
    static const std::vector<std::pair<const char*, bool>> fields = {
        {"Hostname", false}, {"Domainname", false}, {"User", false}, {"AttachStdin", false}, {"AttachStdout", false},
        {"AttachStderr", false}, {"ExposedPorts", true}, {"Tty", false}, {"OpenStdin", false}, {"StdinOnce", false},
        {"Env", false}, {"Cmd", false}, {"Healthcheck", true}, {"ArgsEscaped", true}, {"Image", false}, {"Volumes", false},
        {"WorkingDir", false}, {"Entrypoint", false}, {"NetworkDisabled", true}, {"MacAddress", true}, {"OnBuild", false},
        {"Labels", false}, {"StopSignal", true}, {"StopTimeout", true}, {"Shell", true}};
    Json out = Json::object();
    for (const auto& [name, omit_when_empty] : fields) {
        if (!c.contains(name)) continue;
        const Json& v = c[name];
        bool empty = omitted_when_empty(v);
        if (omit_when_empty && empty) continue;
        out[name] = std::string(name) == "Env" && empty ? Json() : v;
    }
    for (auto& [k, v] : c.items()) {
        bool known = std::any_of(fields.begin(), fields.end(), [&](const auto& f) { return k == f.first; });
        if (!known && !omitted_when_empty(v)) out[k] = v;
    }
    return out;
}

} // namespace

PsRow ps_row(const ContainerSummary& c, const Json* observed, bool no_trunc) {
    PsRow r;
    // As Docker's daemon lists it (an argument with a space in single quotes) and its client
    // shows it: cut to 20 characters, then quoted as Go quotes.
    std::string command = c.path;
    if (!c.args_json.empty() && c.args_json != "[]") {
        Json args = Json::parse(c.args_json, nullptr, false);
        if (args.is_array())
            for (const auto& a : args) {
                if (!a.is_string()) continue;
                const std::string& arg = a.get_ref<const std::string&>();
                command += arg.find(' ') == std::string::npos ? " " + arg : " '" + arg + "'";
            }
    }
    r.command = go_quote(no_trunc ? command : ellipsis(command, 20));
    if (!c.labels_json.empty() && c.labels_json != "{}") {
        Json labels = Json::parse(c.labels_json, nullptr, false);
        if (labels.is_object()) r.label_map = std::move(labels);
    }
    for (auto& [k, v] : r.label_map.items())
        if (v.is_string()) r.labels += (r.labels.empty() ? "" : ",") + k + "=" + v.get_ref<const std::string&>();
    int64_t now = now_nanos();
    std::string status = c.status, started_at = c.started_at, finished_at = c.finished_at;
    int exit_code = c.exit_code;
    if (observed) {
        status = observed->value("Status", "");
        started_at = observed->value("StartedAt", "");
        finished_at = observed->value("FinishedAt", "");
        exit_code = observed->value("ExitCode", 0);
        if (observed->value("Running", false)) r.ports = ports_summary(observed->value("Ports", Json::object()));
        if (observed->contains("Health") && (*observed)["Health"].is_object()) r.health = (*observed)["Health"].value("Status", "none");
    }
    r.full_id = c.row.id;
    r.id = no_trunc ? c.row.id : c.row.id.substr(0, 12);
    r.image = c.image;
    r.image_id = c.row.image_id;
    r.created_at = go_time_string(c.row.created);
    r.running_for = time_ago(c.row.created, now);
    r.state = status.empty() ? "created" : status;
    r.status = status_text(status, exit_code, started_at, finished_at, now);
    if (status == "running" && r.health != "none") r.status += " (" + health_summary((*observed)["Health"]) + ")";
    r.names = c.row.name;
    r.networks = c.network_mode.empty() ? "bridge" : c.network_mode;
    r.exit_code = exit_code;
    return r;
}

Json PsRow::to_json() const {
    Json j = {{"ID", id},           {"Image", image},   {"Command", command}, {"CreatedAt", created_at},
              {"RunningFor", running_for}, {"Ports", ports}, {"State", state},     {"Status", status},
              {"Names", names},     {"Labels", labels}, {"Mounts", mounts},   {"Networks", networks},
              {"LocalVolumes", local_volumes}, {"Platform", nullptr}};
    if (!size.empty()) j["Size"] = size;
    j["_Label"] = label_map; // for {{.Label "k"}}; hidden from {{json .}}
    return j;
}

namespace {

std::set<std::string> anonymous_volumes(const Json& container_config) {
    std::set<std::string> out;
    for (const auto& v : container_config.value("AnonymousVolumes", Json::array()))
        if (v.is_string()) out.insert(v.get<std::string>());
    return out;
}

// Docker's MountPoint, in its field order (Name and Driver only for volumes).
Json volume_point(const std::string& store_root, const std::string& name, const std::string& dst, const std::string& mode, bool rw) {
    return Json{{"Type", "volume"}, {"Name", name}, {"Source", store_root + "/volumes/" + name + "/_data"}, {"Destination", dst},
                {"Driver", "local"}, {"Mode", mode}, {"RW", rw}, {"Propagation", ""}};
}

Json other_point(const std::string& type, const std::string& src, const std::string& dst, const std::string& mode, bool rw,
                 const std::string& propagation) {
    return Json{{"Type", type}, {"Source", src}, {"Destination", dst}, {"Mode", mode}, {"RW", rw}, {"Propagation", propagation}};
}

} // namespace

// HostConfig and Config as the user gave them: an anonymous volume of `-v /path` is a Config
// volume, not a bind, and one of `--mount type=volume` has no source.
void show_volumes_as_given(Json& hc, Json& config, const Json& container_config) {
    auto anonymous = anonymous_volumes(container_config);
    Json binds = Json::array();
    for (const auto& b : hc.value("Binds", Json::array())) {
        BindSpec spec = parse_bind(b.get<std::string>());
        if (!anonymous.count(spec.source)) {
            binds.push_back(b);
            continue;
        }
        if (!config["Volumes"].is_object()) config["Volumes"] = Json::object();
        config["Volumes"][spec.destination] = Json::object();
    }
    hc["Binds"] = binds;
    if (hc.contains("Mounts"))
        for (auto& m : hc["Mounts"])
            if (m.value("Type", "") == "volume" && anonymous.count(m.value("Source", ""))) m.erase("Source");
}

Json mount_points(const std::string& store_root, const Json& container_config) {
    static const Json no_host_config = Json::object();
    const Json& hc = container_config.contains("HostConfig") ? container_config["HostConfig"] : no_host_config;
    auto anonymous = anonymous_volumes(container_config);
    Json mounts = Json::array();
    for (const auto& b : hc.value("Binds", Json::array())) {
        BindSpec spec = parse_bind(b.get<std::string>());
        // Docker gives a named volume of -v the SELinux-neutral mode "z" when none is given.
        if (spec.named_volume())
            mounts.push_back(volume_point(store_root, spec.source, spec.destination,
                                          spec.mode.empty() && !anonymous.count(spec.source) ? "z" : spec.mode, !spec.read_only()));
        else
            mounts.push_back(other_point("bind", spec.source, spec.destination, spec.mode, !spec.read_only(), spec.propagation()));
    }
    for (const auto& m : hc.value("Mounts", Json::array())) {
        std::string type = m.value("Type", ""), target = m.value("Target", "");
        bool rw = !m.value("ReadOnly", false);
        if (type == "volume")
            mounts.push_back(volume_point(store_root, m.value("Source", ""), target, "", rw));
        else if (type == "bind")
            mounts.push_back(other_point(type, m.value("Source", ""), target, "", rw,
                                         m.value("BindOptions", Json::object()).value("Propagation", "rprivate")));
        else
            mounts.push_back(other_point(type, m.value("Source", ""), target, "", rw, ""));
    }
    return mounts;
}

Result<Json> inspect_container(Store& store, const std::string& name, bool size) {
    auto found = TRY(resolve_container(store.db(), name));
    ContainerRow row = TRY(sync_container(store, found.id));
    std::string dir = container_dir(store, row.id);
    Json hc = row.config["HostConfig"], config = row.config["Config"];
    show_volumes_as_given(hc, config, row.config);
    LayerRow rw;
    rw.cache_id = row.layer;
    Json graph = Json::object();
    auto image = TRY(image_by_id(store.db(), row.image_id));
    std::vector<LayerRow> chain;
    if (image && !image->top_layer.empty()) chain = TRY(layer_chain(store.db(), image->top_layer));
    std::vector<LayerRow> with_rw = {rw};
    with_rw.insert(with_rw.end(), chain.begin(), chain.end());
    Json mounts = mount_points(store.root(), row.config);
    Json j = {{"Id", row.id},
              {"Created", rfc3339_nano(row.created)},
              {"Path", row.config.value("Path", "")},
              {"Args", row.config.value("Args", Json::array())},
              {"State", docker_state(row.state)},
              {"Image", row.image_id},
              {"ResolvConfPath", container_dir(store, row.id) + "/resolv.conf"},
              {"HostnamePath", container_dir(store, row.id) + "/hostname"},
              {"HostsPath", container_dir(store, row.id) + "/hosts"},
              {"LogPath", hc.value("LogConfig", Json::object()).value("Type", "json-file") == "none" ? "" : log_path(store, row.id)},
              {"Name", "/" + row.name},
              {"RestartCount", row.state.value("RestartCount", 0)},
              {"Driver", store.driver().name()},
              {"Platform", "linux"},
              {"MountLabel", ""},
              {"ProcessLabel", ""},
              {"AppArmorProfile", ""},
              {"ExecIDs", nullptr},
              {"HostConfig", docker_host_config(hc)},
              {"GraphDriver", {{"Name", store.driver().name()}, {"Data", store.driver().graph_data(with_rw)}}}};
    if (size) { // what the container wrote, and that over its image
        int64_t written = TRY(disk_usage(store.driver().diff_dir(rw)));
        j["SizeRw"] = written;
        j["SizeRootFs"] = written + (image ? image->size : 0);
    }
    j["Mounts"] = mounts;
    j["Config"] = docker_config(config);
    j["NetworkSettings"] = TRY(network_settings(store, row, row.state));
    return j;
}

} // namespace kouti
