#include "engine/log_settings.h"

#include <gtest/gtest.h>

using namespace kouti;

TEST(LogSettings, RotationAndDockersExtraAttributes) {
    Json config = {{"Config", {{"Env", {"FOO=bar", "SECRET=x", "APP_MODE=a b"}}, {"Labels", {{"tier", "web"}, {"team", "t1"}}}}},
                   {"HostConfig",
                    {{"LogConfig",
                      {{"Type", "json-file"},
                       {"Config", {{"max-size", "1k"}, {"max-file", "5"}, {"labels", "tier,nope"}, {"env", "FOO"}, {"env-regex", "^APP_"}}}}}}}};
    LogSettings l = log_settings(config);
    EXPECT_EQ(l.max_size, 1024);
    EXPECT_EQ(l.max_files, 5);
    EXPECT_EQ(l.attrs, R"({"APP_MODE":"a b","FOO":"bar","tier":"web"})");
    EXPECT_EQ(log_settings(Json{{"Config", Json::object()}}).attrs, "");
}
