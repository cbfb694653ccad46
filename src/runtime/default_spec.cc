// `kouti oci spec`: the same starting config.json that `runc spec` writes.
#include "runtime/spec.h"

namespace kouti {

Json default_spec(bool rootless) {
    Json caps = Json::array({"CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"});
    Json s = Json::object();
    s["ociVersion"] = "1.1.0";
    s["process"] = {
        {"terminal", true},
        {"user", {{"uid", 0}, {"gid", 0}}},
        {"args", Json::array({"sh"})},
        {"env", Json::array({"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"})},
        {"cwd", "/"},
        {"capabilities", {{"bounding", caps}, {"effective", caps}, {"permitted", caps}, {"ambient", caps}}},
        {"rlimits", Json::array({Json{{"type", "RLIMIT_NOFILE"}, {"hard", 1024}, {"soft", 1024}}})},
        {"noNewPrivileges", true},
    };
    s["root"] = {{"path", "rootfs"}, {"readonly", true}};
    s["hostname"] = "kouti";
    s["mounts"] = Json::array({
        Json{{"destination", "/proc"}, {"type", "proc"}, {"source", "proc"}},
        Json{{"destination", "/dev"}, {"type", "tmpfs"}, {"source", "tmpfs"}, {"options", {"nosuid", "strictatime", "mode=755", "size=65536k"}}},
        Json{{"destination", "/dev/pts"}, {"type", "devpts"}, {"source", "devpts"},
             {"options", {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"}}},
        Json{{"destination", "/dev/shm"}, {"type", "tmpfs"}, {"source", "shm"}, {"options", {"nosuid", "noexec", "nodev", "mode=1777", "size=65536k"}}},
        Json{{"destination", "/dev/mqueue"}, {"type", "mqueue"}, {"source", "mqueue"}, {"options", {"nosuid", "noexec", "nodev"}}},
        Json{{"destination", "/sys"}, {"type", "sysfs"}, {"source", "sysfs"}, {"options", {"nosuid", "noexec", "nodev", "ro"}}},
        Json{{"destination", "/sys/fs/cgroup"}, {"type", "cgroup"}, {"source", "cgroup"}, {"options", {"nosuid", "noexec", "nodev", "relatime", "ro"}}},
    });
    Json ns = Json::array({Json{{"type", "pid"}}, Json{{"type", "network"}}, Json{{"type", "ipc"}}, Json{{"type", "uts"}},
                           Json{{"type", "mount"}}, Json{{"type", "cgroup"}}});
    s["linux"] = {
        {"resources", {{"devices", Json::array({Json{{"allow", false}, {"access", "rwm"}}})}}},
        {"namespaces", ns},
        {"maskedPaths", {"/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
                         "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi"}},
        {"readonlyPaths", {"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"}},
    };
    if (rootless) {
        s["linux"]["namespaces"].push_back(Json{{"type", "user"}});
        s["linux"]["uidMappings"] = Json::array({Json{{"containerID", 0}, {"hostID", 1000}, {"size", 1}}});
        s["linux"]["gidMappings"] = Json::array({Json{{"containerID", 0}, {"hostID", 1000}, {"size", 1}}});
        s["linux"].erase("resources");
        s["mounts"][6] = Json{{"destination", "/sys"}, {"type", "none"}, {"source", "/sys"}, {"options", {"rbind", "nosuid", "noexec", "nodev", "ro"}}};
        s["mounts"].erase(5);
    }
    return s;
}

} // namespace kouti
