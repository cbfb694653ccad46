#include "archive/extract.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <set>
#include <vector>

#include "archive/whiteout.h"
#include "sys/fs.h"
#include "sys/resolve.h"
#include "util/crash.h"

namespace kouti {
namespace {

Error member_error(const std::string& member, const std::string& why) {
    return Error::invalid("invalid tar member \"" + member + "\": " + why);
}

struct DirTimes {
    std::string path;
    timespec times[2];
};

class Extractor {
public:
    Extractor(TarReader& tar, int rootfd, WhiteoutMode mode) : m_tar(tar), m_root(rootfd), m_mode(mode) {}

    Result<ExtractStats> run() {
        while (archive_entry* e = TRY(m_tar.next())) TRY(one(e));
        // Directory times last: creating children changed them.
        for (auto it = m_dir_times.rbegin(); it != m_dir_times.rend(); ++it) {
            auto fd = open_beneath(m_root, it->path, O_PATH | O_DIRECTORY);
            if (fd.ok()) ::utimensat(fd->get(), "", it->times, AT_EMPTY_PATH);
        }
        return m_stats;
    }

private:
    // The directory that holds `parent`, resolved beneath the root; cached because tars list a
    // directory's members together.
    Result<int> parent_fd(const std::string& member, const std::string& parent) {
        if (m_cached.valid() && m_cached_path == parent) return m_cached.get();
        auto fd = open_or_make_dirs_beneath(m_root, parent);
        if (!fd.ok()) {
            int e = fd.error().err;
            if (e == ELOOP || e == EXDEV) return member_error(member, "path goes through a symlink");
            if (e == ENOTDIR) return member_error(member, "parent is not a directory");
            return std::move(fd).error().context("extract " + member);
        }
        m_cached = std::move(fd).value();
        m_cached_path = parent;
        return m_cached.get();
    }

    void forget_cache() { m_cached.reset(); m_cached_path.clear(); }

    // Removes whatever is at dir/name (any type) so a new member never writes through it.
    Status clear(int dir, const std::string& name, const std::string& member) {
        struct stat st;
        if (::fstatat(dir, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return ok();
        if (!S_ISDIR(st.st_mode)) {
            if (::unlinkat(dir, name.c_str(), 0) != 0) return Error::from_syscall("unlink " + member);
            return ok();
        }
        forget_cache();
        auto sub = TRY(open_beneath(dir, name, O_RDONLY | O_DIRECTORY));
        auto names = list_children(sub.get());
        for (const auto& n : names) TRY(clear(sub.get(), n, member + "/" + n));
        if (::unlinkat(dir, name.c_str(), AT_REMOVEDIR) != 0) return Error::from_syscall("rmdir " + member);
        return ok();
    }

    static std::vector<std::string> list_children(int dirfd) {
        std::vector<std::string> out;
        int dup = ::openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dup < 0) return out;
        auto listed = list_dir("/proc/self/fd/" + std::to_string(dup));
        ::close(dup);
        if (listed.ok()) out = std::move(listed).value();
        return out;
    }

    Status set_owner_mode_times(int fd, archive_entry* e, bool is_link) {
        auto uid = static_cast<uid_t>(archive_entry_uid(e));
        auto gid = static_cast<gid_t>(archive_entry_gid(e));
        if (::fchownat(fd, "", uid, gid, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW) != 0 && errno != EPERM)
            return Error::from_syscall("chown");
        if (!is_link && ::fchmod(fd, archive_entry_mode(e) & 07777) != 0) {
            // O_PATH fds cannot fchmod; go through the magic link of the fd instead.
            std::string proc = "/proc/self/fd/" + std::to_string(fd);
            if (::chmod(proc.c_str(), archive_entry_mode(e) & 07777) != 0) return Error::from_syscall("chmod");
        }
        return ok();
    }

    void set_xattrs(int fd, archive_entry* e) {
        if (archive_entry_xattr_reset(e) == 0) return;
        const char* name;
        const void* value;
        size_t size;
        std::string proc = "/proc/self/fd/" + std::to_string(fd);
        while (archive_entry_xattr_next(e, &name, &value, &size) == ARCHIVE_OK)
            ::setxattr(proc.c_str(), name, value, size, 0);
    }

    static void entry_times(archive_entry* e, timespec t[2]) {
        t[0] = {archive_entry_atime(e), archive_entry_atime_nsec(e)};
        t[1] = {archive_entry_mtime(e), archive_entry_mtime_nsec(e)};
        if (!archive_entry_atime_is_set(e)) t[0] = t[1];
    }

    Status write_data(int fd, const std::string& member) {
        const void* buf;
        size_t size;
        la_int64_t offset;
        int64_t end = 0;
        while (true) {
            int r = archive_read_data_block(m_tar.handle(), &buf, &size, &offset);
            if (r == ARCHIVE_EOF) break;
            if (r < ARCHIVE_WARN) {
                const char* s = archive_error_string(m_tar.handle());
                return Error::corrupt(std::string("read ") + member + ": " + (s ? s : "truncated archive"));
            }
            const char* p = static_cast<const char*>(buf);
            size_t left = size;
            off_t at = offset;
            while (left > 0) {
                ssize_t n = ::pwrite(fd, p, left, at);
                if (n < 0) {
                    if (errno == EINTR) continue;
                    return Error::from_syscall("write " + member);
                }
                p += n;
                at += n;
                left -= static_cast<size_t>(n);
            }
            end = offset + static_cast<int64_t>(size);
        }
        if (end < archive_entry_size(e_current) && ::ftruncate(fd, archive_entry_size(e_current)) != 0)
            return Error::from_syscall("truncate " + member);
        return ok();
    }

    Status one(archive_entry* e) {
        e_current = e;
        if (++m_stats.entries == 3) crash_point("extracting");
        const char* raw_name = archive_entry_pathname(e);
        std::string member = raw_name ? raw_name : "";
        std::string path;
        if (!clean_member_path(member, path))
            return member_error(member, member[0] == '/' ? "absolute path" : "path escapes the archive root");
        if (path.empty()) return ok(); // the root itself: its metadata belongs to the store
        auto [parent, name] = split_parent(path);

        if (m_mode != WhiteoutMode::Literal) {
            Whiteout wh = classify_whiteout(name);
            if (wh.kind == WhiteoutKind::Meta) return ok();
            if (wh.kind == WhiteoutKind::Opaque) return opaque(member, parent);
            if (wh.kind == WhiteoutKind::File) return whiteout(member, parent, wh.target);
        }
        int dir = TRY(parent_fd(member, parent));
        mode_t type = archive_entry_filetype(e);
        const char* hardlink = archive_entry_hardlink(e);
        bool seen = !m_created.insert(path).second;
        if (seen && type != AE_IFDIR) m_stats.data_files_intact = false;

        if (type == AE_IFDIR) {
            struct stat st;
            bool is_dir = ::fstatat(dir, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
            if (!is_dir) {
                if (seen) m_stats.data_files_intact = false;
                TRY(clear(dir, name, member));
                if (::mkdirat(dir, name.c_str(), 0700) != 0) return Error::from_syscall("mkdir " + member);
            }
            auto fd = TRY(open_beneath(dir, name, O_RDONLY | O_DIRECTORY));
            TRY(set_owner_mode_times(fd.get(), e, false));
            set_xattrs(fd.get(), e);
            DirTimes t{path, {}};
            entry_times(e, t.times);
            m_dir_times.push_back(t);
            return ok();
        }
        TRY(clear(dir, name, member));
        if (hardlink) {
            std::string target;
            if (!clean_member_path(hardlink, target) || target.empty())
                return member_error(member, "hard link target \"" + std::string(hardlink) + "\" is outside the archive");
            auto [tparent, tname] = split_parent(target);
            auto tdir = open_beneath(m_root, tparent, O_PATH | O_DIRECTORY);
            if (!tdir.ok()) return member_error(member, "hard link target \"" + target + "\" not found in the archive");
            if (::linkat(tdir->get(), tname.c_str(), dir, name.c_str(), 0) != 0)
                return member_error(member, "hard link to \"" + target + "\": " + Error::from_syscall("link").message);
            return ok();
        }
        timespec times[2];
        entry_times(e, times);
        if (type == AE_IFREG) {
            int fd = ::openat(dir, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
            if (fd < 0) return Error::from_syscall("create " + member);
            UniqueFd guard(fd);
            TRY(write_data(fd, member));
            TRY(set_owner_mode_times(fd, e, false));
            set_xattrs(fd, e);
            ::futimens(fd, times);
            m_stats.size += archive_entry_size(e);
            if (archive_entry_size(e) > 0) m_stats.data_files.push_back(path);
            return ok();
        }
        if (type == AE_IFLNK) {
            const char* target = archive_entry_symlink(e);
            if (!target) return member_error(member, "symlink without target");
            if (::symlinkat(target, dir, name.c_str()) != 0) return Error::from_syscall("symlink " + member);
            ::fchownat(dir, name.c_str(), static_cast<uid_t>(archive_entry_uid(e)),
                       static_cast<gid_t>(archive_entry_gid(e)), AT_SYMLINK_NOFOLLOW);
            ::utimensat(dir, name.c_str(), times, AT_SYMLINK_NOFOLLOW);
            m_stats.size += static_cast<int64_t>(std::string(target).size());
            return ok();
        }
        if (type == AE_IFCHR || type == AE_IFBLK || type == AE_IFIFO) {
            dev_t dev = makedev(archive_entry_rdevmajor(e), archive_entry_rdevminor(e));
            if (::mknodat(dir, name.c_str(), type | 0600, dev) != 0) return Error::from_syscall("mknod " + member);
            auto fd = TRY(open_beneath(dir, name, O_PATH));
            TRY(set_owner_mode_times(fd.get(), e, false));
            ::utimensat(fd.get(), "", times, AT_EMPTY_PATH);
            return ok();
        }
        return member_error(member, "unsupported file type");
    }

    Status whiteout(const std::string& member, const std::string& parent, const std::string& target) {
        if (target.find('/') != std::string::npos || target == "." || target == "..")
            return member_error(member, "bad whiteout name");
        int dir = TRY(parent_fd(member, parent));
        if (m_created.count(parent.empty() ? target : parent + "/" + target)) m_stats.data_files_intact = false;
        TRY(clear(dir, target, member));
        if (m_mode == WhiteoutMode::Overlay) {
            if (::mknodat(dir, target.c_str(), S_IFCHR | 0, makedev(0, 0)) != 0)
                return Error::from_syscall("mknod whiteout " + member);
        }
        return ok();
    }

    Status opaque(const std::string& member, const std::string& parent) {
        int dir = TRY(parent_fd(member, parent));
        if (m_mode == WhiteoutMode::Overlay) {
            auto fd = TRY(open_beneath(dir, "", O_RDONLY | O_DIRECTORY));
            if (::fsetxattr(fd.get(), kOverlayOpaqueXattr, "y", 1, 0) != 0)
                return Error::from_syscall("set opaque xattr on " + member);
            return ok();
        }
        // Apply: everything below that this layer did not itself create disappears.
        auto fd = TRY(open_beneath(dir, "", O_RDONLY | O_DIRECTORY));
        for (const auto& n : list_children(fd.get())) {
            std::string child = parent.empty() ? n : parent + "/" + n;
            if (!m_created.count(child)) TRY(clear(fd.get(), n, child));
        }
        return ok();
    }

    TarReader& m_tar;
    int m_root;
    WhiteoutMode m_mode;
    ExtractStats m_stats;
    UniqueFd m_cached;
    std::string m_cached_path;
    std::vector<DirTimes> m_dir_times;
    std::set<std::string> m_created;
    archive_entry* e_current = nullptr;
};

} // namespace

Result<ExtractStats> extract_tar(TarReader& tar, const std::string& target_dir, WhiteoutMode mode) {
    auto root = TRY(open_file(target_dir, O_RDONLY | O_DIRECTORY));
    Extractor x(tar, root.get(), mode);
    return x.run();
}

} // namespace kouti
