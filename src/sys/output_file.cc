#include "sys/output_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sys/fs.h"

namespace kouti {

Status check_output_path(const std::string& path) {
    if (path.empty()) return Error::invalid("file name is empty");
    auto slash = path.rfind('/');
    std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
    struct stat st{};
    if (::stat(dir.c_str(), &st) != 0) return Error::from_syscall("invalid output path: stat " + dir);
    if (!S_ISDIR(st.st_mode)) return Error::invalid("invalid output path: " + dir + " is not a directory");
    if (::lstat(path.c_str(), &st) != 0) {
        if (errno == ENOENT) return ok();
        return Error::from_syscall("failed to stat output path: lstat " + path);
    }
    const char* why = S_ISREG(st.st_mode) && !(st.st_mode & 07000) ? nullptr
                      : S_ISDIR(st.st_mode)                        ? "cannot write to a directory"
                      : S_ISLNK(st.st_mode)                        ? "cannot write to a symbolic link directly"
                      : S_ISFIFO(st.st_mode)                       ? "cannot write to a named pipe (FIFO)"
                      : S_ISSOCK(st.st_mode)                       ? "cannot write to a socket"
                      : S_ISCHR(st.st_mode)                        ? "cannot write to a character device file"
                      : S_ISBLK(st.st_mode)                        ? "cannot write to a block device file"
                      : st.st_mode & S_ISUID                       ? "cannot write to a setuid file"
                      : st.st_mode & S_ISGID                       ? "cannot write to a setgid file"
                                                                   : "cannot write to a sticky bit file";
    return why ? Status(Error::invalid(why)) : ok();
}

Result<OutputFile> OutputFile::create(const std::string& path) {
    TRY(check_output_path(path));
    std::string tmp = path + ".kouti-" + random_hex(4);
    auto fd = TRY(open_file(tmp, O_WRONLY | O_CREAT | O_EXCL, 0644));
    return OutputFile(path, std::move(tmp), std::move(fd));
}

Status OutputFile::commit() {
    TRY(rename_path(m_tmp, m_path));
    m_tmp.clear();
    return ok();
}

OutputFile::~OutputFile() {
    if (!m_tmp.empty()) ::unlink(m_tmp.c_str());
}

} // namespace kouti
