#pragma once
// One "-v SOURCE:DESTINATION[:MODE]" as HostConfig.Binds keeps it. A source that is not an
// absolute path names a local volume.
#include <string>

namespace kouti {

struct BindSpec {
    std::string source, destination, mode; // mode: "ro", "rw", "z", "rshared"... comma-separated
    bool named_volume() const { return !source.empty() && source[0] != '/'; }
    bool read_only() const;
    std::string propagation() const; // the mode's, else Docker's default "rprivate"
};

BindSpec parse_bind(const std::string& bind);
// The same bind with its read-only/read-write mode replaced, other options kept.
std::string bind_with_mode(const std::string& bind, const std::string& mode);

} // namespace kouti
