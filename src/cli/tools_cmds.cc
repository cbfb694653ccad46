// top, stats, update, port, container prune, system df, system prune, events.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "cli/cli.h"
#include "cli/create_flags.h"
#include "cli/output.h"
#include "engine/containers.h"
#include "engine/images.h"
#include "engine/volumes.h"
#include "store/events.h"
#include "sys/fs.h"
#include "util/go_duration.h"
#include "util/humanize.h"
#include "util/label_filter.h"

namespace kouti {
namespace {

bool confirm(const char* what) {
    std::fprintf(stderr, "WARNING! This will remove:\n%s\nAre you sure you want to continue? [y/N] ", what);
    return answered_yes();
}

int cmd_top(Cli& cli, const Args& a) {
    Store* store = STORE_OR_FAIL(cli);
    auto pids = container_pids(*store, a.positional[0]);
    if (!pids.ok()) return cli.fail(pids.error());
    // As Docker does: the host's ps, its rows kept for the container's processes.
    std::string opts = "-ef";
    if (a.positional.size() > 1) {
        opts.clear();
        for (size_t i = 1; i < a.positional.size(); ++i) opts += (i > 1 ? " " : "") + a.positional[i];
    }
    std::string cmd = "ps " + opts;
    FILE* p = ::popen(cmd.c_str(), "r");
    if (!p) return cli.fail(Error::from_syscall("run ps"));
    std::string text;
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) text.append(buf, n);
    ::pclose(p);
    // As Docker's daemon reads it: whitespace-separated columns, the last (the command) taking
    // the rest of the line; and as its client prints it, in columns at least 20 wide.
    std::istringstream lines(text);
    std::string header, line;
    std::getline(lines, header);
    std::vector<std::string> titles;
    std::istringstream hs(header);
    for (std::string col; hs >> col;) titles.push_back(col);
    auto pid_at = std::find(titles.begin(), titles.end(), "PID");
    if (pid_at == titles.end()) return cli.fail(Error::usage("Couldn't find PID field in ps output"));
    size_t pid_col = static_cast<size_t>(pid_at - titles.begin());
    std::set<pid_t> wanted(pids->begin(), pids->end());
    std::string out;
    for (size_t i = 0; i < titles.size(); ++i) (out += titles[i]) += i + 1 < titles.size() ? '\t' : '\n';
    while (std::getline(lines, line)) {
        std::vector<std::string> fields;
        std::istringstream ls(line);
        for (std::string f; ls >> f;) fields.push_back(f);
        if (fields.size() <= pid_col || !wanted.count(static_cast<pid_t>(std::atoi(fields[pid_col].c_str())))) continue;
        for (size_t i = 0; i < fields.size(); ++i) {
            out += fields[i];
            out += i + 1 == fields.size() ? '\n' : (i + 1 < titles.size() ? '\t' : ' ');
        }
    }
    write_stdout(tabwrite(out, 20));
    return 0;
}

int cmd_stats(Cli& cli, const Args& a) {
    Store* store = STORE_OR_FAIL(cli);
    bool stream = !a.flag("no-stream");
    do {
        auto stats = container_stats(*store, a.positional, a.flag("all"), 500);
        if (!stats.ok()) return cli.fail(stats.error());
        std::vector<Json> rows;
        for (size_t i = 0; i < stats->size(); ++i) {
            const auto& s = (*stats)[i];
            char cpu[32], mem[32];
            std::snprintf(cpu, sizeof cpu, "%.2f%%", s.cpu_percent);
            std::snprintf(mem, sizeof mem, "%.2f%%", s.mem_limit > 0 ? 100.0 * static_cast<double>(s.mem_usage) / static_cast<double>(s.mem_limit) : 0.0);
            std::string id = a.flag("no-trunc") ? s.id : s.id.substr(0, 12);
            // "Container" is the name as given, as Docker's.
            std::string given = a.positional.empty() ? id : a.positional[i];
            rows.push_back(Json{{"ID", id}, {"Container", given}, {"Name", s.name}, {"CPUPerc", cpu},
                                {"MemUsage", human_binary_size(static_cast<double>(s.mem_usage)) + " / " + human_binary_size(static_cast<double>(s.mem_limit))},
                                {"MemPerc", mem},
                                {"NetIO", human_size(static_cast<double>(s.net_rx)) + " / " + human_size(static_cast<double>(s.net_tx))},
                                {"BlockIO", human_size(static_cast<double>(s.block_read)) + " / " + human_size(static_cast<double>(s.block_write))},
                                {"PIDs", std::to_string(s.pids)}});
        }
        auto out = render_rows(rows, a.value("format"),
                               "{{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}",
                               Json{{"ID", "CONTAINER ID"}, {"Container", "CONTAINER"}, {"Name", "NAME"}, {"CPUPerc", "CPU %"},
                                    {"MemUsage", "MEM USAGE / LIMIT"}, {"MemPerc", "MEM %"}, {"NetIO", "NET I/O"},
                                    {"BlockIO", "BLOCK I/O"}, {"PIDs", "PIDS"}},
                               RowType{"*container.statsContext"});
        if (!out.ok()) return cli.fail(out.error());
        if (stream && ::isatty(1)) write_stdout("\033[2J\033[H");
        write_stdout(*out);
    } while (stream);
    return 0;
}

int cmd_update(Cli& cli, const Args& a) {
    Store* store = STORE_OR_FAIL(cli);
    Json changes = Json::object();
    auto ram = [&](const char* flag, const char* key) -> Status {
        if (!a.has(flag)) return ok();
        std::string v = a.value(flag);
        changes[key] = v == "-1" ? int64_t{-1} : TRY(parse_ram(v));
        return ok();
    };
    for (auto [flag, key] : {std::pair{"memory", "Memory"}, {"memory-swap", "MemorySwap"}, {"memory-reservation", "MemoryReservation"}})
        if (auto st = ram(flag, key); !st.ok()) return cli.fail(st.error());
    if (changes.contains("Memory") && changes["Memory"].get<int64_t>() > 0 && changes["Memory"].get<int64_t>() < 6 * 1024 * 1024)
        return cli.fail(Error::usage("Minimum memory limit allowed is 6MB"));
    auto parsed = [&]() -> Status {
        if (a.has("cpus")) changes["NanoCpus"] = TRY(parse_nano_cpus(a.value("cpus")));
        if (a.has("blkio-weight")) changes["BlkioWeight"] = TRY(parse_blkio_weight(a.value("blkio-weight")));
        for (auto [flag, key] : {std::pair{"cpu-shares", "CpuShares"}, {"cpu-period", "CpuPeriod"}, {"cpu-quota", "CpuQuota"}, {"pids-limit", "PidsLimit"},
                                  {"cpu-rt-period", "CpuRealtimePeriod"}, {"cpu-rt-runtime", "CpuRealtimeRuntime"}})
            if (a.has(flag)) changes[key] = TRY(parse_flag_int(flag, a.value(flag)));
        for (auto [flag, key] : {std::pair{"cpuset-cpus", "CpusetCpus"}, {"cpuset-mems", "CpusetMems"}})
            if (a.has(flag)) changes[key] = a.value(flag);
        if (a.has("restart")) {
            changes["RestartPolicy"] = TRY(parse_restart_policy(a.value("restart")));
            TRY(validate_restart_policy(changes["RestartPolicy"]));
        }
        return ok();
    }();
    if (!parsed.ok()) return cli.fail(parsed.error());
    if (changes.empty()) return cli.fail(Error::usage("you must provide one or more flags when using this command"));
    int rc = 0;
    for (const auto& n : a.positional) {
        auto st = update_container(*store, n, changes);
        if (!st.ok()) rc = cli.fail(st.error());
        else write_stdout(n + "\n");
    }
    return rc;
}

// "NAME:PATH" names a path in a container; a path with a slash before any colon is local.
int cmd_port(Cli& cli, const Args& a) {
    Store* store = STORE_OR_FAIL(cli);
    auto found = resolve_container(store->db(), a.positional[0]);
    if (!found.ok()) return cli.fail(found.error());
    auto row = sync_container(*store, found->id);
    if (!row.ok()) return cli.fail(row.error());
    Json ports = row->state.value("Running", false) ? row->state.value("Ports", Json::object()) : Json::object();
    std::string want;
    if (a.positional.size() > 1) {
        want = a.positional[1];
        if (want.find('/') == std::string::npos) want += "/tcp";
        if (!ports.contains(want))
            return cli.fail(Error::invalid("No public port '" + a.positional[1] + "' published for " + a.positional[0])); // as typed
    }
    std::string out;
    for (auto& [key, binds] : ports.items()) {
        if (!want.empty() && key != want) continue;
        for (const auto& b : binds) {
            std::string host = b.value("HostIp", "0.0.0.0") + ":" + b.value("HostPort", "");
            out += want.empty() ? key + " -> " + host + "\n" : host + "\n";
        }
    }
    write_stdout(out);
    return 0;
}

int cmd_container_prune(Cli& cli, const Args& a) {
    auto filter = parse_prune_filter(a.values("filter"), {"until"}, now_nanos());
    if (!filter.ok()) return cli.fail(filter.error());
    if (!a.flag("force") && !confirm("  - all stopped containers")) return 0;
    Store* store = STORE_OR_FAIL(cli);
    auto r = prune_containers(*store, *filter);
    if (!r.ok()) return cli.fail(r.error());
    std::string out;
    if (!r->first.empty()) {
        out += "Deleted Containers:\n";
        for (const auto& id : r->first) out += id + "\n";
        out += "\n";
    }
    out += total_reclaimed(r->second);
    write_stdout(out);
    return 0;
}

int cmd_system_prune(Cli& cli, const Args& a) {
    bool all = a.flag("all"), volumes = a.flag("volumes");
    // Docker's: until and labels, for containers and images (volumes take the labels).
    auto filter = parse_prune_filter(a.values("filter"), {"until"}, now_nanos());
    if (!filter.ok()) return cli.fail(filter.error());
    std::string what = "  - all stopped containers\n";
    if (volumes) what += "  - all anonymous volumes not used by at least one container\n";
    what += all ? "  - all images without at least one container associated to them" : "  - all dangling images";
    if (!a.flag("force") && !confirm(what.c_str())) return 0;
    Store* store = STORE_OR_FAIL(cli);
    std::string out;
    int64_t total = 0;
    auto ctrs = prune_containers(*store, *filter);
    if (!ctrs.ok()) return cli.fail(ctrs.error());
    if (!ctrs->first.empty()) {
        out += "Deleted Containers:\n";
        for (const auto& id : ctrs->first) out += id + "\n";
        out += "\n";
    }
    total += ctrs->second;
    if (volumes) {
        auto v = prune_volumes(*store, false, [&](const Json& labels) { return filter->selects(labels, 0); });
        if (!v.ok()) return cli.fail(v.error());
        if (!v->first.empty()) {
            out += "Deleted Volumes:\n";
            for (const auto& n : v->first) out += n + "\n";
            out += "\n";
        }
        total += v->second;
    }
    auto imgs = prune_images(*store, all, *filter);
    if (!imgs.ok()) return cli.fail(imgs.error());
    if (!imgs->lines.empty()) {
        out += "Deleted Images:\n";
        for (const auto& l : imgs->lines) out += l + "\n";
        out += "\n";
    }
    total += imgs->reclaimed;
    out += total_reclaimed(total);
    write_stdout(out);
    return 0;
}

int cmd_events(Cli& cli, const Args& a) {
    Store* store = STORE_OR_FAIL(cli);
    int64_t now = now_nanos();
    int64_t since = now, until = INT64_MAX;
    if (a.has("since")) {
        auto t = parse_time_or_duration(a.value("since"), now, "");
        if (!t.ok()) return cli.fail(t.error());
        since = *t;
    }
    bool follow = !a.has("until");
    if (!follow) {
        auto t = parse_time_or_duration(a.value("until"), now, "");
        if (!t.ok()) return cli.fail(t.error());
        until = *t;
    }
    std::map<std::string, std::set<std::string>> filters;
    for (const auto& f : a.values("filter")) {
        auto eq = f.find('=');
        if (eq == std::string::npos) return cli.fail(Error::usage("bad format of filter (expected name=value)"));
        filters[f.substr(0, eq)].insert(f.substr(eq + 1));
    }
    // label=KEY or label=KEY=VALUE: each one must match, as in Docker.
    auto labels_match = [&](const EventRow& e) {
        auto it = filters.find("label");
        if (it == filters.end()) return true;
        for (const auto& l : it->second)
            if (!label_filter_matches(e.attributes, l)) return false;
        return true;
    };
    auto keep = [&](const EventRow& e) {
        auto any = [&](const char* key, const std::vector<std::string>& values) {
            auto it = filters.find(key);
            if (it == filters.end()) return true;
            for (const auto& v : values)
                if (it->second.count(v)) return true;
            return false;
        };
        std::string name = e.attributes.value("name", "");
        return any("type", {e.type}) && any("event", {e.action, e.action.substr(0, e.action.find(':'))}) &&
               any("container", e.type == "container" ? std::vector<std::string>{e.actor, e.actor.substr(0, 12), name} : std::vector<std::string>{}) &&
               any("image", {e.attributes.value("image", "")}) && labels_match(e);
    };
    std::string format = a.value("format");
    // Docker's events.Message, in its field order (status, id and from only for containers).
    auto message = [](const EventRow& e) {
        Json j = Json::object();
        if (e.type == "container") {
            j["status"] = e.action;
            j["id"] = e.actor;
            j["from"] = e.attributes.value("image", "");
        }
        j["Type"] = e.type;
        j["Action"] = e.action;
        j["Actor"] = {{"ID", e.actor}, {"Attributes", e.attributes}};
        j["scope"] = "local";
        j["time"] = e.time / 1000000000;
        j["timeNano"] = e.time;
        return j;
    };
    // Left out of the JSON for other objects than containers, fields of the type all the same.
    static const TemplateZeroes container_only = {{"status", ""}, {"id", ""}, {"from", ""}};
    EventRow sample;
    sample.type = "container";
    if (!format.empty())
        if (auto checked = render_object(message(sample), format, "events.Message", "", &container_only); !checked.ok())
            return cli.fail(checked.error());
    int64_t cursor = since;
    while (true) {
        int64_t upto = std::min(until, now_nanos());
        auto events = events_between(store->db(), cursor, upto);
        if (!events.ok()) return cli.fail(events.error());
        std::string out;
        for (const auto& e : *events) {
            cursor = std::max(cursor, e.time);
            if (!keep(e)) continue;
            if (!format.empty()) {
                auto line = render_object(message(e), format, "events.Message", "", &container_only);
                if (!line.ok()) return cli.fail(line.error());
                out += *line;
                continue;
            }
            // In key order, as the docker CLI prints them.
            std::map<std::string, std::string> sorted;
            for (auto& [k, v] : e.attributes.items()) sorted[k] = v.is_string() ? v.get<std::string>() : v.dump();
            std::string attrs;
            for (const auto& [k, v] : sorted) attrs += (attrs.empty() ? "" : ", ") + k + "=" + v;
            out += rfc3339_nano(e.time) + " " + e.type + " " + e.action + " " + e.actor + (attrs.empty() ? "" : " (" + attrs + ")") + "\n";
        }
        write_stdout(out);
        if (!follow) return 0;
        cursor = std::max(cursor, upto);
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
}

} // namespace

std::vector<Command> tool_commands() {
    return {
        {"top", "CONTAINER [ps OPTIONS]", "Display the running processes of a container", {}, 1, -1, cmd_top, true},
        {"stats", "[OPTIONS] [CONTAINER...]", "Display a live stream of container(s) resource usage statistics",
         {{"all", 'a', false, "", "Show all containers (default shows just running)"}, kFormatFlag,
          {"no-stream", 0, false, "", "Disable streaming stats and only pull the first result"},
          {"no-trunc", 0, false, "", "Do not truncate output"}},
         0, -1, cmd_stats},
        {"update", "[OPTIONS] CONTAINER [CONTAINER...]", "Update configuration of one or more containers",
         {{"blkio-weight", 0, true, "uint16", "Block IO (relative weight), between 10 and 1000, or 0 to disable (default 0)"},
          {"cpu-period", 0, true, "int", "Limit CPU CFS (Completely Fair Scheduler) period"},
          {"cpu-quota", 0, true, "int", "Limit CPU CFS (Completely Fair Scheduler) quota"},
          {"cpu-rt-period", 0, true, "int", "Limit the CPU real-time period in microseconds"},
          {"cpu-rt-runtime", 0, true, "int", "Limit the CPU real-time runtime in microseconds"},
          {"cpu-shares", 'c', true, "int", "CPU shares (relative weight)"}, {"cpus", 0, true, "decimal", "Number of CPUs"},
          {"cpuset-cpus", 0, true, "string", "CPUs in which to allow execution (0-3, 0,1)"},
          {"cpuset-mems", 0, true, "string", "MEMs in which to allow execution (0-3, 0,1)"},
          {"memory", 'm', true, "bytes", "Memory limit"}, {"memory-reservation", 0, true, "bytes", "Memory soft limit"},
          {"memory-swap", 0, true, "bytes", "Swap limit equal to memory plus swap: -1 to enable unlimited swap"},
          {"pids-limit", 0, true, "int", "Tune container pids limit (set -1 for unlimited)"},
          {"restart", 0, true, "string", "Restart policy to apply when a container exits"}},
         1, -1, cmd_update},
        {"port", "CONTAINER [PRIVATE_PORT[/PROTO]]", "List port mappings or a specific mapping for the container", {}, 1, 2, cmd_port},
        {"events", "[OPTIONS]", "Get real time events from the server",
         {{"filter", 'f', true, "filter", "Filter output based on conditions provided"},
          {"format", 0, true, "string", kDocumentFormatFlag.help},
          {"since", 0, true, "string", "Show all events created since timestamp"}, {"until", 0, true, "string", "Stream events until this timestamp"}},
         0, 0, cmd_events},
    };
}

Command container_prune_command() {
    return {"prune", "[OPTIONS]", "Remove all stopped containers",
            {{"filter", 0, true, "filter", "Provide filter values (e.g. \"until=<timestamp>\")"}, {"force", 'f', false, "", "Do not prompt for confirmation"}}, 0, 0,
            cmd_container_prune};
}
Command system_prune_command() {
    return {"prune", "[OPTIONS]", "Remove unused data",
            {{"all", 'a', false, "", "Remove all unused images not just dangling ones"},
             {"filter", 0, true, "filter", "Provide filter values (e.g. \"label=<key>=<value>\")"},
             {"force", 'f', false, "", "Do not prompt for confirmation"},
             {"volumes", 0, false, "", "Prune anonymous volumes"}},
            0, 0, cmd_system_prune};
}

} // namespace kouti
