#include "sys/resolve.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace kouti {

Result<UniqueFd> open_beneath(int dirfd, const std::string& rel, int flags) {
    open_how how{};
    how.flags = static_cast<uint64_t>(flags | O_CLOEXEC);
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
    const char* p = rel.empty() ? "." : rel.c_str();
    long fd;
    do {
        fd = ::syscall(SYS_openat2, dirfd, p, &how, sizeof how);
    } while (fd < 0 && errno == EAGAIN);
    if (fd < 0) return Error::from_syscall("open " + rel);
    return UniqueFd(static_cast<int>(fd));
}

Result<UniqueFd> open_or_make_dirs_beneath(int dirfd, const std::string& rel) {
    auto fd = open_beneath(dirfd, rel, O_PATH | O_DIRECTORY);
    if (fd.ok() || fd.error().err != ENOENT) return fd;
    // Walk component by component, creating what is missing; each step is itself beneath.
    UniqueFd cur = TRY(open_beneath(dirfd, "", O_PATH | O_DIRECTORY));
    size_t start = 0;
    while (start < rel.size()) {
        size_t slash = rel.find('/', start);
        std::string part = rel.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
        start = slash == std::string::npos ? rel.size() : slash + 1;
        if (part.empty()) continue;
        if (::mkdirat(cur.get(), part.c_str(), 0755) != 0 && errno != EEXIST)
            return Error::from_syscall("mkdir " + rel);
        cur = TRY(open_beneath(cur.get(), part, O_PATH | O_DIRECTORY));
    }
    return cur;
}

} // namespace kouti

namespace kouti {

Result<UniqueFd> open_in_root(int rootfd, const std::string& path, int flags) {
    open_how how{};
    how.flags = static_cast<uint64_t>(flags | O_CLOEXEC);
    how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
    std::string rel = path;
    while (!rel.empty() && rel[0] == '/') rel.erase(0, 1);
    if (rel.empty()) rel = ".";
    long fd;
    do {
        fd = ::syscall(SYS_openat2, rootfd, rel.c_str(), &how, sizeof how);
    } while (fd < 0 && errno == EAGAIN);
    if (fd < 0) return Error::from_syscall("open " + path);
    return UniqueFd(static_cast<int>(fd));
}

Result<UniqueFd> make_in_root(int rootfd, const std::string& path, bool dir) {
    static thread_local int depth = 0;
    if (depth > 40) return Error::from_syscall("resolve " + path, ELOOP);
    auto existing = open_in_root(rootfd, path, O_PATH);
    if (existing.ok()) return existing;
    // Walk from the deepest ancestor that exists (usually the parent: one lookup instead of
    // three syscalls per component; a container's setup makes some 40 of these).
    UniqueFd cur;
    std::string walked;
    size_t start = 0;
    for (size_t cut = path.rfind('/'); cut != std::string::npos && cut > 0; cut = path.rfind('/', cut - 1)) {
        if (cut + 1 >= path.size()) continue; // a trailing slash
        auto ancestor = open_in_root(rootfd, path.substr(0, cut), O_PATH | O_DIRECTORY);
        if (ancestor.ok()) {
            cur = std::move(*ancestor);
            walked = path.substr(0, cut);
            start = cut + 1;
            break;
        }
        if (ancestor.error().err != ENOENT) break;
    }
    if (!cur.valid()) {
        cur = TRY(open_in_root(rootfd, "/", O_PATH | O_DIRECTORY));
        walked.clear();
        start = 0;
    }
    while (start < path.size()) {
        size_t slash = path.find('/', start);
        std::string part = path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
        start = slash == std::string::npos ? path.size() : slash + 1;
        if (part.empty() || part == ".") continue;
        walked += "/" + part;
        bool last = start >= path.size();
        if (last && !dir) {
            int fd = ::openat(cur.get(), part.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
            if (fd >= 0) ::close(fd);
            else if (errno != EEXIST) return Error::from_syscall("create " + walked);
        } else if (::mkdirat(cur.get(), part.c_str(), 0755) != 0 && errno != EEXIST) {
            return Error::from_syscall("mkdir " + walked);
        }
        // A dangling symlink on the way: make what it points to, inside the root.
        char link[4096];
        ssize_t n = ::readlinkat(cur.get(), part.c_str(), link, sizeof link - 1);
        if (n > 0) {
            link[n] = 0;
            std::string target = link[0] == '/' ? std::string(link) : walked.substr(0, walked.rfind('/')) + "/" + link;
            ++depth;
            auto made = make_in_root(rootfd, target, !last || dir);
            --depth;
            if (!made.ok()) return made;
        }
        // Re-resolve from the root so a symlink met on the way stays inside it.
        cur = TRY(open_in_root(rootfd, walked, O_PATH | (last && !dir ? 0 : O_DIRECTORY)));
    }
    return cur;
}

std::string fd_path(int fd) { return "/proc/self/fd/" + std::to_string(fd); }

} // namespace kouti
