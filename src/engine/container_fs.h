#pragma once
// A container's file system as layers: its own changes (the read-write layer) over its image's.
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

} // namespace kouti
