#pragma once
// A container's json-file log as its --log-opt values set it: rotation (max-size, max-file,
// compress) and Docker's extra attributes of every record (labels, labels-regex, env, env-regex,
// and tag, a template of the container's logging info).
#include "runtime/json_log.h"
#include "store/containers.h"
#include "util/json.h"

namespace kouti {

Result<LogSettings> log_settings(const ContainerRow& container);

// What a tag template sees: the fields and methods of Docker's logger.Info.
Json log_tag_info(const ContainerRow& container);

} // namespace kouti
