#pragma once
// Docker's -p syntax: [IP:][HOSTPORT:]CONTAINERPORT[/PROTO], with port ranges of equal length.
#include <string>
#include <utility>
#include <vector>

#include "util/result.h"

namespace kouti {

struct PublishSpec {
    std::string container_port; // "80/tcp"
    std::string host_ip;        // "" for every address
    std::string host_port;      // "" for a free port chosen at start
};
Result<std::vector<PublishSpec>> parse_publish(const std::string& spec);

// nat.ParsePortRange: "80" or "8000-8010" as [first, last], with Go's strconv errors.
Result<std::pair<int, int>> parse_port_range(const std::string& s);
// nat.SplitProtoPort: "80/udp" -> {"udp", "80"}; no protocol is tcp; "" or "/x" -> {"", ""}.
std::pair<std::string, std::string> split_proto_port(const std::string& raw);
// --expose as the docker CLI reads it: a port or a range, one "N/proto" per port.
Result<std::vector<std::string>> parse_expose(const std::string& value);

} // namespace kouti
