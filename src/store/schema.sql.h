#pragma once
// Version 1 of the metadata schema. Digests are stored as "sha256:<hex>".
namespace kouti {
inline constexpr const char* kSchemaV1 = R"SQL(
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS layers (
    chain_id TEXT PRIMARY KEY,
    diff_id  TEXT NOT NULL,
    parent   TEXT REFERENCES layers(chain_id),
    cache_id TEXT NOT NULL UNIQUE,
    link_id  TEXT NOT NULL DEFAULT '',
    size     INTEGER NOT NULL,
    created  INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS layers_parent ON layers(parent);
CREATE INDEX IF NOT EXISTS layers_diff ON layers(diff_id);
CREATE TABLE IF NOT EXISTS images (
    id        TEXT PRIMARY KEY,
    parent    TEXT,
    top_layer TEXT REFERENCES layers(chain_id),
    size      INTEGER NOT NULL,
    created   INTEGER NOT NULL,
    added     INTEGER NOT NULL,
    last_tag_time INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS images_parent ON images(parent);
CREATE INDEX IF NOT EXISTS images_top ON images(top_layer);
CREATE TABLE IF NOT EXISTS tags (
    repo     TEXT NOT NULL,
    tag      TEXT NOT NULL,
    image_id TEXT NOT NULL REFERENCES images(id),
    PRIMARY KEY (repo, tag)
);
CREATE INDEX IF NOT EXISTS tags_image ON tags(image_id);
CREATE TABLE IF NOT EXISTS containers (
    id       TEXT PRIMARY KEY,
    name     TEXT NOT NULL UNIQUE,
    image_id TEXT NOT NULL REFERENCES images(id),
    created  INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS containers_image ON containers(image_id);
PRAGMA user_version = 1;
)SQL";
// Version 2: what a container is (its Docker config and host config as JSON, fixed at create),
// its mutable state (JSON, rewritten on every transition), its read-write layer; and events.
inline constexpr const char* kSchemaV2 = R"SQL(
ALTER TABLE containers ADD COLUMN config TEXT NOT NULL DEFAULT '{}';
ALTER TABLE containers ADD COLUMN state TEXT NOT NULL DEFAULT '{}';
ALTER TABLE containers ADD COLUMN layer TEXT NOT NULL DEFAULT '';
CREATE TABLE IF NOT EXISTS events (
    time   INTEGER NOT NULL,
    type   TEXT NOT NULL,
    action TEXT NOT NULL,
    actor  TEXT NOT NULL,
    attributes TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS events_time ON events(time);
PRAGMA user_version = 2;
)SQL";
// Version 3: networks (Docker's IPAM and options as JSON) and endpoints, one per container and
// network it joined. An endpoint's address is its lease: the unique index makes two containers
// holding one address impossible; the address is NULL while the container does not run.
inline constexpr const char* kSchemaV3 = R"SQL(
CREATE TABLE IF NOT EXISTS networks (
    id      TEXT PRIMARY KEY,
    name    TEXT NOT NULL UNIQUE,
    driver  TEXT NOT NULL,
    created INTEGER NOT NULL,
    config  TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS endpoints (
    container_id TEXT NOT NULL,
    network_id   TEXT NOT NULL REFERENCES networks(id),
    endpoint_id  TEXT NOT NULL,
    address      TEXT,
    config       TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (container_id, network_id)
);
CREATE UNIQUE INDEX IF NOT EXISTS endpoints_address ON endpoints(network_id, address) WHERE address IS NOT NULL;
CREATE INDEX IF NOT EXISTS endpoints_network ON endpoints(network_id);
PRAGMA user_version = 3;
)SQL";

// Indexes every `run --rm` wrote to (5 of the 15 WAL frames it wrote) for reads that are rare
// and stay cheap without them: `events` scans the at most kKeptEvents events, and rmi's search
// for the containers of an image scans the containers table.
inline constexpr const char* kSchemaV4 = R"SQL(
DROP INDEX IF EXISTS events_time;
DROP INDEX IF EXISTS containers_image;
PRAGMA user_version = 4;
)SQL";
} // namespace kouti
