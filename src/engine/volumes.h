#pragma once
// Local volumes: <root>/volumes/<name>/_data, with <name>/volume.json holding when it was made,
// its labels, its driver options and whether it is anonymous. A volume is in use while a
// container names it. (Mounting those with options: volume_mounts.h.)
#include <functional>
#include <string>
#include <vector>

#include "store/store.h"
#include "util/json.h"

namespace kouti {

struct VolumeInfo {
    std::string name;
    Json meta = Json::object(); // CreatedAt, Labels, Options, Anonymous
};

std::string volumes_dir(const Store& store);
// Creates the volume unless it exists; returns whether it was created. `options`: the local
// driver's (type, device, o), checked with check_volume_options.
Result<bool> ensure_volume(Store& store, const std::string& name, const Json& labels, bool anonymous,
                           const Json& options = Json::object());
// Docker's local driver options: type, device and o, each needing the others as Docker's does;
// size needs quotas, which overlay here has not.
Status check_volume_options(const std::string& name, const Json& options);
// The volume.json of a volume, or an empty object.
Json volume_meta(const Store& store, const std::string& name);
// Names of the volumes a container's HostConfig mounts (-v NAME:..., --mount type=volume).
std::vector<std::string> volumes_of(const Json& host_config);
Result<std::vector<VolumeInfo>> list_volumes(Store& store);
Result<Json> inspect_volume(Store& store, const std::string& name); // Docker's volume inspect JSON
// Names of containers using the volume.
Result<std::vector<std::string>> volume_users(Store& store, const std::string& name);
Status remove_volume(Store& store, const std::string& name, bool force);
// Removes unused volumes (anonymous only unless `all`); returns their names and freed bytes.
// `selected`: the volume's labels pass the caller's filters (all when absent).
Result<std::pair<std::vector<std::string>, int64_t>> prune_volumes(Store& store, bool all,
                                                                   const std::function<bool(const Json& labels)>& selected = {});
bool valid_volume_name(const std::string& name);

} // namespace kouti
