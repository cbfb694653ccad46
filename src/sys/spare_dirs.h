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
//
// The pool keeps regular files too, named f0 .. f<kFileSlots-1>, for the files a start writes
// and a removal deletes that no container ever sees (config.json, state.json, the staging
// lock). On ext4 without a journal each new inode is dearer the more inodes were deleted in the
// last seconds: the allocator skips every recently deleted one (`recently_deleted`), and back to
// back `run --rm`s delete ~13 a run; 0.6-0.8 ms of a run went to that scan. A file a container
// could see (/etc/hosts) never comes back: some process may still hold it open, and would read
// and write whatever it held next.
//
// A pooled file keeps its content (mode 0600 while pooled): its next user overwrites it and cuts
// it at the new end. Never emptied: on ext4 a truncation to size 0 marks the file so that its
// next close forces its new data to disk at once (`auto_da_alloc`, ~100 us), and the truncation
// after that frees those blocks with a synchronous discard (0.2-0.6 ms here); a file written
// and deleted within seconds otherwise never gets blocks at all.
#include <sys/types.h>

#include <bitset>
#include <mutex>
#include <string>

#include "sys/fd.h"
#include "util/result.h"

namespace kouti {

class SpareDirs {
public:
    static constexpr int kSlots = 32;
    static constexpr int kFileSlots = 8;
    explicit SpareDirs(std::string dir) : m_dir(std::move(dir)) {}
    SpareDirs(const SpareDirs&) = delete;
    SpareDirs& operator=(const SpareDirs&) = delete;
    const std::string& dir() const { return m_dir; }

    // Like mkdir(path, mode) (EEXIST is an error), from the pool when it has one.
    Status make(const std::string& path, mode_t mode);
    // Like rmdir of the empty directory `name` in `dirfd`; kept in the pool when it is plain.
    // Otherwise, while a deferral directory is set, renamed into it (see after_exit.h).
    Status remove(int dirfd, const char* name, const std::string& shown);
    // Like open(path, O_WRONLY | O_CREAT | O_EXCL, 0600), from the pool when it has one: then
    // holding what it held when pooled, which its user overwrites (write_file_atomic below).
    Result<UniqueFd> take_file(const std::string& path);
    // Gives the file at `path` (made by take_file or not) to the pool as it is, or unlinks it.
    // Only for files no container has seen (see above). A missing path is no error.
    void recycle_file(const std::string& path);
    // Where remove() moves directories it cannot pool, made on first use; "" stops it.
    void defer_into(std::string dir);
    // Stops deferring; the directory holding what was deferred, or "" when nothing was.
    std::string take_deferred();

private:
    void load();

    std::string m_dir;
    std::mutex m_mutex; // one process may remove two trees side by side
    bool m_loaded = false;
    std::bitset<kSlots> m_full; // what this process last saw; other processes may change it
    std::bitset<kFileSlots> m_files; // likewise
    std::string m_deferred_dir;
    bool m_deferred_made = false;
    int m_deferred_count = 0;
};

// write_file_atomic (sys/fs.h) whose temporary file comes from the pool.
Status write_file_atomic(const std::string& path, const std::string& data, SpareDirs& spares);
// Removes a tree without following symlinks, giving its plain directories to `spares`.
Status remove_all(const std::string& path, SpareDirs& spares);
// Renames the tree `path` (if there is one) to `aside`, a path in a staging area that is taken
// apart later; removes it at once when it cannot be renamed there (another file system).
Status move_aside_or_remove(const std::string& path, const std::string& aside, SpareDirs& spares);

} // namespace kouti
