#pragma once
#include <nlohmann/json.hpp>

namespace kouti {
// Ordered so that what we print keeps Docker's field order.
using Json = nlohmann::ordered_json;
} // namespace kouti
