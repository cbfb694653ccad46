#pragma once
// Removal that only gives disk space back, finished by a child after this process has exited.
// Where the file system frees blocks with a synchronous discard, each rmdir of a directory that
// held a block waits ~100 us for the disk; overlay makes three such directories per mount. And
// even without the disk, taking a tree apart is a system call per entry and two per directory:
// the removal of a `run --rm` container's layer and directories was 0.3 ms of its 8. Nothing
// needs them gone before the command returns: the store's rows are already gone, the trees
// were renamed into the process's staging area, and the area's lock (kept by the child) tells
// every other kouti process it is still in use; if the child dies, the next command finds the
// lock free and removes the area as a crashed process's.
#include <string>

namespace kouti {

// Starts a child that removes everything in `area`, giving plain directories to the spare pool
// `pool` as SpareDirs does, then `area` itself and, if it is gone, `lock_path`, holding
// `lock_fd` (the area's lock) until it is done. The child shares this process's memory, so it
// costs no copy of it, and therefore makes only system calls on memory of its own: it never
// touches the heap, errno or locks of its parent. It keeps no other descriptor open (no pipe of
// the caller waits for it). False when it could not be started: the caller removes the area.
// `release_fd` (or -1): a descriptor whose last close is slow and that nothing needs closed
// sooner (a finished container's mount namespace, whose teardown waits for RCU grace periods);
// the child closes it once this process has exited (so that its copy is the last one), before
// its other work.
bool remove_after_exit(const std::string& area, const std::string& pool, const std::string& lock_path, int lock_fd,
                       int release_fd = -1);

} // namespace kouti
