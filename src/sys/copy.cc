#include "sys/copy.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <map>
#include <vector>

#include "sys/fs.h"

namespace kouti {
namespace {

struct Copier {
    std::map<std::pair<dev_t, ino_t>, std::string> links; // inode -> first destination path
    std::optional<FileOwner> owner;

    void copy_xattrs(const std::string& src, const std::string& dst) {
        char names[8192];
        ssize_t n = ::llistxattr(src.c_str(), names, sizeof names);
        for (ssize_t i = 0; i < n; i += static_cast<ssize_t>(std::string(names + i).size()) + 1) {
            char value[8192];
            ssize_t v = ::lgetxattr(src.c_str(), names + i, value, sizeof value);
            if (v >= 0) ::lsetxattr(dst.c_str(), names + i, value, static_cast<size_t>(v), 0);
        }
    }

    Status file_data(const std::string& src, const std::string& dst, const struct stat& st) {
        auto in = TRY(open_file(src, O_RDONLY | O_NOFOLLOW));
        auto out = TRY(open_file(dst, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600));
        off_t left = st.st_size;
        while (left > 0) {
            ssize_t n = ::copy_file_range(in.get(), nullptr, out.get(), nullptr, static_cast<size_t>(left), 0);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0 && (errno == EXDEV || errno == EOPNOTSUPP || errno == EINVAL)) {
                // Between some file systems (overlay to ext4) the kernel will not: copy by hand.
                char buf[1 << 16];
                while ((n = ::read(in.get(), buf, sizeof buf)) > 0) TRY(write_all(out.get(), buf, static_cast<size_t>(n)));
                if (n < 0) return Error::from_syscall("copy " + src);
                break;
            }
            if (n < 0) return Error::from_syscall("copy " + src);
            if (n == 0) break;
            left -= n;
        }
        return ok();
    }

    Status entry(const std::string& src, const std::string& dst) {
        struct stat st;
        if (::lstat(src.c_str(), &st) != 0) return Error::from_syscall("stat " + src);
        if (!S_ISDIR(st.st_mode) && st.st_nlink > 1) {
            auto [it, fresh] = links.emplace(std::make_pair(st.st_dev, st.st_ino), dst);
            if (!fresh) {
                if (::link(it->second.c_str(), dst.c_str()) != 0) return Error::from_syscall("link " + dst);
                return ok();
            }
        }
        if (S_ISDIR(st.st_mode)) {
            if (::mkdir(dst.c_str(), 0700) != 0) return Error::from_syscall("mkdir " + dst);
            auto names = TRY(list_dir(src));
            for (const auto& n : names) TRY(entry(src + "/" + n, dst + "/" + n));
        } else if (S_ISREG(st.st_mode)) {
            TRY(file_data(src, dst, st));
        } else if (S_ISLNK(st.st_mode)) {
            std::vector<char> buf(static_cast<size_t>(st.st_size) + 1);
            ssize_t n = ::readlink(src.c_str(), buf.data(), buf.size());
            if (n < 0) return Error::from_syscall("readlink " + src);
            if (::symlink(std::string(buf.data(), static_cast<size_t>(n)).c_str(), dst.c_str()) != 0)
                return Error::from_syscall("symlink " + dst);
        } else {
            if (::mknod(dst.c_str(), st.st_mode, st.st_rdev) != 0) return Error::from_syscall("mknod " + dst);
        }
        ::lchown(dst.c_str(), owner ? owner->uid : st.st_uid, owner ? owner->gid : st.st_gid);
        if (!S_ISLNK(st.st_mode)) ::chmod(dst.c_str(), st.st_mode & 07777);
        copy_xattrs(src, dst);
        timespec times[2] = {st.st_atim, st.st_mtim};
        ::utimensat(AT_FDCWD, dst.c_str(), times, AT_SYMLINK_NOFOLLOW);
        return ok();
    }
};

} // namespace

Status copy_tree(const std::string& from, const std::string& to, std::optional<FileOwner> owner) {
    Copier c;
    c.owner = owner;
    return c.entry(from, to);
}

} // namespace kouti
