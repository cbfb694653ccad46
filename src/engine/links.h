#pragma once
// Docker's legacy links (--link NAME[:ALIAS]): the linked container's address in /etc/hosts
// under the alias, its hostname and name, and its ports and environment as ALIAS_* variables.
// Kept by name, as "/child:/parent/alias" in HostConfig.Links (Docker's inspect form), and
// looked up at each start, when the linked container must run.
#include <string>
#include <vector>

#include "network/etc_files.h"
#include "store/containers.h"
#include "store/store.h"
#include "util/json.h"

namespace kouti {

// --link values checked as the docker CLI does ("bad format for links: a:b:c").
Status check_link_flags(const std::vector<std::string>& links);
// At create: every linked container must exist; links are refused with host or container:
// networking, as Docker refuses them. Returns them as (child name, alias).
Result<std::vector<std::pair<std::string, std::string>>> resolve_links(Db& db, const Json& host_config);
// HostConfig.Links in Docker's form, once the parent's name is known.
Json stored_links(const std::vector<std::pair<std::string, std::string>>& links, const std::string& parent_name);

struct LinkedContainer {
    HostsEntry hosts;             // address: alias, hostname, name
    std::vector<std::string> env; // ALIAS_PORT..., ALIAS_NAME, ALIAS_ENV_...
};
// At start: what each link gives the container. A linked container that does not run is
// Docker's error ("Cannot link to a non running container: /db AS /web/db").
Result<std::vector<LinkedContainer>> linked_containers(Store& store, const ContainerRow& row);

// The variables one link sets: `link_name` is "/parent/alias"; `exposed` the child's
// Config.ExposedPorts; `child_env` its Config.Env.
std::vector<std::string> link_env(const std::string& link_name, const std::string& child_ip, const Json& exposed, const Json& child_env);

} // namespace kouti
