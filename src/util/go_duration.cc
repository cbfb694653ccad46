#include "util/go_duration.h"

#include <cctype>
#include <cmath>

#include "util/go_timestamp.h"
#include "util/humanize.h"

namespace kouti {
namespace {

int64_t unit_nanos(const std::string& u) {
    if (u == "ns") return 1;
    if (u == "us" || u == "\xc2\xb5s" || u == "\xce\xbcs") return 1000; // us, µs (micro sign), μs (Greek mu)
    if (u == "ms") return 1000000;
    if (u == "s") return 1000000000LL;
    if (u == "m") return 60 * 1000000000LL;
    if (u == "h") return 3600 * 1000000000LL;
    return 0;
}

// The digits of v / 10^prec after the point, without trailing zeros ("" when none).
std::string fraction(uint64_t v, int prec) {
    std::string digits;
    bool significant = false;
    for (int i = 0; i < prec; ++i) {
        int d = static_cast<int>(v % 10);
        significant = significant || d != 0;
        if (significant) digits.insert(digits.begin(), static_cast<char>('0' + d));
        v /= 10;
    }
    return digits.empty() ? "" : "." + digits;
}

} // namespace

Result<int64_t> parse_go_duration(const std::string& s) {
    Error invalid = Error::usage("time: invalid duration \"" + s + "\"");
    size_t i = 0;
    bool negative = false;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) negative = s[i++] == '-';
    if (s.substr(i) == "0") return 0;
    if (i == s.size()) return invalid;
    long double total = 0;
    while (i < s.size()) {
        size_t start = i;
        while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) ++i;
        std::string number = s.substr(start, i - start);
        if (number.empty() || number == "." || number.find('.') != number.rfind('.')) return invalid;
        size_t unit_start = i;
        while (i < s.size() && !std::isdigit(static_cast<unsigned char>(s[i])) && s[i] != '.') ++i;
        std::string unit = s.substr(unit_start, i - unit_start);
        if (unit.empty()) return Error::usage("time: missing unit in duration \"" + s + "\"");
        int64_t mult = unit_nanos(unit);
        if (mult == 0) return Error::usage("time: unknown unit \"" + unit + "\" in duration \"" + s + "\"");
        total += std::stold(number) * static_cast<long double>(mult);
        if (total > static_cast<long double>(INT64_MAX)) return invalid;
    }
    auto n = static_cast<int64_t>(std::llround(total));
    return negative ? -n : n;
}

std::string go_duration_string(int64_t nanos) {
    if (nanos == 0) return "0s";
    bool negative = nanos < 0;
    uint64_t u = negative ? static_cast<uint64_t>(-(nanos + 1)) + 1 : static_cast<uint64_t>(nanos);
    std::string out;
    if (u < 1000000000ULL) {
        // Below a second: one unit, with a fraction.
        if (u < 1000) out = std::to_string(u) + "ns";
        else if (u < 1000000) out = std::to_string(u / 1000) + fraction(u, 3) + "\xc2\xb5s";
        else out = std::to_string(u / 1000000) + fraction(u, 6) + "ms";
    } else {
        out = std::to_string(u / 1000000000ULL % 60) + fraction(u, 9) + "s";
        uint64_t minutes = u / 60000000000ULL;
        if (minutes > 0) {
            out = std::to_string(minutes % 60) + "m" + out;
            if (minutes >= 60) out = std::to_string(minutes / 60) + "h" + out;
        }
    }
    return negative ? "-" + out : out;
}

Result<int64_t> parse_time_or_duration(const std::string& s, int64_t now, const std::string& flag) {
    // moby's timetypes.GetTimestamp: a duration first, then a date and time, then a unix time.
    auto wrap = [&](const std::string& why) { return Error::invalid(flag.empty() ? why : "invalid value for \"" + flag + "\": " + why); };
    if (s != "0")
        if (auto ago = parse_go_duration(s); ago.ok()) return now - *ago;
    auto t = parse_go_timestamp(s, now);
    if (t.ok()) return t;
    // Looks like a date: Go's reason it is not one.
    if (s.find('-') != std::string::npos) return wrap(t.error().message);
    auto dot = s.find('.');
    std::string secs = s.substr(0, dot), frac = dot == std::string::npos ? "" : s.substr(dot + 1);
    auto all_digits = [](const std::string& d) { return !d.empty() && d.find_first_not_of("0123456789") == std::string::npos; };
    if (!all_digits(secs.substr(secs[0] == '+' ? 1 : 0)) || (dot != std::string::npos && !all_digits(frac)) || secs.size() > 18 || frac.size() > 18)
        return wrap("failed to parse value as time or duration: " + go_quote(s));
    int64_t nanos = 0;
    for (size_t i = 0; i < 9; ++i) nanos = nanos * 10 + (i < frac.size() ? frac[i] - '0' : 0);
    return std::stoll(secs) * 1000000000 + nanos;
}

} // namespace kouti
