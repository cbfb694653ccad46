#pragma once
// Reading a (possibly compressed) tar stream once: libarchive decompresses whatever it is given
// (gzip, xz, bzip2, zstd or plain, detected from the content), and on the uncompressed bytes we
// compute the layer's diffID, optionally keep a copy (the layer blob), and parse the tar.
#include <archive.h>
#include <archive_entry.h>

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "util/result.h"
#include "util/sha256.h"

namespace kouti {

class TarSplitScanner;

struct TarInput {
    int fd = -1;                                   // compressed or plain input
    int tee_fd = -1;                               // receives the uncompressed bytes, or -1
    TarSplitScanner* split = nullptr;              // sees the uncompressed bytes, or null
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

    // Hashing (and tar-split scanning, and the blob copy) runs on a second thread so it overlaps
    // with extraction: on two cores it hides most of SHA-256's cost.
    void start_digester();
    void post(const void* data, size_t n);
    void digester_loop();
    Status stop_digester();

    TarInput m_in;
    std::thread m_digester;
    std::mutex m_mu;
    std::condition_variable m_cv_data, m_cv_space;
    std::deque<std::string> m_queue;
    size_t m_queued_bytes = 0;
    bool m_closing = false;
    std::string m_digest_error;
    archive* m_raw = nullptr; // decompresses m_in.fd
    archive* m_tar = nullptr; // parses the bytes m_raw yields
    std::unique_ptr<char[]> m_inbuf;
    Sha256 m_hash; // used only by the digester thread until it is joined
    uint64_t m_input_bytes = 0;
    uint64_t m_raw_bytes = 0;
    bool m_raw_eof = false;
    bool m_started = false;
    std::string m_error;
};

} // namespace kouti
