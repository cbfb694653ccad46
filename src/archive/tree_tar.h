#pragma once
// Directory trees as layer tars, and what a container changed: the walk behind commit, export
// and diff. Entries are written in name order with their full metadata (owner, mode, times,
// xattrs such as file capabilities, hard links as links).
#include <sys/stat.h>

#include <string>
#include <vector>

#include "util/result.h"

namespace kouti {

struct TreeTarOptions {
    bool overlay_whiteouts = false; // overlay's 0/0 devices and opaque xattr become OCI whiteouts
    bool one_file_system = false;   // skip what is mounted below the root (export of a live root)
    bool skip_mount_placeholders = false; // leave out is_mount_placeholder() files (commit)
};

// The empty files made in a container's upper dir so /etc/hostname, /etc/hosts and
// /etc/resolv.conf could be mounted over (images without them): not the container's change,
// as Docker keeps them in an init layer. `path` is relative to the root ("etc/hosts").
bool is_mount_placeholder(const std::string& path, const struct stat& st);

// The names in a directory (no . or ..), sorted.
std::vector<std::string> sorted_names(int dirfd);
// overlayfs marks a deleted file with a 0/0 character device.
bool is_overlay_whiteout(const struct stat& st);

Status write_tree_tar(const std::string& dir, int fd, const TreeTarOptions& opts);
// `docker cp SRC -`: the file `path_fd` (an O_PATH fd) is, and all below it for a directory,
// its entries named from `name` ("etc/", "etc/group"...).
Status write_path_tar(int path_fd, const std::string& name, int fd);

struct Change {
    char kind; // 'A' added, 'C' changed, 'D' deleted
    std::string path; // absolute inside the container
};
// Changes of an overlay upper dir against its lower dirs (top first), as `docker diff` lists them.
Result<std::vector<Change>> overlay_changes(const std::string& upper, const std::vector<std::string>& lowers);

} // namespace kouti
