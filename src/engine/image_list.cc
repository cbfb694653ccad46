#include <fnmatch.h>

#include <set>

#include "engine/images.h"
#include "sys/fs.h"
#include "util/humanize.h"
#include "util/sha256.h"
#include "util/label_filter.h"

namespace kouti {

std::string short_id(const std::string& id) { return std::string(digest_hex(id).substr(0, 12)); }

Result<Json> image_config(Store& store, const std::string& id) {
    auto text = TRY_CTX(read_file(store.blob_path(id)), "read config of image " + short_id(id));
    auto j = Json::parse(text, nullptr, false);
    if (j.is_discarded()) return Error::corrupt("config of image " + short_id(id) + " is not valid JSON");
    return j;
}

namespace {

struct Filters {
    int dangling = -1; // -1 any, 0 tagged only, 1 untagged only
    std::vector<std::string> references, labels;
    int64_t before = -1, since = -1;
};

Result<Filters> parse_filters(Store& store, const std::vector<std::string>& raw) {
    Filters f;
    for (const auto& item : raw) {
        auto eq = item.find('=');
        if (eq == std::string::npos) return Error::invalid("bad format of filter (expected name=value)");
        std::string key = item.substr(0, eq), value = item.substr(eq + 1);
        if (key == "dangling") {
            if (value != "true" && value != "false" && value != "1" && value != "0")
                return Error::invalid("Invalid filter 'dangling=[" + value + "]'"); // Docker's words, its brackets too
            f.dangling = (value == "true" || value == "1") ? 1 : 0;
        } else if (key == "reference") {
            f.references.push_back(value);
        } else if (key == "label") {
            f.labels.push_back(value);
        } else if (key == "before" || key == "since") {
            auto img = TRY(resolve_image(store.db(), value));
            (key == "before" ? f.before : f.since) = img.created;
        } else {
            return Error::invalid("Invalid filter '" + key + "'");
        }
    }
    return f;
}

bool labels_match(const Json& config, const std::vector<std::string>& wanted) {
    const Json* labels = nullptr;
    if (config.contains("config") && config["config"].is_object() && config["config"].contains("Labels"))
        labels = &config["config"]["Labels"];
    for (const auto& w : wanted)
        if (!labels || !label_filter_matches(*labels, w)) return false;
    return true;
}

bool reference_match(const Reference& ref, const std::vector<std::string>& patterns) {
    for (const auto& p : patterns) {
        std::string name = ref.familiar_name();
        if (fnmatch(p.c_str(), name.c_str(), FNM_PATHNAME) == 0) return true;
        std::string full = name + ":" + ref.tag;
        if (fnmatch(p.c_str(), full.c_str(), FNM_PATHNAME) == 0) return true;
    }
    return false;
}

Json row_json(const ImageRow& img, const std::string& repo, const std::string& tag, int64_t now) {
    Json r = Json::object();
    std::string size = human_size(static_cast<double>(img.size));
    // Keys in the order Go marshals Docker's image formatter (alphabetical), for {{json .}}.
    r["Containers"] = "N/A";
    r["CreatedAt"] = go_time_string(img.created);
    r["CreatedSince"] = time_ago(img.created, now);
    r["Digest"] = "<none>";
    r["ID"] = short_id(img.id);
    r["Repository"] = repo;
    r["SharedSize"] = "N/A";
    r["Size"] = size;
    r["Tag"] = tag;
    r["UniqueSize"] = "N/A";
    r["VirtualSize"] = size;
    r["_id"] = img.id;
    r["_created"] = img.created;
    r["_size"] = img.size;
    return r;
}

} // namespace

Result<std::vector<Json>> list_images(Store& store, const ImageListOptions& opts) {
    Filters f = TRY(parse_filters(store, opts.filters));
    auto images = TRY(all_images(store.db()));
    std::set<std::string> parents;
    for (const auto& i : images)
        if (!i.parent.empty()) parents.insert(i.parent);
    int64_t now = now_nanos();
    std::vector<Json> rows;
    for (const auto& img : images) {
        bool dangling = img.tags.empty();
        // Without -a, untagged images that are the parents of others are intermediate: hidden.
        if (!opts.all && dangling && parents.count(img.id)) continue;
        if (f.dangling == 1 && !dangling) continue;
        if (f.dangling == 0 && dangling) continue;
        if (f.before >= 0 && img.created >= f.before) continue;
        if (f.since >= 0 && img.created <= f.since) continue;
        if (!f.labels.empty() && !labels_match(TRY(image_config(store, img.id)), f.labels)) continue;
        if (dangling) {
            if (f.references.empty()) rows.push_back(row_json(img, "<none>", "<none>", now));
            continue;
        }
        for (const auto& t : img.tags) {
            if (!f.references.empty() && !reference_match(t, f.references)) continue;
            rows.push_back(row_json(img, t.familiar_name(), t.tag, now));
        }
    }
    return rows;
}

} // namespace kouti
