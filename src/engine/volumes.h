#pragma once
// Local volumes: <root>/volumes/<name>/_data, with <name>/volume.json holding when it was made,
// its labels and whether it is anonymous. A volume is in use while a container names it.
#include <string>
#include <vector>

#include "store/store.h"
#include "util/json.h"

namespace kouti {

struct VolumeInfo {
    std::string name;
    Json meta = Json::object(); // CreatedAt, Labels, Anonymous
};

std::string volumes_dir(const Store& store);
// Creates the volume unless it exists; returns whether it was created.
Result<bool> ensure_volume(Store& store, const std::string& name, const Json& labels, bool anonymous);
Result<std::vector<VolumeInfo>> list_volumes(Store& store);
Result<Json> inspect_volume(Store& store, const std::string& name); // Docker's volume inspect JSON
// Names of containers using the volume.
Result<std::vector<std::string>> volume_users(Store& store, const std::string& name);
Status remove_volume(Store& store, const std::string& name, bool force);
// Removes unused volumes (anonymous only unless `all`); returns their names and freed bytes.
Result<std::pair<std::vector<std::string>, int64_t>> prune_volumes(Store& store, bool all);
bool valid_volume_name(const std::string& name);

} // namespace kouti
