#include "store/images.h"

#include <algorithm>
#include <map>

#include "util/sha256.h"

namespace kouti {
namespace {

constexpr const char* kImageCols = "SELECT id, IFNULL(parent,''), IFNULL(top_layer,''), size, created, added, last_tag_time FROM images";

ImageRow read_image(const Stmt& st) {
    ImageRow r;
    r.id = st.text(0);
    r.parent = st.text(1);
    r.top_layer = st.text(2);
    r.size = st.integer(3);
    r.created = st.integer(4);
    r.added = st.integer(5);
    r.last_tag_time = st.integer(6);
    return r;
}

Reference split_repo(const std::string& repo, const std::string& tag) {
    Reference ref;
    auto slash = repo.find('/');
    ref.domain = repo.substr(0, slash);
    ref.path = repo.substr(slash + 1);
    ref.tag = tag;
    return ref;
}

Status fill_tags(Db& db, ImageRow& row) {
    auto st = TRY(db.prepare("SELECT repo, tag FROM tags WHERE image_id = ? ORDER BY rowid"));
    st.bind(1, row.id);
    while (TRY(st.step())) row.tags.push_back(split_repo(st.text(0), st.text(1)));
    return ok();
}

LayerRow read_layer(const Stmt& st) {
    LayerRow r;
    r.chain_id = st.text(0);
    r.diff_id = st.text(1);
    r.parent = st.text(2);
    r.cache_id = st.text(3);
    r.link_id = st.text(4);
    r.size = st.integer(5);
    return r;
}

constexpr const char* kLayerCols = "SELECT chain_id, diff_id, IFNULL(parent,''), cache_id, link_id, size FROM layers";

} // namespace

Result<std::vector<ImageRow>> all_images(Db& db) {
    std::vector<ImageRow> out;
    std::map<std::string, size_t> index;
    auto st = TRY(db.prepare(std::string(kImageCols) + " ORDER BY created DESC, added DESC"));
    while (TRY(st.step())) {
        index[st.text(0)] = out.size();
        out.push_back(read_image(st));
    }
    auto tags = TRY(db.prepare("SELECT repo, tag, image_id FROM tags ORDER BY rowid"));
    while (TRY(tags.step())) {
        auto it = index.find(tags.text(2));
        if (it != index.end()) out[it->second].tags.push_back(split_repo(tags.text(0), tags.text(1)));
    }
    return out;
}

Result<std::optional<ImageRow>> image_by_id(Db& db, const std::string& id, bool with_tags) {
    auto st = TRY(db.prepare(std::string(kImageCols) + " WHERE id = ?"));
    st.bind(1, id);
    if (!TRY(st.step())) return std::optional<ImageRow>();
    ImageRow row = read_image(st);
    if (with_tags) TRY(fill_tags(db, row));
    return std::optional<ImageRow>(std::move(row));
}

Result<ImageRow> resolve_image(Db& db, const std::string& name, bool with_tags) {
    std::string shown = name;
    auto ref = parse_reference_default_tag(name);
    if (ref.ok() && ref->digest.empty()) {
        shown = ref->familiar_string();
        auto st = TRY(db.prepare("SELECT image_id FROM tags WHERE repo = ? AND tag = ?"));
        st.bind(1, ref->name()).bind(2, ref->tag);
        if (TRY(st.step())) {
            auto row = TRY(image_by_id(db, st.text(0), with_tags));
            if (row) return std::move(*row);
        }
    }
    // An ID or a unique prefix of one ("sha256:" optional), as Docker accepts.
    std::string hex = name.rfind("sha256:", 0) == 0 ? name.substr(7) : name;
    bool looks_like_id = !hex.empty() && hex.size() <= 64 &&
                         std::all_of(hex.begin(), hex.end(), [](char c) { return std::isxdigit(c) && !std::isupper(c); });
    if (looks_like_id) {
        auto st = TRY(db.prepare("SELECT id FROM images WHERE id >= ? AND id < ? LIMIT 2"));
        st.bind(1, "sha256:" + hex).bind(2, "sha256:" + hex + "g");
        std::vector<std::string> ids;
        while (TRY(st.step())) ids.push_back(st.text(0));
        if (ids.size() > 1) return Error::invalid("multiple IDs found with provided prefix: " + hex);
        if (ids.size() == 1) {
            auto row = TRY(image_by_id(db, ids[0], with_tags));
            if (row) return std::move(*row);
        }
    }
    if (!ref.ok() && !looks_like_id) return std::move(ref).error();
    return Error::not_found("No such image: " + shown);
}

Result<std::vector<std::string>> image_children(Db& db, const std::string& id) {
    auto st = TRY(db.prepare("SELECT id FROM images WHERE parent = ?"));
    st.bind(1, id);
    std::vector<std::string> out;
    while (TRY(st.step())) out.push_back(st.text(0));
    return out;
}

Result<std::vector<std::string>> containers_using_image(Db& db, const std::string& id) {
    auto st = TRY(db.prepare("SELECT id FROM containers WHERE image_id = ? ORDER BY created"));
    st.bind(1, id);
    std::vector<std::string> out;
    while (TRY(st.step())) out.push_back(st.text(0));
    return out;
}

Result<std::optional<LayerRow>> layer_by_chain(Db& db, const std::string& chain_id) {
    auto st = TRY(db.prepare(std::string(kLayerCols) + " WHERE chain_id = ?"));
    st.bind(1, chain_id);
    if (!TRY(st.step())) return std::optional<LayerRow>();
    return std::optional<LayerRow>(read_layer(st));
}

Result<std::vector<LayerRow>> layer_chain(Db& db, const std::string& top) {
    std::vector<LayerRow> chain;
    std::string cur = top;
    while (!cur.empty()) {
        auto row = TRY(layer_by_chain(db, cur));
        if (!row) return Error::corrupt("layer " + cur + " is missing from the store");
        cur = row->parent;
        chain.push_back(std::move(*row));
    }
    return chain;
}

Status insert_layer(Db& db, const LayerRow& row, int64_t created) {
    auto st = TRY(db.prepare("INSERT INTO layers(chain_id, diff_id, parent, cache_id, link_id, size, created) VALUES (?,?,?,?,?,?,?)"));
    st.bind(1, row.chain_id).bind(2, row.diff_id).bind_opt(3, row.parent).bind(4, row.cache_id)
        .bind(5, row.link_id).bind(6, row.size).bind(7, created);
    return st.run();
}

Result<bool> layer_in_use(Db& db, const std::string& chain_id) {
    auto st = TRY(db.prepare("SELECT 1 FROM images WHERE top_layer = ?1 UNION ALL SELECT 1 FROM layers WHERE parent = ?1 LIMIT 1"));
    st.bind(1, chain_id);
    return TRY(st.step());
}

Status insert_image(Db& db, const ImageRow& row) {
    auto st = TRY(db.prepare("INSERT INTO images(id, parent, top_layer, size, created, added) VALUES (?,?,?,?,?,?)"));
    st.bind(1, row.id).bind_opt(2, row.parent).bind_opt(3, row.top_layer).bind(4, row.size)
        .bind(5, row.created).bind(6, row.added);
    return st.run();
}

Result<std::string> set_tag(Db& db, const Reference& ref, const std::string& image_id, int64_t now) {
    std::string previous;
    {
        auto st = TRY(db.prepare("SELECT image_id FROM tags WHERE repo = ? AND tag = ?"));
        st.bind(1, ref.name()).bind(2, ref.tag);
        if (TRY(st.step())) previous = st.text(0);
    }
    if (previous == image_id) return previous;
    if (!previous.empty()) TRY(delete_tag(db, ref));
    auto st = TRY(db.prepare("INSERT INTO tags(repo, tag, image_id) VALUES (?,?,?)"));
    st.bind(1, ref.name()).bind(2, ref.tag).bind(3, image_id);
    TRY(st.run());
    auto t = TRY(db.prepare("UPDATE images SET last_tag_time = ? WHERE id = ?"));
    t.bind(1, now).bind(2, image_id);
    TRY(t.run());
    return previous;
}

Status delete_tag(Db& db, const Reference& ref) {
    auto st = TRY(db.prepare("DELETE FROM tags WHERE repo = ? AND tag = ?"));
    st.bind(1, ref.name()).bind(2, ref.tag);
    return st.run();
}

Status delete_image_row(Db& db, const std::string& id) {
    for (const char* sql : {"DELETE FROM tags WHERE image_id = ?", "DELETE FROM images WHERE id = ?"}) {
        auto st = TRY(db.prepare(sql));
        st.bind(1, id);
        TRY(st.run());
    }
    return ok();
}

} // namespace kouti
