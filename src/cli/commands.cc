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
        std::vector<Command> c = {history_command(), inspect_command("inspect", "image"), images_command("ls"),
                                  image_prune_command(), rmi_command("rm"), tag_command(), images_command("list")};
        add_archive_commands(c, false, true);
        return by_name(c);
    }();
    return commands;
}

const std::vector<Command>& container_commands() {
    static const std::vector<Command> commands = [] {
        std::vector<Command> c = {attach_command(), cleanup_command(), create_command(), healthcheck_command(), diff_command(), exec_command(),
                                  inspect_command("inspect", "container"), kill_command(), logs_command(), ps_command("ls"),
                                  ps_command("list"), ps_command("ps"), pause_command(), rename_command(), restart_command(),
                                  rm_command("rm"), run_command(), start_command(), stop_command(), unpause_command(),
                                  wait_command(), container_prune_command()};
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

} // namespace kouti
