#pragma once
#include <string>
#include <vector>

#include "runtime/spec.h"
#include "util/json.h"
#include "util/result.h"

namespace kouti {

// Runs each hook with the container's state JSON on its standard input, as the spec says; a
// hook that fails or outlives its timeout fails the step.
Status run_hooks(const std::vector<Hook>& hooks, const Json& state, const std::string& stage);

} // namespace kouti
