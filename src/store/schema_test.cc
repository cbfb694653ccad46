#include "store/schema.sql.h"

#include <gtest/gtest.h>

#include "store/db.h"
#include "store/events.h"
#include "store/images.h"
#include "store/test_db.h"

using namespace kouti;

namespace {

int64_t count_of(Db& db, const std::string& sql) {
    auto st = db.prepare(sql);
    if (!st.ok()) return -1;
    auto row = st->step();
    return row.ok() && *row ? st->integer(0) : -1;
}

} // namespace

// A store made by an earlier kouti (schema 3) loses the two indexes every `run --rm` wrote to;
// what they served still answers, in the same order.
TEST(Schema, Version4DropsTheIndexesOfTheRunPathAndKeepsTheirQueries) {
    TempDb db;
    ASSERT_TRUE(db.ok());
    for (const char* sql : {kSchemaV1, kSchemaV2, kSchemaV3}) ASSERT_TRUE(db->exec(sql).ok());
    ASSERT_TRUE(db->exec("INSERT INTO layers(chain_id, diff_id, cache_id, size, created) VALUES ('l', 'd', 'c', 0, 0);"
                         "INSERT INTO images(id, top_layer, size, created, added) VALUES ('img', 'l', 0, 0, 0);"
                         "INSERT INTO containers(id, name, image_id, created) VALUES ('b', 'second', 'img', 2), ('a', 'first', 'img', 1);"
                         "INSERT INTO events(time, type, action, actor) VALUES (30, 'container', 'die', 'a'), (10, 'container', 'create', 'a'), (20, 'container', 'start', 'a');")
                    .ok());
    EXPECT_EQ(count_of(*db, "SELECT count(*) FROM sqlite_master WHERE name IN ('events_time', 'containers_image')"), 2);

    ASSERT_TRUE(db->exec(kSchemaV4).ok());
    EXPECT_EQ(count_of(*db, "PRAGMA user_version"), 4);
    EXPECT_EQ(count_of(*db, "SELECT count(*) FROM sqlite_master WHERE name IN ('events_time', 'containers_image')"), 0);
    auto users = containers_using_image(*db, "img");
    ASSERT_TRUE(users.ok());
    EXPECT_EQ(*users, (std::vector<std::string>{"a", "b"}));
    auto events = events_between(*db, 10, 30);
    ASSERT_TRUE(events.ok());
    ASSERT_EQ(events->size(), 2u);
    EXPECT_EQ((*events)[0].action, "start");
    EXPECT_EQ((*events)[1].action, "die");
}
