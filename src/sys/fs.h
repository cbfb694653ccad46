#pragma once
// File system helpers; every fd is O_CLOEXEC and every error names the path and the call.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sys/fd.h"
#include "util/result.h"

namespace kouti {

Result<UniqueFd> open_file(const std::string& path, int flags, int mode = 0644);
Result<std::string> read_file(const std::string& path);
Status write_all(int fd, const void* data, size_t len);
// Writes to "path.tmp-<random>" then renames over path, so readers see old or new, never half.
Status write_file_atomic(const std::string& path, const std::string& data);
// The same, with the temporary file made by `create` at the path given: a new file, or a reused
// one (spare_dirs.h) whose old content is overwritten and cut at the new end, and which is
// then given `mode` (-1: left as made), only once it holds nothing but `data`.
Status write_file_atomic(const std::string& path, const std::string& data, const std::function<Result<UniqueFd>(const std::string&)>& create,
                         int mode = -1);
Status mkdir_p(const std::string& path, int mode = 0755);
bool path_exists(const std::string& path);
bool is_directory(const std::string& path);
// Removes a tree without following symlinks; a missing path is not an error.
Status remove_all(const std::string& path);
Status rename_path(const std::string& from, const std::string& to);
Result<std::vector<std::string>> list_dir(const std::string& path); // names, no . or ..
Result<int64_t> disk_usage(const std::string& path); // bytes of regular files, hard links once
std::string random_hex(size_t bytes);
std::string absolute_path(const std::string& path);
// The directory of the running executable, where kouti's helper executables are installed.
std::string executable_dir();
// A memfd (close-on-exec) holding `data`, read from offset 0 by whoever gets the fd.
Result<UniqueFd> memfd_holding(const char* name, const std::string& data);

// An exclusive or shared flock held for the object's life.
class FileLock {
public:
    FileLock() = default;
    static Result<FileLock> acquire(const std::string& path, bool exclusive, bool wait);
    // The lock of the file open as `fd` (at `path`, for errors).
    static Result<FileLock> take(UniqueFd fd, const std::string& path, bool exclusive, bool wait);
    bool held() const { return m_fd.valid(); }
    int fd() const { return m_fd.get(); }

private:
    UniqueFd m_fd;
};

} // namespace kouti
