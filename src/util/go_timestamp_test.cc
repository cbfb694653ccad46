#include "util/go_timestamp.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <time.h>

#include "util/go_duration.h"

using namespace kouti;

namespace {

constexpr int64_t kSec = 1000000000LL;
const int64_t kNow = 1764522000LL * kSec; // 2025-11-30T17:00:00Z

// Local times are read in the zone of `now`: pinned to UTC here, and to UTC+2 in one test.
struct Zone {
    explicit Zone(const char* tz) {
        ::setenv("TZ", tz, 1);
        ::tzset();
    }
    ~Zone() {
        ::setenv("TZ", "UTC", 1);
        ::tzset();
    }
};

} // namespace

TEST(GoTimestamp, ReadsDockersLayouts) {
    Zone utc("UTC");
    EXPECT_EQ(parse_go_timestamp("2025-11-30", kNow).value(), kNow - 17 * 3600 * kSec);
    EXPECT_EQ(parse_go_timestamp("2025-11-30T17", kNow).value(), kNow);
    EXPECT_EQ(parse_go_timestamp("2025-11-30T7", kNow).value(), kNow - 10 * 3600 * kSec); // Go's "15" takes one digit
    EXPECT_EQ(parse_go_timestamp("2025-11-30T17:04", kNow).value(), kNow + 240 * kSec);
    EXPECT_EQ(parse_go_timestamp("2025-11-30T17:04:05", kNow).value(), kNow + 245 * kSec);
    EXPECT_EQ(parse_go_timestamp("2025-11-30T17:04:05.5", kNow).value(), kNow + 245 * kSec + kSec / 2);
    EXPECT_EQ(parse_go_timestamp("2025-11-30T17:00:00Z", kNow).value(), kNow);
    EXPECT_EQ(parse_go_timestamp("2025-11-30T17:00:00.000000001Z", kNow).value(), kNow + 1);
    EXPECT_EQ(parse_go_timestamp("2025-11-30T18:00+01:00", kNow).value(), kNow);
    EXPECT_EQ(parse_go_timestamp("2025-11-30T16:00:00-01:00", kNow).value(), kNow);
    EXPECT_EQ(parse_go_timestamp("2025-11-30Z", kNow).value(), kNow - 17 * 3600 * kSec);
    EXPECT_EQ(parse_go_timestamp("2024-02-29", kNow).value(), 1709164800LL * kSec);
}

TEST(GoTimestamp, LocalTimeIsTheZoneInForce) {
    Zone plus_two("EET-2");
    EXPECT_EQ(parse_go_timestamp("2025-11-30T19:00:00", kNow).value(), kNow);
    EXPECT_EQ(parse_go_timestamp("2025-11-30T19:00:00Z", kNow).value(), kNow + 2 * 3600 * kSec);
}

TEST(GoTimestamp, GoErrors) {
    Zone utc("UTC");
    // As the docker CLI 28 prints them.
    EXPECT_EQ(parse_go_timestamp("2026-13-01", kNow).error().message, "parsing time \"2026-13-01\": month out of range");
    EXPECT_EQ(parse_go_timestamp("2026-11-30T25:00", kNow).error().message, "parsing time \"2026-11-30T25:00\": hour out of range");
    EXPECT_EQ(parse_go_timestamp("2026-11-30 17:04", kNow).error().message, "parsing time \"2026-11-30 17:04\": extra text: \" 17:04\"");
    EXPECT_EQ(parse_go_timestamp("2026-02-30", kNow).error().message, "parsing time \"2026-02-30\": day out of range");
    EXPECT_EQ(parse_go_timestamp("2026-1-30", kNow).error().message,
              "parsing time \"2026-1-30\" as \"2006-01-02\": cannot parse \"1-30\" as \"01\"");
    EXPECT_EQ(parse_go_timestamp("2026-11-30T", kNow).error().message,
              "parsing time \"2026-11-30T\" as \"2006-01-02T15\": cannot parse \"\" as \"15\"");
    EXPECT_EQ(parse_go_timestamp("2026-11-30T17:04:05+0100", kNow).error().message,
              "parsing time \"2026-11-30T17:04:05+0100\" as \"2006-01-02T15:04Z07:00\": cannot parse \":05+0100\" as \"Z07:00\"");
    EXPECT_EQ(parse_go_timestamp("2026-11-30T17:61", kNow).error().message, "parsing time \"2026-11-30T17:61\": minute out of range");
}

TEST(GoTimestamp, TimeOrDurationInGetTimestampsOrder) {
    Zone utc("UTC");
    EXPECT_EQ(parse_time_or_duration("2025-11-30T17:04:00", kNow, "since").value(), kNow + 240 * kSec);
    EXPECT_EQ(parse_time_or_duration("-1h", kNow, "").value(), kNow + 3600 * kSec); // a duration, though it has a '-'
    EXPECT_EQ(parse_time_or_duration("0", kNow, "").value(), 0);                    // the epoch, not "now"
    EXPECT_EQ(parse_time_or_duration("1700000000", kNow, "").value(), 1700000000LL * kSec);
    EXPECT_EQ(parse_time_or_duration("1700000000.25", kNow, "").value(), 1700000000LL * kSec + kSec / 4);
    EXPECT_EQ(parse_time_or_duration("2026-13-01", kNow, "since").error().message,
              "invalid value for \"since\": parsing time \"2026-13-01\": month out of range");
    EXPECT_EQ(parse_time_or_duration("1700000000.", kNow, "").error().message, "failed to parse value as time or duration: \"1700000000.\"");
    EXPECT_EQ(parse_time_or_duration("2026/11/30", kNow, "").error().message, "failed to parse value as time or duration: \"2026/11/30\"");
}
