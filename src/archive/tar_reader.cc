#include "archive/tar_reader.h"

#include <unistd.h>

#include <cstring>

#include "archive/tar_split.h"
#include "sys/fs.h"

namespace kouti {

static constexpr size_t kInputBuffer = 1 << 20;

static std::string archive_message(archive* a) {
    const char* s = archive_error_string(a);
    std::string m = s ? s : "unknown archive error";
    if (!m.empty()) m[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(m[0])));
    return m;
}

la_ssize_t TarReader::read_input(archive*, void* p, const void** buf) {
    auto* self = static_cast<TarReader*>(p);
    while (true) {
        ssize_t n = ::read(self->m_in.fd, self->m_inbuf.get(), kInputBuffer);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            self->m_error = "read input: " + std::string(std::strerror(errno));
            return -1;
        }
        self->m_input_bytes += static_cast<uint64_t>(n);
        if (self->m_in.on_input_read) self->m_in.on_input_read(self->m_input_bytes);
        *buf = self->m_inbuf.get();
        return n;
    }
}

la_ssize_t TarReader::pull_raw(const void** buf) {
    if (m_raw_eof) return 0;
    if (!m_started) {
        archive_entry* e = nullptr;
        int r = archive_read_next_header(m_raw, &e);
        m_started = true;
        if (r == ARCHIVE_EOF) {
            m_raw_eof = true;
            return 0;
        }
        if (r < ARCHIVE_WARN) {
            m_error = archive_message(m_raw);
            return -1;
        }
    }
    size_t size = 0;
    la_int64_t offset = 0;
    int r = archive_read_data_block(m_raw, buf, &size, &offset);
    if (r == ARCHIVE_EOF) {
        m_raw_eof = true;
        return 0;
    }
    if (r < ARCHIVE_WARN) {
        m_error = archive_message(m_raw);
        return -1;
    }
    m_raw_bytes += size;
    post(*buf, size);
    return static_cast<la_ssize_t>(size);
}

la_ssize_t TarReader::read_raw(archive*, void* p, const void** buf) {
    return static_cast<TarReader*>(p)->pull_raw(buf);
}

Result<std::unique_ptr<TarReader>> TarReader::open(TarInput in) {
    std::unique_ptr<TarReader> r(new TarReader());
    r->m_in = std::move(in);
    r->start_digester();
    r->m_inbuf.reset(new char[kInputBuffer]);
    r->m_raw = archive_read_new();
    archive_read_support_filter_all(r->m_raw);
    archive_read_support_format_raw(r->m_raw);
    if (archive_read_open(r->m_raw, r.get(), nullptr, &TarReader::read_input, nullptr) != ARCHIVE_OK) {
        if (!r->m_error.empty()) return Error::invalid(r->m_error);
        if (r->m_input_bytes == 0) return Error::invalid("empty archive");
        return Error::invalid(archive_message(r->m_raw));
    }
    r->m_tar = archive_read_new();
    archive_read_support_format_tar(r->m_tar);
    archive_read_support_format_gnutar(r->m_tar);
    if (archive_read_open(r->m_tar, r.get(), nullptr, &TarReader::read_raw, nullptr) != ARCHIVE_OK) {
        if (!r->m_error.empty()) return Error::invalid(r->m_error);
        if (r->m_raw_bytes == 0) return Error::invalid("empty archive");
        return Error::invalid("archive is not a tar file");
    }
    return r;
}

static constexpr size_t kQueueLimit = 16 << 20;

void TarReader::start_digester() { m_digester = std::thread([this] { digester_loop(); }); }

void TarReader::post(const void* data, size_t n) {
    std::unique_lock lock(m_mu);
    m_cv_space.wait(lock, [&] { return m_queued_bytes < kQueueLimit; });
    m_queue.emplace_back(static_cast<const char*>(data), n);
    m_queued_bytes += n;
    m_cv_data.notify_one();
}

void TarReader::digester_loop() {
    while (true) {
        std::string chunk;
        {
            std::unique_lock lock(m_mu);
            m_cv_data.wait(lock, [&] { return !m_queue.empty() || m_closing; });
            if (m_queue.empty()) return;
            chunk = std::move(m_queue.front());
            m_queue.pop_front();
            m_queued_bytes -= chunk.size();
            m_cv_space.notify_one();
        }
        m_hash.update(chunk.data(), chunk.size());
        if (m_in.split) m_in.split->feed(chunk.data(), chunk.size());
        if (m_in.tee_fd >= 0 && m_digest_error.empty()) {
            auto st = write_all(m_in.tee_fd, chunk.data(), chunk.size());
            if (!st) m_digest_error = "write layer blob: " + st.error().message;
        }
    }
}

Status TarReader::stop_digester() {
    if (!m_digester.joinable()) return ok();
    {
        std::lock_guard lock(m_mu);
        m_closing = true;
        m_cv_data.notify_one();
    }
    m_digester.join();
    if (!m_digest_error.empty()) return Error::internal(m_digest_error);
    return ok();
}

TarReader::~TarReader() {
    (void)stop_digester();
    if (m_tar) archive_read_free(m_tar);
    if (m_raw) archive_read_free(m_raw);
}

Result<archive_entry*> TarReader::next() {
    archive_entry* e = nullptr;
    int r = archive_read_next_header(m_tar, &e);
    if (r == ARCHIVE_EOF) return static_cast<archive_entry*>(nullptr);
    if (r < ARCHIVE_WARN) {
        if (!m_error.empty()) return Error::corrupt(m_error);
        std::string msg = archive_message(m_tar);
        if (msg.find("nrecognized archive format") != std::string::npos) {
            if (m_raw_bytes == 0) return Error::invalid("empty archive");
            return Error::invalid("archive is not a tar file");
        }
        return Error::corrupt(msg);
    }
    return e;
}

Result<std::string> TarReader::finish_diff_id() {
    const void* buf;
    while (true) {
        la_ssize_t n = pull_raw(&buf);
        if (n < 0) return Error::corrupt(m_error);
        if (n == 0) break;
    }
    TRY(stop_digester());
    if (m_in.split) m_in.split->finish();
    return "sha256:" + m_hash.hex();
}

} // namespace kouti
