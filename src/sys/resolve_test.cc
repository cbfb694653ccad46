#include "sys/resolve.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "sys/fs.h"

using namespace kouti;
namespace fs = std::filesystem;

namespace {

struct Root {
    std::string path;
    UniqueFd fd;
    Root() {
        char tmpl[] = "/tmp/kouti-resolve-test.XXXXXX";
        path = ::mkdtemp(tmpl);
        fd = UniqueFd(::open(path.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    }
    ~Root() { fs::remove_all(path); }
};

} // namespace

TEST(MakeInRoot, MakesMissingDirectoriesAndFilesBelowWhatExists) {
    Root r;
    fs::create_directories(r.path + "/sys/fs");
    ASSERT_TRUE(make_in_root(r.fd.get(), "/sys/fs/cgroup/memory", true).ok());
    EXPECT_TRUE(fs::is_directory(r.path + "/sys/fs/cgroup/memory"));
    ASSERT_TRUE(make_in_root(r.fd.get(), "/etc/hosts", false).ok());
    EXPECT_TRUE(fs::is_regular_file(r.path + "/etc/hosts"));
    ASSERT_TRUE(make_in_root(r.fd.get(), "/dev/pts/", true).ok());
    EXPECT_TRUE(fs::is_directory(r.path + "/dev/pts"));
    // What exists is returned as it is.
    ASSERT_TRUE(make_in_root(r.fd.get(), "/sys/fs", true).ok());
}

TEST(MakeInRoot, SymlinksOnTheWayStayInsideTheRoot) {
    Root r;
    Root outside;
    fs::create_directories(r.path + "/a");
    fs::create_symlink("/x/y", r.path + "/a/abs");                 // dangling, absolute
    fs::create_symlink("../../../../../" + outside.path.substr(1), r.path + "/a/up"); // climbs out
    ASSERT_TRUE(make_in_root(r.fd.get(), "/a/abs/z", true).ok());
    EXPECT_TRUE(fs::is_directory(r.path + "/x/y/z"));
    ASSERT_TRUE(make_in_root(r.fd.get(), "/a/up/escaped", true).ok());
    EXPECT_FALSE(fs::exists(outside.path + "/escaped"));
    EXPECT_TRUE(fs::is_directory(r.path + outside.path + "/escaped"));
}
