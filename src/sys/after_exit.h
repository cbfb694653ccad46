#pragma once
// Removal that only gives disk space back, finished by a child after this process has exited.
// Where the file system frees blocks with a synchronous discard, each rmdir of a directory that
// held a block waits ~100 us for the disk; overlay makes three such directories per mount, and
// a `run --rm` would wait for them on its way out. Nothing needs them gone before the command
// returns: the store's rows are already gone, and the staging area's lock (kept by the child)
// tells every other kouti process the area is still in use; if the child dies, the next command
// finds the lock free and removes the area as a crashed process's.
#include <string>

namespace kouti {

// Starts a child that removes the empty directories in `dir`, then `dir` and `area` (empty by
// then), then unlinks `lock_path`, holding `lock_fd` (the area's lock) until it is done. The
// child shares this process's memory, so it costs no copy of it, and therefore makes only
// system calls on memory of its own: it never touches the heap, errno or locks of its parent.
// It keeps no other descriptor open (no pipe of the caller waits for it). False when it could
// not be started: the caller removes them itself.
// `release_fd` (or -1): a descriptor whose last close is slow and that nothing needs closed
// sooner (a finished container's mount namespace, whose teardown waits for RCU grace periods);
// the child closes it once this process has exited (so that its copy is the last one), before
// its other work.
bool remove_after_exit(const std::string& dir, const std::string& area, const std::string& lock_path, int lock_fd,
                       int release_fd = -1);

} // namespace kouti
