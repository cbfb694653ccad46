// top, stats, update, cp, container prune.
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "engine/container_fs.h"
#include "engine/container_spec.h"
#include "engine/containers.h"
#include "engine/volumes.h"
#include "runtime/cgroups.h"
#include "runtime/spec.h"
#include "store/events.h"
#include "sys/copy.h"
#include "sys/fs.h"
#include "sys/resolve.h"
#include "util/humanize.h"

namespace kouti {
namespace {

int64_t read_number(const std::string& path) {
    auto t = read_file(path);
    if (!t.ok()) return -1;
    try {
        return std::stoll(*t);
    } catch (...) {
        return -1; // "max"
    }
}

Result<ContainerRow> running(Store& store, const std::string& name) {
    auto found = TRY(resolve_container(store.db(), name));
    auto row = TRY(sync_container(store, found.id));
    std::string st = row.state.value("Status", "");
    if (st != "running" && st != "paused") return Error::conflict("Container " + row.id + " is not running");
    return row;
}

std::string dir_of(const CgroupLayout& l, const std::string& controller, const std::string& path) {
    if (l.pure_v2()) return l.unified + path;
    auto it = l.v1.find(controller);
    return it == l.v1.end() ? "" : it->second + path;
}

struct Sample {
    int64_t cpu_ns = 0;
    int64_t at_ns = 0;
};

Sample cpu_sample(const CgroupLayout& l, const std::string& path) {
    Sample s;
    s.at_ns = now_nanos();
    if (l.pure_v2()) {
        std::ifstream f(l.unified + path + "/cpu.stat");
        std::string k;
        int64_t v;
        while (f >> k >> v)
            if (k == "usage_usec") s.cpu_ns = v * 1000;
    } else {
        s.cpu_ns = read_number(dir_of(l, "cpuacct", path) + "/cpuacct.usage");
    }
    return s;
}

} // namespace

Result<std::vector<pid_t>> container_pids(Store& store, const std::string& name) {
    auto row = TRY(running(store, name));
    return Cgroup(detect_cgroups(), row.state.value("CgroupPath", "")).processes();
}

Result<std::vector<ContainerStats>> container_stats(Store& store, const std::vector<std::string>& names, bool all, int interval_ms) {
    std::vector<ContainerRow> rows;
    std::vector<bool> live;
    auto add = [&](ContainerRow r, const Json& state) {
        std::string st = state.value("Status", "");
        bool is_live = st == "running" || st == "paused";
        if (!is_live && names.empty() && !all) return;
        rows.push_back(std::move(r));
        live.push_back(is_live);
    };
    if (names.empty()) {
        for (auto& r : TRY(all_containers(store.db()))) {
            Json state = observe_state(store, r);
            add(std::move(r), state);
        }
    } else {
        for (const auto& n : names) {
            auto found = TRY(resolve_container(store.db(), n));
            auto row = TRY(sync_container(store, found.id));
            Json state = row.state;
            add(std::move(row), state);
        }
    }
    CgroupLayout l = detect_cgroups();
    std::vector<Sample> first;
    for (size_t i = 0; i < rows.size(); ++i) first.push_back(live[i] ? cpu_sample(l, rows[i].state.value("CgroupPath", "")) : Sample{});
    if (std::find(live.begin(), live.end(), true) != live.end()) std::this_thread::sleep_for(std::chrono::milliseconds(interval_ms));
    std::vector<ContainerStats> out;
    for (size_t i = 0; i < rows.size(); ++i) {
        const auto& r = rows[i];
        std::string path = r.state.value("CgroupPath", "");
        ContainerStats s;
        s.id = r.id;
        s.name = r.name;
        if (!live[i]) {
            out.push_back(s);
            continue;
        }
        Sample second = cpu_sample(l, path);
        if (second.at_ns > first[i].at_ns && first[i].cpu_ns >= 0)
            s.cpu_percent = 100.0 * static_cast<double>(second.cpu_ns - first[i].cpu_ns) / static_cast<double>(second.at_ns - first[i].at_ns);
        if (l.pure_v2()) {
            s.mem_usage = read_number(l.unified + path + "/memory.current");
            s.mem_limit = read_number(l.unified + path + "/memory.max");
            s.pids = read_number(l.unified + path + "/pids.current");
        } else {
            // Docker subtracts the page cache that can be dropped (total_inactive_file).
            s.mem_usage = read_number(dir_of(l, "memory", path) + "/memory.usage_in_bytes");
            std::ifstream f(dir_of(l, "memory", path) + "/memory.stat");
            std::string k;
            int64_t v;
            while (f >> k >> v)
                if (k == "total_inactive_file" && v < s.mem_usage) s.mem_usage -= v;
            s.mem_limit = read_number(dir_of(l, "memory", path) + "/memory.limit_in_bytes");
            s.pids = read_number(dir_of(l, "pids", path) + "/pids.current");
        }
        // Block I/O: v2 io.stat "rbytes=N wbytes=N" per device; v1 "MAJ:MIN Read N" lines.
        if (l.pure_v2()) {
            std::ifstream io(l.unified + path + "/io.stat");
            std::string word;
            while (io >> word) {
                if (word.rfind("rbytes=", 0) == 0) s.block_read += std::atoll(word.c_str() + 7);
                if (word.rfind("wbytes=", 0) == 0) s.block_write += std::atoll(word.c_str() + 7);
            }
        } else {
            std::ifstream io(dir_of(l, "blkio", path) + "/blkio.throttle.io_service_bytes");
            std::string dev, op;
            int64_t n = 0;
            while (io >> dev) {
                if (dev == "Total") {
                    io >> n;
                    continue;
                }
                if (!(io >> op >> n)) break;
                if (op == "Read") s.block_read += n;
                if (op == "Write") s.block_write += n;
            }
        }
        int64_t total = static_cast<int64_t>(::sysconf(_SC_PHYS_PAGES)) * ::sysconf(_SC_PAGESIZE);
        if (s.mem_limit <= 0 || s.mem_limit > total) s.mem_limit = total;
        std::ifstream net("/proc/" + std::to_string(r.state.value("Pid", 0)) + "/net/dev");
        std::string line;
        while (std::getline(net, line)) {
            auto colon = line.find(':');
            if (colon == std::string::npos) continue;
            std::string iface = line.substr(0, colon);
            iface.erase(0, iface.find_first_not_of(' '));
            if (iface == "lo") continue;
            std::istringstream fields(line.substr(colon + 1));
            int64_t v[16] = {};
            for (auto& x : v) fields >> x;
            s.net_rx += v[0];
            s.net_tx += v[8];
        }
        out.push_back(s);
    }
    return out;
}

Status update_container(Store& store, const std::string& name, const Json& changes) {
    auto found = TRY(resolve_container(store.db(), name));
    auto row = TRY(sync_container(store, found.id));
    Json hc = row.config["HostConfig"];
    if (changes.contains("RestartPolicy") && changes["RestartPolicy"].value("Name", "no") != "no" && hc.value("AutoRemove", false))
        return Error::invalid("Cannot update container " + row.id + ": Restart policy cannot be updated because AutoRemove is enabled for the container");
    // A new memory limit above the swap limit already set needs a new swap limit too (Docker's
    // check; unlike Docker, a container without a swap limit takes a memory limit alone).
    int64_t old_swap = hc.value("MemorySwap", int64_t{0});
    if (changes.value("Memory", int64_t{0}) > 0 && !changes.contains("MemorySwap") && old_swap > 0 && changes["Memory"].get<int64_t>() > old_swap)
        return Error::invalid("Cannot update container " + row.id + ": Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time");
    for (auto& [k, v] : changes.items()) hc[k] = v;
    int64_t memory = hc.value("Memory", int64_t{0}), swap = hc.value("MemorySwap", int64_t{0});
    if (memory > 0 && swap > 0 && swap < memory)
        return Error::invalid("Cannot update container " + row.id + ": Minimum memoryswap limit should be larger than memory limit, see usage.");
    if (memory > 0 && swap == 0) hc["MemorySwap"] = memory * 2; // the default a create stores too
    if (auto rt = check_cpu_realtime(hc); !rt.ok()) return Error::invalid("Cannot update container " + row.id + ": " + rt.error().message);
    std::string st = row.state.value("Status", "");
    if (st == "running" || st == "paused") {
        // The limits go through the runtime's spec parser and cgroup code, as at start.
        Json spec = {{"ociVersion", "1.1.0"}, {"root", {{"path", "/"}}}, {"process", {{"args", {"true"}}, {"cwd", "/"}}},
                     {"linux", {{"resources", oci_limits(hc)}}}};
        Spec parsed = TRY(parse_spec(spec.dump(), "/"));
        parsed.resources.devices.clear();
        TRY(Cgroup(detect_cgroups(), row.state.value("CgroupPath", "")).create(parsed.resources));
    }
    auto tx = TRY(Transaction::begin(store.db()));
    TRY(update_host_config(store.db(), row.id, hc));
    TRY(record_container_event(store.db(), row, "update"));
    return tx.commit();
}

Status with_container_root(Store& store, const std::string& name, const std::function<Status(int root)>& fn) {
    ContainerFs fs = TRY(container_fs(store, name));
    std::string status = fs.row.state.value("Status", "");
    if (status == "running" || status == "paused") {
        auto root = TRY(open_file("/proc/" + std::to_string(fs.row.state.value("Pid", 0)) + "/root", O_PATH | O_DIRECTORY));
        return fn(root.get());
    }
    if (store.driver().name() != "overlay") {
        auto root = TRY(open_file(store.driver().rw_rootfs(fs.row.layer, fs.chain).path, O_PATH | O_DIRECTORY));
        return fn(root.get());
    }
    TRY(store.driver().before_rw_mount(fs.row.layer));
    RwRootfs rw = store.driver().rw_rootfs(fs.row.layer, fs.chain);
    int err[2];
    if (::pipe2(err, O_CLOEXEC) != 0) return Error::from_syscall("pipe");
    UniqueFd err_r(err[0]), err_w(err[1]);
    pid_t child = ::fork();
    if (child < 0) return Error::from_syscall("fork");
    if (child == 0) {
        err_r.reset();
        auto report = [&](const std::string& msg) {
            (void)write_all(err_w.get(), msg.data(), msg.size());
            ::_exit(1);
        };
        if (::unshare(CLONE_NEWNS) != 0 || ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
            report("cannot make a private mount namespace: " + std::string(std::strerror(errno)));
        if (::chdir(rw.overlay_base.c_str()) != 0) report("chdir: " + std::string(std::strerror(errno)));
        if (::mount("overlay", rw.path.c_str(), "overlay", 0, rw.overlay_data.c_str()) != 0)
            report("mount the container's file system: " + std::string(std::strerror(errno)));
        auto root = open_file(rw.path, O_PATH | O_DIRECTORY);
        if (!root.ok()) report(root.error().message);
        auto st = fn(root->get());
        if (!st.ok()) report(st.error().message);
        ::_exit(0);
    }
    err_w.reset();
    std::string msg;
    char buf[512];
    ssize_t n;
    while ((n = ::read(err_r.get(), buf, sizeof buf)) > 0) msg.append(buf, static_cast<size_t>(n));
    int wstatus = 0;
    ::waitpid(child, &wstatus, 0);
    if (!msg.empty()) return Error::invalid(msg);
    if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0) return Error::internal("copy failed");
    return ok();
}


Result<std::pair<std::vector<std::string>, int64_t>> prune_containers(Store& store, const PruneFilter& filter) {
    std::pair<std::vector<std::string>, int64_t> out{{}, 0};
    for (const auto& r : TRY(all_containers(store.db()))) {
        std::string st = observe_state(store, r).value("Status", "");
        if (st != "exited" && st != "created" && st != "dead") continue;
        if (!filter.selects(r.config.value("Config", Json::object()).value("Labels", Json::object()), r.created)) continue;
        LayerRow rw;
        rw.cache_id = r.layer;
        auto size = disk_usage(store.driver().diff_dir(rw));
        if (remove_container(store, r.id, false, false).ok()) {
            out.first.push_back(r.id);
            out.second += size.ok() ? *size : 0;
        }
    }
    return out;
}

Status populate_volumes(Store& store, const std::string& id, const std::vector<VolumeCopy>& copies) {
    // Only empty volumes are filled: most of the time none is, and nothing gets mounted.
    std::vector<VolumeCopy> empty;
    for (const auto& c : copies) {
        if (!volume_meta(store, c.volume).value("Options", Json::object()).empty()) continue;
        auto names = list_dir(volumes_dir(store) + "/" + c.volume + "/_data");
        if (names.ok() && names->empty()) empty.push_back(c);
    }
    if (empty.empty()) return ok();
    return with_container_root(store, id, [&](int root) -> Status {
        for (const auto& c : empty) {
            auto from = open_in_root(root, c.destination, O_PATH | O_DIRECTORY);
            if (!from.ok()) continue; // nothing there in the image, or no directory
            // Copied beside the volume's _data, then put in its place: a volume is either empty
            // or filled, and one that another container filled meanwhile is left as it is.
            std::string dir = volumes_dir(store) + "/" + c.volume, staged = dir + "/.populating-" + random_hex(4);
            auto st = copy_tree(fd_path(from->get()) + "/.", staged);
            if (st.ok() && ::rename(staged.c_str(), (dir + "/_data").c_str()) != 0 && errno != ENOTEMPTY && errno != EEXIST)
                st = Error::from_syscall("populate volume " + c.volume);
            (void)remove_all(staged);
            TRY(std::move(st));
        }
        return ok();
    });
}

} // namespace kouti
