#pragma once
// The --filter of Docker's prune commands: until=TIME|DURATION (created before it), label=K[=V],
// label!=K[=V], and per command dangling=BOOL (images) or all=BOOL (volumes). An unknown key is
// Docker's "Invalid filter 'KEY'".
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "util/json.h"
#include "util/result.h"

namespace kouti {

struct PruneFilter {
    std::vector<std::string> labels, not_labels;
    std::optional<int64_t> until; // unix nanoseconds
    std::optional<bool> dangling, all;

    // Whether an object with these labels, created at `created` (unix nanoseconds), is in.
    bool selects(const Json& labels, int64_t created) const;
};

// `allowed`: the keys this command takes besides label and label!= (e.g. {"until"}).
Result<PruneFilter> parse_prune_filter(const std::vector<std::string>& filters, const std::vector<std::string>& allowed, int64_t now);

} // namespace kouti
