#include "util/go_duration.h"

#include <gtest/gtest.h>

using namespace kouti;

TEST(GoDuration, ParsesAsGo) {
    EXPECT_EQ(parse_go_duration("0").value(), 0);
    EXPECT_EQ(parse_go_duration("1s").value(), 1000000000);
    EXPECT_EQ(parse_go_duration("500ms").value(), 500000000);
    EXPECT_EQ(parse_go_duration("1m30s").value(), 90000000000);
    EXPECT_EQ(parse_go_duration("1.5h").value(), 5400000000000);
    EXPECT_EQ(parse_go_duration("-1s").value(), -1000000000);
    EXPECT_EQ(parse_go_duration("1us").value(), 1000);
    EXPECT_EQ(parse_go_duration("1\xc2\xb5s").value(), 1000);
    EXPECT_EQ(parse_go_duration(".5s").value(), 500000000);
    EXPECT_EQ(parse_go_duration("abc").error().message, "time: invalid duration \"abc\"");
    EXPECT_EQ(parse_go_duration("1").error().message, "time: missing unit in duration \"1\"");
    EXPECT_EQ(parse_go_duration("1x").error().message, "time: unknown unit \"x\" in duration \"1x\"");
    EXPECT_FALSE(parse_go_duration("").ok());
    EXPECT_FALSE(parse_go_duration("-").ok());
    EXPECT_FALSE(parse_go_duration("1..2s").ok());
    EXPECT_FALSE(parse_go_duration("99999999999h").ok());
}

TEST(GoDuration, PrintsAsGo) {
    EXPECT_EQ(go_duration_string(0), "0s");
    EXPECT_EQ(go_duration_string(500000000), "500ms");
    EXPECT_EQ(go_duration_string(1500000), "1.5ms");
    EXPECT_EQ(go_duration_string(1500), "1.5\xc2\xb5s");
    EXPECT_EQ(go_duration_string(42), "42ns");
    EXPECT_EQ(go_duration_string(30000000000), "30s");
    EXPECT_EQ(go_duration_string(1500000000), "1.5s");
    EXPECT_EQ(go_duration_string(60000000000), "1m0s");
    EXPECT_EQ(go_duration_string(3723500000000), "1h2m3.5s");
    EXPECT_EQ(go_duration_string(7200000000000), "2h0m0s");
    EXPECT_EQ(go_duration_string(-1000000000), "-1s");
}

TEST(GoDuration, TimeOrDurationAsDockerReadsIt) {
    int64_t now = 1700000000LL * 1000000000LL;
    EXPECT_EQ(parse_time_or_duration("10m", now, "since").value(), now - 600LL * 1000000000LL);
    EXPECT_EQ(parse_time_or_duration("0s", now, "until").value(), now);
    EXPECT_EQ(parse_time_or_duration("1500000000.5", now, "since").value(), 1500000000500000000LL);
    EXPECT_EQ(parse_time_or_duration("2023-11-14T22:13:20Z", now, "since").value(), now);
    EXPECT_EQ(parse_time_or_duration("soon", now, "until").error().message,
              "invalid value for \"until\": failed to parse value as time or duration: \"soon\"");
    EXPECT_EQ(parse_time_or_duration("soon", now, "").error().message, "failed to parse value as time or duration: \"soon\"");
}
