#pragma once
// The events log behind `kouti events`: one row per action on a container, image, volume or
// network, written in the transaction that did the action (Docker keeps them only in memory).
#include <string>
#include <vector>

#include "store/db.h"
#include "util/json.h"

namespace kouti {

// How many of the newest events the log keeps.
inline constexpr int64_t kKeptEvents = 10000;

struct EventRow {
    int64_t time = 0; // unix nanoseconds
    std::string type, action, actor;
    Json attributes = Json::object();
};

Status record_event(Db& db, const std::string& type, const std::string& action, const std::string& actor,
                    const Json& attributes = Json::object());
// Events with since < time <= until (nanoseconds), oldest first.
Result<std::vector<EventRow>> events_between(Db& db, int64_t since, int64_t until);

} // namespace kouti
