#include <gtest/gtest.h>

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

TEST(JsonLog, ParsesSizes) {
    EXPECT_EQ(parse_log_size("10m").value(), 10 * 1024 * 1024);
    EXPECT_EQ(parse_log_size("512k").value(), 512 * 1024);
    EXPECT_EQ(parse_log_size("100").value(), 100);
    EXPECT_FALSE(parse_log_size("ten").ok());
}

} // namespace kouti
