// `create`: a row, a read-write layer and a directory, all-or-nothing. Nothing runs yet.
#include <sys/stat.h>

#include <algorithm>
#include <regex>
#include <set>

#include "engine/binds.h"
#include "engine/container_fs.h"
#include "engine/container_spec.h"
#include "engine/containers.h"
#include "engine/health.h"
#include "engine/image_config.h"
#include "engine/links.h"
#include "engine/images.h"
#include "engine/networks.h"
#include "engine/shared_namespaces.h"
#include "engine/volumes.h"
#include "runtime/container.h"
#include "store/events.h"
#include "store/images.h"
#include "sys/fs.h"
#include "util/crash.h"
#include "util/humanize.h"

namespace kouti {

std::string container_dir(const Store& store, const std::string& id) { return store.root() + "/containers/" + id; }
std::string container_run_dir(const Store& store, const std::string& id) { return store.runroot() + "/containers/" + id; }
std::string runtime_root(const Store& store) { return store.runroot() + "/runtime"; }
std::string log_path(const Store& store, const std::string& id) { return container_dir(store, id) + "/" + id + "-json.log"; }

namespace {

Json env_merged(const Json& image_env, const Json& own) {
    std::vector<std::string> out;
    auto key = [](const std::string& e) { return e.substr(0, e.find('=')); };
    if (image_env.is_array())
        for (const auto& e : image_env) out.push_back(e.get<std::string>());
    if (own.is_array())
        for (const auto& e : own) {
            std::string s = e.get<std::string>();
            bool replaced = false;
            for (auto& o : out)
                if (key(o) == key(s)) {
                    o = s;
                    replaced = true;
                }
            if (!replaced) out.push_back(s);
        }
    return out;
}

bool empty_value(const Json& v) { return v.is_null() || ((v.is_array() || v.is_object() || v.is_string()) && v.empty()); }

// Docker's Config: what the flags say, the image's values where they are silent.
Result<Json> merged_config(const CreateRequest& req, const Json& image, const std::string& id) {
    Json c = req.config;
    Json ic = image.value("config", Json::object());
    if (!ic.is_object()) ic = Json::object();
    if (req.entrypoint_set) {
        if (empty_value(c.value("Cmd", Json()))) c["Cmd"] = nullptr; // --entrypoint drops the image's CMD
    } else {
        c["Entrypoint"] = ic.value("Entrypoint", Json());
        if (empty_value(c.value("Cmd", Json()))) c["Cmd"] = ic.value("Cmd", Json());
    }
    if (empty_value(c.value("Entrypoint", Json()))) c["Entrypoint"] = nullptr;
    if (empty_value(c.value("Cmd", Json()))) c["Cmd"] = nullptr;
    if (c["Entrypoint"].is_null() && c["Cmd"].is_null()) return Error::usage("No command specified");
    c["Env"] = env_merged(ic.value("Env", Json()), c.value("Env", Json()));
    TRY(validate_healthcheck(c.value("Healthcheck", Json())));
    if (Json health = merged_healthcheck(c.value("Healthcheck", Json()), ic.value("Healthcheck", Json())); health.is_null())
        c.erase("Healthcheck");
    else
        c["Healthcheck"] = health;
    for (const char* k : {"WorkingDir", "User", "StopSignal"})
        if (c.value(k, "").empty()) c[k] = ic.value(k, "");
    Json labels = ic.value("Labels", Json::object());
    if (!labels.is_object()) labels = Json::object();
    Json own_labels = c.value("Labels", Json::object());
    for (auto& [k, v] : own_labels.items()) labels[k] = v;
    // Docker's maps come out sorted (Go marshals a map so); kept so, they print and range so.
    c["Labels"] = with_sorted_keys(labels);
    Json ports = ic.value("ExposedPorts", Json::object());
    if (!ports.is_object()) ports = Json::object();
    Json own_ports = c.value("ExposedPorts", Json::object());
    for (auto& [k, v] : own_ports.items()) ports[k] = v;
    if (!ports.empty()) c["ExposedPorts"] = with_sorted_keys(ports);
    Json volumes = ic.value("Volumes", Json());
    if (volumes.is_object() && !volumes.empty()) c["Volumes"] = with_sorted_keys(volumes);
    else c["Volumes"] = nullptr;
    if (c.value("Hostname", "").empty()) c["Hostname"] = id.substr(0, 12);
    if (!c.contains("Domainname")) c["Domainname"] = "";
    c["Image"] = req.image;
    c["OnBuild"] = nullptr;
    return c;
}

Json initial_state() {
    return Json{{"Status", "created"}, {"Running", false}, {"Paused", false}, {"Restarting", false},
                {"OOMKilled", false},  {"Dead", false},    {"Pid", 0},        {"ExitCode", 0},
                {"Error", ""},         {"StartedAt", "0001-01-01T00:00:00Z"}, {"FinishedAt", "0001-01-01T00:00:00Z"},
                {"RestartCount", 0}};
}

Status check_name(Db& db, const std::string& name) {
    static const std::regex valid("^/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$");
    if (!std::regex_match(name, valid))
        return Error::usage("Invalid container name (" + name + "), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
    auto st = TRY(db.prepare("SELECT id FROM containers WHERE name = ?"));
    st.bind(1, name[0] == '/' ? name.substr(1) : name);
    if (TRY(st.step()))
        return Error::conflict("Conflict. The container name \"/" + (name[0] == '/' ? name.substr(1) : name) +
                               "\" is already in use by container \"" + st.text(0) +
                               "\". You have to remove (or rename) that container to be able to reuse that name.");
    return ok();
}

// --volumes-from NAME[:ro|:rw]: the other container's volumes and bind mounts (not its tmpfs)
// at the same places, in its mode unless one is given. Looked up before anything is made.
struct InheritedVolumes {
    std::vector<std::string> binds; // "-v" forms
    std::vector<Json> mounts;       // --mount forms
};

Result<InheritedVolumes> volumes_from(Db& db, const Json& hc) {
    InheritedVolumes out;
    for (const auto& from : hc.value("VolumesFrom", Json::array())) {
        std::string spec = from.get<std::string>(), mode;
        if (auto colon = spec.rfind(':'); colon != std::string::npos) {
            mode = spec.substr(colon + 1);
            spec.resize(colon);
            if (mode != "ro" && mode != "rw") return Error::usage("invalid mode: " + mode);
        }
        auto source = TRY(resolve_container(db, spec));
        const Json& shc = source.config["HostConfig"];
        for (const auto& b : shc.value("Binds", Json::array()))
            out.binds.push_back(mode.empty() ? b.get<std::string>() : bind_with_mode(b.get<std::string>(), mode));
        for (Json m : shc.value("Mounts", Json::array())) {
            if (m.value("Type", "") == "tmpfs") continue;
            if (!mode.empty()) m["ReadOnly"] = mode == "ro";
            out.mounts.push_back(std::move(m));
        }
    }
    return out;
}

struct PreparedVolumes {
    std::vector<std::string> anonymous; // made for this container: removed if it is not created
    std::vector<VolumeCopy> to_populate;
};

// Named volumes are made on first use; `-v /path`, `--mount type=volume` without a source and
// the image's VOLUME entries get anonymous ones.
Status prepare_volumes(Store& store, Json& config, Json& hc, PreparedVolumes& out) {
    auto inherited = TRY(volumes_from(store.db(), hc));
    std::vector<std::string>& anonymous = out.anonymous;
    std::set<std::string> covered;
    Json binds = Json::array();
    for (const auto& b : hc.value("Binds", Json::array())) {
        std::string spec = b.get<std::string>();
        auto colon = spec.find(':');
        if (colon == std::string::npos) { // "-v /data": an anonymous volume
            std::string name = random_hex(32);
            TRY(ensure_volume(store, name, Json::object(), true));
            anonymous.push_back(name);
            spec = name + ":" + spec;
        } else if (spec[0] != '/') {
            TRY(ensure_volume(store, spec.substr(0, colon), Json::object(), false));
        }
        BindSpec bind = parse_bind(spec);
        if (bind.named_volume() && !bind.has_option("nocopy")) out.to_populate.push_back({bind.source, bind.destination});
        covered.insert(bind.destination);
        binds.push_back(spec);
    }
    for (auto& m : hc["Mounts"]) {
        covered.insert(m.value("Target", ""));
        if (m.value("Type", "") != "volume") continue;
        // --mount's volume-label and volume-opt make the volume when it does not exist yet.
        Json vo = m.value("VolumeOptions", Json::object());
        Json labels = vo.value("Labels", Json::object()), options = vo.value("DriverConfig", Json::object()).value("Options", Json::object());
        bool anon = m.value("Source", "").empty();
        if (anon) m["Source"] = random_hex(32);
        TRY(ensure_volume(store, m["Source"], labels, anon, with_sorted_keys(options)));
        if (anon) anonymous.push_back(m["Source"]);
        if (!vo.value("NoCopy", false)) out.to_populate.push_back({m["Source"], m.value("Target", "")});
    }
    // This container's own mounts win over those it inherits.
    for (const auto& b : inherited.binds)
        if (covered.insert(parse_bind(b).destination).second) binds.push_back(b);
    for (auto& m : inherited.mounts)
        if (covered.insert(m.value("Target", "")).second) hc["Mounts"].push_back(std::move(m));
    if (config["Volumes"].is_object())
        for (auto& [path, unused] : config["Volumes"].items()) {
            (void)unused;
            if (covered.count(path)) continue;
            std::string name = random_hex(32);
            TRY(ensure_volume(store, name, Json::object(), true));
            anonymous.push_back(name);
            out.to_populate.push_back({name, path});
            binds.push_back(name + ":" + path);
        }
    hc["Binds"] = binds;
    return ok();
}

} // namespace

// The checks Docker's daemon makes (its verifyContainerSettings), so that `create` reports them
// as daemon errors. kouti is its own runtime, keeps its volumes itself and has one isolation:
// Docker's words for anything else.
static Status verify_settings(const Json& config, const Json& host_config) {
    if (std::string sig = config.value("StopSignal", ""); !sig.empty() && !std::all_of(sig.begin(), sig.end(), ::isdigit) && !parse_signal(sig).ok())
        return Error::invalid("Invalid signal: " + sig);
    if (std::string runtime = host_config.value("Runtime", "kouti"); runtime != "kouti")
        return Error::invalid("unknown or invalid runtime name: " + runtime);
    if (std::string driver = host_config.value("VolumeDriver", ""); !driver.empty() && driver != "local")
        return Error::not_found("error looking up volume plugin " + driver + ": plugin \"" + driver + "\" not found");
    const Json storage_opts = host_config.value("StorageOpt", Json::object());
    for (const auto& [key, value] : storage_opts.items()) {
        if (key != "size") return Error::invalid("Unknown option " + key);
        return Error::invalid("--storage-opt size=" + value.get<std::string>() +
                              ": kouti cannot cap a container's writable layer (Docker's overlay2 needs xfs with 'pquota' for it)");
    }
    TRY(check_cpu_realtime(host_config));
    // The daemon's parseSecurityOpt, at create as Docker's.
    for (const auto& o : host_config.value("SecurityOpt", Json::array())) {
        std::string opt = o.get<std::string>();
        if (opt == "no-new-privileges" || opt == "disable") continue;
        auto sep = opt.find('=') != std::string::npos ? opt.find('=') : opt.find(':');
        if (sep == std::string::npos) return Error::invalid("invalid --security-opt 1: " + go_quote(opt));
        std::string key = opt.substr(0, sep), value = opt.substr(sep + 1);
        bool known = key == "label" || key == "apparmor" || key == "seccomp" || (key == "no-new-privileges" && parse_go_bool(value).has_value());
        if (!known) return Error::invalid("invalid --security-opt 2: " + go_quote(opt));
    }
    if (std::string isolation = host_config.value("Isolation", ""); !isolation.empty() && isolation != "default")
        return Error::invalid("Invalid isolation: \"" + isolation + "\" - linux only supports 'default'");
    return ok();
}

Result<ContainerRow> create_container(Store& store, const CreateRequest& req, std::vector<LayerRow>* image_layers) {
    Db& db = store.db();
    auto image = TRY(resolve_image(db, req.image, false));
    Json image_json = TRY(image_config(store, image.id));
    if (!req.platform.empty()) TRY(check_platform(req.image, req.platform, image_json));
    ContainerRow row;
    row.id = random_hex(32);
    row.image_id = image.id;
    row.created = now_nanos();
    Json config = TRY(merged_config(req, image_json, row.id));
    std::vector<std::string> argv;
    for (const char* k : {"Entrypoint", "Cmd"})
        if (config[k].is_array())
            for (const auto& a : config[k]) argv.push_back(a.get<std::string>());
    if (argv.empty()) return Error::usage("No command specified");
    TRY(verify_settings(config, req.host_config));
    Json host_config = req.host_config;
    TRY(resolve_namespace_donors(db, host_config));
    auto links = TRY(resolve_links(db, host_config));
    if (!req.name.empty()) TRY(check_name(db, req.name));
    if (!host_config.contains("Mounts")) host_config["Mounts"] = Json::array();
    PreparedVolumes volumes;
    std::vector<std::string>& anonymous = volumes.anonymous;
    // Anonymous volumes made for a container that could not be created go with it.
    auto drop_anonymous = [&] {
        for (const auto& v : anonymous) (void)remove_volume(store, v, true);
    };
    if (auto st = prepare_volumes(store, config, host_config, volumes); !st.ok()) {
        drop_anonymous();
        return std::move(st).error();
    }
    std::vector<LayerRow> chain;
    auto stored = [&]() -> Status {
        row.config = Json{{"Path", argv[0]}, {"Args", std::vector<std::string>(argv.begin() + 1, argv.end())},
                          {"Config", config}, {"HostConfig", host_config}, {"AnonymousVolumes", anonymous}};
        if (!req.networking_config.empty()) row.config["NetworkingConfig"] = req.networking_config;
        row.state = initial_state();

        std::string net = host_config.value("NetworkMode", "bridge");
        if (net != "none" && net != "host" && net.rfind("container:", 0) != 0) TRY(ensure_predefined_networks(store));
        chain = TRY(layer_chain(db, image.top_layer));
        auto staging = TRY(store.stage());
        std::string staged = staging->fresh("rw");
        TRY(store.driver().stage_rw(staged, chain));
        row.layer = random_hex(32);
        std::string dir = container_dir(store, row.id);
        TRY(mkdir_p(store.root() + "/containers", 0700));
        auto tx = TRY(Transaction::begin(db));
        row.name = req.name.empty() ? TRY(random_container_name(db)) : (req.name[0] == '/' ? req.name.substr(1) : req.name);
        if (!req.name.empty()) TRY(check_name(db, req.name)); // again, now under the write lock
        if (!links.empty()) row.config["HostConfig"]["Links"] = stored_links(links, row.name);
        TRY(insert_container(db, row));
        TRY(join_at_create(store, row)); // its lease, in the same transaction
        TRY(record_container_event(db, row, "create"));
        TRY_CTX(store.spare_dirs().make(dir, 0710), "create " + dir);
        crash_point("container-dir-made");
        if (auto st = store.driver().publish_rw(staged, row.layer); !st.ok()) {
            (void)remove_all(dir);
            return st.error();
        }
        if (auto st = tx.commit(); !st.ok()) {
            LayerRow rw;
            rw.cache_id = row.layer;
            (void)store.driver().unpublish(rw, staging->fresh("undo"));
            (void)remove_all(dir);
            return st.error();
        }
        return ok();
    }();
    if (!stored.ok()) {
        drop_anonymous();
        return std::move(stored).error();
    }
    if (auto st = populate_volumes(store, row.id, volumes.to_populate); !st.ok()) {
        (void)remove_exited_container(store, row, true);
        return std::move(st).error();
    }
    if (image_layers) *image_layers = std::move(chain);
    return row;
}

} // namespace kouti
