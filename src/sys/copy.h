#pragma once
#include <sys/types.h>

#include <optional>
#include <string>

#include "util/result.h"

namespace kouti {

struct FileOwner {
    uid_t uid;
    gid_t gid;
};

// Copies a directory tree preserving types, owners (unless `owner` is given: then everything is
// its), modes, times, xattrs and hard links; file data goes through copy_file_range (a reflink
// on btrfs/xfs). `to` must not exist.
Status copy_tree(const std::string& from, const std::string& to, std::optional<FileOwner> owner = std::nullopt);

} // namespace kouti
