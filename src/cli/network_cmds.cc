// network create / ls / inspect / rm / prune / connect / disconnect.
#include <cstdio>

#include "cli/cli.h"
#include "cli/create_flags.h"
#include "cli/output.h"
#include "engine/networks.h"
#include "network/netlink.h"
#include "util/humanize.h"
#include "util/label_filter.h"

namespace kouti {
namespace {

// The docker CLI's consolidateIpam, for what kouti's one-subnet networks can hold: each range
// and gateway needs a subnet, subnets must not overlap; then kouti's own limit of one.
Status check_ipam_flags(const std::vector<std::string>& subnets, const std::vector<std::string>& ranges,
                        const std::vector<std::string>& gateways) {
    if (subnets.size() < ranges.size() || subnets.size() < gateways.size())
        return Error::invalid("every ip-range or gateway must have a corresponding subnet");
    std::vector<Ipv4Net> parsed;
    for (const auto& s : subnets) {
        if (subnets.size() == 1) break; // one subnet: the engine reads it
        auto net = parse_ipv4_net(s);
        if (!net.ok()) return Error::invalid("invalid subnet: " + net.error().message);
        for (const auto& other : parsed)
            if (other.overlaps(*net)) return Error::invalid("multiple overlapping subnet configuration is not supported");
        parsed.push_back(*net);
    }
    if (subnets.size() > 1) return Error::invalid("kouti networks have one IPv4 subnet: " + std::to_string(subnets.size()) + " given");
    if (ranges.size() > 1) return Error::invalid("cannot configure multiple ranges (" + ranges[1] + ", " + ranges[0] + ") on the same subnet (" + subnets[0] + ")");
    if (gateways.size() > 1) return Error::invalid("cannot configure multiple gateways (" + gateways[1] + ", " + gateways[0] + ") for the same subnet (" + subnets[0] + ")");
    return ok();
}

int cmd_create(Cli& cli, const Args& a) {
    Store* store = STORE_OR_FAIL(cli);
    NetworkCreateRequest req;
    req.name = a.positional[0];
    req.driver = a.value("driver", "bridge");
    if (auto st = check_ipam_flags(a.values("subnet"), a.values("ip-range"), a.values("gateway")); !st.ok()) return cli.fail(st.error());
    req.subnet = a.value("subnet");
    req.gateway = a.value("gateway");
    req.ip_range = a.value("ip-range");
    req.internal = a.flag("internal");
    req.labels = key_value_map(a.values("label"));
    req.options = key_value_map(a.values("opt"));
    req.attachable = a.flag("attachable");
    req.ingress = a.flag("ingress");
    req.aux_addresses = key_value_map(a.values("aux-address"));
    req.ipam_driver = a.value("ipam-driver", "default");
    req.ipam_options = key_value_map(a.values("ipam-opt"));
    req.scope = a.value("scope");
    req.ipv4 = !a.has("ipv4") || a.flag("ipv4");
    req.ipv6 = a.flag("ipv6");
    auto n = create_network(*store, req);
    if (!n.ok()) return cli.fail(n.error());
    write_stdout(n->id + "\n");
    return 0;
}

bool matches(const NetworkRow& n, const std::vector<std::string>& filters) {
    for (const auto& f : filters) {
        auto eq = f.find('=');
        std::string k = f.substr(0, eq), v = eq == std::string::npos ? "" : f.substr(eq + 1);
        if (k == "name" && n.name.find(v) == std::string::npos) return false;
        if (k == "id" && n.id.rfind(v, 0) != 0) return false;
        if (k == "driver" && n.driver != v) return false;
        if (k == "type") {
            bool builtin = n.name == "bridge" || n.name == "host" || n.name == "none";
            if ((v == "custom") == builtin) return false;
        }
        if (k == "label" && !label_filter_matches(n.config.value("Labels", Json::object()), v)) return false;
    }
    return true;
}

Status check_filters(const std::vector<std::string>& filters) {
    for (const auto& f : filters) {
        std::string k = f.substr(0, f.find('='));
        if (k != "name" && k != "id" && k != "driver" && k != "type" && k != "label")
            return Error::invalid("Invalid filter '" + k + "'");
    }
    return ok();
}

int cmd_ls(Cli& cli, const Args& a) {
    Store* store = STORE_OR_FAIL(cli);
    if (auto st = check_filters(a.values("filter")); !st.ok()) return cli.fail(st.error());
    auto nets = list_networks(*store);
    if (!nets.ok()) return cli.fail(nets.error());
    std::vector<Json> rows;
    for (const auto& n : *nets) {
        if (!matches(n, a.values("filter"))) continue;
        Json row{{"ID", a.flag("no-trunc") ? n.id : n.id.substr(0, 12)}, {"Name", n.name}, {"Driver", n.driver},
                 {"Scope", "local"}, {"IPv4", n.driver == "bridge" ? "true" : "false"}, {"IPv6", "false"}, {"Internal", n.config.value("Internal", false) ? "true" : "false"},
                 {"CreatedAt", go_time_string(n.created)}};
        set_row_labels(row, n.config.value("Labels", Json::object()));
        rows.push_back(std::move(row));
    }
    std::string format = a.flag("quiet") ? "{{.ID}}" : a.value("format");
    auto out = render_rows(rows, format, "{{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}",
                           Json{{"ID", "NETWORK ID"}, {"Name", "NAME"}, {"Driver", "DRIVER"}, {"Scope", "SCOPE"},
                                {"IPv4", "IPV4"}, {"IPv6", "IPV6"}, {"Internal", "INTERNAL"}, {"CreatedAt", "CREATED AT"},
                                {"Labels", "LABELS"}},
                           RowType{"*network.networkContext"});
    if (!out.ok()) return cli.fail(out.error());
    write_stdout(*out);
    return 0;
}

int cmd_inspect(Cli& cli, const Args& a) {
    Store* store = STORE_OR_FAIL(cli);
    return inspect_each(cli, a, [&](const std::string& n) { return inspect_network(*store, n); });
}

int cmd_rm(Cli& cli, const Args& a) {
    Store* store = STORE_OR_FAIL(cli);
    // -f: a network that is not there is no error (and no output), as in the docker CLI.
    return remove_each(cli, a, [&](const std::string& n) { return remove_network(*store, n); }, a.flag("force"));
}

int cmd_prune(Cli& cli, const Args& a) {
    auto filter = parse_prune_filter(a.values("filter"), {"until"}, now_nanos());
    if (!filter.ok()) return cli.fail(filter.error());
    if (!a.flag("force")) {
        std::fprintf(stderr, "WARNING! This will remove all custom networks not used by at least one container.\nAre you sure you want to continue? [y/N] ");
        if (!answered_yes()) return 0;
    }
    Store* store = STORE_OR_FAIL(cli);
    auto r = prune_networks(*store, *filter);
    if (!r.ok()) return cli.fail(r.error());
    std::string out;
    if (!r->empty()) {
        out += "Deleted Networks:\n";
        for (const auto& n : *r) out += n + "\n";
    }
    write_stdout(out);
    return 0;
}

int cmd_connect(Cli& cli, const Args& a) {
    Store* store = STORE_OR_FAIL(cli);
    EndpointRequest request{a.values("alias"), a.value("ip"), a.value("ip6"), {}};
    auto st = [&]() -> Status {
        request.link_local = TRY(check_link_local_ips(a.values("link-local-ip")));
        if (!request.ip6.empty()) TRY(check_ipv6_address(request.ip6));
        return connect_network(*store, a.positional[0], a.positional[1], request);
    }();
    return st.ok() ? 0 : cli.fail(st.error());
}

int cmd_disconnect(Cli& cli, const Args& a) {
    Store* store = STORE_OR_FAIL(cli);
    auto st = disconnect_network(*store, a.positional[0], a.positional[1], a.flag("force"));
    return st.ok() ? 0 : cli.fail(st.error());
}

} // namespace

const std::vector<Command>& network_commands() {
    static const std::vector<Command> commands = {
        {"connect", "[OPTIONS] NETWORK CONTAINER", "Connect a container to a network",
         {{"alias", 0, true, "strings", "Add network-scoped alias for the container"},
          {"ip", 0, true, "string", "IPv4 address (e.g., 172.30.100.104)"},
          {"ip6", 0, true, "string", "IPv6 address (e.g., \"2001:db8::33\")"},
          {"link-local-ip", 0, true, "strings", "Add a link-local address for the container"}},
         2, 2, cmd_connect},
        {"create", "[OPTIONS] NETWORK", "Create a network",
         {{"driver", 'd', true, "string", "Driver to manage the Network (bridge)"},
          {"gateway", 0, true, "strings", "IPv4 Gateway for the master subnet"},
          {"internal", 0, false, "", "Restrict external access to the network"},
          {"attachable", 0, false, "", "Enable manual container attachment"},
          {"aux-address", 0, true, "map", "Auxiliary IPv4 or IPv6 addresses used by Network driver (default map[])"},
          {"ingress", 0, false, "", "Create swarm routing-mesh network"},
          {"ipam-driver", 0, true, "string", "IP Address Management Driver (default \"default\")"},
          {"ipam-opt", 0, true, "map", "Set IPAM driver specific options (default map[])"},
          {"ipv4", 0, false, "", "Enable or disable IPv4 address assignment (default true)"},
          {"ipv6", 0, false, "", "Enable or disable IPv6 address assignment"},
          {"scope", 0, true, "string", "Control the network's scope"},
          {"ip-range", 0, true, "strings", "Allocate container ip from a sub-range"},
          {"label", 0, true, "list", "Set metadata on a network"},
          {"opt", 'o', true, "map", "Set driver specific options"},
          {"subnet", 0, true, "strings", "Subnet in CIDR format that represents a network segment"}},
         1, 1, cmd_create},
        {"disconnect", "[OPTIONS] NETWORK CONTAINER", "Disconnect a container from a network",
         {{"force", 'f', false, "", "Force the container to disconnect from a network"}}, 2, 2, cmd_disconnect},
        {"inspect", "[OPTIONS] NETWORK [NETWORK...]", "Display detailed information on one or more networks",
         {kDocumentFormatFlag}, 1, -1, cmd_inspect},
        {"ls", "[OPTIONS]", "List networks",
         {{"filter", 'f', true, "filter", "Provide filter values (e.g. \"driver=bridge\")"}, kFormatFlag,
          {"no-trunc", 0, false, "", "Do not truncate the output"}, {"quiet", 'q', false, "", "Only display network IDs"}},
         0, 0, cmd_ls, false, {"list"}},
        {"prune", "[OPTIONS]", "Remove all unused networks",
         {{"filter", 0, true, "filter", "Provide filter values (e.g. \"until=<timestamp>\")"},
          {"force", 'f', false, "", "Do not prompt for confirmation"}},
         0, 0, cmd_prune},
        {"rm", "NETWORK [NETWORK...]", "Remove one or more networks",
         {{"force", 'f', false, "", "Do not error if the network does not exist"}}, 1, -1, cmd_rm, false, {"remove"}},
    };
    return commands;
}

} // namespace kouti
