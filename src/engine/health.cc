#include "engine/health.h"

#include <algorithm>
#include <cctype>

#include "util/go_duration.h"
#include "util/humanize.h"

namespace kouti {
namespace {

constexpr int64_t kSecond = 1000000000LL;
constexpr int64_t kMinimumDuration = 1000000; // Docker's MinimumDuration, 1ms
constexpr int64_t kDefaultInterval = 30 * kSecond, kDefaultTimeout = 30 * kSecond, kDefaultStartInterval = 5 * kSecond;
constexpr int64_t kDefaultRetries = 3;

int64_t or_default(int64_t v, int64_t d) { return v == 0 ? d : v; }

const char* const kDurationFields[] = {"Interval", "Timeout", "StartPeriod", "StartInterval"};

} // namespace

HealthConfig HealthConfig::from_json(const Json& j) {
    HealthConfig c;
    if (!j.is_object()) return c;
    if (j.contains("Test") && j["Test"].is_array())
        for (const auto& t : j["Test"])
            if (t.is_string()) c.test.push_back(t.get<std::string>());
    auto num = [&](const char* k) { return j.contains(k) && j[k].is_number_integer() ? j[k].get<int64_t>() : 0; };
    c.interval = num("Interval");
    c.timeout = num("Timeout");
    c.start_period = num("StartPeriod");
    c.start_interval = num("StartInterval");
    c.retries = num("Retries");
    return c;
}

Json HealthConfig::to_json() const {
    Json j = Json::object();
    if (!test.empty()) j["Test"] = test;
    int64_t values[] = {interval, timeout, start_period, start_interval};
    for (size_t i = 0; i < 4; ++i)
        if (values[i] != 0) j[kDurationFields[i]] = values[i];
    if (retries != 0) j["Retries"] = retries;
    return j;
}

bool HealthConfig::probes() const { return test.size() >= 2 && (test[0] == "CMD" || test[0] == "CMD-SHELL"); }

std::vector<std::string> HealthConfig::command() const {
    if (!probes()) return {};
    if (test[0] == "CMD") return {test.begin() + 1, test.end()};
    std::vector<std::string> argv = {"/bin/sh", "-c"};
    argv.insert(argv.end(), test.begin() + 1, test.end());
    return argv;
}

int64_t HealthConfig::probe_timeout() const { return or_default(timeout, kDefaultTimeout); }
int64_t HealthConfig::retries_or_default() const { return retries <= 0 ? kDefaultRetries : retries; }

Result<Json> healthcheck_from_flags(const HealthFlags& f) {
    bool any = f.has_cmd || f.interval != 0 || f.timeout != 0 || f.start_period != 0 || f.start_interval != 0 || f.retries != 0;
    if (f.no_healthcheck) {
        if (any) return Error::usage("--no-healthcheck conflicts with --health-* options");
        return Json{{"Test", Json::array({"NONE"})}};
    }
    if (!any) return Json();
    if (f.interval < 0) return Error::usage("--health-interval cannot be negative");
    if (f.timeout < 0) return Error::usage("--health-timeout cannot be negative");
    if (f.retries < 0) return Error::usage("--health-retries cannot be negative");
    if (f.start_period < 0) return Error::usage("--health-start-period cannot be negative");
    if (f.start_interval < 0) return Error::usage("--health-start-interval cannot be negative");
    HealthConfig c;
    if (f.has_cmd && !f.cmd.empty()) c.test = {"CMD-SHELL", f.cmd};
    c.interval = f.interval;
    c.timeout = f.timeout;
    c.start_period = f.start_period;
    c.start_interval = f.start_interval;
    c.retries = f.retries;
    return c.to_json();
}

Status validate_healthcheck(const Json& hc) {
    if (!hc.is_object()) return ok();
    for (const char* k : kDurationFields) {
        int64_t v = hc.value(k, int64_t{0});
        if (v != 0 && v < kMinimumDuration) return Error::usage(std::string(k) + " in Healthcheck cannot be less than 1ms");
    }
    if (hc.value("Retries", int64_t{0}) < 0) return Error::usage("Retries in Healthcheck cannot be negative");
    return ok();
}

Json merged_healthcheck(const Json& own, const Json& image) {
    if (!own.is_object()) return image.is_object() ? image : Json();
    if (!image.is_object()) return own;
    HealthConfig mine = HealthConfig::from_json(own), theirs = HealthConfig::from_json(image);
    if (mine.test.empty()) mine.test = theirs.test;
    for (auto [m, t] : {std::pair{&mine.interval, theirs.interval}, {&mine.timeout, theirs.timeout},
                        {&mine.start_period, theirs.start_period}, {&mine.start_interval, theirs.start_interval},
                        {&mine.retries, theirs.retries}})
        if (*m == 0) *m = t;
    return mine.to_json();
}

Result<Json> healthcheck_instruction(const std::string& args) {
    HealthConfig c;
    std::string rest = args;
    auto next_word = [&rest]() {
        rest.erase(0, rest.find_first_not_of(" \t"));
        size_t end = rest.find_first_of(" \t");
        std::string w = rest.substr(0, end);
        rest = end == std::string::npos ? "" : rest.substr(end);
        return w;
    };
    std::string word = next_word();
    if (word.empty()) return Error::invalid("HEALTHCHECK requires at least one argument");
    std::string interval, timeout, start_period, start_interval, retries;
    while (word.starts_with("--")) {
        auto eq = word.find('=');
        std::string name = word.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
        std::string value = eq == std::string::npos ? "" : word.substr(eq + 1);
        std::string* slot = name == "interval" ? &interval : name == "timeout" ? &timeout : name == "start-period" ? &start_period
                          : name == "start-interval" ? &start_interval : name == "retries" ? &retries : nullptr;
        if (!slot) return Error::invalid("Unknown flag: " + name);
        if (eq == std::string::npos) return Error::invalid("Missing a value on flag: --" + name);
        *slot = value;
        word = next_word();
    }
    std::string type = word;
    std::transform(type.begin(), type.end(), type.begin(), [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
    rest.erase(0, rest.find_first_not_of(" \t"));
    while (!rest.empty() && std::isspace(static_cast<unsigned char>(rest.back()))) rest.pop_back();
    if (type == "NONE") {
        if (!rest.empty()) return Error::invalid("HEALTHCHECK NONE takes no arguments");
        return Json{{"Test", Json::array({"NONE"})}};
    }
    if (type != "CMD") return Error::invalid("Unknown type \"" + type + "\" in HEALTHCHECK (try CMD)");
    if (rest.empty()) return Error::invalid("Missing command after HEALTHCHECK CMD");
    Json exec_form = rest[0] == '[' ? Json::parse(rest, nullptr, false) : Json();
    bool json = exec_form.is_array() && !exec_form.empty() &&
                std::all_of(exec_form.begin(), exec_form.end(), [](const Json& v) { return v.is_string(); });
    c.test = {json ? "CMD" : "CMD-SHELL"};
    if (json)
        for (const auto& v : exec_form) c.test.push_back(v.get<std::string>());
    else
        c.test.push_back(rest);
    auto duration = [](const std::string& flag, const std::string& v) -> Result<int64_t> {
        if (v.empty()) return int64_t{0};
        auto d = parse_go_duration(v);
        if (!d.ok()) return Error::invalid(d.error().message);
        if (*d != 0 && *d < kMinimumDuration) return Error::invalid("Interval \"" + flag + "\" cannot be less than 1ms");
        return *d;
    };
    c.interval = TRY(duration("interval", interval));
    c.timeout = TRY(duration("timeout", timeout));
    c.start_period = TRY(duration("start-period", start_period));
    c.start_interval = TRY(duration("start-interval", start_interval));
    if (!retries.empty()) {
        char* end = nullptr;
        long long n = std::strtoll(retries.c_str(), &end, 10);
        if (*end != '\0') return Error::invalid("strconv.ParseInt: parsing \"" + retries + "\": invalid syntax");
        if (n < 0) return Error::invalid("--retries cannot be negative (" + retries + ")");
        c.retries = n;
    }
    return c.to_json();
}

Json health_at_start(const Json& previous) {
    Json log = previous.is_object() && previous.contains("Log") && previous["Log"].is_array() ? previous["Log"] : Json::array();
    return Json{{"Status", "starting"}, {"FailingStreak", 0}, {"Log", log}};
}

bool fold_probe_result(Json& health, const ProbeResult& r, const HealthConfig& config, int64_t started_at) {
    std::string old = health.value("Status", "starting");
    Json& log = health["Log"];
    if (!log.is_array()) log = Json::array();
    log.push_back(Json{{"Start", rfc3339_nano(r.start)}, {"End", rfc3339_nano(r.end)}, {"ExitCode", r.exit_code}, {"Output", r.output}});
    while (log.size() > kMaxHealthLog) log.erase(log.begin());
    int64_t streak = health.value("FailingStreak", int64_t{0});
    if (r.exit_code == 0) {
        streak = 0;
        health["Status"] = "healthy";
    } else if (!(old == "starting" && r.start - started_at < config.start_period)) {
        // Failures while starting, within the start period, do not count.
        if (++streak >= config.retries_or_default()) health["Status"] = "unhealthy";
    }
    health["FailingStreak"] = streak;
    if (!health.contains("Status")) health["Status"] = old;
    return health.value("Status", "") != old;
}

int64_t next_probe_delay(const Json& health, const HealthConfig& config, int64_t now, int64_t started_at) {
    int64_t interval = or_default(config.interval, kDefaultInterval);
    if (now - started_at >= config.start_period) return interval;
    return health.value("Status", "starting") == "starting" ? or_default(config.start_interval, kDefaultStartInterval) : interval;
}

std::string health_summary(const Json& health) {
    std::string s = health.is_object() ? health.value("Status", "") : "";
    return s == "starting" ? "health: starting" : s;
}

} // namespace kouti
