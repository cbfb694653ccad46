// The create/run flags few use: GPUs, storage options, real-time CPU time, IPv6 and link-local
// addresses, and those kouti takes only to refuse them as Docker does on a Linux host.
#include <arpa/inet.h>

#include <algorithm>

#include "cli/create_flags.h"
#include "util/numbers.h"

namespace kouti {

namespace {

// One CSV record, as Go's encoding/csv reads the docker CLI's --gpus value: commas split,
// double quotes group ("device=0,1" stays one field).
Result<std::vector<std::string>> csv_fields(const std::string& s) {
    std::vector<std::string> out(1);
    bool quoted = false;
    for (size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (quoted) {
            if (c == '"' && i + 1 < s.size() && s[i + 1] == '"') out.back() += s[++i];
            else if (c == '"') quoted = false;
            else out.back() += c;
        } else if (c == '"' && out.back().empty()) {
            quoted = true;
        } else if (c == ',') {
            out.emplace_back();
        } else {
            out.back() += c;
        }
    }
    if (quoted) return Error::usage("parse error on line 1, column " + std::to_string(s.size() + 1) + ": extraneous or missing \" in quoted-field");
    return out;
}

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    size_t at = 0;
    while (true) {
        size_t next = s.find(sep, at);
        out.push_back(s.substr(at, next == std::string::npos ? std::string::npos : next - at));
        if (next == std::string::npos) return out;
        at = next + 1;
    }
}

Result<int64_t> gpu_count(const std::string& s) {
    if (s == "all") return int64_t{-1};
    auto n = parse_number<int64_t>(s);
    if (!n) return Error::usage("invalid count (" + s + "): value must be either \"all\" or an integer: invalid syntax");
    return *n;
}

// One --gpus value as the docker CLI's GpuOpts makes a DeviceRequest of it.
Result<Json> gpu_request(const std::string& value) {
    Json req = {{"Driver", ""}, {"Count", 0}, {"DeviceIDs", nullptr}, {"Capabilities", nullptr}, {"Options", Json::object()}};
    std::vector<std::string> seen;
    for (const auto& field : TRY(csv_fields(value))) {
        auto eq = field.find('=');
        std::string key = field.substr(0, eq), val = eq == std::string::npos ? "" : field.substr(eq + 1);
        if (std::find(seen.begin(), seen.end(), key) != seen.end())
            return Error::usage("gpu request key '" + key + "' can be specified only once");
        seen.push_back(key);
        if (eq == std::string::npos) {
            seen.push_back("count");
            req["Count"] = TRY(gpu_count(key));
        } else if (key == "driver") {
            req["Driver"] = val;
        } else if (key == "count") {
            req["Count"] = TRY(gpu_count(val));
        } else if (key == "device") {
            req["DeviceIDs"] = split(val, ',');
        } else if (key == "capabilities") {
            auto caps = split(val, ',');
            caps.push_back("gpu");
            req["Capabilities"] = Json::array({caps});
        } else if (key == "options") {
            req["Options"] = key_value_map(TRY(csv_fields(val)));
        } else {
            return Error::usage("unexpected key '" + key + "' in '" + field + "'");
        }
    }
    if (std::find(seen.begin(), seen.end(), "count") == seen.end() && req["DeviceIDs"].is_null()) req["Count"] = 1;
    if (req["Capabilities"].is_null()) req["Capabilities"] = Json::array({Json::array({"gpu"})});
    return req;
}

bool parses_as(int family, const std::string& s) {
    unsigned char buf[16];
    return ::inet_pton(family, s.c_str(), buf) == 1;
}

} // namespace

Result<std::vector<std::string>> check_link_local_ips(const std::vector<std::string>& ips) {
    bool all_parse = std::all_of(ips.begin(), ips.end(), [](const std::string& ip) { return parses_as(AF_INET, ip) || parses_as(AF_INET6, ip); });
    if (!all_parse) {
        std::string list;
        for (const auto& ip : ips) list += (list.empty() ? "" : " ") + ip;
        return Error::invalid("Invalid link-local IP address: [" + list + "]");
    }
    for (const auto& ip : ips) {
        if (parses_as(AF_INET6, ip)) {
            unsigned char b[16];
            ::inet_pton(AF_INET6, ip.c_str(), b);
            if (b[0] != 0xfe || (b[1] & 0xc0) != 0x80) return Error::invalid("invalid link local IP address: " + ip);
            // kouti's networks are IPv4 only, so far; an address it would not give is refused.
            return Error::invalid("link-local IP address " + ip + ": kouti's networks have no IPv6 yet");
        }
        if (ip.rfind("169.254.", 0) != 0) return Error::invalid("invalid link local IP address: " + ip);
    }
    return ips;
}

Status check_ipv6_address(const std::string& ip6) {
    if (!parses_as(AF_INET6, ip6)) return Error::invalid("invalid IPv6 address: " + ip6);
    return ok();
}

Status rare_create_flags(const Args& a, CreateRequest& r) {
    // Docker's Windows-only flags: the docker CLI refuses them itself against a Linux daemon.
    for (const char* windows_only : {"cpu-count", "cpu-percent", "io-maxbandwidth", "io-maxiops"})
        if (a.has(windows_only)) {
            Error e = Error::usage(std::string("\"--") + windows_only +
                                   "\" is only supported on a Docker daemon running on windows, but the Docker daemon is running on linux");
            e.exit_status = 1;
            return e;
        }
    if (a.flag("use-api-socket"))
        return Error::usage("--use-api-socket: kouti serves no Engine API socket to share with the container");
    Json& hc = r.host_config;
    Json requests = Json::array();
    for (const auto& g : a.values("gpus")) {
        auto req = gpu_request(g);
        if (!req.ok()) return Error::usage("invalid argument \"" + g + "\" for \"--gpus\" flag: " + req.error().message);
        requests.push_back(*req);
    }
    if (!requests.empty()) hc["DeviceRequests"] = requests;
    Json storage = Json::object();
    for (const auto& o : a.values("storage-opt")) {
        auto eq = o.find('=');
        if (eq == std::string::npos) return Error::usage("invalid storage option");
        storage[o.substr(0, eq)] = o.substr(eq + 1);
    }
    if (!storage.empty()) hc["StorageOpt"] = storage;
    hc["CpuRealtimePeriod"] = a.int_value("cpu-rt-period", 0);
    hc["CpuRealtimeRuntime"] = a.int_value("cpu-rt-runtime", 0);
    if (a.has("kernel-memory")) {
        // Docker's daemon has ignored it since kernels dropped kmem limits; it only warns.
        hc["KernelMemory"] = TRY(parse_ram(a.value("kernel-memory")));
        r.warnings.push_back("Specifying a kernel memory limit is deprecated and will be removed in a future release.");
    }
    auto link_local = TRY(check_link_local_ips(a.values("link-local-ip")));
    std::string ip6 = a.value("ip6");
    if (!ip6.empty()) TRY(check_ipv6_address(ip6));
    if (!link_local.empty() || !ip6.empty()) {
        std::string net = r.host_config.value("NetworkMode", "bridge");
        Json& endpoints = r.networking_config["EndpointsConfig"];
        Json& ipam = endpoints[net]["IPAMConfig"];
        if (!ipam.is_object()) ipam = Json::object();
        if (!ip6.empty()) ipam["IPv6Address"] = ip6;
        if (!link_local.empty()) ipam["LinkLocalIPs"] = link_local;
    }
    return ok();
}

} // namespace kouti
