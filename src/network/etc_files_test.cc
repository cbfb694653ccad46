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

} // namespace kouti
