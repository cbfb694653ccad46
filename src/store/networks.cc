#include "store/networks.h"

namespace kouti {
namespace {

NetworkRow read_network(const Stmt& st) {
    NetworkRow r;
    r.id = st.text(0);
    r.name = st.text(1);
    r.driver = st.text(2);
    r.created = st.integer(3);
    r.config = Json::parse(st.text(4), nullptr, false);
    if (!r.config.is_object()) r.config = Json::object();
    return r;
}

Result<std::vector<NetworkRow>> query_networks(Db& db, const std::string& where, const std::string& arg) {
    auto st = TRY(db.prepare("SELECT id, name, driver, created, config FROM networks" + where));
    if (!arg.empty()) st.bind(1, arg);
    std::vector<NetworkRow> out;
    while (TRY(st.step())) out.push_back(read_network(st));
    return out;
}

Result<std::vector<EndpointRow>> query_endpoints(Db& db, const std::string& where, const std::string& arg) {
    auto st = TRY(db.prepare("SELECT container_id, network_id, endpoint_id, ifnull(address, ''), config FROM endpoints" + where));
    st.bind(1, arg);
    std::vector<EndpointRow> out;
    while (TRY(st.step())) {
        EndpointRow r;
        r.container_id = st.text(0);
        r.network_id = st.text(1);
        r.endpoint_id = st.text(2);
        r.address = st.text(3);
        r.config = Json::parse(st.text(4), nullptr, false);
        if (!r.config.is_object()) r.config = Json::object();
        out.push_back(std::move(r));
    }
    return out;
}

} // namespace

Result<std::vector<NetworkRow>> all_networks(Db& db) { return query_networks(db, " ORDER BY name", ""); }

Result<std::optional<NetworkRow>> network_by_id(Db& db, const std::string& id) {
    auto rows = TRY(query_networks(db, " WHERE id = ?", id));
    if (rows.empty()) return std::optional<NetworkRow>();
    return std::optional<NetworkRow>(std::move(rows[0]));
}

Result<NetworkRow> resolve_network(Db& db, const std::string& name) {
    Error missing = Error::not_found("network " + name + " not found");
    if (name.empty()) return missing;
    auto exact = TRY(query_networks(db, " WHERE id = ?1 OR name = ?1", name));
    for (auto& r : exact)
        if (r.id == name) return std::move(r);
    if (!exact.empty()) return std::move(exact[0]);
    if (name.size() > 64 || name.find_first_not_of("0123456789abcdef") != std::string::npos) return missing;
    auto prefixed = TRY(query_networks(db, " WHERE substr(id, 1, length(?1)) = ?1", name));
    if (prefixed.empty()) return missing;
    if (prefixed.size() > 1) return Error::invalid("network " + name + " is ambiguous (" + std::to_string(prefixed.size()) + " matches found based on ID prefix)");
    return std::move(prefixed[0]);
}

Status insert_network(Db& db, const NetworkRow& r) {
    auto st = TRY(db.prepare("INSERT INTO networks(id, name, driver, created, config) VALUES (?, ?, ?, ?, ?)"));
    st.bind(1, r.id).bind(2, r.name).bind(3, r.driver).bind(4, r.created).bind(5, r.config.dump());
    return st.run();
}

Status delete_network_row(Db& db, const std::string& id) {
    auto st = TRY(db.prepare("DELETE FROM networks WHERE id = ?"));
    st.bind(1, id);
    return st.run();
}

Result<std::vector<EndpointRow>> container_endpoints(Db& db, const std::string& container_id) {
    return query_endpoints(db, " WHERE container_id = ? ORDER BY rowid", container_id);
}

Result<std::vector<EndpointRow>> network_endpoints(Db& db, const std::string& network_id) {
    return query_endpoints(db, " WHERE network_id = ? ORDER BY rowid", network_id);
}

Result<std::vector<std::string>> leased_addresses(Db& db, const std::string& network_id) {
    auto st = TRY(db.prepare("SELECT address FROM endpoints WHERE network_id = ? AND address IS NOT NULL"));
    st.bind(1, network_id);
    std::vector<std::string> out;
    while (TRY(st.step())) out.push_back(st.text(0));
    return out;
}

Status insert_endpoint(Db& db, const EndpointRow& r) {
    auto st = TRY(db.prepare("INSERT INTO endpoints(container_id, network_id, endpoint_id, address, config) VALUES (?, ?, ?, ?, ?)"));
    st.bind(1, r.container_id).bind(2, r.network_id).bind(3, r.endpoint_id).bind_opt(4, r.address).bind(5, r.config.dump());
    return st.run();
}

Status set_endpoint_address(Db& db, const std::string& container_id, const std::string& network_id, const std::string& address) {
    auto st = TRY(db.prepare("UPDATE endpoints SET address = ?3 WHERE container_id = ?1 AND network_id = ?2"));
    st.bind(1, container_id).bind(2, network_id).bind_opt(3, address);
    return st.run();
}

Status delete_endpoint(Db& db, const std::string& container_id, const std::string& network_id) {
    auto st = TRY(db.prepare("DELETE FROM endpoints WHERE container_id = ? AND network_id = ?"));
    st.bind(1, container_id).bind(2, network_id);
    return st.run();
}

} // namespace kouti
