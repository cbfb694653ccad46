// How containers look from outside: `ps` rows and `inspect` JSON, as Docker prints them.
#include "engine/containers.h"
#include "engine/networks.h"
#include "engine/images.h"
#include "store/images.h"
#include "util/humanize.h"

namespace kouti {
namespace {

// Go's formatter.Ellipsis: at most `width` characters, the last one "…" when cut.
std::string ellipsis(const std::string& s, size_t width) {
    // Counts UTF-8 characters, not bytes.
    size_t chars = 0, i = 0, cut = std::string::npos;
    for (; i < s.size(); ++i) {
        if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;
        if (chars == width - 1) cut = i;
        ++chars;
    }
    if (chars <= width) return s;
    return s.substr(0, cut) + "…";
}

std::string status_text(const Json& s, int64_t now) {
    std::string st = s.value("Status", "created");
    auto since = [&](const char* key) {
        int64_t t = parse_rfc3339(s.value(key, ""));
        return t <= 0 ? std::string("Less than a second") : human_duration((now - t) / 1000000000);
    };
    if (st == "running") return "Up " + since("StartedAt");
    if (st == "paused") return "Up " + since("StartedAt") + " (Paused)";
    if (st == "restarting") return "Restarting (" + std::to_string(s.value("ExitCode", 0)) + ") " + since("FinishedAt") + " ago";
    if (st == "exited") {
        if (parse_rfc3339(s.value("FinishedAt", "")) <= 0) return "Created";
        return "Exited (" + std::to_string(s.value("ExitCode", 0)) + ") " + since("FinishedAt") + " ago";
    }
    if (st == "removing") return "Removal In Progress";
    if (st == "dead") return "Dead";
    return "Created";
}

Json docker_state(const Json& s) {
    return Json{{"Status", s.value("Status", "created")}, {"Running", s.value("Running", false)},
                {"Paused", s.value("Paused", false)},    {"Restarting", s.value("Restarting", false)},
                {"OOMKilled", s.value("OOMKilled", false)}, {"Dead", s.value("Dead", false)},
                {"Pid", s.value("Pid", 0)},              {"ExitCode", s.value("ExitCode", 0)},
                {"Error", s.value("Error", "")},         {"StartedAt", s.value("StartedAt", "0001-01-01T00:00:00Z")},
                {"FinishedAt", s.value("FinishedAt", "0001-01-01T00:00:00Z")}};
}

} // namespace

Json ps_row(const Store& store, const ContainerRow& row, const Json& state, const std::string& image_name, bool no_trunc) {
    (void)store;
    std::string command = row.config.value("Path", "");
    for (const auto& a : row.config.value("Args", Json::array())) command += " " + a.get<std::string>();
    std::string shown = no_trunc ? command : ellipsis(command, 20);
    int64_t now = now_nanos();
    Json labels = row.config["Config"].value("Labels", Json::object());
    std::string label_text;
    for (auto& [k, v] : labels.items()) label_text += (label_text.empty() ? "" : ",") + k + "=" + v.get<std::string>();
    Json r = {{"ID", no_trunc ? row.id : row.id.substr(0, 12)},
              {"Image", image_name},
              {"Command", "\"" + shown + "\""},
              {"CreatedAt", go_time_string(row.created)},
              {"RunningFor", time_ago(row.created, now)},
              {"Ports", state.value("Running", false) ? ports_summary(state.value("Ports", Json::object())) : ""},
              {"State", state.value("Status", "created")},
              {"Status", status_text(state, now)},
              {"Names", row.name},
              {"Labels", label_text},
              {"Mounts", ""},
              {"Networks", row.config["HostConfig"].value("NetworkMode", "bridge")},
              {"_id", row.id},
              {"_created", row.created},
              {"_labels", labels},
              {"_image_id", row.image_id},
              {"_exit_code", state.value("ExitCode", 0)}};
    return r;
}

Result<Json> inspect_container(Store& store, const std::string& name) {
    auto found = TRY(resolve_container(store.db(), name));
    ContainerRow row = TRY(sync_container(store, found.id));
    std::string dir = container_dir(store, row.id);
    Json hc = row.config["HostConfig"];
    LayerRow rw;
    rw.cache_id = row.layer;
    Json graph = Json::object();
    auto image = TRY(image_by_id(store.db(), row.image_id));
    std::vector<LayerRow> chain;
    if (image && !image->top_layer.empty()) chain = TRY(layer_chain(store.db(), image->top_layer));
    std::vector<LayerRow> with_rw = {rw};
    with_rw.insert(with_rw.end(), chain.begin(), chain.end());
    Json mounts = Json::array();
    for (const auto& b : hc.value("Binds", Json::array())) {
        std::string s = b.get<std::string>();
        auto c1 = s.find(':');
        auto c2 = s.find(':', c1 + 1);
        std::string src = s.substr(0, c1), dst = s.substr(c1 + 1, c2 == std::string::npos ? std::string::npos : c2 - c1 - 1);
        std::string mode = c2 == std::string::npos ? "" : s.substr(c2 + 1);
        bool named = src[0] != '/';
        Json m = {{"Type", named ? "volume" : "bind"}, {"Source", named ? store.root() + "/volumes/" + src + "/_data" : src},
                  {"Destination", dst}, {"Mode", mode}, {"RW", mode.find("ro") == std::string::npos}, {"Propagation", named ? "" : "rprivate"}};
        if (named) {
            m["Name"] = src;
            m["Driver"] = "local";
        }
        mounts.push_back(m);
    }
    for (const auto& mnt : hc.value("Mounts", Json::array()))
        mounts.push_back(Json{{"Type", mnt.value("Type", "")}, {"Source", mnt.value("Source", "")}, {"Destination", mnt.value("Target", "")},
                              {"Mode", ""}, {"RW", !mnt.value("ReadOnly", false)}, {"Propagation", ""}});
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
              {"HostConfig", hc},
              {"GraphDriver", {{"Name", store.driver().name()}, {"Data", store.driver().graph_data(with_rw)}}},
              {"Mounts", mounts},
              {"Config", row.config["Config"]},
              {"NetworkSettings", TRY(network_settings(store, row, row.state))}};
    return j;
}

} // namespace kouti
