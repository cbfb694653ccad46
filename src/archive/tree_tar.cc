#include "archive/tree_tar.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <memory>

#include "archive/whiteout.h"
#include "sys/fd.h"
#include "sys/resolve.h"

namespace kouti {
namespace {

Error archive_error(archive* a, const std::string& what) {
    const char* s = archive_error_string(a);
    return Error::internal("write tar: " + what + ": " + (s ? s : "unknown error"));
}


bool opaque_dir(int fd) {
    char v[4];
    ssize_t n = ::fgetxattr(fd, kOverlayOpaqueXattr, v, sizeof v);
    if (n < 0) n = ::fgetxattr(fd, "user.overlay.opaque", v, sizeof v);
    return n == 1 && v[0] == 'y';
}

class TreeWriter {
public:
    TreeWriter(archive* a, const TreeTarOptions& o) : m_a(a), m_o(o) {}

    Status walk(int dirfd, const std::string& prefix, dev_t root_dev) {
        for (const auto& name : sorted_names(dirfd)) {
            struct stat st;
            if (::fstatat(dirfd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) continue; // vanished meanwhile
            std::string path = prefix + name;
            if (m_o.skip_mount_placeholders && is_mount_placeholder(path, st)) continue;
            if (m_o.one_file_system && S_ISDIR(st.st_mode) && st.st_dev != root_dev) {
                TRY(entry(dirfd, name, path, st, true)); // the mount point itself, empty
                continue;
            }
            if (m_o.overlay_whiteouts && is_overlay_whiteout(st)) {
                auto slash = path.rfind('/');
                std::string wh = (slash == std::string::npos ? "" : path.substr(0, slash + 1)) + whiteout_for(name);
                TRY(plain_file(wh));
                continue;
            }
            TRY(entry(dirfd, name, path, st, false));
            if (S_ISDIR(st.st_mode)) {
                UniqueFd sub(::openat(dirfd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
                if (!sub.valid()) return Error::from_syscall("open " + path);
                if (m_o.overlay_whiteouts && opaque_dir(sub.get())) TRY(plain_file(path + "/" + std::string(kOpaqueMarker)));
                TRY(walk(sub.get(), path + "/", root_dev));
            }
        }
        return ok();
    }

    // The top of `docker cp SRC -`: the file `path_fd` (O_PATH, never followed) is, as `name`.
    Status top(int path_fd, const std::string& name, const struct stat& st) { return entry(path_fd, "", name, st, false); }

private:
    Status plain_file(const std::string& path) {
        std::unique_ptr<archive_entry, void (*)(archive_entry*)> e(archive_entry_new(), archive_entry_free);
        archive_entry_set_pathname(e.get(), path.c_str());
        archive_entry_set_filetype(e.get(), AE_IFREG);
        archive_entry_set_perm(e.get(), 0644);
        archive_entry_set_size(e.get(), 0);
        if (archive_write_header(m_a, e.get()) != ARCHIVE_OK) return archive_error(m_a, path);
        return ok();
    }

    Status entry(int dirfd, const std::string& name, const std::string& path, const struct stat& st, bool empty_dir) {
        std::unique_ptr<archive_entry, void (*)(archive_entry*)> e(archive_entry_new(), archive_entry_free);
        archive_entry_copy_stat(e.get(), &st);
        archive_entry_set_pathname(e.get(), (S_ISDIR(st.st_mode) ? path + "/" : path).c_str());
        archive_entry_set_uname(e.get(), "");
        archive_entry_set_gname(e.get(), "");
        UniqueFd file;
        if (S_ISLNK(st.st_mode)) {
            std::string target(static_cast<size_t>(st.st_size) + 1, '\0');
            ssize_t n = ::readlinkat(dirfd, name.c_str(), target.data(), target.size());
            if (n < 0) return Error::from_syscall("readlink " + path);
            target.resize(static_cast<size_t>(n));
            archive_entry_set_symlink(e.get(), target.c_str());
        } else if (S_ISREG(st.st_mode)) {
            if (st.st_nlink > 1) {
                auto key = std::make_pair(st.st_dev, st.st_ino);
                auto it = m_links.find(key);
                if (it != m_links.end()) {
                    archive_entry_set_hardlink(e.get(), it->second.c_str());
                    archive_entry_set_size(e.get(), 0);
                    if (archive_write_header(m_a, e.get()) != ARCHIVE_OK) return archive_error(m_a, path);
                    return ok();
                }
                m_links[key] = path;
            }
            // An empty name is `dirfd` itself, an O_PATH fd: opened again through /proc.
            file.reset(name.empty() ? ::open(fd_path(dirfd).c_str(), O_RDONLY | O_CLOEXEC)
                                    : ::openat(dirfd, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
            if (!file.valid()) return Error::from_syscall("open " + path);
        }
        if (!S_ISLNK(st.st_mode) && !empty_dir) add_xattrs(e.get(), dirfd, name);
        if (archive_write_header(m_a, e.get()) != ARCHIVE_OK) return archive_error(m_a, path);
        if (file.valid()) {
            char buf[1 << 16];
            int64_t left = st.st_size;
            while (left > 0) {
                ssize_t n = ::read(file.get(), buf, sizeof buf);
                if (n < 0 && errno == EINTR) continue;
                if (n <= 0) break;
                n = std::min<ssize_t>(n, static_cast<ssize_t>(left));
                if (archive_write_data(m_a, buf, static_cast<size_t>(n)) < 0) return archive_error(m_a, path);
                left -= n;
            }
            // A file that shrank while we read it is padded, so the tar stays well-formed.
            std::string zeros(4096, '\0');
            while (left > 0) {
                size_t n = static_cast<size_t>(std::min<int64_t>(left, 4096));
                archive_write_data(m_a, zeros.data(), n);
                left -= static_cast<int64_t>(n);
            }
        }
        return ok();
    }

    void add_xattrs(archive_entry* e, int dirfd, const std::string& name) {
        // For `dirfd` itself (an empty name), through its /proc link, followed: never a symlink here.
        std::string p = name.empty() ? fd_path(dirfd) : fd_path(dirfd) + "/" + name;
        auto list_of = name.empty() ? ::listxattr : ::llistxattr;
        auto get = name.empty() ? ::getxattr : ::lgetxattr;
        char list[4096];
        ssize_t n = list_of(p.c_str(), list, sizeof list);
        for (ssize_t i = 0; i < n;) {
            std::string key = list + i;
            i += static_cast<ssize_t>(key.size()) + 1;
            if (key.rfind("trusted.overlay.", 0) == 0 || key.rfind("user.overlay.", 0) == 0) continue;
            char value[4096];
            ssize_t vn = get(p.c_str(), key.c_str(), value, sizeof value);
            if (vn >= 0) archive_entry_xattr_add_entry(e, key.c_str(), value, static_cast<size_t>(vn));
        }
    }

    archive* m_a;
    TreeTarOptions m_o;
    std::map<std::pair<dev_t, ino_t>, std::string> m_links;
};

} // namespace

Status write_path_tar(int path_fd, const std::string& name, int fd) {
    std::unique_ptr<archive, int (*)(archive*)> a(archive_write_new(), archive_write_free);
    archive_write_set_format_pax_restricted(a.get());
    archive_write_set_bytes_in_last_block(a.get(), 1);
    if (archive_write_open_fd(a.get(), fd) != ARCHIVE_OK) return archive_error(a.get(), "open");
    struct stat st;
    if (::fstat(path_fd, &st) != 0) return Error::from_syscall("stat " + name);
    TreeWriter w(a.get(), TreeTarOptions{});
    TRY(w.top(path_fd, name, st));
    if (S_ISDIR(st.st_mode)) {
        UniqueFd dir(::openat(path_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        if (!dir.valid()) return Error::from_syscall("open " + name);
        TRY(w.walk(dir.get(), name + "/", st.st_dev));
    }
    if (archive_write_close(a.get()) != ARCHIVE_OK) return archive_error(a.get(), "close");
    return ok();
}

Status write_tree_tar(const std::string& dir, int fd, const TreeTarOptions& opts) {
    std::unique_ptr<archive, int (*)(archive*)> a(archive_write_new(), archive_write_free);
    archive_write_set_format_pax_restricted(a.get());
    archive_write_set_bytes_in_last_block(a.get(), 1);
    if (archive_write_open_fd(a.get(), fd) != ARCHIVE_OK) return archive_error(a.get(), "open");
    UniqueFd root(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!root.valid()) return Error::from_syscall("open " + dir);
    struct stat st;
    if (::fstat(root.get(), &st) != 0) return Error::from_syscall("stat " + dir);
    TreeWriter w(a.get(), opts);
    TRY(w.walk(root.get(), "", st.st_dev));
    if (archive_write_close(a.get()) != ARCHIVE_OK) return archive_error(a.get(), "close");
    return ok();
}

} // namespace kouti
