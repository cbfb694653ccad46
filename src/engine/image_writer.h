#pragma once
// Builds a new image in a staging area (layers extracted, blobs written) and publishes it in one
// transaction, so a crash at any point leaves either the whole image or nothing.
#include <optional>
#include <string>
#include <vector>

#include "archive/tar_reader.h"
#include "store/images.h"
#include "store/store.h"

namespace kouti {

class ImageWriter {
public:
    ImageWriter(Store& store, Staging& staging) : m_store(store), m_staging(staging) {}

    // Reads a layer tar (any compression) from `in` on top of `parent_chain`; when
    // `expected_diff_id` is given the content must match it. Returns the layer's chain id.
    Result<std::string> add_layer(TarInput in, const std::string& parent_chain,
                                  const std::string& expected_diff_id = "");
    // True when the store (or this writer) already has the layer, so its tar need not be read.
    Result<bool> has_layer(const std::string& chain_id);
    void add_config(const std::string& config_json) { m_config = config_json; }
    const std::string& last_diff_id() const { return m_last_diff_id; } // of the last add_layer

    // Publishes the layers, the config blob, the image row and `tags`; returns the image ID.
    // Tags moved away from another image leave that image dangling, as in Docker.
    Result<std::string> commit(const std::string& parent_image, const std::vector<Reference>& tags);

    static std::string chain_id(const std::string& parent_chain, const std::string& diff_id);

private:
    struct Staged {
        LayerRow row;
        std::string dir;  // staged layer directory (driver format)
        std::string tree; // the full tree (vfs) for children to copy
        std::string blob;  // staged uncompressed tar, or
        std::string split; // staged tar-split record that rebuilds it from `tree`
    };
    Result<std::string> parent_tree(const std::string& parent_chain);

    Store& m_store;
    Staging& m_staging;
    std::vector<Staged> m_layers;
    std::string m_config;
    std::string m_last_diff_id;
};

} // namespace kouti
