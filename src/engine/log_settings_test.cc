#include "engine/log_settings.h"

#include <gtest/gtest.h>

using namespace kouti;

TEST(LogSettings, RotationAndDockersExtraAttributes) {
    Json config = {{"Config", {{"Env", {"FOO=bar", "SECRET=x", "APP_MODE=a b"}}, {"Labels", {{"tier", "web"}, {"team", "t1"}}}}},
                   {"HostConfig",
                    {{"LogConfig",
                      {{"Type", "json-file"},
                       {"Config", {{"max-size", "1k"}, {"max-file", "5"}, {"labels", "tier,nope"}, {"env", "FOO"}, {"env-regex", "^APP_"}}}}}}}};
    ContainerRow row;
    row.config = config;
    LogSettings l = log_settings(row).value();
    EXPECT_EQ(l.max_size, 1024);
    EXPECT_EQ(l.max_files, 5);
    EXPECT_FALSE(l.compress);
    EXPECT_EQ(l.attrs, R"({"APP_MODE":"a b","FOO":"bar","tier":"web"})");
    row.config = Json{{"Config", Json::object()}};
    EXPECT_EQ(log_settings(row).value().attrs, "");
}

TEST(LogSettings, TagIsATemplateOfTheContainersLoggingInfo) {
    ContainerRow row;
    row.id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    row.name = "web";
    row.image_id = "sha256:fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";
    row.config = {{"Path", "sh"}, {"Args", {"-c", "true"}}, {"Config", {{"Image", "busybox"}, {"Labels", {{"tier", "db"}}}}}};
    row.config["HostConfig"]["LogConfig"]["Config"] = {
        {"compress", "true"},
        {"tag", "{{.ImageName}}/{{.Name}}/{{.ID}} {{.ImageID}} {{.Command}} {{.DaemonName}} {{index .ContainerLabels \"tier\"}}"}};
    LogSettings l = log_settings(row).value();
    EXPECT_TRUE(l.compress);
    // Docker's ImageID keeps the digest's "sha256:" in its 12 characters.
    EXPECT_EQ(Json::parse(l.attrs)["tag"], "busybox/web/0123456789ab sha256:fedcb sh -c true kouti db");
    row.config["HostConfig"]["LogConfig"]["Config"] = {{"tag", "{{.FullID}}"}};
    EXPECT_EQ(Json::parse(log_settings(row).value().attrs)["tag"], row.id);
}
