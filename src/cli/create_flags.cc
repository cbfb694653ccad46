#include "cli/create_flags.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <regex>
#include <sstream>

#include "engine/binds.h"
#include "engine/container_spec.h"
#include "engine/health.h"
#include "engine/links.h"
#include "network/netlink.h"
#include "network/publish.h"
#include "runtime/container.h"
#include "sys/fs.h"
#include "util/go_duration.h"
#include "util/humanize.h"
#include "util/numbers.h"
#include "util/template.h"

namespace kouti {

const std::vector<FlagSpec>& create_flags(bool run) {
    static const std::vector<FlagSpec> common = {
        {"add-host", 0, true, "list", "Add a custom host-to-IP mapping (host:ip)"},
        {"attach", 'a', true, "list", "Attach to STDIN, STDOUT or STDERR"},
        {"blkio-weight", 0, true, "uint16", "Block IO (relative weight), between 10 and 1000, or 0 to disable (default 0)"},
        {"blkio-weight-device", 0, true, "list", "Block IO weight (relative device weight) (default [])"},
        {"annotation", 0, true, "map", "Add an annotation to the container (passed through to the OCI runtime) (default map[])"},
        {"cap-add", 0, true, "list", "Add Linux capabilities"},
        {"cap-drop", 0, true, "list", "Drop Linux capabilities"},
        {"cgroup-parent", 0, true, "string", "Optional parent cgroup for the container"},
        {"cgroupns", 0, true, "string", "Cgroup namespace to use (host|private)\n"
                                               "'host':    Run the container in the kouti host's cgroup namespace\n"
                                               "'private': Run the container in its own private cgroup namespace\n"
                                               "'':        Private: kouti has no daemon to configure (default)"},
        {"cidfile", 0, true, "string", "Write the container ID to the file"},
        {"cpu-period", 0, true, "int", "Limit CPU CFS (Completely Fair Scheduler) period"},
        {"cpu-quota", 0, true, "int", "Limit CPU CFS (Completely Fair Scheduler) quota"},
        {"cpu-shares", 'c', true, "int", "CPU shares (relative weight)"},
        {"cpu-rt-period", 0, true, "int", "Limit CPU real-time period in microseconds"},
        {"cpu-rt-runtime", 0, true, "int", "Limit CPU real-time runtime in microseconds"},
        {"cpus", 0, true, "decimal", "Number of CPUs"},
        {"cpu-count", 0, true, "int", "CPU count (Windows only)", true},
        {"cpu-percent", 0, true, "int", "CPU percent (Windows only)", true},
        {"cpuset-cpus", 0, true, "string", "CPUs in which to allow execution (0-3, 0,1)"},
        {"cpuset-mems", 0, true, "string", "MEMs in which to allow execution (0-3, 0,1)"},
        {"device", 0, true, "list", "Add a host device to the container"},
        {"device-cgroup-rule", 0, true, "list", "Add a rule to the cgroup allowed devices list"},
        {"device-read-bps", 0, true, "list", "Limit read rate (bytes per second) from a device (default [])"},
        {"device-read-iops", 0, true, "list", "Limit read rate (IO per second) from a device (default [])"},
        {"device-write-bps", 0, true, "list", "Limit write rate (bytes per second) to a device (default [])"},
        {"device-write-iops", 0, true, "list", "Limit write rate (IO per second) to a device (default [])"},
        {"disable-content-trust", 0, false, "", "Skip image verification (default true; kouti never pulls)"},
        {"domainname", 0, true, "string", "Container NIS domain name"},
        {"entrypoint", 0, true, "string", "Overwrite the default ENTRYPOINT of the image"},
        {"env", 'e', true, "list", "Set environment variables"},
        {"env-file", 0, true, "list", "Read in a file of environment variables"},
        {"expose", 0, true, "list", "Expose a port or a range of ports"},
        {"gpus", 0, true, "gpu-request", "GPU devices to add to the container ('all' to pass all GPUs)"},
        {"group-add", 0, true, "list", "Add additional groups to join"},
        {"health-cmd", 0, true, "string", "Command to run to check health"},
        {"health-interval", 0, true, "duration", "Time between running the check (ms|s|m|h) (default 0s)"},
        {"health-retries", 0, true, "int", "Consecutive failures needed to report unhealthy"},
        {"health-start-interval", 0, true, "duration", "Time between running the check during the start period (ms|s|m|h) (default 0s)"},
        {"health-start-period", 0, true, "duration", "Start period for the container to initialize before starting health-retries countdown (ms|s|m|h) (default 0s)"},
        {"health-timeout", 0, true, "duration", "Maximum time to allow one check to run (ms|s|m|h) (default 0s)"},
        {"hostname", 'h', true, "string", "Container host name"},
        {"init", 0, false, "", "Run an init inside the container that forwards signals and reaps processes"},
        {"interactive", 'i', false, "", "Keep STDIN open even if not attached"},
        {"isolation", 0, true, "string", "Container isolation technology (default only)"},
        {"io-maxbandwidth", 0, true, "bytes", "Maximum IO bandwidth limit for the system drive (Windows only)", true},
        {"io-maxiops", 0, true, "uint", "Maximum IOps limit for the system drive (Windows only)", true},
        {"kernel-memory", 0, true, "bytes", "Kernel memory limit"},
        {"label", 'l', true, "list", "Set meta data on a container"},
        {"label-file", 0, true, "list", "Read in a line delimited file of labels"},
        {"link", 0, true, "list", "Add link to another container"},
        {"link-local-ip", 0, true, "list", "Container IPv4/IPv6 link-local addresses"},
        {"log-driver", 0, true, "string", "Logging driver for the container (json-file|none)"},
        {"log-opt", 0, true, "list", "Log driver options (max-size, max-file, compress, labels, labels-regex, env, env-regex, tag)"},
        {"mac-address", 0, true, "string", "Container MAC address (e.g., 92:d0:c6:0a:29:33)"},
        {"memory", 'm', true, "bytes", "Memory limit"},
        {"memory-reservation", 0, true, "bytes", "Memory soft limit"},
        {"memory-swap", 0, true, "bytes", "Swap limit equal to memory plus swap: '-1' to enable unlimited swap"},
        {"memory-swappiness", 0, true, "int", "Tune container memory swappiness (0 to 100) (default -1)"},
        {"mount", 0, true, "mount", "Attach a filesystem mount to the container"},
        {"name", 0, true, "string", "Assign a name to the container"},
        {"network", 0, true, "network", "Connect a container to a network (bridge|none|host|container:NAME|NETWORK)"},
        {"net", 0, true, "network", "Connect a container to a network", true},
        {"network-alias", 0, true, "list", "Add network-scoped alias for the container"},
        {"ip", 0, true, "string", "IPv4 address (e.g., 172.30.100.104)"},
        {"ip6", 0, true, "string", "IPv6 address (e.g., 2001:db8::33)"},
        {"ipc", 0, true, "string", "IPC mode to use (private|shareable|none|host|container:NAME)"},
        {"dns", 0, true, "list", "Set custom DNS servers"},
        {"dns-search", 0, true, "list", "Set custom DNS search domains"},
        {"dns-option", 0, true, "list", "Set DNS options"},
        {"no-healthcheck", 0, false, "", "Disable any container-specified HEALTHCHECK"},
        {"oom-kill-disable", 0, false, "", "Disable OOM Killer"},
        {"oom-score-adj", 0, true, "int", "Tune host's OOM preferences (-1000 to 1000)"},
        {"pid", 0, true, "string", "PID namespace to use (host|container:NAME)"},
        {"pids-limit", 0, true, "int", "Tune container pids limit (set -1 for unlimited)"},
        {"platform", 0, true, "string", "Set platform if server is multi-platform capable"},
        {"privileged", 0, false, "", "Give extended privileges to this container"},
        {"publish", 'p', true, "list", "Publish a container's port(s) to the host"},
        {"publish-all", 'P', false, "", "Publish all exposed ports to random ports"},
        {"pull", 0, true, "string", "Pull image before running (\"never\" only: kouti has no registry client yet)"},
        {"quiet", 'q', false, "", "Suppress the pull output (kouti never pulls)"},
        {"read-only", 0, false, "", "Mount the container's root filesystem as read only"},
        {"restart", 0, true, "string", "Restart policy to apply when a container exits (default \"no\")"},
        {"rm", 0, false, "", "Automatically remove the container and its associated anonymous volumes when it exits"},
        {"runtime", 0, true, "string", "Runtime to use for this container (kouti)"},
        {"security-opt", 0, true, "list", "Security Options"},
        {"shm-size", 0, true, "bytes", "Size of /dev/shm"},
        {"stop-signal", 0, true, "string", "Signal to stop the container"},
        {"storage-opt", 0, true, "list", "Storage driver options for the container"},
        {"stop-timeout", 0, true, "int", "Timeout (in seconds) to stop a container"},
        {"sysctl", 0, true, "map", "Sysctl options (default map[])"},
        {"tmpfs", 0, true, "list", "Mount a tmpfs directory"},
        {"tty", 't', false, "", "Allocate a pseudo-TTY"},
        {"ulimit", 0, true, "ulimit", "Ulimit options (default [])"},
        {"user", 'u', true, "string", "Username or UID (format: <name|uid>[:<group|gid>])"},
        {"use-api-socket", 0, false, "", "Bind mount Docker API socket and required auth"},
        {"uts", 0, true, "string", "UTS namespace to use (host)"},
        {"userns", 0, true, "string", "User namespace to use (host)"},
        {"volume", 'v', true, "list", "Bind mount a volume"},
        {"volume-driver", 0, true, "string", "Optional volume driver for the container (local)"},
        {"volumes-from", 0, true, "list", "Mount volumes from the specified container(s)"},
        {"workdir", 'w', true, "string", "Working directory inside the container"},
    };
    static const std::vector<FlagSpec> with_run = [] {
        auto f = common;
        f.push_back({"detach", 'd', false, "", "Run container in background and print container ID"});
        f.push_back({"detach-keys", 0, true, "string", "Override the key sequence for detaching a container"});
        f.push_back({"sig-proxy", 0, false, "", "Proxy received signals to the process (default true)"});
        return f;
    }();
    return run ? with_run : common;
}

Result<int64_t> parse_ram(const std::string& s) { return parse_go_ram(s); }

namespace {

Result<int64_t> parse_int(const std::string& flag, const std::string& v) {
    try {
        size_t used = 0;
        long long n = std::stoll(v, &used);
        if (used == v.size()) return static_cast<int64_t>(n);
    } catch (...) {
    }
    return Error::usage("invalid argument \"" + v + "\" for \"--" + flag + "\" flag: strconv.ParseInt: parsing \"" + v + "\": invalid syntax");
}

Result<int64_t> parse_duration_flag(const Args& a, const std::string& flag) {
    if (!a.has(flag)) return int64_t{0};
    auto d = parse_go_duration(a.value(flag));
    if (!d.ok()) return Error::usage("invalid argument \"" + a.value(flag) + "\" for \"--" + flag + "\" flag: " + d.error().message);
    return *d;
}

// --health-* and --no-healthcheck as the docker CLI turns them into Config.Healthcheck.
Result<Json> healthcheck_flags(const Args& a) {
    HealthFlags f;
    f.has_cmd = a.has("health-cmd");
    f.cmd = a.value("health-cmd");
    f.no_healthcheck = a.flag("no-healthcheck");
    f.interval = TRY(parse_duration_flag(a, "health-interval"));
    f.timeout = TRY(parse_duration_flag(a, "health-timeout"));
    f.start_period = TRY(parse_duration_flag(a, "health-start-period"));
    f.start_interval = TRY(parse_duration_flag(a, "health-start-interval"));
    if (a.has("health-retries")) f.retries = TRY(parse_int("health-retries", a.value("health-retries")));
    return healthcheck_from_flags(f);
}

// "NAME=value" as given; a bare NAME takes our value, and is left out when we have none.
void add_env(std::vector<std::string>& env, const std::string& entry) {
    if (entry.find('=') != std::string::npos) {
        env.push_back(entry);
    } else if (const char* v = std::getenv(entry.c_str())) {
        env.push_back(entry + "=" + v);
    }
}

// The lines of a --label-file (or --env-file): blank lines and # comments left out.
Status read_lines_file(const std::string& path, std::vector<std::string>& lines) {
    std::ifstream in(path);
    if (!in) return Error::usage("open " + path + ": no such file or directory");
    std::string line;
    while (std::getline(in, line)) {
        line.erase(0, line.find_first_not_of(" \t"));
        if (!line.empty() && line[0] != '#') lines.push_back(line);
    }
    return ok();
}

Status read_env_file(const std::string& path, std::vector<std::string>& env) {
    std::vector<std::string> lines;
    TRY(read_lines_file(path, lines));
    for (const auto& line : lines) add_env(env, line);
    return ok();
}

// The fields of a --mount value, read as CSV as the docker CLI reads it: a field in double
// quotes may hold commas ("volume-opt=o=size=64m,uid=1000").
std::vector<std::string> csv_fields(const std::string& line) {
    std::vector<std::string> fields(1);
    bool quoted = false;
    for (size_t i = 0; i < line.size(); ++i) {
        char c = line[i];
        if (c == '"' && quoted && i + 1 < line.size() && line[i + 1] == '"') fields.back() += line[++i];
        else if (c == '"') quoted = !quoted;
        else if (c == ',' && !quoted) fields.emplace_back();
        else fields.back() += c;
    }
    return fields;
}

// "type=bind,source=/x,target=/y,readonly" as Docker's --mount.
Result<Json> parse_mount(const std::string& spec) {
    Json m = {{"Type", "volume"}};
    auto bad = [&](const std::string& why) { return Error::usage("invalid argument \"" + spec + "\" for \"--mount\" flag: " + why); };
    // A bare key is true, as the docker CLI reads it; a value must be one of Go's booleans.
    auto boolean = [&](const std::string& k, const std::string& v) -> Result<bool> {
        if (v.empty()) return true;
        if (auto b = parse_go_bool(v)) return *b;
        return bad("invalid value for " + k + ": " + v);
    };
    for (const auto& field : csv_fields(spec)) {
        auto eq = field.find('=');
        std::string k = field.substr(0, eq), v = eq == std::string::npos ? "" : field.substr(eq + 1);
        if (k == "type") m["Type"] = v;
        else if (k == "source" || k == "src") m["Source"] = v;
        else if (k == "target" || k == "destination" || k == "dst") m["Target"] = v;
        else if (k == "readonly" || k == "ro") m["ReadOnly"] = TRY(boolean(k, v));
        else if (k == "tmpfs-size") m["TmpfsOptions"]["SizeBytes"] = TRY(parse_ram(v));
        else if (k == "bind-propagation") m["BindOptions"]["Propagation"] = v;
        else if (k == "volume-nocopy") m["VolumeOptions"]["NoCopy"] = TRY(boolean(k, v));
        else if (k == "volume-label") m["VolumeOptions"]["Labels"].update(key_value_map({v}));
        else if (k == "volume-driver") m["VolumeOptions"]["DriverConfig"]["Name"] = v;
        else if (k == "volume-opt") m["VolumeOptions"]["DriverConfig"]["Options"].update(key_value_map({v}));
        else return bad("unexpected key '" + k + "' in '" + field + "'");
    }
    std::string type = m["Type"];
    if (m.value("Target", "").empty()) return bad("target is required");
    if (type != "bind" && type != "volume" && type != "tmpfs") return bad("invalid mount type: \"" + type + "\"");
    if (type == "bind" && !path_exists(m.value("Source", "")))
        return Error::usage("invalid mount config for type \"bind\": bind source path does not exist: " + m.value("Source", ""));
    if (m.contains("BindOptions") && type != "bind")
        return Error::usage("invalid mount config for type \"" + type + "\": field BindOptions must not be specified");
    if (m.contains("VolumeOptions") && type != "volume")
        return Error::usage("invalid mount config for type \"" + type + "\": field VolumeOptions must not be specified");
    if (std::string driver = m.contains("VolumeOptions") ? m["VolumeOptions"].value("DriverConfig", Json::object()).value("Name", "") : "";
        !driver.empty() && driver != "local")
        return Error::not_found("error looking up volume plugin " + driver + ": plugin \"" + driver + "\" not found");
    if (m.contains("BindOptions")) {
        std::string p = m["BindOptions"].value("Propagation", "");
        if (p != "private" && p != "rprivate" && p != "shared" && p != "rshared" && p != "slave" && p != "rslave")
            return bad("invalid propagation mode: \"" + p + "\"");
    }
    return m;
}

// --pid, --ipc, --uts and --userns as the docker CLI checks them; "container:NAME" is resolved at create.
Status namespace_modes(const Args& a, Json& hc) {
    std::string pid = a.value("pid"), ipc = a.value("ipc", "private"), uts = a.value("uts");
    auto joins_container = [](const std::string& mode) { return mode.rfind("container:", 0) == 0; };
    if (!pid.empty() && pid != "host" && !(joins_container(pid) && pid.size() > 10)) return Error::usage("--pid: invalid PID mode");
    if (!uts.empty() && uts != "host") return Error::usage("--uts: invalid UTS mode");
    if (ipc.empty()) ipc = "private";
    if (ipc != "private" && ipc != "shareable" && ipc != "none" && ipc != "host" && !joins_container(ipc))
        return Error::usage("Invalid IPC mode: " + ipc);
    if (ipc == "container:") return Error::usage("can't join IPC of container : invalid name or ID supplied: \"\"");
    if (uts == "host" && a.has("hostname")) return Error::usage("conflicting options: hostname and the UTS mode");
    // kouti maps no user namespace for its containers: "host" is what they always have.
    std::string userns = a.value("userns");
    if (!userns.empty() && userns != "host") return Error::usage("--userns: invalid USER mode");
    hc["UsernsMode"] = userns;
    hc["PidMode"] = pid;
    hc["IpcMode"] = ipc;
    hc["UTSMode"] = uts;
    return ok();
}

// --device-read-bps /dev/sda:1mb, --device-write-iops /dev/sda:100 ...: Docker's
// ThrottleDevice list, checked as the docker CLI checks it, and the device must exist.
Result<Json> throttle_devices(const Args& a, const std::string& flag, bool bytes) {
    Json out = Json::array();
    for (const auto& v : a.values(flag)) {
        auto colon = v.rfind(':');
        if (colon == std::string::npos) return Error::usage("invalid argument \"" + v + "\" for \"--" + flag + "\" flag: bad format: " + v);
        std::string path = v.substr(0, colon), rate_text = v.substr(colon + 1);
        if (!path.starts_with("/dev/"))
            return Error::usage("invalid argument \"" + v + "\" for \"--" + flag + "\" flag: bad format for device path: " + v);
        auto rate = bytes ? parse_ram(rate_text) : parse_int(flag, rate_text);
        if (!rate.ok() || *rate < 0)
            return Error::usage("invalid argument \"" + v + "\" for \"--" + flag + "\" flag: invalid rate for device: " + v +
                                ". The correct format is <device-path>:<number>" + (bytes ? "[<unit>]" : "") +
                                ". Number must be a positive integer" + (bytes ? ". Unit is optional and can be kb, mb, or gb" : ""));
        struct stat st{};
        if (::stat(path.c_str(), &st) != 0 || !S_ISBLK(st.st_mode)) return Error::usage(path + " is not a block device");
        out.push_back(Json{{"Path", path}, {"Rate", *rate}});
    }
    return out;
}

// --blkio-weight-device /dev/sda:300, as the docker CLI checks it.
Result<Json> weight_devices(const Args& a) {
    Json out = Json::array();
    for (const auto& v : a.values("blkio-weight-device")) {
        auto bad = [&](const std::string& what) { return Error::usage("invalid argument \"" + v + "\" for \"--blkio-weight-device\" flag: " + what + v); };
        auto colon = v.find(':');
        if (colon == std::string::npos || colon == 0) return bad("bad format: ");
        std::string path = v.substr(0, colon), weight_text = v.substr(colon + 1);
        if (!path.starts_with("/dev/")) return bad("bad format for device path: ");
        char* end = nullptr;
        unsigned long weight = std::strtoul(weight_text.c_str(), &end, 10);
        if (weight_text.empty() || *end != '\0' || weight > 65535 || (weight > 0 && (weight < 10 || weight > 1000)))
            return bad("invalid weight for device: ");
        struct stat st{};
        if (::stat(path.c_str(), &st) != 0 || !S_ISBLK(st.st_mode)) return Error::usage(path + " is not a block device");
        out.push_back(Json{{"Path", path}, {"Weight", weight}});
    }
    return out;
}

} // namespace

Result<int64_t> parse_blkio_weight(const std::string& v) {
    char* end = nullptr;
    unsigned long weight = std::strtoul(v.c_str(), &end, 10);
    if (v.empty() || *end != '\0' || v[0] == '-' || weight > 65535)
        return Error::usage("invalid argument \"" + v + "\" for \"--blkio-weight\" flag: strconv.ParseUint: parsing \"" + v + "\": " +
                            (weight > 65535 && *end == '\0' ? "value out of range" : "invalid syntax"));
    if (weight > 0 && (weight < 10 || weight > 1000)) return Error::usage("Range of blkio weight is from 10 to 1000");
    return static_cast<int64_t>(weight);
}

Result<int64_t> parse_flag_int(const std::string& flag, const std::string& v) { return parse_int(flag, v); }

Result<std::vector<std::string>> env_from_flags(const Args& a) {
    std::vector<std::string> env;
    for (const auto& f : a.values("env-file")) TRY(read_env_file(f, env));
    for (const auto& e : a.values("env")) {
        if (e.substr(0, e.find('=')).empty()) return invalid_flag_value("-e, --env", e, "invalid environment variable: " + e);
        add_env(env, e);
    }
    return env;
}

Result<Json> parse_restart_policy(const std::string& restart) {
    // The docker CLI's opts.ParseRestartPolicy: NAME[:COUNT], any name.
    auto colon = restart.find(':');
    std::string name = restart.substr(0, colon), count = colon == std::string::npos ? "" : restart.substr(colon + 1);
    if (colon != std::string::npos && name.empty()) return Error::usage("invalid restart policy format: no policy provided before colon");
    Json policy = {{"Name", restart.empty() ? "no" : name}, {"MaximumRetryCount", 0}};
    if (!count.empty()) {
        auto n = parse_number<int64_t>(count);
        if (!n || *n != static_cast<int>(*n)) return Error::usage("invalid restart policy format: maximum retry count must be an integer");
        policy["MaximumRetryCount"] = *n;
    }
    return policy;
}

Status validate_restart_policy(const Json& policy) {
    // The daemon's ValidateRestartPolicy (Docker 25 and later).
    std::string name = policy.value("Name", "no");
    int64_t count = policy.value("MaximumRetryCount", int64_t{0});
    if (name == "no" || name == "always" || name == "unless-stopped") {
        if (count != 0)
            return Error::usage(std::string("invalid restart policy: maximum retry count can only be used with 'on-failure'") +
                                (count < 0 ? " and cannot be negative" : ""));
        return ok();
    }
    if (name == "on-failure") {
        if (count < 0) return Error::usage("invalid restart policy: maximum retry count cannot be negative");
        return ok();
    }
    return Error::usage("invalid restart policy: unknown policy '" + name + "'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'");
}

// The sysctls a container's namespaces make its own (the docker CLI's list): IPC's, the
// message queues' and the network's. Any other would change the host.
static bool namespaced_sysctl(const std::string& key) {
    static const char* const kIpc[] = {"kernel.msgmax", "kernel.msgmnb", "kernel.msgmni",          "kernel.sem",
                                       "kernel.shmall", "kernel.shmmax", "kernel.shm_rmid_forced", "kernel.shmmni"};
    for (const char* k : kIpc)
        if (key == k) return true;
    return key.starts_with("fs.mqueue.") || key.starts_with("net.");
}

Result<int64_t> parse_nano_cpus(const std::string& value) {
    char* end = nullptr;
    double cpus = std::strtod(value.c_str(), &end);
    if (value.empty() || *end != '\0')
        return Error::usage("invalid argument \"" + value + "\" for \"--cpus\" flag: failed to parse " + value + " as a rational number");
    long online = ::sysconf(_SC_NPROCESSORS_ONLN);
    if (cpus == 0) return 0; // no limit, as Docker reads it
    if (cpus < 0.01 || cpus > static_cast<double>(online)) {
        char buf[160];
        std::snprintf(buf, sizeof buf, "Range of CPUs is from 0.01 to %ld.00, as there are only %ld CPUs available", online, online);
        return Error::usage(buf);
    }
    return static_cast<int64_t>(std::llround(cpus * 1e9));
}

Result<CreateRequest> request_from_flags(const Args& a) {
    TRY(check_create_flag_values(a));
    CreateRequest r;
    r.image = a.positional[0];
    r.name = a.value("name");
    r.platform = a.value("platform");
    Json& c = r.config;
    Json& hc = r.host_config;
    std::vector<std::string> cmd(a.positional.begin() + 1, a.positional.end());
    c["Cmd"] = cmd.empty() ? Json() : Json(cmd);
    if (a.has("entrypoint")) {
        r.entrypoint_set = true;
        std::string ep = a.value("entrypoint");
        c["Entrypoint"] = ep.empty() ? Json() : Json::array({ep});
    }
    c["Env"] = TRY(env_from_flags(a));
    c["Hostname"] = a.value("hostname");
    c["Domainname"] = a.value("domainname");
    if (a.has("mac-address")) {
        unsigned char mac[6];
        if (!parse_mac(a.value("mac-address"), mac)) return Error::usage(a.value("mac-address") + " is not a valid mac address");
        c["MacAddress"] = a.value("mac-address");
    }
    c["User"] = a.value("user");
    std::string workdir = a.value("workdir");
    if (!workdir.empty() && workdir[0] != '/') return Error::usage("the working directory '" + workdir + "' is invalid, it needs to be an absolute path");
    c["WorkingDir"] = workdir;
    bool detach = a.flag("detach"), interactive = a.flag("interactive"), tty = a.flag("tty");
    c["Tty"] = tty;
    c["OpenStdin"] = interactive;
    c["StdinOnce"] = interactive && !detach;
    auto attach = TRY(attach_streams(a));
    auto attached = [&](const char* s) { return attach.empty() ? !detach && (std::string(s) != "stdin" || interactive)
                                                               : std::find(attach.begin(), attach.end(), s) != attach.end(); };
    c["AttachStdin"] = attached("stdin");
    c["AttachStdout"] = attached("stdout");
    c["AttachStderr"] = attached("stderr");
    std::vector<std::string> label_lines;
    for (const auto& f : a.values("label-file")) TRY(read_lines_file(f, label_lines));
    for (const auto& l : a.values("label")) label_lines.push_back(l);
    c["Labels"] = key_value_map(label_lines);
    c["StopSignal"] = a.value("stop-signal");
    if (Json health = TRY(healthcheck_flags(a)); !health.is_null()) c["Healthcheck"] = health;
    if (a.has("stop-timeout")) c["StopTimeout"] = TRY(parse_int("stop-timeout", a.value("stop-timeout")));
    Json exposed = TRY(exposed_ports(a));

    Json bindings = Json::object();
    for (const auto& spec : a.values("publish"))
        for (const auto& p : TRY(parse_publish(spec))) {
            bindings[p.container_port].push_back(Json{{"HostIp", p.host_ip}, {"HostPort", p.host_port}});
            exposed[p.container_port] = Json::object();
        }
    if (!exposed.empty()) c["ExposedPorts"] = exposed;
    hc["PortBindings"] = with_sorted_keys(bindings);
    hc["PublishAllPorts"] = a.flag("publish-all");
    std::string pull = a.value("pull", "missing");
    if (pull != "never" && pull != "missing") return Error::usage("--pull " + pull + ": kouti cannot pull images yet");

    hc["Binds"] = a.values("volume");
    hc["VolumesFrom"] = a.values("volumes-from");
    hc["ContainerIDFile"] = a.value("cidfile");
    std::string log_driver = a.value("log-driver", "json-file");
    if (log_driver != "json-file" && log_driver != "none")
        return Error::usage("logging driver \"" + log_driver + "\" is not supported (json-file, none)");
    if (log_driver == "none" && !a.values("log-opt").empty()) return Error::usage("invalid logging opts for driver none");
    Json log_opts = Json::object();
    for (const auto& o : a.values("log-opt")) {
        auto eq = o.find('=');
        std::string k = o.substr(0, eq), v = eq == std::string::npos ? "" : o.substr(eq + 1);
        if (k == "max-size") TRY(parse_ram(v));
        else if (k == "max-file") {
            if (TRY(parse_int("log-opt", v)) < 1) return Error::usage("max-file cannot be less than 1");
        } else if (k == "labels-regex" || k == "env-regex") {
            try {
                std::regex re(v, std::regex::extended);
            } catch (const std::regex_error&) {
                return Error::usage("invalid " + k + " '" + v + "'");
            }
        } else if (k == "compress") {
            if (!parse_go_bool(v)) return Error::usage("failed to initialize logging driver: strconv.ParseBool: parsing " + go_quote(v) + ": invalid syntax");
        } else if (k == "tag") {
            if (auto t = Template::parse(v, "log-tag"); !t.ok()) return Error::usage("failed to initialize logging driver: " + t.error().message);
        } else if (k != "labels" && k != "env") {
            return Error::usage("unknown log opt '" + k + "' for " + log_driver + " log driver");
        }
        log_opts[k] = v;
    }
    // Rotation is on by default here (10m x 3), so only an explicit max-file=1 or max-size=0
    // leaves nothing to compress.
    if (parse_go_bool(log_opts.value("compress", "")).value_or(false) &&
        (TRY(parse_int("log-opt", log_opts.value("max-file", "3"))) < 2 || TRY(parse_ram(log_opts.value("max-size", "10m"))) <= 0))
        return Error::usage("failed to initialize logging driver: compress cannot be true when max-file is less than 2 or max-size is not set");
    hc["LogConfig"] = {{"Type", log_driver}, {"Config", log_opts}};
    std::string net = a.value("network", a.value("net", "bridge"));
    if (net == "default") net = "bridge";
    if (net == "container") return Error::usage("invalid container format container:<name|id>");
    hc["NetworkMode"] = net;
    hc["ExtraHosts"] = a.values("add-host");
    hc["Dns"] = a.values("dns");
    hc["DnsSearch"] = a.values("dns-search");
    hc["DnsOptions"] = a.values("dns-option");
    if (a.has("ip") || !a.values("network-alias").empty()) {
        Json ep = Json::object();
        if (a.has("ip")) {
            if (!parse_ipv4(a.value("ip")).ok()) return Error::usage("invalid IPv4 address: " + a.value("ip"));
            ep["IPAMConfig"] = Json{{"IPv4Address", a.value("ip")}};
        }
        if (!a.values("network-alias").empty()) ep["Aliases"] = a.values("network-alias");
        r.networking_config = Json{{"EndpointsConfig", {{net, ep}}}};
    }
    Json policy = TRY(parse_restart_policy(a.value("restart", "no")));
    if (a.flag("rm") && policy["Name"] != "no") return Error::usage("conflicting options: cannot specify both --restart and --rm");
    TRY(validate_restart_policy(policy));
    hc["RestartPolicy"] = policy;
    hc["AutoRemove"] = a.flag("rm");
    hc["CapAdd"] = a.values("cap-add");
    hc["CapDrop"] = a.values("cap-drop");
    hc["CgroupnsMode"] = a.value("cgroupns", "private");
    hc["GroupAdd"] = a.values("group-add");
    hc["OomScoreAdj"] = a.has("oom-score-adj") ? TRY(parse_int("oom-score-adj", a.value("oom-score-adj"))) : 0;
    hc["Privileged"] = a.flag("privileged");
    hc["ReadonlyRootfs"] = a.flag("read-only");
    Json security = Json::array();
    for (const auto& s : a.values("security-opt")) {
        // The docker CLI's parseSecurityOpts: KEY=VALUE or KEY:VALUE, no-new-privileges alone.
        auto sep = s.find('=');
        if (sep == std::string::npos && s != "no-new-privileges") sep = s.find(':');
        std::string key = s.substr(0, sep), value = sep == std::string::npos ? "" : s.substr(sep + 1);
        if (value.empty() && key != "no-new-privileges") return Error::usage("Invalid --security-opt: " + go_quote(s));
        if (key == "seccomp" && value != "builtin" && value != "unconfined") {
            // As the docker CLI does: the profile file's content travels, not its path.
            auto text = read_file(value);
            if (!text.ok()) return Error::usage("opening seccomp profile (" + value + ") failed: " + text.error().message);
            auto j = Json::parse(*text, nullptr, false);
            if (j.is_discarded()) return Error::usage("compacting json for seccomp profile (" + value + ") failed: not valid JSON");
            security.push_back("seccomp=" + j.dump());
        } else if (s == "systempaths=unconfined") {
            // The docker CLI's parseSystemPaths: no masked or read-only /proc and /sys paths,
            // said as empty lists; the option itself never reaches the daemon.
            hc["MaskedPaths"] = Json::array();
            hc["ReadonlyPaths"] = Json::array();
        } else {
            security.push_back(s);
        }
    }
    // Docker's CLI sends nil without the flag and an empty list when every option was one it
    // takes itself (systempaths): inspect shows null and [].
    hc["SecurityOpt"] = a.has("security-opt") ? Json(security) : Json();
    TRY(namespace_modes(a, hc));
    hc["ShmSize"] = a.has("shm-size") ? TRY(parse_ram(a.value("shm-size"))) : 64 * 1024 * 1024;
    hc["Runtime"] = a.value("runtime", "kouti");
    TRY(check_link_flags(a.values("link")));
    if (!a.values("link").empty()) hc["Links"] = a.values("link");
    hc["VolumeDriver"] = a.value("volume-driver");
    hc["Isolation"] = a.value("isolation");
    Json annotations = Json::object();
    for (const auto& an : a.values("annotation")) {
        auto eq = an.find('=');
        std::string key = an.substr(0, eq);
        if (key.empty()) return Error::usage("invalid argument \"" + an + "\" for \"--annotation\" flag: invalid key");
        // The runtime takes its own instructions (the rootfs overlay...) from these.
        if (key.starts_with("run.kouti.")) return Error::usage("annotation " + key + ": the run.kouti. prefix is kouti's own");
        annotations[key] = eq == std::string::npos ? "" : an.substr(eq + 1);
    }
    if (!annotations.empty()) hc["Annotations"] = with_sorted_keys(annotations);
    hc["CgroupParent"] = a.value("cgroup-parent");
    int64_t memory = a.has("memory") ? TRY(parse_ram(a.value("memory"))) : 0;
    if (memory > 0 && memory < 6 * 1024 * 1024) return Error::usage("Minimum memory limit allowed is 6MB");
    hc["Memory"] = memory;
    int64_t swap = 0;
    if (a.has("memory-swap")) swap = a.value("memory-swap") == "-1" ? -1 : TRY(parse_ram(a.value("memory-swap")));
    if (swap > 0 && memory == 0) return Error::usage("You should always set the Memory limit when using Memoryswap limit, see usage.");
    if (swap > 0 && swap < memory) return Error::usage("Minimum memoryswap limit should be larger than memory limit, see usage.");
    // Docker's daemon stores its default, twice the memory limit, as the swap limit.
    hc["MemorySwap"] = swap == 0 && memory > 0 ? memory * 2 : swap;
    hc["MemoryReservation"] = a.has("memory-reservation") ? TRY(parse_ram(a.value("memory-reservation"))) : 0;
    hc["MemorySwappiness"] = nullptr;
    if (a.has("memory-swappiness")) {
        int64_t swappiness = TRY(parse_int("memory-swappiness", a.value("memory-swappiness")));
        if (swappiness >= 0) hc["MemorySwappiness"] = swappiness;
    }
    hc["OomKillDisable"] = a.flag("oom-kill-disable");
    hc["BlkioWeight"] = a.has("blkio-weight") ? TRY(parse_blkio_weight(a.value("blkio-weight"))) : 0;
    hc["BlkioWeightDevice"] = TRY(weight_devices(a));
    hc["BlkioDeviceReadBps"] = TRY(throttle_devices(a, "device-read-bps", true));
    hc["BlkioDeviceWriteBps"] = TRY(throttle_devices(a, "device-write-bps", true));
    hc["BlkioDeviceReadIOps"] = TRY(throttle_devices(a, "device-read-iops", false));
    hc["BlkioDeviceWriteIOps"] = TRY(throttle_devices(a, "device-write-iops", false));
    for (const auto& rule : a.values("device-cgroup-rule")) TRY(device_cgroup_rule(rule));
    hc["DeviceCgroupRules"] = a.values("device-cgroup-rule");
    hc["NanoCpus"] = a.has("cpus") ? TRY(parse_nano_cpus(a.value("cpus"))) : 0;
    hc["CpuShares"] = a.has("cpu-shares") ? TRY(parse_int("cpu-shares", a.value("cpu-shares"))) : 0;
    hc["CpuPeriod"] = a.has("cpu-period") ? TRY(parse_int("cpu-period", a.value("cpu-period"))) : 0;
    hc["CpuQuota"] = a.has("cpu-quota") ? TRY(parse_int("cpu-quota", a.value("cpu-quota"))) : 0;
    hc["CpusetCpus"] = a.value("cpuset-cpus");
    hc["CpusetMems"] = a.value("cpuset-mems");
    hc["Devices"] = TRY(device_mappings(a));
    hc["PidsLimit"] = a.has("pids-limit") ? Json(TRY(parse_int("pids-limit", a.value("pids-limit")))) : Json();
    Json ulimits = Json::array();
    // The limits go-units knows, checked as the docker CLI checks them.
    static const char* const kUlimits[] = {"as",    "core",  "cpu",    "data",    "fsize",      "locks", "memlock", "msgqueue",
                                           "nice",  "nofile", "nproc", "rss",     "rtprio",     "rttime", "sigpending", "stack"};
    for (const auto& u : a.values("ulimit")) {
        auto bad = [&](const std::string& why) { return Error::usage("invalid argument \"" + u + "\" for \"--ulimit\" flag: " + why); };
        auto eq = u.find('=');
        if (eq == std::string::npos) return bad("invalid ulimit argument: " + u);
        std::string name = u.substr(0, eq), vals = u.substr(eq + 1);
        if (std::find_if(std::begin(kUlimits), std::end(kUlimits), [&](const char* k) { return name == k; }) == std::end(kUlimits))
            return bad("invalid ulimit type: " + name);
        auto colon = vals.find(':');
        auto number = [&](const std::string& text) -> Result<int64_t> {
            auto n = parse_go_int(text);
            if (!n.ok()) return bad(n.error().message);
            return *n;
        };
        int64_t soft = TRY(number(vals.substr(0, colon)));
        int64_t hard = colon == std::string::npos ? soft : TRY(number(vals.substr(colon + 1)));
        if (soft > hard) return bad("ulimit soft limit must be less than or equal to hard limit: " + std::to_string(soft) + " > " + std::to_string(hard));
        ulimits.push_back(Json{{"Name", name}, {"Soft", soft}, {"Hard", hard}});
    }
    hc["Ulimits"] = ulimits;
    Json mounts = Json::array();
    for (const auto& m : a.values("mount")) mounts.push_back(TRY(parse_mount(m)));
    hc["Mounts"] = mounts;
    Json tmpfs = Json::object();
    for (const auto& t : a.values("tmpfs")) {
        auto colon = t.find(':');
        tmpfs[t.substr(0, colon)] = colon == std::string::npos ? "" : t.substr(colon + 1);
    }
    if (!tmpfs.empty()) hc["Tmpfs"] = with_sorted_keys(tmpfs);
    Json sysctls = Json::object();
    for (const auto& s : a.values("sysctl")) {
        auto eq = s.find('=');
        if (eq == std::string::npos || !namespaced_sysctl(s.substr(0, eq)))
            return Error::usage("invalid argument \"" + s + "\" for \"--sysctl\" flag: sysctl '" + s + "' is not allowed");
        sysctls[s.substr(0, eq)] = s.substr(eq + 1);
    }
    if (!sysctls.empty()) hc["Sysctls"] = with_sorted_keys(sysctls);
    hc["Init"] = a.flag("init");
    for (const auto& b : a.values("volume")) {
        auto colon = b.find(':');
        if (colon == std::string::npos) {
            if (b.empty() || b[0] != '/') return Error::usage("invalid volume specification: '" + b + "'");
            continue;
        }
        std::string src = b.substr(0, colon);
        if (BindSpec spec = parse_bind(b); !valid_bind_mode(spec.mode)) return Error::usage("invalid mode: " + spec.mode);
        if (src[0] == '/' && !path_exists(src)) TRY(mkdir_p(src, 0755)); // Docker creates a missing bind source
    }
    TRY(rare_create_flags(a, r));
    return r;
}

} // namespace kouti
