#include "cli/args.h"

#include <algorithm>
#include <optional>

#include "util/humanize.h"
#include "util/numbers.h"

namespace kouti {

bool Args::flag(const std::string& name) const {
    auto it = m_values.find(name);
    if (it == m_values.end()) return false;
    return parse_go_bool(it->second.back()).value_or(false); // parse_args refused any other value
}

std::string Args::value(const std::string& name, const std::string& fallback) const {
    auto it = m_values.find(name);
    return it == m_values.end() ? fallback : it->second.back();
}

std::vector<std::string> Args::values(const std::string& name) const {
    auto it = m_values.find(name);
    return it == m_values.end() ? std::vector<std::string>() : it->second;
}

static Result<Args> parse_flags(const std::vector<FlagSpec>& specs, const std::vector<std::string>& argv,
                                bool stop_at_positional);

int64_t Args::int_value(const std::string& name, int64_t fallback) const {
    return has(name) ? parse_number<int64_t>(value(name)).value_or(fallback) : fallback;
}

static Status check_typed_value(const FlagSpec& s, const std::string& v) {
    std::optional<Error> bad;
    auto check = [&](const auto& parsed) {
        if (!parsed.ok()) bad = parsed.error();
    };
    if (s.value_name == "int") check(parse_go_int(v));
    else if (s.value_name == "uint16") check(parse_go_uint(v, 16));
    else if (s.value_name == "uint") check(parse_go_uint(v, 64));
    else if (s.value_name == "bytes" && !(s.name == "memory-swap" && v == "-1")) check(parse_go_ram(v));
    else if (!s.takes_value && !parse_go_bool(v)) bad = Error::usage("strconv.ParseBool: parsing " + go_quote(v) + ": invalid syntax");
    else if (s.name == "label" && s.value_name == "list") {
        // opts.ValidateLabel: a name before any '=', without blanks.
        std::string key = v.substr(0, v.find('='));
        key.erase(0, key.find_first_not_of(" \t"));
        if (key.empty()) bad = Error::usage("invalid label '" + v + "': empty name");
        else if (key.find_first_of(" \t") != std::string::npos) bad = Error::usage("label '" + key + "' contains whitespaces");
    } else if (s.value_name == "filter" && !v.empty() && v.find('=') == std::string::npos)
        bad = Error::usage("bad format of filter (expected name=value)");
    if (!bad) return ok();
    std::string label = s.shorthand ? std::string("-") + s.shorthand + ", --" + s.name : "--" + s.name;
    return invalid_flag_value(label, v, bad->message);
}

Error invalid_flag_value(const std::string& flag, const std::string& value, const std::string& why) {
    return Error::usage("invalid argument \"" + value + "\" for \"" + flag + "\" flag: " + why);
}

Result<Args> parse_args(const std::vector<FlagSpec>& specs, const std::vector<std::string>& argv,
                        bool stop_at_positional) {
    Result<Args> checked = parse_flags(specs, argv, stop_at_positional);
    if (!checked.ok()) return checked;
    for (const auto& s : specs)
        for (const auto& v : checked->values(s.name)) TRY(check_typed_value(s, v));
    return checked;
}

static Result<Args> parse_flags(const std::vector<FlagSpec>& specs, const std::vector<std::string>& argv,
                                bool stop_at_positional) {
    Args out;
    auto find_long = [&](const std::string& n) -> const FlagSpec* {
        for (const auto& s : specs)
            if (s.name == n) return &s;
        return nullptr;
    };
    auto find_short = [&](char c) -> const FlagSpec* {
        for (const auto& s : specs)
            if (s.shorthand == c) return &s;
        return nullptr;
    };
    for (size_t i = 0; i < argv.size(); ++i) {
        const std::string& a = argv[i];
        if (a == "--") {
            out.positional.insert(out.positional.end(), argv.begin() + static_cast<long>(i) + 1, argv.end());
            break;
        }
        if (a.size() > 2 && a[0] == '-' && a[1] == '-') {
            auto eq = a.find('=');
            std::string name = a.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
            const FlagSpec* s = find_long(name);
            if (!s) return Error::usage("unknown flag: --" + name);
            if (eq != std::string::npos) out.m_values[name].push_back(a.substr(eq + 1));
            else if (!s->takes_value) out.m_values[name].push_back("true");
            else if (i + 1 < argv.size()) out.m_values[name].push_back(argv[++i]);
            else return Error::usage("flag needs an argument: --" + name);
            continue;
        }
        if (a.size() > 1 && a[0] == '-') {
            for (size_t j = 1; j < a.size(); ++j) {
                const FlagSpec* s = find_short(a[j]);
                if (!s) return Error::usage(std::string("unknown shorthand flag: '") + a[j] + "' in " + a);
                if (!s->takes_value) {
                    if (j + 1 < a.size() && a[j + 1] == '=') { // -H=false
                        out.m_values[s->name].push_back(a.substr(j + 2));
                        break;
                    }
                    out.m_values[s->name].push_back("true");
                    continue;
                }
                std::string rest = a.substr(j + 1);
                if (!rest.empty() && rest[0] == '=') rest.erase(0, 1);
                if (!rest.empty()) out.m_values[s->name].push_back(rest);
                else if (i + 1 < argv.size()) out.m_values[s->name].push_back(argv[++i]);
                else return Error::usage(std::string("flag needs an argument: '") + a[j] + "' in -" + a[j]);
                break;
            }
            continue;
        }
        out.positional.push_back(a);
        if (stop_at_positional) {
            out.positional.insert(out.positional.end(), argv.begin() + static_cast<long>(i) + 1, argv.end());
            break;
        }
    }
    return out;
}

namespace {

// pflag's wrapN: the first at most `i` bytes of `s` up to a blank, and the rest; `slop` more when
// that takes the whole string, so that no short word is left alone on the last line.
std::pair<std::string, std::string> wrap_n(size_t i, size_t slop, const std::string& s) {
    if (i + slop > s.size()) return {s, ""};
    size_t w = s.find_last_of(" \t\n", i - 1);
    if (w == std::string::npos || w == 0) return {s, ""};
    size_t nl = s.rfind('\n', i - 1);
    if (nl != std::string::npos && nl > 0 && nl < w) return {s.substr(0, nl), s.substr(nl + 1)};
    return {s.substr(0, w), s.substr(w + 1)};
}

std::string indent_lines(const std::string& s, const std::string& newline) {
    std::string out;
    for (char c : s) {
        if (c == '\n') out += newline;
        else out += c;
    }
    return out;
}

} // namespace

std::string wrap_usage(int indent, int width, const std::string& s) {
    if (width == 0) return indent_lines(s, "\n" + std::string(static_cast<size_t>(indent), ' '));
    int room = width - indent;
    std::string r;
    if (room < 24) { // too narrow beside the flags: the text goes below them, as a block
        indent = 16;
        room = width - indent;
        r = "\n" + std::string(16, ' ');
    }
    if (room < 24) return indent_lines(s, r);
    const size_t slop = 5;
    const size_t take = static_cast<size_t>(room) - slop;
    const std::string newline = "\n" + std::string(static_cast<size_t>(indent), ' ');
    auto [line, rest] = wrap_n(take, slop, s);
    r += indent_lines(line, newline);
    while (!rest.empty()) {
        auto [next, after] = wrap_n(take, slop, rest);
        r += newline + indent_lines(next, newline);
        rest = std::move(after);
    }
    return r;
}

std::string flags_help(const std::vector<FlagSpec>& specs, int width) {
    std::vector<const FlagSpec*> shown;
    for (const auto& s : specs)
        if (!s.hidden) shown.push_back(&s);
    std::sort(shown.begin(), shown.end(), [](const FlagSpec* a, const FlagSpec* b) { return a->name < b->name; });
    std::vector<std::string> left;
    size_t longest = 0;
    for (const FlagSpec* s : shown) {
        std::string l = s->shorthand ? std::string("  -") + s->shorthand + ", --" + s->name : "      --" + s->name;
        if (s->takes_value) l += " " + (s->value_name.empty() ? std::string("string") : s->value_name);
        longest = std::max(longest, l.size() + 1);
        left.push_back(std::move(l));
    }
    // Go's Fprintln(line, spacing, usage): the help column is two past the longest flag.
    std::string out;
    for (size_t i = 0; i < shown.size(); ++i)
        out += left[i] + " " + std::string(longest - left[i].size(), ' ') + " " +
               wrap_usage(static_cast<int>(longest) + 2, width, shown[i]->help) + "\n";
    return out;
}

Json key_value_map(const std::vector<std::string>& items) {
    Json out = Json::object();
    for (const auto& l : items) {
        auto eq = l.find('=');
        out[l.substr(0, eq)] = eq == std::string::npos ? "" : l.substr(eq + 1);
    }
    return with_sorted_keys(out); // as Docker's maps print and range
}

} // namespace kouti
