#pragma once
// Durations as Go's time package reads and prints them: the docker CLI's duration flags
// (--health-interval 1m30s) and the messages that quote one ("exceeded timeout (500ms)").
#include <cstdint>
#include <string>

#include "util/result.h"

namespace kouti {

// time.ParseDuration: "300ms", "-1.5h", "2h45m", "1us"; nanoseconds. The error is Go's
// ("time: invalid duration \"abc\"").
Result<int64_t> parse_go_duration(const std::string& s);
// time.Duration.String: "1h2m3.5s", "1m0s", "500ms", "1.5µs", "0s".
std::string go_duration_string(int64_t nanos);
// --since/--until of logs and events and the until= filters, as moby's GetTimestamp: a duration
// before `now` ("10m", "1h30m"), a date and time (util/go_timestamp.h: "2013-01-02",
// "2013-01-02T13:23:37Z") or a unix timestamp ("1700000000.5"); unix nanoseconds. Errors are
// the docker CLI's (exit 1), naming `flag` unless it is empty (events names none).
Result<int64_t> parse_time_or_duration(const std::string& s, int64_t now, const std::string& flag);

} // namespace kouti
