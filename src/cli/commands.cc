#include <algorithm>

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

} // namespace

const std::vector<Command>& all_commands() {
    static const std::vector<Command> commands = [] {
        std::vector<Command> c = {attach_command(), create_command(), diff_command(), exec_command(), history_command(),
                                  images_command("images"), info_command("info"), inspect_command("inspect", false),
                                  kill_command(), logs_command(), pause_command(), ps_command("ps"), rename_command(),
                                  restart_command(), rm_command("rm"), rmi_command("rmi"), run_command(), start_command(),
                                  stop_command(), tag_command(), unpause_command(), version_command(), wait_command()};
        for (auto& t : tool_commands()) c.push_back(t);
        add_archive_commands(c, true, true);
        return by_name(c);
    }();
    return commands;
}

const std::vector<Command>& image_commands() {
    static const std::vector<Command> commands = [] {
        std::vector<Command> c = {history_command(), inspect_command("inspect", true), images_command("ls"),
                                  image_prune_command(), rmi_command("rm"), tag_command(), images_command("list")};
        add_archive_commands(c, false, true);
        return by_name(c);
    }();
    return commands;
}

const std::vector<Command>& container_commands() {
    static const std::vector<Command> commands = [] {
        std::vector<Command> c = {attach_command(), cleanup_command(), create_command(), diff_command(), exec_command(),
                                  inspect_command("inspect", false), kill_command(), logs_command(), ps_command("ls"),
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
