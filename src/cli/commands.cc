#include <algorithm>
#include <optional>

#include "cli/cli.h"

namespace kouti {
namespace {

std::vector<Command> by_name(std::vector<Command> c) {
    std::sort(c.begin(), c.end(), [](const Command& a, const Command& b) { return a.name < b.name; });
    return c;
}

// Commands that read or write tars live only in the full library (see src/launcher).
void add_archive_commands(std::vector<Command>& c, bool containers, bool images) {
#ifndef KOUTI_LITE
    if (containers) {
        c.push_back(commit_command());
        c.push_back(cp_command());
        c.push_back(export_command());
    }
    if (images) {
        c.push_back(import_command());
        c.push_back(load_command());
        c.push_back(save_command());
    }
#else
    (void)c, (void)containers, (void)images;
#endif
}


Command with_aliases(Command c, std::vector<std::string> aliases) {
    c.aliases = std::move(aliases);
    return c;
}

Command hidden(Command c) {
    c.hidden = true;
    return c;
}

Command tool_command(const std::string& name) {
    for (auto& t : tool_commands())
        if (t.name == name) return t;
    return Command{};
}

// The top-level commands by name, each made only when it runs: making all of them with their
// flags took 0.18 ms of every kouti command.
struct CommandMaker {
    const char* name;
    Command (*make)();
};
constexpr CommandMaker kTopLevel[] = {
    {"attach", [] { return attach_command(); }},
    {"create", [] { return create_command(); }},
    {"diff", [] { return diff_command(); }},
    {"exec", [] { return exec_command(); }},
    {"history", [] { return history_command(); }},
    {"images", [] { return images_command("images"); }},
    {"info", [] { return info_command("info"); }},
    {"inspect", [] { return inspect_command("inspect", ""); }},
    {"kill", [] { return kill_command(); }},
    {"logs", [] { return logs_command(); }},
    {"pause", [] { return pause_command(); }},
    {"ps", [] { return ps_command("ps"); }},
    {"rename", [] { return rename_command(); }},
    {"restart", [] { return restart_command(); }},
    {"rm", [] { return rm_command("rm"); }},
    {"rmi", [] { return rmi_command("rmi"); }},
    {"run", [] { return run_command(); }},
    {"start", [] { return start_command(); }},
    {"stop", [] { return stop_command(); }},
    {"tag", [] { return tag_command(); }},
    {"unpause", [] { return unpause_command(); }},
    {"version", [] { return version_command(); }},
    {"wait", [] { return wait_command(); }},
    {"top", [] { return tool_command("top"); }},
    {"stats", [] { return tool_command("stats"); }},
    {"update", [] { return tool_command("update"); }},
    {"port", [] { return tool_command("port"); }},
    {"events", [] { return tool_command("events"); }},
#ifndef KOUTI_LITE
    {"commit", [] { return commit_command(); }},
    {"cp", [] { return cp_command(); }},
    {"export", [] { return export_command(); }},
    {"import", [] { return import_command(); }},
    {"load", [] { return load_command(); }},
    {"save", [] { return save_command(); }},
#endif
};

} // namespace

std::optional<Command> find_command(const std::string& name) {
    for (const auto& m : kTopLevel)
        if (name == m.name) return m.make();
    return std::nullopt;
}

const std::vector<Command>& all_commands() {
    static const std::vector<Command> commands = [] {
        std::vector<Command> c;
        for (const auto& m : kTopLevel) c.push_back(m.make());
        return by_name(c);
    }();
    return commands;
}

const std::vector<Command>& image_commands() {
    static const std::vector<Command> commands = [] {
        std::vector<Command> c = {history_command(), inspect_command("inspect", "image"), with_aliases(images_command("ls"), {"list"}),
                                  image_prune_command(), with_aliases(rmi_command("rm"), {"remove"}), tag_command()};
        add_archive_commands(c, false, true);
        return by_name(c);
    }();
    return commands;
}

const std::vector<Command>& container_commands() {
    static const std::vector<Command> commands = [] {
        std::vector<Command> c = {attach_command(), hidden(cleanup_command()), create_command(), hidden(healthcheck_command()),
                                  diff_command(), exec_command(), inspect_command("inspect", "container"), kill_command(),
                                  logs_command(), with_aliases(ps_command("ls"), {"list", "ps"}), pause_command(),
                                  rename_command(), restart_command(), with_aliases(rm_command("rm"), {"remove"}), run_command(),
                                  start_command(), stop_command(), unpause_command(), wait_command(), container_prune_command()};
        for (auto& t : tool_commands())
            if (t.name != "events") c.push_back(t);
        add_archive_commands(c, true, false);
        return by_name(c);
    }();
    return commands;
}

const std::vector<Command>& system_commands() {
    static const std::vector<Command> commands = [] {
        std::vector<Command> c = {system_check_command(), info_command("info"), system_df_command(), system_prune_command()};
        for (auto& t : tool_commands())
            if (t.name == "events") c.push_back(t);
        return by_name(c);
    }();
    return commands;
}

const std::vector<CommandGroup>& command_groups() {
    static const std::vector<CommandGroup> groups = {{"container", "Manage containers", container_commands},
                                                     {"image", "Manage images", image_commands},
                                                     {"network", "Manage networks", network_commands},
                                                     {"system", "Manage kouti", system_commands},
                                                     {"volume", "Manage volumes", volume_commands}};
    return groups;
}

const CommandGroup* find_group(const std::string& name) {
    for (const auto& g : command_groups())
        if (name == g.name) return &g;
    return nullptr;
}

const Command* find_in_group(const CommandGroup& group, const std::string& name) {
    for (const auto& c : group.commands())
        if (c.name == name || std::find(c.aliases.begin(), c.aliases.end(), name) != c.aliases.end()) return &c;
    return nullptr;
}

namespace {

// The group command each top-level one is a shortcut of, as the docker CLI's aliases pair them.
constexpr std::pair<const char*, const char*> kShortcuts[] = {
    {"attach", "container attach"}, {"commit", "container commit"}, {"cp", "container cp"},
    {"create", "container create"}, {"diff", "container diff"},     {"events", "system events"},
    {"exec", "container exec"},     {"export", "container export"}, {"history", "image history"},
    {"images", "image ls"},         {"import", "image import"},     {"info", "system info"},
    {"kill", "container kill"},     {"load", "image load"},         {"logs", "container logs"},
    {"pause", "container pause"},   {"port", "container port"},     {"ps", "container ls"},
    {"rename", "container rename"}, {"restart", "container restart"}, {"rm", "container rm"},
    {"rmi", "image rm"},            {"run", "container run"},       {"save", "image save"},
    {"start", "container start"},   {"stats", "container stats"},   {"stop", "container stop"},
    {"tag", "image tag"},           {"top", "container top"},       {"unpause", "container unpause"},
    {"update", "container update"}, {"wait", "container wait"},
};

} // namespace

std::vector<std::string> command_aliases(const std::string& path) {
    std::string canonical = path;
    auto space = path.find(' ');
    if (space == std::string::npos) {
        canonical.clear();
        for (const auto& [top, in_group] : kShortcuts)
            if (path == top) canonical = in_group;
        if (canonical.empty()) return {};
        space = canonical.find(' ');
    }
    std::string group = canonical.substr(0, space), name = canonical.substr(space + 1);
    std::vector<std::string> paths{canonical};
    if (const CommandGroup* g = find_group(group))
        if (const Command* c = find_in_group(*g, name))
            for (const auto& a : c->aliases) paths.push_back(group + " " + a);
    for (const auto& [top, in_group] : kShortcuts)
        if (canonical == in_group) paths.emplace_back(top);
    if (paths.size() == 1) return {};
    return paths;
}

} // namespace kouti
