#include "sys/fs.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <set>
#include <utility>

#include "sys/spare_dirs.h"

namespace kouti {

Result<UniqueFd> open_file(const std::string& path, int flags, int mode) {
    int fd = ::open(path.c_str(), flags | O_CLOEXEC, mode);
    if (fd < 0) return Error::from_syscall("open " + path);
    return UniqueFd(fd);
}

Result<std::string> read_file(const std::string& path) {
    auto fd = TRY(open_file(path, O_RDONLY));
    std::string out;
    char buf[16384];
    while (true) {
        ssize_t n = ::read(fd.get(), buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) continue;
            return Error::from_syscall("read " + path);
        }
        if (n == 0) break;
        out.append(buf, static_cast<size_t>(n));
    }
    return out;
}

Status write_all(int fd, const void* data, size_t len) {
    const char* p = static_cast<const char*>(data);
    while (len > 0) {
        ssize_t n = ::write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR) continue;
            return Error::from_syscall("write");
        }
        p += n;
        len -= static_cast<size_t>(n);
    }
    return ok();
}

Status write_file_atomic(const std::string& path, const std::string& data) {
    return write_file_atomic(path, data, [](const std::string& tmp) { return open_file(tmp, O_WRONLY | O_CREAT | O_EXCL, 0644); });
}

// Overwrites from the start and cuts what an older, longer content left past the end; never
// to size 0 from a larger one (see spare_dirs.h: on ext4 that makes the next close flush).
static Status overwrite(int fd, const std::string& data, int mode) {
    TRY(write_all(fd, data.data(), data.size()));
    struct stat st;
    if (::fstat(fd, &st) != 0) return Error::from_syscall("stat");
    if (static_cast<size_t>(st.st_size) > data.size() && ::ftruncate(fd, static_cast<off_t>(data.size())) != 0)
        return Error::from_syscall("truncate");
    if (mode >= 0 && (st.st_mode & 07777) != static_cast<mode_t>(mode) && ::fchmod(fd, static_cast<mode_t>(mode)) != 0)
        return Error::from_syscall("chmod");
    return ok();
}

Status write_file_atomic(const std::string& path, const std::string& data, const std::function<Result<UniqueFd>(const std::string&)>& create,
                         int mode) {
    std::string tmp = path + ".tmp-" + random_hex(6);
    {
        auto fd = TRY(create(tmp));
        auto st = overwrite(fd.get(), data, mode);
        if (!st) {
            ::unlink(tmp.c_str());
            return std::move(st).error().context("write " + tmp);
        }
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        int e = errno;
        ::unlink(tmp.c_str());
        return Error::from_syscall("rename " + tmp, e);
    }
    return ok();
}

Status mkdir_p(const std::string& path, int mode) {
    if (path.empty()) return ok();
    if (::mkdir(path.c_str(), static_cast<mode_t>(mode)) == 0) return ok();
    if (errno == EEXIST) {
        if (!is_directory(path)) return Error::from_syscall("mkdir " + path, ENOTDIR);
        return ok();
    }
    if (errno != ENOENT) return Error::from_syscall("mkdir " + path);
    auto slash = path.find_last_of('/');
    if (slash == std::string::npos || slash == 0) return Error::from_syscall("mkdir " + path);
    TRY(mkdir_p(path.substr(0, slash), mode));
    if (::mkdir(path.c_str(), static_cast<mode_t>(mode)) != 0 && errno != EEXIST)
        return Error::from_syscall("mkdir " + path);
    return ok();
}

bool path_exists(const std::string& path) {
    struct stat st;
    return ::lstat(path.c_str(), &st) == 0;
}

bool is_directory(const std::string& path) {
    struct stat st;
    return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

static Status remove_at(int dirfd, const char* name, const std::string& shown, SpareDirs* spares);

static Status remove_contents(int fd, const std::string& shown, SpareDirs* spares) {
    DIR* d = ::fdopendir(fd);
    if (!d) {
        ::close(fd);
        return Error::from_syscall("opendir " + shown);
    }
    std::vector<std::string> names;
    while (auto* e = ::readdir(d)) {
        std::string n = e->d_name;
        if (n != "." && n != "..") names.push_back(n);
    }
    Status result = ok();
    for (const auto& n : names) {
        auto st = remove_at(::dirfd(d), n.c_str(), shown + "/" + n, spares);
        if (!st && result) result = std::move(st);
    }
    ::closedir(d);
    return result;
}

static Status remove_at(int dirfd, const char* name, const std::string& shown, SpareDirs* spares) {
    if (::unlinkat(dirfd, name, 0) == 0 || errno == ENOENT) return ok();
    if (errno != EISDIR && errno != EPERM) return Error::from_syscall("unlink " + shown);
    int fd = ::openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return Error::from_syscall("open " + shown);
    TRY(remove_contents(fd, shown, spares));
    if (spares) return spares->remove(dirfd, name, shown);
    if (::unlinkat(dirfd, name, AT_REMOVEDIR) != 0 && errno != ENOENT)
        return Error::from_syscall("rmdir " + shown);
    return ok();
}

Status remove_all(const std::string& path) { return remove_at(AT_FDCWD, path.c_str(), path, nullptr); }

Status remove_all(const std::string& path, SpareDirs& spares) { return remove_at(AT_FDCWD, path.c_str(), path, &spares); }

Status move_aside_or_remove(const std::string& path, const std::string& aside, SpareDirs& spares) {
    if (::rename(path.c_str(), aside.c_str()) == 0 || errno == ENOENT) return ok();
    return remove_all(path, spares);
}

Status rename_path(const std::string& from, const std::string& to) {
    if (::rename(from.c_str(), to.c_str()) != 0) return Error::from_syscall("rename " + from + " to " + to);
    return ok();
}

Result<std::vector<std::string>> list_dir(const std::string& path) {
    DIR* d = ::opendir(path.c_str());
    if (!d) return Error::from_syscall("opendir " + path);
    std::vector<std::string> names;
    while (auto* e = ::readdir(d)) {
        std::string n = e->d_name;
        if (n != "." && n != "..") names.push_back(n);
    }
    ::closedir(d);
    return names;
}

static void usage_at(int fd, std::set<std::pair<dev_t, ino_t>>& seen, int64_t& total) {
    DIR* d = ::fdopendir(fd);
    if (!d) {
        ::close(fd);
        return;
    }
    while (auto* e = ::readdir(d)) {
        std::string n = e->d_name;
        if (n == "." || n == "..") continue;
        struct stat st;
        if (::fstatat(::dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
        if (S_ISDIR(st.st_mode)) {
            int sub = ::openat(::dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (sub >= 0) usage_at(sub, seen, total);
        } else if (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)) {
            if (st.st_nlink > 1 && !seen.insert({st.st_dev, st.st_ino}).second) continue;
            total += st.st_size;
        }
    }
    ::closedir(d);
}

Result<int64_t> disk_usage(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return Error::from_syscall("open " + path);
    std::set<std::pair<dev_t, ino_t>> seen;
    int64_t total = 0;
    usage_at(fd, seen, total);
    return total;
}

std::string random_hex(size_t bytes) {
    std::string raw(bytes, '\0');
    size_t got = 0;
    while (got < bytes) {
        ssize_t n = ::getrandom(raw.data() + got, bytes - got, 0);
        if (n > 0) got += static_cast<size_t>(n);
    }
    static const char* digits = "0123456789abcdef";
    std::string s;
    for (unsigned char c : raw) {
        s += digits[c >> 4];
        s += digits[c & 15];
    }
    return s;
}

std::string absolute_path(const std::string& path) {
    if (!path.empty() && path[0] == '/') return path;
    char buf[PATH_MAX];
    if (!::getcwd(buf, sizeof buf)) return path;
    if (path.empty() || path == ".") return buf;
    return std::string(buf) + "/" + (path.rfind("./", 0) == 0 ? path.substr(2) : path);
}

std::string executable_dir() {
    char exe[PATH_MAX];
    ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
    std::string path = n > 0 ? std::string(exe, static_cast<size_t>(n)) : "/usr/local/bin/kouti";
    return path.substr(0, path.rfind('/'));
}

Result<UniqueFd> memfd_holding(const char* name, const std::string& data) {
    UniqueFd fd(::memfd_create(name, MFD_CLOEXEC));
    if (!fd.valid()) return Error::from_syscall("memfd_create");
    TRY(write_all(fd.get(), data.data(), data.size()));
    return fd;
}

Result<FileLock> FileLock::acquire(const std::string& path, bool exclusive, bool wait) {
    return take(TRY(open_file(path, O_RDWR | O_CREAT, 0600)), path, exclusive, wait);
}

Result<FileLock> FileLock::take(UniqueFd fd, const std::string& path, bool exclusive, bool wait) {
    FileLock lock;
    lock.m_fd = std::move(fd);
    int op = (exclusive ? LOCK_EX : LOCK_SH) | (wait ? 0 : LOCK_NB);
    while (::flock(lock.m_fd.get(), op) != 0) {
        if (errno == EINTR) continue;
        return Error::from_syscall("lock " + path);
    }
    return lock;
}

} // namespace kouti
