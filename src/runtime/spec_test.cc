#include "runtime/spec.h"

#include <gtest/gtest.h>
#include <sys/mount.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "runtime/cgroups.h"
#include "runtime/mount_options.h"

using namespace kouti;

static Json base() {
    Json c = default_spec(false);
    c["root"]["path"] = "/";
    return c;
}

static std::string parse_error(const Json& c) {
    auto s = parse_spec(c.dump(), "/tmp");
    return s.ok() ? "" : s.error().message;
}

TEST(Spec, DefaultSpecParses) {
    auto s = parse_spec(base().dump(), "/tmp");
    ASSERT_TRUE(s.ok()) << s.error().message;
    EXPECT_EQ(s->args, std::vector<std::string>{"sh"});
    EXPECT_TRUE(s->no_new_privileges);
    EXPECT_TRUE(s->root_readonly);
    EXPECT_EQ(s->namespaces.size(), 6u);
    EXPECT_EQ(s->mounts.size(), 7u);
    ASSERT_TRUE(s->caps.has_value());
    EXPECT_EQ(s->caps->bounding, (std::vector<int>{29, 5, 10}));
    EXPECT_EQ(s->rlimits[0].type, "RLIMIT_NOFILE");
    EXPECT_EQ(s->resources.devices.size(), 1u);
    EXPECT_FALSE(s->resources.devices[0].allow);
}

TEST(Spec, ErrorsNameTheField) {
    Json c = base();
    c["process"]["args"] = Json::array();
    EXPECT_EQ(parse_error(c), "config.json: process.args: must be a non-empty list of strings");
    c = base();
    c["process"]["user"]["uid"] = -1;
    EXPECT_EQ(parse_error(c), "config.json: process.user.uid: must not be negative");
    c = base();
    c["linux"]["namespaces"].push_back({{"type", "pid"}});
    EXPECT_EQ(parse_error(c), "config.json: linux.namespaces[6].type: namespace \"pid\" is listed twice");
    c = base();
    c["linux"]["namespaces"].push_back({{"type", "user"}});
    EXPECT_EQ(parse_error(c), "config.json: linux.uidMappings: a new user namespace needs uid and gid mappings");
    c = base();
    c["linux"]["resources"]["devices"][0]["access"] = "rwx";
    EXPECT_EQ(parse_error(c), "config.json: linux.resources.devices[0].access: must be made of r, w and m");
    c = base();
    c["process"]["rlimits"][0]["soft"] = 2048;
    EXPECT_EQ(parse_error(c), "config.json: process.rlimits[0].soft: is above the hard limit");
    c = base();
    c["linux"]["seccomp"] = {{"defaultAction", "SCMP_ACT_ALLOW"}, {"syscalls", {{{"names", {"mkdir"}}, {"action", "SCMP_ACT_ERRNO"}, {"args", {{{"index", 7}, {"op", "SCMP_CMP_EQ"}}}}}}}};
    EXPECT_EQ(parse_error(c), "config.json: linux.seccomp.syscalls[0].args[0].index: must be 0 to 5");
    c = base();
    c["linux"]["rootfsPropagation"] = "sideways";
    EXPECT_EQ(parse_error(c), "config.json: linux.rootfsPropagation: unknown propagation \"sideways\"");
    c = base();
    c["hooks"] = {{"prestart", {{{"path", "relative"}}}}};
    EXPECT_EQ(parse_error(c), "config.json: hooks.prestart[0].path: must be an absolute path");
    EXPECT_EQ(parse_spec("[1,2]", "/tmp").error().message, "config.json: must be a JSON object");
}

TEST(MountOptions, FlagsPropagationAndData) {
    auto m = parse_mount_options({"nosuid", "noexec", "ro", "rbind", "rslave", "size=64k", "mode=755"});
    EXPECT_EQ(m.flags, static_cast<unsigned long>(MS_NOSUID | MS_NOEXEC | MS_RDONLY | MS_BIND | MS_REC));
    EXPECT_EQ(m.propagation, static_cast<unsigned long>(MS_SLAVE | MS_REC));
    EXPECT_EQ(m.data, "size=64k,mode=755");
    EXPECT_TRUE(m.bind());
    auto rw = parse_mount_options({"ro", "rw", "defaults"});
    EXPECT_EQ(rw.flags, 0ul);
    EXPECT_EQ(rw.data, "");
    EXPECT_EQ(propagation_flag("private"), static_cast<unsigned long>(MS_PRIVATE));
    EXPECT_EQ(propagation_flag("nonsense"), 0ul);
}

TEST(Cgroups, DetectsHybridAndV2Layouts) {
    std::string hybrid =
        "30 25 0:26 / /sys/fs/cgroup ro,nosuid - tmpfs tmpfs ro,mode=755\n"
        "31 30 0:27 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw\n"
        "32 30 0:28 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
        "33 30 0:29 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n"
        "34 30 0:30 / /sys/fs/cgroup/systemd rw,nosuid shared:9 - cgroup cgroup rw,xattr,name=systemd\n"
        "35 30 0:31 / /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids"; // the last line without its newline
    auto l = parse_cgroup_mounts(hybrid);
    EXPECT_EQ(l.v1.size(), 4u); // memory, cpu, cpuacct, pids: no named hierarchy
    EXPECT_EQ(l.v1.at("pids"), "/sys/fs/cgroup/pids");
    EXPECT_EQ(l.unified, "/sys/fs/cgroup/unified");
    EXPECT_EQ(l.v1.at("memory"), "/sys/fs/cgroup/memory");
    EXPECT_EQ(l.v1.at("cpuacct"), "/sys/fs/cgroup/cpu,cpuacct");
    EXPECT_EQ(l.version(), 1);
    auto v2 = parse_cgroup_mounts("30 25 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n");
    EXPECT_TRUE(v2.pure_v2());
}

TEST(Cgroups, ReadsAProcessCgroupPaths) {
    auto p = parse_proc_cgroup("10:hugetlb:/\n9:name=systemd:/\n2:cpu,cpuacct:/kouti/abc\n1:pids:/kouti/abc\n0::/kouti/abc\n");
    EXPECT_EQ(p.at("cpu"), "/kouti/abc");
    EXPECT_EQ(p.at("cpuacct"), "/kouti/abc");
    EXPECT_EQ(p.at("pids"), "/kouti/abc");
    EXPECT_EQ(p.at("hugetlb"), "/");
    EXPECT_EQ(p.at(""), "/kouti/abc");
    EXPECT_EQ(p.at("name=systemd"), "/");
    EXPECT_TRUE(parse_proc_cgroup("").empty());
}

// `run --rm` removes a container's cgroup from two threads, which share its directories out.
TEST(Cgroups, TwoThreadsSharingClaimsRemoveEveryDirectoryOnce) {
    char tmpl[] = "/tmp/kouti-cgroup-test.XXXXXX";
    std::string root = ::mkdtemp(tmpl);
    CgroupLayout layout; // plain directories stand in for the hierarchies: remove() only rmdirs
    for (const char* c : {"blkio", "cpu", "cpuacct", "cpuset", "devices", "freezer", "memory", "pids"}) layout.v1[c] = root + "/" + c;
    layout.unified = root + "/unified";
    Cgroup cg(layout, "/kouti/abc");
    for (const auto& d : cg.directories()) std::filesystem::create_directories(d);
    ASSERT_EQ(cg.directories().size(), 9u);
    std::atomic<size_t> claims{0};
    Status other = ok();
    std::thread t([&] { other = Cgroup(layout, "/kouti/abc").remove(&claims); });
    Status mine = cg.remove(&claims);
    t.join();
    EXPECT_TRUE(mine.ok());
    EXPECT_TRUE(other.ok());
    for (const auto& d : cg.directories()) EXPECT_FALSE(std::filesystem::exists(d)) << d;
    EXPECT_GE(claims.load(), 9u + 2u); // each thread stopped at the first index past the end
    // Without claims, one call removes them all; a second finds nothing to do.
    for (const auto& d : cg.directories()) std::filesystem::create_directories(d);
    EXPECT_TRUE(cg.remove().ok());
    for (const auto& d : cg.directories()) EXPECT_FALSE(std::filesystem::exists(d)) << d;
    EXPECT_TRUE(cg.remove().ok());
    std::filesystem::remove_all(root);
}

static bool has(const std::vector<CgroupWrite>& writes, const std::string& file, const std::string& value) {
    for (const auto& w : writes)
        if (w.file == file && w.value == value) return true;
    return false;
}

TEST(Cgroups, PlansTheWritesForEachVersion) {
    Resources r;
    r.memory_limit = 64 << 20;
    r.memory_swap = 128 << 20;
    r.cpu_shares = 1024;
    r.cpu_quota = 50000;
    r.cpu_period = 100000;
    r.pids_limit = 0;
    r.devices.push_back(DeviceRule{false, "a", -1, -1, "rwm"});
    r.devices.push_back(DeviceRule{true, "c", 1, 3, "rwm"});
    auto v1 = plan_cgroup_writes(r, 1).value();
    EXPECT_TRUE(has(v1, "memory.limit_in_bytes", "67108864"));
    EXPECT_TRUE(has(v1, "memory.memsw.limit_in_bytes", "134217728"));
    EXPECT_TRUE(has(v1, "cpu.shares", "1024"));
    EXPECT_TRUE(has(v1, "cpu.cfs_quota_us", "50000"));
    EXPECT_TRUE(has(v1, "pids.max", "max"));
    EXPECT_TRUE(has(v1, "devices.deny", "a"));
    EXPECT_TRUE(has(v1, "devices.allow", "c 1:3 rwm"));
    auto v2 = plan_cgroup_writes(r, 2).value();
    EXPECT_TRUE(has(v2, "memory.max", "67108864"));
    EXPECT_TRUE(has(v2, "memory.swap.max", "67108864"));
    EXPECT_TRUE(has(v2, "cpu.weight", "39"));
    EXPECT_TRUE(has(v2, "cpu.max", "50000 100000"));
    r.memory_swap = 1 << 20;
    EXPECT_FALSE(plan_cgroup_writes(r, 2).ok());
}

TEST(Cgroups, UnifiedFilesAreWrittenLastOnV2AndRefusedOnV1) {
    Json c = base();
    c["linux"]["resources"] = {{"memory", {{"limit", 67108864}}}, {"unified", {{"memory.high", "50000000"}, {"cgroup.max.descendants", "5"}}}};
    auto s = parse_spec(c.dump(), "/tmp");
    ASSERT_TRUE(s.ok()) << s.error().message;
    EXPECT_TRUE(s->resources.any());
    auto v2 = plan_cgroup_writes(s->resources, 2).value();
    ASSERT_EQ(v2.size(), 3u);
    EXPECT_EQ(v2[0].file, "memory.max");
    // In the order config.json gives them (ordered JSON); core files under no controller.
    EXPECT_EQ(v2[1].controller, "memory");
    EXPECT_EQ(v2[1].file, "memory.high");
    EXPECT_EQ(v2[1].value, "50000000");
    EXPECT_EQ(v2[2].controller, "");
    EXPECT_EQ(v2[2].file, "cgroup.max.descendants");
    auto v1 = plan_cgroup_writes(s->resources, 1);
    ASSERT_FALSE(v1.ok());
    EXPECT_EQ(v1.error().message, "linux.resources.unified needs cgroup v2, and this host's controllers are on cgroup v1 (memory.high)");
    for (const char* bad : {"../memory.max", "memory", ".hidden", "a/b.c"}) {
        c["linux"]["resources"] = {{"unified", {{bad, "1"}}}};
        EXPECT_EQ(parse_error(c), std::string("config.json: linux.resources.unified.") + bad + ": not a cgroup file name (controller.name)");
    }
    c["linux"]["resources"] = {{"unified", {{"memory.high", 5}}}};
    EXPECT_EQ(parse_error(c), "config.json: linux.resources.unified.memory.high: must be a string");
}

TEST(Cgroups, HugepageLimitsNameTheirPageSizesFile) {
    Json c = base();
    c["linux"]["resources"] = {{"hugepageLimits", {{{"pageSize", "2MB"}, {"limit", 4194304}}, {{"pageSize", "1GB"}, {"limit", 0}}}}};
    auto s = parse_spec(c.dump(), "/tmp");
    ASSERT_TRUE(s.ok()) << s.error().message;
    EXPECT_TRUE(s->resources.any());
    auto v1 = plan_cgroup_writes(s->resources, 1).value();
    ASSERT_EQ(v1.size(), 2u);
    EXPECT_EQ(v1[0].controller, "hugetlb");
    EXPECT_TRUE(has(v1, "hugetlb.2MB.limit_in_bytes", "4194304"));
    EXPECT_TRUE(has(v1, "hugetlb.1GB.limit_in_bytes", "0"));
    auto v2 = plan_cgroup_writes(s->resources, 2).value();
    EXPECT_TRUE(has(v2, "hugetlb.2MB.max", "4194304"));
    for (const char* bad : {"2", "MB", "2TB", "../2MB", ""}) {
        c["linux"]["resources"] = {{"hugepageLimits", {{{"pageSize", bad}, {"limit", 1}}}}};
        EXPECT_EQ(parse_error(c), std::string("config.json: linux.resources.hugepageLimits[0].pageSize: \"") + bad +
                                      "\" is not a page size such as 2MB or 1GB");
    }
}

TEST(Cgroups, OrdersMemoryWritesSoThatSwapStaysAboveTheLimit) {
    Resources r;
    r.memory_limit = 30 << 20;
    r.memory_swap = 60 << 20;
    r.memory_reservation = 1 << 20;
    auto files = [](const std::vector<CgroupWrite>& w) {
        std::vector<std::string> f;
        for (const auto& x : w)
            if (x.controller == "memory") f.push_back(x.file);
        return f;
    };
    // Raising the limit above the old memsw (10 MiB → 30 MiB, memsw 20 → 60): swap first.
    auto up = plan_cgroup_writes(r, 1).value();
    order_memory_writes(up, 10 << 20);
    EXPECT_EQ(files(up), (std::vector<std::string>{"memory.memsw.limit_in_bytes", "memory.limit_in_bytes", "memory.soft_limit_in_bytes"}));
    // Lowering both (from 100 MiB), or a fresh cgroup (unlimited): the limit first.
    for (int64_t current : {int64_t{100} << 20, INT64_MAX}) {
        auto down = plan_cgroup_writes(r, 1).value();
        order_memory_writes(down, current);
        EXPECT_EQ(files(down), (std::vector<std::string>{"memory.limit_in_bytes", "memory.soft_limit_in_bytes", "memory.memsw.limit_in_bytes"}));
    }
    r.memory_swap = -1; // unlimited swap can always go first
    auto unlimited = plan_cgroup_writes(r, 1).value();
    order_memory_writes(unlimited, INT64_MAX);
    EXPECT_EQ(files(unlimited)[0], "memory.memsw.limit_in_bytes");
}

TEST(Cgroups, PlansSwappinessOomKillerAndBlockIoThrottles) {
    Resources r;
    r.memory_swappiness = 10;
    r.disable_oom_killer = true;
    r.read_bps.push_back({8, 0, 1048576});
    r.write_iops.push_back({8, 0, 100});
    r.write_bps.push_back({7, 1, 2048});
    EXPECT_TRUE(r.any());
    auto v1 = plan_cgroup_writes(r, 1).value();
    EXPECT_TRUE(has(v1, "memory.swappiness", "10"));
    EXPECT_TRUE(has(v1, "memory.oom_control", "1"));
    EXPECT_TRUE(has(v1, "blkio.throttle.read_bps_device", "8:0 1048576"));
    EXPECT_TRUE(has(v1, "blkio.throttle.write_iops_device", "8:0 100"));
    EXPECT_TRUE(has(v1, "blkio.throttle.write_bps_device", "7:1 2048"));
    // v2: one io.max line per device; no swappiness or OOM killer switch there.
    auto v2 = plan_cgroup_writes(r, 2).value();
    EXPECT_TRUE(has(v2, "io.max", "8:0 rbps=1048576 wiops=100"));
    EXPECT_TRUE(has(v2, "io.max", "7:1 wbps=2048"));
    EXPECT_EQ(v2.size(), 2u);
}

TEST(Cgroups, PlansBlockIoWeights) {
    Resources r;
    r.blkio_weight = 300;
    r.weight_devices.push_back({8, 0, 500});
    EXPECT_TRUE(r.any());
    auto v1 = plan_cgroup_writes(r, 1).value();
    ASSERT_EQ(v1.size(), 2u);
    // CFQ's files first, BFQ's when the kernel has no CFQ.
    EXPECT_EQ(v1[0].file + " " + v1[0].value + " " + v1[0].fallback, "blkio.weight 300 blkio.bfq.weight");
    EXPECT_EQ(v1[1].file + " " + v1[1].value + " " + v1[1].fallback, "blkio.weight_device 8:0 500 blkio.bfq.weight_device");
    auto v2 = plan_cgroup_writes(r, 2).value();
    EXPECT_TRUE(has(v2, "io.weight", "2930"));
    EXPECT_TRUE(has(v2, "io.weight", "8:0 4950"));
}

TEST(Spec, ParsesSwappinessOomKillerAndThrottles) {
    Json c = base();
    c["linux"]["resources"]["memory"] = {{"swappiness", 60}, {"disableOOMKiller", true}};
    c["linux"]["resources"]["blockIO"] = {{"throttleReadBpsDevice", Json::array({{{"major", 8}, {"minor", 0}, {"rate", 4096}}})},
                                          {"weightDevice", Json::array({{{"major", 8}, {"minor", 1}, {"weight", 200}}, {{"major", 8}, {"minor", 2}, {"leafWeight", 10}}})}};
    auto spec = parse_spec(c.dump(), "/tmp");
    ASSERT_TRUE(spec.ok()) << spec.error().message;
    EXPECT_EQ(spec->resources.memory_swappiness, 60u);
    EXPECT_TRUE(spec->resources.disable_oom_killer);
    ASSERT_EQ(spec->resources.read_bps.size(), 1u);
    EXPECT_EQ(spec->resources.read_bps[0].rate, 4096u);
    ASSERT_EQ(spec->resources.weight_devices.size(), 1u); // a leafWeight alone is CFQ's: nothing to write
    EXPECT_EQ(spec->resources.weight_devices[0].weight, 200);
    c["linux"]["resources"]["memory"]["swappiness"] = 101;
    EXPECT_EQ(parse_error(c), "config.json: linux.resources.memory.swappiness: must be at most 100");
}

TEST(Cgroups, Paths) {
    EXPECT_EQ(cgroup_path_for("", "abc"), "/kouti/abc");
    EXPECT_EQ(cgroup_path_for("/a/b", "abc"), "/a/b");
    EXPECT_EQ(cgroup_path_for("a/b", "abc"), "/a/b");
    EXPECT_EQ(cgroup_path_for("system.slice:cri-containerd:abc", "abc"), "/system.slice/cri-containerd-abc.scope");
}

TEST(Spec, PersonalityDomainIsParsedAndAnUnknownOneNamed) {
    Json c = base();
    EXPECT_FALSE(parse_spec(c.dump(), "/tmp")->personality.has_value());
    c["linux"]["personality"] = {{"domain", "LINUX32"}};
    auto s = parse_spec(c.dump(), "/tmp");
    ASSERT_TRUE(s.ok()) << s.error().message;
    EXPECT_EQ(s->personality, 0x0008u); // PER_LINUX32
    c["linux"]["personality"] = {{"domain", "LINUX"}};
    EXPECT_EQ(parse_spec(c.dump(), "/tmp")->personality, 0u);
    c["linux"]["personality"] = {{"domain", "SVR4"}};
    EXPECT_EQ(parse_error(c), "config.json: linux.personality.domain: unknown domain \"SVR4\" (LINUX or LINUX32)");
    c["linux"]["personality"] = {{"domain", "LINUX"}, {"flags", {"ADDR_NO_RANDOMIZE"}}};
    EXPECT_EQ(parse_error(c), "config.json: linux.personality.flags: not supported");
}
