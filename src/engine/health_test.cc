#include "engine/health.h"

#include <gtest/gtest.h>

#include "engine/image_config.h"

using namespace kouti;

namespace {
constexpr int64_t kSec = 1000000000LL;

HealthFlags flags(void (*set)(HealthFlags&)) {
    HealthFlags f;
    set(f);
    return f;
}

ProbeResult result(int64_t start, int code) { return {start, start + 1000, code, code == 0 ? "ok\n" : "bad\n"}; }
} // namespace

TEST(Health, FlagsAsTheDockerCli) {
    HealthFlags f;
    EXPECT_TRUE(healthcheck_from_flags(f)->is_null());
    f.has_cmd = true;
    f.cmd = "curl -f http://localhost/";
    f.interval = kSec;
    EXPECT_EQ(healthcheck_from_flags(f).value(), (Json{{"Test", {"CMD-SHELL", "curl -f http://localhost/"}}, {"Interval", kSec}}));
    f.no_healthcheck = true;
    EXPECT_EQ(healthcheck_from_flags(f).error().message, "--no-healthcheck conflicts with --health-* options");
    EXPECT_EQ(healthcheck_from_flags(flags([](HealthFlags& f) { f.no_healthcheck = true; })).value(), (Json{{"Test", {"NONE"}}}));
    EXPECT_EQ(healthcheck_from_flags(flags([](HealthFlags& f) { f.interval = -1; })).error().message, "--health-interval cannot be negative");
    EXPECT_EQ(healthcheck_from_flags(flags([](HealthFlags& f) { f.retries = -1; })).error().message, "--health-retries cannot be negative");
    EXPECT_EQ(validate_healthcheck(Json{{"Interval", 1}}).error().message, "Interval in Healthcheck cannot be less than 1ms");
    EXPECT_TRUE(validate_healthcheck(Json{{"Interval", 1000000}}).ok());
}

TEST(Health, OwnFieldsOverTheImages) {
    Json image = {{"Test", {"CMD", "cat", "/x"}}, {"Interval", 5 * kSec}, {"Timeout", 3 * kSec}};
    EXPECT_EQ(merged_healthcheck(Json(), image), image);
    EXPECT_EQ(merged_healthcheck(Json{{"Timeout", 7 * kSec}}, image),
              (Json{{"Test", {"CMD", "cat", "/x"}}, {"Interval", 5 * kSec}, {"Timeout", 7 * kSec}}));
    EXPECT_EQ(merged_healthcheck(Json{{"Test", {"NONE"}}}, image)["Test"], Json::array({"NONE"}));
    EXPECT_TRUE(merged_healthcheck(Json(), Json()).is_null());
}

TEST(Health, DockerfileInstruction) {
    EXPECT_EQ(healthcheck_instruction("--interval=5s --timeout=3s CMD [\"cat\",\"/x\"]").value(),
              (Json{{"Test", {"CMD", "cat", "/x"}}, {"Interval", 5 * kSec}, {"Timeout", 3 * kSec}}));
    EXPECT_EQ(healthcheck_instruction("cmd cat /x  y").value(), (Json{{"Test", {"CMD-SHELL", "cat /x  y"}}}));
    EXPECT_EQ(healthcheck_instruction("--retries=4 --start-period=2s CMD true").value(),
              (Json{{"Test", {"CMD-SHELL", "true"}}, {"StartPeriod", 2 * kSec}, {"Retries", 4}}));
    EXPECT_EQ(healthcheck_instruction("NONE").value(), (Json{{"Test", {"NONE"}}}));
    EXPECT_EQ(healthcheck_instruction("NONE x").error().message, "HEALTHCHECK NONE takes no arguments");
    EXPECT_EQ(healthcheck_instruction("CMD-SHELL x").error().message, "Unknown type \"CMD-SHELL\" in HEALTHCHECK (try CMD)");
    EXPECT_EQ(healthcheck_instruction("--bogus=1 CMD x").error().message, "Unknown flag: bogus");
    EXPECT_EQ(healthcheck_instruction("CMD").error().message, "Missing command after HEALTHCHECK CMD");
    EXPECT_EQ(healthcheck_instruction("--interval=abc CMD x").error().message, "time: invalid duration \"abc\"");
    EXPECT_EQ(healthcheck_instruction("--retries=-1 CMD x").error().message, "--retries cannot be negative (-1)");
    Json c = empty_container_config();
    ASSERT_TRUE(apply_change(c, "HEALTHCHECK --interval=1m CMD wget -q localhost").ok());
    EXPECT_EQ(c["Healthcheck"]["Interval"], 60 * kSec);
}

TEST(Health, CommandOfEachType) {
    EXPECT_EQ(HealthConfig::from_json(Json{{"Test", {"CMD", "cat", "/x"}}}).command(), (std::vector<std::string>{"cat", "/x"}));
    EXPECT_EQ(HealthConfig::from_json(Json{{"Test", {"CMD-SHELL", "exit 1"}}}).command(),
              (std::vector<std::string>{"/bin/sh", "-c", "exit 1"}));
    EXPECT_FALSE(HealthConfig::from_json(Json{{"Test", {"NONE"}}}).probes());
    EXPECT_FALSE(HealthConfig::from_json(Json{{"Interval", 5}}).probes());
    EXPECT_FALSE(HealthConfig::from_json(Json()).probes());
}

TEST(Health, ProbeResultsAsDockerFoldsThem) {
    HealthConfig c = HealthConfig::from_json(Json{{"Test", {"CMD", "x"}}, {"Retries", 2}});
    Json h = health_at_start(Json());
    EXPECT_EQ(h, (Json{{"Status", "starting"}, {"FailingStreak", 0}, {"Log", Json::array()}}));
    EXPECT_FALSE(fold_probe_result(h, result(kSec, 1), c, 0));
    EXPECT_EQ(h["FailingStreak"], 1);
    EXPECT_TRUE(fold_probe_result(h, result(2 * kSec, 1), c, 0));
    EXPECT_EQ(h["Status"], "unhealthy");
    EXPECT_TRUE(fold_probe_result(h, result(3 * kSec, 0), c, 0));
    EXPECT_EQ(h["Status"], "healthy");
    EXPECT_EQ(h["FailingStreak"], 0);
    for (int i = 4; i < 10; ++i) fold_probe_result(h, result(i * kSec, 0), c, 0);
    ASSERT_EQ(h["Log"].size(), kMaxHealthLog);
    EXPECT_EQ(h["Log"][4]["ExitCode"], 0);
    EXPECT_EQ(h["Log"][4]["Output"], "ok\n");
    // A restart starts over, keeping the log.
    Json again = health_at_start(h);
    EXPECT_EQ(again["Status"], "starting");
    EXPECT_EQ(again["Log"].size(), kMaxHealthLog);
}

TEST(Health, StartPeriodForgivesFailures) {
    HealthConfig c = HealthConfig::from_json(Json{{"Test", {"CMD", "x"}}, {"Retries", 1}, {"StartPeriod", 10 * kSec}});
    Json h = health_at_start(Json());
    EXPECT_FALSE(fold_probe_result(h, result(5 * kSec, 1), c, 0));
    EXPECT_EQ(h["FailingStreak"], 0);
    EXPECT_EQ(h["Status"], "starting");
    EXPECT_TRUE(fold_probe_result(h, result(11 * kSec, 1), c, 0));
    EXPECT_EQ(h["Status"], "unhealthy");
    // Once healthy, failures count even within the start period.
    Json h2 = health_at_start(Json());
    fold_probe_result(h2, result(1 * kSec, 0), c, 0);
    EXPECT_TRUE(fold_probe_result(h2, result(2 * kSec, 1), c, 0));
}

TEST(Health, ProbeIntervals) {
    HealthConfig c = HealthConfig::from_json(Json{{"Test", {"CMD", "x"}}, {"StartPeriod", 60 * kSec}, {"StartInterval", kSec}});
    Json starting = health_at_start(Json()), healthy = {{"Status", "healthy"}};
    EXPECT_EQ(next_probe_delay(starting, c, 10 * kSec, 0), kSec);
    EXPECT_EQ(next_probe_delay(healthy, c, 10 * kSec, 0), 30 * kSec);
    EXPECT_EQ(next_probe_delay(starting, c, 61 * kSec, 0), 30 * kSec);
    EXPECT_EQ(next_probe_delay(starting, HealthConfig::from_json(Json{{"Interval", 2 * kSec}}), 0, 0), 2 * kSec);
    EXPECT_EQ(health_summary(starting), "health: starting");
    EXPECT_EQ(health_summary(healthy), "healthy");
    EXPECT_EQ(health_summary(Json()), "");
}
