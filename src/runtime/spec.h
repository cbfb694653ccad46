#pragma once
// The OCI runtime spec (config.json, version 1.1) as plain data, parsed and validated up front so
// the code that runs after clone() never allocates or fails on bad input.
#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "util/json.h"
#include "util/result.h"

namespace kouti {

struct SpecMount {
    std::string destination, type, source;
    std::vector<std::string> options;
};

struct SpecNamespace {
    std::string type; // pid network mount ipc uts user cgroup time
    std::string path; // join instead of create
};

struct IdMapping {
    uint32_t container_id = 0, host_id = 0, size = 0;
};

struct SpecRlimit {
    std::string type; // "RLIMIT_NOFILE"
    uint64_t soft = 0, hard = 0;
};

struct SpecDevice {
    std::string path, type; // type: c b u p
    int64_t major = 0, minor = 0;
    uint32_t file_mode = 0666;
    uint32_t uid = 0, gid = 0;
};

struct DeviceRule {
    bool allow = false;
    std::string type = "a"; // a c b
    int64_t major = -1, minor = -1; // -1: any
    std::string access = "rwm";
};

// blockIO.throttle*Device: a rate for one block device.
struct DeviceRate {
    int64_t major = 0, minor = 0;
    uint64_t rate = 0;
};

// blockIO.weightDevice: a relative weight for one block device.
struct DeviceWeight {
    int64_t major = 0, minor = 0;
    uint16_t weight = 0;
};

struct Resources {
    std::optional<int64_t> memory_limit, memory_reservation, memory_swap;
    std::optional<uint64_t> memory_swappiness;
    bool disable_oom_killer = false;
    std::optional<uint64_t> cpu_shares;
    std::optional<int64_t> cpu_quota;
    std::optional<uint64_t> cpu_period;
    std::optional<uint64_t> cpu_rt_period;
    std::optional<int64_t> cpu_rt_runtime;
    std::string cpuset_cpus, cpuset_mems;
    std::optional<int64_t> pids_limit;
    std::optional<uint16_t> blkio_weight;
    std::vector<DeviceRate> read_bps, write_bps, read_iops, write_iops;
    std::vector<DeviceWeight> weight_devices;
    std::vector<DeviceRule> devices;
    std::vector<std::pair<std::string, uint64_t>> hugepage_limits; // page size ("2MB"), bytes
    std::vector<std::pair<std::string, std::string>> unified; // cgroup v2 file, value: written last
    bool any() const;
};

struct SeccompArg {
    unsigned index = 0;
    uint64_t value = 0, value_two = 0;
    std::string op;
};
struct SeccompRule {
    std::vector<std::string> names;
    std::string action;
    std::optional<uint32_t> errno_ret;
    std::vector<SeccompArg> args;
};
struct Seccomp {
    std::string default_action;
    std::optional<uint32_t> default_errno_ret;
    std::vector<std::string> architectures;
    std::vector<SeccompRule> syscalls;
};

struct Hook {
    std::string path;
    std::vector<std::string> args, env;
    std::optional<int> timeout;
};
struct Hooks {
    std::vector<Hook> prestart, create_runtime, create_container, start_container, poststart, poststop;
};

struct Capabilities {
    std::vector<int> bounding, effective, inheritable, permitted, ambient;
};

struct Spec {
    std::string oci_version;
    std::string root_path; // absolute after parse (resolved against the bundle)
    bool root_readonly = false;
    // kouti's own containers: an overlay mounted on root_path inside the container's mount
    // namespace (annotation run.kouti.rootfs.overlay = mount data with lowerdir/upperdir/workdir
    // relative to run.kouti.rootfs.overlay-base), so it vanishes with the container.
    std::string overlay_data, overlay_base;
    // kouti's --ipc container:NAME: the donor's /dev/shm is mounted on the container's
    // (annotation run.kouti.shm-from = "/proc/<donor's pid>").
    std::string shm_from;
    // kouti's engine (annotation run.kouti.workdir = "engine"): a file where the working
    // directory should be made fails the start, in Docker's words, as Docker's engine checks it.
    bool engine_workdir = false;
    // process
    bool terminal = false;
    uint32_t console_height = 0, console_width = 0;
    uid_t uid = 0;
    gid_t gid = 0;
    std::vector<gid_t> additional_gids;
    std::optional<mode_t> umask;
    std::vector<std::string> args, env;
    std::string cwd = "/";
    std::optional<Capabilities> caps;
    std::vector<SpecRlimit> rlimits;
    bool no_new_privileges = false;
    std::optional<int> oom_score_adj;
    std::string apparmor_profile, selinux_label;
    std::string hostname, domainname;
    std::vector<SpecMount> mounts;
    Hooks hooks;
    // linux
    std::vector<SpecNamespace> namespaces;
    std::vector<IdMapping> uid_mappings, gid_mappings;
    std::vector<SpecDevice> devices;
    std::string cgroups_path;
    Resources resources;
    std::vector<std::pair<std::string, std::string>> sysctl;
    std::vector<std::string> masked_paths, readonly_paths;
    std::string rootfs_propagation;
    std::optional<Seccomp> seccomp;
    std::string mount_label;
    // linux.personality's domain (PER_LINUX or PER_LINUX32), taken before the exec, by `exec` too.
    std::optional<unsigned long> personality;
    Json annotations = Json::object();

    bool has_namespace(const std::string& type) const;
    const SpecNamespace* find_namespace(const std::string& type) const;
};

// Parses config.json text; errors name the offending field ("process.args: must be a non-empty
// list of strings"). `bundle` resolves a relative root.path.
Result<Spec> parse_spec(const std::string& text, const std::string& bundle);
Result<Spec> parse_spec_json(const Json& config, const std::string& bundle);
// The bundle's config.json, unparsed.
Result<std::string> read_config_text(const std::string& bundle);
Result<Spec> load_spec(const std::string& bundle);

// Capability names ("CAP_NET_ADMIN") and numbers; -1 when unknown.
int capability_number(const std::string& name);
std::string capability_name(int number);
int last_capability();
// Resource limit names ("RLIMIT_NOFILE"); -1 when unknown.
int rlimit_number(const std::string& name);

// The default config.json of `runc spec`, with `kouti oci spec`'s rootless variant.
Json default_spec(bool rootless);

} // namespace kouti
