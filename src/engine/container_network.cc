// A container's side of networking: its endpoints and leases, the bridge its veth joins, its
// published ports, its /etc/hostname, /etc/hosts and /etc/resolv.conf.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <set>

#include "engine/containers.h"
#include "engine/links.h"
#include "engine/networks.h"
#include "network/etc_files.h"
#include "network/ipam.h"
#include "store/events.h"
#include "sys/fs.h"
#include "sys/process.h"
#include "util/humanize.h"
#include "util/numbers.h"

namespace kouti {
namespace {

// Modes whose containers get endpoints: "bridge" and user-defined networks.
bool joins_networks(const std::string& mode) {
    return !mode.empty() && mode != "none" && mode != "host" && mode.rfind("container:", 0) != 0;
}

std::string mode_of(const ContainerRow& row) {
    std::string m = row.config["HostConfig"].value("NetworkMode", "bridge");
    return m == "default" ? "bridge" : m;
}

} // namespace

bool has_endpoints(const ContainerRow& row) { return joins_networks(mode_of(row)); }

namespace {

Json endpoint_settings(const ContainerRow& row, const std::string& network) {
    return row.config.value("NetworkingConfig", Json::object()).value("EndpointsConfig", Json::object()).value(network, Json::object());
}

bool user_defined(const NetworkRow& n) { return n.name != "bridge" && n.driver == "bridge"; }

// The addresses asked for (Docker's EndpointIPAMConfig) into the endpoint, checked as Docker's
// daemon checks them.
Status take_ipam_config(const NetworkRow& n, const Json& ipam, EndpointRow& ep) {
    if (!ipam.is_object()) return ok();
    std::string ip = ipam.value("IPv4Address", ""), ip6 = ipam.value("IPv6Address", "");
    if (!ip.empty() || !ip6.empty()) {
        if (!user_defined(n)) return Error::invalid("user specified IP address is supported on user defined networks only");
        // kouti's networks have IPv4 subnets only, so an IPv6 address has no subnet to be in.
        if (!ip6.empty()) return Error::invalid("user specified IP address is supported only when connecting to networks with user configured subnets");
        ep.config["IPv4Address"] = ip;
    }
    if (ipam.contains("LinkLocalIPs")) ep.config["LinkLocalIPs"] = ipam["LinkLocalIPs"];
    return ok();
}

Result<std::string> lease_address(Db& db, const NetworkRow& n, const EndpointRow& ep) {
    Ipv4Net subnet = TRY(parse_ipv4_net(n.config.value("Subnet", "")));
    Ipv4Net range = subnet;
    if (!n.config.value("IPRange", "").empty()) range = TRY(parse_ipv4_net(n.config["IPRange"].get<std::string>()));
    uint32_t gateway = TRY(parse_ipv4(n.config.value("Gateway", "")));
    std::set<uint32_t> used;
    for (const auto& a : TRY(leased_addresses(db, n.id))) used.insert(TRY(parse_ipv4(a)));
    // --aux-address: reserved for something outside Docker's view (a router, a host).
    const Json aux_addresses = n.config.value("AuxAddresses", Json::object());
    for (const auto& [name, aux] : aux_addresses.items())
        if (auto a = parse_ipv4(aux.get<std::string>()); a.ok()) used.insert(*a);
    std::string wanted = ep.config.value("IPv4Address", "");
    if (!wanted.empty()) {
        uint32_t a = TRY(parse_ipv4(wanted));
        if (!subnet.contains(a) || a == gateway || a == subnet.network() || a == (subnet.network() | ~subnet.mask()))
            return Error::usage("Invalid address " + wanted + ": It does not belong to any of this network's subnets");
        if (used.count(a)) return Error::conflict("Address already in use");
        return wanted;
    }
    auto a = next_free_address(subnet, range, gateway, used);
    if (!a) return Error::conflict("no available IPv4 addresses on this network's address pools: " + n.name + " (" + n.id + ")");
    return ipv4_str(*a);
}

Status ensure_bridge(const NetworkRow& n) {
    std::string name = n.config.value("Bridge", "");
    auto nl = TRY(Netlink::open());
    if (TRY(nl.link_index(name)) > 0) return ok();
    auto made = nl.create_bridge(name);
    if (!made.ok() && made.error().err != EEXIST) return std::move(made).error().context("bridge " + name);
    int index = TRY(nl.link_index(name));
    Ipv4Net subnet = TRY(parse_ipv4_net(n.config.value("Subnet", "")));
    Ipv4Net gw{TRY(parse_ipv4(n.config.value("Gateway", ""))), subnet.prefix};
    auto addr = nl.add_address(index, gw);
    if (!addr.ok() && addr.error().err != EEXIST) return std::move(addr).error().context("bridge " + name);
    TRY_CTX(nl.set_up(index), "bridge " + name);
    // As Docker: the host routes between its bridges and the world; 127.0.0.1 publishes reach
    // containers (loopback-sourced packets may leave through the bridge, then are masqueraded).
    auto fd = open_file("/proc/sys/net/ipv4/ip_forward", O_WRONLY);
    if (fd.ok()) (void)write_all(fd->get(), "1", 1);
    auto rl = open_file("/proc/sys/net/ipv4/conf/" + name + "/route_localnet", O_WRONLY);
    if (rl.ok()) (void)write_all(rl->get(), "1", 1);
    TRY(nft_ensure_base());
    return nft_run(nft_network_elements("add", name, subnet.str(), n.config.value("Internal", false)));
}

// Writes in place: the file is bind-mounted into running containers, so it must keep its inode.
Status write_in_place(const std::string& path, const std::string& text) {
    auto fd = TRY(open_file(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    return write_all(fd.get(), text.data(), text.size());
}

std::vector<std::string> strings(const Json& j) {
    std::vector<std::string> out;
    if (j.is_array())
        for (const auto& s : j) out.push_back(s.get<std::string>());
    return out;
}

// The container's /etc/hosts as it should be now: --add-host, the members of its user-defined
// networks that run, then itself.
Result<std::string> hosts_for(Store& store, const ContainerRow& row) {
    std::vector<HostsEntry> extra, own;
    for (const auto& value : strings(row.config["HostConfig"].value("ExtraHosts", Json::array()))) {
        auto h = parse_extra_host(value);
        if (!h) continue; // create checked them
        // Docker's host-gateway: the default bridge's address on the host.
        if (h->address == kHostGateway) {
            TRY(ensure_predefined_networks(store));
            h->address = TRY(resolve_network(store.db(), "bridge")).config.value("Gateway", "");
            if (h->address.empty()) return Error::invalid("unable to derive the IP value for host-gateway");
        }
        extra.push_back({h->address, {h->name}});
    }
    // Links: a start checks them (the linked container must run); a later rewrite keeps those
    // that still resolve.
    if (auto linked = linked_containers(store, row); linked.ok())
        for (auto& l : *linked) extra.push_back(std::move(l.hosts));
    const Json& c = row.config["Config"];
    std::string hostname = c.value("Hostname", "");
    std::vector<std::string> own_names = {hostname};
    if (!c.value("Domainname", "").empty()) own_names = {hostname + "." + c["Domainname"].get<std::string>(), hostname};
    std::set<std::string> listed;
    std::vector<EndpointRow> endpoints;
    if (has_endpoints(row)) endpoints = TRY(container_endpoints(store.db(), row.id));
    for (const auto& ep : endpoints) {
        if (ep.address.empty()) continue;
        if (listed.insert(ep.address).second) own.push_back({ep.address, own_names});
        auto n = TRY(network_by_id(store.db(), ep.network_id));
        if (!n || !user_defined(*n)) continue;
        for (const auto& peer : TRY(network_endpoints(store.db(), n->id))) {
            if (peer.container_id == row.id || peer.address.empty()) continue;
            auto prow = TRY(container_by_id(store.db(), peer.container_id));
            if (!prow) continue;
            std::vector<std::string> names = {prow->name};
            for (const auto& a : strings(peer.config.value("Aliases", Json::array())))
                if (a != prow->name) names.push_back(a);
            extra.push_back({peer.address, names});
        }
    }
    return hosts_file(extra, own);
}

// Other members of the container's user-defined networks learn that it came or went.
void refresh_peers(Store& store, const ContainerRow& row) {
    auto eps = container_endpoints(store.db(), row.id);
    if (!eps.ok()) return;
    std::set<std::string> done;
    for (const auto& ep : *eps) {
        auto n = network_by_id(store.db(), ep.network_id);
        if (!n.ok() || !*n || !user_defined(**n)) continue;
        auto peers = network_endpoints(store.db(), ep.network_id);
        if (!peers.ok()) continue;
        for (const auto& p : *peers) {
            if (p.container_id == row.id || p.address.empty() || !done.insert(p.container_id).second) continue;
            auto prow = container_by_id(store.db(), p.container_id);
            if (!prow.ok() || !*prow) continue;
            std::string path = container_dir(store, p.container_id) + "/hosts";
            if (!path_exists(path)) continue;
            auto text = hosts_for(store, **prow);
            if (text.ok()) (void)write_in_place(path, *text);
        }
    }
}

DnsOptions dns_options(const Json& hc) {
    return DnsOptions{strings(hc.value("Dns", Json::array())), strings(hc.value("DnsSearch", Json::array())),
                      strings(hc.value("DnsOptions", Json::array()))};
}

// Host ports other containers hold ("tcp/0.0.0.0/8080").
Result<std::set<std::string>> ports_in_use(Db& db, const std::string& except) {
    auto st = TRY(db.prepare("SELECT id, json_extract(state, '$.Ports') FROM containers WHERE json_extract(state, '$.Ports') IS NOT NULL"));
    std::set<std::string> used;
    while (TRY(st.step())) {
        if (st.text(0) == except) continue;
        Json ports = Json::parse(st.text(1), nullptr, false);
        if (!ports.is_object()) continue;
        for (auto& [key, binds] : ports.items()) {
            std::string proto = key.substr(key.find('/') + 1);
            if (binds.is_array())
                for (const auto& b : binds) used.insert(proto + "/" + b.value("HostIp", "") + "/" + b.value("HostPort", ""));
        }
    }
    return used;
}

bool conflicts(const std::set<std::string>& used, const std::string& proto, const std::string& ip, int port) {
    std::string p = std::to_string(port);
    if (used.count(proto + "/" + ip + "/" + p) || used.count(proto + "/0.0.0.0/" + p)) return true;
    if (ip == "0.0.0.0")
        for (const auto& u : used)
            if (u.rfind(proto + "/", 0) == 0 && u.size() > p.size() && u.compare(u.size() - p.size() - 1, std::string::npos, "/" + p) == 0) return true;
    return false;
}

// Whether a host process already listens there (NAT would silently steal its traffic).
bool host_port_free(const std::string& proto, const std::string& ip, int port) {
    UniqueFd s(::socket(AF_INET, (proto == "udp" ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC, 0));
    if (!s.valid()) return true;
    int one = 1;
    ::setsockopt(s.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(static_cast<uint16_t>(port));
    ::inet_pton(AF_INET, ip.c_str(), &sa.sin_addr);
    return ::bind(s.get(), reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0 || errno != EADDRINUSE;
}

// The published ports of a container about to start, host ports chosen where left open.
Result<std::pair<Json, std::vector<PortMapping>>> publish_ports(Db& db, const ContainerRow& row, const std::string& container_ip) {
    const Json& hc = row.config["HostConfig"];
    Json bindings = hc.value("PortBindings", Json::object());
    Json exposed = row.config["Config"].value("ExposedPorts", Json::object());
    if (hc.value("PublishAllPorts", false))
        for (auto& [port, _] : exposed.items())
            if (!bindings.contains(port)) bindings[port] = Json::array({Json{{"HostIp", ""}, {"HostPort", ""}}});
    Json ports = Json::object();
    std::vector<PortMapping> maps;
    if (bindings.empty()) return std::make_pair(ports, maps);
    auto used = TRY(ports_in_use(db, row.id));
    for (auto& [key, binds] : bindings.items()) {
        size_t slash = key.find('/');
        std::string proto = slash == std::string::npos ? "tcp" : key.substr(slash + 1);
        // An image's EXPOSE keys are its author's: a port that is no port is refused, not thrown.
        auto cport = parse_number<int>(key.substr(0, slash));
        if (!cport || *cport < 1 || *cport > 65535) return Error::invalid("invalid port \"" + key + "\"");
        for (const auto& b : binds) {
            PortMapping m;
            m.proto = proto;
            m.host_ip = b.value("HostIp", "");
            if (m.host_ip.empty()) m.host_ip = "0.0.0.0";
            m.container_ip = container_ip;
            m.container_port = *cport;
            std::string hp = b.value("HostPort", "");
            if (hp.empty()) {
                // Docker's ephemeral range; the first port nobody holds.
                for (int p = 49153; p <= 65535 && m.host_port == 0; ++p)
                    if (!conflicts(used, proto, m.host_ip, p) && host_port_free(proto, m.host_ip, p)) m.host_port = p;
                if (m.host_port == 0) return Error::conflict("no free host port for " + key);
            } else {
                m.host_port = parse_number<int>(hp).value_or(0);
                if (m.host_port < 1 || m.host_port > 65535) return Error::invalid("invalid host port \"" + hp + "\"");
                std::string where = m.host_ip + ":" + hp;
                if (conflicts(used, proto, m.host_ip, m.host_port))
                    return Error::conflict("Bind for " + where + " failed: port is already allocated");
                if (!host_port_free(proto, m.host_ip, m.host_port))
                    return Error::conflict("driver failed programming external connectivity on endpoint " + row.name +
                                           ": listen " + proto + "4 " + where + ": bind: address already in use");
            }
            used.insert(proto + "/" + m.host_ip + "/" + std::to_string(m.host_port));
            ports[key].push_back(Json{{"HostIp", m.host_ip}, {"HostPort", std::to_string(m.host_port)}});
            maps.push_back(m);
        }
    }
    return std::make_pair(ports, maps);
}

std::vector<PortMapping> mappings_of(const Json& ports, const std::string& container_ip) {
    std::vector<PortMapping> out;
    if (!ports.is_object()) return out;
    for (auto& [key, binds] : ports.items()) {
        size_t slash = key.find('/');
        if (!binds.is_array()) continue;
        for (const auto& b : binds) {
            PortMapping m;
            m.proto = slash == std::string::npos ? "tcp" : key.substr(slash + 1);
            m.host_ip = b.value("HostIp", "0.0.0.0");
            m.host_port = parse_number<int>(b.value("HostPort", "0")).value_or(0);
            m.container_ip = container_ip;
            m.container_port = parse_number<int>(key.substr(0, slash)).value_or(0);
            out.push_back(m);
        }
    }
    return out;
}

// Each line alone when the batch fails: a missing element must not keep the others.
void nft_delete_each(const std::string& script) {
    if (script.empty() || nft_run(script).ok()) return;
    size_t start = 0;
    while (start < script.size()) {
        size_t nl = script.find('\n', start);
        (void)nft_run(script.substr(start, nl - start));
        start = nl == std::string::npos ? script.size() : nl + 1;
    }
}

// The interface a container gets on network `n` for its endpoint `ep` (which has its address).
PlannedInterface planned_interface(const EndpointRow& ep, const NetworkRow& n, const std::string& name) {
    PlannedInterface itf;
    itf.bridge = n.config.value("Bridge", "");
    itf.host_veth = "veth" + random_hex(4).substr(0, 7);
    itf.name = name;
    itf.address = Ipv4Net{parse_ipv4(ep.address).value(), parse_ipv4_net(n.config.value("Subnet", "")).value().prefix};
    itf.gateway = parse_ipv4(n.config.value("Gateway", "")).value();
    itf.mac = ep.config.value("MacAddress", "");
    for (const auto& ip : ep.config.value("LinkLocalIPs", Json::array()))
        if (auto a = parse_ipv4(ip.get<std::string>()); a.ok()) itf.link_local.push_back(Ipv4Net{*a, 16});
    return itf;
}

// The container's hostname, hosts and resolv.conf: where they are mounted from (cn.etc) and
// what they hold (cn.etc_contents).
Status plan_etc_files(Store& store, const ContainerRow& row, const std::string& mode, ContainerNetworking& cn) {
    std::string dir = container_dir(store, row.id);
    const Json& hc = row.config["HostConfig"];
    if (mode.rfind("container:", 0) == 0) {
        auto other = TRY(resolve_container(store.db(), mode.substr(10)));
        std::string odir = container_dir(store, other.id);
        for (const char* f : {"hostname", "hosts", "resolv.conf"})
            if (path_exists(odir + "/" + f)) cn.etc.emplace_back(std::string("/etc/") + f, odir + "/" + f);
        return ok();
    }
    auto host_resolv_file = read_file("/etc/resolv.conf");
    std::string host_resolv = host_resolv_file.ok() ? *host_resolv_file : "";
    std::string hosts, resolv;
    if (mode == "host") {
        hosts = read_file("/etc/hosts").ok() ? read_file("/etc/hosts").value() : hosts_file({}, {});
        resolv = host_resolv;
    } else {
        hosts = TRY(hosts_for(store, row));
        resolv = resolv_conf(host_resolv, dns_options(hc));
    }
    cn.etc_contents = {{dir + "/hostname", row.config["Config"].value("Hostname", "") + "\n"}, {dir + "/hosts", hosts}, {dir + "/resolv.conf", resolv}};
    for (const char* f : {"hostname", "hosts", "resolv.conf"}) cn.etc.emplace_back(std::string("/etc/") + f, dir + "/" + f);
    return ok();
}

} // namespace

std::string endpoint_mac(const EndpointRow& ep) {
    if (ep.address.empty()) return "";
    unsigned char mac[6];
    if (!parse_mac(ep.config.value("MacAddress", ""), mac)) mac_for_ipv4(parse_ipv4(ep.address).value(), mac);
    return mac_str(mac);
}

Status join_at_create(Store& store, const ContainerRow& row) {
    std::string mode = mode_of(row);
    const Json& hc = row.config["HostConfig"];
    std::string mac = row.config["Config"].value("MacAddress", "");
    if (mode.rfind("container:", 0) == 0) {
        if (!mac.empty()) return Error::usage("conflicting options: mac-address and the network mode");
        if (!hc.value("PortBindings", Json::object()).empty())
            return Error::usage("conflicting options: port publishing and the container type network mode");
        auto other = TRY(resolve_container(store.db(), mode.substr(10)));
        (void)other;
        return ok();
    }
    // host and none take -p and publish nothing, as Docker's.
    if (!joins_networks(mode)) return ok();
    auto n = TRY(resolve_network(store.db(), mode));
    if (n.driver != "bridge") return Error::usage("container cannot be connected to network " + n.name);
    Json settings = endpoint_settings(row, mode);
    EndpointRow ep;
    ep.container_id = row.id;
    ep.network_id = n.id;
    ep.endpoint_id = random_hex(32);
    ep.config = Json{{"Aliases", settings.value("Aliases", Json::array())}, {"IfName", "eth0"}};
    if (!mac.empty()) ep.config["MacAddress"] = mac;
    TRY(take_ipam_config(n, settings.value("IPAMConfig", Json::object()), ep));
    if (!ep.config["Aliases"].empty() && !user_defined(n))
        return Error::usage("network-scoped aliases are only supported for user-defined networks");
    ep.address = TRY(lease_address(store.db(), n, ep));
    return insert_endpoint(store.db(), ep);
}

// prepare_networking up to writing the etc files.
static Result<ContainerNetworking> plan_networking(Store& store, const ContainerRow& row) {
    ContainerNetworking cn;
    std::string mode = mode_of(row);
    if (mode.rfind("container:", 0) == 0) {
        auto other = TRY(resolve_container(store.db(), mode.substr(10)));
        Json st = observe_state(store, other);
        if (st.value("Status", "") != "running" && st.value("Status", "") != "paused")
            return Error::conflict("cannot join network of a non running container: " + other.id);
        cn.netns_path = "/proc/" + std::to_string(st.value("Pid", 0)) + "/ns/net";
    }
    if (!joins_networks(mode)) {
        TRY(plan_etc_files(store, row, mode, cn));
        return cn;
    }
    std::vector<std::pair<EndpointRow, NetworkRow>> joined;
    std::vector<PortMapping> maps;
    auto lease_all = [&]() -> Status {
        auto tx = TRY(Transaction::begin(store.db()));
        for (auto& ep : TRY(container_endpoints(store.db(), row.id))) {
            auto n = TRY(network_by_id(store.db(), ep.network_id));
            if (!n) return Error::not_found("network " + ep.network_id + " not found");
            if (ep.address.empty()) {
                ep.address = TRY(lease_address(store.db(), *n, ep));
                TRY(set_endpoint_address(store.db(), row.id, n->id, ep.address));
            }
            joined.emplace_back(ep, *n);
        }
        if (!joined.empty()) {
            auto [ports, m] = TRY(publish_ports(store.db(), row, joined[0].first.address));
            cn.ports = ports;
            maps = m;
            auto fresh = TRY(container_by_id(store.db(), row.id));
            if (fresh && !ports.empty()) {
                Json s = fresh->state;
                s["Ports"] = ports;
                TRY(update_container_state(store.db(), row.id, s));
            }
        }
        return tx.commit();
    };
    if (auto st = lease_all(); !st.ok()) {
        // The lease made at create goes too: a container that did not start holds no address.
        (void)release_networking(store, row);
        return std::move(st).error();
    }
    auto fail = [&](Error e) -> Error {
        (void)release_networking(store, row);
        return e;
    };
    int i = 0;
    for (const auto& [ep, n] : joined) {
        if (auto st = ensure_bridge(n); !st.ok()) return fail(std::move(st).error());
        PlannedInterface itf = planned_interface(ep, n, ep.config.value("IfName", "eth" + std::to_string(i)));
        itf.default_route = i == 0 && !n.config.value("Internal", false);
        cn.interfaces.push_back(itf);
        ++i;
    }
    if (!maps.empty())
        if (auto st = nft_run(nft_port_elements("add", maps)); !st.ok()) return fail(std::move(st).error());
    if (auto st = plan_etc_files(store, row, mode, cn); !st.ok()) return fail(std::move(st).error());
    refresh_peers(store, row);
    return cn;
}

Status write_etc_contents(const ContainerNetworking& cn) {
    for (const auto& [path, text] : cn.etc_contents) TRY(write_in_place(path, text));
    return ok();
}

Result<ContainerNetworking> prepare_networking(Store& store, const ContainerRow& row, bool defer_etc) {
    ContainerNetworking cn = TRY(plan_networking(store, row));
    if (defer_etc) return cn;
    if (auto st = write_etc_contents(cn); !st.ok()) {
        (void)release_networking(store, row);
        return std::move(st).error();
    }
    cn.etc_contents.clear();
    return cn;
}

Status release_networking(Store& store, const ContainerRow& row) {
    if (!joins_networks(mode_of(row))) return ok(); // no lease, no published port: connect refuses these
    // The published ports' rules go before the record of them: a kouti killed in between leaves
    // the record, and the next release deletes again (a missing element is no error), where the
    // other order left rules nothing named any more.
    auto published = TRY(container_by_id(store.db(), row.id));
    if (!published) return ok();
    auto endpoints = TRY(container_endpoints(store.db(), row.id));
    Json published_ports = published->state.value("Ports", Json());
    if (!published_ports.is_null() && !endpoints.empty() && !endpoints[0].address.empty())
        nft_delete_each(nft_port_elements("delete", mappings_of(published_ports, endpoints[0].address)));
    {
        auto tx = TRY(Transaction::begin(store.db()));
        auto fresh = TRY(container_by_id(store.db(), row.id));
        if (!fresh) return ok();
        auto eps = TRY(container_endpoints(store.db(), row.id));
        bool leased = false;
        for (const auto& ep : eps)
            if (!ep.address.empty()) {
                leased = true;
                TRY(set_endpoint_address(store.db(), row.id, ep.network_id, ""));
            }
        bool had_ports = fresh->state.contains("Ports") && !fresh->state["Ports"].is_null();
        if (had_ports) {
            Json s = fresh->state;
            s.erase("Ports");
            TRY(update_container_state(store.db(), row.id, s));
        }
        if (!leased && !had_ports) return tx.commit();
        TRY(tx.commit());
    }
    refresh_peers(store, row);
    return ok();
}

std::string ports_summary(const Json& ports) {
    std::string out;
    if (!ports.is_object()) return out;
    for (auto& [key, binds] : ports.items()) {
        if (!binds.is_array()) continue;
        for (const auto& b : binds)
            out += (out.empty() ? "" : ", ") + b.value("HostIp", "0.0.0.0") + ":" + b.value("HostPort", "") + "->" + key;
    }
    return out;
}

Result<Json> network_settings(Store& store, const ContainerRow& row, const Json& state) {
    bool running = state.value("Running", false);
    Json ports = Json::object();
    Json exposed = row.config["Config"].value("ExposedPorts", Json::object()), published = state.value("Ports", Json::object());
    for (auto& [port, _] : exposed.items()) ports[port] = nullptr;
    if (running)
        for (auto& [port, binds] : published.items()) ports[port] = binds;
    Json networks = Json::object();
    std::string mode = mode_of(row);
    Json top{{"Bridge", ""}, {"SandboxID", running ? row.id : ""}, {"HairpinMode", false}, {"LinkLocalIPv6Address", ""},
             {"LinkLocalIPv6PrefixLen", 0}, {"Ports", ports}, {"SandboxKey", running ? "/proc/" + std::to_string(state.value("Pid", 0)) + "/ns/net" : ""},
             {"SecondaryIPAddresses", nullptr}, {"SecondaryIPv6Addresses", nullptr}, {"EndpointID", ""}, {"Gateway", ""},
             {"GlobalIPv6Address", ""}, {"GlobalIPv6PrefixLen", 0}, {"IPAddress", ""}, {"IPPrefixLen", 0}, {"IPv6Gateway", ""},
             {"MacAddress", ""}};
    if (!joins_networks(mode)) {
        if (mode == "host" || mode == "none") {
            auto n = resolve_network(store.db(), mode);
            networks[mode] = Json{{"IPAMConfig", nullptr}, {"Links", nullptr}, {"Aliases", nullptr}, {"NetworkID", n.ok() ? n->id : ""},
                                  {"EndpointID", ""}, {"Gateway", ""}, {"IPAddress", ""}, {"IPPrefixLen", 0}, {"IPv6Gateway", ""},
                                  {"GlobalIPv6Address", ""}, {"GlobalIPv6PrefixLen", 0}, {"MacAddress", ""}, {"DriverOpts", nullptr}};
        }
        top["Networks"] = networks;
        return top;
    }
    bool first = true;
    for (const auto& ep : TRY(container_endpoints(store.db(), row.id))) {
        auto n = TRY(network_by_id(store.db(), ep.network_id));
        if (!n) continue;
        std::string ip = running ? ep.address : "";
        int prefix = 0;
        std::string mac, gateway;
        if (!ip.empty()) {
            prefix = parse_ipv4_net(n->config.value("Subnet", "")).value().prefix;
            mac = endpoint_mac(ep);
            gateway = n->config.value("Gateway", "");
        }
        Json aliases = ep.config.value("Aliases", Json::array());
        if (user_defined(*n)) aliases.push_back(row.id.substr(0, 12));
        Json ipam;
        if (!ep.config.value("IPv4Address", "").empty()) ipam["IPv4Address"] = ep.config["IPv4Address"];
        if (ep.config.contains("LinkLocalIPs")) ipam["LinkLocalIPs"] = ep.config["LinkLocalIPs"];
        networks[n->name] = Json{{"IPAMConfig", ipam}, {"Links", nullptr}, {"Aliases", user_defined(*n) ? aliases : Json()},
                                 {"NetworkID", n->id}, {"EndpointID", running ? ep.endpoint_id : ""}, {"Gateway", gateway},
                                 {"IPAddress", ip}, {"IPPrefixLen", prefix}, {"IPv6Gateway", ""}, {"GlobalIPv6Address", ""},
                                 {"GlobalIPv6PrefixLen", 0}, {"MacAddress", mac}, {"DriverOpts", nullptr}};
        if (first && n->name == "bridge") {
            top["Bridge"] = running ? n->config.value("Bridge", "") : "";
            top["EndpointID"] = running ? ep.endpoint_id : "";
            top["Gateway"] = gateway;
            top["IPAddress"] = ip;
            top["IPPrefixLen"] = prefix;
            top["MacAddress"] = mac;
        }
        first = false;
    }
    top["Networks"] = networks;
    return top;
}

Status connect_network(Store& store, const std::string& network, const std::string& container, const EndpointRequest& request) {
    TRY(ensure_predefined_networks(store));
    auto row = TRY(sync_container(store, TRY(resolve_container(store.db(), container)).id));
    auto n = TRY(resolve_network(store.db(), network));
    std::string mode = mode_of(row);
    if (!joins_networks(mode)) return Error::usage("container cannot be disconnected from host network or connected to host network");
    if (n.driver != "bridge") return Error::usage("container cannot be disconnected from host network or connected to host network");
    EndpointRow ep;
    ep.container_id = row.id;
    ep.network_id = n.id;
    ep.endpoint_id = random_hex(32);
    bool running = row.state.value("Running", false);
    std::string ifname;
    {
        auto tx = TRY(Transaction::begin(store.db()));
        auto eps = TRY(container_endpoints(store.db(), row.id));
        for (const auto& e : eps)
            if (e.network_id == n.id)
                return Error::conflict("endpoint with name " + row.name + " already exists in network " + n.name);
        ifname = "eth" + std::to_string(eps.size());
        ep.config = Json{{"Aliases", request.aliases}, {"IfName", ifname}};
        Json ipam = Json::object();
        if (!request.ip.empty()) ipam["IPv4Address"] = request.ip;
        if (!request.ip6.empty()) ipam["IPv6Address"] = request.ip6;
        if (!request.link_local.empty()) ipam["LinkLocalIPs"] = request.link_local;
        TRY(take_ipam_config(n, ipam, ep));
        if (running) ep.address = TRY(lease_address(store.db(), n, ep));
        TRY(insert_endpoint(store.db(), ep));
        TRY(record_event(store.db(), "network", "connect", n.id, Json{{"name", n.name}, {"container", row.id}, {"type", "bridge"}}));
        TRY(tx.commit());
    }
    if (!running) return ok();
    auto undo = [&](Error e) -> Error {
        auto tx = Transaction::begin(store.db());
        if (tx.ok()) {
            (void)delete_endpoint(store.db(), row.id, n.id);
            (void)tx->commit();
        }
        return e;
    };
    if (auto st = ensure_bridge(n); !st.ok()) return undo(std::move(st).error());
    PlannedInterface itf = planned_interface(ep, n, ifname);
    if (auto st = join_networks(row.state.value("Pid", 0), {itf}); !st.ok()) return undo(std::move(st).error());
    std::string hosts = container_dir(store, row.id) + "/hosts";
    if (auto text = hosts_for(store, row); text.ok()) (void)write_in_place(hosts, *text);
    refresh_peers(store, row);
    return ok();
}

Status disconnect_network(Store& store, const std::string& network, const std::string& container, bool force) {
    (void)force;
    auto row = TRY(sync_container(store, TRY(resolve_container(store.db(), container)).id));
    auto n = TRY(resolve_network(store.db(), network));
    auto eps = TRY(container_endpoints(store.db(), row.id));
    const EndpointRow* found = nullptr;
    for (const auto& e : eps)
        if (e.network_id == n.id) found = &e;
    if (!found) return Error::conflict("container " + row.id + " is not connected to network " + n.name);
    if (row.state.value("Running", false))
        TRY(leave_network(row.state.value("Pid", 0), found->config.value("IfName", "eth0")));
    {
        auto tx = TRY(Transaction::begin(store.db()));
        TRY(set_endpoint_address(store.db(), row.id, n.id, ""));
        TRY(tx.commit());
    }
    refresh_peers(store, row);
    auto tx = TRY(Transaction::begin(store.db()));
    TRY(delete_endpoint(store.db(), row.id, n.id));
    TRY(record_event(store.db(), "network", "disconnect", n.id, Json{{"name", n.name}, {"container", row.id}, {"type", "bridge"}}));
    TRY(tx.commit());
    if (row.state.value("Running", false)) {
        std::string hosts = container_dir(store, row.id) + "/hosts";
        if (auto text = hosts_for(store, row); text.ok()) (void)write_in_place(hosts, *text);
    }
    return ok();
}

} // namespace kouti
