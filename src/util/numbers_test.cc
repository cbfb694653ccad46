#include "util/numbers.h"

#include <gtest/gtest.h>

namespace kouti {

TEST(Numbers, WholeNumbersWithoutThrowing) {
    EXPECT_EQ(parse_number<int>("42"), 42);
    EXPECT_EQ(parse_number<int64_t>("-1"), -1);
    EXPECT_EQ(parse_number<int64_t>("+7"), 7);
    EXPECT_EQ(parse_number<uint32_t>("4294967295"), 4294967295u);
    EXPECT_FALSE(parse_number<uint32_t>("4294967296")); // an image's passwd with a 33-bit uid
    EXPECT_FALSE(parse_number<int>("99999999999"));
    EXPECT_FALSE(parse_number<int>(""));
    EXPECT_FALSE(parse_number<int>("x"));
    EXPECT_FALSE(parse_number<int>("12x"));
    EXPECT_FALSE(parse_number<uint32_t>("-1"));
}

TEST(Numbers, GoStrconvMessages) {
    EXPECT_EQ(parse_go_int("-12").value(), -12);
    EXPECT_EQ(parse_go_int("x").error().message, "strconv.ParseInt: parsing \"x\": invalid syntax");
    EXPECT_EQ(parse_go_int("99999999999999999999").error().message,
              "strconv.ParseInt: parsing \"99999999999999999999\": value out of range");
    EXPECT_EQ(parse_go_uint("1000", 16).value(), 1000u);
    EXPECT_EQ(parse_go_uint("70000", 16).error().message, "strconv.ParseUint: parsing \"70000\": value out of range");
    EXPECT_EQ(parse_go_uint("-1", 16).error().message, "strconv.ParseUint: parsing \"-1\": invalid syntax");
    EXPECT_DOUBLE_EQ(parse_go_float(".5").value(), 0.5);
    EXPECT_DOUBLE_EQ(parse_go_float("2.").value(), 2.0);
    EXPECT_DOUBLE_EQ(parse_go_float("1e3").value(), 1000.0);
    EXPECT_FALSE(parse_go_float(".").ok());
    EXPECT_FALSE(parse_go_float("1.2.3").ok());
    EXPECT_FALSE(parse_go_float("").ok());
}

TEST(Numbers, RamInBytesAsGoUnits) {
    EXPECT_EQ(parse_go_ram("1024").value(), 1024);
    EXPECT_EQ(parse_go_ram("64k").value(), 64 * 1024);
    EXPECT_EQ(parse_go_ram("512m").value(), 512 * 1024 * 1024);
    EXPECT_EQ(parse_go_ram("1.5g").value(), 1536LL * 1024 * 1024);
    EXPECT_EQ(parse_go_ram("10MB").value(), 10 * 1024 * 1024);
    EXPECT_EQ(parse_go_ram("10MiB").value(), 10 * 1024 * 1024);
    EXPECT_EQ(parse_go_ram("100b").value(), 100);
    EXPECT_EQ(parse_go_ram("1 m").value(), 1024 * 1024);
    EXPECT_EQ(parse_go_ram("abc").error().message, "invalid size: 'abc'");
    EXPECT_EQ(parse_go_ram(".").error().message, "strconv.ParseFloat: parsing \".\": invalid syntax");
    EXPECT_EQ(parse_go_ram("1.2.3").error().message, "strconv.ParseFloat: parsing \"1.2.3\": invalid syntax");
    EXPECT_EQ(parse_go_ram("10x").error().message, "invalid suffix: 'x'");
    EXPECT_EQ(parse_go_ram("10mbb").error().message, "invalid suffix: 'mbb'");
    EXPECT_EQ(parse_go_ram("-5m").error().message, "invalid size: '-5m'");
    EXPECT_FALSE(parse_go_ram("99999999999p").ok()); // beyond int64, not undefined behaviour
}

} // namespace kouti
