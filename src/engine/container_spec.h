#pragma once
// Turns a container's Docker configuration into the OCI runtime spec kouti's runtime runs:
// Docker's defaults (mounts, 14 capabilities, masked and read-only paths, seccomp profile,
// device rules) changed by the HostConfig the user asked for.
#include <string>
#include <vector>

#include "engine/shared_namespaces.h"
#include "store/containers.h"
#include "store/layer_driver.h"
#include "util/json.h"

namespace kouti {

struct SpecInputs {
    RwRootfs rootfs;
    std::vector<std::string> layer_dirs; // the image's layers, top first (for /etc/passwd)
    std::string rw_dir;                  // the container's own changes (looked at first)
    std::string cgroup_parent;           // default parent when HostConfig has none
    std::string volumes_dir;             // <root>/volumes
    std::string init_path;               // the kouti-init binary for --init
    std::vector<std::pair<std::string, std::string>> etc_files; // (inside, host file): hosts, resolv.conf...
    std::string netns_path;              // join this network namespace (container:NAME)
    SharedNamespaces shared;             // --pid/--ipc container:NAME
    std::vector<std::string> link_env;   // --link's ALIAS_* variables (the container's own win)
};

// An OCI process "user" object for Docker's --user ("name", "uid", "name:group", "uid:gid"),
// looked up in the /etc/passwd and /etc/group of `layer_dirs` (top first).
Result<Json> oci_user(const std::string& user, const std::vector<std::string>& layer_dirs, const Json& group_add);

// --device-cgroup-rule "c 13:* rwm" (type, major:minor each a number or *, access) as an
// OCI linux.resources.devices entry.
Result<Json> device_cgroup_rule(const std::string& rule);

// linux.resources for the limits of a HostConfig (memory, cpu, pids, blkio), without devices.
Json oci_limits(const Json& host_config);
// CpuRealtimePeriod/Runtime checked as Docker's daemon checks them (the kernel can give
// real-time time, the runtime fits in the period).
Status check_cpu_realtime(const Json& host_config);

Result<Json> build_oci_spec(const ContainerRow& row, const SpecInputs& in);
// The spec's linux.cgroupsPath: <HostConfig.CgroupParent, else `default_parent`, else /kouti>/<id>.
std::string container_cgroup_path(const ContainerRow& row, const std::string& default_parent);
// KOUTI_CGROUP_PARENT, the parent of containers that name none (tests keep theirs apart with it).
std::string environment_cgroup_parent();

// Docker's default seccomp policy as a deny list: the syscalls Docker's profile leaves out for a
// container with the default capabilities fail with EPERM; every other syscall is allowed.
Json default_seccomp_profile(const std::vector<std::string>& caps);
const std::vector<std::string>& docker_default_capabilities();
// The paths Docker masks and makes read-only in a container that is not privileged.
const std::vector<std::string>& docker_masked_paths();
const std::vector<std::string>& docker_readonly_paths();

} // namespace kouti
