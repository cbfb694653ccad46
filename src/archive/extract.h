#pragma once
// Safe extraction of a tar stream into a directory. Every member is created relative to an fd of
// the target directory with openat2(RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS): an absolute path, a
// ".." that climbs out, a member written through a symlink, or a hard link to anything outside
// is refused with an error naming the member, and nothing is ever written outside the target.
#include <cstdint>
#include <string>
#include <vector>

#include "archive/tar_reader.h"
#include "util/result.h"

namespace kouti {

enum class WhiteoutMode {
    Literal, // not a layer (e.g. an outer docker-archive): ".wh." names are ordinary files
    Overlay, // store whiteouts as overlayfs expects them: 0/0 char devices, opaque xattr
    Apply,   // apply whiteouts by deleting from the directory (the vfs driver's full copies)
};

struct ExtractStats {
    int64_t size = 0; // bytes of regular files and symlink targets, hard links counted once
    int64_t entries = 0;
    // Where each regular member with content was written, in archive order (for tar-split), and
    // whether they all still hold that content (no later member replaced or deleted one).
    std::vector<std::string> data_files;
    bool data_files_intact = true;
};

Result<ExtractStats> extract_tar(TarReader& tar, const std::string& target_dir, WhiteoutMode mode);

} // namespace kouti
