#include "archive/whiteout.h"

#include <gtest/gtest.h>

using namespace kouti;

TEST(Whiteout, Classifies) {
    EXPECT_EQ(classify_whiteout("file").kind, WhiteoutKind::None);
    EXPECT_EQ(classify_whiteout(".wh..wh..opq").kind, WhiteoutKind::Opaque);
    EXPECT_EQ(classify_whiteout(".wh..wh.plnk").kind, WhiteoutKind::Meta);
    auto w = classify_whiteout(".wh.passwd");
    EXPECT_EQ(w.kind, WhiteoutKind::File);
    EXPECT_EQ(w.target, "passwd");
    EXPECT_EQ(classify_whiteout(".wh.").kind, WhiteoutKind::None);
    EXPECT_EQ(whiteout_for("passwd"), ".wh.passwd");
}

TEST(TarPaths, CleanedInsideTheLayer) {
    std::string out;
    EXPECT_TRUE(clean_member_path("./etc/passwd", out));
    EXPECT_EQ(out, "etc/passwd");
    EXPECT_TRUE(clean_member_path("etc//x/./y/", out));
    EXPECT_EQ(out, "etc/x/y");
    EXPECT_TRUE(clean_member_path("a/b/../c", out));
    EXPECT_EQ(out, "a/c");
    EXPECT_TRUE(clean_member_path("./", out));
    EXPECT_EQ(out, "");
    EXPECT_FALSE(clean_member_path("../x", out));
    EXPECT_FALSE(clean_member_path("a/../../x", out));
    EXPECT_FALSE(clean_member_path("/etc/passwd", out));
    EXPECT_FALSE(clean_member_path("./..", out));
}

TEST(TarPaths, SplitParent) {
    EXPECT_EQ(split_parent("a/b/c"), (std::pair<std::string, std::string>{"a/b", "c"}));
    EXPECT_EQ(split_parent("c"), (std::pair<std::string, std::string>{"", "c"}));
}
