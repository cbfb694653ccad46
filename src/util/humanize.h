#pragma once
// Sizes and times printed exactly as Docker's go-units and Go's time package print them.
#include <cstdint>
#include <optional>
#include <string>

namespace kouti {

// units.HumanSizeWithPrecision(b, precision): "4.26MB" (images, ps); units.HumanSize is
// precision 4: "4.257MB" (system df).
std::string human_size(double bytes, int precision = 3);
std::string human_binary_size(double bytes); // units.BytesSize: "23.47GiB"
std::string human_duration(int64_t seconds); // units.HumanDuration: "About a minute"
std::string time_ago(int64_t unix_nanos, int64_t now_nanos); // "2 minutes ago"

int64_t now_nanos();
std::string rfc3339_nano(int64_t unix_nanos);   // "2024-01-02T15:04:05.123456789Z"
std::string go_time_string(int64_t unix_nanos); // "2024-01-02 15:04:05 +0000 UTC"
// Parses RFC 3339 (as in image configs) to unix nanoseconds; -1 when malformed.
int64_t parse_rfc3339(const std::string& s);

// Docker's formatter.Ellipsis: at most `max` characters (UTF-8), the last one "…" when cut.
std::string ellipsis(const std::string& s, size_t max);
// Go's strconv.Quote: in double quotes, with \" \\ and control characters escaped.
std::string go_quote(const std::string& s);
// Go's strconv.ParseBool: 1 t T TRUE true True, 0 f F FALSE false False; nullopt otherwise.
std::optional<bool> parse_go_bool(const std::string& s);

} // namespace kouti
