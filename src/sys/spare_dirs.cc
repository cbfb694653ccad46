#include "sys/spare_dirs.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h> // renameat2
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include "sys/fs.h"

namespace kouti {

void SpareDirs::load() {
    m_loaded = true;
    DIR* d = ::opendir(m_dir.c_str());
    if (!d) return;
    while (auto* e = ::readdir(d)) {
        bool file = e->d_name[0] == 'f';
        const char* digits = e->d_name + (file ? 1 : 0);
        char* end = nullptr;
        long i = std::strtol(digits, &end, 10);
        if (end == digits || *end != '\0' || i < 0) continue;
        if (file && i < kFileSlots) m_files.set(static_cast<size_t>(i));
        else if (!file && i < kSlots) m_full.set(static_cast<size_t>(i));
    }
    ::closedir(d);
}

namespace {

// The pool's entries: "0".."31" for directories, "f0".."f7" for files.
std::string slot_path(const std::string& dir, const char* prefix, int i) { return dir + "/" + prefix + std::to_string(i); }

// Renames one of the pool's entries marked in `pooled` to `path`: 1 when one was taken, 0 when
// there is none (or the pool serves another file system), -1 with errno EEXIST when `path` exists.
template <size_t N>
int take_slot(const std::string& dir, const char* prefix, std::bitset<N>& pooled, const std::string& path) {
    for (size_t i = 0; i < N && pooled.any(); ++i) {
        if (!pooled.test(i)) continue;
        if (::renameat2(AT_FDCWD, slot_path(dir, prefix, static_cast<int>(i)).c_str(), AT_FDCWD, path.c_str(), RENAME_NOREPLACE) == 0) {
            pooled.reset(i);
            return 1;
        }
        if (errno == EEXIST) return -1;
        if (errno != ENOENT) return 0; // another file system, or no pool
        pooled.reset(i); // taken by another process
    }
    return 0;
}

// Renames `name` in `dirfd` into a free entry of the pool: false when the pool is full or fails.
template <size_t N>
bool give_slot(const std::string& dir, const char* prefix, std::bitset<N>& pooled, int dirfd, const char* name) {
    for (size_t i = 0; i < N && !pooled.all(); ++i) {
        if (pooled.test(i)) continue;
        if (::renameat2(dirfd, name, AT_FDCWD, slot_path(dir, prefix, static_cast<int>(i)).c_str(), RENAME_NOREPLACE) == 0) {
            pooled.set(i);
            return true;
        }
        if (errno != EEXIST) return false;
        pooled.set(i); // filled by another process
    }
    return false;
}

} // namespace

Status SpareDirs::make(const std::string& path, mode_t mode) {
    std::unique_lock lock(m_mutex);
    if (!m_loaded) load();
    int taken = take_slot(m_dir, "", m_full, path);
    if (taken < 0) return Error::from_syscall("mkdir " + path);
    lock.unlock();
    if (taken > 0) return ::chmod(path.c_str(), mode) == 0 ? ok() : Error::from_syscall("chmod " + path);
    if (::mkdir(path.c_str(), mode) != 0) return Error::from_syscall("mkdir " + path);
    return ok();
}

Result<UniqueFd> SpareDirs::take_file(const std::string& path) {
    std::unique_lock lock(m_mutex);
    if (!m_loaded) load();
    int taken = take_slot(m_dir, "f", m_files, path);
    if (taken < 0) return Error::from_syscall("create " + path);
    lock.unlock();
    if (taken == 0) return open_file(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    UniqueFd fd(::open(path.c_str(), O_WRONLY | O_NOFOLLOW | O_CLOEXEC));
    if (!fd.valid()) return Error::from_syscall("create " + path);
    return fd;
}

void SpareDirs::recycle_file(const std::string& path) {
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
    struct stat st;
    // Only a plain file of ours: one name, root's; readable by root alone while it is in.
    bool plain = fd.valid() && ::fstat(fd.get(), &st) == 0 && S_ISREG(st.st_mode) && st.st_nlink == 1 && st.st_uid == 0 &&
                 st.st_gid == 0 && ((st.st_mode & 07777) == 0600 || ::fchmod(fd.get(), 0600) == 0);
    fd.reset();
    std::unique_lock lock(m_mutex);
    if (!m_loaded) load();
    if (plain && give_slot(m_dir, "f", m_files, AT_FDCWD, path.c_str())) return;
    lock.unlock();
    ::unlink(path.c_str());
}

Status write_file_atomic(const std::string& path, const std::string& data, SpareDirs& spares) {
    return write_file_atomic(path, data, [&](const std::string& tmp) { return spares.take_file(tmp); }, 0644);
}

namespace {

// Drops a directory's extended attributes (overlay's marks on an upper dir): it is being
// removed, and goes into the pool only without them.
bool strip_xattrs(int fd) {
    ssize_t n = ::flistxattr(fd, nullptr, 0);
    if (n <= 0) return n == 0;
    std::string names(static_cast<size_t>(n), '\0');
    n = ::flistxattr(fd, names.data(), names.size());
    if (n < 0) return false;
    for (size_t at = 0; at < static_cast<size_t>(n); at += std::strlen(names.c_str() + at) + 1)
        if (::fremovexattr(fd, names.c_str() + at) != 0) return false;
    return true;
}

} // namespace

Status SpareDirs::remove(int dirfd, const char* name, const std::string& shown) {
    struct stat st;
    // Directories without permission bits are overlay's own (work/work, work/incompat/volatile),
    // made anew by every mount: pooled, they would be a surplus that overfills the pool, and
    // whichever removal then finds it full pays for the rmdir, often one nothing overlaps.
    bool plain = ::fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode) && st.st_uid == 0 &&
                 st.st_gid == 0 && (st.st_mode & 07777) != 0;
    if (plain) {
        int fd = ::openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        plain = fd >= 0 && strip_xattrs(fd);
        if (fd >= 0) ::close(fd);
    }
    std::unique_lock lock(m_mutex);
    if (!m_loaded) load();
    if (plain && give_slot(m_dir, "", m_full, dirfd, name)) return ok();
    if (!m_deferred_dir.empty()) {
        if (!m_deferred_made) m_deferred_made = ::mkdir(m_deferred_dir.c_str(), 0700) == 0 || errno == EEXIST;
        std::string to = m_deferred_dir + "/" + std::to_string(m_deferred_count++);
        if (m_deferred_made && ::renameat2(dirfd, name, AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return ok();
    }
    lock.unlock();
    if (::unlinkat(dirfd, name, AT_REMOVEDIR) != 0 && errno != ENOENT) return Error::from_syscall("rmdir " + shown);
    return ok();
}

void SpareDirs::defer_into(std::string dir) {
    std::lock_guard lock(m_mutex);
    m_deferred_dir = std::move(dir);
    m_deferred_made = false;
}

std::string SpareDirs::take_deferred() {
    std::lock_guard lock(m_mutex);
    std::string dir = m_deferred_made ? m_deferred_dir : std::string();
    m_deferred_dir.clear();
    m_deferred_made = false;
    return dir;
}

} // namespace kouti
