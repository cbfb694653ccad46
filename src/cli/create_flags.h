#pragma once
// The flags of `create` and `run`, turned into Docker's Config and HostConfig as the docker CLI
// builds them before sending them to the daemon.
#include <vector>

#include "cli/args.h"
#include "engine/containers.h"

namespace kouti {

const std::vector<FlagSpec>& create_flags(bool run);
// positional[0] is the image, the rest the command.
Result<CreateRequest> request_from_flags(const Args& a);
// Docker's RAMInBytes: "512m", "1g", "64k", "100b", "1024" (binary units).
Result<int64_t> parse_ram(const std::string& s);

} // namespace kouti
