#include <gtest/gtest.h>

#include "engine/containers.h"
#include "util/humanize.h"

using namespace kouti;

namespace {

ContainerSummary summary() {
    ContainerSummary c;
    c.row.id = std::string(64, 'a');
    c.row.name = "brave_curie";
    c.row.image_id = "sha256:img";
    c.row.created = now_nanos() - 120 * 1000000000LL;
    c.path = "sh";
    c.args_json = R"(["-c","echo \"hello world\""])";
    c.image = "busybox";
    c.labels_json = R"({"b":"2","a":"1"})";
    c.status = "exited";
    c.exit_code = 3;
    c.finished_at = rfc3339_nano(now_nanos() - 60 * 1000000000LL);
    return c;
}

} // namespace

TEST(PsRow, ShowsTheSummaryAsDocker) {
    PsRow r = ps_row(summary(), nullptr, false);
    EXPECT_EQ(r.id, std::string(12, 'a'));
    EXPECT_EQ(r.full_id, std::string(64, 'a'));
    // Docker: an argument with a space in single quotes; cut to 20 characters; quoted as Go does.
    EXPECT_EQ(r.command, R"("sh -c 'echo \"hello …")");
    EXPECT_EQ(r.running_for, "2 minutes ago");
    EXPECT_EQ(r.state, "exited");
    EXPECT_EQ(r.status, "Exited (3) About a minute ago");
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_EQ(r.labels, "b=2,a=1");
    EXPECT_EQ(r.label_map["a"], "1");
    EXPECT_EQ(r.networks, "bridge"); // no NetworkMode recorded
    EXPECT_EQ(r.ports, "");
    EXPECT_EQ(r.names, "brave_curie");
    EXPECT_EQ(ps_row(summary(), nullptr, true).command, R"("sh -c 'echo \"hello world\"'")");
    EXPECT_EQ(ps_row(summary(), nullptr, true).id, std::string(64, 'a'));
}

TEST(PsRow, ObservedStateWinsAndShowsPortsOnlyWhileRunning) {
    Json observed = {{"Status", "running"}, {"Running", true}, {"StartedAt", rfc3339_nano(now_nanos() - 3 * 1000000000LL)},
                     {"Ports", {{"80/tcp", {{{"HostIp", "0.0.0.0"}, {"HostPort", "8080"}}}}}}};
    PsRow r = ps_row(summary(), &observed, false);
    EXPECT_EQ(r.state, "running");
    EXPECT_EQ(r.status, "Up 3 seconds");
    EXPECT_EQ(r.ports, "0.0.0.0:8080->80/tcp");
    observed["Running"] = false;
    observed["Status"] = "created";
    r = ps_row(summary(), &observed, false);
    EXPECT_EQ(r.status, "Created");
    EXPECT_EQ(r.ports, "");
    ContainerSummary blank = summary();
    blank.status = "";
    EXPECT_EQ(ps_row(blank, nullptr, false).state, "created");
}
