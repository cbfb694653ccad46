#pragma once
// rtnetlink through libmnl: the few link, address and route operations a container network
// needs. One Netlink object is one socket bound to the network namespace it was opened in.
#include <netinet/in.h>

#include <cstdint>
#include <string>
#include <vector>

#include "util/result.h"

struct mnl_socket;
struct nlmsghdr;

namespace kouti {

struct Ipv4Net {
    uint32_t addr = 0; // host byte order
    int prefix = 0;
    std::string str() const;          // "172.17.0.2/16"
    std::string addr_str() const;     // "172.17.0.2"
    uint32_t mask() const { return prefix == 0 ? 0 : ~uint32_t{0} << (32 - prefix); }
    uint32_t network() const { return addr & mask(); }
    bool contains(uint32_t a) const { return (a & mask()) == network(); }
    bool overlaps(const Ipv4Net& o) const;
};
// "172.17.0.0/16" or, with default_prefix >= 0, a bare "172.17.0.2".
Result<Ipv4Net> parse_ipv4_net(const std::string& s, int default_prefix = -1);
Result<uint32_t> parse_ipv4(const std::string& s);
std::string ipv4_str(uint32_t addr);

struct Route {
    Ipv4Net dst;
    std::string dev;
};

class Netlink {
public:
    // A socket in the calling thread's network namespace.
    static Result<Netlink> open();
    // A socket in the network namespace `netns_fd` (the thread returns to its own at once).
    static Result<Netlink> open_in(int netns_fd);
    Netlink(Netlink&& o) noexcept;
    Netlink& operator=(Netlink&&) = delete;
    ~Netlink();

    // 0 when there is no such link.
    Result<int> link_index(const std::string& name);
    Status create_bridge(const std::string& name);
    // A veth pair: `host` here, attached to `bridge_index` and up; `peer` created directly in
    // `peer_netns_fd` with the MAC `peer_mac` (6 bytes), still down.
    Status create_veth(const std::string& host, int bridge_index, const std::string& peer, int peer_netns_fd,
                       const unsigned char* peer_mac);
    Status delete_link(int index);
    Status set_up(int index);
    Status set_up_by_name(const std::string& name);
    Status add_address(int index, const Ipv4Net& net);
    Status add_default_route(uint32_t gateway, int index);
    // The IPv4 routes of the main table (to avoid subnets the host already uses).
    Result<std::vector<Route>> routes();
    // Names of the links whose names start with `prefix`.
    Result<std::vector<std::string>> link_names(const std::string& prefix);

private:
    explicit Netlink(mnl_socket* s);
    // Sends one request and waits for its acknowledgement (or an error).
    Status request(void* nlh, const char* what);
    // Sends a dump request and calls `cb` for each message.
    Status dump(void* nlh, int (*cb)(const ::nlmsghdr*, void*), void* data, const char* what);

    mnl_socket* m_sock = nullptr;
    unsigned m_portid = 0;
    unsigned m_seq = 0;
};

// 02:42 followed by the address, as Docker derives a container's MAC from its IP.
void mac_for_ipv4(uint32_t addr, unsigned char out[6]);
std::string mac_str(const unsigned char mac[6]);
// "02:42:ac:11:00:02" (or with dashes): false unless six hex pairs.
bool parse_mac(const std::string& text, unsigned char out[6]);

} // namespace kouti
