#pragma once
#include <string>

#include "sys/fd.h"
#include "util/result.h"

namespace kouti {

Status mount_fs(const std::string& source, const std::string& target, const std::string& type,
                unsigned long flags, const std::string& data);
Status unmount(const std::string& target, bool detach);
// Whether `path` is the root of a mount (statx's STATX_ATTR_MOUNT_ROOT).
bool is_mount_point(const std::string& path);
// Filesystem type name of the file system holding `path` ("ext4", "tmpfs", "overlay", ...).
std::string filesystem_type(const std::string& path);
bool kernel_has_filesystem(const std::string& name); // listed in /proc/filesystems

// A detached copy of the mount at `path` as the process `proc` ("/proc/<pid>") sees it, made
// inside that process's mount namespace: a bind mount cannot take its source from another
// namespace. The caller must not share its fs_struct (a thread, or CLONE_FS) and comes back to
// its own namespace, whose root and working directory become that namespace's root.
Result<UniqueFd> clone_mount_of(const std::string& proc, const std::string& path);
// Attaches a detached mount (from clone_mount_of) onto the directory `target_fd`.
Status attach_mount(int tree_fd, int target_fd, const std::string& shown);

} // namespace kouti
