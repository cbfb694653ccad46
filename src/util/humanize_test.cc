#include "util/humanize.h"

#include <gtest/gtest.h>

using namespace kouti;

TEST(HumanSize, MatchesGoUnits) {
    EXPECT_EQ(human_size(0), "0B");
    EXPECT_EQ(human_size(12), "12B");
    EXPECT_EQ(human_size(1234), "1.23kB");
    EXPECT_EQ(human_size(4261234), "4.26MB");
    EXPECT_EQ(human_size(741000), "741kB");
    EXPECT_EQ(human_size(1e9), "1GB");
    EXPECT_EQ(human_size(999999), "1e+03kB"); // go-units prints exactly this
    EXPECT_EQ(human_size(1987000, 4), "1.987MB"); // units.HumanSize (system df, prune totals)
    EXPECT_EQ(human_binary_size(25199169536.0), "23.47GiB");
    EXPECT_EQ(human_binary_size(512), "512B");
}

TEST(HumanDuration, MatchesGoUnits) {
    EXPECT_EQ(human_duration(0), "Less than a second");
    EXPECT_EQ(human_duration(1), "1 second");
    EXPECT_EQ(human_duration(59), "59 seconds");
    EXPECT_EQ(human_duration(60), "About a minute");
    EXPECT_EQ(human_duration(119), "About a minute");
    EXPECT_EQ(human_duration(120), "2 minutes");
    EXPECT_EQ(human_duration(3599), "59 minutes");
    EXPECT_EQ(human_duration(3600), "About an hour");
    EXPECT_EQ(human_duration(2 * 3600), "2 hours");
    EXPECT_EQ(human_duration(47 * 3600), "47 hours");
    EXPECT_EQ(human_duration(11 * 86400), "11 days");
    EXPECT_EQ(human_duration(20 * 86400), "2 weeks");
    EXPECT_EQ(human_duration(90 * 86400), "3 months");
    EXPECT_EQ(human_duration(3 * 365 * 86400), "3 years");
}

TEST(Time, Rfc3339RoundTrip) {
    int64_t t = 1700000000LL * 1000000000 + 123456789;
    EXPECT_EQ(rfc3339_nano(t), "2023-11-14T22:13:20.123456789Z");
    EXPECT_EQ(parse_rfc3339("2023-11-14T22:13:20.123456789Z"), t);
    EXPECT_EQ(rfc3339_nano(1700000000LL * 1000000000), "2023-11-14T22:13:20Z");
    EXPECT_EQ(parse_rfc3339("2023-11-14T23:13:20+01:00"), 1700000000LL * 1000000000);
    EXPECT_EQ(parse_rfc3339("yesterday"), -1);
    EXPECT_EQ(go_time_string(t), "2023-11-14 22:13:20 +0000 UTC");
    EXPECT_EQ(time_ago(t, t + 11LL * 86400 * 1000000000), "11 days ago");
}

TEST(Ellipsis, CutsCharactersNotBytes) {
    EXPECT_EQ(ellipsis("abc", 3), "abc");
    EXPECT_EQ(ellipsis("abcd", 3), "ab…");
    EXPECT_EQ(ellipsis("αβγδ", 3), "αβ…");
    EXPECT_EQ(ellipsis("αβγ", 3), "αβγ");
    EXPECT_EQ(ellipsis("abc", 0), "");
}

TEST(GoQuote, EscapesAsStrconvQuote) {
    EXPECT_EQ(go_quote("sh -c 'echo \"hi\"'"), R"("sh -c 'echo \"hi\"'")");
    EXPECT_EQ(go_quote("a\\b\tc\nd\x01"), R"("a\\b\tc\nd\x01")");
    EXPECT_EQ(go_quote("…"), "\"…\"");
}

