#pragma once
// Docker's json-file log driver: one JSON object per line, {"log":"...","stream":"stdout",
// "time":"RFC3339Nano"} (and "attrs":{...} when asked for), rotated at max_size into max_files
// files (<path>.1 is the newest rotated one; <path>.1.gz when compressed). Unlike Docker's
// default, rotation is on unless asked otherwise.
#include <cstdint>
#include <string>
#include <vector>

#include "sys/fd.h"
#include "util/json.h"
#include "util/result.h"

namespace kouti {

struct LogSettings {
    int64_t max_size = 10 * 1024 * 1024; // bytes; <= 0: never rotate
    int max_files = 3;
    // Docker's "attrs" of every record (--log-opt labels=/env=): a JSON object's text, or empty.
    std::string attrs;
    bool compress = false; // rotated files gzip'ed (--log-opt compress=true)
};

// How the settings travel to the monitor (its options are JSON).
void put_log_settings(Json& j, const LogSettings& s);
LogSettings log_settings_from(const Json& j);

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
    std::string m_last_time; // of the last record, for a compressed file's header
};

// The log's files oldest first: the rotated ones (<path>.N or <path>.N.gz), then <path>.
std::vector<std::string> log_files(const std::string& path);

// Parses "10m", "1g", "512k", "100" (bytes) as Docker's --log-opt max-size does.
Result<int64_t> parse_log_size(const std::string& s);

} // namespace kouti
