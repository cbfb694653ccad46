// logs: reads the json-file log (rotated files oldest first), optionally following it.
#include <cctype>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <deque>
#include <fstream>
#include <sstream>
#include <thread>

#include "cli/cli.h"
#include "engine/containers.h"
#include "runtime/json_log.h"
#include "sys/fs.h"
#include "util/go_duration.h"
#include "util/humanize.h"

namespace kouti {
namespace {

struct LogOptions {
    int64_t since = 0, until = 0; // 0: no bound
    bool timestamps = false, details = false;
};

// Go's url.QueryEscape, which Docker's --details applies to each attribute.
std::string query_escape(const std::string& s) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') out += static_cast<char>(c);
        else if (c == ' ') out += '+';
        else (out += '%') += std::string{hex[c >> 4], hex[c & 15]};
    }
    return out;
}

// A rotated file compressed by --log-opt compress=true, whole (at most max-size).
std::string read_gzip(const std::string& path) {
    std::string text;
    gzFile f = gzopen(path.c_str(), "rb");
    if (!f) return text;
    char buf[64 << 10];
    for (int n; (n = gzread(f, buf, sizeof buf)) > 0;) text.append(buf, static_cast<size_t>(n));
    gzclose(f);
    return text;
}

// Prints one record; returns false when it is past --until.
bool print_record(const std::string& line, const LogOptions& o) {
    auto j = Json::parse(line, nullptr, false);
    if (!j.is_object()) return true;
    std::string time = j.value("time", "");
    int64_t t = parse_rfc3339(time);
    if (o.since && t < o.since) return true;
    if (o.until && t > o.until) return false;
    std::string text = j.value("log", "");
    if (o.details) { // "k=v,k2=v2 " before each line (a lone space when it has none), as Docker's
        std::string attrs;
        const Json attr_map = j.value("attrs", Json::object());
        for (auto& [k, v] : attr_map.items())
            attrs += (attrs.empty() ? "" : ",") + query_escape(k) + "=" + query_escape(v.is_string() ? v.get<std::string>() : v.dump());
        text = attrs + " " + text;
    }
    if (o.timestamps) text = time + " " + text;
    (void)write_all(j.value("stream", "") == "stderr" ? 2 : 1, text.data(), text.size());
    return true;
}

int cmd_logs(Cli& cli, const Args& a) {
    Store* store = STORE_OR_FAIL(cli);
    auto row = resolve_container(store->db(), a.positional[0]);
    if (!row.ok()) return cli.fail(row.error());
    if (row->config["HostConfig"].value("LogConfig", Json::object()).value("Type", "json-file") == "none")
        return cli.fail(Error::usage("configured logging driver does not support reading"));
    LogOptions o;
    int64_t now = now_nanos();
    if (a.has("since")) {
        auto t = parse_time_or_duration(a.value("since"), now, "since");
        if (!t.ok()) return cli.fail(t.error());
        o.since = *t;
    }
    if (a.has("until")) {
        auto t = parse_time_or_duration(a.value("until"), now, "until");
        if (!t.ok()) return cli.fail(t.error());
        o.until = *t;
    }
    o.timestamps = a.flag("timestamps");
    o.details = a.flag("details");
    std::string tail = a.value("tail", "all");
    // Anything but a number of lines is all of them, as Docker reads --tail.
    char* end = nullptr;
    long keep = std::strtol(tail.c_str(), &end, 10);
    if (tail.empty() || *end != '\0' || keep < 0) keep = -1;
    std::string path = log_path(*store, row->id);
    std::vector<std::string> files = log_files(path);
    // The newest file stays open after the first pass: following goes on from exactly there, so
    // nothing appended (or rotated away) between the two is missed.
    std::ifstream current;
    ino_t inode = 0;
    std::string partial; // a last line without its newline yet
    std::deque<std::string> lines;
    for (const auto& f : files) {
        std::ifstream in;
        std::istringstream unzipped;
        std::istream* source = &in;
        if (f.ends_with(".gz")) {
            unzipped.str(read_gzip(f));
            source = &unzipped;
        } else {
            in.open(f);
        }
        if (&f == &files.back()) {
            struct stat st{};
            inode = ::stat(f.c_str(), &st) == 0 ? st.st_ino : 0;
        }
        std::string line;
        while (std::getline(*source, line)) {
            if (source->eof()) { // no newline yet: the follower prints it once it is whole
                partial = line;
                break;
            }
            lines.push_back(line);
            if (keep >= 0 && static_cast<long>(lines.size()) > keep) lines.pop_front();
        }
        if (&f == &files.back()) current = std::move(in);
    }
    for (const auto& l : lines)
        if (!print_record(l, o)) return 0;
    if (!a.flag("follow")) return 0;
    // Follow until the container stops. A rotation renames the file under us: what is left in
    // the old one is read first, then the new one from its start.
    // Reads the complete lines available; false when the output is gone.
    auto drain = [&](bool& got) {
        std::string line;
        current.clear();
        while (std::getline(current, line)) {
            if (current.eof()) { // no newline yet: keep it for later
                partial += line;
                break;
            }
            got = true;
            if (!print_record(partial + line, o)) return false;
            partial.clear();
        }
        current.clear();
        return true;
    };
    auto rotated = [&] {
        struct stat st{};
        if (::stat(path.c_str(), &st) != 0 || st.st_ino == inode) return false;
        inode = st.st_ino;
        return true;
    };
    while (true) {
        bool got = false;
        if (!drain(got)) return 0;
        if (got) continue;
        if (rotated()) {
            current = std::ifstream(path);
            partial.clear();
            continue;
        }
        auto fresh = container_by_id(store->db(), row->id);
        if (!fresh.ok() || !*fresh) return 0;
        std::string s = observe_state(*store, **fresh).value("Status", "");
        if (s != "running" && s != "paused" && s != "restarting") {
            // The monitor writes the last lines before it records the exit: read them all.
            while (true) {
                if (!drain(got)) return 0;
                if (!rotated()) return 0;
                current = std::ifstream(path);
                partial.clear();
            }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

} // namespace

Command logs_command() {
    return {"logs", "[OPTIONS] CONTAINER", "Fetch the logs of a container",
            {{"details", 0, false, "", "Show extra details provided to logs"},
             {"follow", 'f', false, "", "Follow log output"},
             {"since", 0, true, "string", "Show logs since timestamp (e.g. \"2013-01-02T13:23:37Z\") or relative (e.g. \"42m\" for 42 minutes)"},
             {"tail", 'n', true, "string", "Number of lines to show from the end of the logs (default \"all\")"},
             {"timestamps", 't', false, "", "Show timestamps"},
             {"until", 0, true, "string", "Show logs before a timestamp (e.g. \"2013-01-02T13:23:37Z\") or relative (e.g. \"42m\" for 42 minutes)"}},
            1, 1, cmd_logs};
}

} // namespace kouti
