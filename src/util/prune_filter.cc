#include "util/prune_filter.h"

#include <algorithm>

#include "util/go_duration.h"
#include "util/humanize.h"
#include "util/label_filter.h"

namespace kouti {

bool PruneFilter::selects(const Json& object_labels, int64_t created) const {
    if (until && created >= *until) return false;
    for (const auto& l : labels)
        if (!label_filter_matches(object_labels, l)) return false;
    for (const auto& l : not_labels)
        if (label_filter_matches(object_labels, l)) return false;
    return true;
}

Result<PruneFilter> parse_prune_filter(const std::vector<std::string>& filters, const std::vector<std::string>& allowed, int64_t now) {
    PruneFilter f;
    for (const auto& text : filters) {
        auto eq = text.find('=');
        bool negated = eq != std::string::npos && eq > 0 && text[eq - 1] == '!';
        std::string key = text.substr(0, negated ? eq - 1 : eq), value = eq == std::string::npos ? "" : text.substr(eq + 1);
        if (key != "label" && std::find(allowed.begin(), allowed.end(), key) == allowed.end())
            return Error::invalid("Invalid filter '" + key + "'");
        if (key == "label") {
            (negated ? f.not_labels : f.labels).push_back(value);
        } else if (key == "until") {
            f.until = TRY(parse_time_or_duration(value, now, ""));
        } else { // dangling, all: Go booleans
            auto b = parse_go_bool(value);
            if (!b) return Error::invalid("Invalid filter '" + key + "=" + value + "'");
            (key == "dangling" ? f.dangling : f.all) = *b;
        }
    }
    return f;
}

} // namespace kouti
