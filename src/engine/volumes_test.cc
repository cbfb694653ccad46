#include "engine/volumes.h"

#include <gtest/gtest.h>

using namespace kouti;

TEST(VolumeOptions, AsDockersLocalDriverChecksThem) {
    EXPECT_TRUE(check_volume_options("v", Json::object()).ok());
    EXPECT_TRUE(check_volume_options("v", Json{{"type", "tmpfs"}, {"device", "tmpfs"}, {"o", "size=1m"}}).ok());
    auto bad = check_volume_options("v", Json{{"type", "tmpfs"}, {"device", "tmpfs"}, {"colour", "red"}});
    EXPECT_EQ(bad.error().message, "create v: invalid option: \"colour\"");
    EXPECT_EQ(check_volume_options("v", Json{{"type", "tmpfs"}}).error().message, "create v: missing required option: \"device\"");
    EXPECT_EQ(check_volume_options("v", Json{{"o", "bind"}, {"type", "none"}}).error().message,
              "create v: missing required option: \"device\"");
    EXPECT_FALSE(check_volume_options("v", Json{{"size", "10m"}}).ok()); // no quotas here
}

TEST(VolumeOptions, VolumesOfAContainer) {
    Json hc = {{"Binds", {"data:/d", "/host:/h", "ro-vol:/r:ro"}},
               {"Mounts", {{{"Type", "volume"}, {"Source", "m"}}, {{"Type", "tmpfs"}, {"Target", "/t"}}, {{"Type", "bind"}, {"Source", "/x"}}}}};
    EXPECT_EQ(volumes_of(hc), (std::vector<std::string>{"data", "ro-vol", "m"}));
}
