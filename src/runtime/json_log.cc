#include "runtime/json_log.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sys/fs.h"
#include "util/humanize.h"
#include "util/json.h"

namespace kouti {

namespace {
constexpr size_t kMaxPartial = 16 * 1024; // Docker splits lines longer than its 16K buffer
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
    Json j = {{"log", line}, {"stream", is_stderr ? "stderr" : "stdout"}, {"time", rfc3339_nano(now_nanos())}};
    std::string text = j.dump(-1, ' ', false, Json::error_handler_t::replace);
    // Spliced in as text: the attributes are the same in every record.
    if (!m_settings.attrs.empty()) text.insert(text.size() - 1, ",\"attrs\":" + m_settings.attrs);
    text += "\n";
    if (m_settings.max_size > 0 && m_size > 0 && m_size + static_cast<int64_t>(text.size()) > m_settings.max_size) rotate();
    if (write_all(m_fd.get(), text.data(), text.size()).ok()) m_size += static_cast<int64_t>(text.size());
}

void JsonLog::rotate() {
    if (m_settings.max_files <= 1) {
        if (::ftruncate(m_fd.get(), 0) == 0) m_size = 0;
        return;
    }
    for (int i = m_settings.max_files - 1; i >= 1; --i) {
        std::string from = i == 1 ? m_path : m_path + "." + std::to_string(i - 1);
        ::rename(from.c_str(), (m_path + "." + std::to_string(i)).c_str());
    }
    UniqueFd fd(::open(m_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640));
    if (fd.valid()) {
        m_fd = std::move(fd);
        m_size = 0;
    }
}

Result<int64_t> parse_log_size(const std::string& s) {
    Error bad = Error::invalid("invalid size: '" + s + "'");
    if (s.empty()) return bad;
    size_t i = 0;
    while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) ++i;
    if (i == 0) return bad;
    double n = std::stod(s.substr(0, i));
    std::string unit = s.substr(i);
    for (auto& c : unit) c = static_cast<char>(std::tolower(c));
    if (!unit.empty() && unit.back() == 'b') unit.pop_back();
    double mult = unit.empty() ? 1 : unit == "k" ? 1024.0 : unit == "m" ? 1024.0 * 1024 : unit == "g" ? 1024.0 * 1024 * 1024 : -1;
    if (mult < 0) return bad;
    return static_cast<int64_t>(n * mult);
}

} // namespace kouti
