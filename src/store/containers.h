#pragma once
// Container rows: identity (id, name, image, read-write layer), the configuration fixed at
// create (Docker's Config and HostConfig, as JSON) and the state that changes with every
// transition (Docker's State object plus what kouti needs to find the processes again).
#include <optional>
#include <string>
#include <vector>

#include "store/db.h"
#include "util/json.h"

namespace kouti {

struct ContainerRow {
    std::string id, name, image_id, layer;
    int64_t created = 0; // unix nanoseconds
    Json config = Json::object();
    Json state = Json::object();
};

Result<std::vector<ContainerRow>> all_containers(Db& db); // newest first
// What `ps` shows of a container, as SQLite cuts it out of the row: the parts of the config it
// shows (Path, Args, Config.Image, Config.Labels, HostConfig.NetworkMode) and of the state, as
// text. Parsing every full config made `ps -a` with 1,000 containers take 60 ms; parsing those
// parts and every state as JSON still took 28, most of it in the JSON parser.
struct ContainerSummary {
    ContainerRow row; // without config; its state unparsed, in state_json
    std::string state_json;
    std::string status, started_at, finished_at; // empty when missing
    int exit_code = 0;
    std::string path, args_json, image, labels_json, network_mode;
};
Result<std::vector<ContainerSummary>> container_summaries(Db& db); // newest first
// A full id, a unique id prefix, or a name (with or without Docker's leading "/");
// NotFound "No such container: x".
Result<ContainerRow> resolve_container(Db& db, const std::string& name_or_id);
Result<std::optional<ContainerRow>> container_by_id(Db& db, const std::string& id);
Result<bool> container_name_taken(Db& db, const std::string& name);
Status insert_container(Db& db, const ContainerRow& row);
Status update_container_state(Db& db, const std::string& id, const Json& state);
// Replaces the HostConfig part of a container's config (update, rm --link).
Status update_host_config(Db& db, const std::string& id, const Json& host_config);
Status rename_container(Db& db, const std::string& id, const std::string& name);
// `with_endpoints`: its network endpoints (and their leases) too; false only for a container
// whose network mode has none.
Status delete_container_row(Db& db, const std::string& id, bool with_endpoints = true);
// Read-write layers of all containers (their cache ids), which the store's crash scan keeps.
Result<std::vector<std::string>> container_layers(Db& db);

} // namespace kouti
