#pragma once
// Docker's json-file log driver: one JSON object per line, {"log":"...","stream":"stdout",
// "time":"RFC3339Nano"} (and "attrs":{...} when asked for), rotated at max_size into max_files files (<path>.1 is the newest
// rotated one). Unlike Docker's default, rotation is on unless asked otherwise.
#include <cstdint>
#include <string>

#include "sys/fd.h"
#include "util/result.h"

namespace kouti {

struct LogSettings {
    int64_t max_size = 10 * 1024 * 1024; // bytes; <= 0: never rotate
    int max_files = 3;
    // Docker's "attrs" of every record (--log-opt labels=/env=): a JSON object's text, or empty.
    std::string attrs;
};

class JsonLog {
public:
    static Result<JsonLog> open(const std::string& path, LogSettings settings);
    JsonLog(JsonLog&&) = default;
    // Buffers partial lines per stream; writes each complete line as one record.
    void write(bool is_stderr, const char* data, size_t n);
    void flush(); // writes pending partial lines (at exit)

private:
    JsonLog(std::string path, LogSettings settings, UniqueFd fd, int64_t size)
        : m_path(std::move(path)), m_settings(std::move(settings)), m_fd(std::move(fd)), m_size(size) {}
    void record(bool is_stderr, const std::string& line);
    void rotate();

    std::string m_path;
    LogSettings m_settings;
    UniqueFd m_fd;
    int64_t m_size = 0;
    std::string m_partial[2];
};

// Parses "10m", "1g", "512k", "100" (bytes) as Docker's --log-opt max-size does.
Result<int64_t> parse_log_size(const std::string& s);

} // namespace kouti
