#include "engine/links.h"

#include <algorithm>

#include "engine/containers.h"
#include "store/networks.h"

namespace kouti {
namespace {

struct Port {
    int number = 0;
    std::string proto;
};

std::string upper(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return s;
}

// "/child:/parent/alias" or "child[:alias]" as (child, alias).
std::pair<std::string, std::string> split_link(const std::string& link) {
    auto colon = link.find(':');
    std::string child = link.substr(0, colon), alias = colon == std::string::npos ? child : link.substr(colon + 1);
    if (!child.empty() && child[0] == '/') child.erase(0, 1);
    alias = alias.substr(alias.rfind('/') + 1);
    return {child, alias};
}

} // namespace

Status check_link_flags(const std::vector<std::string>& links) {
    for (const auto& l : links) {
        if (l.empty()) return Error::usage("invalid argument \"\" for \"--link\" flag: empty string specified for links");
        if (std::count(l.begin(), l.end(), ':') > 1) return Error::usage("invalid argument \"" + l + "\" for \"--link\" flag: bad format for links: " + l);
    }
    return ok();
}

Result<std::vector<std::pair<std::string, std::string>>> resolve_links(Db& db, const Json& hc) {
    std::vector<std::pair<std::string, std::string>> out;
    Json links = hc.value("Links", Json::array());
    if (!links.is_array() || links.empty()) return out;
    std::string mode = hc.value("NetworkMode", "bridge");
    if (mode == "host") return Error::usage("conflicting options: host type networking can't be used with links. This would result in undefined behavior");
    if (mode.rfind("container:", 0) == 0) return Error::usage("conflicting options: container type network can't be used with links");
    for (const auto& l : links) {
        auto [child, alias] = split_link(l.get<std::string>());
        auto found = resolve_container(db, child);
        if (!found.ok()) return Error::not_found("could not get container for " + child + ": " + found.error().message);
        out.emplace_back(found->name, alias);
    }
    return out;
}

Json stored_links(const std::vector<std::pair<std::string, std::string>>& links, const std::string& parent_name) {
    Json out = Json::array();
    for (const auto& [child, alias] : links) out.push_back("/" + child + ":/" + parent_name + "/" + alias);
    return links.empty() ? Json() : out;
}

Result<std::vector<LinkedContainer>> linked_containers(Store& store, const ContainerRow& row) {
    std::vector<LinkedContainer> out;
    Json links = row.config["HostConfig"].value("Links", Json::array());
    if (!links.is_array()) return out;
    for (const auto& l : links) {
        auto [child_name, alias] = split_link(l.get<std::string>());
        std::string link_name = "/" + row.name + "/" + alias;
        Error not_running = Error::conflict("Cannot link to a non running container: /" + child_name + " AS " + link_name);
        auto found = resolve_container(store.db(), child_name);
        if (!found.ok()) return not_running;
        const ContainerRow& child = *found;
        // Observed, not synced: this runs inside other transactions (a peer's hosts rewrite).
        if (observe_state(store, child).value("Status", "") != "running") return not_running;
        std::string ip;
        for (const auto& ep : TRY(container_endpoints(store.db(), child.id)))
            if (!ep.address.empty()) {
                ip = ep.address;
                break;
            }
        if (ip.empty()) return Error::conflict("Cannot link to /" + child_name + ", as it does not belong to the default network");
        const Json& cc = child.config["Config"];
        LinkedContainer lc;
        lc.hosts.address = ip;
        lc.hosts.names = {alias, cc.value("Hostname", "")};
        if (alias != child.name) lc.hosts.names.push_back(child.name);
        lc.env = link_env(link_name, ip, cc.value("ExposedPorts", Json::object()), cc.value("Env", Json::array()));
        out.push_back(std::move(lc));
    }
    return out;
}

std::vector<std::string> link_env(const std::string& link_name, const std::string& ip, const Json& exposed, const Json& child_env) {
    std::string alias = upper(link_name.substr(link_name.rfind('/') + 1));
    std::replace(alias.begin(), alias.end(), '-', '_');
    std::vector<Port> ports;
    if (exposed.is_object())
        for (auto& [k, v] : exposed.items()) {
            auto slash = k.find('/');
            ports.push_back({std::atoi(k.c_str()), slash == std::string::npos ? "tcp" : k.substr(slash + 1)});
        }
    // Docker's order: by number, tcp first of the same number; the first is ALIAS_PORT.
    std::sort(ports.begin(), ports.end(), [](const Port& a, const Port& b) {
        return a.number < b.number || (a.number == b.number && a.proto == "tcp" && b.proto != "tcp");
    });
    std::vector<std::string> env;
    auto url = [&](const Port& p) { return p.proto + "://" + ip + ":" + std::to_string(p.number); };
    auto prefix = [&](const Port& p) { return alias + "_PORT_" + std::to_string(p.number) + "_" + upper(p.proto); };
    if (!ports.empty()) env.push_back(alias + "_PORT=" + url(ports[0]));
    // A run of consecutive ports is also given as a range.
    for (size_t i = 0; i < ports.size();) {
        size_t j = i;
        while (j + 1 < ports.size() && ports[j + 1].number == ports[j].number + 1) ++j;
        if (j > i + 1) { // three or more, as Docker counts a range
            const Port &p = ports[i], &q = ports[j];
            env.push_back(prefix(p) + "_START=" + url(p));
            env.push_back(prefix(p) + "_ADDR=" + ip);
            env.push_back(prefix(p) + "_PROTO=" + p.proto);
            env.push_back(prefix(p) + "_PORT_START=" + std::to_string(p.number));
            env.push_back(alias + "_PORT_" + std::to_string(p.number) + "_" + upper(q.proto) + "_END=" + url(q));
            env.push_back(alias + "_PORT_" + std::to_string(p.number) + "_" + upper(q.proto) + "_PORT_END=" + std::to_string(q.number));
            i = j + 1;
            continue;
        }
        ++i;
    }
    for (const auto& p : ports) {
        env.push_back(prefix(p) + "=" + url(p));
        env.push_back(prefix(p) + "_ADDR=" + ip);
        env.push_back(prefix(p) + "_PORT=" + std::to_string(p.number));
        env.push_back(prefix(p) + "_PROTO=" + p.proto);
    }
    env.push_back(alias + "_NAME=" + link_name);
    if (child_env.is_array())
        for (const auto& e : child_env) {
            std::string s = e.get<std::string>();
            auto eq = s.find('=');
            if (eq == std::string::npos) continue;
            std::string name = s.substr(0, eq);
            if (name == "HOME" || name == "PATH") continue;
            env.push_back(alias + "_ENV_" + name + "=" + s.substr(eq + 1));
        }
    return env;
}

} // namespace kouti
