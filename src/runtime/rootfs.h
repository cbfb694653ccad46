#pragma once
// The container's file system, set up by the child inside its own mount namespace: rootfs bind,
// the spec's mounts, /dev, pivot_root, masked and read-only paths. Every destination is resolved
// inside the rootfs (openat2 RESOLVE_IN_ROOT) and mounted through its fd, so a symlink in the
// image can never redirect a mount to the host.
#include <functional>
#include <string>

#include "runtime/cgroups.h"
#include "runtime/spec.h"
#include "util/result.h"

namespace kouti {

struct RootfsOptions {
    bool no_pivot = false;
    CgroupLayout cgroups;
    // Called before each cgroup file system mount (what it shows depends on the cgroup namespace).
    std::function<Status()> before_cgroup_mount;
    // No cgroup namespace of its own: the cgroup file systems must show only its directories.
    bool host_cgroup_namespace = false;
    // Called before each bind mount (its source may be a file the caller is still writing).
    std::function<Status()> before_bind_mount;
};

// Everything up to (not including) pivot_root.
Status prepare_rootfs(const Spec& spec, const RootfsOptions& opts);
// pivot_root into the prepared rootfs (or MS_MOVE + chroot when asked or when on a ramfs).
Status enter_rootfs(const Spec& spec, const RootfsOptions& opts);
// After pivot_root: masked paths, read-only paths, read-only root, /dev/console for a terminal.
Status finish_rootfs(const Spec& spec, int devnull_fd);
Status bind_console(const std::string& slave_path);

} // namespace kouti
