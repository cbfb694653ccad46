#pragma once
#include <string>

#include "util/result.h"

namespace kouti {

Status mount_fs(const std::string& source, const std::string& target, const std::string& type,
                unsigned long flags, const std::string& data);
Status unmount(const std::string& target, bool detach);
// Filesystem type name of the file system holding `path` ("ext4", "tmpfs", "overlay", ...).
std::string filesystem_type(const std::string& path);
bool kernel_has_filesystem(const std::string& name); // listed in /proc/filesystems

} // namespace kouti
