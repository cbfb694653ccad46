#include <gtest/gtest.h>

#include <zlib.h>

#include <fstream>

#include "runtime/json_log.h"
#include "runtime/supervise.h"
#include "sys/fs.h"
#include "util/json.h"

namespace kouti {

TEST(DetachKeys, PassesOtherBytesAndFindsTheSequence) {
    DetachKeys k("\x10\x11");
    std::string out;
    EXPECT_FALSE(k.feed("ab\x10", 3, out));
    EXPECT_EQ(out, "ab");
    EXPECT_FALSE(k.feed("c", 1, out)); // not the sequence: the held Ctrl-P goes through
    EXPECT_EQ(out, "ab\x10" "c");
    out.clear();
    EXPECT_TRUE(k.feed("\x10\x11", 2, out));
    EXPECT_EQ(out, "");
}

TEST(DetachKeys, EmptyNeverDetaches) {
    DetachKeys k("");
    std::string out;
    EXPECT_FALSE(k.feed("\x10\x11", 2, out));
    EXPECT_EQ(out, "\x10\x11");
}

TEST(DetachKeys, ParsesDockerSyntax) {
    EXPECT_EQ(parse_detach_keys("ctrl-p,ctrl-q").value(), "\x10\x11");
    EXPECT_EQ(parse_detach_keys("a,ctrl-@").value(), std::string("a\0", 2));
    EXPECT_FALSE(parse_detach_keys("ctrl-1").ok());
    EXPECT_FALSE(parse_detach_keys("shift-a").ok());
}

TEST(JsonLog, WritesDockerRecordsAndRotates) {
    std::string dir = "/tmp/kouti-jsonlog-test-" + random_hex(4);
    ASSERT_TRUE(mkdir_p(dir).ok());
    std::string path = dir + "/c-json.log";
    {
        auto log = JsonLog::open(path, LogSettings{200, 2, ""});
        ASSERT_TRUE(log.ok());
        std::string first = "one\ntw";
        log->write(false, first.data(), first.size());
        std::string rest = "o\n";
        log->write(false, rest.data(), rest.size());
        std::string err = "\xff bad utf-8\n"; // streams are buffered apart; bad UTF-8 is replaced
        log->write(true, err.data(), err.size());
        std::string tail = "no newline";
        log->write(false, tail.data(), tail.size());
        log->flush();
    }
    std::ifstream in(path + ".1");
    std::string line;
    std::vector<Json> records;
    while (std::getline(in, line)) records.push_back(Json::parse(line));
    std::ifstream cur(path);
    while (std::getline(cur, line)) records.push_back(Json::parse(line));
    ASSERT_EQ(records.size(), 4u);
    EXPECT_EQ(records[0]["log"], "one\n");
    EXPECT_EQ(records[0]["stream"], "stdout");
    EXPECT_EQ(records[1]["log"], "two\n");
    EXPECT_EQ(records[2]["stream"], "stderr");
    EXPECT_EQ(records[2]["log"], "\xef\xbf\xbd bad utf-8\n");
    EXPECT_EQ(records[3]["log"], "no newline");
    EXPECT_FALSE(path_exists(path + ".2")); // max-file 2: the log and one rotated file
    (void)remove_all(dir);
}

TEST(JsonLog, AttributesInEveryRecordAfterTheTime) {
    std::string dir = "/tmp/kouti-jsonlog-attrs-" + std::to_string(::getpid());
    ASSERT_TRUE(mkdir_p(dir).ok());
    {
        auto log = JsonLog::open(dir + "/log", LogSettings{0, 1, R"({"FOO":"bar","tier":"web"})"});
        ASSERT_TRUE(log.ok());
        std::string text = "a\nb\n";
        log->write(false, text.data(), text.size());
    }
    std::ifstream in(dir + "/log");
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
        ++n;
        EXPECT_NE(line.find(R"(,"time":")"), std::string::npos) << line;
        EXPECT_EQ(line.substr(line.size() - 35), R"("attrs":{"FOO":"bar","tier":"web"}})") << line;
        EXPECT_EQ(Json::parse(line)["attrs"]["tier"], "web");
    }
    EXPECT_EQ(n, 2);
    (void)remove_all(dir);
}

// gzip's header as Go's reader sees it: the extra field (FEXTRA), after the fixed 10 bytes.
static std::string gzip_extra(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::string head(4096, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    if (head.size() < 12 || !(head[3] & 4)) return "";
    size_t len = static_cast<unsigned char>(head[10]) | static_cast<unsigned char>(head[11]) << 8;
    return head.substr(12, len);
}

static std::vector<std::string> lines_of(const std::string& path) {
    std::vector<std::string> out;
    gzFile f = gzopen(path.c_str(), "rb"); // reads plain files as they are
    std::string text;
    char buf[4096];
    for (int n; (n = gzread(f, buf, sizeof buf)) > 0;) text.append(buf, static_cast<size_t>(n));
    gzclose(f);
    for (size_t at = 0, nl; (nl = text.find('\n', at)) != std::string::npos; at = nl + 1) out.push_back(text.substr(at, nl - at));
    return out;
}

TEST(JsonLog, CompressedRotationKeepsEveryRecordInOrder) {
    std::string dir = "/tmp/kouti-jsonlog-gz-" + random_hex(4);
    ASSERT_TRUE(mkdir_p(dir).ok());
    std::string path = dir + "/c-json.log";
    LogSettings settings{400, 3, ""}; // two records of 160-180 bytes a file, whatever the time's digits
    settings.compress = true;
    {
        auto log = JsonLog::open(path, settings);
        ASSERT_TRUE(log.ok());
        for (int i = 0; i < 7; ++i) {
            std::string line = "line " + std::to_string(i) + std::string(100, '.') + "\n";
            log->write(false, line.data(), line.size());
        }
    }
    // Two records a file: 0-1 dropped with the oldest file, 2-3 and 4-5 compressed.
    EXPECT_EQ(log_files(path), (std::vector<std::string>{path + ".2.gz", path + ".1.gz", path}));
    EXPECT_FALSE(path_exists(path + ".1"));
    EXPECT_FALSE(path_exists(path + ".3.gz"));
    std::vector<std::string> logged;
    for (const auto& f : log_files(path))
        for (const auto& l : lines_of(f)) logged.push_back(Json::parse(l)["log"].get<std::string>().substr(0, 6));
    EXPECT_EQ(logged, (std::vector<std::string>{"line 2", "line 3", "line 4", "line 5", "line 6"}));
    // Docker's reader finds the newest record's time in the header, as Docker writes it.
    Json extra = Json::parse(gzip_extra(path + ".1.gz"), nullptr, false);
    ASSERT_TRUE(extra.is_object());
    EXPECT_EQ(extra["lastTime"], Json::parse(lines_of(path + ".1.gz").back())["time"]);
    (void)remove_all(dir);
}

TEST(JsonLog, SettingsTravelToTheMonitor) {
    LogSettings s{1024, 4, R"({"a":"b"})"};
    s.compress = true;
    Json j = Json::object();
    put_log_settings(j, s);
    LogSettings back = log_settings_from(Json::parse(j.dump()));
    EXPECT_EQ(back.max_size, 1024);
    EXPECT_EQ(back.max_files, 4);
    EXPECT_EQ(back.attrs, s.attrs);
    EXPECT_TRUE(back.compress);
}

TEST(JsonLog, ParsesSizes) {
    EXPECT_EQ(parse_log_size("10m").value(), 10 * 1024 * 1024);
    EXPECT_EQ(parse_log_size("512k").value(), 512 * 1024);
    EXPECT_EQ(parse_log_size("100").value(), 100);
    EXPECT_FALSE(parse_log_size("ten").ok());
}

} // namespace kouti
