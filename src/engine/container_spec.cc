#include "engine/container_spec.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <regex>
#include <sstream>

#include "engine/binds.h"
#include "runtime/cgroups.h"
#include "runtime/spec.h"
#include "sys/fs.h"
#include "sys/resolve.h"
#include "util/humanize.h"
#include "util/numbers.h"

namespace kouti {

const std::vector<std::string>& docker_default_capabilities() {
    static const std::vector<std::string> caps = {
        "CAP_CHOWN",  "CAP_DAC_OVERRIDE", "CAP_FSETID",           "CAP_FOWNER",     "CAP_MKNOD",
        "CAP_NET_RAW", "CAP_SETGID",      "CAP_SETUID",           "CAP_SETFCAP",    "CAP_SETPCAP",
        "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL",     "CAP_AUDIT_WRITE"};
    return caps;
}

const std::vector<std::string>& docker_masked_paths() {
    static const std::vector<std::string> paths = {"/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
                                                   "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
                                                   "/sys/firmware", "/sys/devices/virtual/powercap"};
    return paths;
}

const std::vector<std::string>& docker_readonly_paths() {
    static const std::vector<std::string> paths = {"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"};
    return paths;
}

Json default_seccomp_profile(const std::vector<std::string>& caps) {
    auto has = [&](const char* c) { return std::find(caps.begin(), caps.end(), c) != caps.end(); };
    std::vector<std::string> denied = {
        "acct", "add_key", "bpf", "clock_adjtime", "clock_settime", "create_module", "delete_module", "finit_module",
        "get_kernel_syms", "get_mempolicy", "init_module", "ioperm", "iopl", "kcmp", "kexec_file_load", "kexec_load",
        "keyctl", "lookup_dcookie", "mbind", "mount", "mount_setattr", "move_mount", "open_tree", "fsopen", "fsconfig",
        "fsmount", "fspick", "move_pages", "name_to_handle_at", "nfsservctl", "open_by_handle_at", "perf_event_open",
        "pivot_root", "process_vm_readv", "process_vm_writev", "ptrace", "query_module", "quotactl", "reboot",
        "request_key", "set_mempolicy", "setns", "settimeofday", "stime", "swapon", "swapoff", "sysfs", "_sysctl",
        "umount", "umount2", "unshare", "uselib", "userfaultfd", "ustat", "vm86", "vm86old", "syslog", "vhangup",
        "lookup_dcookie", "fanotify_init", "open_by_handle_at"};
    // Docker grants these back with the capability that governs them.
    auto allow_with = [&](const char* cap, std::initializer_list<const char*> calls) {
        if (!has(cap)) return;
        for (const char* c : calls) denied.erase(std::remove(denied.begin(), denied.end(), c), denied.end());
    };
    allow_with("CAP_SYS_ADMIN", {"mount", "umount", "umount2", "unshare", "setns", "pivot_root", "quotactl", "fanotify_init",
                                 "name_to_handle_at", "open_by_handle_at", "lookup_dcookie", "perf_event_open", "bpf",
                                 "mount_setattr", "move_mount", "open_tree", "fsopen", "fsconfig", "fsmount", "fspick"});
    allow_with("CAP_SYS_PTRACE", {"ptrace", "process_vm_readv", "process_vm_writev", "kcmp"});
    allow_with("CAP_SYS_MODULE", {"init_module", "finit_module", "delete_module"});
    allow_with("CAP_SYS_TIME", {"settimeofday", "stime", "clock_settime", "clock_adjtime"});
    allow_with("CAP_SYS_BOOT", {"reboot"});
    allow_with("CAP_SYS_RAWIO", {"iopl", "ioperm"});
    allow_with("CAP_SYS_PACCT", {"acct"});
    allow_with("CAP_SYS_NICE", {"mbind", "set_mempolicy", "get_mempolicy", "move_pages"});
    allow_with("CAP_SYSLOG", {"syslog"});
    allow_with("CAP_SYS_TTY_CONFIG", {"vhangup"});
    std::sort(denied.begin(), denied.end());
    denied.erase(std::unique(denied.begin(), denied.end()), denied.end());
    Json rules = Json::array();
    rules.push_back(Json{{"names", std::move(denied)}, {"action", "SCMP_ACT_ERRNO"}, {"errnoRet", 1}});
    if (!has("CAP_SYS_ADMIN")) {
        // New namespaces through clone/clone3 need CAP_SYS_ADMIN in Docker's profile too.
        // Each namespace flag is its own rule: seccomp can test "(flags & bit) == bit" but
        // not "(flags & mask) != 0".
        for (uint64_t bit : {CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET, CLONE_NEWCGROUP})
            rules.push_back(Json{{"names", {"clone"}}, {"action", "SCMP_ACT_ERRNO"}, {"errnoRet", 1},
                                 {"args", {Json{{"index", 0}, {"value", bit}, {"valueTwo", bit}, {"op", "SCMP_CMP_MASKED_EQ"}}}}});
        // clone3 passes its flags in memory seccomp cannot read: ENOSYS makes libc fall back to clone.
        rules.push_back(Json{{"names", {"clone3"}}, {"action", "SCMP_ACT_ERRNO"}, {"errnoRet", 38}});
    }
    return Json{{"defaultAction", "SCMP_ACT_ALLOW"}, {"architectures", {"SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"}},
                {"syscalls", std::move(rules)}};
}

namespace {

std::string cap_name(std::string c) {
    for (auto& ch : c) ch = static_cast<char>(std::toupper(ch));
    if (c != "ALL" && c.rfind("CAP_", 0) != 0) c = "CAP_" + c;
    return c;
}

// "All" capabilities are those kouti itself holds: a container cannot get more.
std::vector<std::string> all_capabilities() {
    std::vector<std::string> caps;
    for (int c = 0; c <= last_capability(); ++c)
        if (::prctl(PR_CAPBSET_READ, c, 0, 0, 0) == 1) caps.push_back(capability_name(c));
    return caps;
}

Result<std::vector<std::string>> capabilities(const Json& hc) {
    std::vector<std::string> caps;
    if (hc.value("Privileged", false)) return all_capabilities();
    caps = docker_default_capabilities();
    for (const auto& d : hc.value("CapDrop", Json::array())) {
        std::string n = cap_name(d.get<std::string>());
        if (n == "ALL") caps.clear();
        else if (capability_number(n) < 0) return Error::usage("invalid CapDrop: unknown capability: \"" + n + "\"");
        else caps.erase(std::remove(caps.begin(), caps.end(), n), caps.end());
    }
    for (const auto& a : hc.value("CapAdd", Json::array())) {
        std::string n = cap_name(a.get<std::string>());
        if (n == "ALL") {
            caps = all_capabilities();
        } else if (capability_number(n) < 0) {
            return Error::usage("invalid CapAdd: unknown capability: \"" + n + "\"");
        } else if (std::find(caps.begin(), caps.end(), n) == caps.end()) {
            caps.push_back(n);
        }
    }
    return caps;
}

// Reads the first of the layers (top first) that has `path`.
std::string read_from_layers(const std::vector<std::string>& dirs, const std::string& path) {
    for (const auto& d : dirs) {
        auto root = open_file(d, O_PATH | O_DIRECTORY);
        if (!root.ok()) continue;
        auto f = open_in_root(root->get(), path, O_RDONLY);
        if (!f.ok()) continue;
        auto text = read_file(fd_path(f->get()));
        if (text.ok()) return *text;
    }
    return "";
}

bool all_digits(const std::string& s) { return !s.empty() && std::all_of(s.begin(), s.end(), ::isdigit); }

struct ResolvedUser {
    uint32_t uid = 0, gid = 0;
    std::vector<uint32_t> groups;
    std::string home = "/";
};

// "name", "uid", "name:group", "uid:gid" against the image's /etc/passwd and /etc/group.
Result<ResolvedUser> resolve_user(const std::string& spec, const std::vector<std::string>& dirs, const Json& group_add) {
    ResolvedUser u;
    std::string user = spec.substr(0, spec.find(':'));
    std::string group = spec.find(':') == std::string::npos ? "" : spec.substr(spec.find(':') + 1);
    std::string passwd = read_from_layers(dirs, "/etc/passwd");
    std::string groups = read_from_layers(dirs, "/etc/group");
    auto fields = [](const std::string& line) {
        std::vector<std::string> f;
        std::stringstream ss(line);
        std::string x;
        while (std::getline(ss, x, ':')) f.push_back(x);
        return f;
    };
    bool found = false;
    std::string user_name;
    {
        // No user is root, and root's passwd entry still gives its home and groups, as runc
        // and Docker read it (HOME=/root).
        std::stringstream ss(passwd);
        std::string line;
        while (std::getline(ss, line)) {
            auto f = fields(line);
            if (f.size() < 6) continue;
            // The image's passwd file is the image author's: a malformed line is skipped.
            auto uid = parse_number<uint32_t>(f[2]), gid = parse_number<uint32_t>(f[3]);
            if (!uid || !gid) continue;
            if (user.empty() ? *uid == 0 : (f[0] == user || (all_digits(user) && f[2] == user))) {
                u.uid = *uid;
                u.gid = *gid;
                u.home = f[5];
                user_name = f[0];
                found = true;
                break;
            }
        }
        if (!found && !user.empty()) {
            auto uid = all_digits(user) ? parse_number<uint32_t>(user) : std::nullopt;
            if (!uid) return Error::usage("unable to find user " + user + ": no matching entries in passwd file");
            u.uid = *uid;
        }
    }
    auto find_group = [&](const std::string& g) -> std::optional<uint32_t> {
        std::stringstream ss(groups);
        std::string line;
        while (std::getline(ss, line)) {
            auto f = fields(line);
            if (f.size() >= 3 && (f[0] == g || (all_digits(g) && f[2] == g)))
                if (auto gid = parse_number<uint32_t>(f[2])) return gid;
        }
        return all_digits(g) ? parse_number<uint32_t>(g) : std::nullopt;
    };
    if (!group.empty()) {
        auto g = find_group(group);
        if (!g) return Error::usage("unable to find group " + group + ": no matching entries in group file");
        u.gid = *g;
    }
    // Supplementary groups: those of /etc/group that list the user, then --group-add.
    if (!user_name.empty()) {
        std::stringstream ss(groups);
        std::string line;
        while (std::getline(ss, line)) {
            auto f = fields(line);
            if (f.size() < 4) continue;
            std::stringstream members(f[3]);
            std::string m;
            while (std::getline(members, m, ','))
                if (auto gid = parse_number<uint32_t>(f[2]); gid && m == user_name) u.groups.push_back(*gid);
        }
    }
    for (const auto& g : group_add) {
        auto id = find_group(g.get<std::string>());
        if (!id) return Error::usage("unable to find group " + g.get<std::string>() + ": no matching entries in group file");
        u.groups.push_back(*id);
    }
    // The primary group is a supplementary one too, as Docker sets them up: `id` in a container
    // shows groups=GID (and any others).
    if (std::find(u.groups.begin(), u.groups.end(), u.gid) == u.groups.end()) u.groups.insert(u.groups.begin(), u.gid);
    return u;
}

Json mount(const std::string& dest, const std::string& type, const std::string& source, std::vector<std::string> options) {
    return Json{{"destination", dest}, {"type", type}, {"source", source}, {"options", std::move(options)}};
}

// "/host:/ctr[:ro|rw|z|Z...]" or "name:/ctr[:opts]"; named volumes live under volumes_dir.
Result<Json> bind_mount(const std::string& spec, const std::string& volumes_dir) {
    auto colons = std::count(spec.begin(), spec.end(), ':');
    if (colons < 1 || colons > 2) return Error::usage("invalid volume specification: '" + spec + "'");
    BindSpec b = parse_bind(spec);
    if (b.destination.empty() || b.destination[0] != '/')
        return Error::usage("invalid volume specification: '" + spec + "': destination must be an absolute path");
    std::string source = b.named_volume() ? volumes_dir + "/" + b.source + "/_data" : b.source;
    std::vector<std::string> opts = {"rbind", b.propagation()};
    if (b.read_only()) opts.push_back("ro");
    return mount(b.destination, "bind", source, opts);
}

} // namespace

Result<Json> device_cgroup_rule(const std::string& rule) {
    static const std::regex form(R"(^([acb]) ([0-9]{1,9}|\*):([0-9]{1,9}|\*) ([rwm]{1,3})$)");
    std::smatch m;
    if (!std::regex_match(rule, m, form)) return Error::usage("invalid device cgroup format '" + rule + "'");
    Json d = {{"allow", true}, {"type", m[1].str()}, {"access", m[4].str()}};
    if (m[2] != "*") d["major"] = std::stoll(m[2]);
    if (m[3] != "*") d["minor"] = std::stoll(m[3]);
    return d;
}

Status check_cpu_realtime(const Json& hc) {
    int64_t period = hc.value("CpuRealtimePeriod", int64_t{0}), runtime = hc.value("CpuRealtimeRuntime", int64_t{0});
    if ((period != 0 || runtime != 0) && !cpu_realtime_supported()) return Error::invalid("Your kernel does not support CPU real-time scheduler");
    if (period != 0 && runtime > period) return Error::invalid("cpu real-time runtime cannot be higher than cpu real-time period");
    return ok();
}

Json oci_limits(const Json& hc) {
    Json resources = Json::object();
    int64_t memory = hc.value("Memory", int64_t{0}), swap = hc.value("MemorySwap", int64_t{0});
    Json m = Json::object();
    if (memory > 0 || swap != 0) {
        if (memory > 0) m["limit"] = memory;
        if (swap > 0) m["swap"] = swap;
        else if (swap == -1) m["swap"] = -1;
        else if (memory > 0) m["swap"] = memory * 2; // Docker: swap defaults to the memory limit again
        if (hc.value("MemoryReservation", int64_t{0}) > 0) m["reservation"] = hc["MemoryReservation"];
    }
    if (hc.contains("MemorySwappiness") && hc["MemorySwappiness"].is_number() && hc["MemorySwappiness"].get<int64_t>() >= 0)
        m["swappiness"] = hc["MemorySwappiness"];
    if (hc.value("OomKillDisable", false)) m["disableOOMKiller"] = true;
    if (!m.empty()) resources["memory"] = std::move(m);
    Json cpu = Json::object();
    if (hc.value("CpuShares", int64_t{0}) > 0) cpu["shares"] = hc["CpuShares"];
    if (hc.value("NanoCpus", int64_t{0}) > 0) {
        cpu["period"] = 100000;
        cpu["quota"] = hc["NanoCpus"].get<int64_t>() / 10000;
    }
    if (hc.value("CpuQuota", int64_t{0}) > 0) cpu["quota"] = hc["CpuQuota"];
    if (hc.value("CpuPeriod", int64_t{0}) > 0) cpu["period"] = hc["CpuPeriod"];
    if (!hc.value("CpusetCpus", "").empty()) cpu["cpus"] = hc["CpusetCpus"];
    if (!hc.value("CpusetMems", "").empty()) cpu["mems"] = hc["CpusetMems"];
    if (hc.value("CpuRealtimePeriod", int64_t{0}) > 0) cpu["realtimePeriod"] = hc["CpuRealtimePeriod"];
    if (hc.value("CpuRealtimeRuntime", int64_t{0}) != 0) cpu["realtimeRuntime"] = hc["CpuRealtimeRuntime"];
    if (!cpu.empty()) resources["cpu"] = cpu;
    if (hc.contains("PidsLimit") && hc["PidsLimit"].is_number() && hc["PidsLimit"].get<int64_t>() != 0)
        resources["pids"] = {{"limit", hc["PidsLimit"]}};
    Json blkio = Json::object();
    if (hc.value("BlkioWeight", 0) > 0) blkio["weight"] = hc["BlkioWeight"];
    // Docker's --device-read-bps and friends name the device by path: its numbers are looked up
    // at each start (a device that went away since create is left out).
    const std::pair<const char*, const char*> throttles[] = {{"BlkioDeviceReadBps", "throttleReadBpsDevice"},
                                                             {"BlkioDeviceWriteBps", "throttleWriteBpsDevice"},
                                                             {"BlkioDeviceReadIOps", "throttleReadIOPSDevice"},
                                                             {"BlkioDeviceWriteIOps", "throttleWriteIOPSDevice"}};
    for (const auto& [docker_key, oci_key] : throttles)
        for (const auto& d : hc.value(docker_key, Json::array())) {
            struct stat st{};
            if (::stat(d.value("Path", "").c_str(), &st) != 0 || !S_ISBLK(st.st_mode)) continue;
            blkio[oci_key].push_back(Json{{"major", ::major(st.st_rdev)}, {"minor", ::minor(st.st_rdev)}, {"rate", d.value("Rate", uint64_t{0})}});
        }
    for (const auto& d : hc.value("BlkioWeightDevice", Json::array())) {
        struct stat st{};
        if (::stat(d.value("Path", "").c_str(), &st) != 0 || !S_ISBLK(st.st_mode) || d.value("Weight", 0) == 0) continue;
        blkio["weightDevice"].push_back(Json{{"major", ::major(st.st_rdev)}, {"minor", ::minor(st.st_rdev)}, {"weight", d["Weight"]}});
    }
    if (!blkio.empty()) resources["blockIO"] = std::move(blkio);
    return resources;
}

Result<Json> oci_user(const std::string& spec, const std::vector<std::string>& layer_dirs, const Json& group_add) {
    auto u = TRY(resolve_user(spec, layer_dirs, group_add));
    Json j = {{"uid", u.uid}, {"gid", u.gid}};
    if (!u.groups.empty()) j["additionalGids"] = u.groups;
    return j;
}

std::string container_cgroup_path(const ContainerRow& row, const std::string& default_parent) {
    std::string parent = row.config.at("HostConfig").value("CgroupParent", "");
    if (parent.empty()) parent = default_parent;
    if (parent.empty()) parent = "/kouti";
    if (parent[0] != '/') parent = "/" + parent;
    return parent + "/" + row.id;
}

std::string environment_cgroup_parent() {
    const char* parent = std::getenv("KOUTI_CGROUP_PARENT");
    return parent ? parent : "";
}

Result<Json> build_oci_spec(const ContainerRow& row, const SpecInputs& in) {
    const Json& c = row.config.at("Config");
    const Json& hc = row.config.at("HostConfig");
    bool privileged = hc.value("Privileged", false);
    // Docker's daemon finds no driver for a GPU request without NVIDIA's runtime hooks; kouti
    // has none either, and says so in Docker's words.
    for (const auto& req : hc.value("DeviceRequests", Json::array())) {
        std::string caps;
        for (const auto& set : req.value("Capabilities", Json::array())) {
            std::string one;
            for (const auto& c : set) one += (one.empty() ? "" : " ") + c.get<std::string>();
            caps += (caps.empty() ? "[" : " [") + one + "]";
        }
        return Error::invalid("could not select device driver \"" + req.value("Driver", "") + "\" with capabilities: [" + caps + "]");
    }
    std::vector<std::string> layers;
    if (!in.rw_dir.empty()) layers.push_back(in.rw_dir);
    layers.insert(layers.end(), in.layer_dirs.begin(), in.layer_dirs.end());
    auto user = TRY(resolve_user(c.value("User", ""), layers, hc.value("GroupAdd", Json::array())));

    Json args = Json::array();
    if (hc.value("Init", false)) {
        args.push_back("/sbin/kouti-init");
        args.push_back("--");
    }
    args.push_back(row.config.value("Path", ""));
    for (const auto& a : row.config.value("Args", Json::array())) args.push_back(a);
    Json env = c.value("Env", Json::array());
    auto has_env = [&](const std::string& k) {
        for (const auto& e : env)
            if (e.get<std::string>().rfind(k + "=", 0) == 0) return true;
        return false;
    };
    if (!has_env("PATH")) env.insert(env.begin(), "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    env.insert(env.begin() + 1, "HOSTNAME=" + c.value("Hostname", ""));
    size_t at = 2;
    for (const auto& e : in.link_env)
        if (!has_env(e.substr(0, e.find('=')))) env.insert(env.begin() + static_cast<std::ptrdiff_t>(at++), e);
    if (c.value("Tty", false) && !has_env("TERM")) env.push_back("TERM=xterm");
    if (!has_env("HOME")) env.push_back("HOME=" + user.home);

    auto caps = TRY(capabilities(hc));
    Json caps_json = caps;
    Json process = {{"terminal", c.value("Tty", false)},
                    {"user", {{"uid", user.uid}, {"gid", user.gid}}},
                    {"args", std::move(args)},
                    {"env", std::move(env)},
                    {"cwd", c.value("WorkingDir", "").empty() ? "/" : c.value("WorkingDir", "")},
                    {"capabilities", {{"bounding", caps_json}, {"effective", caps_json}, {"permitted", std::move(caps_json)}}}};
    if (!user.groups.empty()) process["user"]["additionalGids"] = user.groups;
    bool nnp = false;
    Json seccomp = privileged ? Json() : default_seccomp_profile(caps);
    for (const auto& o : hc.value("SecurityOpt", Json::array())) {
        std::string s = o.get<std::string>();
        if (s == "no-new-privileges") nnp = true;
        else if (s.rfind("no-new-privileges", 0) == 0 && s.size() > 18 && (s[17] == '=' || s[17] == ':')) nnp = parse_go_bool(s.substr(18)).value_or(false);
        else if (s == "disable") continue; // label=disable's short form: no LSM here
        else if (s == "seccomp=unconfined" || s == "seccomp:unconfined") seccomp = Json();
        else if (s == "seccomp=builtin" || s == "seccomp:builtin") continue; // Docker's default profile by name
        else if (s.rfind("seccomp=", 0) == 0) {
            auto profile = Json::parse(s.substr(8), nullptr, false);
            if (profile.is_discarded()) return Error::usage("invalid seccomp profile in --security-opt");
            seccomp = std::move(profile);
        } else if (s.rfind("label", 0) == 0 || s.rfind("apparmor", 0) == 0) {
            continue; // no LSM here to configure
        } else {
            return Error::usage("Invalid --security-opt: \"" + s + "\"");
        }
    }
    if (nnp) process["noNewPrivileges"] = true;
    if (hc.contains("OomScoreAdj") && hc["OomScoreAdj"].get<int>() != 0) process["oomScoreAdj"] = hc["OomScoreAdj"];
    Json rlimits = Json::array();
    for (const auto& u : hc.value("Ulimits", Json::array())) {
        std::string name = u.value("Name", "");
        for (auto& ch : name) ch = static_cast<char>(std::toupper(ch));
        rlimits.push_back(Json{{"type", "RLIMIT_" + name}, {"soft", u.value("Soft", int64_t{0})}, {"hard", u.value("Hard", int64_t{0})}});
    }
    if (!rlimits.empty()) process["rlimits"] = std::move(rlimits);

    int64_t shm = hc.value("ShmSize", int64_t{0});
    if (shm <= 0) shm = 64 * 1024 * 1024;
    Json mounts = Json::array({
        mount("/proc", "proc", "proc", {"nosuid", "noexec", "nodev"}),
        mount("/dev", "tmpfs", "tmpfs", {"nosuid", "strictatime", "mode=755", "size=65536k"}),
        mount("/dev/pts", "devpts", "devpts", {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"}),
        mount("/sys", "sysfs", "sysfs", {"nosuid", "noexec", "nodev", privileged ? "rw" : "ro"}),
        mount("/sys/fs/cgroup", "cgroup", "cgroup", {"nosuid", "noexec", "nodev", "relatime", privileged ? "rw" : "ro"}),
        mount("/dev/mqueue", "mqueue", "mqueue", {"nosuid", "noexec", "nodev"}),
    });
    // Docker's IPC modes: a /dev/shm of its own, the host's, the donor's (moved in by the
    // runtime, see the annotation below), or none.
    std::string ipc = hc.value("IpcMode", "private");
    if (ipc == "host") mounts.push_back(mount("/dev/shm", "bind", "/dev/shm", {"rbind", "rprivate"}));
    else if (ipc != "none" && in.shared.shm_donor.empty())
        mounts.push_back(mount("/dev/shm", "tmpfs", "shm", {"nosuid", "noexec", "nodev", "mode=1777", "size=" + std::to_string(shm)}));
    // Before the user's mounts, so a -v onto /etc/hosts wins.
    // Read-only with the root, as Docker's (its NetworkMounts are writable only with a writable root).
    bool ro_root = hc.value("ReadonlyRootfs", false);
    for (const auto& [inside, file] : in.etc_files)
        mounts.push_back(ro_root ? mount(inside, "bind", file, {"rbind", "rprivate", "ro"}) : mount(inside, "bind", file, {"rbind", "rprivate"}));
    for (const auto& b : hc.value("Binds", Json::array())) mounts.push_back(TRY(bind_mount(b.get<std::string>(), in.volumes_dir)));
    for (const auto& m : hc.value("Mounts", Json::array())) {
        std::string type = m.value("Type", "volume"), target = m.value("Target", "");
        bool ro = m.value("ReadOnly", false);
        if (type == "tmpfs") {
            std::vector<std::string> o = {"nosuid", "nodev", "noexec"};
            if (m.contains("TmpfsOptions") && m["TmpfsOptions"].value("SizeBytes", int64_t{0}) > 0)
                o.push_back("size=" + std::to_string(m["TmpfsOptions"]["SizeBytes"].get<int64_t>()));
            if (ro) o.push_back("ro");
            mounts.push_back(mount(target, "tmpfs", "tmpfs", o));
        } else {
            std::string source = m.value("Source", "");
            if (type == "volume") source = in.volumes_dir + "/" + source + "/_data";
            std::vector<std::string> o = {"rbind", m.value("BindOptions", Json::object()).value("Propagation", "rprivate")};
            if (ro) o.push_back("ro");
            mounts.push_back(mount(target, "bind", source, o));
        }
    }
    Json tmpfs = hc.value("Tmpfs", Json::object());
    for (auto& [dest, opts] : tmpfs.items()) {
        std::vector<std::string> o = {"nosuid", "nodev", "noexec"};
        std::stringstream ss(opts.get<std::string>());
        std::string x;
        while (std::getline(ss, x, ','))
            if (!x.empty()) o.push_back(x);
        mounts.push_back(mount(dest, "tmpfs", "tmpfs", o));
    }
    if (hc.value("Init", false)) mounts.push_back(mount("/sbin/kouti-init", "bind", in.init_path, {"bind", "ro", "nosuid", "nodev"}));

    Json resources = Json::object();
    Json devices = Json::array({Json{{"allow", false}, {"access", "rwm"}}});
    if (privileged) devices = Json::array({Json{{"allow", true}, {"access", "rwm"}}});
    else {
        devices.push_back(Json{{"allow", true}, {"type", "c"}, {"access", "m"}});
        devices.push_back(Json{{"allow", true}, {"type", "b"}, {"access", "m"}});
        devices.push_back(Json{{"allow", true}, {"type", "c"}, {"major", 10}, {"minor", 200}, {"access", "rwm"}});
        for (const auto& rule : hc.value("DeviceCgroupRules", Json::array())) devices.push_back(TRY(device_cgroup_rule(rule.get<std::string>())));
    }
    Json linux_devices = Json::array();
    for (const auto& d : hc.value("Devices", Json::array())) {
        std::string host = d.value("PathOnHost", ""), inside = d.value("PathInContainer", host);
        struct stat st{};
        std::string gathering = "error gathering device information while adding custom device \"" + host + "\"";
        if (::stat(host.c_str(), &st) != 0) {
            Error e = Error::from_syscall(gathering);
            e.exit_status = errno == ENOENT ? 127 : 125; // the docker CLI's answer to a start error naming a missing file
            return e;
        }
        if (!(S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))) return Error::usage(gathering + ": not a device node");
        std::string type = S_ISBLK(st.st_mode) ? "b" : "c";
        int64_t major = ::major(st.st_rdev), minor = ::minor(st.st_rdev);
        linux_devices.push_back(Json{{"path", inside}, {"type", type}, {"major", major}, {"minor", minor}, {"fileMode", st.st_mode & 07777}, {"uid", 0}, {"gid", 0}});
        devices.push_back(Json{{"allow", true}, {"type", type}, {"major", major}, {"minor", minor}, {"access", d.value("CgroupPermissions", "rwm")}});
    }
    resources["devices"] = std::move(devices);
    Json limits = oci_limits(hc);
    for (auto& [k, v] : limits.items()) resources[k] = std::move(v);

    Json namespaces = Json::array({Json{{"type", "mount"}}});
    auto add_namespace = [&](const char* type, const std::string& path) {
        namespaces.push_back(path.empty() ? Json{{"type", type}} : Json{{"type", type}, {"path", path}});
    };
    if (hc.value("PidMode", "") != "host") add_namespace("pid", in.shared.pid_ns_path);
    if (ipc != "host") add_namespace("ipc", in.shared.ipc_ns_path);
    bool own_uts = hc.value("UTSMode", "") != "host";
    if (own_uts) add_namespace("uts", "");
    std::string net = hc.value("NetworkMode", "");
    if (net != "host" || !in.netns_path.empty()) add_namespace("network", in.netns_path);
    if (hc.value("CgroupnsMode", "private") != "host") add_namespace("cgroup", "");

    Json linux_ = {{"resources", std::move(resources)},
                   {"namespaces", std::move(namespaces)},
                   {"cgroupsPath", container_cgroup_path(row, in.cgroup_parent)},
                   {"devices", std::move(linux_devices)}};
    if (!privileged) {
        linux_["maskedPaths"] = hc.contains("MaskedPaths") ? hc["MaskedPaths"] : Json(docker_masked_paths());
        linux_["readonlyPaths"] = hc.contains("ReadonlyPaths") ? hc["ReadonlyPaths"] : Json(docker_readonly_paths());
    }
    if (!seccomp.is_null()) linux_["seccomp"] = std::move(seccomp);
    // In a network namespace of its own, as Docker 20.10+: any user may ping and bind ports
    // below 1024 (a web server as nobody on :80). The user's --sysctl win.
    Json sysctl = Json::object();
    if (net != "host" && net.rfind("container:", 0) != 0) {
        for (const auto& [key, value] : {std::pair{"net.ipv4.ping_group_range", "0 2147483647"}, std::pair{"net.ipv4.ip_unprivileged_port_start", "0"}}) {
            std::string path = "/proc/sys/" + std::string(key);
            std::replace(path.begin(), path.end(), '.', '/');
            if (::access(path.c_str(), F_OK) == 0) sysctl[key] = value;
        }
    }
    Json asked = hc.value("Sysctls", Json::object());
    for (auto& [k, v] : asked.items()) sysctl[k] = std::move(v);
    if (!sysctl.empty()) linux_["sysctl"] = std::move(sysctl);

    Json annotations = hc.value("Annotations", Json::object());
    if (!annotations.is_object()) annotations = Json::object();
    if (!in.rootfs.overlay_data.empty()) {
        annotations["run.kouti.rootfs.overlay"] = in.rootfs.overlay_data;
        annotations["run.kouti.rootfs.overlay-base"] = in.rootfs.overlay_base;
    }
    annotations["run.kouti.workdir"] = "engine";
    if (!in.shared.shm_donor.empty()) annotations["run.kouti.shm-from"] = in.shared.shm_donor;
    Json spec = {{"ociVersion", "1.1.0"},
                 {"process", std::move(process)},
                 {"root", {{"path", in.rootfs.path}, {"readonly", hc.value("ReadonlyRootfs", false)}}},
                 {"mounts", std::move(mounts)},
                 {"linux", std::move(linux_)},
                 {"annotations", std::move(annotations)}};
    if (own_uts) spec["hostname"] = c.value("Hostname", "");
    if (own_uts && !c.value("Domainname", "").empty()) spec["domainname"] = c["Domainname"];
    return spec;
}

} // namespace kouti
