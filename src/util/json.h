#pragma once
#include <algorithm>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace kouti {
// Ordered so that what we print keeps Docker's field order.
using Json = nlohmann::ordered_json;

// The object with its keys in byte order, as Go marshals a map; `skip_hidden` leaves out keys
// that start with '_'.
inline Json with_sorted_keys(const Json& o, bool skip_hidden = false) {
    if (!o.is_object()) return o;
    std::vector<std::string> keys;
    for (auto it = o.begin(); it != o.end(); ++it)
        if (!skip_hidden || it.key()[0] != '_') keys.push_back(it.key());
    std::sort(keys.begin(), keys.end());
    Json out = Json::object();
    for (const auto& k : keys) out[k] = o[k];
    return out;
}
} // namespace kouti
