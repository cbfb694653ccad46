#pragma once
// The times Docker's --since/--until and `until=` filters take (moby's timetypes.GetTimestamp):
// a date, a date with the hour, minutes, seconds and fraction, in local time unless the value
// names a zone ("2026-11-30", "2026-11-30T17:04", "2026-11-30T17:04:05.5Z",
// "2026-11-30T17:04+01:00"), read with Go's time.Parse and its error messages.
#include <cstdint>
#include <string>

#include "util/result.h"

namespace kouti {

// Unix nanoseconds of `value`, a local time in the zone in force at `now` (unix nanoseconds)
// unless it has one of its own. The error is Go's ("parsing time \"2026-13-01\": month out of
// range", "parsing time \"2026-1-2\" as \"2006-01-02\": cannot parse \"1-2\" as \"01\"").
Result<int64_t> parse_go_timestamp(const std::string& value, int64_t now);

} // namespace kouti
