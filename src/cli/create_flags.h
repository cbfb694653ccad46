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
// An integer flag's value, or the docker CLI's error naming the flag.
Result<int64_t> parse_flag_int(const std::string& flag, const std::string& value);
// -e and --env-file as one list, the files first; a bare NAME takes our value, if we have one.
Result<std::vector<std::string>> env_from_flags(const Args& a);
// --restart NAME[:COUNT] as Docker's RestartPolicy, read as the docker CLI reads it (any name);
// validate_restart_policy then checks it as the daemon does (no, always, unless-stopped,
// on-failure[:N]).
Result<Json> parse_restart_policy(const std::string& value);
Status validate_restart_policy(const Json& policy);
// --blkio-weight: 10 to 1000, or 0 for none; Docker's messages.
Result<int64_t> parse_blkio_weight(const std::string& value);
// The flags few use (--gpus, --storage-opt, --cpu-rt-*, --ip6, --link-local-ip...) into `r`,
// and the Windows-only ones refused as the docker CLI refuses them on Linux.
Status rare_create_flags(const Args& a, CreateRequest& r);
// --link-local-ip, checked as Docker's daemon checks it: first that each is an address (the
// message lists them all), then that each is link-local (and IPv4: kouti's networks are).
Result<std::vector<std::string>> check_link_local_ips(const std::vector<std::string>& ips);
// --ip6: an IPv6 address, or Docker's "invalid IPv6 address: X".
Status check_ipv6_address(const std::string& ip6);
// What Docker checks of the values before it creates anything (cli/create_flag_checks.cc): the
// docker CLI's validators and parse(), and the daemon's checks of paths and ranges.
Status check_create_flag_values(const Args& a);
// -a's streams, lower-cased ("STDOUT" is stdout), or the docker CLI's error.
Result<std::vector<std::string>> attach_streams(const Args& a);
// --device HOST[:CONTAINER][:MODE] as Docker's DeviceMappings.
Result<Json> device_mappings(const Args& a);
// --expose, each port of a range its own key ("80/tcp").
Result<Json> exposed_ports(const Args& a);
// --cpus 1.5 as NanoCpus, within the CPUs this machine has.
Result<int64_t> parse_nano_cpus(const std::string& value);

} // namespace kouti
