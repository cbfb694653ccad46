#pragma once
// Network rows (Docker's network: driver, IPAM config, options, labels as JSON) and endpoint
// rows (a container joined to a network; its address is the lease).
#include <optional>
#include <string>
#include <vector>

#include "store/db.h"
#include "util/json.h"

namespace kouti {

struct NetworkRow {
    std::string id, name, driver;
    int64_t created = 0; // unix nanoseconds
    // Subnet, Gateway, IPRange, Bridge, Internal, Labels, Options
    Json config = Json::object();
};

struct EndpointRow {
    std::string container_id, network_id, endpoint_id;
    std::string address; // "172.17.0.2", empty while the container does not run
    // Aliases, IPv4Address (asked for with --ip), IfName (eth0...)
    Json config = Json::object();
};

Result<std::vector<NetworkRow>> all_networks(Db& db); // by name
Result<std::optional<NetworkRow>> network_by_id(Db& db, const std::string& id);
// A full id, a name, or a unique id prefix; NotFound "network x not found".
Result<NetworkRow> resolve_network(Db& db, const std::string& name_or_id);
Status insert_network(Db& db, const NetworkRow& row);
Status delete_network_row(Db& db, const std::string& id);

Result<std::vector<EndpointRow>> container_endpoints(Db& db, const std::string& container_id); // in join order
Result<std::vector<EndpointRow>> network_endpoints(Db& db, const std::string& network_id);
// Every address leased on the network.
Result<std::vector<std::string>> leased_addresses(Db& db, const std::string& network_id);
Status insert_endpoint(Db& db, const EndpointRow& row);
// Sets (or, with "", releases) an endpoint's address.
Status set_endpoint_address(Db& db, const std::string& container_id, const std::string& network_id, const std::string& address);
Status delete_endpoint(Db& db, const std::string& container_id, const std::string& network_id);

} // namespace kouti
