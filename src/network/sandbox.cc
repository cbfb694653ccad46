#include "network/sandbox.h"

#include <fcntl.h>

#include "sys/fd.h"

namespace kouti {

Json PlannedInterface::to_json() const {
    Json j{{"bridge", bridge}, {"host_veth", host_veth}, {"name", name}, {"address", address.str()},
                {"gateway", gateway ? ipv4_str(gateway) : ""}, {"default_route", default_route}, {"mac", mac}};
    if (!link_local.empty()) {
        Json ips = Json::array();
        for (const auto& l : link_local) ips.push_back(l.str());
        j["link_local"] = ips;
    }
    return j;
}

Result<PlannedInterface> PlannedInterface::from_json(const Json& j) {
    PlannedInterface p;
    p.bridge = j.value("bridge", "");
    p.host_veth = j.value("host_veth", "");
    p.name = j.value("name", "");
    p.address = TRY(parse_ipv4_net(j.value("address", "")));
    std::string gw = j.value("gateway", "");
    if (!gw.empty()) p.gateway = TRY(parse_ipv4(gw));
    p.default_route = j.value("default_route", false);
    p.mac = j.value("mac", "");
    for (const auto& l : j.value("link_local", Json::array())) p.link_local.push_back(TRY(parse_ipv4_net(l.get<std::string>())));
    return p;
}

namespace {

Result<UniqueFd> open_netns(pid_t pid) {
    UniqueFd fd(::open(("/proc/" + std::to_string(pid) + "/ns/net").c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid()) return Error::from_syscall("open the container's network namespace");
    return fd;
}

} // namespace

Status join_networks(pid_t pid, const std::vector<PlannedInterface>& interfaces) {
    if (interfaces.empty()) return ok();
    UniqueFd ns = TRY(open_netns(pid));
    return join_networks_at(ns.get(), interfaces);
}

Status join_networks_at(int netns_fd, const std::vector<PlannedInterface>& interfaces) {
    if (interfaces.empty()) return ok();
    Netlink host = TRY(Netlink::open());
    Netlink inside = TRY(Netlink::open_in(netns_fd));
    for (const auto& itf : interfaces) {
        int bridge = TRY(host.link_index(itf.bridge));
        if (bridge == 0) return Error::not_found("bridge " + itf.bridge + " is gone");
        unsigned char mac[6];
        if (itf.mac.empty()) mac_for_ipv4(itf.address.addr, mac);
        else if (!parse_mac(itf.mac, mac)) return Error::invalid(itf.mac + " is not a valid mac address");
        TRY_CTX(host.create_veth(itf.host_veth, bridge, itf.name, netns_fd, mac), itf.host_veth);
        int index = TRY(inside.link_index(itf.name));
        if (index == 0) return Error::internal("interface " + itf.name + " did not appear in the container");
        TRY_CTX(inside.add_address(index, itf.address), itf.name);
        for (const auto& l : itf.link_local) TRY_CTX(inside.add_address(index, l), itf.name + " link-local " + l.str());
        TRY_CTX(inside.set_up(index), itf.name);
        if (itf.default_route && itf.gateway) TRY_CTX(inside.add_default_route(itf.gateway, index), itf.name);
    }
    return ok();
}

Status leave_network(pid_t pid, const std::string& name) {
    UniqueFd ns = TRY(open_netns(pid));
    Netlink inside = TRY(Netlink::open_in(ns.get()));
    int index = TRY(inside.link_index(name));
    if (index == 0) return ok();
    return inside.delete_link(index);
}

} // namespace kouti
