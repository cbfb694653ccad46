#include "engine/image_config.h"

#include <gtest/gtest.h>

#include "store/layer_driver.h"

using namespace kouti;

TEST(Changes, DockerfileInstructions) {
    Json c = empty_container_config();
    ASSERT_TRUE(apply_change(c, "CMD [\"sh\", \"-c\", \"x\"]").ok());
    EXPECT_EQ(c["Cmd"], Json::array({"sh", "-c", "x"}));
    ASSERT_TRUE(apply_change(c, "cmd echo hi").ok());
    EXPECT_EQ(c["Cmd"], Json::array({"/bin/sh", "-c", "echo hi"}));
    ASSERT_TRUE(apply_change(c, "ENV A=1 B=\"x y\"").ok());
    ASSERT_TRUE(apply_change(c, "ENV A 2 and more").ok());
    EXPECT_EQ(c["Env"], Json::array({"A=2 and more", "B=x y"}));
    ASSERT_TRUE(apply_change(c, "WORKDIR /a").ok());
    ASSERT_TRUE(apply_change(c, "WORKDIR b").ok());
    EXPECT_EQ(c["WorkingDir"], "/a/b");
    ASSERT_TRUE(apply_change(c, "EXPOSE 80 53/udp").ok());
    EXPECT_TRUE(c["ExposedPorts"].contains("80/tcp"));
    EXPECT_TRUE(c["ExposedPorts"].contains("53/udp"));
    EXPECT_FALSE(apply_change(c, "EXPOSE http").ok());
    ASSERT_TRUE(apply_change(c, "VOLUME [\"/v1\", \"/v2\"]").ok());
    EXPECT_EQ(c["Volumes"].size(), 2u);
    ASSERT_TRUE(apply_change(c, "LABEL a=b \"c d\"=e").ok());
    EXPECT_EQ(c["Labels"]["c d"], "e");
    auto bad = apply_change(c, "RUN rm -rf /");
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().message, "run is not a valid change command");
    EXPECT_FALSE(apply_change(c, "ENV").ok());
}

TEST(Changes, SplitWords) {
    EXPECT_EQ(split_words("a 'b c' \"d\\\"e\" f\\ g"), (std::vector<std::string>{"a", "b c", "d\"e", "f g"}));
}

TEST(Overlay, HundredLayersFitInOnePage) {
    std::vector<LayerRow> chain(100);
    for (auto& l : chain) l.link_id = std::string(26, 'A');
    std::string lower = overlay_lowerdir(chain);
    EXPECT_EQ(lower.substr(0, 31), "l/AAAAAAAAAAAAAAAAAAAAAAAAAA:l/");
    // Room is left in the 4096-byte mount data for upperdir and workdir.
    EXPECT_LT(lower.size(), 3000u);
}

TEST(ImportConfig, DockerShape) {
    Json cfg = Json::parse(import_config("sha256:" + std::string(64, 'a'), "Imported from -", empty_container_config(), 1700000000LL * 1000000000));
    EXPECT_EQ(cfg["rootfs"]["diff_ids"][0], "sha256:" + std::string(64, 'a'));
    EXPECT_EQ(cfg["created"], "2023-11-14T22:13:20Z");
    EXPECT_EQ(cfg["history"][0]["comment"], "Imported from -");
    EXPECT_EQ(cfg["os"], "linux");
}

TEST(Platform, MatchesTheImagesOsArchitectureAndVariant) {
    Json arm = {{"os", "linux"}, {"architecture", "arm"}, {"variant", "v7"}};
    EXPECT_TRUE(check_platform("x", "linux/arm", arm).ok());
    EXPECT_TRUE(check_platform("x", "linux/armhf/v7", arm).ok());
    EXPECT_TRUE(check_platform("x", "Linux/ARM", arm).ok());
    auto wrong = check_platform("x:1", "linux/arm64", arm);
    ASSERT_FALSE(wrong.ok());
    EXPECT_EQ(wrong.error().message, "image with reference x:1 was found but does not match the specified platform: wanted linux/arm64, actual: linux/arm/v7");
    EXPECT_FALSE(check_platform("x", "linux/arm/v6", arm).ok());
    // Only an OS: the host's architecture, as an image made here has.
    Json here = {{"os", "linux"}, {"architecture", host_architecture()}};
    EXPECT_TRUE(check_platform("x", "linux", here).ok());
    EXPECT_TRUE(check_platform("x", "linux/" + host_architecture(), Json::object()).ok());
    EXPECT_FALSE(check_platform("x", "windows/amd64", here).ok());
    auto bad = check_platform("x", "plan9x/amd64", here);
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().message, "error parsing specified platform: \"plan9x/amd64\": unknown operating system or architecture: invalid argument");
    EXPECT_FALSE(check_platform("x", "", here).ok());
    EXPECT_FALSE(check_platform("x", "linux/amd64/v1/x", here).ok());
}
