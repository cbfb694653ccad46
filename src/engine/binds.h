#pragma once
// One "-v SOURCE:DESTINATION[:MODE]" as HostConfig.Binds keeps it. A source that is not an
// absolute path names a local volume.
#include <string>

namespace kouti {

struct BindSpec {
    std::string source, destination, mode; // mode: "ro", "rw", "z", "rshared"... comma-separated
    bool named_volume() const { return !source.empty() && source[0] != '/'; }
    bool read_only() const;
    bool has_option(const std::string& option) const; // in the mode: "nocopy", "z"...
    std::string propagation() const; // the mode's, else Docker's default "rprivate"
};

BindSpec parse_bind(const std::string& bind);
// Docker's -v modes: at most one each of ro|rw, z|Z, a propagation, nocopy and a consistency.
bool valid_bind_mode(const std::string& mode);
// The same bind with its read-only/read-write mode replaced, other options kept.
std::string bind_with_mode(const std::string& bind, const std::string& mode);

} // namespace kouti
