#pragma once
// The image verbs: import, images, tag, rmi, prune, history, inspect, save, load.
#include <string>
#include <vector>

#include "util/prune_filter.h"
#include "store/images.h"
#include "store/store.h"
#include "util/json.h"

namespace kouti {

struct ImportOptions {
    std::string source; // a file path or "-" for standard input
    std::string reference;
    std::vector<std::string> changes;
    std::string message;
    bool progress = true;
};
Result<std::string> import_image(Store& store, const ImportOptions& opts);

struct ImageListOptions {
    bool all = false;
    std::vector<std::string> filters; // "key=value"
};
// One row per (image, tag) as `docker images` lists them, each a Json object with the keys of
// Docker's --format placeholders plus "_id" (full ID) and "_created" (unix nanoseconds).
Result<std::vector<Json>> list_images(Store& store, const ImageListOptions& opts);

Status tag_image(Store& store, const std::string& source, const std::string& target);

// "Untagged: x" / "Deleted: sha256:..." lines, in Docker's order.
Result<std::vector<std::string>> remove_image(Store& store, const std::string& name, bool force, bool prune);

struct PruneReport {
    std::vector<std::string> lines; // "untagged: x", "deleted: sha256:..."
    int64_t reclaimed = 0;
};
// `all`: every image no container uses, not only untagged ones; `filter`: until and labels.
Result<PruneReport> prune_images(Store& store, bool all, const PruneFilter& filter = {});

// Newest first; each {"ID","Created","CreatedBy","Size","Comment","Tags"} as Docker's API has it.
Result<std::vector<Json>> image_history(Store& store, const std::string& name);
Result<Json> inspect_image(Store& store, const std::string& name);

enum class ArchiveFormat { Docker, Oci };
Status save_images(Store& store, const std::vector<std::string>& names, int fd, ArchiveFormat format, bool progress);
// "Loaded image: x" / "Loaded image ID: sha256:..." lines.
Result<std::vector<std::string>> load_images(Store& store, int fd, bool progress);

// Reads an image's config JSON from its blob.
Result<Json> image_config(Store& store, const std::string& id);
std::string short_id(const std::string& id); // 12 hex characters, no "sha256:"

} // namespace kouti
