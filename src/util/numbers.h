#pragma once
// Numbers from users and from files a container controls, read without exceptions: std::stoi
// and friends throw on "x" or on 20 digits, and an uncaught throw aborts kouti mid-command.
// The messages are Go's strconv ones, which the docker CLI shows for its typed flags.
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "util/result.h"

namespace kouti {

// A whole decimal number, optionally signed ("+5", "-1"); nullopt for anything else or on overflow.
template <typename T>
std::optional<T> parse_number(std::string_view s) {
    if (!s.empty() && s[0] == '+') s.remove_prefix(1);
    T v{};
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    return v;
}

// strconv.ParseInt(s, 10, 64), with its error.
inline Result<int64_t> parse_go_int(const std::string& s) {
    if (auto v = parse_number<int64_t>(s)) return *v;
    std::string_view digits(s);
    if (!digits.empty() && (digits[0] == '-' || digits[0] == '+')) digits.remove_prefix(1);
    bool syntax_ok = !digits.empty() && digits.find_first_not_of("0123456789") == std::string_view::npos;
    return Error::usage("strconv.ParseInt: parsing \"" + s + "\": " + (syntax_ok ? "value out of range" : "invalid syntax"));
}

// strconv.ParseUint(s, 10, bits), with its error.
inline Result<uint64_t> parse_go_uint(const std::string& s, int bits) {
    bool syntax_ok = !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
    auto v = syntax_ok ? parse_number<uint64_t>(s) : std::nullopt;
    if (v && (bits >= 64 || *v < (uint64_t{1} << bits))) return *v;
    return Error::usage("strconv.ParseUint: parsing \"" + s + "\": " + (syntax_ok ? "value out of range" : "invalid syntax"));
}

// strconv.ParseFloat(s, 64) of a decimal number ("1.5", ".5", "2.", "1e3"), with its error.
inline Result<double> parse_go_float(const std::string& s) {
    size_t i = 0;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    size_t digits = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++digits;
    if (i < s.size() && s[i] == '.') {
        ++i;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++digits;
    }
    if (digits > 0 && i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        size_t e = i + 1;
        if (e < s.size() && (s[e] == '+' || s[e] == '-')) ++e;
        size_t exp_digits = 0;
        while (e < s.size() && std::isdigit(static_cast<unsigned char>(s[e]))) ++e, ++exp_digits;
        if (exp_digits > 0) i = e;
    }
    if (digits == 0 || i != s.size()) return Error::usage("strconv.ParseFloat: parsing \"" + s + "\": invalid syntax");
    double v = std::strtod(s.c_str(), nullptr);
    if (std::isinf(v)) return Error::usage("strconv.ParseFloat: parsing \"" + s + "\": value out of range");
    return v;
}

// go-units' RAMInBytes, which the docker CLI's byte flags use: "512m", "1.5g", "64KiB", "100b",
// "1024"; binary units. Its errors: "invalid size: 'abc'", "invalid suffix: 'x'", ParseFloat's.
inline Result<int64_t> parse_go_ram(const std::string& s) {
    size_t sep = s.find_last_of("0123456789. ");
    if (sep == std::string::npos) return Error::usage("invalid size: '" + s + "'");
    std::string num = s[sep] == ' ' ? s.substr(0, sep) : s.substr(0, sep + 1), suffix = s.substr(sep + 1);
    double size = TRY(parse_go_float(num));
    if (size < 0) return Error::usage("invalid size: '" + s + "'");
    for (auto& c : suffix) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto bytes = [&](double n) -> Result<int64_t> {
        if (n >= 9.2233720368547758e18) return Error::usage("invalid size: '" + s + "'");
        return static_cast<int64_t>(n);
    };
    if (suffix.empty()) return bytes(size);
    if (suffix.size() <= 3) {
        if (suffix[0] == 'b' && suffix.size() == 1) return bytes(size);
        static constexpr std::string_view kUnits = "kmgtp";
        if (auto at = kUnits.find(suffix[0]); at != std::string_view::npos && suffix[0] != 'b') {
            if (suffix.size() == 1 || suffix == std::string(1, suffix[0]) + "b" || suffix.substr(1) == "ib")
                return bytes(size * std::pow(1024.0, static_cast<double>(at + 1)));
        }
    }
    return Error::usage("invalid suffix: '" + suffix + "'");
}

} // namespace kouti
