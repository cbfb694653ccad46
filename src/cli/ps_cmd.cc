// ps / container ls: one snapshot of the store, the runtime's files folded in, no locks taken.
#include <regex>

#include "cli/cli.h"
#include "cli/output.h"
#include "engine/containers.h"
#include "engine/images.h"
#include "store/images.h"
#include "sys/fs.h"
#include "util/humanize.h"
#include "util/leave_to_exit.h"
#include "util/reference.h"

#include <map>
#include <optional>
#include <set>

namespace kouti {
namespace {

const Json kPsHeaders = {{"ID", "CONTAINER ID"}, {"Image", "IMAGE"},   {"Command", "COMMAND"}, {"CreatedAt", "CREATED AT"},
                         {"RunningFor", "CREATED"}, {"Ports", "PORTS"}, {"State", "STATE"},    {"Status", "STATUS"},
                         {"Size", "SIZE"},        {"Names", "NAMES"},   {"Labels", "LABELS"},  {"Mounts", "MOUNTS"},
                         {"Networks", "NETWORKS"}};

struct PsFilter {
    std::string key, value;
};

Result<std::vector<PsFilter>> parse_filters(const std::vector<std::string>& raw) {
    std::vector<PsFilter> out;
    static const std::set<std::string> known = {"status", "name", "id", "ancestor", "label", "exited", "health"};
    for (const auto& f : raw) {
        auto eq = f.find('=');
        if (eq == std::string::npos) return Error::usage("bad format of filter (expected name=value)");
        PsFilter p{f.substr(0, eq), f.substr(eq + 1)};
        // As Docker's daemon answers (exit status 1).
        if (!known.count(p.key)) return Error::invalid("Invalid filter '" + p.key + "'");
        if (p.key == "status") {
            static const std::set<std::string> states = {"created", "restarting", "running", "removing", "paused", "exited", "dead"};
            if (!states.count(p.value)) return Error::invalid("Invalid filter 'status=" + p.value + "'");
        }
        if (p.key == "health" && p.value != "starting" && p.value != "healthy" && p.value != "unhealthy" && p.value != "none")
            return Error::invalid("Unrecognised filter value for health: " + p.value);
        out.push_back(p);
    }
    return out;
}

// Filters of one key are alternatives; different keys must all match, as in Docker.
bool matches(const std::vector<PsFilter>& filters, const PsRow& row, const std::set<std::string>& ancestors) {
    std::map<std::string, bool> by_key;
    for (const auto& f : filters) {
        bool m = false;
        if (f.key == "status") m = row.state == f.value;
        else if (f.key == "name") m = std::regex_search(row.names, std::regex(f.value));
        else if (f.key == "id") m = row.full_id.rfind(f.value, 0) == 0;
        else if (f.key == "exited") m = row.state == "exited" && std::to_string(row.exit_code) == f.value;
        else if (f.key == "ancestor") m = ancestors.count(row.image_id) > 0;
        else if (f.key == "health") m = row.health == f.value;
        else if (f.key == "label") {
            auto eq = f.value.find('=');
            std::string k = f.value.substr(0, eq);
            m = row.label_map.contains(k) && (eq == std::string::npos || row.label_map[k] == f.value.substr(eq + 1));
        }
        by_key[f.key] = by_key[f.key] || m;
    }
    for (const auto& [k, m] : by_key)
        if (!m) return false;
    return true;
}

int cmd_ps(Cli& cli, const Args& a) {
    auto filters = parse_filters(a.values("filter"));
    if (!filters.ok()) return cli.fail(filters.error());
    Store* store = STORE_OR_FAIL(cli);
    auto rows = container_summaries(store->db());
    if (!rows.ok()) return cli.fail(rows.error());
    // ancestor= matches an image and every image built on it.
    std::set<std::string> ancestors;
    for (const auto& f : *filters) {
        if (f.key != "ancestor") continue;
        auto img = resolve_image(store->db(), f.value);
        if (!img.ok()) continue;
        std::vector<std::string> todo = {img->id};
        while (!todo.empty()) {
            std::string id = todo.back();
            todo.pop_back();
            if (!ancestors.insert(id).second) continue;
            auto kids = image_children(store->db(), id);
            if (kids.ok()) todo.insert(todo.end(), kids->begin(), kids->end());
        }
    }
    bool all = a.flag("all"), no_trunc = a.flag("no-trunc");
    std::string format = a.value("format");
    if (a.flag("quiet")) format = "{{.ID}}";
    // As Docker's client: sizes are worked out when asked for, or when the template shows them.
    bool size = a.flag("size") || format.find(".Size") != std::string::npos;
    int last = a.has("last") ? std::stoi(a.value("last")) : (a.flag("latest") ? 1 : -1);
    if (last > 0) all = true;
    bool explicit_status = false, health_filter = false;
    for (const auto& f : *filters) {
        explicit_status = explicit_status || f.key == "status" || f.key == "exited";
        health_filter = health_filter || f.key == "health";
    }
    std::vector<PsRow> out;
    auto with_runtime_files = containers_with_runtime_files(*store);
    for (auto& c : *rows) {
        if (last >= 0 && static_cast<int>(out.size()) >= last) break;
        // Only then is the whole state parsed: for most containers, what SQLite cut out will do.
        std::optional<Json> observed;
        // A health filter looks at every container's State.Health, which only the state has.
        if (health_filter || state_needs_observing(c.status, c.row.id, with_runtime_files)) {
            c.row.state = Json::parse(c.state_json, nullptr, false);
            if (!c.row.state.is_object()) c.row.state = Json::object();
            observed = observe_state(*store, c.row);
        }
        std::string st = observed ? observed->value("Status", "") : c.status;
        if (!all && !explicit_status && st != "running" && st != "paused" && st != "restarting") continue;
        PsRow row = ps_row(c, observed ? &*observed : nullptr, no_trunc);
        if (!matches(*filters, row, ancestors)) continue;
        if (size) {
            LayerRow rw;
            rw.cache_id = c.row.layer;
            auto usage = disk_usage(store->driver().diff_dir(rw));
            int64_t size = usage.ok() ? *usage : 0;
            auto img = image_by_id(store->db(), c.row.image_id);
            int64_t virt = size + (img.ok() && *img ? (*img)->size : 0);
            row.size = human_size(static_cast<double>(size)) + " (virtual " + human_size(static_cast<double>(virt)) + ")";
        }
        out.push_back(std::move(row));
    }
    if (format.empty() && !size) {
        // The default table without the template engine: it is most of the time of a big `ps`.
        std::string text = "CONTAINER ID\tIMAGE\tCOMMAND\tCREATED\tSTATUS\tPORTS\tNAMES\n";
        for (const auto& r : out) {
            for (const std::string* field : {&r.id, &r.image, &r.command, &r.running_for, &r.status, &r.ports})
                (text += *field) += '\t';
            (text += r.names) += '\n';
        }
        write_stdout(tabwrite(text));
        // The process ends next: its exit frees these at once, where destroying them one node
        // at a time took a sixth of a 1,000-container `ps` (perf).
        leave_to_exit(std::move(*rows));
        leave_to_exit(std::move(out));
        return 0;
    }
    std::string table = "{{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}";
    if (a.flag("size")) table += "\t{{.Size}}";
    std::vector<Json> json_rows;
    json_rows.reserve(out.size());
    for (const auto& r : out) json_rows.push_back(r.to_json());
    auto text = render_rows(json_rows, format, table, kPsHeaders);
    if (!text.ok()) return cli.fail(text.error());
    write_stdout(*text);
    return 0;
}

} // namespace

Command ps_command(const std::string& name) {
    return {name, "[OPTIONS]", "List containers",
            {{"all", 'a', false, "", "Show all containers (default shows just running)"},
             {"filter", 'f', true, "filter", "Filter output based on conditions provided"},
             kFormatFlag,
             {"last", 'n', true, "int", "Show n last created containers (includes all states)"},
             {"latest", 'l', false, "", "Show the latest created container (includes all states)"},
             {"no-trunc", 0, false, "", "Don't truncate output"},
             {"quiet", 'q', false, "", "Only display container IDs"},
             {"size", 's', false, "", "Display total file sizes"}},
            0, 0, cmd_ps};
}

} // namespace kouti
