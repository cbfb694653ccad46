#include "runtime/mount_options.h"

#include <sys/mount.h>

#include <map>

namespace kouti {

bool MountFlags::bind() const { return flags & MS_BIND; }

unsigned long propagation_flag(const std::string& name) {
    static const std::map<std::string, unsigned long> p = {
        {"shared", MS_SHARED}, {"rshared", MS_SHARED | MS_REC}, {"slave", MS_SLAVE}, {"rslave", MS_SLAVE | MS_REC},
        {"private", MS_PRIVATE}, {"rprivate", MS_PRIVATE | MS_REC}, {"unbindable", MS_UNBINDABLE},
        {"runbindable", MS_UNBINDABLE | MS_REC}};
    auto it = p.find(name);
    return it == p.end() ? 0 : it->second;
}

MountFlags parse_mount_options(const std::vector<std::string>& options) {
    struct Opt {
        bool clear;
        unsigned long flag;
    };
    static const std::map<std::string, Opt> table = {
        {"ro", {false, MS_RDONLY}},        {"rw", {true, MS_RDONLY}},
        {"nosuid", {false, MS_NOSUID}},    {"suid", {true, MS_NOSUID}},
        {"nodev", {false, MS_NODEV}},      {"dev", {true, MS_NODEV}},
        {"noexec", {false, MS_NOEXEC}},    {"exec", {true, MS_NOEXEC}},
        {"sync", {false, MS_SYNCHRONOUS}}, {"async", {true, MS_SYNCHRONOUS}},
        {"dirsync", {false, MS_DIRSYNC}},  {"remount", {false, MS_REMOUNT}},
        {"mand", {false, MS_MANDLOCK}},    {"nomand", {true, MS_MANDLOCK}},
        {"atime", {true, MS_NOATIME}},     {"noatime", {false, MS_NOATIME}},
        {"diratime", {true, MS_NODIRATIME}}, {"nodiratime", {false, MS_NODIRATIME}},
        {"relatime", {false, MS_RELATIME}}, {"norelatime", {true, MS_RELATIME}},
        {"strictatime", {false, MS_STRICTATIME}}, {"nostrictatime", {true, MS_STRICTATIME}},
        {"bind", {false, MS_BIND}},        {"rbind", {false, MS_BIND | MS_REC}},
    };
    MountFlags m;
    for (const auto& o : options) {
        if (auto p = propagation_flag(o)) {
            m.propagation = p;
            continue;
        }
        auto it = table.find(o);
        if (it == table.end()) {
            if (o == "defaults") continue;
            m.data += (m.data.empty() ? "" : ",") + o;
        } else if (it->second.clear) {
            m.flags &= ~it->second.flag;
            m.clear |= it->second.flag;
        } else {
            m.flags |= it->second.flag;
        }
    }
    return m;
}

} // namespace kouti
