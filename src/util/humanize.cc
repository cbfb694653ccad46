#include "util/humanize.h"

#include <cmath>
#include <cstdio>
#include <ctime>

namespace kouti {

static std::string scaled(double size, double base, const char* const* units, int precision) {
    int i = 0;
    while (size >= base && i < 8) {
        size /= base;
        ++i;
    }
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*g%s", precision, size, units[i]);
    return buf;
}

std::string human_size(double size, int precision) {
    static const char* units[] = {"B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};
    return scaled(size, 1000.0, units, precision);
}

std::string human_binary_size(double size) {
    static const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"};
    return scaled(size, 1024.0, units, 4);
}

std::string human_duration(int64_t seconds) {
    char buf[64];
    if (seconds < 1) return "Less than a second";
    if (seconds == 1) return "1 second";
    if (seconds < 60) {
        std::snprintf(buf, sizeof buf, "%lld seconds", static_cast<long long>(seconds));
        return buf;
    }
    int64_t minutes = seconds / 60;
    if (minutes == 1) return "About a minute";
    if (minutes < 60) {
        std::snprintf(buf, sizeof buf, "%lld minutes", static_cast<long long>(minutes));
        return buf;
    }
    auto hours = static_cast<int64_t>(std::round(static_cast<double>(seconds) / 3600.0));
    const char* unit = nullptr;
    int64_t n = 0;
    if (hours == 1) return "About an hour";
    if (hours < 48) n = hours, unit = "hours";
    else if (hours < 24 * 7 * 2) n = hours / 24, unit = "days";
    else if (hours < 24 * 30 * 2) n = hours / 24 / 7, unit = "weeks";
    else if (hours < 24 * 365 * 2) n = hours / 24 / 30, unit = "months";
    else n = seconds / 3600 / 24 / 365, unit = "years";
    std::snprintf(buf, sizeof buf, "%lld %s", static_cast<long long>(n), unit);
    return buf;
}

std::string time_ago(int64_t unix_nanos, int64_t now) {
    return human_duration((now - unix_nanos) / 1000000000) + " ago";
}

int64_t now_nanos() {
    timespec ts{};
    clock_gettime(CLOCK_REALTIME, &ts);
    return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

static std::tm utc(int64_t unix_nanos) {
    time_t secs = static_cast<time_t>(unix_nanos / 1000000000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    return tm;
}

std::string rfc3339_nano(int64_t unix_nanos) {
    std::tm tm = utc(unix_nanos);
    char buf[64];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    std::string s = buf;
    long frac = static_cast<long>(unix_nanos % 1000000000);
    if (frac != 0) { // Go trims trailing zeros of the fraction
        char f[16];
        std::snprintf(f, sizeof f, ".%09ld", frac);
        std::string fs = f;
        while (fs.back() == '0') fs.pop_back();
        s += fs;
    }
    return s + "Z";
}

std::string go_time_string(int64_t unix_nanos) {
    std::tm tm = utc(unix_nanos);
    char buf[64];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S +0000 UTC", &tm);
    return buf;
}

int64_t parse_rfc3339(const std::string& s) {
    std::tm tm{};
    int consumed = 0;
    if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                    &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &consumed) != 6)
        return -1;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    int64_t nanos = 0;
    size_t i = static_cast<size_t>(consumed);
    if (i < s.size() && s[i] == '.') {
        ++i;
        int64_t scale = 100000000;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
            nanos += (s[i] - '0') * scale;
            scale /= 10;
            ++i;
        }
    }
    int64_t offset = 0;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
        int oh = 0, om = 0;
        if (std::sscanf(s.c_str() + i + 1, "%2d:%2d", &oh, &om) != 2) return -1;
        offset = (oh * 3600 + om * 60) * (s[i] == '+' ? 1 : -1);
    } else if (i >= s.size() || (s[i] != 'Z' && s[i] != 'z')) {
        return -1;
    }
    return (static_cast<int64_t>(timegm(&tm)) - offset) * 1000000000 + nanos;
}

std::string ellipsis(const std::string& s, size_t max) {
    if (max == 0) return "";
    size_t chars = 0, cut = 0;
    for (size_t i = 0; i < s.size(); ++i) {
        if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue; // inside a character
        if (chars == max - 1) cut = i;
        if (++chars > max) return s.substr(0, cut) + "…";
    }
    return s;
}

std::string go_quote(const std::string& s) {
    std::string out = "\"";
    for (unsigned char c : s) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\a': out += "\\a"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\v': out += "\\v"; break;
        default:
            if (c < 0x20 || c == 0x7f) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\x%02x", c);
                out += buf;
            } else {
                out += static_cast<char>(c);
            }
        }
    }
    return out + "\"";
}

std::optional<bool> parse_go_bool(const std::string& s) {
    if (s == "1" || s == "t" || s == "T" || s == "TRUE" || s == "true" || s == "True") return true;
    if (s == "0" || s == "f" || s == "F" || s == "FALSE" || s == "false" || s == "False") return false;
    return std::nullopt;
}

} // namespace kouti
