#include "store/containers.h"

#include <gtest/gtest.h>

#include "store/schema.sql.h"
#include "store/test_db.h"

using namespace kouti;

// `ps` reads what it shows of each container as SQLite cuts it out of the row: the fields of
// the config and state it needs, as text; the whole state only as text, parsed when needed.
TEST(ContainerSummaries, CutOutWhatPsShowsNewestFirst) {
    TempDb db;
    ASSERT_TRUE(db.ok());
    for (const char* sql : {kSchemaV1, kSchemaV2, kSchemaV3, kSchemaV4}) ASSERT_TRUE(db->exec(sql).ok());
    ASSERT_TRUE(db->exec("INSERT INTO layers(chain_id, diff_id, cache_id, size, created) VALUES ('l', 'd', 'c', 0, 0);"
                         "INSERT INTO images(id, top_layer, size, created, added) VALUES ('img', 'l', 0, 0, 0);")
                    .ok());
    ContainerRow full;
    full.id = "full";
    full.name = "shown";
    full.image_id = "img";
    full.created = 2;
    full.layer = "rw";
    full.config = Json::parse(R"({"Path": "sh", "Args": ["-c", "echo \"a b\""], "Config": {"Image": "busybox:1",
        "Labels": {"z": "1", "a": "2"}, "Env": ["X=1"]}, "HostConfig": {"NetworkMode": "none", "Binds": []}})");
    full.state = Json::parse(R"({"Status": "exited", "ExitCode": 3, "StartedAt": "2026-01-01T00:00:00Z",
        "FinishedAt": "2026-01-01T00:00:01Z", "Pid": 0})");
    ContainerRow bare;
    bare.id = "bare";
    bare.name = "older";
    bare.image_id = "img";
    bare.created = 1;
    ASSERT_TRUE(insert_container(*db, bare).ok());
    ASSERT_TRUE(insert_container(*db, full).ok());

    auto rows = container_summaries(*db);
    ASSERT_TRUE(rows.ok());
    ASSERT_EQ(rows->size(), 2u);
    const ContainerSummary& a = (*rows)[0];
    EXPECT_EQ(a.row.id, "full");
    EXPECT_EQ(a.row.name, "shown");
    EXPECT_EQ(a.row.layer, "rw");
    EXPECT_EQ(a.row.created, 2);
    EXPECT_EQ(a.path, "sh");
    EXPECT_EQ(Json::parse(a.args_json), full.config["Args"]);
    EXPECT_EQ(a.image, "busybox:1");
    EXPECT_EQ(a.labels_json, R"({"z":"1","a":"2"})"); // in the order given, as Docker lists them
    EXPECT_EQ(a.network_mode, "none");
    EXPECT_EQ(a.status, "exited");
    EXPECT_EQ(a.exit_code, 3);
    EXPECT_EQ(a.started_at, "2026-01-01T00:00:00Z");
    EXPECT_EQ(a.finished_at, "2026-01-01T00:00:01Z");
    EXPECT_EQ(Json::parse(a.state_json), full.state);
    EXPECT_TRUE(a.row.config.empty());

    const ContainerSummary& b = (*rows)[1]; // every field missing: empty, not an error
    EXPECT_EQ(b.row.id, "bare");
    EXPECT_EQ(b.path, "");
    EXPECT_EQ(b.args_json, "");
    EXPECT_EQ(b.status, "");
    EXPECT_EQ(b.exit_code, 0);
    EXPECT_EQ(b.state_json, "{}");
}
