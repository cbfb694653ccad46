#include "runtime/spec.h"

#include <sys/personality.h>
#include <sys/resource.h>

#include <map>

#include "sys/fs.h"

namespace kouti {
namespace {

Error field_error(const std::string& field, const std::string& why) {
    return Error::invalid("config.json: " + field + ": " + why);
}

// Typed readers that name the field on a type mismatch; a missing key leaves `out` unchanged.
struct Reader {
    const Json& j;
    std::string path;

    const Json* get(const std::string& key) const {
        if (!j.is_object()) return nullptr;
        auto it = j.find(key);
        return it == j.end() || it->is_null() ? nullptr : &*it;
    }
    std::string at(const std::string& key) const { return path.empty() ? key : path + "." + key; }

    Status str(const std::string& key, std::string& out) const {
        if (auto* v = get(key)) {
            if (!v->is_string()) return field_error(at(key), "must be a string");
            out = v->get<std::string>();
        }
        return ok();
    }
    Status boolean(const std::string& key, bool& out) const {
        if (auto* v = get(key)) {
            if (!v->is_boolean()) return field_error(at(key), "must be true or false");
            out = v->get<bool>();
        }
        return ok();
    }
    template <typename T> Status num(const std::string& key, T& out) const {
        if (auto* v = get(key)) {
            if (!v->is_number_integer()) return field_error(at(key), "must be an integer");
            if constexpr (std::is_unsigned_v<T>) {
                if (v->is_number_integer() && !v->is_number_unsigned() && v->get<int64_t>() < 0)
                    return field_error(at(key), "must not be negative");
            }
            out = v->get<T>();
        }
        return ok();
    }
    template <typename T> Status opt(const std::string& key, std::optional<T>& out) const {
        if (get(key)) {
            T v{};
            TRY(num(key, v));
            out = v;
        }
        return ok();
    }
    Status strings(const std::string& key, std::vector<std::string>& out) const {
        if (auto* v = get(key)) {
            if (!v->is_array()) return field_error(at(key), "must be a list of strings");
            for (const auto& s : *v) {
                if (!s.is_string()) return field_error(at(key), "must be a list of strings");
                out.push_back(s.get<std::string>());
            }
        }
        return ok();
    }
    Result<Reader> object(const std::string& key) const {
        auto* v = get(key);
        static const Json empty = Json::object();
        if (!v) return Reader{empty, at(key)};
        if (!v->is_object()) return field_error(at(key), "must be an object");
        return Reader{*v, at(key)};
    }
    Result<std::vector<Reader>> list(const std::string& key) const {
        std::vector<Reader> out;
        auto* v = get(key);
        if (!v) return out;
        if (!v->is_array()) return field_error(at(key), "must be a list");
        for (size_t i = 0; i < v->size(); ++i) {
            if (!(*v)[i].is_object()) return field_error(at(key) + "[" + std::to_string(i) + "]", "must be an object");
            out.push_back(Reader{(*v)[i], at(key) + "[" + std::to_string(i) + "]"});
        }
        return out;
    }
};

const std::map<std::string, int>& capability_table() {
    static const std::map<std::string, int> t = {
        {"CAP_CHOWN", 0}, {"CAP_DAC_OVERRIDE", 1}, {"CAP_DAC_READ_SEARCH", 2}, {"CAP_FOWNER", 3},
        {"CAP_FSETID", 4}, {"CAP_KILL", 5}, {"CAP_SETGID", 6}, {"CAP_SETUID", 7}, {"CAP_SETPCAP", 8},
        {"CAP_LINUX_IMMUTABLE", 9}, {"CAP_NET_BIND_SERVICE", 10}, {"CAP_NET_BROADCAST", 11},
        {"CAP_NET_ADMIN", 12}, {"CAP_NET_RAW", 13}, {"CAP_IPC_LOCK", 14}, {"CAP_IPC_OWNER", 15},
        {"CAP_SYS_MODULE", 16}, {"CAP_SYS_RAWIO", 17}, {"CAP_SYS_CHROOT", 18}, {"CAP_SYS_PTRACE", 19},
        {"CAP_SYS_PACCT", 20}, {"CAP_SYS_ADMIN", 21}, {"CAP_SYS_BOOT", 22}, {"CAP_SYS_NICE", 23},
        {"CAP_SYS_RESOURCE", 24}, {"CAP_SYS_TIME", 25}, {"CAP_SYS_TTY_CONFIG", 26}, {"CAP_MKNOD", 27},
        {"CAP_LEASE", 28}, {"CAP_AUDIT_WRITE", 29}, {"CAP_AUDIT_CONTROL", 30}, {"CAP_SETFCAP", 31},
        {"CAP_MAC_OVERRIDE", 32}, {"CAP_MAC_ADMIN", 33}, {"CAP_SYSLOG", 34}, {"CAP_WAKE_ALARM", 35},
        {"CAP_BLOCK_SUSPEND", 36}, {"CAP_AUDIT_READ", 37}, {"CAP_PERFMON", 38}, {"CAP_BPF", 39},
        {"CAP_CHECKPOINT_RESTORE", 40},
    };
    return t;
}

Status parse_caps(const Reader& r, Capabilities& caps) {
    auto one = [&](const char* key, std::vector<int>& out) -> Status {
        std::vector<std::string> names;
        TRY(r.strings(key, names));
        for (const auto& n : names) {
            int c = capability_number(n);
            if (c < 0) return field_error(r.at(key), "unknown capability \"" + n + "\"");
            if (c > last_capability()) continue; // newer than this kernel: runc ignores it too
            out.push_back(c);
        }
        return ok();
    };
    TRY(one("bounding", caps.bounding));
    TRY(one("effective", caps.effective));
    TRY(one("inheritable", caps.inheritable));
    TRY(one("permitted", caps.permitted));
    TRY(one("ambient", caps.ambient));
    return ok();
}

Status parse_hooks(const Reader& r, const char* key, std::vector<Hook>& out) {
    for (const auto& h : TRY(r.list(key))) {
        Hook hook;
        TRY(h.str("path", hook.path));
        if (hook.path.empty() || hook.path[0] != '/') return field_error(h.at("path"), "must be an absolute path");
        TRY(h.strings("args", hook.args));
        TRY(h.strings("env", hook.env));
        TRY(h.opt("timeout", hook.timeout));
        if (hook.timeout && *hook.timeout <= 0) return field_error(h.at("timeout"), "must be positive");
        out.push_back(std::move(hook));
    }
    return ok();
}

Status parse_resources(const Reader& r, Resources& res) {
    auto mem = TRY(r.object("memory"));
    TRY(mem.opt("limit", res.memory_limit));
    TRY(mem.opt("reservation", res.memory_reservation));
    TRY(mem.opt("swap", res.memory_swap));
    TRY(mem.opt("swappiness", res.memory_swappiness));
    if (res.memory_swappiness && *res.memory_swappiness > 100) return field_error(mem.at("swappiness"), "must be at most 100");
    TRY(mem.boolean("disableOOMKiller", res.disable_oom_killer));
    auto cpu = TRY(r.object("cpu"));
    TRY(cpu.opt("shares", res.cpu_shares));
    TRY(cpu.opt("quota", res.cpu_quota));
    TRY(cpu.opt("period", res.cpu_period));
    TRY(cpu.opt("realtimePeriod", res.cpu_rt_period));
    TRY(cpu.opt("realtimeRuntime", res.cpu_rt_runtime));
    TRY(cpu.str("cpus", res.cpuset_cpus));
    TRY(cpu.str("mems", res.cpuset_mems));
    auto pids = TRY(r.object("pids"));
    TRY(pids.opt("limit", res.pids_limit));
    auto blkio = TRY(r.object("blockIO"));
    TRY(blkio.opt("weight", res.blkio_weight));
    auto rates = [&](const char* key, std::vector<DeviceRate>& out) -> Status {
        for (const auto& d : TRY(blkio.list(key))) {
            DeviceRate rate;
            TRY(d.num("major", rate.major));
            TRY(d.num("minor", rate.minor));
            TRY(d.num("rate", rate.rate));
            out.push_back(rate);
        }
        return ok();
    };
    TRY(rates("throttleReadBpsDevice", res.read_bps));
    TRY(rates("throttleWriteBpsDevice", res.write_bps));
    TRY(rates("throttleReadIOPSDevice", res.read_iops));
    TRY(rates("throttleWriteIOPSDevice", res.write_iops));
    for (const auto& d : TRY(blkio.list("weightDevice"))) {
        DeviceWeight w;
        TRY(d.num("major", w.major));
        TRY(d.num("minor", w.minor));
        std::optional<uint16_t> weight;
        TRY(d.opt("weight", weight));
        if (!weight) continue; // only a leafWeight: CFQ's, which no kernel has now
        w.weight = *weight;
        res.weight_devices.push_back(w);
    }
    for (const auto& d : TRY(r.list("devices"))) {
        DeviceRule rule;
        TRY(d.boolean("allow", rule.allow));
        TRY(d.str("type", rule.type));
        if (rule.type.empty()) rule.type = "a";
        if (rule.type != "a" && rule.type != "c" && rule.type != "b")
            return field_error(d.at("type"), "must be a, c or b");
        TRY(d.num("major", rule.major));
        TRY(d.num("minor", rule.minor));
        TRY(d.str("access", rule.access));
        if (rule.access.empty()) rule.access = "rwm";
        if (rule.access.find_first_not_of("rwm") != std::string::npos) return field_error(d.at("access"), "must be made of r, w and m");
        res.devices.push_back(rule);
    }
    for (const auto& h : TRY(r.list("hugepageLimits"))) {
        std::string size;
        uint64_t limit = 0;
        TRY(h.str("pageSize", size));
        TRY(h.num("limit", limit));
        // The kernel's names: a number and KB, MB or GB ("2MB", "1GB"), part of the file's name.
        size_t digits = size.find_first_not_of("0123456789");
        std::string unit = digits == std::string::npos ? "" : size.substr(digits);
        if (digits == 0 || (unit != "KB" && unit != "MB" && unit != "GB"))
            return field_error(h.at("pageSize"), "\"" + size + "\" is not a page size such as 2MB or 1GB");
        res.hugepage_limits.emplace_back(size, limit);
    }
    // cgroup v2 files by name, written as given: a name is a file of the container's directory.
    if (auto* unified = r.get("unified")) {
        if (!unified->is_object()) return field_error(r.at("unified"), "must be an object of strings");
        for (auto it = unified->begin(); it != unified->end(); ++it) {
            const std::string& file = it.key();
            if (!it->is_string()) return field_error(r.at("unified") + "." + file, "must be a string");
            if (file.empty() || file.find('/') != std::string::npos || file.find('.') == std::string::npos || file[0] == '.')
                return field_error(r.at("unified") + "." + file, "not a cgroup file name (controller.name)");
            res.unified.emplace_back(file, it->get<std::string>());
        }
    }
    if (res.memory_limit && *res.memory_limit != -1 && *res.memory_limit < 0)
        return field_error(r.at("memory.limit"), "must be positive or -1");
    return ok();
}

Status known(const Reader& r, const std::string& key, const std::string& value, std::initializer_list<const char*> names) {
    for (const char* n : names)
        if (value == n) return ok();
    return field_error(r.at(key), "unknown value \"" + value + "\"");
}

Status check_action(const Reader& r, const std::string& key, const std::string& v) {
    return known(r, key, v, {"SCMP_ACT_ALLOW", "SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_TRAP",
                             "SCMP_ACT_LOG", "SCMP_ACT_ERRNO", "SCMP_ACT_TRACE"});
}

Status parse_seccomp(const Reader& r, Seccomp& sc) {
    TRY(r.str("defaultAction", sc.default_action));
    if (sc.default_action.empty()) return field_error(r.at("defaultAction"), "is required");
    TRY(check_action(r, "defaultAction", sc.default_action));
    TRY(r.opt("defaultErrnoRet", sc.default_errno_ret));
    TRY(r.strings("architectures", sc.architectures));
    for (const auto& a : sc.architectures)
        TRY(known(r, "architectures", a, {"SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32", "SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"}));
    for (const auto& s : TRY(r.list("syscalls"))) {
        SeccompRule rule;
        TRY(s.strings("names", rule.names));
        if (rule.names.empty()) return field_error(s.at("names"), "must name at least one syscall");
        TRY(s.str("action", rule.action));
        if (rule.action.empty()) return field_error(s.at("action"), "is required");
        TRY(check_action(s, "action", rule.action));
        TRY(s.opt("errnoRet", rule.errno_ret));
        for (const auto& a : TRY(s.list("args"))) {
            SeccompArg arg;
            TRY(a.num("index", arg.index));
            TRY(a.num("value", arg.value));
            TRY(a.num("valueTwo", arg.value_two));
            TRY(a.str("op", arg.op));
            if (arg.index > 5) return field_error(a.at("index"), "must be 0 to 5");
            TRY(known(a, "op", arg.op, {"SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ"}));
            rule.args.push_back(arg);
        }
        sc.syscalls.push_back(std::move(rule));
    }
    return ok();
}

Status parse_mappings(const Reader& r, const char* key, std::vector<IdMapping>& out) {
    for (const auto& m : TRY(r.list(key))) {
        IdMapping map;
        TRY(m.num("containerID", map.container_id));
        TRY(m.num("hostID", map.host_id));
        TRY(m.num("size", map.size));
        if (map.size == 0) return field_error(m.at("size"), "must be positive");
        out.push_back(map);
    }
    return ok();
}

} // namespace

bool Resources::any() const {
    return memory_limit || memory_reservation || memory_swap || cpu_shares || cpu_quota || cpu_period || cpu_rt_period || cpu_rt_runtime ||
           !cpuset_cpus.empty() || !cpuset_mems.empty() || pids_limit || blkio_weight || memory_swappiness || disable_oom_killer ||
           !read_bps.empty() || !write_bps.empty() || !read_iops.empty() || !write_iops.empty() || !weight_devices.empty() ||
           !hugepage_limits.empty() || !unified.empty();
}

bool Spec::has_namespace(const std::string& type) const { return find_namespace(type) != nullptr; }

const SpecNamespace* Spec::find_namespace(const std::string& type) const {
    for (const auto& n : namespaces)
        if (n.type == type) return &n;
    return nullptr;
}

int capability_number(const std::string& name) {
    auto it = capability_table().find(name);
    return it == capability_table().end() ? -1 : it->second;
}

std::string capability_name(int number) {
    for (const auto& [n, v] : capability_table())
        if (v == number) return n;
    return "CAP_" + std::to_string(number);
}

int last_capability() {
    static int last = [] {
        auto text = read_file("/proc/sys/kernel/cap_last_cap");
        return text.ok() ? std::stoi(*text) : 40;
    }();
    return last;
}

int rlimit_number(const std::string& name) {
    static const std::map<std::string, int> t = {
        {"RLIMIT_CPU", RLIMIT_CPU},       {"RLIMIT_FSIZE", RLIMIT_FSIZE},   {"RLIMIT_DATA", RLIMIT_DATA},
        {"RLIMIT_STACK", RLIMIT_STACK},   {"RLIMIT_CORE", RLIMIT_CORE},     {"RLIMIT_RSS", RLIMIT_RSS},
        {"RLIMIT_NPROC", RLIMIT_NPROC},   {"RLIMIT_NOFILE", RLIMIT_NOFILE}, {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK},
        {"RLIMIT_AS", RLIMIT_AS},         {"RLIMIT_LOCKS", RLIMIT_LOCKS},   {"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING},
        {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE}, {"RLIMIT_NICE", RLIMIT_NICE}, {"RLIMIT_RTPRIO", RLIMIT_RTPRIO},
        {"RLIMIT_RTTIME", RLIMIT_RTTIME},
    };
    auto it = t.find(name);
    return it == t.end() ? -1 : it->second;
}

Result<Spec> parse_spec(const std::string& text, const std::string& bundle) {
    auto j = Json::parse(text, nullptr, false);
    if (j.is_discarded()) return Error::invalid("config.json: not valid JSON");
    return parse_spec_json(j, bundle);
}

Result<Spec> parse_spec_json(const Json& j, const std::string& bundle) {
    if (!j.is_object()) return Error::invalid("config.json: must be a JSON object");
    Reader top{j, ""};
    Spec s;
    TRY(top.str("ociVersion", s.oci_version));
    if (s.oci_version.empty()) return field_error("ociVersion", "is required");

    auto root = TRY(top.object("root"));
    TRY(root.str("path", s.root_path));
    if (s.root_path.empty()) return field_error("root.path", "is required");
    if (s.root_path[0] != '/') s.root_path = absolute_path(bundle) + "/" + s.root_path;
    if (!is_directory(s.root_path)) return field_error("root.path", "\"" + s.root_path + "\" is not a directory");
    TRY(root.boolean("readonly", s.root_readonly));

    if (!top.get("process")) return field_error("process", "is required");
    auto proc = TRY(top.object("process"));
    TRY(proc.boolean("terminal", s.terminal));
    auto console = TRY(proc.object("consoleSize"));
    TRY(console.num("height", s.console_height));
    TRY(console.num("width", s.console_width));
    auto user = TRY(proc.object("user"));
    TRY(user.num("uid", s.uid));
    TRY(user.num("gid", s.gid));
    if (auto* g = user.get("additionalGids")) {
        if (!g->is_array()) return field_error("process.user.additionalGids", "must be a list of integers");
        for (const auto& v : *g) {
            if (!v.is_number_unsigned()) return field_error("process.user.additionalGids", "must be a list of integers");
            s.additional_gids.push_back(v.get<gid_t>());
        }
    }
    if (user.get("umask")) {
        uint32_t m = 0;
        TRY(user.num("umask", m));
        s.umask = m;
    }
    TRY(proc.strings("args", s.args));
    if (s.args.empty()) return field_error("process.args", "must be a non-empty list of strings");
    TRY(proc.strings("env", s.env));
    TRY(proc.str("cwd", s.cwd));
    if (s.cwd.empty() || s.cwd[0] != '/') return field_error("process.cwd", "must be an absolute path");
    if (proc.get("capabilities")) {
        Capabilities caps;
        TRY(parse_caps(TRY(proc.object("capabilities")), caps));
        s.caps = caps;
    }
    for (const auto& r : TRY(proc.list("rlimits"))) {
        SpecRlimit rl;
        TRY(r.str("type", rl.type));
        if (rlimit_number(rl.type) < 0) return field_error(r.at("type"), "unknown resource limit \"" + rl.type + "\"");
        TRY(r.num("soft", rl.soft));
        TRY(r.num("hard", rl.hard));
        if (rl.soft > rl.hard) return field_error(r.at("soft"), "is above the hard limit");
        s.rlimits.push_back(rl);
    }
    TRY(proc.boolean("noNewPrivileges", s.no_new_privileges));
    TRY(proc.opt("oomScoreAdj", s.oom_score_adj));
    if (s.oom_score_adj && (*s.oom_score_adj < -1000 || *s.oom_score_adj > 1000))
        return field_error("process.oomScoreAdj", "must be between -1000 and 1000");
    TRY(proc.str("apparmorProfile", s.apparmor_profile));
    TRY(proc.str("selinuxLabel", s.selinux_label));

    TRY(top.str("hostname", s.hostname));
    TRY(top.str("domainname", s.domainname));
    for (const auto& m : TRY(top.list("mounts"))) {
        SpecMount mount;
        TRY(m.str("destination", mount.destination));
        if (mount.destination.empty() || mount.destination[0] != '/')
            return field_error(m.at("destination"), "must be an absolute path");
        TRY(m.str("type", mount.type));
        TRY(m.str("source", mount.source));
        TRY(m.strings("options", mount.options));
        s.mounts.push_back(std::move(mount));
    }
    auto hooks = TRY(top.object("hooks"));
    TRY(parse_hooks(hooks, "prestart", s.hooks.prestart));
    TRY(parse_hooks(hooks, "createRuntime", s.hooks.create_runtime));
    TRY(parse_hooks(hooks, "createContainer", s.hooks.create_container));
    TRY(parse_hooks(hooks, "startContainer", s.hooks.start_container));
    TRY(parse_hooks(hooks, "poststart", s.hooks.poststart));
    TRY(parse_hooks(hooks, "poststop", s.hooks.poststop));
    if (auto* a = top.get("annotations")) s.annotations = *a;
    if (s.annotations.is_object()) {
        s.overlay_data = s.annotations.value("run.kouti.rootfs.overlay", "");
        s.overlay_base = s.annotations.value("run.kouti.rootfs.overlay-base", "");
        if (!s.overlay_data.empty() && (s.overlay_base.empty() || s.overlay_base[0] != '/'))
            return field_error("annotations", "run.kouti.rootfs.overlay-base must be an absolute path");
        s.shm_from = s.annotations.value("run.kouti.shm-from", "");
        s.engine_workdir = s.annotations.value("run.kouti.workdir", "") == "engine";
        if (!s.shm_from.empty() && !s.shm_from.starts_with("/proc/"))
            return field_error("annotations", "run.kouti.shm-from must be a process's /proc directory");
    }

    auto lx = TRY(top.object("linux"));
    static const char* ns_types[] = {"pid", "network", "mount", "ipc", "uts", "user", "cgroup", "time"};
    for (const auto& n : TRY(lx.list("namespaces"))) {
        SpecNamespace ns;
        TRY(n.str("type", ns.type));
        TRY(n.str("path", ns.path));
        bool known = false;
        for (const char* t : ns_types) known = known || ns.type == t;
        if (!known) return field_error(n.at("type"), "unknown namespace type \"" + ns.type + "\"");
        if (s.has_namespace(ns.type)) return field_error(n.at("type"), "namespace \"" + ns.type + "\" is listed twice");
        if (!ns.path.empty() && !path_exists(ns.path)) return field_error(n.at("path"), "\"" + ns.path + "\" does not exist");
        s.namespaces.push_back(ns);
    }
    TRY(parse_mappings(lx, "uidMappings", s.uid_mappings));
    TRY(parse_mappings(lx, "gidMappings", s.gid_mappings));
    if (s.has_namespace("user") && s.find_namespace("user")->path.empty() && (s.uid_mappings.empty() || s.gid_mappings.empty()))
        return field_error("linux.uidMappings", "a new user namespace needs uid and gid mappings");
    for (const auto& d : TRY(lx.list("devices"))) {
        SpecDevice dev;
        TRY(d.str("path", dev.path));
        if (dev.path.empty() || dev.path[0] != '/') return field_error(d.at("path"), "must be an absolute path");
        TRY(d.str("type", dev.type));
        if (dev.type != "c" && dev.type != "b" && dev.type != "u" && dev.type != "p")
            return field_error(d.at("type"), "must be c, b, u or p");
        TRY(d.num("major", dev.major));
        TRY(d.num("minor", dev.minor));
        TRY(d.num("fileMode", dev.file_mode));
        TRY(d.num("uid", dev.uid));
        TRY(d.num("gid", dev.gid));
        s.devices.push_back(dev);
    }
    TRY(lx.str("cgroupsPath", s.cgroups_path));
    TRY(parse_resources(TRY(lx.object("resources")), s.resources));
    if (auto* sys = lx.get("sysctl")) {
        if (!sys->is_object()) return field_error("linux.sysctl", "must be an object of strings");
        for (auto it = sys->begin(); it != sys->end(); ++it) {
            if (!it->is_string()) return field_error("linux.sysctl." + it.key(), "must be a string");
            s.sysctl.emplace_back(it.key(), it->get<std::string>());
        }
    }
    TRY(lx.strings("maskedPaths", s.masked_paths));
    TRY(lx.strings("readonlyPaths", s.readonly_paths));
    TRY(lx.str("rootfsPropagation", s.rootfs_propagation));
    static const char* props[] = {"", "shared", "slave", "private", "unbindable", "rshared", "rslave", "rprivate", "runbindable"};
    bool prop_ok = false;
    for (const char* p : props) prop_ok = prop_ok || s.rootfs_propagation == p;
    if (!prop_ok) return field_error("linux.rootfsPropagation", "unknown propagation \"" + s.rootfs_propagation + "\"");
    if (lx.get("seccomp")) {
        Seccomp sc;
        TRY(parse_seccomp(TRY(lx.object("seccomp")), sc));
        s.seccomp = sc;
    }
    TRY(lx.str("mountLabel", s.mount_label));
    if (lx.get("personality")) {
        auto persona = TRY(lx.object("personality"));
        std::string domain;
        TRY(persona.str("domain", domain));
        if (domain == "LINUX") s.personality = PER_LINUX;
        else if (domain == "LINUX32") s.personality = PER_LINUX32;
        else return field_error("linux.personality.domain", "unknown domain \"" + domain + "\" (LINUX or LINUX32)");
        std::vector<std::string> flags;
        TRY(persona.strings("flags", flags));
        if (!flags.empty()) return field_error("linux.personality.flags", "not supported");
    }
    return s;
}

Result<std::string> read_config_text(const std::string& bundle) {
    auto text = read_file(bundle + "/config.json");
    if (!text.ok()) return Error::invalid("open " + bundle + "/config.json: " + Error::from_syscall("", text.error().err).message.substr(2));
    return text;
}

Result<Spec> load_spec(const std::string& bundle) { return parse_spec(TRY(read_config_text(bundle)), bundle); }

} // namespace kouti
