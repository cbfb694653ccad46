#include "runtime/cgroups.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <set>
#include <sstream>
#include <string_view>
#include <thread>

#include "sys/fs.h"

namespace kouti {

// Space-separated fields of one mountinfo line, without iostreams: their locale machinery made
// this parse cost 0.15 ms, on the path of every container start.
static std::vector<std::string_view> fields_of(std::string_view line) {
    std::vector<std::string_view> f;
    size_t at = 0;
    while (at < line.size()) {
        size_t end = line.find(' ', at);
        if (end == std::string_view::npos) end = line.size();
        if (end > at) f.push_back(line.substr(at, end - at));
        at = end + 1;
    }
    return f;
}

CgroupLayout parse_cgroup_mounts(const std::string& mountinfo) {
    static constexpr std::string_view kKnown[] = {"cpu",  "cpuacct", "cpuset",  "memory",     "devices", "freezer", "blkio",
                                                  "pids", "hugetlb", "net_cls", "net_prio", "perf_event", "rdma",  "misc"};
    CgroupLayout l;
    std::string_view text(mountinfo);
    size_t at = 0;
    while (at < text.size()) {
        size_t nl = text.find('\n', at);
        if (nl == std::string_view::npos) nl = text.size();
        std::string_view line = text.substr(at, nl - at);
        at = nl + 1;
        // "36 25 0:31 / /sys/fs/cgroup/memory rw,... shared:13 - cgroup cgroup rw,memory"
        size_t dash = line.find(" - ");
        if (dash == std::string_view::npos) continue;
        auto pre = fields_of(line.substr(0, dash)), post = fields_of(line.substr(dash + 3));
        if (pre.size() < 5 || post.size() < 3) continue;
        std::string mnt(pre[4]);
        if (post[0] == "cgroup2") {
            if (l.unified.empty()) l.unified = mnt;
        } else if (post[0] == "cgroup") {
            std::string_view opts = post[2];
            size_t o = 0;
            while (o <= opts.size()) {
                size_t comma = opts.find(',', o);
                if (comma == std::string_view::npos) comma = opts.size();
                std::string opt(opts.substr(o, comma - o));
                o = comma + 1;
                if (std::find(std::begin(kKnown), std::end(kKnown), opt) != std::end(kKnown) && !l.v1.count(opt)) l.v1[opt] = mnt;
            }
        }
    }
    return l;
}

CgroupLayout detect_cgroups() {
    // Read once per process: a run asks several times.
    static const CgroupLayout layout = [] {
        auto text = read_file("/proc/self/mountinfo");
        return text.ok() ? parse_cgroup_mounts(*text) : CgroupLayout{};
    }();
    return layout;
}

std::map<std::string, std::string> parse_proc_cgroup(const std::string& text) {
    std::map<std::string, std::string> paths;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        // "4:cpu,cpuacct:/kouti/ID" or "0::/kouti/ID"
        size_t first = line.find(':'), second = first == std::string::npos ? first : line.find(':', first + 1);
        if (second == std::string::npos) continue;
        std::string controllers = line.substr(first + 1, second - first - 1), path = line.substr(second + 1);
        if (controllers.empty()) paths[""] = path;
        for (size_t at = 0; at < controllers.size();) {
            size_t comma = std::min(controllers.find(',', at), controllers.size());
            paths[controllers.substr(at, comma - at)] = path;
            at = comma + 1;
        }
    }
    return paths;
}

bool cpu_realtime_supported() {
    auto layout = detect_cgroups();
    auto cpu = layout.v1.find("cpu");
    return cpu != layout.v1.end() && path_exists(cpu->second + "/cpu.rt_runtime_us");
}

std::string cgroup_path_for(const std::string& spec_path, const std::string& id) {
    if (spec_path.empty()) return "/kouti/" + id;
    if (spec_path[0] != '/' && std::count(spec_path.begin(), spec_path.end(), ':') == 2) {
        // systemd's "slice:prefix:name": without systemd we lay it out as cgroupfs paths.
        auto c1 = spec_path.find(':'), c2 = spec_path.find(':', c1 + 1);
        std::string slice = spec_path.substr(0, c1), prefix = spec_path.substr(c1 + 1, c2 - c1 - 1),
                    name = spec_path.substr(c2 + 1);
        if (slice.empty()) slice = "system.slice";
        return "/" + slice + "/" + (prefix.empty() ? name : prefix + "-" + name) + ".scope";
    }
    return spec_path[0] == '/' ? spec_path : "/" + spec_path;
}

Result<std::vector<CgroupWrite>> plan_cgroup_writes(const Resources& r, int version) {
    std::vector<CgroupWrite> w;
    auto num = [](int64_t v) { return std::to_string(v); };
    if (version == 1) {
        if (r.memory_limit) w.push_back({"memory", "memory.limit_in_bytes", num(*r.memory_limit)});
        if (r.memory_reservation) w.push_back({"memory", "memory.soft_limit_in_bytes", num(*r.memory_reservation)});
        if (r.memory_swap) w.push_back({"memory", "memory.memsw.limit_in_bytes", num(*r.memory_swap)});
        if (r.cpu_shares) w.push_back({"cpu", "cpu.shares", std::to_string(*r.cpu_shares)});
        if (r.cpu_period) w.push_back({"cpu", "cpu.cfs_period_us", std::to_string(*r.cpu_period)});
        if (r.cpu_quota) w.push_back({"cpu", "cpu.cfs_quota_us", num(*r.cpu_quota)});
        // The period first, as runc: a runtime is checked against the period in place.
        if (r.cpu_rt_period) w.push_back({"cpu", "cpu.rt_period_us", std::to_string(*r.cpu_rt_period)});
        if (r.cpu_rt_runtime) w.push_back({"cpu", "cpu.rt_runtime_us", num(*r.cpu_rt_runtime)});
        if (!r.cpuset_cpus.empty()) w.push_back({"cpuset", "cpuset.cpus", r.cpuset_cpus});
        if (!r.cpuset_mems.empty()) w.push_back({"cpuset", "cpuset.mems", r.cpuset_mems});
        if (r.pids_limit) w.push_back({"pids", "pids.max", *r.pids_limit > 0 ? num(*r.pids_limit) : "max"});
        if (r.memory_swappiness) w.push_back({"memory", "memory.swappiness", std::to_string(*r.memory_swappiness)});
        if (r.disable_oom_killer) w.push_back({"memory", "memory.oom_control", "1"});
        if (r.blkio_weight) w.push_back({"blkio", "blkio.weight", std::to_string(*r.blkio_weight), "blkio.bfq.weight"});
        for (const auto& d : r.weight_devices)
            w.push_back({"blkio", "blkio.weight_device", num(d.major) + ":" + num(d.minor) + " " + std::to_string(d.weight), "blkio.bfq.weight_device"});
        const std::pair<const std::vector<DeviceRate>*, const char*> throttles[] = {
            {&r.read_bps, "blkio.throttle.read_bps_device"}, {&r.write_bps, "blkio.throttle.write_bps_device"},
            {&r.read_iops, "blkio.throttle.read_iops_device"}, {&r.write_iops, "blkio.throttle.write_iops_device"}};
        for (const auto& [rates, file] : throttles)
            for (const auto& d : *rates) w.push_back({"blkio", file, num(d.major) + ":" + num(d.minor) + " " + std::to_string(d.rate)});
        for (const auto& d : r.devices) {
            std::string rule = d.type + " " + (d.major < 0 ? "*" : num(d.major)) + ":" + (d.minor < 0 ? "*" : num(d.minor)) + " " + d.access;
            if (d.type == "a") rule = "a";
            w.push_back({"devices", d.allow ? "devices.allow" : "devices.deny", rule});
        }
        for (const auto& [size, limit] : r.hugepage_limits)
            w.push_back({"hugetlb", "hugetlb." + size + ".limit_in_bytes", std::to_string(limit)});
        // As runc and crun: a v2 file has no v1 meaning, and a hybrid host's unified hierarchy
        // has no controllers to write to.
        if (!r.unified.empty())
            return Error::invalid("linux.resources.unified needs cgroup v2, and this host's controllers are on cgroup v1 (" +
                                  r.unified.front().first + ")");
        return w;
    }
    if (r.cpu_rt_period || r.cpu_rt_runtime)
        return Error::invalid("cgroup v2 has no CPU real-time budget (cpu.rt_runtime_us): the real-time period and runtime need cgroup v1");
    if (r.memory_limit) w.push_back({"memory", "memory.max", *r.memory_limit < 0 ? "max" : num(*r.memory_limit)});
    if (r.memory_reservation) w.push_back({"memory", "memory.low", num(*r.memory_reservation)});
    if (r.memory_swap) {
        // v1 counts memory+swap, v2 swap alone.
        if (*r.memory_swap < 0) w.push_back({"memory", "memory.swap.max", "max"});
        else if (r.memory_limit && *r.memory_limit >= 0) {
            if (*r.memory_swap < *r.memory_limit) return Error::invalid("memory+swap limit is below the memory limit");
            w.push_back({"memory", "memory.swap.max", num(*r.memory_swap - *r.memory_limit)});
        }
    }
    if (r.cpu_shares) w.push_back({"cpu", "cpu.weight", std::to_string(1 + ((*r.cpu_shares - 2) * 9999) / 262142)});
    if (r.cpu_quota || r.cpu_period)
        w.push_back({"cpu", "cpu.max", (r.cpu_quota && *r.cpu_quota > 0 ? num(*r.cpu_quota) : "max") + " " +
                                           std::to_string(r.cpu_period ? *r.cpu_period : 100000)});
    if (!r.cpuset_cpus.empty()) w.push_back({"cpuset", "cpuset.cpus", r.cpuset_cpus});
    if (!r.cpuset_mems.empty()) w.push_back({"cpuset", "cpuset.mems", r.cpuset_mems});
    if (r.pids_limit) w.push_back({"pids", "pids.max", *r.pids_limit > 0 ? num(*r.pids_limit) : "max"});
    auto io_weight = [](uint16_t weight) { return std::to_string(1 + (std::clamp<int>(weight, 10, 1000) - 10) * 9999 / 990); };
    if (r.blkio_weight) w.push_back({"io", "io.weight", io_weight(*r.blkio_weight)});
    for (const auto& d : r.weight_devices) w.push_back({"io", "io.weight", num(d.major) + ":" + num(d.minor) + " " + io_weight(d.weight)});
    // One io.max line per device, with each of its limits. (v2 has no swappiness and no way to
    // turn the OOM killer off: ignored there, as crun does.)
    std::map<std::pair<int64_t, int64_t>, std::string> io_max;
    const std::pair<const std::vector<DeviceRate>*, const char*> limits[] = {
        {&r.read_bps, "rbps"}, {&r.write_bps, "wbps"}, {&r.read_iops, "riops"}, {&r.write_iops, "wiops"}};
    for (const auto& [rates, key] : limits)
        for (const auto& d : *rates) io_max[{d.major, d.minor}] += std::string(" ") + key + "=" + std::to_string(d.rate);
    for (const auto& [dev, line] : io_max) w.push_back({"io", "io.max", num(dev.first) + ":" + num(dev.second) + line});
    for (const auto& [size, limit] : r.hugepage_limits) w.push_back({"hugetlb", "hugetlb." + size + ".max", std::to_string(limit)});
    // Last, so that they win over the same files written from the fields above (runc's order).
    // "cgroup.*" files belong to no controller.
    for (const auto& [file, value] : r.unified) {
        std::string controller = file.substr(0, file.find('.'));
        w.push_back({controller == "cgroup" ? "" : controller, file, value});
    }
    return w;
}

std::string Cgroup::dir_for(const std::string& controller) const {
    if (m_layout.pure_v2() || controller.empty()) return m_layout.unified + m_path;
    auto it = m_layout.v1.find(controller);
    return it == m_layout.v1.end() ? "" : it->second + m_path;
}

std::vector<std::string> Cgroup::directories() const {
    std::set<std::string> dirs;
    for (const auto& [c, mnt] : m_layout.v1) dirs.insert(mnt + m_path);
    if (!m_layout.unified.empty()) dirs.insert(m_layout.unified + m_path);
    return {dirs.begin(), dirs.end()};
}

static Status write_value(const std::string& file, const std::string& value) {
    auto fd = TRY(open_file(file, O_WRONLY | O_TRUNC));
    if (::write(fd.get(), value.data(), value.size()) < 0) return Error::from_syscall("write " + value + " to " + file);
    return ok();
}

static std::string read_trimmed(const std::string& file) {
    auto t = read_file(file);
    if (!t.ok()) return "";
    std::string s = *t;
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    return s;
}

// A v1 cpuset directory whose cpus and mems are set, as a parent with clone_children makes them.
static bool cpuset_ready(const std::string& dir) {
    return !read_trimmed(dir + "/cpuset.cpus").empty() && !read_trimmed(dir + "/cpuset.mems").empty();
}

static double rt_share(const std::string& dir) {
    double period = static_cast<double>(std::atoll(read_trimmed(dir + "/cpu.rt_period_us").c_str()));
    return period > 0 ? static_cast<double>(std::atoll(read_trimmed(dir + "/cpu.rt_runtime_us").c_str())) / period : 0;
}

// A v1 cgroup's real-time runtime must fit in its parent's (as a share of the period, summed
// over the siblings), and new cgroups start with none: Docker leaves it to its daemon's
// --cpu-rt-runtime to fill the parents. kouti has no daemon, so it gives the ancestors below the
// root what this container's `share` needs, beside what their other children hold. It never
// lowers one; the root's budget (95% by default) is the limit, and a request above it fails.
static Status ensure_rt_budget(const std::string& mnt, const std::string& path, double share) {
    std::vector<std::string> chain; // the container's directory, then its ancestors up to below the root
    for (std::string p = path; p.size() > 1; p = p.substr(0, p.rfind('/'))) chain.push_back(mnt + p);
    std::vector<std::pair<std::string, double>> raise;
    double needed = share;
    for (size_t i = 1; i < chain.size(); ++i) {
        const std::string& dir = chain[i];
        double children = needed;
        auto names = list_dir(dir);
        if (names.ok())
            for (const auto& name : *names)
                if (dir + "/" + name != chain[i - 1] && is_directory(dir + "/" + name)) children += rt_share(dir + "/" + name);
        if (rt_share(dir) >= children) break;
        raise.emplace_back(dir, children);
        needed = children;
    }
    for (auto it = raise.rbegin(); it != raise.rend(); ++it) {
        double period = static_cast<double>(std::atoll(read_trimmed(it->first + "/cpu.rt_period_us").c_str()));
        auto runtime = static_cast<int64_t>(std::ceil(it->second * period));
        if (auto st = write_value(it->first + "/cpu.rt_runtime_us", std::to_string(runtime)); !st.ok())
            return Error::invalid("cpu real-time runtime: cannot give the cgroup " + it->first + " " + std::to_string(runtime) +
                                  " µs of real-time budget: its parent has no more to give");
    }
    return ok();
}

void order_memory_writes(std::vector<CgroupWrite>& writes, int64_t current_limit) {
    auto at = [&](const char* file) {
        return std::find_if(writes.begin(), writes.end(), [&](const CgroupWrite& w) { return w.file == file; });
    };
    auto limit = at("memory.limit_in_bytes"), memsw = at("memory.memsw.limit_in_bytes");
    if (limit == writes.end() || memsw == writes.end() || memsw < limit) return;
    int64_t swap = std::atoll(memsw->value.c_str());
    if (swap == -1 || current_limit < swap) std::rotate(limit, memsw, memsw + 1);
}

Status Cgroup::create(const Resources& r) {
    auto writes = TRY(plan_cgroup_writes(r, m_layout.version()));
    if (m_layout.version() == 1 && r.memory_limit && r.memory_swap) {
        // On an existing cgroup (update) the order matters: the kernel keeps memsw >= limit.
        std::string current = read_trimmed(dir_for("memory") + "/memory.limit_in_bytes");
        order_memory_writes(writes, current.empty() ? INT64_MAX : std::atoll(current.c_str()));
    }
    for (const auto& w : writes)
        if (m_layout.version() == 1 && !m_layout.v1.count(w.controller))
            return Error::invalid("cgroup controller " + w.controller + " is not available, but the spec sets " + w.file);
    for (const auto& dir : directories()) TRY(mkdir_p(dir, 0755));
    if (m_layout.version() == 1 && m_layout.v1.count("cpuset") && !cpuset_ready(m_layout.v1.at("cpuset") + m_path)) {
        // A v1 cpuset takes no tasks until cpus and mems are set: inherit them down the path,
        // and have the parent give them to its next children itself (clone_children).
        std::string mnt = m_layout.v1.at("cpuset"), cur = mnt;
        size_t pos = 1;
        while (pos <= m_path.size()) {
            size_t next = m_path.find('/', pos);
            std::string parent = cur;
            cur = mnt + m_path.substr(0, next == std::string::npos ? std::string::npos : next);
            for (const char* f : {"cpuset.cpus", "cpuset.mems"})
                if (read_trimmed(cur + "/" + f).empty()) TRY(write_value(cur + "/" + f, read_trimmed(parent + "/" + f)));
            if (next == std::string::npos) {
                if (parent != mnt) (void)write_value(parent + "/cgroup.clone_children", "1"); // never the host's root
                break;
            }
            pos = next + 1;
        }
    }
    if (m_layout.pure_v2()) {
        // Enable the controllers the limits need in every ancestor.
        std::set<std::string> needed;
        for (const auto& w : writes)
            if (!w.controller.empty()) needed.insert(w.controller);
        std::string cur = m_layout.unified;
        size_t pos = 1;
        while (!needed.empty() && pos <= m_path.size()) {
            std::string enable;
            for (const auto& c : needed) enable += "+" + c + " ";
            TRY(write_value(cur + "/cgroup.subtree_control", enable));
            size_t next = m_path.find('/', pos);
            if (next == std::string::npos) break;
            cur = m_layout.unified + m_path.substr(0, next);
            pos = next + 1;
        }
    }
    if (m_layout.version() == 1 && r.cpu_rt_runtime && *r.cpu_rt_runtime > 0 && m_layout.v1.count("cpu"))
        TRY(ensure_rt_budget(m_layout.v1.at("cpu"), m_path, static_cast<double>(*r.cpu_rt_runtime) / static_cast<double>(r.cpu_rt_period.value_or(1000000))));
    // One open per file: the devices rules are a write each to the same devices.allow.
    UniqueFd fd;
    std::string open_path;
    for (const auto& w : writes) {
        std::string file = dir_for(w.controller) + "/" + w.file;
        if (file != open_path) {
            fd.reset(::open(file.c_str(), O_WRONLY | O_CLOEXEC));
            if (!fd.valid() && errno == ENOENT && !w.fallback.empty()) {
                file = dir_for(w.controller) + "/" + w.fallback;
                fd.reset(::open(file.c_str(), O_WRONLY | O_CLOEXEC));
            }
            if (!fd.valid()) {
                if (errno == ENOENT) return Error::invalid("cgroup file " + w.file + " is not available on this kernel");
                return Error::from_syscall("open " + file).context("set cgroup limit");
            }
            open_path = file;
        }
        bool written = ::write(fd.get(), w.value.data(), w.value.size()) >= 0;
        // A just-removed sibling (the last --rm container's) keeps its real-time budget until the
        // kernel releases its group, a little after the rmdir: wait for that, up to 0.5 s.
        for (int i = 0; !written && errno == EINVAL && w.file == "cpu.rt_runtime_us" && i < 250; ++i) {
            ::usleep(2000);
            written = ::write(fd.get(), w.value.data(), w.value.size()) >= 0;
        }
        if (!written) return Error::from_syscall("write " + w.value + " to " + file).context("set cgroup limit");
    }
    return ok();
}

Status Cgroup::add_process(pid_t pid) {
    for (const auto& dir : directories()) TRY(write_value(dir + "/cgroup.procs", std::to_string(pid)));
    return ok();
}

Status Cgroup::add_process_unified(pid_t pid) {
    if (m_layout.unified.empty()) return ok();
    return write_value(dir_for("") + "/cgroup.procs", std::to_string(pid));
}

Result<UniqueFd> Cgroup::create_unified_dir() {
    if (m_layout.unified.empty()) return UniqueFd();
    TRY(mkdir_p(dir_for(""), 0755));
    return open_file(dir_for(""), O_RDONLY | O_DIRECTORY);
}

Status Cgroup::enter_v1_self() const {
    std::set<std::string> dirs;
    for (const auto& [c, mnt] : m_layout.v1) dirs.insert(mnt + m_path);
    for (const auto& dir : dirs) TRY(write_value(dir + "/tasks", "0"));
    return ok();
}

Status Cgroup::enter_unified_self() const {
    if (m_layout.unified.empty()) return ok();
    return write_value(dir_for("") + "/cgroup.procs", "0");
}

Status Cgroup::freeze(bool frozen) {
    if (m_layout.pure_v2()) {
        TRY(write_value(dir_for("") + "/cgroup.freeze", frozen ? "1" : "0"));
    } else {
        if (!m_layout.v1.count("freezer")) return Error::invalid("the freezer cgroup controller is not available");
        TRY(write_value(dir_for("freezer") + "/freezer.state", frozen ? "FROZEN" : "THAWED"));
    }
    for (int i = 0; i < 1000 && this->frozen() != frozen; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return ok();
}

bool Cgroup::frozen() const {
    if (m_layout.pure_v2()) return read_trimmed(dir_for("") + "/cgroup.events").find("frozen 1") != std::string::npos;
    if (!m_layout.v1.count("freezer")) return false;
    return read_trimmed(dir_for("freezer") + "/freezer.state") == "FROZEN";
}

std::vector<pid_t> Cgroup::processes() const {
    std::set<pid_t> pids;
    for (const auto& dir : directories()) {
        std::istringstream in(read_trimmed(dir + "/cgroup.procs"));
        pid_t p;
        while (in >> p) pids.insert(p);
    }
    return {pids.begin(), pids.end()};
}

Status Cgroup::kill_all(int sig) {
    for (pid_t p : processes()) ::kill(p, sig);
    return ok();
}

Status Cgroup::remove(std::atomic<size_t>* claims) {
    // Usually empty by now (a container's processes die with its pid namespace's init): remove
    // the directories first, and look for processes to kill only where that failed. Reading every
    // hierarchy's cgroup.procs first cost eleven file reads per container on a v1 host.
    std::vector<std::string> busy;
    auto dirs = directories();
    std::atomic<size_t> own{0};
    std::atomic<size_t>& next = claims ? *claims : own;
    for (size_t i; (i = next.fetch_add(1)) < dirs.size();)
        if (::rmdir(dirs[i].c_str()) != 0 && errno != ENOENT) busy.push_back(dirs[i]);
    if (busy.empty()) return ok();
    for (int i = 0; i < 500; ++i) {
        auto left = processes();
        if (left.empty()) break;
        if (frozen()) (void)freeze(false); // a frozen task cannot die
        for (pid_t p : left) ::kill(p, SIGKILL);
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    Status result = ok();
    for (const auto& dir : busy) {
        if (::rmdir(dir.c_str()) != 0 && errno != ENOENT && result) result = Error::from_syscall("remove cgroup " + dir);
    }
    return result;
}

// "key value" lines, as memory.events (v2) and memory.oom_control (v1) both are.
static bool counter_positive(const std::string& text, const std::string& wanted) {
    std::istringstream in(text);
    std::string key;
    long v;
    while (in >> key >> v)
        if (key == wanted && v > 0) return true;
    return false;
}

bool Cgroup::oom_killed() const {
    if (m_layout.pure_v2()) return counter_positive(read_trimmed(dir_for("") + "/memory.events"), "oom_kill");
    return counter_positive(read_trimmed(dir_for("memory") + "/memory.oom_control"), "oom_kill");
}

} // namespace kouti
