// tag, rmi and image prune, following moby's image_delete.go: untag by reference, delete by ID,
// conflicts either "(must be forced)" (soft) or "(cannot be forced)" (hard).
#include <optional>
#include <set>

#include "engine/images.h"
#include "util/crash.h"
#include "util/humanize.h"
#include "util/sha256.h"

namespace kouti {
namespace {

enum Conflict : unsigned {
    DependentChild = 1,
    RunningContainer = 2,
    ActiveReference = 4,
    StoppedContainer = 8,
    Hard = DependentChild | RunningContainer,
    Soft = ActiveReference | StoppedContainer,
};

struct DeleteConflict {
    std::string id, message;
    bool hard = false, used = false;
    Error error() const {
        return Error::conflict("conflict: unable to delete " + short_id(id) + (hard ? " (cannot be forced) - " : " (must be forced) - ") + message);
    }
};

class Remover {
public:
    Remover(Store& store, Staging& staging) : m_store(store), m_db(store.db()), m_staging(staging) {}

    std::vector<std::string> lines;
    int64_t reclaimed = 0;

    Status remove(const std::string& name, bool force, bool prune) {
        auto img = TRY(resolve_image(m_db, name));
        std::string hex(digest_hex(img.id));
        std::string given = name.rfind("sha256:", 0) == 0 ? name.substr(7) : name;
        bool by_id = hex.rfind(given, 0) == 0;
        bool removed_ref = false;
        if (!by_id) {
            // Only the last name of an image a container uses needs force: untagging it would
            // leave the image dangling. Another name goes alone, as Docker's.
            auto users = TRY(containers_using_image(m_db, img.id));
            if (!users.empty() && !force && img.tags.size() <= 1)
                return Error::conflict("conflict: unable to remove repository reference \"" + name +
                                       "\" (must force) - container " + short_id(users[0]) +
                                       " is using its referenced image " + short_id(img.id));
            auto ref = TRY(parse_reference_default_tag(name));
            TRY(delete_tag(m_db, ref));
            lines.push_back("Untagged: " + ref.familiar_string());
            auto left = TRY(image_by_id(m_db, img.id));
            if (left && !left->tags.empty()) return ok();
            removed_ref = true;
        } else if (single_repository(img)) {
            unsigned mask = Hard | (force ? 0u : (Soft & ~unsigned(ActiveReference)));
            if (auto c = TRY(conflict(img.id, mask))) return c->error();
            for (const auto& t : img.tags) {
                TRY(delete_tag(m_db, t));
                lines.push_back("Untagged: " + t.familiar_string());
            }
        }
        return delete_image(img.id, force, prune, removed_ref);
    }

    // Files of what the transaction removed; deleted after it commits.
    void remove_files() {
        for (const auto& l : m_layers) {
            std::string trash = m_staging.fresh("trash");
            if (m_store.driver().unpublish(l, trash)) (void)remove_all(trash);
            crash_point("remove-layer-removed");
        }
        for (const auto& b : m_blobs) {
            (void)remove_all(m_store.blob_path(b));
            (void)remove_all(m_store.split_path(b));
        }
    }

    Status collect_unused_blobs() {
        for (const auto& l : m_layers) {
            auto st = TRY(m_db.prepare("SELECT 1 FROM layers WHERE diff_id = ?"));
            st.bind(1, l.diff_id);
            if (!TRY(st.step())) m_blobs.insert(l.diff_id);
        }
        return ok();
    }

private:
    bool single_repository(const ImageRow& img) {
        std::set<std::string> repos;
        for (const auto& t : img.tags) repos.insert(t.name());
        return repos.size() <= 1 && img.tags.size() <= 1;
    }

    Result<std::optional<DeleteConflict>> conflict(const std::string& id, unsigned mask) {
        if (mask & DependentChild && !TRY(image_children(m_db, id)).empty())
            return std::optional<DeleteConflict>(DeleteConflict{id, "image has dependent child images", true, false});
        if (mask & ActiveReference) {
            auto img = TRY(image_by_id(m_db, id));
            if (img && !img->tags.empty())
                return std::optional<DeleteConflict>(DeleteConflict{id, "image is referenced in multiple repositories", false, false});
        }
        if (mask & StoppedContainer) {
            auto users = TRY(containers_using_image(m_db, id));
            if (!users.empty())
                return std::optional<DeleteConflict>(DeleteConflict{id, "image is being used by stopped container " + short_id(users[0]), false, true});
        }
        return std::optional<DeleteConflict>();
    }

    Status delete_image(const std::string& id, bool force, bool prune, bool quiet) {
        auto c = TRY(conflict(id, Hard | (force ? 0u : unsigned(Soft))));
        if (c) {
            auto img = TRY(image_by_id(m_db, id));
            bool dangling = img && img->tags.empty() && TRY(image_children(m_db, id)).empty();
            if (quiet && (!dangling || c->used)) return ok();
            return c->error();
        }
        auto img = TRY(image_by_id(m_db, id));
        if (!img) return ok();
        for (const auto& t : img->tags) lines.push_back("Untagged: " + t.familiar_string());
        TRY(delete_image_row(m_db, id));
        m_blobs.insert(id);
        lines.push_back("Deleted: " + id);
        // Its layers go too, top down, while nothing else stands on them.
        std::string layer = img->top_layer;
        while (!layer.empty() && !TRY(layer_in_use(m_db, layer))) {
            auto row = TRY(layer_by_chain(m_db, layer));
            if (!row) break;
            auto del = TRY(m_db.prepare("DELETE FROM layers WHERE chain_id = ?"));
            del.bind(1, layer);
            TRY(del.run());
            lines.push_back("Deleted: " + layer);
            reclaimed += row->size;
            m_layers.push_back(*row);
            layer = row->parent;
        }
        if (prune && !img->parent.empty() && TRY(image_by_id(m_db, img->parent)))
            return delete_image(img->parent, false, true, true);
        return ok();
    }

    Store& m_store;
    Db& m_db;
    Staging& m_staging;
    std::vector<LayerRow> m_layers;
    std::set<std::string> m_blobs;
};

// Runs `work` in one transaction and deletes the removed files after it commits.
template <typename F> Status with_remover(Store& store, F work) {
    auto staging = TRY(store.stage());
    Remover r(store, *staging);
    auto tx = TRY(Transaction::begin(store.db()));
    TRY(work(r));
    TRY(r.collect_unused_blobs());
    crash_point("remove-before-commit");
    TRY(tx.commit());
    crash_point("remove-committed");
    r.remove_files();
    return ok();
}

} // namespace

Status tag_image(Store& store, const std::string& source, const std::string& target) {
    // As Docker's client library checks both, before the daemon sees anything: the source may
    // be an image ID (ParseAnyReference), the target must be a name.
    bool source_is_id = source.find_first_not_of("0123456789abcdef", source.rfind("sha256:", 0) == 0 ? 7 : 0) == std::string::npos &&
                        source.size() == (source.rfind("sha256:", 0) == 0 ? 71u : 64u);
    if (auto named = parse_reference_default_tag(source); !source_is_id && !named.ok())
        return Error::invalid("Error parsing reference: " + go_quote(source) + " is not a valid repository/tag: " + named.error().message);
    auto parsed = parse_reference_default_tag(target);
    if (!parsed.ok())
        return Error::invalid("Error parsing reference: " + go_quote(target) + " is not a valid repository/tag: " + parsed.error().message);
    auto ref = *parsed;
    if (!ref.digest.empty()) return Error::invalid("refusing to create a tag with a digest reference");
    auto tx = TRY(Transaction::begin(store.db()));
    auto img = TRY(resolve_image(store.db(), source));
    TRY(set_tag(store.db(), ref, img.id, now_nanos()));
    return tx.commit();
}

Result<std::vector<std::string>> remove_image(Store& store, const std::string& name, bool force, bool prune) {
    std::vector<std::string> lines;
    TRY(with_remover(store, [&](Remover& rm) -> Status {
        TRY(rm.remove(name, force, prune));
        lines = rm.lines;
        return ok();
    }));
    return lines;
}

Result<PruneReport> prune_images(Store& store, bool all, const PruneFilter& filter) {
    bool by_label = !filter.labels.empty() || !filter.not_labels.empty();
    PruneReport report;
    TRY(with_remover(store, [&](Remover& rm) -> Status {
        auto images = TRY(all_images(store.db()));
        std::set<std::string> parents;
        for (const auto& i : images)
            if (!i.parent.empty()) parents.insert(i.parent);
        for (const auto& img : images) {
            if (parents.count(img.id)) continue; // only heads; their untagged parents follow
            if (!all && !img.tags.empty()) continue;
            Json labels = by_label ? TRY(image_config(store, img.id)).value("config", Json::object()).value("Labels", Json::object()) : Json::object();
            if (!filter.selects(labels, img.created)) continue;
            if (!TRY(containers_using_image(store.db(), img.id)).empty()) continue;
            if (!TRY(image_by_id(store.db(), img.id))) continue; // already pruned as a parent
            std::vector<std::string> names;
            for (const auto& t : img.tags) names.push_back(t.familiar_string());
            if (names.empty()) names.push_back(img.id);
            for (const auto& n : names) {
                auto st = rm.remove(n, false, true);
                if (!st && st.error().kind != ErrorKind::Conflict) return std::move(st).error();
            }
        }
        for (const auto& l : rm.lines) {
            std::string lower = l;
            lower[0] = static_cast<char>(std::tolower(lower[0]));
            report.lines.push_back(lower);
        }
        report.reclaimed = rm.reclaimed;
        return ok();
    }));
    return report;
}

} // namespace kouti
