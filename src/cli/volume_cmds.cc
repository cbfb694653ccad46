// volume create / ls / inspect / rm / prune.
#include <cstdio>

#include "cli/cli.h"
#include "cli/output.h"
#include "engine/volumes.h"
#include "sys/fs.h"
#include "util/humanize.h"
#include "util/label_filter.h"
#include "util/prune_filter.h"

namespace kouti {
namespace {

int cmd_create(Cli& cli, const Args& a) {
    Store* store = STORE_OR_FAIL(cli);
    // The docker CLI's hidden --name, the old spelling of the positional name.
    if (a.has("name") && !a.positional.empty())
        return cli.fail(Error::invalid("conflicting options: cannot specify a volume-name through both --name and as a positional arg"));
    std::string name = !a.positional.empty() ? a.positional[0] : a.has("name") ? a.value("name") : random_hex(32);
    Json labels = key_value_map(a.values("label"));
    std::string driver = a.value("driver", "local");
    if (driver != "local")
        return cli.fail(Error::not_found("create " + name + ": error looking up volume plugin " + driver + ": plugin \"" + driver + "\" not found"));
    auto made = ensure_volume(*store, name, labels, false, with_sorted_keys(key_value_map(a.values("opt"))));
    if (!made.ok()) return cli.fail(made.error());
    write_stdout(name + "\n");
    return 0;
}

int cmd_ls(Cli& cli, const Args& a) {
    Store* store = STORE_OR_FAIL(cli);
    auto vols = list_volumes(*store);
    if (!vols.ok()) return cli.fail(vols.error());
    int dangling = -1;
    for (const auto& f : a.values("filter")) {
        if (f == "dangling=true" || f == "dangling=1") dangling = 1;
        else if (f == "dangling=false" || f == "dangling=0") dangling = 0;
        else if (f.rfind("name=", 0) != 0 && f.rfind("driver=", 0) != 0 && f.rfind("label=", 0) != 0)
            return cli.fail(Error::invalid("Invalid filter '" + f.substr(0, f.find('=')) + "'"));
    }
    std::vector<Json> rows;
    for (const auto& v : *vols) {
        bool unused = volume_users(*store, v.name).value().empty();
        if (dangling == 1 && !unused) continue;
        if (dangling == 0 && unused) continue;
        bool keep = true;
        for (const auto& f : a.values("filter")) {
            if (f.rfind("name=", 0) == 0 && v.name.find(f.substr(5)) == std::string::npos) keep = false;
            if (f.rfind("driver=", 0) == 0 && f.substr(7) != "local") keep = false;
            if (f.rfind("label=", 0) == 0 && !label_filter_matches(v.meta.value("Labels", Json::object()), f.substr(6))) keep = false;
        }
        if (!keep) continue;
        // The cluster volumes' fields are "N/A" for local ones, as Docker's.
        Json row{{"Driver", "local"}, {"Name", v.name}, {"Scope", "local"},
                 {"Mountpoint", volumes_dir(*store) + "/" + v.name + "/_data"}, {"Availability", "N/A"},
                 {"Group", "N/A"}, {"Links", "N/A"}, {"Size", "N/A"}, {"Status", "N/A"}};
        set_row_labels(row, v.meta.value("Labels", Json::object()));
        rows.push_back(std::move(row));
    }
    std::string format = a.flag("quiet") ? "{{.Name}}" : a.value("format");
    auto out = render_rows(rows, format, "{{.Driver}}\t{{.Name}}",
                           Json{{"Driver", "DRIVER"}, {"Name", "VOLUME NAME"}, {"Scope", "SCOPE"}, {"Mountpoint", "MOUNTPOINT"},
                                {"Labels", "LABELS"}, {"Availability", "AVAILABILITY"}, {"Group", "GROUP"}, {"Links", "LINKS"},
                                {"Size", "SIZE"}, {"Status", "STATUS"}},
                           RowType{"*formatter.volumeContext"});
    if (!out.ok()) return cli.fail(out.error());
    write_stdout(*out);
    return 0;
}

int cmd_inspect(Cli& cli, const Args& a) {
    Store* store = STORE_OR_FAIL(cli);
    return inspect_each(cli, a, [&](const std::string& n) { return inspect_volume(*store, n); });
}

int cmd_rm(Cli& cli, const Args& a) {
    Store* store = STORE_OR_FAIL(cli);
    return remove_each(cli, a, [&](const std::string& n) { return remove_volume(*store, n, a.flag("force")); });
}

int cmd_prune(Cli& cli, const Args& a) {
    // Docker's: label=K[=V], label!=K[=V], all=true|false.
    auto filter = parse_prune_filter(a.values("filter"), {"all"}, now_nanos());
    if (!filter.ok()) return cli.fail(filter.error());
    bool all = a.flag("all") || filter->all.value_or(false);
    if (!a.flag("force")) {
        std::fprintf(stderr, "WARNING! This will remove %s.\nAre you sure you want to continue? [y/N] ",
                     all ? "all local volumes not used by at least one container" : "anonymous local volumes not used by at least one container");
        if (!answered_yes()) return 0;
    }
    Store* store = STORE_OR_FAIL(cli);
    auto r = prune_volumes(*store, all, [&](const Json& labels) { return filter->selects(labels, 0); });
    if (!r.ok()) return cli.fail(r.error());
    std::string out;
    if (!r->first.empty()) {
        out += "Deleted Volumes:\n";
        for (const auto& n : r->first) out += n + "\n";
        out += "\n";
    }
    out += total_reclaimed(r->second);
    write_stdout(out);
    return 0;
}

} // namespace

const std::vector<Command>& volume_commands() {
    static const std::vector<Command> commands = {
        {"create", "[OPTIONS] [VOLUME]", "Create a volume",
         {{"driver", 'd', true, "string", "Specify volume driver name (local)"}, {"label", 0, true, "list", "Set metadata for a volume"},
          {"name", 0, true, "string", "Specify volume name", true},
          {"opt", 'o', true, "map", "Set driver specific options"}},
         0, 1, cmd_create},
        {"inspect", "[OPTIONS] VOLUME [VOLUME...]", "Display detailed information on one or more volumes",
         {kDocumentFormatFlag}, 1, -1, cmd_inspect},
        {"ls", "[OPTIONS]", "List volumes",
         {{"filter", 'f', true, "filter", "Provide filter values (e.g. \"dangling=true\")"}, kFormatFlag,
          {"quiet", 'q', false, "", "Only display volume names"}},
         0, 0, cmd_ls, false, {"list"}},
        {"prune", "[OPTIONS]", "Remove unused local volumes",
         {{"all", 'a', false, "", "Remove all unused volumes, not just anonymous ones"},
          {"filter", 0, true, "filter", "Provide filter values (e.g. \"label=<label>\")"},
          {"force", 'f', false, "", "Do not prompt for confirmation"}},
         0, 0, cmd_prune},
        {"rm", "[OPTIONS] VOLUME [VOLUME...]", "Remove one or more volumes",
         {{"force", 'f', false, "", "Force the removal of one or more volumes"}}, 1, -1, cmd_rm, false, {"remove"}},
    };
    return commands;
}

} // namespace kouti
