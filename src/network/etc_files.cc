#include "network/etc_files.h"

#include <arpa/inet.h>

#include <sstream>

namespace kouti {
namespace {

void put(std::string& out, const HostsEntry& e) {
    out += e.address + "\t";
    for (size_t i = 0; i < e.names.size(); ++i) out += (i ? " " : "") + e.names[i];
    out += "\n";
}

bool loopback(const std::string& server) { return server.rfind("127.", 0) == 0 || server == "::1"; }

} // namespace

std::optional<ExtraHost> parse_extra_host(const std::string& value) {
    auto sep = value.find('=');
    if (sep == std::string::npos) sep = value.find(':');
    if (sep == std::string::npos || sep == 0) return std::nullopt;
    ExtraHost h{value.substr(0, sep), value.substr(sep + 1)};
    if (h.name.find(':') != std::string::npos) return std::nullopt;
    if (h.address.size() > 2 && h.address.front() == '[' && h.address.back() == ']') h.address = h.address.substr(1, h.address.size() - 2);
    return h;
}

bool is_ip_address(const std::string& s) {
    unsigned char buf[16];
    return ::inet_pton(AF_INET, s.c_str(), buf) == 1 || ::inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

std::string hosts_file(const std::vector<HostsEntry>& extra, const std::vector<HostsEntry>& own) {
    std::string out =
        "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\n"
        "ff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n";
    for (const auto& e : extra) put(out, e);
    for (const auto& e : own) put(out, e);
    return out;
}

std::string resolv_conf(const std::string& host, const DnsOptions& dns) {
    std::vector<std::string> servers, search, options, other;
    std::istringstream in(host);
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream words(line);
        std::string key, value;
        words >> key;
        if (key == "nameserver") {
            words >> value;
            if (!loopback(value)) servers.push_back(value);
        } else if (key == "search" || key == "domain") {
            std::string rest;
            std::getline(words, rest);
            size_t b = rest.find_first_not_of(" \t");
            if (b != std::string::npos) search = {rest.substr(b)};
        } else if (key == "options") {
            std::string rest;
            std::getline(words, rest);
            size_t b = rest.find_first_not_of(" \t");
            if (b != std::string::npos) options = {rest.substr(b)};
        }
    }
    if (!dns.servers.empty()) servers = dns.servers;
    if (servers.empty()) servers = {"8.8.8.8", "8.8.4.4"};
    std::string out;
    if (!dns.search.empty()) {
        search.clear();
        std::string s;
        for (const auto& d : dns.search) s += (s.empty() ? "" : " ") + d;
        if (s != ".") search = {s}; // "--dns-search ." means no search domains
    }
    if (!dns.options.empty()) {
        std::string s;
        for (const auto& o : dns.options) s += (s.empty() ? "" : " ") + o;
        options = {s};
    }
    for (const auto& s : search) out += "search " + s + "\n";
    for (const auto& s : servers) out += "nameserver " + s + "\n";
    for (const auto& o : options) out += "options " + o + "\n";
    return out;
}

} // namespace kouti
