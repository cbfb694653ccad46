#pragma once
// Reading a (possibly compressed) tar stream once: libarchive decompresses whatever it is given
// (gzip, xz, bzip2, zstd or plain, detected from the content), and on the uncompressed bytes we
// compute the layer's diffID, optionally keep a copy (the layer blob), and parse the tar.
#include <archive.h>
#include <archive_entry.h>

#include <cstdint>
#include <functional>
#include <memory>

#include "util/result.h"
#include "util/sha256.h"

namespace kouti {

struct TarInput {
    int fd = -1;                                   // compressed or plain input
    int tee_fd = -1;                               // receives the uncompressed bytes, or -1
    std::function<void(uint64_t)> on_input_read;   // progress: bytes of `fd` consumed so far
};

class TarReader {
public:
    static Result<std::unique_ptr<TarReader>> open(TarInput in);
    ~TarReader();

    // The next member, or nullptr at the end of the archive.
    Result<archive_entry*> next();
    archive* handle() { return m_tar; }
    // Reads what follows the end-of-archive marker so the digest covers the whole stream.
    Result<std::string> finish_diff_id();
    uint64_t uncompressed_bytes() const { return m_raw_bytes; }

private:
    TarReader() = default;
    static la_ssize_t read_input(archive*, void* self, const void** buf);
    static la_ssize_t read_raw(archive*, void* self, const void** buf);
    la_ssize_t pull_raw(const void** buf);

    TarInput m_in;
    archive* m_raw = nullptr; // decompresses m_in.fd
    archive* m_tar = nullptr; // parses the bytes m_raw yields
    std::unique_ptr<char[]> m_inbuf;
    Sha256 m_hash;
    uint64_t m_input_bytes = 0;
    uint64_t m_raw_bytes = 0;
    bool m_raw_eof = false;
    bool m_started = false;
    std::string m_error;
};

} // namespace kouti
