#include "engine/binds.h"

#include <sstream>
#include <vector>

namespace kouti {

namespace {

std::vector<std::string> mode_options(const std::string& mode) {
    std::vector<std::string> out;
    std::stringstream ss(mode);
    std::string o;
    while (std::getline(ss, o, ','))
        if (!o.empty()) out.push_back(o);
    return out;
}

bool is_propagation(const std::string& o) {
    return o == "private" || o == "rprivate" || o == "shared" || o == "rshared" || o == "slave" || o == "rslave";
}

// Which of Docker's kinds of -v mode an option is; -1 for none.
int mode_kind(const std::string& o) {
    if (o == "ro" || o == "rw") return 0;
    if (o == "z" || o == "Z") return 1;
    if (is_propagation(o)) return 2;
    if (o == "nocopy") return 3;
    if (o == "consistent" || o == "cached" || o == "delegated") return 4;
    return -1;
}

} // namespace

bool BindSpec::has_option(const std::string& option) const {
    for (const auto& o : mode_options(mode))
        if (o == option) return true;
    return false;
}

bool BindSpec::read_only() const { return has_option("ro"); }

std::string BindSpec::propagation() const {
    for (const auto& o : mode_options(mode))
        if (is_propagation(o)) return o;
    return "rprivate";
}

bool valid_bind_mode(const std::string& mode) {
    int seen[5] = {0, 0, 0, 0, 0};
    for (const auto& o : mode_options(mode)) {
        int kind = mode_kind(o);
        if (kind < 0 || ++seen[kind] > 1) return false;
    }
    return true;
}

BindSpec parse_bind(const std::string& bind) {
    BindSpec b;
    auto c1 = bind.find(':');
    b.source = bind.substr(0, c1);
    if (c1 == std::string::npos) return b;
    auto c2 = bind.find(':', c1 + 1);
    b.destination = bind.substr(c1 + 1, c2 == std::string::npos ? std::string::npos : c2 - c1 - 1);
    if (c2 != std::string::npos) b.mode = bind.substr(c2 + 1);
    return b;
}

std::string bind_with_mode(const std::string& bind, const std::string& mode) {
    BindSpec b = parse_bind(bind);
    std::string kept = mode;
    for (const auto& o : mode_options(b.mode))
        if (o != "ro" && o != "rw") kept += (kept.empty() ? "" : ",") + o;
    return b.source + ":" + b.destination + (kept.empty() ? "" : ":" + kept);
}

} // namespace kouti
