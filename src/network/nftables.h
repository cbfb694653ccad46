#pragma once
// Packet filtering and NAT through libnftables, in-process (loaded on first use, so commands
// that never touch a rule do not pay for it). One table, `ip kouti`, holds everything; what
// changes per network and per container are set and map elements, never rules, so removing
// a container's ports is deleting its elements by key.
#include <string>
#include <vector>

#include "util/result.h"

namespace kouti {

// Runs an nft script; the error names the command nft refused.
Status nft_run(const std::string& script);
// True when `ip kouti` exists in this network namespace.
bool nft_table_exists();

// The table with its chains, sets and maps, when it is missing.
Status nft_ensure_base();
// Elements that make a bridge a kouti network: isolation from other networks, masquerade of
// its subnet (unless internal).
std::string nft_network_elements(const std::string& verb, const std::string& bridge, const std::string& subnet, bool internal);

struct PortMapping {
    std::string proto = "tcp";  // tcp | udp
    std::string host_ip;        // "" or "0.0.0.0": every local address
    int host_port = 0;
    std::string container_ip;
    int container_port = 0;
};
// "add element ..." / "delete element ..." lines for the mappings.
std::string nft_port_elements(const std::string& verb, const std::vector<PortMapping>& ports);

} // namespace kouti
