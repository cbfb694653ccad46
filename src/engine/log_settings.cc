#include "engine/log_settings.h"

#include <algorithm>
#include <map>
#include <regex>
#include <sstream>

#include <unistd.h>

#include "util/humanize.h"
#include "util/numbers.h"
#include "util/template.h"

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

Json log_tag_info(const ContainerRow& container) {
    const Json& config = container.config;
    const Json c = config.value("Config", Json::object());
    Json opts = config.value("HostConfig", Json::object()).value("LogConfig", Json::object()).value("Config", Json::object());
    std::string path = config.value("Path", "");
    std::string command = path;
    for (const auto& arg : config.value("Args", std::vector<std::string>{})) command += " " + arg;
    char host[256] = {};
    ::gethostname(host, sizeof host - 1);
    // Docker's image id here has its "sha256:" prefix, so its 12-character ImageID is
    // "sha256:" and 5 hex digits; kept as Docker prints it.
    const std::string& image = container.image_id;
    return Json{{"Config", opts},
                {"ContainerID", container.id},
                {"ContainerName", "/" + container.name},
                {"ContainerEntrypoint", path},
                {"ContainerArgs", config.value("Args", Json::array())},
                {"ContainerImageID", image},
                {"ContainerImageName", c.value("Image", "")},
                {"ContainerCreated", rfc3339_nano(container.created)},
                {"ContainerEnv", c.value("Env", Json::array())},
                {"ContainerLabels", c.value("Labels", Json::object())},
                {"LogPath", ""},
                {"DaemonName", "kouti"},
                {"ID", container.id.substr(0, 12)},
                {"FullID", container.id},
                {"Name", container.name},
                {"ImageID", image.substr(0, 12)},
                {"ImageFullID", image},
                {"ImageName", c.value("Image", "")},
                {"Command", command},
                {"Hostname", std::string(host)}};
}

Result<LogSettings> log_settings(const ContainerRow& container) {
    LogSettings l;
    const Json& container_config = container.config;
    const Json hc = container_config.value("HostConfig", Json::object()), c = container_config.value("Config", Json::object());
    Json opts = hc.value("LogConfig", Json::object()).value("Config", Json::object());
    if (opts.contains("max-size")) {
        auto n = parse_log_size(opts["max-size"].get<std::string>());
        if (n.ok()) l.max_size = *n;
    }
    if (opts.contains("max-file")) {
        // Rotation keeps at most this many files; beyond a few thousand the number means "all".
        auto n = parse_number<int64_t>(opts["max-file"].get<std::string>());
        l.max_files = static_cast<int>(std::clamp<int64_t>(n.value_or(3), 1, 100000));
    }
    l.compress = parse_go_bool(opts.value("compress", "")).value_or(false);
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
    // No default tag: only one the user asked for, as Docker's json-file.
    if (std::string tag = opts.value("tag", ""); !tag.empty()) {
        TemplateOptions o;
        o.missing = MissingField::StructError;
        o.go_type = "*logger.Info";
        auto t = Template::parse(tag, "log-tag");
        auto text = t.ok() ? t->execute(log_tag_info(container), o) : Result<std::string>(t.error());
        if (!text.ok()) return std::move(text).error().context("failed to initialize logging driver");
        if (!text->empty()) attrs["tag"] = *text;
    }
    if (!attrs.empty()) {
        Json j = Json::object();
        for (const auto& [k, v] : attrs) j[k] = v; // in key order, as Go marshals a map
        l.attrs = j.dump();
    }
    return l;
}

} // namespace kouti
