#include "runtime/json_log.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>

#include "sys/fs.h"
#include "util/humanize.h"
#include "util/json.h"
#include "util/numbers.h"

namespace kouti {

namespace {
constexpr size_t kMaxPartial = 16 * 1024; // Docker splits lines longer than its 16K buffer

std::string rotated_name(const std::string& path, int n, bool gz) {
    return path + "." + std::to_string(n) + (gz ? ".gz" : "");
}

// Writes `from` gzip'ed to `to` as Docker does (fastest level; the header's extra field holds
// {"lastTime":...}, which Docker's reader uses to skip files older than --since), then removes
// `from`. On failure `from` stays and `to` is removed: readers take either.
void compress_file(const std::string& from, const std::string& to, const std::string& last_time) {
    UniqueFd in(::open(from.c_str(), O_RDONLY | O_CLOEXEC));
    UniqueFd out(::open(to.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640));
    if (!in.valid() || !out.valid()) return;
    z_stream z{};
    if (deflateInit2(&z, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return;
    std::string extra = Json{{"lastTime", last_time}}.dump();
    std::string name = from.substr(from.rfind('/') + 1);
    gz_header header{};
    header.extra = reinterpret_cast<Bytef*>(extra.data());
    header.extra_len = static_cast<uInt>(extra.size());
    header.name = reinterpret_cast<Bytef*>(name.data());
    header.time = static_cast<uLong>(::time(nullptr));
    header.os = 3; // Unix, as Go's gzip writer says
    deflateSetHeader(&z, &header);
    std::vector<char> ibuf(64 << 10), obuf(64 << 10);
    bool ok = true;
    int flush = Z_NO_FLUSH;
    while (ok && flush != Z_FINISH) {
        ssize_t n = ::read(in.get(), ibuf.data(), ibuf.size());
        if (n < 0) {
            ok = false;
            break;
        }
        flush = n == 0 ? Z_FINISH : Z_NO_FLUSH;
        z.next_in = reinterpret_cast<Bytef*>(ibuf.data());
        z.avail_in = static_cast<uInt>(n);
        do {
            z.next_out = reinterpret_cast<Bytef*>(obuf.data());
            z.avail_out = static_cast<uInt>(obuf.size());
            deflate(&z, flush);
            ok = write_all(out.get(), obuf.data(), obuf.size() - z.avail_out).ok();
        } while (ok && z.avail_out == 0);
    }
    deflateEnd(&z);
    if (ok) ::unlink(from.c_str());
    else ::unlink(to.c_str());
}

} // namespace

void put_log_settings(Json& j, const LogSettings& s) {
    j["log_max_size"] = s.max_size;
    j["log_max_files"] = s.max_files;
    j["log_attrs"] = s.attrs;
    j["log_compress"] = s.compress;
}

LogSettings log_settings_from(const Json& j) {
    LogSettings s;
    s.max_size = j.value("log_max_size", int64_t{0});
    s.max_files = j.value("log_max_files", 1);
    s.attrs = j.value("log_attrs", "");
    s.compress = j.value("log_compress", false);
    return s;
}

std::vector<std::string> log_files(const std::string& path) {
    std::vector<std::string> files;
    for (int n = 1;; ++n) {
        // Both exist while a rotated file is being compressed: the plain one is whole.
        if (path_exists(rotated_name(path, n, false))) files.push_back(rotated_name(path, n, false));
        else if (path_exists(rotated_name(path, n, true))) files.push_back(rotated_name(path, n, true));
        else break;
    }
    std::reverse(files.begin(), files.end());
    files.push_back(path);
    return files;
}

Result<JsonLog> JsonLog::open(const std::string& path, LogSettings settings) {
    UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640));
    if (!fd.valid()) return Error::from_syscall("open log " + path);
    struct stat st{};
    ::fstat(fd.get(), &st);
    return JsonLog(path, std::move(settings), std::move(fd), st.st_size);
}

void JsonLog::write(bool is_stderr, const char* data, size_t n) {
    std::string& buf = m_partial[is_stderr];
    buf.append(data, n);
    size_t start = 0;
    while (true) {
        size_t nl = buf.find('\n', start);
        if (nl == std::string::npos) break;
        record(is_stderr, buf.substr(start, nl + 1 - start));
        start = nl + 1;
    }
    buf.erase(0, start);
    while (buf.size() >= kMaxPartial) {
        record(is_stderr, buf.substr(0, kMaxPartial));
        buf.erase(0, kMaxPartial);
    }
}

void JsonLog::flush() {
    for (int s = 0; s < 2; ++s)
        if (!m_partial[s].empty()) {
            record(s == 1, m_partial[s]);
            m_partial[s].clear();
        }
}

void JsonLog::record(bool is_stderr, const std::string& line) {
    std::string time = rfc3339_nano(now_nanos());
    Json j = {{"log", line}, {"stream", is_stderr ? "stderr" : "stdout"}, {"time", time}};
    std::string text = j.dump(-1, ' ', false, Json::error_handler_t::replace);
    // Spliced in as text: the attributes are the same in every record.
    if (!m_settings.attrs.empty()) text.insert(text.size() - 1, ",\"attrs\":" + m_settings.attrs);
    text += "\n";
    if (m_settings.max_size > 0 && m_size > 0 && m_size + static_cast<int64_t>(text.size()) > m_settings.max_size) rotate();
    if (write_all(m_fd.get(), text.data(), text.size()).ok()) m_size += static_cast<int64_t>(text.size());
    m_last_time = std::move(time);
}

// As Docker's: the oldest file goes, the others move up one, the current one becomes <path>.1
// (compressed to <path>.1.gz when asked) and a new one starts.
void JsonLog::rotate() {
    if (m_settings.max_files <= 1) {
        if (::ftruncate(m_fd.get(), 0) == 0) m_size = 0;
        return;
    }
    bool gz = m_settings.compress;
    ::unlink(rotated_name(m_path, m_settings.max_files - 1, gz).c_str());
    for (int i = m_settings.max_files - 1; i > 1; --i)
        ::rename(rotated_name(m_path, i - 1, gz).c_str(), rotated_name(m_path, i, gz).c_str());
    ::rename(m_path.c_str(), rotated_name(m_path, 1, false).c_str());
    UniqueFd fd(::open(m_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640));
    if (fd.valid()) {
        m_fd = std::move(fd);
        m_size = 0;
    }
    if (gz) compress_file(rotated_name(m_path, 1, false), rotated_name(m_path, 1, true), m_last_time);
}

Result<int64_t> parse_log_size(const std::string& s) {
    auto n = parse_go_ram(s);
    if (!n.ok()) return Error::invalid(n.error().message);
    return *n;
}

} // namespace kouti
