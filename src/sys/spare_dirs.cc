#include "sys/spare_dirs.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h> // renameat2
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace kouti {

void SpareDirs::load() {
    m_loaded = true;
    DIR* d = ::opendir(m_dir.c_str());
    if (!d) return;
    while (auto* e = ::readdir(d)) {
        char* end = nullptr;
        long i = std::strtol(e->d_name, &end, 10);
        if (end != e->d_name && *end == '\0' && i >= 0 && i < kSlots) m_full.set(static_cast<size_t>(i));
    }
    ::closedir(d);
}

Status SpareDirs::make(const std::string& path, mode_t mode) {
    std::unique_lock lock(m_mutex);
    if (!m_loaded) load();
    for (int i = 0; i < kSlots && m_full.any(); ++i) {
        if (!m_full.test(static_cast<size_t>(i))) continue;
        if (::renameat2(AT_FDCWD, slot(i).c_str(), AT_FDCWD, path.c_str(), RENAME_NOREPLACE) == 0) {
            m_full.reset(static_cast<size_t>(i));
            if (::chmod(path.c_str(), mode) != 0) return Error::from_syscall("chmod " + path);
            return ok();
        }
        if (errno == EEXIST) return Error::from_syscall("mkdir " + path);
        if (errno != ENOENT) break; // another file system, or no pool: plain mkdir
        m_full.reset(static_cast<size_t>(i)); // taken by another process
    }
    lock.unlock();
    if (::mkdir(path.c_str(), mode) != 0) return Error::from_syscall("mkdir " + path);
    return ok();
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
    for (int i = 0; plain && i < kSlots && !m_full.all(); ++i) {
        if (m_full.test(static_cast<size_t>(i))) continue;
        if (::renameat2(dirfd, name, AT_FDCWD, slot(i).c_str(), RENAME_NOREPLACE) == 0) {
            m_full.set(static_cast<size_t>(i));
            return ok();
        }
        if (errno != EEXIST) break;
        m_full.set(static_cast<size_t>(i)); // filled by another process
    }
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
