#include "cli/cli.h"

namespace kouti {

const std::vector<Command>& all_commands() {
    static const std::vector<Command> commands = {
        history_command(), images_command("images"), import_command(), info_command("info"),
        inspect_command("inspect", false), load_command(), rmi_command("rmi"), save_command(),
        tag_command(), version_command(),
    };
    return commands;
}

const std::vector<Command>& image_commands() {
    static const std::vector<Command> commands = [] {
        std::vector<Command> c = {history_command(), import_command(), inspect_command("inspect", true),
                                  load_command(), images_command("ls"), image_prune_command(),
                                  rmi_command("rm"), save_command(), tag_command()};
        c.push_back(images_command("list"));
        return c;
    }();
    return commands;
}

const std::vector<Command>& system_commands() {
    static const std::vector<Command> commands = {system_check_command(), info_command("info")};
    return commands;
}

} // namespace kouti
