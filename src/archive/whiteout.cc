#include "archive/whiteout.h"

#include <vector>

namespace kouti {

Whiteout classify_whiteout(std::string_view name) {
    if (name == kOpaqueMarker) return {WhiteoutKind::Opaque, {}};
    if (name.substr(0, 8) == ".wh..wh.") return {WhiteoutKind::Meta, {}}; // aufs bookkeeping
    if (name.substr(0, kWhiteoutPrefix.size()) == kWhiteoutPrefix && name.size() > kWhiteoutPrefix.size())
        return {WhiteoutKind::File, std::string(name.substr(kWhiteoutPrefix.size()))};
    return {};
}

std::pair<std::string, std::string> split_parent(const std::string& path) {
    auto slash = path.rfind('/');
    if (slash == std::string::npos) return {"", path};
    return {path.substr(0, slash), path.substr(slash + 1)};
}

bool clean_member_path(std::string_view raw, std::string& out) {
    if (!raw.empty() && raw[0] == '/') return false;
    std::vector<std::string_view> parts;
    size_t start = 0;
    while (start <= raw.size()) {
        size_t slash = raw.find('/', start);
        std::string_view part = raw.substr(start, slash == std::string_view::npos ? raw.size() - start : slash - start);
        if (part == "..") {
            if (parts.empty()) return false;
            parts.pop_back();
        } else if (!part.empty() && part != ".") {
            parts.push_back(part);
        }
        if (slash == std::string_view::npos) break;
        start = slash + 1;
    }
    out.clear();
    for (size_t i = 0; i < parts.size(); ++i) {
        if (i) out += '/';
        out += parts[i];
    }
    return true;
}

} // namespace kouti
