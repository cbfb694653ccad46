#include "store/events.h"
#include "store/test_db.h"

#include <gtest/gtest.h>

using namespace kouti;

TEST(Events, TheLogKeepsOnlyTheNewest) {
    TempDb db;
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->exec("CREATE TABLE events (time INTEGER NOT NULL, type TEXT NOT NULL, action TEXT NOT NULL, "
                         "actor TEXT NOT NULL, attributes TEXT NOT NULL DEFAULT '{}')")
                    .ok());
    auto tx = Transaction::begin(*db);
    ASSERT_TRUE(tx.ok());
    int64_t total = kKeptEvents + 2500;
    for (int64_t i = 1; i <= total; ++i) ASSERT_TRUE(record_event(*db, "container", "start", std::to_string(i)).ok());
    ASSERT_TRUE(tx->commit().ok());
    auto count = db->prepare("SELECT count(*), min(actor + 0), max(actor + 0) FROM events");
    ASSERT_TRUE(count.ok());
    auto row = count->step();
    ASSERT_TRUE(row.ok() && *row);
    // Trimmed at the 12,000th event to the newest 10,000; the 500 after it are kept too.
    EXPECT_EQ(count->integer(0), kKeptEvents + 500);
    EXPECT_EQ(count->integer(1), 2001);
    EXPECT_EQ(count->integer(2), total);
}
