#include "archive/tar_writer.h"

#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <memory>

#include "sys/fs.h"

namespace kouti {

static Error write_error(archive* a, const std::string& what) {
    const char* s = archive_error_string(a);
    return Error::internal("write archive: " + what + ": " + (s ? s : "unknown error"));
}

Result<std::unique_ptr<TarWriter>> TarWriter::open(int fd) {
    std::unique_ptr<TarWriter> w(new TarWriter());
    w->m_a = archive_write_new();
    archive_write_set_format_pax_restricted(w->m_a);
    archive_write_set_bytes_in_last_block(w->m_a, 1);
    if (archive_write_open_fd(w->m_a, fd) != ARCHIVE_OK) return write_error(w->m_a, "open");
    return w;
}

TarWriter::~TarWriter() {
    if (m_a) archive_write_free(m_a);
}

Status TarWriter::header(const std::string& name, unsigned type, int64_t size, unsigned mode) {
    std::unique_ptr<archive_entry, void (*)(archive_entry*)> e(archive_entry_new(), archive_entry_free);
    archive_entry_set_pathname(e.get(), name.c_str());
    archive_entry_set_filetype(e.get(), type);
    archive_entry_set_perm(e.get(), mode);
    archive_entry_set_size(e.get(), size);
    archive_entry_set_mtime(e.get(), 0, 0); // fixed, so saving twice gives the same bytes
    if (archive_write_header(m_a, e.get()) != ARCHIVE_OK) return write_error(m_a, name);
    return ok();
}

Status TarWriter::add_directory(const std::string& name) { return header(name, AE_IFDIR, 0, 0755); }

Status TarWriter::add_bytes(const std::string& name, const std::string& data) {
    TRY(header(name, AE_IFREG, static_cast<int64_t>(data.size()), 0644));
    if (!data.empty() && archive_write_data(m_a, data.data(), data.size()) < 0) return write_error(m_a, name);
    return ok();
}

Status TarWriter::add_file(const std::string& name, const std::string& path,
                           const std::function<void(int64_t)>& on_bytes) {
    auto fd = TRY(open_file(path, O_RDONLY));
    struct stat st;
    if (::fstat(fd.get(), &st) != 0) return Error::from_syscall("stat " + path);
    TRY(header(name, AE_IFREG, st.st_size, 0644));
    std::unique_ptr<char[]> buf(new char[1 << 20]);
    while (true) {
        ssize_t n = ::read(fd.get(), buf.get(), 1 << 20);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return Error::from_syscall("read " + path);
        if (n == 0) break;
        if (archive_write_data(m_a, buf.get(), static_cast<size_t>(n)) < 0) return write_error(m_a, name);
        if (on_bytes) on_bytes(n);
    }
    return ok();
}

Status TarWriter::add_stream(const std::string& name, int64_t size,
                             const std::function<Status(const std::function<Status(const char*, size_t)>&)>& produce) {
    TRY(header(name, AE_IFREG, size, 0644));
    int64_t written = 0;
    TRY(produce([&](const char* p, size_t n) -> Status {
        written += static_cast<int64_t>(n);
        if (written > size) return Error::corrupt("member " + name + " grew while it was written");
        if (archive_write_data(m_a, p, n) < 0) return write_error(m_a, name);
        return ok();
    }));
    if (written != size) return Error::corrupt("member " + name + " is shorter than its header says");
    return ok();
}

Status TarWriter::close() {
    if (archive_write_close(m_a) != ARCHIVE_OK) return write_error(m_a, "close");
    return ok();
}

} // namespace kouti
