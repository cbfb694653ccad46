#include "engine/container_fs.h"

#include "archive/tree_tar.h"
#include "engine/containers.h"
#include "store/images.h"

namespace kouti {

Result<ContainerFs> container_fs(Store& store, const std::string& name) {
    ContainerFs fs;
    auto found = TRY(resolve_container(store.db(), name));
    fs.row = TRY(sync_container(store, found.id));
    auto image = TRY(image_by_id(store.db(), fs.row.image_id));
    if (image && !image->top_layer.empty()) fs.chain = TRY(layer_chain(store.db(), image->top_layer));
    LayerRow rw;
    rw.cache_id = fs.row.layer;
    fs.upper = store.driver().diff_dir(rw);
    return fs;
}


Result<std::vector<std::string>> container_changes(Store& store, const std::string& name) {
    ContainerFs fs = TRY(container_fs(store, name));
    if (store.driver().name() != "overlay") return Error::invalid("diff needs the overlay storage driver");
    std::vector<std::string> lowers;
    for (const auto& l : fs.chain) lowers.push_back(store.driver().diff_dir(l));
    std::vector<std::string> out;
    for (const auto& c : TRY(overlay_changes(fs.upper, lowers))) out.push_back(std::string(1, c.kind) + " " + c.path);
    return out;
}

} // namespace kouti
