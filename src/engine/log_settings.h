#pragma once
// A container's json-file log as its --log-opt values set it: rotation (max-size, max-file) and
// Docker's extra attributes of every record (labels, labels-regex, env, env-regex).
#include "runtime/json_log.h"
#include "util/json.h"

namespace kouti {

// `container_config`: the stored configuration (Config and HostConfig).
LogSettings log_settings(const Json& container_config);

} // namespace kouti
