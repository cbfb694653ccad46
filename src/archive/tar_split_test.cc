#include "archive/tar_split.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "archive/tar_writer.h"
#include "sys/fs.h"
#include "util/sha256.h"

using namespace kouti;

// A tar written by libarchive (PAX headers for a long name, odd sizes that need padding) is
// scanned, its files put where extraction would put them, and rebuilt byte for byte.
TEST(TarSplit, RebuildsTheExactBytes) {
    char tmpl[] = "/tmp/kouti-tarsplit-XXXXXX";
    std::string dir = mkdtemp(tmpl);
    std::string long_name = "d/" + std::string(150, 'n');
    std::string big(700001, 'x');
    for (size_t i = 0; i < big.size(); i += 7) big[i] = static_cast<char>('a' + i % 26);
    {
        auto fd = open_file(dir + "/in.tar", O_WRONLY | O_CREAT | O_TRUNC);
        ASSERT_TRUE(fd.ok());
        auto w = TarWriter::open(fd->get());
        ASSERT_TRUE(w.ok());
        ASSERT_TRUE((*w)->add_directory("d").ok());
        ASSERT_TRUE((*w)->add_bytes("d/small", "hello").ok());
        ASSERT_TRUE((*w)->add_bytes("empty", "").ok());
        ASSERT_TRUE((*w)->add_bytes(long_name, big).ok());
        ASSERT_TRUE((*w)->close().ok());
    }
    std::string tar = read_file(dir + "/in.tar").value();
    TarSplitScanner scanner;
    for (size_t i = 0; i < tar.size(); i += 1000) scanner.feed(tar.data() + i, std::min<size_t>(1000, tar.size() - i));
    scanner.finish();
    EXPECT_TRUE(scanner.exact());
    EXPECT_EQ(scanner.file_count(), 2u); // the empty file has no content to refer to
    EXPECT_EQ(scanner.total(), tar.size());

    ASSERT_TRUE(mkdir_p(dir + "/layer/d").ok());
    ASSERT_TRUE(write_file_atomic(dir + "/layer/d/small", "hello").ok());
    ASSERT_TRUE(write_file_atomic(dir + "/layer/" + long_name, big).ok());
    ASSERT_TRUE(write_tar_split(dir + "/split", scanner, {"d/small", long_name}).ok());
    EXPECT_EQ(tar_split_size(dir + "/split").value(), tar.size());

    std::string rebuilt;
    auto n = assemble_tar(dir + "/split", dir + "/layer", [&](const char* p, size_t len) -> Status {
        rebuilt.append(p, len);
        return ok();
    }, digest_of(tar));
    ASSERT_TRUE(n.ok()) << n.error().message;
    EXPECT_EQ(rebuilt, tar);

    // Changed content is caught by the digest check.
    ASSERT_TRUE(write_file_atomic(dir + "/layer/d/small", "HELLO").ok());
    auto bad = assemble_tar(dir + "/split", dir + "/layer", [](const char*, size_t) { return ok(); }, digest_of(tar));
    EXPECT_FALSE(bad.ok());
    (void)remove_all(dir);
}
