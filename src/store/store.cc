#include "store/store.h"

#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <set>
#include <thread>

#include "store/containers.h"
#include "store/schema.sql.h"
#include "sys/after_exit.h"
#include "sys/mounts.h"
#include "util/sha256.h"
#include "util/timing.h"

namespace kouti {

Staging::~Staging() {
    bool deferred = !m_spares.take_deferred().empty(); // into this area
    // An area holding anything is taken apart by a child once we are gone (sys/after_exit.h).
    if ((m_counter > 0 || m_release.valid() || deferred) &&
        remove_after_exit(m_path, m_spares.dir(), m_path + ".lock", m_lock.fd(), m_release.get()))
        return;
    (void)remove_all(m_path, m_spares);
    ::unlink((m_path + ".lock").c_str());
}

std::string Staging::fresh(const std::string& stem) { return m_path + "/" + stem + "-" + std::to_string(m_counter++); }

std::string Store::blob_path(const std::string& digest) const {
    return m_root + "/blobs/sha256/" + std::string(digest_hex(digest));
}

std::string Store::split_path(const std::string& diff_id) const {
    return m_root + "/tar-split/" + std::string(digest_hex(diff_id));
}

Result<std::unique_ptr<Store>> Store::open(const StoreOptions& opts) {
    std::string root = absolute_path(opts.root), runroot = absolute_path(opts.runroot);
    // The database's WAL, which is kept (Db::open), is made after the directories, and once the
    // database is in WAL mode: a store that has one needs neither made again, only the run root
    // (a tmpfs is emptied at boot). 12 system calls fewer for every command.
    bool made_before = ::access((root + "/kouti.db-wal").c_str(), F_OK) == 0;
    if (!made_before) {
        auto made = mkdir_p(root + "/blobs/sha256", 0700);
        if (!made) return std::move(made).error().context("open store " + root);
        TRY(mkdir_p(root + "/tmp", 0700));
        TRY(mkdir_p(root + "/tar-split", 0700));
        TRY(mkdir_p(root + "/spare-dirs", 0700));
    }
    TRY(mkdir_p(runroot, 0700));
    timing_point("store: dirs");
    // SQLite answers "database is locked" without waiting while another connection switches a
    // new database to WAL mode; opening and initialising under one lock avoids that race.
    FileLock init_lock;
    if (!made_before) init_lock = TRY(FileLock::acquire(root + "/kouti.db.init-lock", true, true));
    auto db = TRY_CTX(Db::open(root + "/kouti.db"), "open store " + root);
    timing_point("store: db open");
    std::unique_ptr<Store> s(new Store(std::move(db), root, runroot));
    TRY_CTX(s->init_schema(), "open store " + root);
    timing_point("store: schema");
    TRY_CTX(s->choose_driver(opts.driver), "open store " + root);
    timing_point("store: driver");
    init_lock = FileLock();
    TRY(s->recover_if_crashed());
    return s;
}

Status Store::init_schema() {
    auto version_now = [&]() -> Result<int64_t> {
        auto st = TRY(m_db.prepare("PRAGMA user_version"));
        TRY(st.step());
        return st.integer(0);
    };
    if (TRY(version_now()) >= 4) return ok();
    auto tx = TRY(Transaction::begin(m_db));
    int64_t version = TRY(version_now()); // another process may have migrated meanwhile
    if (version < 1) TRY(m_db.exec(kSchemaV1));
    if (version < 2) TRY(m_db.exec(kSchemaV2));
    if (version < 3) TRY(m_db.exec(kSchemaV3));
    if (version < 4) TRY(m_db.exec(kSchemaV4));
    if (meta("id").value().empty()) TRY(set_meta("id", random_hex(32)));
    return tx.commit();
}

Result<std::string> Store::meta(const std::string& key) {
    auto st = TRY(m_db.prepare("SELECT value FROM meta WHERE key = ?"));
    st.bind(1, key);
    if (TRY(st.step())) return st.text(0);
    return std::string();
}

Status Store::set_meta(const std::string& key, const std::string& value) {
    auto st = TRY(m_db.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)"));
    st.bind(1, key).bind(2, value);
    return st.run();
}

// Overlay needs a kernel with overlayfs, a backing file system it can use as upper layer, and
// the privilege to mount; a probe mount settles all three at once.
static std::string probe_overlay(const std::string& root) {
    if (!kernel_has_filesystem("overlay")) return "the kernel has no overlay file system";
    std::string fs = filesystem_type(root);
    if (fs == "overlayfs" || fs == "nfs" || fs == "fuse")
        return "the backing file system (" + fs + ") cannot hold overlay upper layers";
    std::string dir = root + "/tmp/overlay-probe-" + random_hex(4);
    for (const char* d : {"/lower", "/upper", "/work", "/merged"}) (void)mkdir_p(dir + d, 0700);
    std::string why;
    // On a thread with a mount namespace of its own: if kouti is killed meanwhile, the probe
    // mount dies with the thread instead of staying on the host.
    std::thread([&] {
        if (::unshare(CLONE_NEWNS | CLONE_FS) != 0 || ::mount(nullptr, "/", nullptr, MS_REC | MS_SLAVE, nullptr) != 0) {
            why = "cannot make a mount namespace to probe overlay in (" + std::string(std::strerror(errno)) + ")";
            return;
        }
        auto st = mount_fs("overlay", dir + "/merged", "overlay", 0,
                           "lowerdir=" + dir + "/lower,upperdir=" + dir + "/upper,workdir=" + dir + "/work");
        if (st.ok()) (void)unmount(dir + "/merged", true);
        else why = "mounting overlay failed (" + st.error().message + ")";
    }).join();
    (void)remove_all(dir);
    return why;
}

Status Store::choose_driver(const std::string& requested) {
    std::string recorded = TRY(meta("driver"));
    if (!requested.empty() && requested != "overlay" && requested != "vfs")
        return Error::invalid("unknown storage driver \"" + requested + "\" (supported: overlay, vfs)");
    if (!recorded.empty() && !requested.empty() && recorded != requested)
        return Error::invalid("the store at " + m_root + " was created with the " + recorded +
                              " storage driver; it cannot be opened with " + requested);
    std::string name = recorded.empty() ? requested : recorded;
    std::string reason = TRY(meta("driver_reason"));
    if (name.empty() || (name == "overlay" && recorded.empty())) {
        std::string why_not = probe_overlay(m_root);
        if (name == "overlay" && !why_not.empty())
            return Error::invalid("storage driver overlay is not usable here: " + why_not);
        if (why_not.empty()) {
            name = "overlay";
            reason = requested.empty() ? "overlay: the kernel supports overlayfs on " + filesystem_type(m_root)
                                       : "overlay: chosen with --storage-driver";
        } else {
            name = "vfs";
            reason = "vfs: " + why_not;
        }
    } else if (recorded.empty()) {
        reason = name + ": chosen with --storage-driver";
    }
    if (recorded.empty()) {
        auto tx = TRY(Transaction::begin(m_db));
        std::string again = TRY(meta("driver")); // another process may have chosen meanwhile
        if (again.empty()) {
            TRY(set_meta("driver", name));
            TRY(set_meta("driver_reason", reason));
        } else {
            name = again;
        }
        TRY(tx.commit());
    }
    m_driver = name == "overlay" ? make_overlay_driver(m_root, *m_spares) : make_vfs_driver(m_root);
    m_driver_reason = reason;
    return ok();
}

namespace {

// An exclusive lock on a new file, pooled when the pool has one (spare_dirs.h). A pooled file
// can still be locked by the child that pooled it (after_exit.h), about to exit: then a fresh one.
Result<FileLock> new_lock_file(const std::string& path, SpareDirs& spares) {
    auto fd = TRY(spares.take_file(path)); // its content is never read
    auto lock = FileLock::take(std::move(fd), path, true, false);
    if (lock.ok()) return lock;
    ::unlink(path.c_str());
    return FileLock::acquire(path, true, true);
}

} // namespace

Result<Staging*> Store::stage() {
    if (m_staging) return m_staging.get();
    std::string path = m_root + "/tmp/" + random_hex(8);
    // Locked under a name the crash scan ignores, then renamed: the scan never sees a lock file
    // that exists but is not yet held.
    auto lock = TRY(new_lock_file(path + ".new", *m_spares));
    TRY(m_spares->make(path, 0700));
    TRY(rename_path(path + ".new", path + ".lock"));
    m_staging = std::make_unique<Staging>(path, std::move(lock), *m_spares);
    m_spares->defer_into(path + "/later");
    return m_staging.get();
}

Status Store::recover_if_crashed() {
    auto names = TRY(list_dir(m_root + "/tmp"));
    for (const auto& n : names) {
        if (n.size() < 5 || n.substr(n.size() - 5) != ".lock") continue;
        // flock conflicts between two open files even in one process: check() takes it again.
        bool stale = FileLock::acquire(m_root + "/tmp/" + n, true, false).ok();
        if (stale) {
            TRY(check(true));
            m_recovered = true;
            return ok();
        }
    }
    return ok();
}

Result<CheckReport> Store::check(bool repair) {
    CheckReport report;
    auto tx = TRY(Transaction::begin(m_db));
    // Staging areas of dead processes (their lock is free).
    for (const auto& n : TRY(list_dir(m_root + "/tmp"))) {
        if (n.size() <= 5 || n.substr(n.size() - 5) != ".lock") continue;
        std::string stem = m_root + "/tmp/" + n.substr(0, n.size() - 5);
        auto lock = FileLock::acquire(m_root + "/tmp/" + n, true, false);
        if (!lock.ok()) continue;
        report.orphans.push_back(stem);
        if (repair) {
            (void)remove_all(stem);
            ::unlink((m_root + "/tmp/" + n).c_str());
        }
    }
    std::set<std::string> cache_ids, link_ids, blobs, diffs;
    std::vector<std::pair<std::string, std::string>> layer_dirs; // chain id, dir
    {
        auto st = TRY(m_db.prepare("SELECT chain_id, diff_id, cache_id, link_id FROM layers"));
        while (TRY(st.step())) {
            LayerRow row;
            row.chain_id = st.text(0);
            row.cache_id = st.text(2);
            row.link_id = st.text(3);
            cache_ids.insert(row.cache_id);
            if (!row.link_id.empty()) link_ids.insert(row.link_id);
            diffs.insert(std::string(digest_hex(st.text(1))));
            layer_dirs.emplace_back(row.chain_id, m_driver->diff_dir(row));
        }
        auto im = TRY(m_db.prepare("SELECT id FROM images"));
        while (TRY(im.step())) blobs.insert(std::string(digest_hex(im.text(0))));
        for (auto& layer : TRY(container_layers(m_db))) cache_ids.insert(layer);
    }
    for (const auto& path : m_driver->orphans(cache_ids, link_ids)) {
        report.orphans.push_back(path);
        if (repair) (void)remove_all(path);
    }
    // Container directories whose row is gone (a crash between create's mkdir and its commit,
    // or between rm's commit and its file removal).
    {
        std::set<std::string> ids;
        auto st = TRY(m_db.prepare("SELECT id FROM containers"));
        while (TRY(st.step())) ids.insert(st.text(0));
        auto dirs = list_dir(m_root + "/containers");
        if (dirs.ok())
            for (const auto& n : *dirs) {
                if (ids.count(n)) continue;
                report.orphans.push_back(m_root + "/containers/" + n);
                if (repair) (void)remove_all(m_root + "/containers/" + n);
            }
    }
    for (const auto& n : TRY(list_dir(m_root + "/tar-split"))) {
        if (diffs.count(n)) continue;
        report.orphans.push_back(m_root + "/tar-split/" + n);
        if (repair) (void)remove_all(m_root + "/tar-split/" + n);
    }
    for (const auto& n : TRY(list_dir(m_root + "/blobs/sha256"))) {
        if (blobs.count(n) || diffs.count(n)) continue;
        report.orphans.push_back(m_root + "/blobs/sha256/" + n);
        if (repair) (void)remove_all(m_root + "/blobs/sha256/" + n);
    }
    // Metadata whose files are gone: the images that depend on it cannot be used.
    std::set<std::string> bad_layers;
    for (const auto& [chain, dir] : layer_dirs)
        if (!is_directory(dir)) {
            report.missing.push_back("layer " + chain + ": directory " + dir);
            bad_layers.insert(chain);
        }
    for (const auto& b : blobs)
        if (!path_exists(m_root + "/blobs/sha256/" + b)) report.missing.push_back("blob sha256:" + b);
    for (const auto& d : diffs)
        if (!path_exists(m_root + "/blobs/sha256/" + d) && !path_exists(m_root + "/tar-split/" + d))
            report.missing.push_back("layer tar sha256:" + d);
    auto im = TRY(m_db.prepare("SELECT id, top_layer FROM images"));
    while (TRY(im.step())) {
        std::string id = im.text(0);
        bool broken = !path_exists(blob_path(id));
        // Walk the image's chain for a missing layer.
        std::string layer = im.text(1);
        while (!broken && !layer.empty()) {
            if (bad_layers.count(layer)) broken = true;
            auto p = TRY(m_db.prepare("SELECT parent FROM layers WHERE chain_id = ?"));
            p.bind(1, layer);
            if (!TRY(p.step())) {
                broken = true;
                break;
            }
            layer = p.text(0);
        }
        if (broken) report.broken_images.push_back(id);
    }
    if (repair) {
        for (const auto& id : report.broken_images) {
            for (const char* sql : {"DELETE FROM tags WHERE image_id = ?", "DELETE FROM images WHERE id = ?"}) {
                auto d = TRY(m_db.prepare(sql));
                d.bind(1, id);
                TRY(d.run());
            }
        }
    }
    TRY(tx.commit());
    return report;
}

} // namespace kouti
