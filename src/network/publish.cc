#include "network/publish.h"

#include <cctype>
#include <tuple>

#include "network/netlink.h"
#include "util/numbers.h"

namespace kouti {
Result<std::pair<int, int>> parse_port_range(const std::string& s) {
    if (s.empty()) return Error::usage("empty string specified for ports");
    size_t dash = s.find('-');
    int lo = static_cast<int>(TRY(parse_go_uint(s.substr(0, dash), 16)));
    int hi = dash == std::string::npos ? lo : static_cast<int>(TRY(parse_go_uint(s.substr(dash + 1, s.find('-', dash + 1) - dash - 1), 16)));
    if (hi < lo) return Error::usage("invalid range specified for port: " + s);
    return std::make_pair(lo, hi);
}

std::pair<std::string, std::string> split_proto_port(const std::string& raw) {
    auto slash = raw.find('/');
    if (raw.empty() || slash == 0) return {"", ""};
    if (slash == std::string::npos) return {"tcp", raw};
    std::string proto = raw.substr(slash + 1);
    proto = proto.substr(0, proto.find('/'));
    return {proto.empty() ? "tcp" : proto, raw.substr(0, slash)};
}

Result<std::vector<std::string>> parse_expose(const std::string& value) {
    if (value.find(':') != std::string::npos) return Error::usage("invalid port format for --expose: " + value);
    auto [proto, port] = split_proto_port(value);
    auto range = parse_port_range(port);
    if (!range.ok()) return Error::usage("invalid range format for --expose: " + value + ", error: " + range.error().message);
    std::vector<std::string> ports;
    for (int p = range->first; p <= range->second; ++p) ports.push_back(std::to_string(p) + "/" + proto);
    return ports;
}

Result<std::vector<PublishSpec>> parse_publish(const std::string& spec) {
    // [IP:][HOSTPORT:]CONTAINERPORT[/PROTO], split as nat.ParsePortSpec splits it.
    std::string ip, host, ctr = spec;
    if (auto last = spec.rfind(':'); last != std::string::npos) {
        ctr = spec.substr(last + 1);
        std::string front = spec.substr(0, last);
        auto colon = front.rfind(':');
        host = colon == std::string::npos ? front : front.substr(colon + 1);
        if (colon != std::string::npos) ip = front.substr(0, colon);
    }
    auto [proto, port] = split_proto_port(ctr);
    // Docker's proxy carries an IPv6 address's connections to the container; kouti's NAT cannot.
    if (ip.find(':') != std::string::npos)
        return Error::usage("IPv6 host addresses are not supported: " + ip + " (kouti publishes ports with IPv4 NAT)");
    if (!ip.empty() && !parse_ipv4(ip).ok()) return Error::usage("invalid IP address: " + ip);
    if (port.empty()) return Error::usage("no port specified: " + spec + "<empty>");
    auto container = parse_port_range(port);
    if (!container.ok()) return Error::usage("invalid containerPort: " + port);
    auto [clo, chi] = *container;
    int hlo = 0, hhi = 0;
    if (!host.empty()) {
        auto h = parse_port_range(host);
        if (!h.ok()) return Error::usage("invalid hostPort: " + host);
        std::tie(hlo, hhi) = *h;
        if (hhi - hlo != chi - clo && clo != chi)
            return Error::usage("invalid ranges specified for container and host Ports: " + port + " and " + host);
    }
    for (auto& c : proto) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    // kouti's port forwarding is nftables DNAT for TCP and UDP; SCTP has none here.
    if (proto != "tcp" && proto != "udp") return Error::usage("invalid proto: " + proto);
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
