#include "store/containers.h"

namespace kouti {
namespace {

constexpr const char* kCols = "SELECT id, name, image_id, created, layer, config, state FROM containers";

ContainerRow read_row(const Stmt& st) {
    ContainerRow r;
    r.id = st.text(0);
    r.name = st.text(1);
    r.image_id = st.text(2);
    r.created = st.integer(3);
    r.layer = st.text(4);
    r.config = Json::parse(st.text(5), nullptr, false);
    r.state = Json::parse(st.text(6), nullptr, false);
    if (!r.config.is_object()) r.config = Json::object();
    if (!r.state.is_object()) r.state = Json::object();
    return r;
}

Result<std::vector<ContainerRow>> query(Db& db, const std::string& where, const std::string& arg) {
    auto st = TRY(db.prepare(std::string(kCols) + where));
    if (!arg.empty()) st.bind(1, arg);
    std::vector<ContainerRow> out;
    while (TRY(st.step())) out.push_back(read_row(st));
    return out;
}

Status run_one(Db& db, const char* sql, const std::string& a, const std::string& b = "") {
    auto st = TRY(db.prepare(sql));
    st.bind(1, a);
    if (!b.empty()) st.bind(2, b);
    return st.run();
}

} // namespace

Result<std::vector<ContainerRow>> all_containers(Db& db) { return query(db, " ORDER BY created DESC, rowid DESC", ""); }

Result<std::vector<ContainerSummary>> container_summaries(Db& db) {
    auto st = TRY(db.prepare(
        "SELECT id, name, image_id, created, layer, state, json_extract(state, '$.Status'), json_extract(state, '$.StartedAt'),"
        " json_extract(state, '$.FinishedAt'), json_extract(state, '$.ExitCode'), json_extract(config, '$.Path'),"
        " json_extract(config, '$.Args'), json_extract(config, '$.Config.Image'), json_extract(config, '$.Config.Labels'),"
        " json_extract(config, '$.HostConfig.NetworkMode') FROM containers ORDER BY created DESC, rowid DESC"));
    std::vector<ContainerSummary> out;
    while (TRY(st.step())) {
        ContainerSummary& c = out.emplace_back();
        c.row.id = st.text(0);
        c.row.name = st.text(1);
        c.row.image_id = st.text(2);
        c.row.created = st.integer(3);
        c.row.layer = st.text(4);
        c.state_json = st.text(5);
        c.status = st.text(6);
        c.started_at = st.text(7);
        c.finished_at = st.text(8);
        c.exit_code = static_cast<int>(st.integer(9));
        c.path = st.text(10);
        c.args_json = st.text(11);
        c.image = st.text(12);
        c.labels_json = st.text(13);
        c.network_mode = st.text(14);
    }
    return out;
}

Result<std::optional<ContainerRow>> container_by_id(Db& db, const std::string& id) {
    auto rows = TRY(query(db, " WHERE id = ?", id));
    if (rows.empty()) return std::optional<ContainerRow>();
    return std::optional<ContainerRow>(std::move(rows[0]));
}

Result<ContainerRow> resolve_container(Db& db, const std::string& raw) {
    Error missing = Error::not_found("No such container: " + raw);
    if (raw.empty()) return missing;
    std::string name = raw[0] == '/' ? raw.substr(1) : raw;
    auto exact = TRY(query(db, " WHERE id = ?1 OR name = ?1", name));
    // A name beats an id prefix, as in Docker; a full id beats a name.
    for (auto& r : exact)
        if (r.id == name) return std::move(r);
    if (!exact.empty()) return std::move(exact[0]);
    bool hex = name.size() <= 64 && name.find_first_not_of("0123456789abcdef") == std::string::npos;
    if (!hex) return missing;
    auto prefixed = TRY(query(db, " WHERE substr(id, 1, length(?1)) = ?1", name));
    if (prefixed.empty()) return missing;
    if (prefixed.size() > 1) return Error::invalid("multiple IDs found with provided prefix: " + name);
    return std::move(prefixed[0]);
}

Result<bool> container_name_taken(Db& db, const std::string& name) {
    auto st = TRY(db.prepare("SELECT 1 FROM containers WHERE name = ?"));
    st.bind(1, name);
    return TRY(st.step());
}

Status insert_container(Db& db, const ContainerRow& r) {
    auto st = TRY(db.prepare("INSERT INTO containers(id, name, image_id, created, layer, config, state) VALUES (?, ?, ?, ?, ?, ?, ?)"));
    st.bind(1, r.id).bind(2, r.name).bind(3, r.image_id).bind(4, r.created).bind(5, r.layer).bind(6, r.config.dump()).bind(7, r.state.dump());
    return st.run();
}

Status update_container_state(Db& db, const std::string& id, const Json& state) {
    return run_one(db, "UPDATE containers SET state = ?2 WHERE id = ?1", id, state.dump());
}

Status update_host_config(Db& db, const std::string& id, const Json& host_config) {
    return run_one(db, "UPDATE containers SET config = json_set(config, '$.HostConfig', json(?2)) WHERE id = ?1", id, host_config.dump());
}

Status rename_container(Db& db, const std::string& id, const std::string& name) {
    return run_one(db, "UPDATE containers SET name = ?2 WHERE id = ?1", id, name);
}

Status delete_container_row(Db& db, const std::string& id, bool with_endpoints) {
    if (with_endpoints) TRY(run_one(db, "DELETE FROM endpoints WHERE container_id = ?", id)); // its leases go with it
    return run_one(db, "DELETE FROM containers WHERE id = ?", id);
}

Result<std::vector<std::string>> container_layers(Db& db) {
    auto st = TRY(db.prepare("SELECT layer FROM containers WHERE layer != ''"));
    std::vector<std::string> out;
    while (TRY(st.step())) out.push_back(st.text(0));
    return out;
}

} // namespace kouti
