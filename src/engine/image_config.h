#pragma once
// Image configs (Docker image spec v1.2) and the Dockerfile-like `--change` lines that edit them.
#include <string>
#include <vector>

#include "util/json.h"
#include "util/result.h"

namespace kouti {

// The "config" object of an image with Docker's fields at their zero values.
Json empty_container_config();
// Applies one change line ("CMD [\"sh\"]", "ENV A=b", "EXPOSE 80", ...) to a container config.
Status apply_change(Json& container_config, const std::string& line);
// Splits words like a Dockerfile does for ENV/LABEL: quotes group, backslash escapes.
std::vector<std::string> split_words(const std::string& s);
std::string host_architecture(); // "amd64", "arm64", ... as Go names them
// Docker's --platform ("os[/arch[/variant]]", arch defaulting to the host's) against the
// config of the image `reference` names: an error in Docker's words when they differ.
Status check_platform(const std::string& reference, const std::string& platform, const Json& image);

// The config of an image made by `import`: one layer, the message as comment and history.
std::string import_config(const std::string& diff_id, const std::string& comment,
                          const Json& container_config, int64_t created_nanos);

} // namespace kouti
