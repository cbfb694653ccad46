// images, tag, rmi, image prune, history.
#include <cstdio>
#include <set>

#include "cli/cli.h"
#include "cli/output.h"
#include "engine/images.h"
#include "util/humanize.h"

namespace kouti {
namespace {

const Json kImageHeaders = {{"Containers", "CONTAINERS"}, {"CreatedAt", "CREATED AT"}, {"CreatedSince", "CREATED"},
                            {"Digest", "DIGEST"},         {"ID", "IMAGE ID"},          {"Repository", "REPOSITORY"},
                            {"SharedSize", "SHARED SIZE"}, {"Size", "SIZE"},           {"Tag", "TAG"},
                            {"UniqueSize", "UNIQUE SIZE"}, {"VirtualSize", "SIZE"}};

int cmd_images(Cli& cli, const Args& a) {
    ImageListOptions o;
    o.all = a.flag("all");
    o.filters = a.values("filter");
    if (!a.positional.empty()) o.filters.push_back("reference=" + a.positional[0]);
    Store* store = STORE_OR_FAIL(cli);
    auto rows = list_images(*store, o);
    if (!rows.ok()) return cli.fail(rows.error());
    bool no_trunc = a.flag("no-trunc");
    for (auto& r : *rows)
        if (no_trunc) r["ID"] = r["_id"];
    std::string format = a.value("format");
    if (a.flag("quiet")) format = "{{.ID}}";
    std::string table = a.flag("digests") ? "{{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}"
                                          : "{{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}";
    auto out = render_rows(*rows, format, table, kImageHeaders, RowType{"*formatter.imageContext"});
    if (!out.ok()) return cli.fail(out.error());
    write_stdout(*out);
    return 0;
}

int cmd_tag(Cli& cli, const Args& a) {
    Store* store = STORE_OR_FAIL(cli);
    auto st = tag_image(*store, a.positional[0], a.positional[1]);
    return st.ok() ? 0 : cli.fail(st.error());
}

int cmd_rmi(Cli& cli, const Args& a) {
    Store* store = STORE_OR_FAIL(cli);
    int code = 0;
    for (const auto& name : a.positional) {
        auto lines = remove_image(*store, name, a.flag("force"), !a.flag("no-prune"));
        if (!lines.ok()) {
            code = cli.fail(lines.error());
            continue;
        }
        for (const auto& l : *lines) write_stdout(l + "\n");
    }
    return code;
}

bool confirm(const std::string& warning) {
    std::fprintf(stdout, "%s\nAre you sure you want to continue? [y/N] ", warning.c_str());
    std::fflush(stdout);
    return answered_yes();
}

int cmd_image_prune(Cli& cli, const Args& a) {
    auto filter = parse_prune_filter(a.values("filter"), {"until", "dangling"}, now_nanos());
    if (!filter.ok()) return cli.fail(filter.error());
    bool all = a.flag("all") || filter->dangling == false; // dangling=false: tagged ones too, as -a
    if (!a.flag("force") &&
        !confirm(all ? "WARNING! This will remove all images without at least one container associated to them."
                     : "WARNING! This will remove all dangling images."))
        return 0;
    Store* store = STORE_OR_FAIL(cli);
    auto report = prune_images(*store, all, *filter);
    if (!report.ok()) return cli.fail(report.error());
    std::string out;
    if (!report->lines.empty()) {
        out += "Deleted Images:\n";
        for (const auto& l : report->lines) out += l + "\n";
        out += "\n";
    }
    out += total_reclaimed(report->reclaimed);
    write_stdout(out);
    return 0;
}

int cmd_history(Cli& cli, const Args& a) {
    Store* store = STORE_OR_FAIL(cli);
    auto rows = image_history(*store, a.positional[0]);
    if (!rows.ok()) return cli.fail(rows.error());
    bool trunc = !a.flag("no-trunc");
    bool human = !a.has("human") || a.flag("human");
    int64_t now = now_nanos();
    std::vector<Json> out_rows;
    for (const auto& h : *rows) {
        Json r = Json::object();
        std::string id = h["ID"];
        r["Comment"] = h["Comment"];
        int64_t created = h["Created"].get<int64_t>() * 1000000000;
        r["CreatedAt"] = human ? time_ago(created, now) : rfc3339_nano(created);
        std::string by = h["CreatedBy"];
        for (auto& c : by)
            if (c == '\t') c = ' ';
        r["CreatedBy"] = trunc ? ellipsis(by, 45) : by;
        r["CreatedSince"] = human ? time_ago(created, now) : rfc3339_nano(created);
        r["ID"] = (trunc && id != "<missing>") ? short_id(id) : id;
        r["Size"] = human ? human_size(static_cast<double>(h["Size"].get<int64_t>())) : std::to_string(h["Size"].get<int64_t>());
        out_rows.push_back(r);
    }
    std::string format = a.flag("quiet") ? "{{.ID}}" : a.value("format");
    static const Json headers = {{"ID", "IMAGE"}, {"CreatedSince", "CREATED"}, {"CreatedAt", "CREATED AT"},
                                 {"CreatedBy", "CREATED BY"}, {"Size", "SIZE"}, {"Comment", "COMMENT"}};
    auto out = render_rows(out_rows, format, "{{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}", headers,
                           RowType{"*image.historyContext"});
    if (!out.ok()) return cli.fail(out.error());
    write_stdout(*out);
    return 0;
}

} // namespace

Command images_command(const std::string& name) {
    return {name, "[OPTIONS] [REPOSITORY[:TAG]]", "List images",
            {{"all", 'a', false, "", "Show all images (default hides intermediate images)"},
             {"digests", 0, false, "", "Show digests"},
             {"filter", 'f', true, "filter", "Filter output based on conditions provided"},
             kFormatFlag,
             {"no-trunc", 0, false, "", "Don't truncate output"},
             {"quiet", 'q', false, "", "Only show image IDs"}},
            0, 1, cmd_images};
}
Command tag_command() {
    return {"tag", "SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]",
            "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE", {}, 2, 2, cmd_tag};
}
Command rmi_command(const std::string& name) {
    return {name, "[OPTIONS] IMAGE [IMAGE...]", "Remove one or more images",
            {{"force", 'f', false, "", "Force removal of the image"},
             {"no-prune", 0, false, "", "Do not delete untagged parents"}},
            1, -1, cmd_rmi};
}
Command image_prune_command() {
    return {"prune", "[OPTIONS]", "Remove unused images",
            {{"all", 'a', false, "", "Remove all unused images, not just dangling ones"},
             {"filter", 0, true, "filter", "Provide filter values (e.g. \"until=<timestamp>\")"},
             {"force", 'f', false, "", "Do not prompt for confirmation"}},
            0, 0, cmd_image_prune};
}
Command history_command() {
    return {"history", "[OPTIONS] IMAGE", "Show the history of an image",
            {kFormatFlag,
             {"human", 'H', false, "", "Print sizes and dates in human readable format (default true)"},
             {"no-trunc", 0, false, "", "Don't truncate output"},
             {"quiet", 'q', false, "", "Only show image IDs"}},
            1, 1, cmd_history};
}

} // namespace kouti
