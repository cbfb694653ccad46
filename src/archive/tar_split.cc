#include "archive/tar_split.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <memory>

#include "sys/fs.h"
#include "sys/resolve.h"
#include "util/sha256.h"

namespace kouti {
namespace {

constexpr size_t kBlock = 512;
constexpr char kMagic[] = "KTS1";

uint64_t round_up(uint64_t n) { return (n + kBlock - 1) / kBlock * kBlock; }

// Tar numeric fields: octal text, or base-256 when the high bit of the first byte is set.
bool parse_number(const char* f, size_t len, uint64_t& out) {
    out = 0;
    if (static_cast<unsigned char>(f[0]) & 0x80) {
        for (size_t i = 1; i < len; ++i) out = (out << 8) | static_cast<unsigned char>(f[i]);
        return true;
    }
    size_t i = 0;
    while (i < len && (f[i] == ' ' || f[i] == '\0')) ++i;
    for (; i < len && f[i] >= '0' && f[i] <= '7'; ++i) out = out * 8 + static_cast<uint64_t>(f[i] - '0');
    return true;
}

bool all_zero(const std::string& b) {
    for (char c : b)
        if (c) return false;
    return true;
}

} // namespace

void TarSplitScanner::raw(const char* p, size_t n) {
    if (n == 0) return;
    if (m_segments.empty() || m_segments.back().is_file) m_segments.push_back({});
    m_segments.back().raw.append(p, n);
}

void TarSplitScanner::header_block() {
    raw(m_block.data(), kBlock);
    if (all_zero(m_block)) return; // end-of-archive blocks (and any zero padding): kept verbatim
    char type = m_block[156];
    uint64_t size = 0;
    parse_number(m_block.data() + 124, 12, size);
    bool meta = type == 'x' || type == 'g' || type == 'L' || type == 'K';
    if (!meta && m_pax_size >= 0) size = static_cast<uint64_t>(m_pax_size);
    if (!meta) m_pax_size = -1;
    if (type == 'S' || type == 'M' || type == 'V') m_exact = false; // GNU sparse/multi-volume
    if (size == 0) return;
    if (meta) {
        m_state = State::Meta;
        m_meta_type = type;
        m_meta.clear();
        m_left = round_up(size);
        m_meta_size = size;
        return;
    }
    if (type == '0' || type == '\0' || type == '7') {
        m_segments.push_back({{}, true, size});
        ++m_files;
        m_state = State::Data;
        m_left = size;
        m_pad = round_up(size) - size;
        return;
    }
    // Data on a link, a directory or an unknown type: extraction ignores it, the record keeps it.
    if (type == '1') m_exact = false;
    m_state = State::Padding;
    m_left = round_up(size);
    m_pad = 0;
}

void TarSplitScanner::feed(const char* p, size_t n) {
    m_total += n;
    while (n > 0) {
        switch (m_state) {
        case State::Header: {
            size_t take = std::min(n, kBlock - m_block.size());
            m_block.append(p, take);
            p += take;
            n -= take;
            if (m_block.size() == kBlock) {
                header_block();
                m_block.clear();
            }
            break;
        }
        case State::Meta: {
            size_t take = static_cast<size_t>(std::min<uint64_t>(n, m_left));
            raw(p, take);
            if (m_meta_type == 'x') m_meta.append(p, take);
            p += take;
            n -= take;
            m_left -= take;
            if (m_left == 0) {
                if (m_meta_type == 'x') {
                    // PAX records "LEN key=value\n": a size= record overrides the next header's.
                    size_t pos = 0;
                    std::string rec(m_meta.data(), std::min<size_t>(m_meta.size(), m_meta_size));
                    while (pos < rec.size()) {
                        size_t sp = rec.find(' ', pos);
                        if (sp == std::string::npos) break;
                        size_t len = std::strtoul(rec.c_str() + pos, nullptr, 10);
                        if (len == 0 || pos + len > rec.size()) break;
                        std::string kv = rec.substr(sp + 1, pos + len - sp - 2);
                        if (kv.rfind("size=", 0) == 0) m_pax_size = std::strtoll(kv.c_str() + 5, nullptr, 10);
                        if (kv.rfind("GNU.sparse", 0) == 0) m_exact = false;
                        pos += len;
                    }
                }
                m_state = State::Header;
            }
            break;
        }
        case State::Data: {
            size_t take = static_cast<size_t>(std::min<uint64_t>(n, m_left));
            p += take;
            n -= take;
            m_left -= take;
            if (m_left == 0) {
                m_state = m_pad ? State::Padding : State::Header;
                m_left = m_pad;
            }
            break;
        }
        case State::Padding: {
            size_t take = static_cast<size_t>(std::min<uint64_t>(n, m_left));
            raw(p, take);
            p += take;
            n -= take;
            m_left -= take;
            if (m_left == 0) m_state = State::Header;
            break;
        }
        case State::Tail:
            raw(p, n);
            n = 0;
            break;
        }
    }
}

void TarSplitScanner::finish() {
    if (!m_block.empty()) raw(m_block.data(), m_block.size());
    m_block.clear();
    if (m_state == State::Data) m_exact = false; // the stream ended inside a file
}

Status write_tar_split(const std::string& path, TarSplitScanner& scanner, const std::vector<std::string>& paths) {
    if (!scanner.exact() || paths.size() != scanner.file_count())
        return Error::internal("tar-split record is not exact");
    std::string out(kMagic, 4);
    auto put64 = [&](uint64_t v) { out.append(reinterpret_cast<const char*>(&v), 8); };
    put64(scanner.total());
    size_t k = 0;
    for (const auto& s : scanner.segments()) {
        if (s.is_file) {
            out += 'F';
            put64(s.file_size);
            put64(paths[k].size());
            out += paths[k++];
        } else {
            out += 'R';
            put64(s.raw.size());
            out += s.raw;
        }
    }
    return write_file_atomic(path, out);
}

Result<uint64_t> tar_split_size(const std::string& split_path) {
    auto fd = TRY(open_file(split_path, O_RDONLY));
    char head[12];
    if (::pread(fd.get(), head, sizeof head, 0) != sizeof head || std::memcmp(head, kMagic, 4) != 0)
        return Error::corrupt("tar-split record " + split_path + " is damaged");
    uint64_t total;
    std::memcpy(&total, head + 4, 8);
    return total;
}

Result<uint64_t> assemble_tar(const std::string& split_path, const std::string& layer_dir, const ByteSink& sink,
                              const std::string& diff_id) {
    std::string rec = TRY(read_file(split_path));
    auto damaged = [&] { return Error::corrupt("tar-split record " + split_path + " is damaged"); };
    if (rec.size() < 12 || rec.compare(0, 4, kMagic) != 0) return damaged();
    size_t pos = 12;
    auto get64 = [&](uint64_t& v) {
        if (pos + 8 > rec.size()) return false;
        std::memcpy(&v, rec.data() + pos, 8);
        pos += 8;
        return true;
    };
    auto root = TRY(open_file(layer_dir, O_RDONLY | O_DIRECTORY));
    Sha256 hash;
    uint64_t written = 0;
    std::unique_ptr<char[]> buf(new char[1 << 20]);
    auto emit = [&](const char* p, size_t n) -> Status {
        hash.update(p, n);
        written += n;
        return sink(p, n);
    };
    while (pos < rec.size()) {
        char kind = rec[pos++];
        uint64_t len = 0;
        if (!get64(len)) return damaged();
        if (kind == 'R') {
            if (pos + len > rec.size()) return damaged();
            TRY(emit(rec.data() + pos, len));
            pos += len;
        } else if (kind == 'F') {
            uint64_t name_len = 0;
            if (!get64(name_len) || pos + name_len > rec.size()) return damaged();
            std::string name = rec.substr(pos, name_len);
            pos += name_len;
            auto fd = TRY_CTX(open_beneath(root.get(), name, O_RDONLY), "rebuild layer tar");
            struct stat st;
            if (::fstat(fd.get(), &st) != 0 || static_cast<uint64_t>(st.st_size) != len)
                return Error::corrupt("layer file " + name + " changed size since it was unpacked");
            uint64_t left = len;
            while (left > 0) {
                ssize_t n = ::read(fd.get(), buf.get(), std::min<uint64_t>(left, 1 << 20));
                if (n < 0 && errno == EINTR) continue;
                if (n <= 0) return Error::corrupt("layer file " + name + " is shorter than its tar entry");
                TRY(emit(buf.get(), static_cast<size_t>(n)));
                left -= static_cast<uint64_t>(n);
            }
        } else {
            return damaged();
        }
    }
    if ("sha256:" + hash.hex() != diff_id)
        return Error::corrupt("rebuilt layer tar does not match " + diff_id + ": the layer's files changed");
    return written;
}

} // namespace kouti
