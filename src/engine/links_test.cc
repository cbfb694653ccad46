#include "engine/links.h"

#include <gtest/gtest.h>

using namespace kouti;

TEST(Links, EnvironmentAsDockerSetsIt) {
    Json exposed = {{"80/tcp", Json::object()}, {"53/udp", Json::object()}, {"53/tcp", Json::object()}};
    auto env = link_env("/web/my-db", "172.17.0.2", exposed, Json::array({"PATH=/bin", "HOME=/root", "PW=x=y", "BARE"}));
    std::vector<std::string> want = {"MY_DB_PORT=tcp://172.17.0.2:53",
                                     "MY_DB_PORT_53_TCP=tcp://172.17.0.2:53", "MY_DB_PORT_53_TCP_ADDR=172.17.0.2",
                                     "MY_DB_PORT_53_TCP_PORT=53", "MY_DB_PORT_53_TCP_PROTO=tcp",
                                     "MY_DB_PORT_53_UDP=udp://172.17.0.2:53", "MY_DB_PORT_53_UDP_ADDR=172.17.0.2",
                                     "MY_DB_PORT_53_UDP_PORT=53", "MY_DB_PORT_53_UDP_PROTO=udp",
                                     "MY_DB_PORT_80_TCP=tcp://172.17.0.2:80", "MY_DB_PORT_80_TCP_ADDR=172.17.0.2",
                                     "MY_DB_PORT_80_TCP_PORT=80", "MY_DB_PORT_80_TCP_PROTO=tcp",
                                     "MY_DB_NAME=/web/my-db", "MY_DB_ENV_PW=x=y"};
    EXPECT_EQ(env, want);
    EXPECT_EQ(link_env("/a/db", "10.0.0.1", Json::object(), Json()), (std::vector<std::string>{"DB_NAME=/a/db"}));
}

TEST(Links, RangesOfThreeOrMore) {
    Json exposed = {{"7000/tcp", Json::object()}, {"7001/tcp", Json::object()}, {"7002/tcp", Json::object()}};
    auto env = link_env("/a/r", "10.0.0.1", exposed, Json());
    ASSERT_GE(env.size(), 7u);
    EXPECT_EQ(env[1], "R_PORT_7000_TCP_START=tcp://10.0.0.1:7000");
    EXPECT_EQ(env[4], "R_PORT_7000_TCP_PORT_START=7000");
    EXPECT_EQ(env[5], "R_PORT_7000_TCP_END=tcp://10.0.0.1:7002");
    EXPECT_EQ(env[6], "R_PORT_7000_TCP_PORT_END=7002");
}

TEST(Links, FlagsAndStoredForm) {
    EXPECT_TRUE(check_link_flags({"db", "db:alias"}).ok());
    EXPECT_EQ(check_link_flags({"a:b:c"}).error().message, "invalid argument \"a:b:c\" for \"--link\" flag: bad format for links: a:b:c");
    EXPECT_EQ(stored_links({{"db", "webdb"}}, "web"), Json::array({"/db:/web/webdb"}));
    EXPECT_TRUE(stored_links({}, "web").is_null());
}
