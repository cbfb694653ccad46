#include "network/etc_files.h"

#include <gtest/gtest.h>

namespace kouti {

TEST(EtcFiles, HostsHasLocalhostThenExtraThenOwn) {
    std::string h = hosts_file({{"10.0.0.9", {"db"}}, {"172.18.0.3", {"web", "www"}}}, {{"172.18.0.2", {"abcdef123456"}}});
    EXPECT_EQ(h.substr(0, 20), "127.0.0.1\tlocalhost\n");
    size_t db = h.find("10.0.0.9\tdb\n"), web = h.find("172.18.0.3\tweb www\n"), own = h.find("172.18.0.2\tabcdef123456\n");
    ASSERT_NE(db, std::string::npos);
    ASSERT_NE(web, std::string::npos);
    ASSERT_NE(own, std::string::npos);
    EXPECT_LT(db, web);
    EXPECT_LT(web, own);
}

TEST(EtcFiles, ResolvDropsLoopbackServers) {
    std::string host = "# comment\nnameserver 127.0.0.53\nnameserver 10.1.1.1\nsearch corp.example\noptions edns0\n";
    EXPECT_EQ(resolv_conf(host, {}), "search corp.example\nnameserver 10.1.1.1\noptions edns0\n");
    EXPECT_EQ(resolv_conf("nameserver 127.0.0.1\n", {}), "nameserver 8.8.8.8\nnameserver 8.8.4.4\n");
}

TEST(EtcFiles, DnsFlagsReplaceTheHostsLines) {
    std::string host = "nameserver 10.1.1.1\nsearch a.example\n";
    DnsOptions d{{"10.9.9.9"}, {"b.example", "c.example"}, {"ndots:2"}};
    EXPECT_EQ(resolv_conf(host, d), "search b.example c.example\nnameserver 10.9.9.9\noptions ndots:2\n");
    DnsOptions none{{}, {"."}, {}};
    EXPECT_EQ(resolv_conf(host, none), "nameserver 10.1.1.1\n");
}

TEST(EtcFiles, ExtraHostsAsTheDockerCliReadsThem) {
    auto h = parse_extra_host("db:10.0.0.2");
    ASSERT_TRUE(h);
    EXPECT_EQ(h->name, "db");
    EXPECT_EQ(h->address, "10.0.0.2");
    h = parse_extra_host("v6=[::1]");
    ASSERT_TRUE(h);
    EXPECT_EQ(h->name, "v6");
    EXPECT_EQ(h->address, "::1");
    h = parse_extra_host("v6:fe80::1"); // the first ':' splits
    ASSERT_TRUE(h);
    EXPECT_EQ(h->address, "fe80::1");
    EXPECT_EQ(parse_extra_host("gw:host-gateway")->address, kHostGateway);
    EXPECT_FALSE(parse_extra_host("foo"));
    EXPECT_FALSE(parse_extra_host(":1.2.3.4"));
    EXPECT_FALSE(parse_extra_host("a:b=1.2.3.4")); // '=' first: the name "a:b" holds a ':'
    EXPECT_TRUE(is_ip_address("1.2.3.4"));
    EXPECT_TRUE(is_ip_address("::1"));
    EXPECT_FALSE(is_ip_address("1.2.3"));
    EXPECT_FALSE(is_ip_address(""));
}

} // namespace kouti
