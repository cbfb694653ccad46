#include "network/publish.h"

#include "network/netlink.h"

namespace kouti {
namespace {

// "80" or "8000-8010" -> [first, last].
Result<std::pair<int, int>> port_range(const std::string& s, const std::string& spec) {
    Error bad = Error::usage("invalid published port: " + spec);
    if (s.empty()) return bad;
    size_t dash = s.find('-');
    std::string a = s.substr(0, dash), b = dash == std::string::npos ? a : s.substr(dash + 1);
    for (const auto& x : {a, b})
        if (x.empty() || x.size() > 5 || x.find_first_not_of("0123456789") != std::string::npos) return bad;
    int lo = std::stoi(a), hi = std::stoi(b);
    if (lo < 1 || hi > 65535 || lo > hi) return bad;
    return std::make_pair(lo, hi);
}

} // namespace

Result<std::vector<PublishSpec>> parse_publish(const std::string& spec) {
    std::string rest = spec, proto = "tcp";
    size_t slash = rest.rfind('/');
    if (slash != std::string::npos) {
        proto = rest.substr(slash + 1);
        rest = rest.substr(0, slash);
        if (proto != "tcp" && proto != "udp") return Error::usage("invalid proto: " + proto);
    }
    std::string ip, host, ctr;
    size_t last = rest.rfind(':');
    if (last == std::string::npos) ctr = rest;
    else {
        ctr = rest.substr(last + 1);
        std::string front = rest.substr(0, last);
        size_t colon = front.rfind(':');
        if (colon == std::string::npos) host = front;
        else {
            ip = front.substr(0, colon);
            host = front.substr(colon + 1);
        }
    }
    if (!ip.empty() && !parse_ipv4(ip).ok()) return Error::usage("invalid IP address: " + ip);
    auto [clo, chi] = TRY(port_range(ctr, spec));
    int hlo = 0, hhi = 0;
    if (!host.empty()) {
        auto h = TRY(port_range(host, spec));
        hlo = h.first;
        hhi = h.second;
        if (hhi - hlo != chi - clo && !(hlo == hhi))
            return Error::usage("invalid ranges specified for container and host Ports: " + ctr + " and " + host);
    }
    std::vector<PublishSpec> out;
    for (int p = clo; p <= chi; ++p) {
        PublishSpec s;
        s.container_port = std::to_string(p) + "/" + proto;
        s.host_ip = ip;
        if (hlo) s.host_port = std::to_string(hlo == hhi ? hlo : hlo + (p - clo));
        out.push_back(s);
    }
    return out;
}

} // namespace kouti
