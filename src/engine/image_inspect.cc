#include "engine/images.h"
#include "util/humanize.h"
#include "util/sha256.h"

namespace kouti {

Result<std::vector<Json>> image_history(Store& store, const std::string& name) {
    auto img = TRY(resolve_image(store.db(), name));
    Json config = TRY(image_config(store, img.id));
    std::vector<std::string> diff_ids;
    if (config.contains("rootfs") && config["rootfs"].contains("diff_ids"))
        for (const auto& d : config["rootfs"]["diff_ids"]) diff_ids.push_back(d.get<std::string>());
    std::vector<Json> rows;
    std::string chain;
    size_t layer = 0;
    Json history = config.contains("history") && config["history"].is_array() ? config["history"] : Json::array();
    for (const auto& h : history) {
        int64_t size = 0;
        if (!h.value("empty_layer", false) && layer < diff_ids.size()) {
            chain = chain.empty() ? diff_ids[layer] : digest_of(chain + " " + diff_ids[layer]);
            ++layer;
            auto row = TRY(layer_by_chain(store.db(), chain));
            if (row) size = row->size;
        }
        Json r = Json::object();
        r["ID"] = "<missing>";
        r["Created"] = std::max<int64_t>(0, parse_rfc3339(h.value("created", ""))) / 1000000000;
        r["CreatedBy"] = h.value("created_by", "");
        r["Tags"] = nullptr;
        r["Size"] = size;
        r["Comment"] = h.value("comment", "");
        rows.insert(rows.begin(), r);
    }
    // The newest entries belong to this image, older ones to its parents where we have them.
    std::string id = img.id;
    for (auto& r : rows) {
        auto cur = TRY(image_by_id(store.db(), id));
        if (!cur) break;
        r["ID"] = id;
        Json tags = Json::array();
        for (const auto& t : cur->tags) tags.push_back(t.familiar_string());
        if (!tags.empty()) r["Tags"] = tags;
        id = cur->parent;
        if (id.empty()) break;
    }
    return rows;
}

Result<Json> inspect_image(Store& store, const std::string& name) {
    auto img = TRY(resolve_image(store.db(), name));
    Json config = TRY(image_config(store, img.id));
    auto chain = TRY(layer_chain(store.db(), img.top_layer));
    Json tags = Json::array();
    for (const auto& t : img.tags) tags.push_back(t.familiar_string());
    Json layers = Json::array();
    if (config.contains("rootfs") && config["rootfs"].contains("diff_ids")) layers = config["rootfs"]["diff_ids"];

    Json j = Json::object();
    j["Id"] = img.id;
    j["RepoTags"] = tags;
    j["RepoDigests"] = Json::array();
    j["Parent"] = img.parent;
    j["Comment"] = config.value("comment", "");
    j["Created"] = config.value("created", rfc3339_nano(img.created));
    j["Container"] = config.value("container", "");
    j["ContainerConfig"] = config.contains("container_config") ? config["container_config"] : Json::object();
    j["DockerVersion"] = config.value("docker_version", "");
    j["Author"] = config.value("author", "");
    j["Config"] = config.contains("config") ? config["config"] : Json(nullptr);
    j["Architecture"] = config.value("architecture", "");
    if (config.contains("variant")) j["Variant"] = config["variant"];
    j["Os"] = config.value("os", "");
    j["Size"] = img.size;
    j["VirtualSize"] = img.size;
    j["GraphDriver"] = Json{{"Data", store.driver().graph_data(chain)}, {"Name", store.driver().name()}};
    j["RootFS"] = Json{{"Type", "layers"}, {"Layers", layers}};
    j["Metadata"] = Json{{"LastTagTime", img.last_tag_time ? rfc3339_nano(img.last_tag_time) : "0001-01-01T00:00:00Z"}};
    return j;
}

} // namespace kouti
