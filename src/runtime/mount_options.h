#pragma once
// Mount option strings ("ro", "nosuid", "rbind", "rslave", "size=64k") split into mount(2) flags,
// propagation flags and the filesystem's data string. Pure, unit-tested.
#include <string>
#include <vector>

namespace kouti {

struct MountFlags {
    unsigned long flags = 0;       // MS_RDONLY, MS_NOSUID, ... and MS_BIND | MS_REC for (r)bind
    unsigned long clear = 0;       // flags an option turns off ("rw", "suid", ...)
    unsigned long propagation = 0; // MS_SHARED / MS_SLAVE / MS_PRIVATE / MS_UNBINDABLE (| MS_REC)
    std::string data;              // everything else, comma-joined
    bool bind() const;
};

MountFlags parse_mount_options(const std::vector<std::string>& options);
unsigned long propagation_flag(const std::string& name); // "rslave" -> MS_SLAVE | MS_REC; 0 if unknown

} // namespace kouti
