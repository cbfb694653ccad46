#pragma once
// Where unpacked layers live. A driver only moves directories; the metadata is the store's.
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "archive/extract.h"
#include "util/json.h"
#include "util/result.h"

namespace kouti {

class SpareDirs;

struct LayerRow {
    std::string chain_id, diff_id, parent, cache_id, link_id;
    int64_t size = 0;
};

// How a container's read-write layer becomes its root file system.
struct RwRootfs {
    std::string path;         // the directory the container's root is
    std::string overlay_data; // overlay: mount data, paths relative to overlay_base
    std::string overlay_base;
};

class LayerDriver {
public:
    virtual ~LayerDriver() = default;
    virtual std::string name() const = 0;
    virtual WhiteoutMode whiteout_mode() const = 0;
    // Prepares `staged` (a fresh path in a staging area) and returns the directory a layer's tar
    // is extracted into. vfs starts from a full copy of `parent_tree` (empty: no parent).
    virtual Result<std::string> stage(const std::string& staged, const std::string& parent_tree) = 0;
    // Moves a staged layer into place (called inside the store's write transaction); fills link_id.
    virtual Status publish(const std::string& staged, LayerRow& row) = 0;
    // Moves a layer's directory out of the driver's home to `trash` (then deleted by the caller).
    virtual Status unpublish(const LayerRow& row, const std::string& trash) = 0;
    // The directory that is the layer in the driver's home (removing it removes the layer).
    virtual std::string layer_root(const LayerRow& row) const = 0;
    // The directory holding the layer's own files (overlay: its diff; vfs: the full tree).
    virtual std::string diff_dir(const LayerRow& row) const = 0;
    // GraphDriver.Data for inspect, given the chain top first.
    virtual Json graph_data(const std::vector<LayerRow>& chain) const = 0;
    // Names in the driver's home that belong to no layer in `cache_ids` / `link_ids`.
    virtual std::vector<std::string> orphans(const std::set<std::string>& cache_ids,
                                             const std::set<std::string>& link_ids) const = 0;
    virtual std::string home() const = 0;

    // A container's read-write layer on top of `chain` (top first), staged like a layer and
    // moved into place under `cache_id` in the transaction that records the container. Removed
    // with unpublish(LayerRow{.cache_id}); diff_dir() of it is what the container changed
    // (overlay: the upper directory; vfs: the whole tree).
    virtual Status stage_rw(const std::string& staged, const std::vector<LayerRow>& chain) = 0;
    virtual Status publish_rw(const std::string& staged, const std::string& cache_id) = 0;
    // `throwaway`: the layer is deleted when the container exits (--rm), so its writes need not
    // reach the disk. Overlay then mounts `volatile`: unmounting it otherwise syncs the whole
    // upper file system (a journal commit, 0.5-1 ms), as podman also avoids for --rm.
    virtual RwRootfs rw_rootfs(const std::string& cache_id, const std::vector<LayerRow>& chain, bool throwaway = false) const = 0;
    // Called before each mount of a container's layer: overlay refuses a work dir that a
    // volatile mount used (a crash may have lost its writes) until its marker is removed. For a
    // --rm container's layer, which never outlives a crash on purpose, that loss is accepted.
    virtual Status before_rw_mount(const std::string& cache_id) {
        (void)cache_id;
        return ok();
    }
};

std::unique_ptr<LayerDriver> make_overlay_driver(const std::string& root, SpareDirs& spares);
std::unique_ptr<LayerDriver> make_vfs_driver(const std::string& root);

// overlay's lowerdir option for a chain (top first) with the short links, relative to the
// driver's home: "l/AAA:l/BBB". 26-character links keep 100 layers under a page (4096 bytes).
std::string overlay_lowerdir(const std::vector<LayerRow>& chain);

} // namespace kouti
