#include "engine/log_settings.h"

#include <algorithm>
#include <map>
#include <regex>
#include <sstream>

namespace kouti {

namespace {

std::vector<std::string> comma_list(const std::string& s) {
    std::vector<std::string> out;
    std::stringstream ss(s);
    for (std::string item; std::getline(ss, item, ',');)
        if (!item.empty()) out.push_back(item);
    return out;
}

// Adds the pairs of `values` whose key is in the option's list or matches its regex, as
// Docker's loggers' ExtraAttributes does.
void pick(const std::map<std::string, std::string>& values, const Json& opts, const char* list, const char* regex,
          std::map<std::string, std::string>& out) {
    for (const auto& key : comma_list(opts.value(list, "")))
        if (auto it = values.find(key); it != values.end()) out[key] = it->second;
    std::string pattern = opts.value(regex, "");
    if (pattern.empty()) return;
    try {
        std::regex re(pattern, std::regex::extended);
        for (const auto& [k, v] : values)
            if (std::regex_search(k, re)) out[k] = v;
    } catch (const std::regex_error&) {
        // checked when the container was created
    }
}

} // namespace

LogSettings log_settings(const Json& container_config) {
    LogSettings l;
    const Json hc = container_config.value("HostConfig", Json::object()), c = container_config.value("Config", Json::object());
    Json opts = hc.value("LogConfig", Json::object()).value("Config", Json::object());
    if (opts.contains("max-size")) {
        auto n = parse_log_size(opts["max-size"].get<std::string>());
        if (n.ok()) l.max_size = *n;
    }
    if (opts.contains("max-file")) l.max_files = std::max(1, std::stoi(opts["max-file"].get<std::string>()));
    std::map<std::string, std::string> labels, env, attrs;
    if (c.contains("Labels") && c["Labels"].is_object())
        for (auto it = c["Labels"].begin(); it != c["Labels"].end(); ++it)
            if (it->is_string()) labels[it.key()] = it->get<std::string>();
    if (c.contains("Env") && c["Env"].is_array())
        for (const auto& e : c["Env"]) {
            std::string kv = e.get<std::string>();
            if (auto eq = kv.find('='); eq != std::string::npos) env[kv.substr(0, eq)] = kv.substr(eq + 1);
        }
    pick(labels, opts, "labels", "labels-regex", attrs);
    pick(env, opts, "env", "env-regex", attrs);
    if (!attrs.empty()) {
        Json j = Json::object();
        for (const auto& [k, v] : attrs) j[k] = v; // in key order, as Go marshals a map
        l.attrs = j.dump();
    }
    return l;
}

} // namespace kouti
