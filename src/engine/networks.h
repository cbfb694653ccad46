#pragma once
// Networks as Docker has them: the predefined `bridge` (Linux bridge kouti0), `host` and
// `none`, and user-defined bridge networks. A container joins a network through an endpoint:
// a store row holding its leased address, and while it runs a veth pair whose host end is on
// the network's bridge. Names resolve between containers of a user-defined network through
// their /etc/hosts files, which kouti rewrites when a member starts or stops
// (docs/architecture.md says why not an embedded DNS server).
#include <string>
#include <vector>

#include "network/nftables.h"
#include "network/sandbox.h"
#include "store/containers.h"
#include "store/networks.h"
#include "store/store.h"
#include "util/prune_filter.h"

namespace kouti {

struct NetworkCreateRequest {
    std::string name, driver = "bridge", subnet, gateway, ip_range;
    bool internal = false, check_duplicate = true, attachable = false, ingress = false;
    Json labels = Json::object(), options = Json::object();
    Json aux_addresses = Json::object();         // --aux-address name=ip: never leased
    std::string ipam_driver = "default", scope; // scope: "" or "local" (no swarm here)
    Json ipam_options = Json::object();
    bool ipv4 = true, ipv6 = false;
};
Result<NetworkRow> create_network(Store& store, const NetworkCreateRequest& req);
// Refuses predefined networks and networks containers are attached to.
Status remove_network(Store& store, const std::string& name);
Result<std::vector<NetworkRow>> list_networks(Store& store);
Result<Json> inspect_network(Store& store, const std::string& name);
// Removes user-defined networks no container uses; returns their names.
// `filter`: until= and label= as `docker network prune --filter`.
Result<std::vector<std::string>> prune_networks(Store& store, const PruneFilter& filter = {});
// What `network connect` asks of the endpoint (the link-local addresses already checked).
struct EndpointRequest {
    std::vector<std::string> aliases;
    std::string ip, ip6;
    std::vector<std::string> link_local;
};
Status connect_network(Store& store, const std::string& network, const std::string& container, const EndpointRequest& request);
Status disconnect_network(Store& store, const std::string& network, const std::string& container, bool force);

// `bridge`, `host` and `none`, made on first need (the bridge's subnet is chosen then).
Status ensure_predefined_networks(Store& store);

// At create, inside its transaction: an endpoint (with a lease) for the network HostConfig
// names, if it is a network with endpoints. Refuses unknown networks and bad --ip.
Status join_at_create(Store& store, const ContainerRow& row);

// What starting a container needs from its networks.
struct ContainerNetworking {
    std::vector<PlannedInterface> interfaces;              // made between create and start
    std::vector<std::pair<std::string, std::string>> etc;  // (path inside, file on the host)
    std::vector<std::pair<std::string, std::string>> etc_contents; // (file on the host, text) when deferred
    std::string netns_path;                                // container:NAME mode
    Json ports = Json::object();                           // Docker's NetworkSettings.Ports
};
// At start: leases addresses, makes bridges, publishes ports, writes hostname/hosts/
// resolv.conf (or, with defer_etc, leaves them in etc_contents for write_etc_contents: `run`
// writes them after the clone, while the init makes its first mounts). On error nothing stays
// leased or published.
Result<ContainerNetworking> prepare_networking(Store& store, const ContainerRow& row, bool defer_etc = false);
Status write_etc_contents(const ContainerNetworking& cn);
// At exit (and before removal): unpublishes ports, releases leases, updates other members'
// hosts files. Idempotent.
Status release_networking(Store& store, const ContainerRow& row);
// Whether the container's network mode gives it endpoints (bridge, user-defined networks);
// none, host and container: modes never have any (connect refuses them).
bool has_endpoints(const ContainerRow& row);

// The MAC of a container's interface on a network: --mac-address if it asked for one, else
// Docker's, derived from its address ("" while it has none).
std::string endpoint_mac(const EndpointRow& ep);

// NetworkSettings of inspect.
Result<Json> network_settings(Store& store, const ContainerRow& row, const Json& state);
// "0.0.0.0:8080->80/tcp, ..." for ps.
std::string ports_summary(const Json& ports);

} // namespace kouti
