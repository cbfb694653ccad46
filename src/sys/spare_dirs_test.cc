#include "sys/spare_dirs.h"

#include "sys/after_exit.h"
#include "sys/fs.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>

using namespace kouti;
namespace fs = std::filesystem;

namespace {

struct Dir {
    std::string path;
    Dir() {
        char tmpl[] = "/var/tmp/kouti-spare-test.XXXXXX";
        path = ::mkdtemp(tmpl);
        fs::create_directory(path + "/pool");
    }
    ~Dir() { fs::remove_all(path); }
    size_t spares() const { return static_cast<size_t>(std::distance(fs::directory_iterator(path + "/pool"), fs::directory_iterator())); }
};

mode_t mode_of(const std::string& p) {
    struct stat st {};
    ::stat(p.c_str(), &st);
    return st.st_mode & 07777;
}

} // namespace

TEST(SpareDirs, ARemovedTreeIsReusedWithTheModeAskedFor) {
    Dir d;
    SpareDirs spares(d.path + "/pool");
    fs::create_directories(d.path + "/tree/a/b");
    { std::ofstream(d.path + "/tree/a/file") << "x"; }
    ::chmod((d.path + "/tree/a").c_str(), 0700);
    ASSERT_TRUE(remove_all(d.path + "/tree", spares).ok());
    EXPECT_FALSE(fs::exists(d.path + "/tree"));
    EXPECT_EQ(d.spares(), 3u); // tree, a and b; the file is gone

    ASSERT_TRUE(spares.make(d.path + "/new", 0710).ok());
    EXPECT_TRUE(fs::is_empty(d.path + "/new"));
    EXPECT_EQ(mode_of(d.path + "/new"), 0710u);
    EXPECT_EQ(d.spares(), 2u);
    // Like mkdir: an existing path is an error, and the spare stays.
    auto again = spares.make(d.path + "/new", 0755);
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().err, EEXIST);
    EXPECT_EQ(d.spares(), 2u);
}

TEST(SpareDirs, DirectoriesEnterThePoolWithoutTheirExtendedAttributes) {
    Dir d;
    SpareDirs spares(d.path + "/pool");
    fs::create_directories(d.path + "/marked");
    if (::setxattr((d.path + "/marked").c_str(), "user.kouti-test", "y", 1, 0) != 0) GTEST_SKIP() << "no user xattrs here";
    ASSERT_TRUE(remove_all(d.path + "/marked", spares).ok());
    EXPECT_FALSE(fs::exists(d.path + "/marked"));
    ASSERT_EQ(d.spares(), 1u);
    ASSERT_TRUE(spares.make(d.path + "/reused", 0755).ok());
    EXPECT_EQ(::listxattr((d.path + "/reused").c_str(), nullptr, 0), 0);
}

TEST(SpareDirs, OverlaysWorkDirectoriesAreRemoved) {
    Dir d;
    SpareDirs spares(d.path + "/pool");
    fs::create_directories(d.path + "/work/work");
    ::chmod((d.path + "/work/work").c_str(), 0); // as overlay makes it, at every mount
    ASSERT_TRUE(remove_all(d.path + "/work", spares).ok());
    EXPECT_FALSE(fs::exists(d.path + "/work"));
    EXPECT_EQ(d.spares(), 1u); // work itself only
}

TEST(SpareDirs, AFullPoolRemovesAndAnEmptyOneMakes) {
    Dir d;
    SpareDirs spares(d.path + "/pool");
    for (int i = 0; i < SpareDirs::kSlots + 3; ++i) fs::create_directories(d.path + "/t/" + std::to_string(i));
    ASSERT_TRUE(remove_all(d.path + "/t", spares).ok());
    EXPECT_FALSE(fs::exists(d.path + "/t"));
    EXPECT_EQ(d.spares(), static_cast<size_t>(SpareDirs::kSlots));
    // Another process took them all: make falls back to mkdir.
    fs::remove_all(d.path + "/pool");
    fs::create_directory(d.path + "/pool");
    ASSERT_TRUE(spares.make(d.path + "/fresh", 0755).ok());
    EXPECT_TRUE(fs::is_directory(d.path + "/fresh"));
}

std::string contents(const std::string& p) {
    std::ifstream in(p);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(SpareDirs, ARecycledFileIsReusedAsItIsAndOverwrittenToExactlyTheNewContent) {
    Dir d;
    SpareDirs spares(d.path + "/pool");
    std::string old_content = "{\"secret\": 1, \"padding\": \"" + std::string(6000, 'x') + "\"}";
    { std::ofstream(d.path + "/config.json") << old_content; }
    ::chmod((d.path + "/config.json").c_str(), 0644);
    struct stat before {};
    ::stat((d.path + "/config.json").c_str(), &before);
    spares.recycle_file(d.path + "/config.json");
    EXPECT_FALSE(fs::exists(d.path + "/config.json"));
    ASSERT_TRUE(fs::exists(d.path + "/pool/f0"));
    // Never emptied on the way in (a truncation to 0 costs a flush and a discard on ext4), but
    // readable by root alone.
    EXPECT_EQ(fs::file_size(d.path + "/pool/f0"), old_content.size());
    EXPECT_EQ(mode_of(d.path + "/pool/f0"), 0600u);
    EXPECT_EQ(d.spares(), 1u);

    // A shorter content through the pool: exactly it, in the same inode, with the mode asked for.
    ASSERT_TRUE(write_file_atomic(d.path + "/state.json", "{\"Status\":\"running\"}", spares).ok());
    struct stat after {};
    ::stat((d.path + "/state.json").c_str(), &after);
    EXPECT_EQ(after.st_ino, before.st_ino); // the same inode: none was allocated
    EXPECT_EQ(contents(d.path + "/state.json"), "{\"Status\":\"running\"}");
    EXPECT_EQ(mode_of(d.path + "/state.json"), 0644u);
    EXPECT_EQ(d.spares(), 0u);
    EXPECT_EQ(std::distance(fs::directory_iterator(d.path), {}), 2); // state.json and the pool: no temporary left

    // A longer one over a shorter pooled file.
    spares.recycle_file(d.path + "/state.json");
    ASSERT_TRUE(write_file_atomic(d.path + "/config.json", old_content, spares).ok());
    EXPECT_EQ(contents(d.path + "/config.json"), old_content);

    // take_file is like O_EXCL: an existing path is an error, and a pooled file stays pooled.
    spares.recycle_file(d.path + "/config.json");
    { std::ofstream(d.path + "/taken") << "mine"; }
    auto again = spares.take_file(d.path + "/taken");
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().err, EEXIST);
    EXPECT_EQ(contents(d.path + "/taken"), "mine");
    EXPECT_EQ(d.spares(), 1u);
    // An empty pool makes a new file.
    ASSERT_TRUE(write_file_atomic(d.path + "/a", "first", spares).ok());
    ASSERT_TRUE(write_file_atomic(d.path + "/b", "second", spares).ok());
    EXPECT_EQ(contents(d.path + "/a"), "first");
    EXPECT_EQ(contents(d.path + "/b"), "second");
    EXPECT_EQ(mode_of(d.path + "/b"), 0644u);
    EXPECT_EQ(d.spares(), 0u);
}

TEST(SpareDirs, OnlyAPlainFileWithOneNameIsPooled) {
    Dir d;
    SpareDirs spares(d.path + "/pool");
    { std::ofstream(d.path + "/linked") << "x"; }
    fs::create_hard_link(d.path + "/linked", d.path + "/other-name");
    spares.recycle_file(d.path + "/linked");
    EXPECT_FALSE(fs::exists(d.path + "/linked"));
    EXPECT_EQ(contents(d.path + "/other-name"), "x"); // never emptied through its other name
    fs::create_symlink(d.path + "/other-name", d.path + "/symlink");
    spares.recycle_file(d.path + "/symlink");
    EXPECT_FALSE(fs::is_symlink(d.path + "/symlink"));
    EXPECT_EQ(contents(d.path + "/other-name"), "x"); // never followed
    ::mkfifo((d.path + "/fifo").c_str(), 0600);
    spares.recycle_file(d.path + "/fifo");
    EXPECT_FALSE(fs::exists(d.path + "/fifo"));
    spares.recycle_file(d.path + "/missing");
    EXPECT_EQ(d.spares(), 0u);
}

TEST(SpareDirs, WhatCannotBePooledIsDeferredWhileADirectoryIsSet) {
    Dir d;
    SpareDirs spares(d.path + "/pool");
    spares.defer_into(d.path + "/later");
    fs::create_directories(d.path + "/work/work/incompat");
    ::chmod((d.path + "/work/work").c_str(), 0);
    ASSERT_TRUE(remove_all(d.path + "/work", spares).ok());
    EXPECT_FALSE(fs::exists(d.path + "/work"));
    // incompat (plain) and work went to the pool; overlay's work/work waits in later/.
    EXPECT_EQ(d.spares(), 2u);
    EXPECT_EQ(std::distance(fs::directory_iterator(d.path + "/later"), fs::directory_iterator()), 1);
    EXPECT_EQ(spares.take_deferred(), d.path + "/later");
    // No longer deferring: removed at once.
    fs::create_directories(d.path + "/w2/work");
    ::chmod((d.path + "/w2/work").c_str(), 0);
    ASSERT_TRUE(remove_all(d.path + "/w2", spares).ok());
    EXPECT_EQ(std::distance(fs::directory_iterator(d.path + "/later"), fs::directory_iterator()), 1);
    EXPECT_EQ(spares.take_deferred(), "");
}

TEST(AfterExit, AChildTakesTheAreaApartRefillsThePoolAndRemovesTheLockHoldingIt) {
    Dir d;
    std::string area = d.path + "/area", lock_path = area + ".lock";
    for (int i = 0; i < 300; ++i) fs::create_directories(area + "/later/" + std::to_string(i)); // more than one listing
    fs::create_directories(area + "/rm-0/diff/etc/deep/er");
    { std::ofstream(area + "/rm-0/diff/etc/deep/file") << "x"; }
    fs::create_symlink("/etc/passwd", area + "/rm-0/diff/etc/link"); // removed, never followed
    fs::create_directories(area + "/rm-0/work/work");
    ::chmod((area + "/rm-0/work/work").c_str(), 0); // overlay's: never pooled
    auto lock = FileLock::acquire(lock_path, true, true);
    ASSERT_TRUE(lock.ok());
    int pipe_fds[2];
    ASSERT_EQ(::pipe(pipe_fds), 0);
    ASSERT_TRUE(remove_after_exit(area, d.path + "/pool", lock_path, lock->fd()));
    ::close(pipe_fds[1]);
    *lock = FileLock(); // ours closed: the child's copy of the descriptor still holds it
    // The child keeps no descriptor but the lock's: our pipe's write end is closed everywhere.
    char c;
    EXPECT_EQ(::read(pipe_fds[0], &c, 1), 0);
    ::close(pipe_fds[0]);
    // A deadline, not a measure. The child runs SCHED_IDLE, so a machine whose CPUs a build keeps
    // busy starves it: 2 s, then 10 s were not enough there; 60 s.
    for (int i = 0; i < 12000 && fs::exists(lock_path); ++i) ::usleep(5000);
    EXPECT_FALSE(fs::exists(area));
    EXPECT_FALSE(fs::exists(lock_path));
    EXPECT_TRUE(fs::exists("/etc/passwd"));
    // The pool's directories and, as its first file, the area's lock.
    EXPECT_EQ(d.spares(), static_cast<size_t>(SpareDirs::kSlots) + 1);
    EXPECT_TRUE(fs::is_regular_file(d.path + "/pool/f0"));
    for (const auto& e : fs::directory_iterator(d.path + "/pool")) EXPECT_TRUE(fs::is_empty(e.path()));
}

TEST(AfterExit, WhatTheChildCannotRemoveKeepsItsLockFileForTheNextCommand) {
    Dir d;
    std::string area = d.path + "/area", lock_path = area + ".lock", deep = area;
    for (int i = 0; i < 40; ++i) deep += "/d";
    fs::create_directories(deep);
    auto lock = FileLock::acquire(lock_path, true, true);
    ASSERT_TRUE(lock.ok());
    ASSERT_TRUE(remove_after_exit(area, d.path + "/pool", lock_path, lock->fd()));
    *lock = FileLock();
    // Free once the child is done: how the next command tells a dead process's area.
    std::optional<FileLock> free_again;
    for (int i = 0; i < 12000 && !free_again; ++i) { // 60 s: the child runs SCHED_IDLE
        auto again = FileLock::acquire(lock_path, true, false);
        if (again.ok()) free_again.emplace(std::move(again).value());
        else ::usleep(5000);
    }
    ASSERT_TRUE(free_again.has_value());
    EXPECT_TRUE(fs::exists(area));
    EXPECT_TRUE(fs::exists(lock_path));
}

TEST(AfterExit, TheChildReleasesTheDescriptorOnceItsParentHasExited) {
    Dir d;
    std::string area = d.path + "/area", later = area + "/later", lock_path = area + ".lock";
    fs::create_directories(later + "/0");
    int kept[2], go[2];
    ASSERT_EQ(::pipe(kept), 0);
    ASSERT_EQ(::pipe(go), 0);
    pid_t parent = ::fork();
    ASSERT_GE(parent, 0);
    if (parent == 0) { // the kouti process: hands the descriptor on, then waits for our word to exit
        ::close(kept[0]);
        ::close(go[1]);
        auto lock = FileLock::acquire(lock_path, true, true);
        if (!lock.ok() || !remove_after_exit(area, d.path + "/pool", lock_path, lock->fd(), kept[1])) ::_exit(1);
        ::close(kept[1]);
        char c;
        (void)::read(go[0], &c, 1);
        ::_exit(0);
    }
    ::close(kept[1]);
    ::close(go[0]);
    // While that process lives, the child holds the write end (the last copy of it)...
    struct pollfd p = {kept[0], POLLIN, 0};
    EXPECT_EQ(::poll(&p, 1, 200), 0);
    EXPECT_TRUE(fs::exists(later + "/0"));
    // ...and closes it once the process has exited, before its other work.
    ::close(go[1]);
    int status = 0;
    ASSERT_EQ(::waitpid(parent, &status, 0), parent);
    EXPECT_EQ(status, 0);
    char c;
    EXPECT_EQ(::read(kept[0], &c, 1), 0);
    ::close(kept[0]);
    // A deadline, not a measure. The child runs SCHED_IDLE, so a machine whose CPUs a build keeps
    // busy starves it: 2 s, then 10 s were not enough there; 60 s.
    for (int i = 0; i < 12000 && fs::exists(lock_path); ++i) ::usleep(5000);
    EXPECT_FALSE(fs::exists(area));
    EXPECT_FALSE(fs::exists(lock_path));
}
