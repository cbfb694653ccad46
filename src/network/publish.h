#pragma once
// Docker's -p syntax: [IP:][HOSTPORT:]CONTAINERPORT[/PROTO], with port ranges of equal length.
#include <string>
#include <vector>

#include "util/result.h"

namespace kouti {

struct PublishSpec {
    std::string container_port; // "80/tcp"
    std::string host_ip;        // "" for every address
    std::string host_port;      // "" for a free port chosen at start
};
Result<std::vector<PublishSpec>> parse_publish(const std::string& spec);

} // namespace kouti
