#include "network/netlink.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <sched.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <cstring>
#include <ctime>

#include "sys/fd.h"

namespace kouti {

// libmnl sizes its buffers by the page size at run time; these are fixed and enough.
constexpr size_t kMessageSize = 8192;
constexpr size_t kDumpSize = 32768;

std::string ipv4_str(uint32_t a) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
    return buf;
}
std::string Ipv4Net::addr_str() const { return ipv4_str(addr); }
std::string Ipv4Net::str() const { return addr_str() + "/" + std::to_string(prefix); }
bool Ipv4Net::overlaps(const Ipv4Net& o) const {
    int p = std::min(prefix, o.prefix);
    uint32_t m = p == 0 ? 0 : ~uint32_t{0} << (32 - p);
    return (addr & m) == (o.addr & m);
}

Result<uint32_t> parse_ipv4(const std::string& s) {
    in_addr a{};
    if (::inet_pton(AF_INET, s.c_str(), &a) != 1) return Error::invalid("invalid IPv4 address: " + s);
    return ntohl(a.s_addr);
}

Result<Ipv4Net> parse_ipv4_net(const std::string& s, int default_prefix) {
    size_t slash = s.find('/');
    Ipv4Net n;
    if (slash == std::string::npos) {
        if (default_prefix < 0) return Error::invalid("invalid CIDR address: " + s);
        n.prefix = default_prefix;
    } else {
        std::string p = s.substr(slash + 1);
        if (p.empty() || p.size() > 2 || p.find_first_not_of("0123456789") != std::string::npos || std::stoi(p) > 32)
            return Error::invalid("invalid CIDR address: " + s);
        n.prefix = std::stoi(p);
    }
    auto a = parse_ipv4(s.substr(0, slash));
    if (!a.ok()) return Error::invalid("invalid CIDR address: " + s);
    n.addr = *a;
    return n;
}

void mac_for_ipv4(uint32_t addr, unsigned char out[6]) {
    out[0] = 0x02;
    out[1] = 0x42;
    for (int i = 0; i < 4; ++i) out[2 + i] = static_cast<unsigned char>(addr >> (24 - 8 * i));
}

std::string mac_str(const unsigned char m[6]) {
    char buf[18];
    std::snprintf(buf, sizeof buf, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
    return buf;
}

bool parse_mac(const std::string& text, unsigned char out[6]) {
    if (text.size() != 17) return false;
    for (int i = 0; i < 6; ++i) {
        if (i > 0 && text[3 * i - 1] != ':' && text[3 * i - 1] != '-') return false;
        unsigned value = 0;
        for (int j = 0; j < 2; ++j) {
            char c = static_cast<char>(std::tolower(static_cast<unsigned char>(text[3 * i + j])));
            if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
            value = value * 16 + static_cast<unsigned>(std::isdigit(static_cast<unsigned char>(c)) ? c - '0' : c - 'a' + 10);
        }
        out[i] = static_cast<unsigned char>(value);
    }
    return true;
}

Netlink::Netlink(mnl_socket* s) : m_sock(s), m_portid(mnl_socket_get_portid(s)), m_seq(static_cast<unsigned>(::time(nullptr))) {}
Netlink::Netlink(Netlink&& o) noexcept : m_sock(std::exchange(o.m_sock, nullptr)), m_portid(o.m_portid), m_seq(o.m_seq) {}
Netlink::~Netlink() {
    if (m_sock) mnl_socket_close(m_sock);
}

Result<Netlink> Netlink::open() {
    mnl_socket* s = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
    if (!s) return Error::from_syscall("netlink socket");
    if (mnl_socket_bind(s, 0, MNL_SOCKET_AUTOPID) < 0) {
        int e = errno;
        mnl_socket_close(s);
        return Error::from_syscall("netlink bind", e);
    }
    return Netlink(s);
}

Result<Netlink> Netlink::open_in(int netns_fd) {
    // A socket belongs to the namespace it was made in; network namespaces are per thread, so
    // this thread visits and comes back.
    UniqueFd home(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC));
    if (!home.valid()) return Error::from_syscall("open own network namespace");
    if (::setns(netns_fd, CLONE_NEWNET) != 0) return Error::from_syscall("enter the container's network namespace");
    auto nl = open();
    if (::setns(home.get(), CLONE_NEWNET) != 0) ::abort(); // never go on in the wrong namespace
    return nl;
}

Status Netlink::request(void* buf, const char* what) {
    auto* nlh = static_cast<nlmsghdr*>(buf);
    nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
    nlh->nlmsg_seq = ++m_seq;
    if (mnl_socket_sendto(m_sock, nlh, nlh->nlmsg_len) < 0) return Error::from_syscall(what);
    char reply[kMessageSize];
    for (;;) {
        ssize_t n = mnl_socket_recvfrom(m_sock, reply, sizeof reply);
        if (n < 0) return Error::from_syscall(what);
        int r = mnl_cb_run(reply, static_cast<size_t>(n), m_seq, m_portid, nullptr, nullptr);
        if (r == MNL_CB_ERROR) return Error::from_syscall(what);
        if (r == MNL_CB_STOP || r == MNL_CB_OK) return ok();
    }
}

Status Netlink::dump(void* buf, int (*cb)(const nlmsghdr*, void*), void* data, const char* what) {
    auto* nlh = static_cast<nlmsghdr*>(buf);
    nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_DUMP;
    nlh->nlmsg_seq = ++m_seq;
    if (mnl_socket_sendto(m_sock, nlh, nlh->nlmsg_len) < 0) return Error::from_syscall(what);
    std::vector<char> reply(kDumpSize);
    for (;;) {
        ssize_t n = mnl_socket_recvfrom(m_sock, reply.data(), reply.size());
        if (n < 0) return Error::from_syscall(what);
        int r = mnl_cb_run(reply.data(), static_cast<size_t>(n), m_seq, m_portid, cb, data);
        if (r == MNL_CB_ERROR) return Error::from_syscall(what);
        if (r == MNL_CB_STOP) return ok();
    }
}

namespace {

struct Message {
    char buf[kMessageSize];
    nlmsghdr* nlh;
    explicit Message(uint16_t type, uint16_t flags = 0) {
        nlh = mnl_nlmsg_put_header(buf);
        nlh->nlmsg_type = type;
        nlh->nlmsg_flags = flags;
    }
    template <typename T> T* extra() { return static_cast<T*>(mnl_nlmsg_put_extra_header(nlh, sizeof(T))); }
};

// mnl_attr_for_each, typed for C++.
template <typename F> void for_each_attr(const nlmsghdr* h, size_t offset, F f) {
    auto* a = static_cast<const nlattr*>(mnl_nlmsg_get_payload_offset(h, offset));
    auto* end = static_cast<const char*>(mnl_nlmsg_get_payload_tail(h));
    while (mnl_attr_ok(a, static_cast<int>(end - reinterpret_cast<const char*>(a)))) {
        f(a);
        a = mnl_attr_next(a);
    }
}

ifinfomsg* link_header(Message& m, int index = 0) {
    auto* ifm = m.extra<ifinfomsg>();
    ifm->ifi_family = AF_UNSPEC;
    ifm->ifi_index = index;
    return ifm;
}

} // namespace

Result<int> Netlink::link_index(const std::string& name) {
    Message m(RTM_GETLINK);
    link_header(m);
    mnl_attr_put_strz(m.nlh, IFLA_IFNAME, name.c_str());
    m.nlh->nlmsg_flags = NLM_F_REQUEST;
    m.nlh->nlmsg_seq = ++m_seq;
    if (mnl_socket_sendto(m_sock, m.nlh, m.nlh->nlmsg_len) < 0) return Error::from_syscall("netlink get link");
    char reply[kMessageSize];
    ssize_t n = mnl_socket_recvfrom(m_sock, reply, sizeof reply);
    if (n < 0) return Error::from_syscall("netlink get link");
    int index = 0;
    int r = mnl_cb_run(
        reply, static_cast<size_t>(n), m_seq, m_portid,
        [](const nlmsghdr* h, void* data) {
            *static_cast<int*>(data) = static_cast<const ifinfomsg*>(mnl_nlmsg_get_payload(h))->ifi_index;
            return MNL_CB_OK;
        },
        &index);
    if (r == MNL_CB_ERROR) {
        if (errno == ENODEV) return 0;
        return Error::from_syscall("netlink get link " + name);
    }
    return index;
}

Status Netlink::create_bridge(const std::string& name) {
    Message m(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
    link_header(m);
    mnl_attr_put_strz(m.nlh, IFLA_IFNAME, name.c_str());
    nlattr* info = mnl_attr_nest_start(m.nlh, IFLA_LINKINFO);
    mnl_attr_put_strz(m.nlh, IFLA_INFO_KIND, "bridge");
    mnl_attr_nest_end(m.nlh, info);
    return request(m.nlh, "create bridge");
}

Status Netlink::create_veth(const std::string& host, int bridge_index, const std::string& peer, int peer_netns_fd,
                            const unsigned char* peer_mac) {
    // Neither end can be created up: a veth opens only once its peer is linked (ENOTCONN).
    Message m(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
    link_header(m);
    mnl_attr_put_strz(m.nlh, IFLA_IFNAME, host.c_str());
    mnl_attr_put_u32(m.nlh, IFLA_MASTER, static_cast<uint32_t>(bridge_index));
    nlattr* info = mnl_attr_nest_start(m.nlh, IFLA_LINKINFO);
    mnl_attr_put_strz(m.nlh, IFLA_INFO_KIND, "veth");
    nlattr* data = mnl_attr_nest_start(m.nlh, IFLA_INFO_DATA);
    nlattr* p = mnl_attr_nest_start(m.nlh, VETH_INFO_PEER);
    // The peer's attributes follow its own ifinfomsg.
    auto* pifm = static_cast<ifinfomsg*>(mnl_nlmsg_put_extra_header(m.nlh, sizeof(ifinfomsg)));
    pifm->ifi_family = AF_UNSPEC;
    mnl_attr_put_strz(m.nlh, IFLA_IFNAME, peer.c_str());
    mnl_attr_put_u32(m.nlh, IFLA_NET_NS_FD, static_cast<uint32_t>(peer_netns_fd));
    if (peer_mac) mnl_attr_put(m.nlh, IFLA_ADDRESS, 6, peer_mac);
    mnl_attr_nest_end(m.nlh, p);
    mnl_attr_nest_end(m.nlh, data);
    mnl_attr_nest_end(m.nlh, info);
    TRY(request(m.nlh, "create veth pair"));
    return set_up_by_name(host);
}

Status Netlink::set_up_by_name(const std::string& name) {
    Message m(RTM_NEWLINK);
    auto* ifm = link_header(m);
    ifm->ifi_flags = IFF_UP;
    ifm->ifi_change = IFF_UP;
    mnl_attr_put_strz(m.nlh, IFLA_IFNAME, name.c_str());
    return request(m.nlh, "set link up");
}

Status Netlink::delete_link(int index) {
    Message m(RTM_DELLINK);
    link_header(m, index);
    return request(m.nlh, "delete link");
}

Status Netlink::set_up(int index) {
    Message m(RTM_NEWLINK);
    auto* ifm = link_header(m, index);
    ifm->ifi_flags = IFF_UP;
    ifm->ifi_change = IFF_UP;
    return request(m.nlh, "set link up");
}

Status Netlink::add_address(int index, const Ipv4Net& net) {
    Message m(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL);
    auto* ifa = m.extra<ifaddrmsg>();
    ifa->ifa_family = AF_INET;
    ifa->ifa_prefixlen = static_cast<unsigned char>(net.prefix);
    ifa->ifa_scope = RT_SCOPE_UNIVERSE;
    ifa->ifa_index = static_cast<unsigned>(index);
    uint32_t a = htonl(net.addr), b = htonl(net.addr | ~net.mask());
    mnl_attr_put_u32(m.nlh, IFA_LOCAL, a);
    mnl_attr_put_u32(m.nlh, IFA_ADDRESS, a);
    if (net.prefix < 31) mnl_attr_put_u32(m.nlh, IFA_BROADCAST, b);
    return request(m.nlh, "add address");
}

Status Netlink::add_default_route(uint32_t gateway, int index) {
    Message m(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL);
    auto* rt = m.extra<rtmsg>();
    rt->rtm_family = AF_INET;
    rt->rtm_table = RT_TABLE_MAIN;
    rt->rtm_protocol = RTPROT_BOOT;
    rt->rtm_scope = RT_SCOPE_UNIVERSE;
    rt->rtm_type = RTN_UNICAST;
    mnl_attr_put_u32(m.nlh, RTA_GATEWAY, htonl(gateway));
    mnl_attr_put_u32(m.nlh, RTA_OIF, static_cast<uint32_t>(index));
    return request(m.nlh, "add default route");
}

Result<std::vector<Route>> Netlink::routes() {
    Message m(RTM_GETROUTE);
    auto* rt = m.extra<rtmsg>();
    rt->rtm_family = AF_INET;
    struct Acc {
        std::vector<Route> routes;
    } acc;
    TRY(dump(
        m.nlh,
        [](const nlmsghdr* h, void* data) {
            auto* r = static_cast<const rtmsg*>(mnl_nlmsg_get_payload(h));
            if (r->rtm_table != RT_TABLE_MAIN || r->rtm_type != RTN_UNICAST) return MNL_CB_OK;
            Route route;
            route.dst.prefix = r->rtm_dst_len;
            for_each_attr(h, sizeof(rtmsg), [&](const nlattr* a) {
                if (mnl_attr_get_type(a) == RTA_DST) route.dst.addr = ntohl(mnl_attr_get_u32(a));
            });
            static_cast<Acc*>(data)->routes.push_back(route);
            return MNL_CB_OK;
        },
        &acc, "list routes"));
    return acc.routes;
}

Result<std::vector<std::string>> Netlink::link_names(const std::string& prefix) {
    Message m(RTM_GETLINK);
    link_header(m);
    struct Acc {
        std::string prefix;
        std::vector<std::string> names;
    } acc{prefix, {}};
    TRY(dump(
        m.nlh,
        [](const nlmsghdr* h, void* data) {
            auto* acc = static_cast<Acc*>(data);
            for_each_attr(h, sizeof(ifinfomsg), [&](const nlattr* a) {
                if (mnl_attr_get_type(a) != IFLA_IFNAME) return;
                std::string name = mnl_attr_get_str(a);
                if (name.rfind(acc->prefix, 0) == 0) acc->names.push_back(name);
            });
            return MNL_CB_OK;
        },
        &acc, "list links"));
    return acc.names;
}

} // namespace kouti
