// --help as the docker CLI 28 prints it: cobra's templates and pflag's flag lines.
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "cli/cli.h"

namespace kouti {
namespace {

// The docker CLI wraps flag help to the width of the terminal on stdin, 80 columns otherwise,
// less one.
int help_width() {
    winsize ws{};
    int width = ::ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 ? ws.ws_col : 80;
    return width - 1;
}

// cobra's rpad to the group's longest name, at least 11.
using Listed = std::pair<std::string, std::string>; // name, summary

void print_command_list(const char* title, const std::vector<Listed>& commands) {
    size_t pad = 11;
    for (const auto& c : commands) pad = std::max(pad, c.first.size());
    std::printf("\n%s:\n", title);
    for (const auto& [name, summary] : commands) std::printf("  %-*s %s\n", static_cast<int>(pad), name.c_str(), summary.c_str());
}

// The global options, parsed by main.cc before the command.
const std::vector<FlagSpec>& global_flags() {
    static const std::vector<FlagSpec> flags = {
        {"debug", 'D', false, "", "Enable debug mode"},
        {"log-level", 'l', true, "string", "Set the logging level (\"debug\", \"info\", \"warn\", \"error\", \"fatal\") (default \"info\")"},
        {"root", 0, true, "string", "Root directory of persistent state (default \"/var/lib/kouti\", $KOUTI_ROOT)"},
        {"runroot", 0, true, "string", "Root directory of run state (default \"/run/kouti\", $KOUTI_RUNROOT)"},
        {"storage-driver", 's', true, "string", "Storage driver: overlay or vfs (default: overlay where it works)"},
        {"version", 'v', false, "", "Print version information and quit"},
    };
    return flags;
}

} // namespace

void print_main_help() {
    std::printf("Usage:  kouti [OPTIONS] COMMAND\n\nA daemonless, Docker-compatible container engine\n");
    // The docker CLI's common commands that kouti has (it pulls, pushes and builds nothing yet).
    static const char* const kCommon[] = {"run", "exec", "ps", "images", "version", "info"};
    std::vector<Listed> common, groups, others;
    for (const char* name : kCommon)
        for (const auto& c : all_commands())
            if (c.name == name) common.emplace_back(c.name, c.summary);
    for (const auto& c : all_commands())
        if (std::find(std::begin(kCommon), std::end(kCommon), c.name) == std::end(kCommon)) others.emplace_back(c.name, c.summary);
    for (const auto& g : command_groups()) groups.emplace_back(g.name, g.summary);
    groups.emplace_back("oci", "Run OCI bundles with runc's command line (for containerd)");
    print_command_list("Common Commands", common);
    print_command_list("Management Commands", groups);
    print_command_list("Commands", others);
    std::printf("\nGlobal Options:\n%s\nRun 'kouti COMMAND --help' for more information on a command.\n",
                flags_help(global_flags(), help_width()).c_str());
}

void print_group_help(const CommandGroup& group) {
    std::printf("Usage:  kouti %s COMMAND\n\n%s\n", group.name, group.summary);
    std::vector<Listed> shown;
    for (const auto& c : group.commands())
        if (!c.hidden) shown.emplace_back(c.name, c.summary);
    print_command_list("Commands", shown);
    std::printf("\nRun 'kouti %s COMMAND --help' for more information on a command.\n", group.name);
}

void print_command_help(const std::string& path, const Command& cmd) {
    std::printf("Usage:  kouti %s%s%s\n\n%s\n", path.c_str(), cmd.usage.empty() ? "" : " ", cmd.usage.c_str(), cmd.summary.c_str());
    if (auto aliases = command_aliases(path); !aliases.empty()) {
        std::string line;
        for (const auto& a : aliases) line += (line.empty() ? "kouti " : ", kouti ") + a;
        std::printf("\nAliases:\n  %s\n", line.c_str());
    }
    bool any_flag = std::any_of(cmd.flags.begin(), cmd.flags.end(), [](const FlagSpec& f) { return !f.hidden; });
    if (any_flag) std::printf("\nOptions:\n%s", flags_help(cmd.flags, help_width()).c_str());
}

} // namespace kouti
