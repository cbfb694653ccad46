#include "store/db.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "store/test_db.h"

using namespace kouti;

namespace {

off_t size_of(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 ? st.st_size : -1;
}

int64_t rows(Db& db) {
    auto st = db.prepare("SELECT count(*) FROM t");
    EXPECT_TRUE(st.ok() && st->step().ok());
    return st->integer(0);
}

} // namespace

// `run`'s deferred checkpoint restarts the WAL instead of truncating it: the file keeps its
// blocks, and the next connection rebuilds its index from the one new frame.
TEST(Db, DeferredCheckpointRestartsTheWalWithoutTruncatingIt) {
    TempDb db;
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->exec("CREATE TABLE t (v TEXT)").ok());
    db->defer_checkpoints();
    int written = 0;
    while (!db->checkpoint_due()) {
        ASSERT_TRUE(db->exec("INSERT INTO t VALUES (hex(randomblob(3000)))").ok());
        ASSERT_LT(++written, 1000);
    }
    std::string wal = db.path() + "/db-wal";
    off_t grown = size_of(wal);
    ASSERT_GT(grown, Db::kCheckpointFrames * 4096);
    db->checkpoint_if_due();
    EXPECT_FALSE(db->checkpoint_due());
    EXPECT_EQ(size_of(wal), grown);
    // A new connection (as the next command) sees every row.
    auto other = Db::open(db.path() + "/db");
    ASSERT_TRUE(other.ok());
    EXPECT_EQ(rows(*other), written);
    EXPECT_EQ(rows(*db), written);
}

// `run` checkpoints beside its container's start: the connection's next use waits for it.
TEST(Db, ACheckpointInTheBackgroundEndsBeforeTheConnectionsNextUse) {
    TempDb db;
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->exec("CREATE TABLE t (v TEXT)").ok());
    db->checkpoint_in_background(); // not deferring: commits checkpoint themselves, nothing to do
    db->defer_checkpoints();
    int written = 0;
    while (!db->checkpoint_due()) {
        ASSERT_TRUE(db->exec("INSERT INTO t VALUES (hex(randomblob(3000)))").ok());
        ASSERT_LT(++written, 1000);
    }
    db->checkpoint_in_background();
    {
        auto tx = Transaction::begin(*db); // waits for the checkpoint, then writes
        ASSERT_TRUE(tx.ok());
        ASSERT_TRUE(db->exec("INSERT INTO t VALUES ('after')").ok());
        ASSERT_TRUE(tx->commit().ok());
    }
    EXPECT_FALSE(db->checkpoint_due()); // the WAL was restarted: one or two frames since
    auto other = Db::open(db.path() + "/db");
    ASSERT_TRUE(other.ok());
    EXPECT_EQ(rows(*other), written + 1);
    // Closing waits for one still running.
    while (!db->checkpoint_due()) ASSERT_TRUE(db->exec("INSERT INTO t VALUES (hex(randomblob(3000)))").ok());
    db->checkpoint_in_background();
}
