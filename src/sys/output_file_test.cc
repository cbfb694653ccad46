#include "sys/output_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sys/fs.h"

namespace kouti {

TEST(OutputFile, RefusesWhatIsNotARegularFileAndNeverReplacesIt) {
    std::string dir = "/tmp/kouti-output-test-" + random_hex(4);
    ASSERT_TRUE(mkdir_p(dir).ok());
    auto why = [](const std::string& p) { return check_output_path(p).ok() ? std::string("ok") : check_output_path(p).error().message; };
    EXPECT_EQ(why(dir + "/new.tar"), "ok");
    EXPECT_EQ(why(dir + "/nodir/x.tar"), "invalid output path: stat " + dir + "/nodir: no such file or directory");
    EXPECT_EQ(why(dir), "cannot write to a directory");
    EXPECT_EQ(why("/dev/null"), "cannot write to a character device file");
    ASSERT_EQ(::mkfifo((dir + "/fifo").c_str(), 0600), 0);
    EXPECT_EQ(why(dir + "/fifo"), "cannot write to a named pipe (FIFO)");
    ASSERT_EQ(::symlink("/etc/passwd", (dir + "/link").c_str()), 0);
    EXPECT_EQ(why(dir + "/link"), "cannot write to a symbolic link directly");
    ASSERT_TRUE(write_file_atomic(dir + "/suid", "x").ok());
    ::chmod((dir + "/suid").c_str(), 04755);
    EXPECT_EQ(why(dir + "/suid"), "cannot write to a setuid file");
    EXPECT_FALSE(OutputFile::create("/dev/null").ok());
    struct stat st{};
    ASSERT_EQ(::stat("/dev/null", &st), 0);
    EXPECT_TRUE(S_ISCHR(st.st_mode));
    (void)remove_all(dir);
}

TEST(OutputFile, AppearsWholeOnCommitAndNotAtAllOtherwise) {
    std::string dir = "/tmp/kouti-output-commit-" + random_hex(4);
    ASSERT_TRUE(mkdir_p(dir).ok());
    {
        auto f = OutputFile::create(dir + "/kept.tar");
        ASSERT_TRUE(f.ok());
        ASSERT_EQ(::write(f->fd(), "data", 4), 4);
        EXPECT_FALSE(path_exists(dir + "/kept.tar"));
        ASSERT_TRUE(f->commit().ok());
    }
    {
        auto f = OutputFile::create(dir + "/dropped.tar");
        ASSERT_TRUE(f.ok());
        ASSERT_EQ(::write(f->fd(), "data", 4), 4);
    }
    EXPECT_EQ(read_file(dir + "/kept.tar").value(), "data");
    EXPECT_FALSE(path_exists(dir + "/dropped.tar"));
    auto left = list_dir(dir);
    ASSERT_TRUE(left.ok());
    EXPECT_EQ(left->size(), 1u); // no temporary file either
    (void)remove_all(dir);
}

} // namespace kouti
