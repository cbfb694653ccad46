#include "network/publish.h"

#include <gtest/gtest.h>

namespace kouti {

// The parsed items joined by commas, or "error: " and the message.
template <typename T, typename Show>
std::string listed(Result<std::vector<T>> r, Show show) {
    if (!r.ok()) return "error: " + r.error().message;
    std::string s;
    for (const auto& item : *r) s += (s.empty() ? "" : ",") + show(item);
    return s;
}

std::string one(const std::string& spec) {
    return listed(parse_publish(spec), [](const PublishSpec& p) { return p.host_ip + "|" + p.host_port + "|" + p.container_port; });
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
    EXPECT_EQ(one("70000:80"), "error: invalid hostPort: 70000");
    EXPECT_EQ(one("x:80"), "error: invalid hostPort: x");
    EXPECT_EQ(one("abc"), "error: invalid containerPort: abc");
    EXPECT_EQ(one("8080:"), "error: no port specified: 8080:<empty>");
    EXPECT_EQ(one("80-70"), "error: invalid containerPort: 80-70");
    EXPECT_EQ(one("1.2.3:8080:80"), "error: invalid IP address: 1.2.3");
    EXPECT_EQ(one("[::1]:8080:80"), "error: IPv6 host addresses are not supported: [::1] (kouti publishes ports with IPv4 NAT)");
    EXPECT_EQ(one("8000-8002:80-81"), "error: invalid ranges specified for container and host Ports: 80-81 and 8000-8002");
}

TEST(Publish, ProtocolIsCaseInsensitive) { EXPECT_EQ(one("80/UDP"), "||80/udp"); }

std::string exposed(const std::string& value) {
    return listed(parse_expose(value), [](const std::string& p) { return p; });
}

TEST(Expose, PortsAndRangesAsTheDockerCliExpandsThem) {
    EXPECT_EQ(exposed("80"), "80/tcp");
    EXPECT_EQ(exposed("080/udp"), "80/udp");
    EXPECT_EQ(exposed("7000-7002"), "7000/tcp,7001/tcp,7002/tcp");
    EXPECT_EQ(exposed("abc"), "error: invalid range format for --expose: abc, error: strconv.ParseUint: parsing \"abc\": invalid syntax");
    EXPECT_EQ(exposed("1-x"), "error: invalid range format for --expose: 1-x, error: strconv.ParseUint: parsing \"x\": invalid syntax");
    EXPECT_EQ(exposed("70000"), "error: invalid range format for --expose: 70000, error: strconv.ParseUint: parsing \"70000\": value out of range");
    EXPECT_EQ(exposed("9-8"), "error: invalid range format for --expose: 9-8, error: invalid range specified for port: 9-8");
    EXPECT_EQ(exposed(""), "error: invalid range format for --expose: , error: empty string specified for ports");
    EXPECT_EQ(exposed("1:2"), "error: invalid port format for --expose: 1:2");
}

} // namespace kouti
