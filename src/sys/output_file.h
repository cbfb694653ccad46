#pragma once
// A file named by -o (save, export), written as the docker CLI writes it: the path is checked
// first, and anything but a regular file there (a directory, a device such as /dev/null, a
// pipe, a socket, a symlink, a setuid, setgid or sticky file) is refused, never replaced; the
// data goes to a file beside it, renamed into place whole by commit(), removed otherwise.
#include <string>

#include "sys/fd.h"
#include "util/result.h"

namespace kouti {

class OutputFile {
public:
    static Result<OutputFile> create(const std::string& path);
    OutputFile(OutputFile&& o) noexcept : m_path(std::move(o.m_path)), m_tmp(std::move(o.m_tmp)), m_fd(std::move(o.m_fd)) { o.m_tmp.clear(); }
    OutputFile& operator=(OutputFile&&) = delete;
    ~OutputFile();

    int fd() const { return m_fd.get(); }
    Status commit();

private:
    OutputFile(std::string path, std::string tmp, UniqueFd fd) : m_path(std::move(path)), m_tmp(std::move(tmp)), m_fd(std::move(fd)) {}
    std::string m_path, m_tmp; // m_tmp empty once committed
    UniqueFd m_fd;
};

// Why `path` cannot be written as an output file, in the docker CLI's words; ok when it can.
Status check_output_path(const std::string& path);

} // namespace kouti
