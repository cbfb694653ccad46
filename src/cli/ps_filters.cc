#include "cli/ps_filters.h"

#include <algorithm>
#include <map>
#include <regex>

#include "engine/images.h"
#include "store/containers.h"
#include "store/images.h"
#include "store/networks.h"
#include "util/label_filter.h"

namespace kouti {
namespace {

// "80", "80/udp", "8000-8080/tcp" as the "port/proto" keys Docker's configs use.
Result<std::vector<std::string>> port_keys(const std::string& key, const std::string& value) {
    auto slash = value.find('/');
    std::string range = value.substr(0, slash), proto = slash == std::string::npos ? "tcp" : value.substr(slash + 1);
    auto dash = range.find('-');
    char* end = nullptr;
    unsigned long first = std::strtoul(range.c_str(), &end, 10), last = first;
    bool bad = range.empty() || (*end != '\0' && *end != '-');
    if (!bad && dash != std::string::npos) {
        std::string upper = range.substr(dash + 1);
        last = std::strtoul(upper.c_str(), &end, 10);
        bad = upper.empty() || *end != '\0';
    }
    if (bad || first == 0 || last > 65535 || last < first || (proto != "tcp" && proto != "udp" && proto != "sctp"))
        return Error::invalid("Invalid filter '" + key + "=" + value + "'");
    std::vector<std::string> out;
    for (unsigned long p = first; p <= last; ++p) out.push_back(std::to_string(p) + "/" + proto);
    return out;
}

// What volume= matches, as Docker's: each mount's volume name (or source) and destination.
std::set<std::string> volume_filter_keys(const Store& store, const Json& container_config) {
    std::set<std::string> out;
    for (const auto& m : mount_points(store.root(), container_config)) {
        out.insert(m.contains("Name") ? m.value("Name", "") : m.value("Source", ""));
        out.insert(m.value("Destination", ""));
    }
    out.erase("");
    return out;
}

bool has_port(const Json& ports, const std::set<std::string>& wanted) {
    if (!ports.is_object()) return false;
    for (auto& [k, v] : ports.items())
        if (wanted.count(k)) return true;
    return false;
}

} // namespace

Result<PsFilters> PsFilters::parse(Store& store, const std::vector<std::string>& raw) {
    PsFilters out;
    static const std::set<std::string> known = {"status", "name",   "id",      "ancestor", "label",  "exited", "health",
                                                "before", "since",  "volume",  "network",  "publish", "expose"};
    for (const auto& f : raw) {
        auto eq = f.find('=');
        if (eq == std::string::npos) return Error::usage("bad format of filter (expected name=value)");
        PsFilter p{f.substr(0, eq), f.substr(eq + 1)};
        if (!known.count(p.key)) return Error::invalid("Invalid filter '" + p.key + "'");
        if (p.key == "status") {
            static const std::set<std::string> states = {"created", "restarting", "running", "removing", "paused", "exited", "dead"};
            if (!states.count(p.value)) return Error::invalid("Invalid filter 'status=" + p.value + "'");
        }
        if (p.key == "health" && p.value != "starting" && p.value != "healthy" && p.value != "unhealthy" && p.value != "none")
            return Error::invalid("Unrecognised filter value for health: " + p.value);
        if (p.key == "before" || p.key == "since") {
            auto c = resolve_container(store.db(), p.value);
            if (!c.ok()) return Error::invalid(c.error().message); // "No such container: x", status 1
            (p.key == "before" ? out.m_before : out.m_since) = c->id;
        }
        if (p.key == "publish" || p.key == "expose")
            for (auto& k : TRY(port_keys(p.key, p.value))) (p.key == "publish" ? out.m_published : out.m_exposed).insert(k);
        if (p.key == "ancestor") {
            auto img = resolve_image(store.db(), p.value);
            if (img.ok()) {
                std::vector<std::string> todo = {img->id};
                while (!todo.empty()) {
                    std::string id = todo.back();
                    todo.pop_back();
                    if (!out.m_ancestors.insert(id).second) continue;
                    auto kids = image_children(store.db(), id);
                    if (kids.ok()) todo.insert(todo.end(), kids->begin(), kids->end());
                }
            }
        }
        out.m_filters.push_back(p);
    }
    return out;
}

bool PsFilters::has(const std::string& key) const {
    for (const auto& f : m_filters)
        if (f.key == key) return true;
    return false;
}

bool PsFilters::needs_config() const { return has("volume") || has("network") || has("publish") || has("expose"); }

Result<bool> PsFilters::matches(Store& store, const PsRow& row, const ContainerRow* full) const {
    std::map<std::string, bool> by_key;
    std::set<std::string> mounts, networks;
    if (full && has("volume")) mounts = volume_filter_keys(store, full->config);
    if (full && has("network")) {
        std::string mode = full->config.value("HostConfig", Json::object()).value("NetworkMode", "");
        if (mode == "host" || mode == "none") networks.insert(mode);
        for (const auto& ep : TRY(container_endpoints(store.db(), full->id))) {
            networks.insert(ep.network_id);
            if (auto n = TRY(network_by_id(store.db(), ep.network_id))) networks.insert(n->name);
        }
    }
    for (const auto& f : m_filters) {
        bool m = false;
        if (f.key == "status") m = row.state == f.value;
        else if (f.key == "name") m = std::regex_search(row.names, std::regex(f.value));
        else if (f.key == "id") m = row.full_id.rfind(f.value, 0) == 0;
        else if (f.key == "exited") m = row.state == "exited" && std::to_string(row.exit_code) == f.value;
        else if (f.key == "ancestor") m = m_ancestors.count(row.image_id) > 0;
        else if (f.key == "health") m = row.health == f.value;
        else if (f.key == "label") m = label_filter_matches(row.label_map, f.value);
        else if (f.key == "before" || f.key == "since") {
            m = true; // by position, in the caller's listing
        } else if (f.key == "volume") {
            m = mounts.count(f.value) > 0;
        } else if (f.key == "network") {
            m = networks.count(f.value) > 0 ||
                std::any_of(networks.begin(), networks.end(), [&](const std::string& n) { return n.size() == 64 && n.rfind(f.value, 0) == 0; });
        } else if (f.key == "publish") {
            m = full && has_port(full->config.value("HostConfig", Json::object()).value("PortBindings", Json::object()), m_published);
        } else if (f.key == "expose") {
            m = full && has_port(full->config.value("Config", Json::object()).value("ExposedPorts", Json::object()), m_exposed);
        }
        by_key[f.key] = by_key[f.key] || m;
    }
    for (const auto& [k, m] : by_key)
        if (!m) return false;
    return true;
}

} // namespace kouti
