#pragma once
// What a container finds in /etc/hosts and /etc/resolv.conf, as Docker writes them. Pure
// text in, text out; the engine decides which names and servers go in.
#include <optional>
#include <string>
#include <vector>

namespace kouti {

struct HostsEntry {
    std::string address;
    std::vector<std::string> names;
};

// Docker's localhost lines, then `extra` (--add-host, then other containers of the same
// networks), then the container's own addresses with its hostname.
std::string hosts_file(const std::vector<HostsEntry>& extra, const std::vector<HostsEntry>& own);

// An --add-host value as the docker CLI reads it: "NAME=ADDRESS", or "NAME:ADDRESS" (split at
// the first ':', so an IPv6 address may follow), the address maybe in brackets. nullopt when
// there is no separator, no name, or a ':' in the name. The address is not checked here: it
// may be "host-gateway" (kHostGateway), which the engine replaces.
struct ExtraHost {
    std::string name, address;
};
inline constexpr const char* kHostGateway = "host-gateway";
std::optional<ExtraHost> parse_extra_host(const std::string& value);
// An IPv4 or IPv6 address in text form (Go's net.ParseIP, as the docker CLI checks --dns).
bool is_ip_address(const std::string& s);

struct DnsOptions {
    std::vector<std::string> servers, search, options; // --dns, --dns-search, --dns-option
};
// The host's resolv.conf with loopback nameservers removed (they mean nothing inside the
// container's network namespace), then Docker's fallback servers if none is left; --dns,
// --dns-search and --dns-option replace the host's lines of their kind.
std::string resolv_conf(const std::string& host_resolv, const DnsOptions& dns);

} // namespace kouti
