// What a container changed, read from its overlay upper dir: no libarchive here, so `diff`
// runs from the light CLI library.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "archive/tree_tar.h"
#include "archive/whiteout.h"
#include "sys/fd.h"

#include <algorithm>

namespace kouti {

bool is_mount_placeholder(const std::string& path, const struct stat& st) {
    return S_ISREG(st.st_mode) && st.st_size == 0 && (path == "etc/hostname" || path == "etc/hosts" || path == "etc/resolv.conf");
}

std::vector<std::string> sorted_names(int dirfd) {
    std::vector<std::string> names;
    int dup = ::dup(dirfd);
    DIR* d = dup >= 0 ? ::fdopendir(dup) : nullptr;
    if (!d) {
        if (dup >= 0) ::close(dup);
        return names;
    }
    while (dirent* e = ::readdir(d)) {
        std::string n = e->d_name;
        if (n != "." && n != "..") names.push_back(n);
    }
    ::closedir(d);
    std::sort(names.begin(), names.end());
    return names;
}

bool is_overlay_whiteout(const struct stat& st) { return S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0); }

namespace {

// Whether `path` exists in the union of `lowers` (top first), honouring whiteouts above it.
bool in_lowers(const std::vector<std::string>& lowers, const std::string& rel) {
    for (const auto& l : lowers) {
        // A whiteout of the path or of one of its parents hides everything below.
        std::string walked;
        size_t start = 0;
        bool hidden = false;
        while (start < rel.size()) {
            size_t slash = rel.find('/', start);
            std::string comp = rel.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
            struct stat st;
            std::string wh_path = l + "/" + walked + comp;
            if (::lstat(wh_path.c_str(), &st) == 0 && is_overlay_whiteout(st)) hidden = true;
            if (::lstat((l + "/" + walked + whiteout_for(comp)).c_str(), &st) == 0) hidden = true;
            walked += comp + "/";
            if (slash == std::string::npos) break;
            start = slash + 1;
        }
        if (hidden) return false;
        struct stat st;
        if (::lstat((l + "/" + rel).c_str(), &st) == 0) return true;
    }
    return false;
}

// Returns whether the directory held mount placeholders (see is_mount_placeholder).
bool collect(const std::string& upper, const std::string& rel, const std::vector<std::string>& lowers, std::vector<Change>& out) {
    UniqueFd dir(::open((upper + "/" + rel).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!dir.valid()) return false;
    bool placeholders = false;
    for (const auto& name : sorted_names(dir.get())) {
        std::string path = rel.empty() ? name : rel + "/" + name;
        struct stat st;
        if (::fstatat(dir.get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
        if (is_mount_placeholder(path, st)) {
            placeholders = true;
            continue;
        }
        if (is_overlay_whiteout(st)) {
            out.push_back({'D', "/" + path});
            continue;
        }
        char kind = in_lowers(lowers, path) ? 'C' : 'A';
        size_t at = out.size();
        out.push_back({kind, "/" + path});
        if (S_ISDIR(st.st_mode)) {
            bool only_placeholders = collect(upper, path, lowers, out) && out.size() == at + 1;
            // An image directory copied up only to hold the mount points is not a change.
            if (kind == 'C' && only_placeholders) out.pop_back();
        }
    }
    return placeholders;
}

} // namespace

Result<std::vector<Change>> overlay_changes(const std::string& upper, const std::vector<std::string>& lowers) {
    std::vector<Change> out;
    collect(upper, "", lowers, out);
    return out;
}

} // namespace kouti
