#include "runtime/init_handoff.h"

#include <gtest/gtest.h>

using namespace kouti;

namespace {

Json bundle_config() {
    Json c = default_spec(false);
    c["root"]["path"] = "/tmp";
    c["process"]["args"] = {"/bin/echo", "a b"};
    c["hostname"] = "box";
    return c;
}

} // namespace

TEST(InitHandoff, TheSetupGetsTheContextItWasGiven) {
    Json config = bundle_config();
    auto parsed = parse_spec_json(config, "/b");
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    Spec spec = std::move(parsed).value();
    Channel channel{UniqueFd(::dup(0))};
    CgroupLayout layout;
    layout.v1 = {{"memory", "/sys/fs/cgroup/memory"}, {"pids", "/sys/fs/cgroup/pids"}};
    layout.unified = "/sys/fs/cgroup/unified";
    Cgroup cgroup(layout, "/kouti/abc");
    InitContext ctx;
    ctx.spec = &spec;
    ctx.channel = &channel;
    ctx.cgroup = &cgroup;
    ctx.cgroups = layout;
    ctx.fifo_fd = 7;
    ctx.console_fd = -1;
    ctx.terminal_to_parent = true;
    ctx.preserve_fds = 2;
    ctx.stdio[1] = 9;
    ctx.no_pivot = true;
    ctx.wait_for_go = true;
    ctx.send_mount_namespace = true;
    // A BPF program is binary: NULs and all.
    ctx.seccomp_program = std::string("\x06\x00\x00\x00\x00\x00\xff\x7f", 8);
    HandoffExtras extras;
    extras.bundle = "/b";
    extras.netns_fd = 12;
    ::sigemptyset(&extras.signal_mask);
    ::sigaddset(&extras.signal_mask, SIGTERM);
    ::sigaddset(&extras.signal_mask, SIGRTMIN + 1);

    auto d = decode_init_handoff(encode_init_handoff(ctx, config.dump(), extras));
    ASSERT_TRUE(d.ok()) << d.error().message;
    const InitContext& got = (*d)->ctx;
    EXPECT_EQ(got.spec->args, (std::vector<std::string>{"/bin/echo", "a b"}));
    EXPECT_EQ(got.spec->hostname, "box");
    EXPECT_EQ(got.spec->root_path, "/tmp");
    EXPECT_EQ(got.spec->find_namespace("network")->path, "/proc/self/fd/12");
    EXPECT_EQ(got.channel->fd.get(), channel.fd.get());
    EXPECT_EQ(got.cgroup->path(), "/kouti/abc");
    EXPECT_EQ(got.cgroups.v1, layout.v1);
    EXPECT_EQ(got.cgroups.unified, layout.unified);
    EXPECT_EQ(got.fifo_fd, 7);
    EXPECT_EQ(got.console_fd, -1);
    EXPECT_TRUE(got.terminal_to_parent);
    EXPECT_EQ(got.preserve_fds, 2);
    EXPECT_EQ(got.stdio[0], -1);
    EXPECT_EQ(got.stdio[1], 9);
    EXPECT_TRUE(got.no_pivot);
    EXPECT_FALSE(got.joined_user_ns);
    EXPECT_TRUE(got.wait_for_go);
    EXPECT_TRUE(got.send_mount_namespace);
    EXPECT_EQ(got.seccomp_program, ctx.seccomp_program);
    EXPECT_EQ(::sigismember(&(*d)->signal_mask, SIGTERM), 1);
    EXPECT_EQ(::sigismember(&(*d)->signal_mask, SIGRTMIN + 1), 1);
    EXPECT_EQ(::sigismember(&(*d)->signal_mask, SIGINT), 0);
    (*d)->channel.fd.release(); // the same fd as `channel`
}

TEST(InitHandoff, ABrokenBufferIsAnError) {
    EXPECT_FALSE(decode_init_handoff("").ok());
    EXPECT_FALSE(decode_init_handoff(std::string("{}\0", 3)).ok());
    EXPECT_FALSE(decode_init_handoff(std::string("{\"init\":{},\"config\":{}}\0", 25)).ok());
}
