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

} // namespace

bool BindSpec::read_only() const {
    for (const auto& o : mode_options(mode))
        if (o == "ro") return true;
    return false;
}

std::string BindSpec::propagation() const {
    for (const auto& o : mode_options(mode))
        if (o == "private" || o == "rprivate" || o == "shared" || o == "rshared" || o == "slave" || o == "rslave") return o;
    return "rprivate";
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
