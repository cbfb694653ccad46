// The checks of create/run's flag values that Docker makes before it creates anything, in its
// words: the docker CLI's value validators (pflag's `invalid argument "v" for "-e, --env" flag:
// ...`), the checks of its parse(), and the daemon's of paths and ranges that the runtime
// would otherwise refuse at start, with a message about config.json.
#include <algorithm>
#include <cctype>
#include <set>
#include <string>

#include "cli/create_flags.h"
#include "network/etc_files.h"
#include "network/publish.h"
#include "sys/fs.h"
#include "util/humanize.h"
#include "util/numbers.h"

namespace kouti {
namespace {

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

bool absolute(const std::string& p) { return !p.empty() && p[0] == '/'; }

// parsers.ParseUintList: "0-2,4"; the numbers it names, or nullopt where the docker daemon
// says "invalid format".
std::optional<std::set<int64_t>> parse_uint_list(const std::string& list) {
    std::set<int64_t> out;
    if (list.empty()) return out;
    size_t start = 0;
    while (start <= list.size()) {
        size_t comma = list.find(',', start);
        std::string r = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        size_t dash = r.find('-');
        auto lo = parse_number<int64_t>(r.substr(0, dash));
        auto hi = dash == std::string::npos ? lo : parse_number<int64_t>(r.substr(dash + 1));
        if (!lo || !hi || *hi < *lo || *hi - *lo > 1 << 16) return std::nullopt;
        for (int64_t v = *lo; v <= *hi; ++v) out.insert(v);
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return out;
}

// --cpuset-cpus and --cpuset-mems against what the machine has online, as the daemon checks
// them against its root cpuset.
Status check_cpuset(const std::string& value, const char* what, const char* unavailable, const std::string& online_file) {
    if (value.empty()) return ok();
    auto wanted = parse_uint_list(value);
    if (!wanted) return Error::usage("Invalid value " + value + " for cpuset " + what + ": invalid format: " + value);
    auto text = read_file(online_file);
    std::string online = text.ok() ? *text : "";
    while (!online.empty() && std::isspace(static_cast<unsigned char>(online.back()))) online.pop_back();
    auto have = parse_uint_list(online);
    if (!have || have->empty()) return ok(); // nothing to compare with: the kernel will say
    for (int64_t v : *wanted)
        if (!have->count(v)) return Error::usage(std::string("Requested ") + unavailable + " are not available - requested " + value + ", available: " + online);
    return ok();
}

// validateLinuxPath with validDeviceMode, then parseLinuxDevice: --device HOST[:CONTAINER][:MODE].
Result<Json> parse_device(const std::string& value) {
    auto valid_mode = [](const std::string& m) {
        if (m.empty()) return false;
        std::set<char> seen;
        for (char c : m)
            if ((c != 'r' && c != 'w' && c != 'm') || !seen.insert(c).second) return false;
        return true;
    };
    std::vector<std::string> parts;
    size_t start = 0;
    for (size_t colon; (colon = value.find(':', start)) != std::string::npos; start = colon + 1) parts.push_back(value.substr(start, colon - start));
    parts.push_back(value.substr(start));
    if (parts.size() > 3 || parts[0].empty()) return Error::usage("bad format for path: " + value);
    std::string host = parts[0], container = parts[0], mode = "rwm";
    if (parts.size() == 2) {
        if (valid_mode(parts[1])) mode = parts[1];
        else container = parts[1];
    } else if (parts.size() == 3) {
        if (!valid_mode(parts[2])) return Error::usage("bad mode specified: " + parts[2]);
        container = parts[1];
        mode = parts[2];
    }
    if (!absolute(container)) return Error::usage(container + " is not an absolute path");
    return Json{{"PathOnHost", host}, {"PathInContainer", container}, {"CgroupPermissions", mode}};
}

} // namespace

Result<std::vector<std::string>> attach_streams(const Args& a) {
    std::vector<std::string> streams;
    for (const auto& v : a.values("attach")) {
        std::string s = lower(v);
        if (s != "stdin" && s != "stdout" && s != "stderr") return invalid_flag_value("-a, --attach", v, "valid streams are STDIN, STDOUT and STDERR");
        streams.push_back(s);
    }
    return streams;
}

Result<Json> device_mappings(const Args& a) {
    Json devices = Json::array();
    for (const auto& d : a.values("device")) devices.push_back(TRY(parse_device(d)));
    return devices;
}

Result<Json> exposed_ports(const Args& a) {
    Json exposed = Json::object();
    for (const auto& e : a.values("expose"))
        for (const auto& p : TRY(parse_expose(e))) exposed[p] = Json::object();
    return exposed;
}

Status check_create_flag_values(const Args& a) {
    // The docker CLI's value validators, which run as the flags are parsed.
    // (-e's validator is in env_from_flags, which exec shares)
    TRY(attach_streams(a));
    for (const auto& d : a.values("dns")) {
        std::string trimmed = d;
        trimmed.erase(0, trimmed.find_first_not_of(" \t\n"));
        trimmed.erase(trimmed.find_last_not_of(" \t\n") + 1);
        if (!is_ip_address(trimmed)) return invalid_flag_value("--dns", d, "IP address is not correctly formatted: " + d);
    }
    for (const auto& h : a.values("add-host")) {
        auto host = parse_extra_host(h);
        if (!host) return invalid_flag_value("--add-host", h, "bad format for add-host: " + go_quote(h));
        if (host->address != kHostGateway && !is_ip_address(host->address))
            return invalid_flag_value("--add-host", h, "invalid IP address in add-host: " + go_quote(host->address));
    }
    // Its parse(): -v through compose's ParseVolume.
    for (const auto& v : a.values("volume")) {
        if (v.empty()) return Error::usage("invalid empty volume spec");
        if (v.size() > 2 && (v.front() == ':' || v.back() == ':' || v.find("::") != std::string::npos))
            return Error::usage("invalid spec: " + v + ": empty section between colons");
    }
    // Its parse().
    if (a.flag("detach") && !a.values("attach").empty()) {
        Error e = Error::usage("conflicting options: cannot specify both --attach and --detach");
        e.exit_status = 1; // returned by `run` itself, not by its parse
        return e;
    }
    std::string cgroupns = a.value("cgroupns");
    if (cgroupns != "" && cgroupns != "host" && cgroupns != "private") return Error::usage("--cgroupns: invalid CGROUP mode");
    std::string pull = a.value("pull", "missing");
    if (pull != "always" && pull != "missing" && pull != "never")
        return Error::usage("invalid pull option: '" + pull + "': must be one of \"always\", \"missing\" or \"never\"");
    if (a.has("memory-swappiness")) {
        int64_t swappiness = a.int_value("memory-swappiness", -1);
        if (swappiness < -1 || swappiness > 100)
            return Error::usage("invalid value: " + std::to_string(swappiness) + ". Valid memory swappiness range is 0-100");
    }
    TRY(exposed_ports(a));
    TRY(device_mappings(a));
    // The daemon's, before anything is made.
    for (const auto& t : a.values("tmpfs")) {
        std::string dest = t.substr(0, t.find(':'));
        if (dest.find_first_not_of('/') == std::string::npos && !dest.empty()) return Error::usage("invalid specification: destination can't be '/'");
        if (!absolute(dest)) return Error::usage("invalid mount config for type \"tmpfs\": invalid mount path: '" + dest + "' mount path must be absolute");
    }
    if (a.has("oom-score-adj")) {
        int64_t adj = a.int_value("oom-score-adj", 0);
        if (adj < -1000 || adj > 1000) return Error::usage("Invalid value " + std::to_string(adj) + ", range for oom score adj is [-1000, 1000]");
    }
    TRY(check_cpuset(a.value("cpuset-cpus"), "cpus", "CPUs", "/sys/devices/system/cpu/online"));
    TRY(check_cpuset(a.value("cpuset-mems"), "mems", "memory nodes", "/sys/devices/system/node/online"));
    return ok();
}

} // namespace kouti
