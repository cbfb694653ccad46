// docker cp: files, trees and tar streams between the host and a container's file system,
// every container path resolved inside its root. Apart from container_tools.cc so that only the
// CLI library, not the launcher's fast path, links libarchive for the streams.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <optional>

#include "archive/extract.h"
#include "archive/tar_reader.h"
#include "archive/tree_tar.h"
#include "engine/container_fs.h"
#include "engine/containers.h"
#include "sys/copy.h"
#include "sys/fs.h"
#include "sys/resolve.h"

namespace kouti {
namespace {

std::string base_name(std::string p) {
    while (p.size() > 1 && p.back() == '/') p.pop_back();
    return p.substr(p.rfind('/') + 1);
}

// Copies `from` (a file, a symlink or a tree) to `to` the way `docker cp` does: into `to` when
// it is a directory, else as `to`; everything owned by `owner` unless -a (nullopt); a symlink
// itself unless -L. `from` may be a /proc/self/fd path of a file opened in a root.
Status copy_any(const std::string& from, const std::string& to_dir_or_path, bool to_is_dir, const std::string& name,
                std::optional<FileOwner> owner, bool follow_link) {
    std::string target = to_is_dir ? to_dir_or_path + "/" + name : to_dir_or_path;
    struct stat st;
    if ((follow_link ? ::stat(from.c_str(), &st) : ::lstat(from.c_str(), &st)) != 0) return Error::from_syscall("stat source");
    // "dir/." names the directory itself even when `from` is a /proc/self/fd link to it.
    if (S_ISDIR(st.st_mode)) return copy_tree(from + "/.", target, owner);
    if (S_ISLNK(st.st_mode)) {
        ::unlink(target.c_str());
        return copy_tree(from, target, owner);
    }
    auto in = TRY(open_file(from, O_RDONLY));
    auto out = TRY(open_file(target, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, static_cast<int>(st.st_mode & 07777)));
    char buf[1 << 16];
    ssize_t n;
    while ((n = ::read(in.get(), buf, sizeof buf)) > 0) TRY(write_all(out.get(), buf, static_cast<size_t>(n)));
    if (n < 0) return Error::from_syscall("read source");
    (void)::fchown(out.get(), owner ? owner->uid : st.st_uid, owner ? owner->gid : st.st_gid);
    ::fchmod(out.get(), st.st_mode & 07777);
    return ok();
}

// Docker's owners: files copied into a container are its root's, files copied out the caller's;
// with -a, what they were.
std::optional<FileOwner> copy_owner(const CopyOptions& o, bool into_container) {
    if (o.archive) return std::nullopt;
    return into_container ? FileOwner{0, 0} : FileOwner{::getuid(), ::getgid()};
}

} // namespace

Status copy_from_container(Store& store, const std::string& name, const std::string& src, const std::string& dest, const CopyOptions& o) {
    if (auto slash = dest.rfind('/'); dest != "-" && slash != std::string::npos && slash > 0) {
        struct stat parent;
        std::string dir = dest.substr(0, slash);
        if (::stat(dir.c_str(), &parent) != 0 || !S_ISDIR(parent.st_mode))
            return Error::invalid("invalid output path: directory \"" + dir + "\" does not exist");
    }
    return with_container_root(store, name, [&](int root) -> Status {
        auto from = open_in_root(root, src, O_PATH | (o.follow_link ? 0 : O_NOFOLLOW));
        if (!from.ok()) return Error::not_found("Could not find the file " + src + " in container " + name);
        // "-": a tar stream on stdout, owners kept, as Docker's.
        if (dest == "-") return write_path_tar(from->get(), base_name(src) == "/" ? "." : base_name(src), 1);
        struct stat st, link;
        bool dest_dir = ::stat(dest.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
        // A /proc/self/fd name of a symlink is the fd's own link: the symlink is read through the fd.
        if (::fstat(from->get(), &link) == 0 && S_ISLNK(link.st_mode)) {
            char text[PATH_MAX];
            ssize_t n = ::readlinkat(from->get(), "", text, sizeof text);
            if (n < 0) return Error::from_syscall("readlink " + src);
            std::string target = dest_dir ? dest + "/" + base_name(src) : dest;
            ::unlink(target.c_str());
            if (::symlink(std::string(text, static_cast<size_t>(n)).c_str(), target.c_str()) != 0) return Error::from_syscall("symlink " + target);
            auto owner = copy_owner(o, false);
            ::lchown(target.c_str(), owner ? owner->uid : link.st_uid, owner ? owner->gid : link.st_gid);
            return ok();
        }
        return copy_any(fd_path(from->get()), dest, dest_dir, base_name(src), copy_owner(o, false), true);
    });
}

// `docker cp - CONTAINER:DIR`: a tar stream from stdin, extracted into the directory as the
// import of a layer is: nothing written outside it.
static Status extract_stdin_into(Store& store, const std::string& name, const std::string& dest) {
    return with_container_root(store, name, [&](int root) -> Status {
        auto dir = open_in_root(root, dest, O_PATH | O_DIRECTORY);
        if (!dir.ok()) return Error::invalid("destination \"" + name + ":" + dest + "\" must be a directory");
        TarInput in;
        in.fd = 0;
        auto tar = TarReader::open(in);
        if (!tar.ok()) {
            // Nothing at all on stdin copies nothing, as Docker's.
            if (tar.error().message == "empty archive") return ok();
            return std::move(tar).error().context("Error processing tar file");
        }
        auto extracted = extract_tar(**tar, fd_path(dir->get()), WhiteoutMode::Literal);
        if (!extracted.ok()) return std::move(extracted).error().context("Error processing tar file");
        return ok();
    });
}

Status copy_to_container(Store& store, const std::string& name, const std::string& src, const std::string& dest, const CopyOptions& o) {
    if (src == "-") return extract_stdin_into(store, name, dest);
    struct stat st;
    if (::lstat(src.c_str(), &st) != 0) return Error::not_found("lstat " + src + ": no such file or directory");
    return with_container_root(store, name, [&](int root) -> Status {
        auto existing = open_in_root(root, dest, O_PATH);
        if (existing.ok()) {
            struct stat dst;
            bool is_dir = ::fstat(existing->get(), &dst) == 0 && S_ISDIR(dst.st_mode);
            if (is_dir) return copy_any(src, fd_path(existing->get()), true, base_name(src), copy_owner(o, true), o.follow_link);
        }
        // A new name: its parent must exist inside the container.
        std::string parent = dest.substr(0, dest.rfind('/'));
        auto dir = open_in_root(root, parent.empty() ? "/" : parent, O_PATH | O_DIRECTORY);
        if (!dir.ok()) return Error::not_found("Could not find the file " + parent + " in container " + name);
        std::string leaf = base_name(dest);
        if (existing.ok()) ::unlinkat(dir->get(), leaf.c_str(), 0);
        return copy_any(src, fd_path(dir->get()), true, leaf, copy_owner(o, true), o.follow_link);
    });
}

} // namespace kouti
