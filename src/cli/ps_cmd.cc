// ps / container ls: one snapshot of the store, the runtime's files folded in, no locks taken.
#include <regex>

#include "cli/cli.h"
#include "cli/output.h"
#include "cli/ps_filters.h"
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
                         {"Networks", "NETWORKS"}, {"LocalVolumes", "LOCAL VOLUMES"}, {"Platform", "PLATFORM"}};

// Docker's .Mounts (each mount's volume name, or its source; cut to 15 characters unless
// --no-trunc) and .LocalVolumes (how many are local volumes).
void add_mounts(PsRow& row, const Json& mounts, bool no_trunc) {
    std::string names;
    int local = 0;
    for (const auto& m : mounts) {
        bool volume = m.value("Type", "") == "volume";
        std::string name = m.contains("Name") ? m.value("Name", "") : m.value("Source", "");
        local += volume ? 1 : 0;
        names += (names.empty() ? "" : ",") + (no_trunc ? name : ellipsis(name, 15));
    }
    row.mounts = names;
    row.local_volumes = std::to_string(local);
}

int cmd_ps(Cli& cli, const Args& a) {
    Store* store = STORE_OR_FAIL(cli);
    auto filters = PsFilters::parse(*store, a.values("filter"));
    if (!filters.ok()) return cli.fail(filters.error());
    auto rows = container_summaries(store->db());
    if (!rows.ok()) return cli.fail(rows.error());
    bool all = a.flag("all"), no_trunc = a.flag("no-trunc");
    std::string format = a.value("format");
    if (a.flag("quiet")) format = "{{.ID}}";
    // As Docker's client: sizes are worked out when asked for, or when the template shows them.
    // ({{json .}} shows every field.)
    bool size = a.flag("size") || format.find(".Size") != std::string::npos || format == "json" || format.find("json .}}") != std::string::npos;
    int64_t last = a.has("last") ? a.int_value("last", -1) : (a.flag("latest") ? 1 : -1);
    if (last > 0) all = true;
    // Only a template that shows them pays for reading each configuration.
    bool want_mounts = format.find(".Mounts") != std::string::npos || format.find(".LocalVolumes") != std::string::npos;
    bool explicit_status = filters->has("status") || filters->has("exited"), health_filter = filters->has("health");
    // before=X: only what the newest-first listing has after X; since=X: only what comes before it.
    bool past_before = filters->before().empty(), reached_since = false;
    std::vector<PsRow> out;
    auto with_runtime_files = containers_with_runtime_files(*store);
    for (auto& c : *rows) {
        if (last >= 0 && static_cast<int64_t>(out.size()) >= last) break;
        if (!filters->since().empty() && c.row.id == filters->since()) reached_since = true;
        if (reached_since) break;
        if (!past_before) {
            past_before = c.row.id == filters->before();
            continue;
        }
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
        std::optional<ContainerRow> full;
        if (filters->needs_config() || want_mounts) {
            auto found = container_by_id(store->db(), c.row.id);
            if (!found.ok()) return cli.fail(found.error());
            full = std::move(*found);
        }
        if (want_mounts && full) add_mounts(row, mount_points(store->root(), full->config), no_trunc);
        auto keep = filters->matches(*store, row, full ? &*full : nullptr);
        if (!keep.ok()) return cli.fail(keep.error());
        if (!*keep) continue;
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
    auto text = render_rows(json_rows, format, table, kPsHeaders,
                            RowType{"*formatter.ContainerContext", "failed to parse template", "failed to execute template"});
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
             {"last", 'n', true, "int", "Show n last created containers (includes all states) (default -1)"},
             {"latest", 'l', false, "", "Show the latest created container (includes all states)"},
             {"no-trunc", 0, false, "", "Don't truncate output"},
             {"quiet", 'q', false, "", "Only display container IDs"},
             {"size", 's', false, "", "Display total file sizes"}},
            0, 0, cmd_ps};
}

} // namespace kouti
