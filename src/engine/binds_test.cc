#include "engine/binds.h"

#include <gtest/gtest.h>

using namespace kouti;

TEST(Binds, ParsesTheThreeParts) {
    BindSpec b = parse_bind("data:/d:ro,z");
    EXPECT_EQ(b.source, "data");
    EXPECT_EQ(b.destination, "/d");
    EXPECT_EQ(b.mode, "ro,z");
    EXPECT_TRUE(b.named_volume());
    EXPECT_TRUE(b.read_only());
    BindSpec h = parse_bind("/tmp:/h");
    EXPECT_FALSE(h.named_volume());
    EXPECT_FALSE(h.read_only());
    EXPECT_EQ(h.mode, "");
    // "rprivate" holds the letters r, o but is no read-only mode.
    EXPECT_FALSE(parse_bind("/a:/b:rprivate").read_only());
    EXPECT_EQ(parse_bind("/only").destination, "");
}

TEST(Binds, ModeReplacedOthersKept) {
    EXPECT_EQ(bind_with_mode("v:/d", "ro"), "v:/d:ro");
    EXPECT_EQ(bind_with_mode("v:/d:rw,z", "ro"), "v:/d:ro,z");
    EXPECT_EQ(bind_with_mode("v:/d:ro", "rw"), "v:/d:rw");
    EXPECT_EQ(bind_with_mode("v:/d:z", ""), "v:/d:z");
}

TEST(Binds, DockersModes) {
    EXPECT_TRUE(valid_bind_mode(""));
    EXPECT_TRUE(valid_bind_mode("ro,z,rshared,nocopy,cached"));
    EXPECT_FALSE(valid_bind_mode("ro,rw"));
    EXPECT_FALSE(valid_bind_mode("z,Z"));
    EXPECT_FALSE(valid_bind_mode("fast"));
    EXPECT_TRUE(parse_bind("v:/d:nocopy").has_option("nocopy"));
    EXPECT_EQ(parse_bind("/a:/b:ro,rslave").propagation(), "rslave");
}
