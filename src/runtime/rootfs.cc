#include "runtime/rootfs.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "runtime/cgroups.h"
#include "runtime/mount_options.h"
#include "sys/fs.h"
#include "sys/mounts.h"
#include "sys/resolve.h"
#include "util/timing.h"

namespace kouti {
namespace {

Status sys_mount(const std::string& src, const std::string& target, const std::string& type, unsigned long flags,
                 const std::string& data, const std::string& shown) {
    if (::mount(src.empty() ? nullptr : src.c_str(), target.c_str(), type.empty() ? nullptr : type.c_str(), flags,
                data.empty() ? nullptr : data.c_str()) != 0)
        return Error::from_syscall("mount " + (type.empty() ? src : type) + " on " + shown);
    return ok();
}

// Remounting a bind mount with new flags must keep the flags the kernel has locked (as in a
// user namespace), or it fails with EPERM.
Status remount_bind(const std::string& target, unsigned long flags, const std::string& shown) {
    if (::mount(nullptr, target.c_str(), nullptr, MS_BIND | MS_REMOUNT | flags, nullptr) == 0) return ok();
    struct statvfs sv;
    if (errno == EPERM && ::statvfs(target.c_str(), &sv) == 0) {
        unsigned long locked = sv.f_flag & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_NODIRATIME | MS_RELATIME);
        if (::mount(nullptr, target.c_str(), nullptr, MS_BIND | MS_REMOUNT | flags | locked, nullptr) == 0) return ok();
    }
    return Error::from_syscall("remount " + shown);
}

Status mount_cgroup_v1(const std::string& target, const SpecMount& m, const MountFlags& f, const RootfsOptions& opts, int rootfd) {
    // A tmpfs with one directory per hierarchy, as Docker and runc lay it out.
    TRY(sys_mount("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=755", m.destination));
    // The tmpfs is new and empty and nothing in the container runs yet: single names below it
    // cannot be symlinks, so it is resolved once.
    auto top = TRY(open_in_root(rootfd, m.destination, O_PATH | O_DIRECTORY));
    std::string top_path = fd_path(top.get());
    auto make_dir = [&](const std::string& name) -> Status {
        if (::mkdirat(top.get(), name.c_str(), 0755) != 0) return Error::from_syscall("mkdir " + m.destination + "/" + name);
        return ok();
    };
    std::map<std::string, std::string> hierarchies; // mount point -> options
    for (const auto& [controller, mnt] : opts.cgroups.v1) {
        auto& o = hierarchies[mnt];
        o += (o.empty() ? "" : ",") + controller;
    }
    // Mounted read-only at once: a read-only mount of the host's (read-write) hierarchy, one
    // mount call instead of a mount and a remount.
    unsigned long flags = (f.flags & MS_RDONLY) | MS_NOSUID | MS_NODEV | MS_NOEXEC;
    // In the host's cgroup namespace a new mount would show the host's whole tree: the
    // container gets its own directory bound from the host's hierarchy instead, as runc does.
    std::map<std::string, std::string> own;
    if (opts.host_cgroup_namespace) {
        auto text = read_file("/proc/self/cgroup");
        if (text.ok()) own = parse_proc_cgroup(*text);
    }
    auto mount_hierarchy = [&](const std::string& name, const std::string& type, const std::string& controllers,
                               const std::string& host_mnt, const std::string& key) -> Status {
        TRY(make_dir(name));
        std::string target = top_path + "/" + name, shown = m.destination + "/" + name;
        auto path = own.find(key);
        if (path == own.end() || path->second == "/") return sys_mount(type, target, type, flags, controllers, shown);
        TRY(sys_mount(host_mnt + path->second, target, "", MS_BIND, "", shown));
        return remount_bind(target, flags, shown);
    };
    for (const auto& [mnt, controllers] : hierarchies) {
        std::string name = mnt.substr(mnt.rfind('/') + 1);
        TRY(mount_hierarchy(name, "cgroup", controllers, mnt, controllers.substr(0, controllers.find(','))));
        // cpu,cpuacct style hierarchies also answer to each single name.
        if (controllers.find(',') != std::string::npos) {
            size_t start = 0;
            while (start < controllers.size()) {
                size_t comma = controllers.find(',', start);
                std::string c = controllers.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
                start = comma == std::string::npos ? controllers.size() : comma + 1;
                if (c != name) ::symlinkat(name.c_str(), top.get(), c.c_str());
            }
        }
    }
    if (!opts.cgroups.unified.empty()) TRY(mount_hierarchy("unified", "cgroup2", "", opts.cgroups.unified, ""));
    if (f.flags & MS_RDONLY) TRY(remount_bind(top_path, MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, m.destination));
    return ok();
}

Status mount_one(const SpecMount& m, int rootfd, const RootfsOptions& opts) {
    MountFlags f = parse_mount_options(m.options);
    bool bind = f.bind() || m.type == "bind";
    if (bind) f.flags |= MS_BIND;
    bool dir = true;
    if (bind) {
        struct stat st;
        if (::stat(m.source.c_str(), &st) != 0) return Error::from_syscall("bind mount source " + m.source);
        dir = S_ISDIR(st.st_mode);
    }
    auto target = TRY(make_in_root(rootfd, m.destination, dir));
    std::string t = fd_path(target.get());
    std::string type = m.type;
    if (type == "cgroup" && !opts.cgroups.pure_v2()) return mount_cgroup_v1(t, m, f, opts, rootfd);
    if (type == "cgroup") type = "cgroup2";
    if (bind) {
        TRY(sys_mount(m.source, t, "", MS_BIND | (f.flags & MS_REC), "", m.destination));
        unsigned long extra = f.flags & ~(MS_BIND | MS_REC | MS_REMOUNT);
        if (extra) {
            auto again = TRY(open_in_root(rootfd, m.destination, O_PATH));
            TRY(remount_bind(fd_path(again.get()), extra, m.destination));
        }
    } else {
        TRY(sys_mount(m.source.empty() ? type : m.source, t, type, f.flags, f.data, m.destination));
    }
    if (f.propagation) {
        auto again = TRY(open_in_root(rootfd, m.destination, O_PATH));
        TRY(sys_mount("", fd_path(again.get()), "", f.propagation, "", m.destination));
    }
    return ok();
}

struct DefaultDevice {
    const char* name;
    unsigned major, minor;
};
constexpr DefaultDevice kDefaultDevices[] = {{"null", 1, 3}, {"zero", 1, 5}, {"full", 1, 7},
                                             {"random", 1, 8}, {"urandom", 1, 9}, {"tty", 5, 0}};

Status make_device(int rootfd, const std::string& path, mode_t type, unsigned major, unsigned minor, mode_t mode, uid_t uid, gid_t gid) {
    auto slash = path.rfind('/');
    auto parent = TRY(make_in_root(rootfd, path.substr(0, slash), true));
    std::string name = path.substr(slash + 1);
    auto made = [&] { return ::mknodat(parent.get(), name.c_str(), type | (mode & 07777), makedev(major, minor)) == 0; };
    // Whatever the image put there is replaced, never written through.
    bool ok_made = made() || (errno == EEXIST && ::unlinkat(parent.get(), name.c_str(), 0) == 0 && made());
    if (ok_made) {
        // Made with our ids and without a umask (setup_dev clears it).
        if (uid != ::geteuid() || gid != ::getegid()) ::fchownat(parent.get(), name.c_str(), uid, gid, AT_SYMLINK_NOFOLLOW);
        return ok();
    }
    if (errno != EPERM) return Error::from_syscall("mknod " + path);
    // In a user namespace mknod is not allowed: bind the host's device instead.
    auto target = TRY(make_in_root(rootfd, path, false));
    return sys_mount(path, fd_path(target.get()), "", MS_BIND, "", path);
}

Status setup_dev(const Spec& spec, int rootfd) {
    // Device nodes get exactly the spec's modes.
    struct UmaskCleared {
        mode_t previous = ::umask(0);
        ~UmaskCleared() { ::umask(previous); }
    } umask_cleared;
    bool dev_mounted = false;
    for (const auto& m : spec.mounts) dev_mounted = dev_mounted || m.destination == "/dev";
    if (dev_mounted) {
        for (const auto& d : kDefaultDevices)
            TRY(make_device(rootfd, std::string("/dev/") + d.name, S_IFCHR, d.major, d.minor, 0666, 0, 0));
        auto dev = TRY(open_in_root(rootfd, "/dev", O_PATH | O_DIRECTORY));
        const std::pair<const char*, const char*> links[] = {{"/proc/self/fd", "fd"}, {"/proc/self/fd/0", "stdin"},
                                                             {"/proc/self/fd/1", "stdout"}, {"/proc/self/fd/2", "stderr"},
                                                             {"pts/ptmx", "ptmx"}};
        for (const auto& [target, name] : links) {
            bool linked = ::symlinkat(target, dev.get(), name) == 0 ||
                          (errno == EEXIST && ::unlinkat(dev.get(), name, 0) == 0 && ::symlinkat(target, dev.get(), name) == 0);
            if (!linked) return Error::from_syscall(std::string("symlink /dev/") + name);
        }
        if (path_exists("/proc/kcore")) ::symlinkat("/proc/kcore", dev.get(), "core");
    }
    for (const auto& d : spec.devices) {
        mode_t type = d.type == "b" ? S_IFBLK : d.type == "p" ? S_IFIFO : S_IFCHR;
        TRY(make_device(rootfd, d.path, type, static_cast<unsigned>(d.major), static_cast<unsigned>(d.minor), d.file_mode, d.uid, d.gid));
    }
    return ok();
}

} // namespace

Status prepare_rootfs(const Spec& spec, const RootfsOptions& opts) {
    unsigned long prop = spec.rootfs_propagation.empty() ? (MS_SLAVE | MS_REC) : propagation_flag(spec.rootfs_propagation);
    TRY(sys_mount("", "/", "", prop, "", "/"));
    if (!spec.overlay_data.empty()) {
        // Relative layer paths keep a deep image's option string under a page.
        if (::chdir(spec.overlay_base.c_str()) != 0) return Error::from_syscall("chdir " + spec.overlay_base);
        auto mounted = sys_mount("overlay", spec.root_path, "overlay", 0, spec.overlay_data, spec.root_path);
        // Kernels before 5.10 do not know `volatile`: it only saves time, so do without.
        const std::string kVolatile = ",volatile";
        if (!mounted.ok() && mounted.error().err == EINVAL && spec.overlay_data.ends_with(kVolatile))
            mounted = sys_mount("overlay", spec.root_path, "overlay", 0, spec.overlay_data.substr(0, spec.overlay_data.size() - kVolatile.size()),
                                spec.root_path);
        TRY(mounted);
        timing_point("init: overlay");
    } else {
        // The rootfs must be a mount point of its own for pivot_root.
        TRY(sys_mount(spec.root_path, spec.root_path, "", MS_BIND | MS_REC, "", spec.root_path));
    }
    auto root = TRY(open_file(spec.root_path, O_PATH | O_DIRECTORY));
    UniqueFd donor_shm;
    if (!spec.shm_from.empty()) donor_shm = TRY_CTX(clone_mount_of(spec.shm_from, "/dev/shm"), "the IPC donor's /dev/shm");
    for (const auto& m : spec.mounts) {
        if ((m.type == "cgroup" || m.type == "cgroup2") && opts.before_cgroup_mount) TRY(opts.before_cgroup_mount());
        if ((m.type == "bind" || parse_mount_options(m.options).bind()) && opts.before_bind_mount) TRY(opts.before_bind_mount());
        TRY_CTX(mount_one(m, root.get(), opts), "mount " + m.destination);
    }
    if (donor_shm.valid()) {
        auto target = TRY(make_in_root(root.get(), "/dev/shm", true));
        TRY(attach_mount(donor_shm.get(), target.get(), "/dev/shm"));
    }
    TRY(setup_dev(spec, root.get()));
    return ok();
}

Status enter_rootfs(const Spec& spec, const RootfsOptions& opts) {
    if (::chdir(spec.root_path.c_str()) != 0) return Error::from_syscall("chdir " + spec.root_path);
    if (!opts.no_pivot) {
        // pivot_root(".", "."): the old root ends up stacked on the new one, and is detached.
        if (::syscall(SYS_pivot_root, ".", ".") == 0) {
            if (::umount2(".", MNT_DETACH) != 0) return Error::from_syscall("detach old root");
            if (::chdir("/") != 0) return Error::from_syscall("chdir /");
            return ok();
        }
        if (errno != EINVAL) return Error::from_syscall("pivot_root " + spec.root_path);
        // EINVAL: the root is on a ramfs/initramfs, which cannot be pivoted: move and chroot.
    }
    if (::mount(spec.root_path.c_str(), "/", nullptr, MS_MOVE, nullptr) != 0) return Error::from_syscall("move rootfs to /");
    if (::chroot(".") != 0) return Error::from_syscall("chroot");
    if (::chdir("/") != 0) return Error::from_syscall("chdir /");
    return ok();
}

Status finish_rootfs(const Spec& spec, int devnull_fd) {
    auto root = TRY(open_file("/", O_PATH | O_DIRECTORY));
    // Masked directories all show one empty read-only tmpfs: bind mounts of it cost less than a
    // file system each, to make and to tear down.
    UniqueFd empty_dir;
    for (const auto& p : spec.masked_paths) {
        auto target = open_in_root(root.get(), p, O_PATH | O_NOFOLLOW);
        if (!target.ok()) {
            if (target.error().err == ENOENT) continue;
            return std::move(target).error().context("mask " + p);
        }
        struct stat st;
        if (::fstat(target->get(), &st) != 0) return Error::from_syscall("stat " + p);
        if (S_ISLNK(st.st_mode)) return Error::invalid("masked path " + p + " is a symlink");
        if (!S_ISDIR(st.st_mode)) {
            TRY(sys_mount(fd_path(devnull_fd), fd_path(target->get()), "", MS_BIND, "", p));
        } else if (empty_dir.valid()) {
            TRY(sys_mount(fd_path(empty_dir.get()), fd_path(target->get()), "", MS_BIND, "", p));
        } else {
            TRY(sys_mount("tmpfs", fd_path(target->get()), "tmpfs", MS_RDONLY, "", p));
            empty_dir = TRY(open_in_root(root.get(), p, O_PATH | O_DIRECTORY | O_NOFOLLOW));
        }
    }
    for (const auto& p : spec.readonly_paths) {
        auto target = open_in_root(root.get(), p, O_PATH);
        if (!target.ok()) {
            if (target.error().err == ENOENT) continue;
            return std::move(target).error().context("read-only " + p);
        }
        TRY(sys_mount(fd_path(target->get()), fd_path(target->get()), "", MS_BIND | MS_REC, "", p));
        auto again = TRY(open_in_root(root.get(), p, O_PATH));
        // Read-only on top of what the mount had: /proc/sys stays nosuid,nodev,noexec, as runc's.
        struct statvfs sv {};
        unsigned long kept = ::fstatvfs(again.get(), &sv) == 0 ? sv.f_flag & (MS_NOSUID | MS_NODEV | MS_NOEXEC) : 0;
        TRY(remount_bind(fd_path(again.get()), MS_RDONLY | MS_REC | kept, p));
    }
    if (spec.root_readonly) TRY(remount_bind("/", MS_RDONLY, "/"));
    return ok();
}

Status bind_console(const std::string& slave_path) {
    auto root = TRY(open_file("/", O_PATH | O_DIRECTORY));
    auto target = TRY(make_in_root(root.get(), "/dev/console", false));
    struct stat st;
    if (::fstat(target.get(), &st) != 0 || !(S_ISREG(st.st_mode) || S_ISCHR(st.st_mode)))
        return Error::invalid("/dev/console is neither a file nor a device");
    return sys_mount(slave_path, fd_path(target.get()), "", MS_BIND, "", "/dev/console");
}

} // namespace kouti
