// The network verbs: create, ls, inspect, rm, prune, connect, disconnect; the predefined
// networks; making a network's bridge when a container first needs it.
#include "engine/networks.h"

#include "engine/containers.h"
#include "network/ipam.h"
#include "store/events.h"
#include "sys/fs.h"
#include "util/humanize.h"

namespace kouti {
namespace {

constexpr const char* kBridgeNameOption = "com.docker.network.bridge.name";

bool predefined(const std::string& name) { return name == "bridge" || name == "host" || name == "none"; }

Result<std::vector<Ipv4Net>> taken_subnets(Db& db) {
    std::vector<Ipv4Net> taken;
    auto nl = TRY(Netlink::open());
    for (const auto& r : TRY(nl.routes())) taken.push_back(r.dst);
    for (const auto& n : TRY(all_networks(db))) {
        auto s = parse_ipv4_net(n.config.value("Subnet", ""));
        if (s.ok()) taken.push_back(*s);
    }
    return taken;
}

Json bridge_config(const Ipv4Net& subnet, uint32_t gateway, const std::string& bridge) {
    return Json{{"Subnet", Ipv4Net{subnet.network(), subnet.prefix}.str()}, {"Gateway", ipv4_str(gateway)}, {"IPRange", ""},
                {"Bridge", bridge}, {"Internal", false}, {"Labels", Json::object()}, {"Options", Json::object()}};
}

} // namespace

Status ensure_predefined_networks(Store& store) {
    Db& db = store.db();
    {
        auto st = TRY(db.prepare("SELECT count(*) FROM networks WHERE name IN ('bridge', 'host', 'none')"));
        TRY(st.step());
        if (st.integer(0) == 3) return ok();
    }
    auto tx = TRY(Transaction::begin(db));
    for (const char* name : {"bridge", "host", "none"}) {
        auto st = TRY(db.prepare("SELECT 1 FROM networks WHERE name = ?"));
        st.bind(1, name);
        if (TRY(st.step())) continue;
        NetworkRow n;
        n.id = random_hex(32);
        n.name = name;
        n.created = now_nanos();
        n.driver = std::string(name) == "bridge" ? "bridge" : std::string(name) == "host" ? "host" : "null";
        if (n.driver == "bridge") {
            auto subnet = choose_subnet(TRY(taken_subnets(db)));
            if (!subnet) return Error::internal("no free address pool for the default bridge network");
            n.config = bridge_config(*subnet, subnet->network() + 1, "kouti0");
            n.config["Options"] = Json{{kBridgeNameOption, "kouti0"}, {"com.docker.network.bridge.default_bridge", "true"}};
        }
        TRY(insert_network(db, n));
    }
    return tx.commit();
}

Result<NetworkRow> create_network(Store& store, const NetworkCreateRequest& req) {
    TRY(ensure_predefined_networks(store));
    if (req.driver != "bridge") {
        if (req.driver == "host" || req.driver == "null")
            return Error::conflict("only one instance of \"" + req.driver + "\" network is allowed");
        return Error::not_found("plugin \"" + req.driver + "\" not found");
    }
    if (req.ipam_driver != "default") return Error::not_found("plugin \"" + req.ipam_driver + "\" not found");
    if (req.scope == "swarm" || req.scope == "global") return Error::invalid("cannot create a swarm scoped network when swarm is not active");
    if (!req.scope.empty() && req.scope != "local") return Error::invalid("invalid scope \"" + req.scope + "\": local, swarm or global");
    if (req.ingress) return Error::invalid("Ingress network can only be global scope network");
    // kouti's bridges carry IPv4 only, so far: an IPv6 network would be one in name only.
    if (req.ipv6) return Error::invalid("--ipv6: kouti's networks are IPv4 only, so far");
    if (!req.ipv4) return Error::invalid("--ipv4=false: an IPv6-only network needs IPv6, which kouti's networks do not have yet");
    bool valid = !req.name.empty() && std::isalnum(static_cast<unsigned char>(req.name[0]));
    for (char ch : req.name) valid = valid && (std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '.' || ch == '-');
    if (!valid) return Error::usage("invalid network name \"" + req.name + "\"");
    Db& db = store.db();
    auto tx = TRY(Transaction::begin(db));
    {
        auto st = TRY(db.prepare("SELECT 1 FROM networks WHERE name = ?"));
        st.bind(1, req.name);
        if (TRY(st.step())) return Error::conflict("network with name " + req.name + " already exists");
    }
    NetworkRow n;
    n.id = random_hex(32);
    n.name = req.name;
    n.driver = "bridge";
    n.created = now_nanos();
    Ipv4Net subnet;
    if (req.subnet.empty()) {
        if (!req.gateway.empty() || !req.ip_range.empty()) return Error::invalid("every ip-range or gateway must have a corresponding subnet");
        auto chosen = choose_subnet(TRY(taken_subnets(db)));
        if (!chosen) return Error::internal("could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network");
        subnet = *chosen;
    } else {
        subnet = TRY(parse_ipv4_net(req.subnet));
        subnet.addr = subnet.network();
        for (const auto& other : TRY(all_networks(db))) {
            auto s = parse_ipv4_net(other.config.value("Subnet", ""));
            if (s.ok() && s->overlaps(subnet)) return Error::conflict("Pool overlaps with other one on this address space");
        }
    }
    uint32_t gateway = subnet.network() + 1;
    if (!req.gateway.empty()) {
        gateway = TRY(parse_ipv4(req.gateway));
        if (!subnet.contains(gateway)) return Error::invalid("no matching subnet for gateway " + req.gateway);
    }
    std::string bridge = req.options.value(kBridgeNameOption, "kt-" + n.id.substr(0, 12));
    if (bridge.empty() || bridge.size() > 15) return Error::usage("invalid bridge name \"" + bridge + "\" (1 to 15 characters)");
    for (const auto& other : TRY(all_networks(db)))
        if (other.config.value("Bridge", "") == bridge) return Error::conflict("bridge name " + bridge + " is used by network " + other.name);
    n.config = bridge_config(subnet, gateway, bridge);
    if (!req.ip_range.empty()) {
        auto range = TRY(parse_ipv4_net(req.ip_range));
        if (!subnet.contains(range.network()) || range.prefix < subnet.prefix)
            return Error::invalid("no matching subnet for range " + req.ip_range);
        n.config["IPRange"] = Ipv4Net{range.network(), range.prefix}.str();
    }
    for (const auto& [aux_name, aux_ip] : req.aux_addresses.items()) {
        auto a = parse_ipv4(aux_ip.get<std::string>());
        if (!a.ok() || !subnet.contains(*a)) return Error::invalid("no matching subnet for aux-address " + aux_ip.get<std::string>());
    }
    if (!req.aux_addresses.empty()) n.config["AuxAddresses"] = req.aux_addresses;
    if (req.attachable) n.config["Attachable"] = true;
    if (!req.ipam_options.empty()) n.config["IPAMOptions"] = req.ipam_options;
    n.config["Internal"] = req.internal;
    n.config["Labels"] = req.labels;
    n.config["Options"] = req.options;
    TRY(insert_network(db, n));
    TRY(record_event(db, "network", "create", n.id, Json{{"name", n.name}, {"type", "bridge"}}));
    TRY(tx.commit());
    return n;
}

Result<std::vector<NetworkRow>> list_networks(Store& store) {
    TRY(ensure_predefined_networks(store));
    return all_networks(store.db());
}

Status remove_network(Store& store, const std::string& name) {
    TRY(ensure_predefined_networks(store));
    auto tx = TRY(Transaction::begin(store.db()));
    auto n = TRY(resolve_network(store.db(), name));
    if (predefined(n.name)) return Error::conflict(n.name + " is a pre-defined network and cannot be removed");
    auto eps = TRY(network_endpoints(store.db(), n.id));
    if (!eps.empty())
        return Error::conflict("error while removing network: network " + n.name + " id " + n.id + " has active endpoints");
    TRY(delete_network_row(store.db(), n.id));
    TRY(record_event(store.db(), "network", "destroy", n.id, Json{{"name", n.name}, {"type", "bridge"}}));
    TRY(tx.commit());
    // The bridge goes last: a crash before leaves a bridge no network names, which the next
    // create of a network with that bridge name reuses.
    auto nl = Netlink::open();
    if (nl.ok()) {
        std::string bridge = n.config.value("Bridge", "");
        auto index = nl->link_index(bridge);
        if (index.ok() && *index > 0) {
            (void)nft_run(nft_network_elements("delete", bridge, n.config.value("Subnet", ""), n.config.value("Internal", false)));
            (void)nl->delete_link(*index);
        }
    }
    return ok();
}

Result<std::vector<std::string>> prune_networks(Store& store, const PruneFilter& filter) {
    std::vector<std::string> removed;
    for (const auto& n : TRY(list_networks(store))) {
        if (predefined(n.name) || !filter.selects(n.config.value("Labels", Json::object()), n.created)) continue;
        if (!TRY(network_endpoints(store.db(), n.id)).empty()) continue;
        if (remove_network(store, n.id).ok()) removed.push_back(n.name);
    }
    return removed;
}

Result<Json> inspect_network(Store& store, const std::string& name) {
    TRY(ensure_predefined_networks(store));
    auto n = TRY(resolve_network(store.db(), name));
    Json ipam_config = Json::array();
    if (n.driver == "bridge") {
        Json c{{"Subnet", n.config.value("Subnet", "")}, {"Gateway", n.config.value("Gateway", "")}};
        if (!n.config.value("IPRange", "").empty()) c["IPRange"] = n.config["IPRange"];
        if (n.config.contains("AuxAddresses")) c["AuxiliaryAddresses"] = n.config["AuxAddresses"];
        ipam_config.push_back(c);
    }
    Json containers = Json::object();
    auto prefix = parse_ipv4_net(n.config.value("Subnet", ""));
    for (const auto& ep : TRY(network_endpoints(store.db(), n.id))) {
        if (ep.address.empty()) continue; // Docker lists the containers that run
        auto row = TRY(container_by_id(store.db(), ep.container_id));
        if (!row) continue;
        containers[ep.container_id] = Json{{"Name", row->name}, {"EndpointID", ep.endpoint_id}, {"MacAddress", endpoint_mac(ep)},
                                           {"IPv4Address", ep.address + "/" + std::to_string(prefix.ok() ? prefix->prefix : 32)},
                                           {"IPv6Address", ""}};
    }
    return Json{{"Name", n.name},
                {"Id", n.id},
                {"Created", rfc3339_nano(n.created)},
                {"Scope", "local"},
                {"Driver", n.driver},
                {"EnableIPv4", n.driver == "bridge"},
                {"EnableIPv6", false},
                {"IPAM", {{"Driver", "default"}, {"Options", n.config.value("IPAMOptions", Json::object())}, {"Config", ipam_config}}},
                {"Internal", n.config.value("Internal", false)},
                {"Attachable", n.config.value("Attachable", false)},
                {"Ingress", false},
                {"ConfigFrom", {{"Network", ""}}},
                {"ConfigOnly", false},
                {"Containers", containers},
                {"Options", n.config.value("Options", Json::object())},
                {"Labels", n.config.value("Labels", Json::object())}};
}

} // namespace kouti
