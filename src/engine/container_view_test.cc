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

TEST(MountPoints, AsDockerShowsThem) {
    std::string anon(64, 'b');
    Json config = {{"HostConfig",
                    {{"Binds", {"data:/d", anon + ":/a", "/tmp:/h:ro", "ro-vol:/r:ro"}},
                     {"Mounts",
                      {{{"Type", "volume"}, {"Source", "named"}, {"Target", "/n"}},
                       {{"Type", "volume"}, {"Source", std::string(64, 'c')}, {"Target", "/m"}},
                       {{"Type", "bind"}, {"Source", "/srv"}, {"Target", "/s"}, {"ReadOnly", true}},
                       {{"Type", "tmpfs"}, {"Target", "/t"}}}}}},
                   {"Config", {{"Volumes", {{"/img", Json::object()}}}}},
                   {"AnonymousVolumes", {anon, std::string(64, 'c')}}};
    Json m = mount_points("/root", config);
    ASSERT_EQ(m.size(), 8u);
    EXPECT_EQ(m[0].dump(), R"({"Type":"volume","Name":"data","Source":"/root/volumes/data/_data","Destination":"/d","Driver":"local","Mode":"z","RW":true,"Propagation":""})");
    EXPECT_EQ(m[1]["Mode"], ""); // an anonymous volume gets no "z"
    EXPECT_EQ(m[2].dump(), R"({"Type":"bind","Source":"/tmp","Destination":"/h","Mode":"ro","RW":false,"Propagation":"rprivate"})");
    EXPECT_EQ(m[3]["RW"], false);
    EXPECT_EQ(m[4].dump(), R"({"Type":"volume","Name":"named","Source":"/root/volumes/named/_data","Destination":"/n","Driver":"local","Mode":"","RW":true,"Propagation":""})");
    EXPECT_EQ(m[6]["Propagation"], "rprivate");
    EXPECT_EQ(m[7].dump(), R"({"Type":"tmpfs","Source":"","Destination":"/t","Mode":"","RW":true,"Propagation":""})");

    Json hc = config["HostConfig"], cfg = config["Config"];
    show_volumes_as_given(hc, cfg, config);
    EXPECT_EQ(hc["Binds"].dump(), R"(["data:/d","/tmp:/h:ro","ro-vol:/r:ro"])");
    EXPECT_EQ(cfg["Volumes"].dump(), R"({"/img":{},"/a":{}})");
    EXPECT_FALSE(hc["Mounts"][1].contains("Source"));
    EXPECT_EQ(hc["Mounts"][0]["Source"], "named");
}
