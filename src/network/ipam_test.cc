#include "network/ipam.h"

#include <gtest/gtest.h>

namespace kouti {

Ipv4Net net(const char* s) { return parse_ipv4_net(s).value(); }
uint32_t ip(const char* s) { return parse_ipv4(s).value(); }

TEST(Ipam, FirstSubnetIs172_17UnlessRouted) {
    EXPECT_EQ(choose_subnet({})->str(), "172.17.0.0/16");
    EXPECT_EQ(choose_subnet({net("0.0.0.0/0"), net("10.0.2.0/24")})->str(), "172.17.0.0/16");
    EXPECT_EQ(choose_subnet({net("172.17.0.0/16")})->str(), "172.18.0.0/16");
    EXPECT_EQ(choose_subnet({net("172.17.5.0/24"), net("172.18.0.0/16")})->str(), "172.19.0.0/16");
    EXPECT_EQ(choose_subnet({net("172.16.0.0/12")})->str(), "192.168.0.0/20");
    EXPECT_EQ(choose_subnet({net("172.16.0.0/12"), net("192.168.0.0/16")}), std::nullopt);
}

TEST(Ipam, SkipsNetworkGatewayBroadcastAndUsed) {
    Ipv4Net s = net("172.17.0.0/16");
    EXPECT_EQ(ipv4_str(*next_free_address(s, s, ip("172.17.0.1"), {})), "172.17.0.2");
    EXPECT_EQ(ipv4_str(*next_free_address(s, s, ip("172.17.0.1"), {ip("172.17.0.2"), ip("172.17.0.3")})), "172.17.0.4");
    Ipv4Net small = net("10.9.0.0/30"); // .0 network, .1 gateway, .2 free, .3 broadcast
    EXPECT_EQ(ipv4_str(*next_free_address(small, small, ip("10.9.0.1"), {})), "10.9.0.2");
    EXPECT_EQ(next_free_address(small, small, ip("10.9.0.1"), {ip("10.9.0.2")}), std::nullopt);
}

TEST(Ipam, RangeLimitsTheChoice) {
    Ipv4Net s = net("10.1.0.0/16");
    EXPECT_EQ(ipv4_str(*next_free_address(s, net("10.1.5.0/24"), ip("10.1.0.1"), {})), "10.1.5.0");
    EXPECT_EQ(ipv4_str(*next_free_address(s, net("10.1.5.0/24"), ip("10.1.0.1"), {ip("10.1.5.0")})), "10.1.5.1");
}

TEST(Ipam, ParsesAndFormats) {
    EXPECT_EQ(net("10.1.2.3/8").network(), ip("10.0.0.0"));
    EXPECT_FALSE(parse_ipv4_net("10.1.2.3").ok());
    EXPECT_EQ(parse_ipv4_net("10.1.2.3", 32)->str(), "10.1.2.3/32");
    EXPECT_FALSE(parse_ipv4_net("10.1.2.3/33").ok());
    EXPECT_FALSE(parse_ipv4("300.1.1.1").ok());
    unsigned char mac[6];
    mac_for_ipv4(ip("172.17.0.2"), mac);
    EXPECT_EQ(mac_str(mac), "02:42:ac:11:00:02");
    EXPECT_TRUE(net("172.17.0.0/16").overlaps(net("172.17.3.0/24")));
    EXPECT_FALSE(net("172.17.0.0/16").overlaps(net("172.18.0.0/16")));
}

} // namespace kouti
