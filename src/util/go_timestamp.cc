#include "util/go_timestamp.h"

#include <time.h>

#include <algorithm>
#include <array>

#include "util/humanize.h"

namespace kouti {
namespace {

// The layout GetTimestamp picks: local time unless the value has a Z, a '+' or three '-'
// (a date and a negative offset); the more colons after the T, the finer the layout.
std::string layout_for(const std::string& v, bool& local) {
    local = v.find_first_of("zZ+") == std::string::npos && std::count(v.begin(), v.end(), '-') != 3;
    std::string zone = local ? "" : "Z07:00";
    if (v.find('.') != std::string::npos) return "2006-01-02T15:04:05.999999999" + zone;
    if (v.find('T') == std::string::npos) return "2006-01-02" + zone;
    auto colons = std::count(v.begin(), v.end(), ':');
    // A numeric offset brings a colon of its own.
    if (!local && v.find_first_of("zZ") == std::string::npos && colons > 0) --colons;
    static const std::array<const char*, 3> kTimes = {"T15", "T15:04", "T15:04:05"};
    return "2006-01-02" + std::string(kTimes[static_cast<size_t>(std::min<long>(colons, 2))]) + zone;
}

bool digit_at(const std::string& s, size_t i) { return i < s.size() && s[i] >= '0' && s[i] <= '9'; }

// Go's getnum: one or two digits, exactly two when `fixed`.
bool take_number(std::string& rest, bool fixed, int& out) {
    if (!digit_at(rest, 0)) return false;
    if (!digit_at(rest, 1)) {
        if (fixed) return false;
        out = rest[0] - '0';
        rest.erase(0, 1);
        return true;
    }
    out = (rest[0] - '0') * 10 + (rest[1] - '0');
    rest.erase(0, 2);
    return true;
}

int days_in(int month, int year) {
    static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    return month == 2 && leap ? 29 : kDays[month - 1];
}

} // namespace

Result<int64_t> parse_go_timestamp(const std::string& value, int64_t now) {
    bool local = false;
    const std::string layout = layout_for(value, local);
    auto cannot_parse = [&](const std::string& rest, const std::string& elem) {
        return Error::invalid("parsing time " + go_quote(value) + " as " + go_quote(layout) + ": cannot parse " + go_quote(rest) + " as " +
                              go_quote(elem));
    };
    auto out_of_range = [&](const std::string& what) { return Error::invalid("parsing time " + go_quote(value) + ": " + what + " out of range"); };
    static const std::array<std::string, 8> kElements = {"2006", "Z07:00", ".999999999", "01", "02", "15", "04", "05"};
    int year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0, offset = 0;
    int64_t nanos = 0;
    std::string rest = value;
    for (size_t at = 0; at < layout.size();) {
        std::string elem;
        for (const auto& e : kElements)
            if (layout.compare(at, e.size(), e) == 0) elem = e;
        if (elem.empty()) {
            if (rest.empty() || rest[0] != layout[at]) return cannot_parse(rest, layout.substr(at, 1));
            rest.erase(0, 1);
            ++at;
            continue;
        }
        at += elem.size();
        const std::string before = rest;
        bool ok = true;
        if (elem == "2006") {
            ok = rest.size() >= 4 && std::all_of(rest.begin(), rest.begin() + 4, [](char c) { return c >= '0' && c <= '9'; });
            if (ok) {
                year = std::stoi(rest.substr(0, 4));
                rest.erase(0, 4);
            }
        } else if (elem == "01") {
            ok = take_number(rest, true, month);
            if (ok && (month < 1 || month > 12)) return out_of_range("month");
        } else if (elem == "02") {
            ok = take_number(rest, true, day); // checked against the month at the end, as Go does
        } else if (elem == "15") {
            ok = take_number(rest, false, hour);
            if (ok && hour >= 24) return out_of_range("hour");
        } else if (elem == "04") {
            ok = take_number(rest, true, minute);
            if (ok && minute >= 60) return out_of_range("minute");
        } else if (elem == "05") {
            ok = take_number(rest, true, second);
            if (ok && second >= 60) return out_of_range("second");
        } else if (elem == ".999999999") {
            // Optional; any number of digits, the first nine counted.
            if (rest.size() >= 2 && (rest[0] == '.' || rest[0] == ',') && digit_at(rest, 1)) {
                size_t n = 1;
                int64_t scale = 100000000;
                for (; digit_at(rest, n); ++n, scale /= 10) nanos += (rest[n] - '0') * scale;
                rest.erase(0, n);
            }
        } else if (!rest.empty() && rest[0] == 'Z') { // "Z07:00"
            rest.erase(0, 1);
        } else {
            ok = rest.size() >= 6 && rest[3] == ':' && (rest[0] == '+' || rest[0] == '-');
            std::string hh = ok ? rest.substr(1, 2) : "", mm = ok ? rest.substr(4, 2) : "";
            int oh = 0, om = 0;
            ok = ok && take_number(hh, true, oh) && take_number(mm, true, om);
            if (ok && oh > 24) return out_of_range("time zone offset hour");
            if (ok && om > 60) return out_of_range("time zone offset minute");
            if (ok) {
                offset = (oh * 60 + om) * 60 * (rest[0] == '-' ? -1 : 1);
                rest.erase(0, 6);
            }
        }
        if (!ok) return cannot_parse(before, elem);
    }
    if (!rest.empty()) return Error::invalid("parsing time " + go_quote(value) + ": extra text: " + go_quote(rest));
    if (day < 1 || day > days_in(month, year)) return out_of_range("day");
    if (local) {
        // The zone in force at `now`, as Go's time.FixedZone(reference.Zone()).
        time_t t = static_cast<time_t>(now / 1000000000);
        struct tm lt {};
        localtime_r(&t, &lt);
        offset = static_cast<int>(lt.tm_gmtoff);
    }
    struct tm tm {};
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    tm.tm_mday = day;
    tm.tm_hour = hour;
    tm.tm_min = minute;
    tm.tm_sec = second;
    return (static_cast<int64_t>(timegm(&tm)) - offset) * 1000000000 + nanos;
}

} // namespace kouti
