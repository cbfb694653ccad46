#pragma once
#include <string>

#include "util/result.h"

namespace kouti {

// Copies a directory tree preserving types, owners, modes, times, xattrs and hard links; file
// data goes through copy_file_range (a reflink on btrfs/xfs). `to` must not exist.
Status copy_tree(const std::string& from, const std::string& to);

} // namespace kouti
