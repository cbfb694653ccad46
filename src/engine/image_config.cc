#include "engine/image_config.h"

#include <sys/utsname.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <sstream>

#include "engine/health.h"
#include "util/humanize.h"

namespace kouti {

Json empty_container_config() {
    Json c = Json::object();
    c["Hostname"] = "";
    c["Domainname"] = "";
    c["User"] = "";
    c["AttachStdin"] = false;
    c["AttachStdout"] = false;
    c["AttachStderr"] = false;
    c["Tty"] = false;
    c["OpenStdin"] = false;
    c["StdinOnce"] = false;
    c["Env"] = nullptr;
    c["Cmd"] = nullptr;
    c["Image"] = "";
    c["Volumes"] = nullptr;
    c["WorkingDir"] = "";
    c["Entrypoint"] = nullptr;
    c["OnBuild"] = nullptr;
    c["Labels"] = nullptr;
    return c;
}

std::vector<std::string> split_words(const std::string& s) {
    std::vector<std::string> out;
    std::string cur;
    bool in_word = false;
    char quote = 0;
    for (size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (quote) {
            if (c == quote) quote = 0;
            else if (c == '\\' && quote == '"' && i + 1 < s.size()) cur += s[++i];
            else cur += c;
        } else if (c == '"' || c == '\'') {
            quote = c;
            in_word = true;
        } else if (c == '\\' && i + 1 < s.size()) {
            cur += s[++i];
            in_word = true;
        } else if (std::isspace(static_cast<unsigned char>(c))) {
            if (in_word) out.push_back(cur);
            cur.clear();
            in_word = false;
        } else {
            cur += c;
            in_word = true;
        }
    }
    if (in_word) out.push_back(cur);
    return out;
}

namespace {

// CMD/ENTRYPOINT/VOLUME accept a JSON array ("exec form") or plain words.
Json exec_or_shell(const std::string& args, bool shell) {
    if (!args.empty() && args[0] == '[') {
        auto j = Json::parse(args, nullptr, false);
        if (j.is_array() && std::all_of(j.begin(), j.end(), [](const Json& v) { return v.is_string(); })) return j;
    }
    if (shell) return Json::array({"/bin/sh", "-c", args});
    Json words = Json::array();
    for (auto& w : split_words(args)) words.push_back(w);
    return words;
}

// "k=v k2=v2" or the legacy "k v with spaces".
Result<std::vector<std::pair<std::string, std::string>>> key_values(const std::string& instr, const std::string& args) {
    std::vector<std::pair<std::string, std::string>> out;
    auto words = split_words(args);
    if (words.empty()) return Error::invalid(instr + " requires at least one argument");
    if (words[0].find('=') == std::string::npos) {
        auto space = args.find_first_of(" \t");
        if (space == std::string::npos) return Error::invalid(instr + " requires at least two arguments");
        std::string value = args.substr(space);
        value.erase(0, value.find_first_not_of(" \t"));
        out.emplace_back(words[0], value);
        return out;
    }
    for (const auto& w : words) {
        auto eq = w.find('=');
        if (eq == std::string::npos || eq == 0) return Error::invalid("Syntax error - can't find = in \"" + w + "\". Must be of the form: name=value");
        out.emplace_back(w.substr(0, eq), w.substr(eq + 1));
    }
    return out;
}

void set_env(Json& c, const std::string& key, const std::string& value) {
    if (!c["Env"].is_array()) c["Env"] = Json::array();
    for (auto& e : c["Env"]) {
        std::string s = e.get<std::string>();
        if (s.substr(0, s.find('=')) == key) {
            e = key + "=" + value;
            return;
        }
    }
    c["Env"].push_back(key + "=" + value);
}

} // namespace

Status apply_change(Json& c, const std::string& line) {
    std::string trimmed = line;
    trimmed.erase(0, trimmed.find_first_not_of(" \t"));
    auto space = trimmed.find_first_of(" \t");
    std::string instr = trimmed.substr(0, space);
    std::string args = space == std::string::npos ? "" : trimmed.substr(space + 1);
    args.erase(0, args.find_first_not_of(" \t"));
    while (!args.empty() && std::isspace(static_cast<unsigned char>(args.back()))) args.pop_back();
    std::string upper = instr;
    std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);

    if (upper == "CMD") c["Cmd"] = exec_or_shell(args, true);
    else if (upper == "ENTRYPOINT") c["Entrypoint"] = exec_or_shell(args, true);
    else if (upper == "ENV") {
        for (auto& [k, v] : TRY(key_values("ENV", args))) set_env(c, k, v);
    } else if (upper == "LABEL") {
        if (!c["Labels"].is_object()) c["Labels"] = Json::object();
        for (auto& [k, v] : TRY(key_values("LABEL", args))) c["Labels"][k] = v;
        c["Labels"] = with_sorted_keys(c["Labels"]); // a map: Go marshals it in key order
    } else if (upper == "WORKDIR") {
        if (args.empty()) return Error::invalid("WORKDIR requires exactly one argument");
        std::string cur = c.value("WorkingDir", "");
        c["WorkingDir"] = args[0] == '/' ? args : (cur.empty() ? "/" : cur + (cur.back() == '/' ? "" : "/")) + args;
    } else if (upper == "USER") {
        if (args.empty()) return Error::invalid("USER requires exactly one argument");
        c["User"] = args;
    } else if (upper == "EXPOSE") {
        if (!c.contains("ExposedPorts") || !c["ExposedPorts"].is_object()) c["ExposedPorts"] = Json::object();
        for (auto& p : split_words(args)) {
            auto slash = p.find('/');
            std::string port = p.substr(0, slash), proto = slash == std::string::npos ? "tcp" : p.substr(slash + 1);
            if (port.empty() || !std::all_of(port.begin(), port.end(), ::isdigit) || (proto != "tcp" && proto != "udp" && proto != "sctp"))
                return Error::invalid("invalid containerPort: " + p);
            c["ExposedPorts"][port + "/" + proto] = Json::object();
        }
        c["ExposedPorts"] = with_sorted_keys(c["ExposedPorts"]);
    } else if (upper == "VOLUME") {
        if (!c["Volumes"].is_object()) c["Volumes"] = Json::object();
        auto vols = exec_or_shell(args, false);
        if (vols.empty()) return Error::invalid("VOLUME requires at least one argument");
        for (auto& v : vols) c["Volumes"][v.get<std::string>()] = Json::object();
        c["Volumes"] = with_sorted_keys(c["Volumes"]);
    } else if (upper == "HEALTHCHECK") {
        c["Healthcheck"] = TRY(healthcheck_instruction(args));
    } else if (upper == "STOPSIGNAL") {
        if (args.empty()) return Error::invalid("STOPSIGNAL requires exactly one argument");
        c["StopSignal"] = args;
    } else {
        std::string lower = instr; // Docker's Dockerfile parser names instructions in lower case
        for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        return Error::invalid(lower + " is not a valid change command");
    }
    return ok();
}

namespace {

// uname's and Debian's names for an architecture, as Go names it.
std::string go_architecture(std::string arch) {
    for (auto& c : arch) c = static_cast<char>(std::tolower(c));
    if (arch == "x86_64" || arch == "x86-64") return "amd64";
    if (arch == "aarch64") return "arm64";
    if (arch == "armhf" || arch == "armel" || arch.starts_with("armv7")) return "arm";
    if (arch == "i386" || arch == "i686") return "386";
    return arch;
}

std::string platform_text(const std::string& os, const std::string& arch, const std::string& variant) {
    return os + "/" + arch + (variant.empty() ? "" : "/" + variant);
}

} // namespace

std::string host_architecture() {
    utsname u{};
    uname(&u);
    return go_architecture(u.machine);
}

Status check_platform(const std::string& reference, const std::string& platform, const Json& image) {
    std::vector<std::string> parts;
    std::stringstream ss(platform);
    std::string part;
    while (std::getline(ss, part, '/')) parts.push_back(part);
    static const std::set<std::string> known_os = {"linux", "windows", "darwin", "freebsd", "netbsd", "openbsd", "solaris", "illumos", "aix"};
    std::string os = parts.empty() ? "" : parts[0];
    for (auto& c : os) c = static_cast<char>(std::tolower(c));
    if (parts.empty() || parts.size() > 3 || !known_os.count(os))
        return Error::usage("error parsing specified platform: \"" + platform + "\": unknown operating system or architecture: invalid argument");
    std::string arch = parts.size() > 1 ? go_architecture(parts[1]) : host_architecture();
    std::string variant = parts.size() > 2 ? parts[2] : "";
    std::string image_os = image.value("os", "linux"), image_arch = go_architecture(image.value("architecture", host_architecture()));
    std::string image_variant = image.value("variant", "");
    if (os == image_os && arch == image_arch && (variant.empty() || variant == image_variant)) return ok();
    return Error::not_found("image with reference " + reference + " was found but does not match the specified platform: wanted " +
                            platform_text(os, arch, variant) + ", actual: " + platform_text(image_os, image_arch, image_variant));
}

std::string import_config(const std::string& diff_id, const std::string& comment,
                          const Json& container_config, int64_t created) {
    // Keys in Go's marshalling order of Docker's image struct, so the bytes look like Docker's.
    Json j = Json::object();
    j["architecture"] = host_architecture();
    j["comment"] = comment;
    j["config"] = container_config;
    j["created"] = rfc3339_nano(created);
    j["history"] = Json::array({Json{{"created", rfc3339_nano(created)}, {"comment", comment}}});
    j["os"] = "linux";
    j["rootfs"] = Json{{"type", "layers"}, {"diff_ids", Json::array({diff_id})}};
    return j.dump();
}

} // namespace kouti
