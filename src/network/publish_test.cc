#include "network/publish.h"

#include <gtest/gtest.h>

namespace kouti {

std::string one(const std::string& spec) {
    auto r = parse_publish(spec);
    if (!r.ok()) return "error: " + r.error().message;
    std::string s;
    for (const auto& p : *r) s += (s.empty() ? "" : ",") + p.host_ip + "|" + p.host_port + "|" + p.container_port;
    return s;
}

TEST(Publish, DockerForms) {
    EXPECT_EQ(one("80"), "||80/tcp");
    EXPECT_EQ(one("8080:80"), "|8080|80/tcp");
    EXPECT_EQ(one("127.0.0.1:8080:80"), "127.0.0.1|8080|80/tcp");
    EXPECT_EQ(one("127.0.0.1::80/udp"), "127.0.0.1||80/udp");
    EXPECT_EQ(one("8000-8001:80-81"), "|8000|80/tcp,|8001|81/tcp");
}

TEST(Publish, BadInput) {
    EXPECT_EQ(one("8080:80/sctp"), "error: invalid proto: sctp");
    EXPECT_EQ(one("70000:80"), "error: invalid published port: 70000:80");
    EXPECT_EQ(one("x:80"), "error: invalid published port: x:80");
    EXPECT_EQ(one("1.2.3:8080:80"), "error: invalid IP address: 1.2.3");
    EXPECT_EQ(one("8000-8002:80-81"), "error: invalid ranges specified for container and host Ports: 80-81 and 8000-8002");
}

} // namespace kouti
