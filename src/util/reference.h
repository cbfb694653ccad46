#pragma once
// Docker image references (distribution/reference grammar): [domain/]path[:tag][@digest].
#include <optional>
#include <string>

#include "util/result.h"

namespace kouti {

struct Reference {
    std::string domain; // "docker.io" when none was given
    std::string path;   // "library/busybox"
    std::string tag;    // empty when none was given
    std::string digest; // "sha256:..." or empty

    std::string name() const { return domain + "/" + path; } // fully qualified repository
    std::string familiar_name() const;                        // "busybox", "me/app", "host:5000/x"
    std::string familiar_string() const;                      // familiar name + ":tag" / "@digest"
    std::string string() const;                               // fully qualified, with tag/digest
};

// Parses and normalises like docker's ParseNormalizedNamed; errors carry Docker's messages.
Result<Reference> parse_reference(const std::string& s);
// As parse_reference, and adds the "latest" tag when neither tag nor digest was given.
Result<Reference> parse_reference_default_tag(const std::string& s);

bool valid_tag(const std::string& tag);

} // namespace kouti
