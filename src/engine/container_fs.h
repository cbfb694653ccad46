#pragma once
// A container's file system as layers: its own changes (the read-write layer) over its image's.
#include <functional>
#include <string>
#include <vector>

#include "store/containers.h"
#include "store/store.h"

namespace kouti {

struct ContainerFs {
    ContainerRow row;
    std::vector<LayerRow> chain; // the image's layers, top first
    std::string upper;           // the container's own changes
};

Result<ContainerFs> container_fs(Store& store, const std::string& name);

// Runs `fn` with the container's root file system open as `root`: the running container's own
// (through /proc/PID/root), or for a stopped one its layers mounted in a private mount namespace
// of a child process. Errors come back through a pipe.
Status with_container_root(Store& store, const std::string& name, const std::function<Status(int root)>& fn);

// A volume of a new container's own, and where it is mounted. As Docker, what the image holds
// at that place is copied into the volume if it is empty when the container is created (not
// for -v NAME:/dst:nocopy, --mount volume-nocopy, binds, or volumes of a driver's options).
struct VolumeCopy {
    std::string volume, destination;
};
Status populate_volumes(Store& store, const std::string& id, const std::vector<VolumeCopy>& copies);

} // namespace kouti
