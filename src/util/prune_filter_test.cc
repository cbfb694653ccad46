#include "util/prune_filter.h"

#include <gtest/gtest.h>

using namespace kouti;

TEST(PruneFilter, UntilAndLabelsSelectAsDockersPruneFilters) {
    const int64_t hour = 3600LL * 1000000000LL, now = 100 * hour;
    auto f = parse_prune_filter({"until=1h", "label=tier", "label!=keep=yes"}, {"until"}, now).value();
    Json web = {{"tier", "web"}}, kept = {{"tier", "web"}, {"keep", "yes"}};
    EXPECT_TRUE(f.selects(web, now - 2 * hour));  // older than an hour, labelled
    EXPECT_FALSE(f.selects(web, now - hour / 2)); // too new
    EXPECT_FALSE(f.selects(kept, now - 2 * hour));
    EXPECT_FALSE(f.selects(Json::object(), now - 2 * hour));
    EXPECT_TRUE(parse_prune_filter({}, {}, now)->selects(Json::object(), now));
}

TEST(PruneFilter, RefusesKeysTheCommandDoesNotTake) {
    EXPECT_EQ(parse_prune_filter({"until=1h"}, {"all"}, 0).error().message, "Invalid filter 'until'");
    EXPECT_EQ(parse_prune_filter({"bogus=1"}, {"until"}, 0).error().message, "Invalid filter 'bogus'");
    EXPECT_EQ(parse_prune_filter({"until=soon"}, {"until"}, 0).error().message, "failed to parse value as time or duration: \"soon\"");
    auto d = parse_prune_filter({"dangling=false", "all=1"}, {"dangling", "all"}, 0).value();
    EXPECT_EQ(d.dangling, false);
    EXPECT_EQ(d.all, true);
    EXPECT_FALSE(parse_prune_filter({"dangling=maybe"}, {"dangling"}, 0).ok());
}
