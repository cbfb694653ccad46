#include "engine/volume_mounts.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <unistd.h>

#include <sstream>

#include "engine/volumes.h"
#include "runtime/mount_options.h"
#include "sys/fs.h"
#include "sys/mounts.h"

namespace kouti {

namespace {

std::string users_dir(const Store& store, const std::string& volume) { return store.runroot() + "/volume-users/" + volume; }

std::string data_dir(const Store& store, const std::string& volume) { return volumes_dir(store) + "/" + volume + "/_data"; }

// Held while a volume's users and mount change: starts and stops of its users may race.
Result<FileLock> lock_users(const Store& store, const std::string& volume) {
    TRY(mkdir_p(store.runroot() + "/volume-users", 0700));
    return FileLock::acquire(users_dir(store, volume) + ".lock", true, true);
}

Status mount_with_options(const std::string& target, const Json& options) {
    std::vector<std::string> opts;
    std::stringstream ss(options.value("o", ""));
    for (std::string o; std::getline(ss, o, ',');)
        if (!o.empty()) opts.push_back(o);
    MountFlags f = parse_mount_options(opts);
    std::string type = options.value("type", ""), device = options.value("device", "");
    auto st = mount_fs(device, target, type == "none" ? "" : type, f.flags & ~f.clear, f.data);
    if (st.ok() && f.propagation) st = mount_fs("", target, "", f.propagation, "");
    if (!st.ok()) {
        std::ostringstream flags;
        flags << std::hex << (f.flags & ~f.clear);
        std::string why = st.error().message.substr(st.error().message.rfind(": ") + 2);
        return Error::internal("error while mounting volume '" + target + "': failed to mount local volume: mount " + device + ":" +
                             target + ", flags: 0x" + flags.str() + (f.data.empty() ? "" : ", data: " + f.data) + ": " + why);
    }
    return ok();
}

// Drops `id` from the volume's users, and the mount if it was the last.
Status leave_volume(const Store& store, const std::string& volume, const std::string& id) {
    std::string users = users_dir(store, volume);
    if (!path_exists(users)) return ok(); // never mounted for anyone: most volumes
    auto lock = TRY(lock_users(store, volume));
    ::unlink((users + "/" + id).c_str());
    auto left = list_dir(users);
    if (left.ok() && !left->empty()) return ok();
    std::string data = data_dir(store, volume);
    // Detached when busy: a process outside any container may still stand in it.
    if (is_mount_point(data) && !unmount(data, false).ok()) TRY(unmount(data, true));
    ::rmdir(users.c_str());
    return ok();
}

} // namespace

Status mount_volumes_for(Store& store, const ContainerRow& row) {
    std::vector<std::string> joined;
    for (const auto& volume : volumes_of(row.config["HostConfig"])) {
        Json options = volume_meta(store, volume).value("Options", Json::object());
        if (options.empty()) continue;
        Status st = [&]() -> Status {
            auto lock = TRY(lock_users(store, volume));
            TRY(mkdir_p(users_dir(store, volume), 0700));
            std::string data = data_dir(store, volume);
            if (!is_mount_point(data)) TRY(mount_with_options(data, options));
            TRY(open_file(users_dir(store, volume) + "/" + row.id, O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
            return ok();
        }();
        if (!st.ok()) {
            for (const auto& v : joined) (void)leave_volume(store, v, row.id);
            (void)leave_volume(store, volume, row.id); // its users' directory, if it was made
            return st;
        }
        joined.push_back(volume);
    }
    return ok();
}

Status release_volumes_of(Store& store, const ContainerRow& row) {
    Status first = ok();
    for (const auto& volume : volumes_of(row.config["HostConfig"])) {
        auto st = leave_volume(store, volume, row.id);
        if (!st.ok() && first.ok()) first = st;
    }
    return first;
}

Status forget_volume_mounts(const Store& store, const std::string& volume) {
    std::string data = data_dir(store, volume);
    if (is_mount_point(data)) TRY(unmount(data, true));
    (void)remove_all(users_dir(store, volume));
    ::unlink((users_dir(store, volume) + ".lock").c_str());
    return ok();
}

} // namespace kouti
