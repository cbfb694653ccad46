#pragma once
// Empty directories kept for reuse. Where a file system frees blocks with a synchronous discard
// (ext4 mounted `discard` without a journal, as on this project's CI machines and many cloud
// VMs), removing a directory costs ~100 us; a `run --rm` makes and removes about ten. A
// directory about to be removed is instead renamed into the pool, and the next directory made
// is renamed out of it: two renames of ~15 us instead of rmdir + mkdir.
//
// Only plain directories go in: empty, owned by root, stripped of extended attributes
// (overlay's marks); their mode is set again when they are taken. Overlay's own work
// directories (mode 000) stay out: each mount makes them anew, so they would fill the pool; a
// store defers their rmdir past its process's exit (after_exit.h). The pool serves one file system:
// across file systems rename fails with EXDEV and the plain calls are used. Entries are named
// 0 .. kSlots-1; processes race for them with renameat2(RENAME_NOREPLACE), and a lost race
// falls back to mkdir/rmdir, so the pool never needs a lock.
#include <sys/types.h>

#include <bitset>
#include <mutex>
#include <string>

#include "util/result.h"

namespace kouti {

class SpareDirs {
public:
    static constexpr int kSlots = 32;
    explicit SpareDirs(std::string dir) : m_dir(std::move(dir)) {}
    SpareDirs(const SpareDirs&) = delete;
    SpareDirs& operator=(const SpareDirs&) = delete;
    const std::string& dir() const { return m_dir; }

    // Like mkdir(path, mode) (EEXIST is an error), from the pool when it has one.
    Status make(const std::string& path, mode_t mode);
    // Like rmdir of the empty directory `name` in `dirfd`; kept in the pool when it is plain.
    // Otherwise, while a deferral directory is set, renamed into it (see after_exit.h).
    Status remove(int dirfd, const char* name, const std::string& shown);
    // Where remove() moves directories it cannot pool, made on first use; "" stops it.
    void defer_into(std::string dir);
    // Stops deferring; the directory holding what was deferred, or "" when nothing was.
    std::string take_deferred();

private:
    void load();
    std::string slot(int i) const { return m_dir + "/" + std::to_string(i); }

    std::string m_dir;
    std::mutex m_mutex; // one process may remove two trees side by side
    bool m_loaded = false;
    std::bitset<kSlots> m_full; // what this process last saw; other processes may change it
    std::string m_deferred_dir;
    bool m_deferred_made = false;
    int m_deferred_count = 0;
};

// Removes a tree without following symlinks, giving its plain directories to `spares`.
Status remove_all(const std::string& path, SpareDirs& spares);
// Renames the tree `path` (if there is one) to `aside`, a path in a staging area that is taken
// apart later; removes it at once when it cannot be renamed there (another file system).
Status move_aside_or_remove(const std::string& path, const std::string& aside, SpareDirs& spares);

} // namespace kouti
