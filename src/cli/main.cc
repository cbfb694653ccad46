// kouti: parses the global options, then hands the rest to one command of the table.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include "cli/cli.h"
#include "util/version.h"


using namespace kouti;

#include "cli/oci_main.h"

namespace {

// pflag's words for a flag no command here takes: "unknown flag: --x", "unknown shorthand flag: 'x' in -x".
std::string unknown_flag(const std::string& arg) {
    auto parsed = parse_args({}, {arg}, false);
    return parsed.ok() ? "unknown flag: " + arg : parsed.error().message;
}

// The docker commands kouti does not have yet, answered with what to use instead rather than
// "unknown command": nothing is pulled, pushed or built here.
const char* missing_command(const std::string& group, const std::string& name) {
    static const char* const kRegistry = "kouti has no registry client yet: images come from 'kouti import' and 'kouti load'";
    static const char* const kBuild = "kouti builds no Dockerfiles yet: images come from 'kouti commit', 'kouti import' and 'kouti load'";
    bool top = group.empty(), image = group == "image";
    if ((top || image) && (name == "pull" || name == "push")) return kRegistry;
    if (top && (name == "login" || name == "logout" || name == "search")) return kRegistry;
    if ((top || image) && name == "build") return kBuild;
    return nullptr;
}

int dispatch(Cli& cli, int argc, char** argv) {
    if (const char* r = std::getenv("KOUTI_ROOT"); r && *r) cli.options.store.root = r;
    if (const char* r = std::getenv("KOUTI_RUNROOT"); r && *r) cli.options.store.runroot = r;
    if (const char* d = std::getenv("KOUTI_STORAGE_DRIVER"); d && *d) cli.options.store.driver = d;

    std::vector<std::string> args(argv + 1, argv + argc);
    size_t i = 0;
    auto take_value = [&](const std::string& a, const std::string& name, std::string& out) -> bool {
        if (a == name) {
            if (i + 1 >= args.size()) {
                std::fprintf(stderr, "flag needs an argument: %s\nSee 'kouti --help'.\n", name.c_str());
                std::exit(125);
            }
            out = args[++i];
            return true;
        }
        if (a.rfind(name + "=", 0) == 0) {
            out = a.substr(name.size() + 1);
            return true;
        }
        return false;
    };
    for (; i < args.size() && !args[i].empty() && args[i][0] == '-'; ++i) {
        const std::string& a = args[i];
        if (take_value(a, "--root", cli.options.store.root) || take_value(a, "--runroot", cli.options.store.runroot) ||
            take_value(a, "--storage-driver", cli.options.store.driver) || take_value(a, "-s", cli.options.store.driver) ||
            take_value(a, "--log-level", cli.options.log_level) || take_value(a, "-l", cli.options.log_level))
            continue;
        if (a == "-D" || a == "--debug") {
            cli.options.debug = true;
            cli.options.log_level = "debug";
        } else if (a == "-v" || a == "--version") {
            std::printf("kouti version %s, build %s\n", KOUTI_VERSION, git_commit);
            return 0;
        } else if (a == "-h" || a == "--help") {
            print_main_help();
            return 0;
        } else {
            std::fprintf(stderr, "%s\n\nUsage:  kouti [OPTIONS] COMMAND [ARG...]\n\nRun 'kouti --help' for more information\n",
                         unknown_flag(a).c_str());
            return 125;
        }
    }
    static const char* levels[] = {"debug", "info", "warn", "error", "fatal"};
    bool known_level = false;
    for (const char* l : levels) known_level = known_level || cli.options.log_level == l;
    if (!known_level) {
        std::fprintf(stderr, "Unable to parse logging level: %s\n", cli.options.log_level.c_str());
        return 125;
    }
    if (i >= args.size()) {
        print_main_help();
        return 0;
    }
    std::string name = args[i++];
    if (name == "oci") return oci_main("kouti oci", std::vector<std::string>(args.begin() + static_cast<long>(i), args.end()));
    std::vector<std::string> rest(args.begin() + static_cast<long>(i), args.end());
    if (const CommandGroup* group = find_group(name)) {
        if (rest.empty() || rest[0] == "--help" || rest[0] == "-h") {
            print_group_help(*group);
            return 0;
        }
        const Command* sub = find_in_group(*group, rest[0]);
        if (const char* why = sub ? nullptr : missing_command(name, rest[0])) {
            std::fprintf(stderr, "Error: kouti %s %s: %s\n", name.c_str(), rest[0].c_str(), why);
            return 1;
        }
        if (!sub) {
            bool flag = rest[0].size() > 1 && rest[0][0] == '-';
            std::string problem = flag ? unknown_flag(rest[0]) : "kouti: unknown command: kouti " + name + " " + rest[0];
            std::fprintf(stderr, "%s\n\nUsage:  kouti %s\n\nRun 'kouti %s --help' for more information\n", problem.c_str(),
                         name.c_str(), name.c_str());
            return flag ? 125 : 1;
        }
        // As cobra, the command's own name whichever alias ran it: `container list` is `container ls`.
        std::string path = name + " " + sub->name;
        rest.erase(rest.begin());
        return cli.run_command(*sub, path, rest);
    }
    auto cmd = find_command(name);
    if (const char* why = cmd ? nullptr : missing_command("", name)) {
        std::fprintf(stderr, "Error: kouti %s: %s\n", name.c_str(), why);
        return 1;
    }
    if (!cmd) {
        std::fprintf(stderr, "kouti: unknown command: kouti %s\n\nRun 'kouti --help' for more information\n", name.c_str());
        return 1;
    }
    return cli.run_command(*cmd, name, rest);
}

} // namespace

// Called by the launcher (src/launcher/main.cc) for every command but the runtime's. Never
// returns: see Cli::leave.
extern "C" __attribute__((visibility("default"))) int kouti_main(int argc, char** argv) {
    Cli cli;
    int rc = 125;
    try {
        rc = dispatch(cli, argc, argv);
    } catch (const std::exception& e) {
        // A throw that escaped is a kouti bug; still one line and Docker's engine-error code,
        // never an abort with a core dump in the middle of a command.
        std::fprintf(stderr, "Error: unexpected failure: %s\n", e.what());
    }
    cli.leave(rc);
}
