#include "store/store.h"

#include <gtest/gtest.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "sys/fs.h"

using namespace kouti;
namespace fs = std::filesystem;

namespace {

struct TempStore {
    std::string path;
    std::unique_ptr<Store> store;
    TempStore() {
        char tmpl[] = "/var/tmp/kouti-store-test.XXXXXX";
        path = ::mkdtemp(tmpl);
        StoreOptions o;
        o.root = path + "/root";
        o.runroot = path + "/run";
        o.driver = "vfs";
        auto opened = Store::open(o);
        if (opened.ok()) store = std::move(opened).value();
    }
    ~TempStore() {
        store.reset();
        fs::remove_all(path);
    }
    std::string pool_file() const { return path + "/root/spare-dirs/f0"; }
};

ino_t inode_of(const std::string& p) {
    struct stat st {};
    return ::stat(p.c_str(), &st) == 0 ? st.st_ino : 0;
}

bool locked_by_someone(const std::string& p) {
    UniqueFd fd(::open(p.c_str(), O_RDONLY | O_CLOEXEC));
    return fd.valid() && ::flock(fd.get(), LOCK_EX | LOCK_NB) != 0;
}

} // namespace

TEST(Staging, ItsLockIsAPooledFile) {
    TempStore s;
    ASSERT_TRUE(s.store);
    { UniqueFd made(::open(s.pool_file().c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600)); }
    ino_t pooled = inode_of(s.pool_file());
    auto staging = s.store->stage();
    ASSERT_TRUE(staging.ok());
    std::string lock = (*staging)->path() + ".lock";
    EXPECT_EQ(inode_of(lock), pooled);
    EXPECT_FALSE(fs::exists(s.pool_file()));
    EXPECT_TRUE(locked_by_someone(lock));
}

// The child that takes a staging area apart pools its lock before it exits, still holding it.
TEST(Staging, APooledFileStillLockedGivesWayToANewOne) {
    TempStore s;
    ASSERT_TRUE(s.store);
    UniqueFd held(::open(s.pool_file().c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
    ASSERT_EQ(::flock(held.get(), LOCK_EX), 0);
    ino_t pooled = inode_of(s.pool_file());
    auto staging = s.store->stage();
    ASSERT_TRUE(staging.ok());
    std::string lock = (*staging)->path() + ".lock";
    EXPECT_NE(inode_of(lock), pooled);
    EXPECT_TRUE(locked_by_someone(lock));
    EXPECT_FALSE(fs::exists(s.pool_file()));                                    // taken, then unlinked
    EXPECT_FALSE(fs::exists((*staging)->path() + ".new"));                      // renamed to .lock
    EXPECT_EQ(std::distance(fs::directory_iterator(s.path + "/root/tmp"), {}), 2); // the area and its lock
}
