#pragma once
// Opening paths strictly inside a directory: openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS) so
// that no "..", absolute path or symlink (planted by an earlier tar entry) can lead outside it.
#include <string>

#include "sys/fd.h"
#include "util/result.h"

namespace kouti {

// Opens `rel` below `dirfd`; fails with ELOOP on a symlink and EXDEV on an escape.
Result<UniqueFd> open_beneath(int dirfd, const std::string& rel, int flags);
// Opens directory `rel` below `dirfd`, creating missing components (0755, root-owned).
Result<UniqueFd> open_or_make_dirs_beneath(int dirfd, const std::string& rel);

} // namespace kouti

namespace kouti {
// Opens `path` as if `rootfd` were "/": symlinks are followed but never leave it
// (openat2 RESOLVE_IN_ROOT), magic links of /proc are refused.
Result<UniqueFd> open_in_root(int rootfd, const std::string& path, int flags);
// Creates `path` below `rootfd` (as a directory, or an empty file when !dir), making parents.
Result<UniqueFd> make_in_root(int rootfd, const std::string& path, bool dir);
// "/proc/self/fd/N": the name the kernel resolves to exactly the file fd N holds.
std::string fd_path(int fd);
} // namespace kouti
