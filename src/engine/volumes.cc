#include "engine/volumes.h"

#include <sys/stat.h>

#include <algorithm>
#include <regex>

#include "engine/binds.h"
#include "engine/volume_mounts.h"
#include "store/containers.h"
#include "store/events.h"
#include "sys/fs.h"
#include "util/humanize.h"

namespace kouti {

std::string volumes_dir(const Store& store) { return store.root() + "/volumes"; }

bool valid_volume_name(const std::string& name) {
    static const std::regex re("^[a-zA-Z0-9][a-zA-Z0-9_.-]+$");
    return std::regex_match(name, re);
}

Status check_volume_options(const std::string& name, const Json& options) {
    for (auto it = options.begin(); it != options.end(); ++it)
        if (it.key() != "type" && it.key() != "device" && it.key() != "o" && it.key() != "size")
            return Error::invalid("create " + name + ": invalid option: \"" + it.key() + "\"");
    if (options.contains("size")) return Error::invalid("create " + name + ": quota size requested but no quota support");
    static const std::vector<std::pair<const char*, std::vector<const char*>>> needs = {
        {"device", {"type"}}, {"type", {"device"}}, {"o", {"device", "type"}}};
    for (const auto& [option, required] : needs)
        if (options.contains(option))
            for (const char* r : required)
                if (!options.contains(r)) return Error::invalid("create " + name + ": missing required option: \"" + std::string(r) + "\"");
    return ok();
}

Result<bool> ensure_volume(Store& store, const std::string& name, const Json& labels, bool anonymous, const Json& options) {
    if (!valid_volume_name(name))
        return Error::invalid("create " + name + ": \"" + name + "\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed");
    TRY(check_volume_options(name, options));
    std::string dir = volumes_dir(store) + "/" + name;
    if (path_exists(dir + "/volume.json")) return false;
    TRY(mkdir_p(volumes_dir(store), 0701));
    // Built aside and renamed into place: a volume is either complete or absent.
    std::string tmp = volumes_dir(store) + "/." + name + "." + random_hex(4);
    TRY(mkdir_p(tmp + "/_data", 0755));
    Json meta = {{"CreatedAt", rfc3339_nano(now_nanos())}, {"Labels", labels}, {"Anonymous", anonymous}};
    if (!options.empty()) meta["Options"] = options;
    TRY(write_file_atomic(tmp + "/volume.json", meta.dump()));
    if (::rename(tmp.c_str(), dir.c_str()) != 0) {
        int e = errno;
        (void)remove_all(tmp);
        if (e == EEXIST || e == ENOTEMPTY) return false; // made by another process meanwhile
        return Error::from_syscall("create volume " + name, e);
    }
    auto tx = TRY(Transaction::begin(store.db()));
    TRY(record_event(store.db(), "volume", "create", name, Json{{"driver", "local"}}));
    TRY(tx.commit());
    return true;
}

Result<std::vector<VolumeInfo>> list_volumes(Store& store) {
    std::vector<VolumeInfo> out;
    auto names = list_dir(volumes_dir(store));
    if (!names.ok()) return out;
    for (const auto& n : *names) {
        if (n.empty() || n[0] == '.') continue;
        auto text = read_file(volumes_dir(store) + "/" + n + "/volume.json");
        if (!text.ok()) continue;
        VolumeInfo v;
        v.name = n;
        v.meta = Json::parse(*text, nullptr, false);
        if (!v.meta.is_object()) v.meta = Json::object();
        out.push_back(std::move(v));
    }
    return out;
}

Json volume_meta(const Store& store, const std::string& name) {
    auto text = read_file(volumes_dir(store) + "/" + name + "/volume.json");
    Json meta = text.ok() ? Json::parse(*text, nullptr, false) : Json::object();
    return meta.is_object() ? meta : Json::object();
}

std::vector<std::string> volumes_of(const Json& hc) {
    std::vector<std::string> names;
    for (const auto& b : hc.value("Binds", Json::array()))
        if (BindSpec spec = parse_bind(b.get<std::string>()); spec.named_volume()) names.push_back(spec.source);
    for (const auto& m : hc.value("Mounts", Json::array()))
        if (m.value("Type", "") == "volume" && !m.value("Source", "").empty()) names.push_back(m.value("Source", ""));
    return names;
}

Result<Json> inspect_volume(Store& store, const std::string& name) {
    if (!valid_volume_name(name) || !path_exists(volumes_dir(store) + "/" + name + "/volume.json"))
        return Error::not_found("get " + name + ": no such volume");
    Json meta = volume_meta(store, name);
    Json labels = meta.value("Labels", Json::object());
    // Kept to the nanosecond; shown to the second, as Docker shows it (time.RFC3339).
    std::string created = meta.value("CreatedAt", "");
    if (int64_t t = parse_rfc3339(created); t > 0) created = rfc3339_nano(t - t % 1000000000);
    return Json{{"CreatedAt", created}, {"Driver", "local"}, {"Labels", labels.empty() ? Json() : labels},
                {"Mountpoint", volumes_dir(store) + "/" + name + "/_data"}, {"Name", name},
                {"Options", meta.value("Options", Json::object()).empty() ? Json() : meta["Options"]}, {"Scope", "local"}};
}

Result<std::vector<std::string>> volume_users(Store& store, const std::string& name) {
    std::vector<std::string> users;
    for (const auto& c : TRY(all_containers(store.db()))) {
        auto names = volumes_of(c.config["HostConfig"]);
        if (std::find(names.begin(), names.end(), name) != names.end()) users.push_back(c.id);
    }
    return users;
}

Status remove_volume(Store& store, const std::string& name, bool force) {
    std::string dir = volumes_dir(store) + "/" + name;
    if (!valid_volume_name(name) || !path_exists(dir + "/volume.json")) {
        if (force) return ok();
        return Error::not_found("get " + name + ": no such volume");
    }
    auto users = TRY(volume_users(store, name));
    if (!users.empty()) return Error::conflict("remove " + name + ": volume is in use - [" + users[0] + "]");
    TRY(forget_volume_mounts(store, name));
    std::string trash = volumes_dir(store) + "/.removing-" + name + "-" + random_hex(4);
    TRY(rename_path(dir, trash));
    TRY(remove_all(trash));
    auto tx = TRY(Transaction::begin(store.db()));
    TRY(record_event(store.db(), "volume", "destroy", name, Json{{"driver", "local"}}));
    return tx.commit();
}

Result<std::pair<std::vector<std::string>, int64_t>> prune_volumes(Store& store, bool all,
                                                                   const std::function<bool(const Json& labels)>& selected) {
    std::pair<std::vector<std::string>, int64_t> out{{}, 0};
    for (const auto& v : TRY(list_volumes(store))) {
        if (!all && !v.meta.value("Anonymous", false)) continue;
        if (selected && !selected(v.meta.value("Labels", Json::object()))) continue;
        if (!TRY(volume_users(store, v.name)).empty()) continue;
        auto size = disk_usage(volumes_dir(store) + "/" + v.name + "/_data");
        if (remove_volume(store, v.name, false).ok()) {
            out.first.push_back(v.name);
            out.second += size.ok() ? *size : 0;
        }
    }
    return out;
}

} // namespace kouti
