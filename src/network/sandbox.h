#pragma once
// A container's network interfaces, as the engine planned them (addresses leased in the
// store), put in place between the runtime's create and start: a veth pair per network,
// the host end on the network's bridge, the other end inside the container's namespace.
#include <sys/types.h>

#include <string>
#include <vector>

#include "network/netlink.h"
#include "util/json.h"

namespace kouti {

struct PlannedInterface {
    std::string bridge;    // host bridge the host end joins
    std::string host_veth; // name of the host end ("veth" + 7 hex)
    std::string name;      // inside: eth0, eth1...
    Ipv4Net address;       // inside, with the network's prefix
    uint32_t gateway = 0;  // 0: no gateway
    bool default_route = false;
    std::string mac;       // inside (--mac-address); empty: derived from the address, as Docker does
    std::vector<Ipv4Net> link_local; // --link-local-ip: more addresses, each in 169.254.0.0/16

    Json to_json() const;
    static Result<PlannedInterface> from_json(const Json& j);
};

// Creates the interfaces in the network namespace of `pid` (already running, not started).
Status join_networks(pid_t pid, const std::vector<PlannedInterface>& interfaces);
// The same in the network namespace open as `netns_fd` (one made ahead, NetnsAhead).
Status join_networks_at(int netns_fd, const std::vector<PlannedInterface>& interfaces);
// Removes the interface `name` inside the namespace of `pid` (its host end goes with it).
Status leave_network(pid_t pid, const std::string& name);

} // namespace kouti
