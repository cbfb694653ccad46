#include "util/reference.h"

#include <algorithm>
#include <cctype>
#include <vector>

#include "util/sha256.h"

namespace kouti {
namespace {

bool is_lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

// path-component := [a-z0-9]+ ( ( [._] | __ | -+ ) [a-z0-9]+ )*
bool valid_path_component(const std::string& s) {
    size_t i = 0, n = s.size();
    auto alnum_run = [&] {
        size_t start = i;
        while (i < n && is_lower_alnum(s[i])) ++i;
        return i > start;
    };
    if (!alnum_run()) return false;
    while (i < n) {
        if (s[i] == '.') ++i;
        else if (s[i] == '_') i += (i + 1 < n && s[i + 1] == '_') ? 2 : 1;
        else if (s[i] == '-') while (i < n && s[i] == '-') ++i;
        else return false;
        if (!alnum_run()) return false;
    }
    return true;
}

// domain := host-component ( '.' host-component )* ( ':' [0-9]+ )?
bool valid_domain(const std::string& s) {
    std::string host = s;
    auto colon = s.find(':');
    if (colon != std::string::npos) {
        std::string port = s.substr(colon + 1);
        if (port.empty() || !std::all_of(port.begin(), port.end(), ::isdigit)) return false;
        host = s.substr(0, colon);
    }
    if (host.empty()) return false;
    size_t start = 0;
    while (true) {
        size_t dot = host.find('.', start);
        std::string part = host.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        if (part.empty() || !is_alnum(part.front()) || !is_alnum(part.back())) return false;
        for (char c : part)
            if (!is_alnum(c) && c != '-') return false;
        if (dot == std::string::npos) break;
        start = dot + 1;
    }
    return true;
}

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    size_t start = 0;
    while (true) {
        size_t p = s.find(sep, start);
        out.push_back(s.substr(start, p == std::string::npos ? std::string::npos : p - start));
        if (p == std::string::npos) break;
        start = p + 1;
    }
    return out;
}

bool valid_name(const std::string& name) {
    auto parts = split(name, '/');
    auto all_paths = [&](size_t from) {
        for (size_t i = from; i < parts.size(); ++i)
            if (!valid_path_component(parts[i])) return false;
        return from < parts.size();
    };
    return all_paths(0) || (parts.size() > 1 && valid_domain(parts[0]) && all_paths(1));
}

bool valid_digest(const std::string& d) {
    auto colon = d.find(':');
    if (colon == std::string::npos || colon == 0) return false;
    std::string hex = d.substr(colon + 1);
    if (hex.size() < 32) return false;
    return std::all_of(hex.begin(), hex.end(), [](char c) { return std::isxdigit(c) && !std::isupper(c); });
}

Error invalid_format() { return Error::usage("invalid reference format"); }

struct Split {
    std::string name, tag, digest;
};

// Splits "name[:tag][@digest]" on the grammar's separators and checks each part.
Result<Split> split_reference(const std::string& s) {
    Split out;
    std::string rest = s;
    if (auto at = rest.find('@'); at != std::string::npos) {
        out.digest = rest.substr(at + 1);
        rest = rest.substr(0, at);
        if (!valid_digest(out.digest)) return invalid_format();
    }
    auto colon = rest.rfind(':');
    auto slash = rest.rfind('/');
    if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) {
        out.tag = rest.substr(colon + 1);
        rest = rest.substr(0, colon);
        if (!valid_tag(out.tag)) return invalid_format();
    }
    out.name = rest;
    return out;
}

} // namespace

bool valid_tag(const std::string& tag) {
    if (tag.empty() || tag.size() > 128) return false;
    auto word = [](char c) { return is_alnum(c) || c == '_'; };
    if (!word(tag[0])) return false;
    return std::all_of(tag.begin(), tag.end(), [&](char c) { return word(c) || c == '.' || c == '-'; });
}

std::string Reference::familiar_name() const {
    if (domain != "docker.io") return name();
    if (path.rfind("library/", 0) == 0 && path.find('/', 8) == std::string::npos)
        return path.substr(8);
    return path;
}

std::string Reference::familiar_string() const {
    std::string s = familiar_name();
    if (!tag.empty()) s += ":" + tag;
    if (!digest.empty()) s += "@" + digest;
    return s;
}

std::string Reference::string() const {
    std::string s = name();
    if (!tag.empty()) s += ":" + tag;
    if (!digest.empty()) s += "@" + digest;
    return s;
}

Result<Reference> parse_reference(const std::string& s) {
    if (s.empty()) return invalid_format();
    if (is_hex64(s))
        return Error::usage("invalid repository name (" + s +
                              "), cannot specify 64-byte hexadecimal strings");
    auto parts = TRY(split_reference(s));
    if (parts.name.empty()) return invalid_format();

    Reference ref;
    ref.tag = parts.tag;
    ref.digest = parts.digest;
    // Docker's splitDockerDomain: the first component is a registry only if it looks like one.
    auto slash = parts.name.find('/');
    std::string first = parts.name.substr(0, slash);
    bool has_domain = slash != std::string::npos &&
                      (first.find_first_of(".:") != std::string::npos || first == "localhost" ||
                       std::any_of(first.begin(), first.end(), ::isupper));
    std::string remainder = parts.name;
    if (has_domain) {
        ref.domain = first;
        remainder = parts.name.substr(slash + 1);
        if (!valid_domain(ref.domain)) return invalid_format();
    } else {
        ref.domain = "docker.io";
    }
    if (ref.domain == "index.docker.io") ref.domain = "docker.io";
    std::string lowered = remainder;
    std::transform(lowered.begin(), lowered.end(), lowered.begin(), ::tolower);
    if (lowered != remainder) {
        if (valid_name(lowered))
            return Error::usage("invalid reference format: repository name (" +
                                  (ref.domain == "docker.io" && remainder.find('/') == std::string::npos
                                       ? "library/" + remainder
                                       : remainder) +
                                  ") must be lowercase");
        return invalid_format();
    }
    if (!valid_name(remainder)) return invalid_format();
    ref.path = (ref.domain == "docker.io" && remainder.find('/') == std::string::npos)
                   ? "library/" + remainder
                   : remainder;
    if (ref.name().size() > 255)
        return Error::usage("invalid reference format: repository name must not be more than 255 characters");
    return ref;
}

Result<Reference> parse_reference_default_tag(const std::string& s) {
    auto ref = TRY(parse_reference(s));
    if (ref.tag.empty() && ref.digest.empty()) ref.tag = "latest";
    return ref;
}

} // namespace kouti
