#pragma once
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/args.h"
#include "cli/output.h"
#include "store/store.h"

namespace kouti {

struct GlobalOptions {
    StoreOptions store;
    std::string log_level = "info";
    bool debug = false;
};

class Cli;

struct Command {
    std::string name;
    std::string usage;   // after the command path: "[OPTIONS] file|- [REPOSITORY[:TAG]]"
    std::string summary; // one line
    std::vector<FlagSpec> flags;
    int min_args = 0, max_args = -1; // -1: no upper limit
    int (*run)(Cli&, const Args&) = nullptr;
    bool stop_at_positional = false;
    std::vector<std::string> aliases{}; // other names in its group: `container remove` is `container rm`
    bool hidden = false;              // run by kouti itself (a monitor's `container cleanup`), not listed
};

class Cli {
public:
    GlobalOptions options;
    std::string program = "kouti";

    Result<Store*> store();
    // Prints "Error: ..." and returns the exit code Docker uses for that kind of error. A bad
    // flag value (pflag's `invalid argument "v" for "--f" flag: ...`) is printed as the docker
    // CLI prints it: bare, with the command's usage line.
    int fail(const Error& e);
    int run_command(const Command& cmd, const std::string& path, const std::vector<std::string>& argv);
    // Ends the process once a command is done: its staging area is handed on (Store::end_staging),
    // the output flushed, and the rest left to the exit. Every command commits before it returns,
    // so closing SQLite gains nothing (a connection that ends with the process is one it
    // recovers from, as from a crash), and the destructors of the store and of the C++
    // runtime's statics cost 0.24 ms of every command (perf probes, 40 `run --rm`).
    [[noreturn]] void leave(int exit_code);

private:
    void print_usage_error(const std::string& problem, const char* help_verb) const;
    std::unique_ptr<Store> m_store;
    const Command* m_command = nullptr; // the one run_command runs
    std::string m_command_path;         // "kouti image ls"
};

// Opens the store or returns from a command with the error's exit code.
#define STORE_OR_FAIL(cli)                                                                         \
    ({                                                                                             \
        auto _s = (cli).store();                                                                   \
        if (!_s.ok()) return (cli).fail(_s.error());                                               \
        _s.value();                                                                                \
    })

// --format of the list commands and of those that print one document, in the docker CLI's words
// (kouti's templates are Docker's, so its page on them is theirs).
inline const FlagSpec kFormatFlag{"format", 0, true, "string",
                                  "Format output using a custom template:\n"
                                  "'table':            Print output in table format with column headers (default)\n"
                                  "'table TEMPLATE':   Print output in table format using the given Go template\n"
                                  "'json':             Print in JSON format\n"
                                  "'TEMPLATE':         Print output using the given Go template.\n"
                                  "Refer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates"};
inline const FlagSpec kDocumentFormatFlag{"format", 'f', true, "string",
                                          "Format output using a custom template:\n"
                                          "'json':             Print in JSON format\n"
                                          "'TEMPLATE':         Print output using the given Go template.\n"
                                          "Refer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates"};

int exit_code_for(const Error& e);

Command import_command();
Command images_command(const std::string& name);
Command tag_command();
Command rmi_command(const std::string& name);
Command image_prune_command();
Command history_command();
// `only`: "image" or "container" for `image inspect` and `container inspect`, empty for `inspect`.
Command inspect_command(const std::string& name, const std::string& only);
Command save_command();
Command load_command();
Command system_check_command();
Command info_command(const std::string& name);
Command version_command();
Command run_command();
Command create_command();
Command start_command();
Command stop_command();
Command restart_command();
Command kill_command();
Command rm_command(const std::string& name);
Command pause_command();
Command unpause_command();
Command rename_command();
Command wait_command();
Command cleanup_command();
Command healthcheck_command();
Command attach_command();
std::vector<Command> tool_commands(); // top, stats, update, port, events
Command container_prune_command();
Command system_df_command();
Command system_prune_command();
Command ps_command(const std::string& name);
Command logs_command();
Command commit_command();
Command export_command();
Command cp_command();
Command diff_command();
Command exec_command();

// Every command, in the order `kouti --help` lists them.
const std::vector<Command>& all_commands();
// The top-level command of that name, made alone.
std::optional<Command> find_command(const std::string& name);
const std::vector<Command>& image_commands();  // kouti image ...
const std::vector<Command>& system_commands(); // kouti system ...
const std::vector<Command>& container_commands(); // kouti container ...
const std::vector<Command>& volume_commands();    // kouti volume ...
const std::vector<Command>& network_commands();   // kouti network ...

// `kouti container`, `kouti image`...: the management commands, in the order help lists them.
struct CommandGroup {
    const char* name;
    const char* summary;
    const std::vector<Command>& (*commands)();
};
const std::vector<CommandGroup>& command_groups();
const CommandGroup* find_group(const std::string& name);
// The command of `group` called `name` or by that alias.
const Command* find_in_group(const CommandGroup& group, const std::string& name);
// Every path that runs the command at `path` ("rm": "container rm", "container remove", "rm"),
// as --help lists them under "Aliases:"; empty when it has no other name.
std::vector<std::string> command_aliases(const std::string& path);
// --help as the docker CLI 28 prints it (cli/help.cc).
void print_main_help();
void print_group_help(const CommandGroup& group);
void print_command_help(const std::string& path, const Command& cmd);

// `X inspect NAME...`: prints what `inspect_one` finds for each name (through --format), then
// one error line per name it did not find; exit status 1 if any was missing.
int inspect_each(Cli& cli, const Args& a, const std::function<Result<Json>(const std::string&)>& inspect_one);
// `X rm NAME...`: removes each, printing its name or its error line; with `missing_ok`, one that
// is not there is skipped without a word.
int remove_each(Cli& cli, const Args& a, const std::function<Status(const std::string&)>& remove_one, bool missing_ok = false);

} // namespace kouti
