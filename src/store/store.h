#pragma once
// The store: SQLite metadata, content-addressed blobs and a layer driver under one --root.
//
// Crash safety: every mutating command works in a staging directory root/tmp/<token>/ whose
// lock file it holds for its whole life. New files are built there and renamed into place inside
// the same IMMEDIATE transaction that records them; removals commit first, then move files into
// staging and delete them. A staging lock nobody holds means a process died: the next command
// removes its staging area and anything in the driver's home or blobs/ that the metadata does
// not account for. The same scan is `system check`.
#include <memory>
#include <string>
#include <vector>

#include "store/db.h"
#include "store/layer_driver.h"
#include "sys/fs.h"
#include "sys/spare_dirs.h"
#include "util/result.h"

namespace kouti {

struct StoreOptions {
    std::string root = "/var/lib/kouti";
    std::string runroot = "/run/kouti";
    std::string driver; // empty: what the store was created with, or the best the host supports
};

class Staging {
public:
    Staging(std::string path, FileLock lock, SpareDirs& spares) : m_path(std::move(path)), m_lock(std::move(lock)), m_spares(spares) {}
    ~Staging();
    Staging(const Staging&) = delete;
    const std::string& path() const { return m_path; }
    std::string fresh(const std::string& stem); // a unique new path inside this area
    // Kept open until this area is removed, by the child that removes it after this process
    // exits when there is one (sys/after_exit.h): for a descriptor whose last close is slow.
    void release_after_exit(UniqueFd fd) { m_release = std::move(fd); }

private:
    std::string m_path;
    FileLock m_lock;
    SpareDirs& m_spares;
    int m_counter = 0;
    UniqueFd m_release;
};

struct CheckReport {
    std::vector<std::string> orphans; // files nothing accounts for (removed by --repair)
    std::vector<std::string> missing; // metadata whose files are gone (its images removed by --repair)
    std::vector<std::string> broken_images;
};

class Store {
public:
    static Result<std::unique_ptr<Store>> open(const StoreOptions& opts);

    Db& db() { return m_db; }
    // Empty directories for reuse under the root (see spare_dirs.h): make and remove the
    // store's short-lived directories through it.
    SpareDirs& spare_dirs() { return *m_spares; }
    LayerDriver& driver() { return *m_driver; }
    const std::string& root() const { return m_root; }
    const std::string& runroot() const { return m_runroot; }
    std::string driver_reason() const { return m_driver_reason; }
    std::string blob_path(const std::string& digest) const;
    // The tar-split record that rebuilds a layer tar from its unpacked files (see tar_split.h).
    std::string split_path(const std::string& diff_id) const;

    // This process's staging area, made on first use and removed with the Store: one per
    // process rather than one per operation, as each costs four directory operations.
    Result<Staging*> stage();
    // Removes the staging area now (or hands it to the child that finishes it after this
    // process exits): for a process that leaves without destroying the Store.
    void end_staging() { m_staging.reset(); }
    // Finds (and with repair removes) what a crash left behind; see the file comment.
    Result<CheckReport> check(bool repair);
    // Whether opening found (and repaired) what a killed kouti left: the engine then looks for
    // what such a process left outside the store too (the runtime's state).
    bool recovered_from_crash() const { return m_recovered; }
    Result<std::string> meta(const std::string& key);
    Status set_meta(const std::string& key, const std::string& value);

private:
    Store(Db db, std::string root, std::string runroot)
        : m_db(std::move(db)), m_root(std::move(root)), m_runroot(std::move(runroot)),
          m_spares(std::make_unique<SpareDirs>(m_root + "/spare-dirs")) {}
    Status init_schema();
    Status choose_driver(const std::string& requested);
    Status recover_if_crashed();

    Db m_db;
    std::string m_root, m_runroot;
    std::unique_ptr<LayerDriver> m_driver;
    std::string m_driver_reason;
    std::unique_ptr<SpareDirs> m_spares;
    std::unique_ptr<Staging> m_staging;
    bool m_recovered = false;
};

} // namespace kouti
