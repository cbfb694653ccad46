#pragma once
// Image, tag and layer metadata queries. Repositories are stored fully qualified
// ("docker.io/library/busybox"); callers show the familiar form.
#include <optional>
#include <string>
#include <vector>

#include "store/db.h"
#include "store/layer_driver.h"
#include "util/reference.h"

namespace kouti {

struct ImageRow {
    std::string id; // "sha256:<hex>" = digest of the config
    std::string parent;
    std::string top_layer; // chain id, empty for an image without layers
    int64_t size = 0;
    int64_t created = 0;       // unix nanoseconds, from the config
    int64_t added = 0;         // when this store got it
    int64_t last_tag_time = 0;
    std::vector<Reference> tags;
};

Result<std::vector<ImageRow>> all_images(Db& db);
// `with_tags`: fills ImageRow::tags (one more query).
Result<std::optional<ImageRow>> image_by_id(Db& db, const std::string& id, bool with_tags = true);
// Resolves a reference ("busybox", "me/app:1"), a full or short ID; NotFound "No such image: x".
Result<ImageRow> resolve_image(Db& db, const std::string& name, bool with_tags = true);
Result<std::vector<std::string>> image_children(Db& db, const std::string& id);
Result<std::vector<std::string>> containers_using_image(Db& db, const std::string& id);

Result<std::optional<LayerRow>> layer_by_chain(Db& db, const std::string& chain_id);
Result<std::vector<LayerRow>> layer_chain(Db& db, const std::string& top); // top first
Status insert_layer(Db& db, const LayerRow& row, int64_t created);
Result<bool> layer_in_use(Db& db, const std::string& chain_id);

Status insert_image(Db& db, const ImageRow& row);
// Points repo:tag at the image; returns the image it pointed at before (empty if none).
Result<std::string> set_tag(Db& db, const Reference& ref, const std::string& image_id, int64_t now);
Status delete_tag(Db& db, const Reference& ref);
Status delete_image_row(Db& db, const std::string& id);

} // namespace kouti
