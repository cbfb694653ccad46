#pragma once
// `ps --filter`: Docker's filters on containers. Filters of one key are alternatives; different
// keys must all match. Most match what a `ps` row shows; volume=, network=, publish= and
// expose= need the container's configuration, read only when one of them is given.
#include <set>
#include <string>
#include <vector>

#include "engine/containers.h"
#include "store/store.h"

namespace kouti {

struct PsFilter {
    std::string key, value;
};

class PsFilters {
public:
    // Checks keys and values as Docker's daemon does (its errors exit with status 1).
    static Result<PsFilters> parse(Store& store, const std::vector<std::string>& raw);

    bool has(const std::string& key) const;
    bool needs_config() const; // volume=, network=, publish=, expose=
    // before= and since=: full ids; the caller keeps what its newest-first listing has past
    // (before) or ahead of (since) that container. Empty when not given.
    const std::string& before() const { return m_before; }
    const std::string& since() const { return m_since; }
    // `row`: as ps shows it; `full`: the container's row with its configuration, when
    // needs_config().
    Result<bool> matches(Store& store, const PsRow& row, const ContainerRow* full) const;

private:
    std::vector<PsFilter> m_filters;
    std::set<std::string> m_ancestors;     // ancestor=: the image and every image built on it
    std::set<std::string> m_published, m_exposed; // "80/tcp"
    std::string m_before, m_since;         // full ids
};

} // namespace kouti
