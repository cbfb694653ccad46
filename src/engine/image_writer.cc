#include "engine/image_writer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/humanize.h"
#include "util/json.h"
#include "archive/tar_split.h"
#include "util/crash.h"
#include "util/sha256.h"

namespace kouti {

std::string ImageWriter::chain_id(const std::string& parent_chain, const std::string& diff_id) {
    if (parent_chain.empty()) return diff_id;
    return digest_of(parent_chain + " " + diff_id); // OCI image spec's ChainID
}

Result<bool> ImageWriter::has_layer(const std::string& chain) {
    for (const auto& l : m_layers)
        if (l.row.chain_id == chain) return true;
    return TRY(layer_by_chain(m_store.db(), chain)).has_value();
}

Result<std::string> ImageWriter::parent_tree(const std::string& parent_chain) {
    if (parent_chain.empty()) return std::string();
    for (const auto& l : m_layers)
        if (l.row.chain_id == parent_chain) return l.tree;
    auto row = TRY(layer_by_chain(m_store.db(), parent_chain));
    if (!row) return Error::corrupt("parent layer " + parent_chain + " is missing");
    return m_store.driver().diff_dir(*row);
}

Result<std::string> ImageWriter::add_layer(TarInput in, const std::string& parent_chain,
                                           const std::string& expected_diff_id) {
    Staged s;
    std::string base = m_staging.fresh("layer");
    // A file we can read again is kept as a tar-split record (kilobytes) instead of a second copy
    // of the whole tar; a pipe must be copied as it streams by.
    struct stat st;
    off_t start = ::lseek(in.fd, 0, SEEK_CUR);
    bool rereadable = start >= 0 && ::fstat(in.fd, &st) == 0 && S_ISREG(st.st_mode);
    TarSplitScanner scanner;
    UniqueFd blob;
    if (rereadable) {
        in.split = &scanner;
    } else {
        s.blob = base + ".tar";
        blob = TRY(open_file(s.blob, O_WRONLY | O_CREAT | O_EXCL, 0644));
        in.tee_fd = blob.get();
    }
    std::string tree = TRY(parent_tree(parent_chain));
    s.dir = base;
    s.tree = TRY(m_store.driver().stage(base, tree));
    auto reader = TRY(TarReader::open(in));
    auto stats = TRY(extract_tar(*reader, s.tree, m_store.driver().whiteout_mode()));
    s.row.diff_id = TRY(reader->finish_diff_id());
    if (!expected_diff_id.empty() && s.row.diff_id != expected_diff_id)
        return Error::corrupt("layer content has diff ID " + s.row.diff_id + ", the image config says " + expected_diff_id);
    if (rereadable) {
        if (scanner.exact() && stats.data_files_intact && stats.data_files.size() == scanner.file_count()) {
            s.split = base + ".split";
            TRY(write_tar_split(s.split, scanner, stats.data_files));
        } else {
            // Rare (sparse files, members that replace each other): keep the full tar.
            s.blob = base + ".tar";
            blob = TRY(open_file(s.blob, O_WRONLY | O_CREAT | O_EXCL, 0644));
            if (::lseek(in.fd, start, SEEK_SET) != start) return Error::from_syscall("rewind layer input");
            TarInput again;
            again.fd = in.fd;
            again.tee_fd = blob.get();
            auto copy = TRY(TarReader::open(again));
            if (TRY(copy->finish_diff_id()) != s.row.diff_id) return Error::corrupt("layer input changed while it was read");
        }
    }
    m_last_diff_id = s.row.diff_id;
    s.row.parent = parent_chain;
    s.row.chain_id = chain_id(parent_chain, s.row.diff_id);
    s.row.size = stats.size;
    if (TRY(has_layer(s.row.chain_id))) {
        // Identical content is stored once: drop what we just unpacked.
        (void)remove_all(s.dir);
        if (!s.blob.empty()) ::unlink(s.blob.c_str());
        if (!s.split.empty()) ::unlink(s.split.c_str());
        return s.row.chain_id;
    }
    m_layers.push_back(std::move(s));
    return m_layers.back().row.chain_id;
}

Result<std::string> ImageWriter::commit(const std::string& parent_image, const std::vector<Reference>& tags) {
    auto config = Json::parse(m_config, nullptr, false);
    if (config.is_discarded() || !config.is_object()) return Error::corrupt("image config is not a JSON object");
    std::string id = digest_of(m_config);
    std::string top;
    if (config.contains("rootfs") && config["rootfs"].contains("diff_ids")) {
        for (const auto& d : config["rootfs"]["diff_ids"]) top = chain_id(top, d.get<std::string>());
    }
    std::string config_staged = m_staging.fresh("config");
    TRY(write_file_atomic(config_staged, m_config));
    int64_t now = now_nanos();

    Db& db = m_store.db();
    auto tx = TRY(Transaction::begin(db));
    std::vector<std::string> placed; // undone if the transaction does not commit
    auto undo = [&] {
        for (const auto& p : placed) (void)remove_all(p);
    };
    auto place_blob = [&](const std::string& staged, const std::string& digest) -> Status {
        std::string dest = m_store.blob_path(digest);
        if (path_exists(dest)) return ok();
        TRY(rename_path(staged, dest));
        placed.push_back(dest);
        return ok();
    };
    Status st = [&]() -> Status {
        for (auto& l : m_layers) {
            if (TRY(layer_by_chain(db, l.row.chain_id))) continue; // another process won the race
            l.row.cache_id = random_hex(32);
            TRY(m_store.driver().publish(l.dir, l.row));
            crash_point("layer-published");
            placed.push_back(m_store.driver().layer_root(l.row));
            if (!l.row.link_id.empty()) placed.push_back(m_store.driver().home() + "/l/" + l.row.link_id);
            bool have_tar = path_exists(m_store.blob_path(l.row.diff_id)) || path_exists(m_store.split_path(l.row.diff_id));
            if (!have_tar && !l.blob.empty()) TRY(place_blob(l.blob, l.row.diff_id));
            if (!have_tar && !l.split.empty()) {
                TRY(rename_path(l.split, m_store.split_path(l.row.diff_id)));
                placed.push_back(m_store.split_path(l.row.diff_id));
            }
            TRY(insert_layer(db, l.row, now));
        }
        TRY(place_blob(config_staged, id));
        if (!TRY(image_by_id(db, id))) {
            ImageRow row;
            row.id = id;
            row.parent = parent_image;
            row.top_layer = top;
            for (const auto& l : TRY(layer_chain(db, top))) row.size += l.size;
            std::string created = config.value("created", "");
            row.created = created.empty() ? 0 : parse_rfc3339(created);
            if (row.created < 0) row.created = 0;
            row.added = now;
            TRY(insert_image(db, row));
        }
        for (const auto& t : tags) TRY(set_tag(db, t, id, now));
        crash_point("image-placed");
        TRY(tx.commit());
        crash_point("image-committed");
        return ok();
    }();
    if (!st) {
        undo();
        return std::move(st).error();
    }
    return id;
}

} // namespace kouti
