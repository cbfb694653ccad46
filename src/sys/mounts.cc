#include "sys/mounts.h"

#include <linux/magic.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include <fstream>

#include "sys/fs.h"

namespace kouti {

Status mount_fs(const std::string& source, const std::string& target, const std::string& type,
                unsigned long flags, const std::string& data) {
    if (::mount(source.c_str(), target.c_str(), type.empty() ? nullptr : type.c_str(), flags,
                data.empty() ? nullptr : data.c_str()) != 0)
        return Error::from_syscall("mount " + type + " on " + target);
    return ok();
}

Status unmount(const std::string& target, bool detach) {
    if (::umount2(target.c_str(), detach ? MNT_DETACH : 0) != 0) return Error::from_syscall("unmount " + target);
    return ok();
}

bool is_mount_point(const std::string& path) {
    struct statx stx{};
    if (::statx(AT_FDCWD, path.c_str(), AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &stx) != 0) return false;
    return (stx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) && (stx.stx_attributes & STATX_ATTR_MOUNT_ROOT);
}

std::string filesystem_type(const std::string& path) {
    struct statfs st;
    if (::statfs(path.c_str(), &st) != 0) return "unknown";
    switch (static_cast<unsigned long>(st.f_type)) {
    case EXT4_SUPER_MAGIC: return "extfs";
    case TMPFS_MAGIC: return "tmpfs";
    case OVERLAYFS_SUPER_MAGIC: return "overlayfs";
    case BTRFS_SUPER_MAGIC: return "btrfs";
    case XFS_SUPER_MAGIC: return "xfs";
    case NFS_SUPER_MAGIC: return "nfs";
    case 0x65735546: return "fuse";
    case 0x6a656a63: return "fakeowner";
    default: return "unknown";
    }
}

bool kernel_has_filesystem(const std::string& name) {
    std::ifstream f("/proc/filesystems");
    std::string line;
    while (std::getline(f, line)) {
        auto tab = line.rfind('\t');
        if (line.substr(tab == std::string::npos ? 0 : tab + 1) == name) return true;
    }
    return false;
}

Result<UniqueFd> clone_mount_of(const std::string& proc, const std::string& path) {
    auto own = TRY(open_file("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC));
    auto theirs = TRY(open_file(proc + "/ns/mnt", O_RDONLY | O_CLOEXEC));
    // Resolved through the process's root now; cloned once we stand in its namespace.
    auto source = TRY(open_file(proc + "/root" + path, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (::setns(theirs.get(), CLONE_NEWNS) != 0) return Error::from_syscall("enter the mount namespace of " + proc);
    int tree = ::open_tree(source.get(), "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH | AT_RECURSIVE);
    int clone_errno = errno;
    if (::setns(own.get(), CLONE_NEWNS) != 0) {
        if (tree >= 0) ::close(tree);
        return Error::from_syscall("return to this mount namespace");
    }
    if (tree < 0) {
        errno = clone_errno;
        return Error::from_syscall("clone the mount at " + path + " of " + proc);
    }
    return UniqueFd(tree);
}

Status attach_mount(int tree_fd, int target_fd, const std::string& shown) {
    if (::move_mount(tree_fd, "", target_fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) != 0)
        return Error::from_syscall("attach a mount on " + shown);
    return ok();
}

} // namespace kouti
