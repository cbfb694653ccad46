#pragma once
// Docker's `--filter label=KEY` / `label=KEY=VALUE`, for every object that has labels.
#include <string>

#include "util/json.h"

namespace kouti {

inline bool label_filter_matches(const Json& labels, const std::string& filter) {
    auto eq = filter.find('=');
    std::string key = filter.substr(0, eq);
    if (!labels.is_object() || !labels.contains(key)) return false;
    return eq == std::string::npos || labels[key] == filter.substr(eq + 1);
}

} // namespace kouti
