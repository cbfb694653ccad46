#include "cli/cli.h"

namespace kouti {

const std::vector<Command>& all_commands() {
    static const std::vector<Command> commands = {
        commit_command(),   create_command(),  diff_command(),  exec_command(),  export_command(),  history_command(), images_command("images"), import_command(),
        info_command("info"), inspect_command("inspect", false), kill_command(), load_command(),
        logs_command(),     pause_command(),   ps_command("ps"),         rename_command(),
        restart_command(),  rm_command("rm"),  rmi_command("rmi"),       run_command(),
        save_command(),     start_command(),   stop_command(),           tag_command(),
        unpause_command(),  version_command(), wait_command(),
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

const std::vector<Command>& container_commands() {
    static const std::vector<Command> commands = {
        cleanup_command(), commit_command(), create_command(), diff_command(), exec_command(), export_command(), inspect_command("inspect", false), kill_command(), logs_command(),
        ps_command("ls"), ps_command("list"), ps_command("ps"), pause_command(), rename_command(), restart_command(),
        rm_command("rm"), run_command(), start_command(), stop_command(), unpause_command(), wait_command()};
    return commands;
}

const std::vector<Command>& system_commands() {
    static const std::vector<Command> commands = {system_check_command(), info_command("info")};
    return commands;
}

} // namespace kouti
