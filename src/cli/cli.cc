#include "cli/cli.h"
#include "cli/output.h"

#include <unistd.h>

#include <cstdio>

#include "sys/fs.h"

namespace kouti {

int exit_code_for(const Error& e) {
    if (e.exit_status) return e.exit_status;
    return e.kind == ErrorKind::Usage ? 125 : 1;
}

Result<Store*> Cli::store() {
    if (!m_store) m_store = TRY(Store::open(options.store));
    return m_store.get();
}

void Cli::leave(int exit_code) {
    if (m_store) m_store->end_staging();
    std::fflush(nullptr);
    ::_exit(exit_code);
}

int Cli::fail(const Error& e) {
    std::fprintf(stderr, "Error: %s\n", e.message.c_str());
    return exit_code_for(e);
}

static std::string plural(int n) { return n == 1 ? "argument" : "arguments"; }

int Cli::run_command(const Command& cmd, const std::string& path, const std::vector<std::string>& argv) {
    std::string full = program + " " + path;
    for (size_t i = 0; i < argv.size(); ++i) {
        const std::string& a = argv[i];
        if (a == "--") break;
        // `run busybox httpd -h /www`: what follows the image belongs to the container.
        if (cmd.stop_at_positional && (a.empty() || a[0] != '-')) break;
        if (cmd.stop_at_positional && a.find('=') == std::string::npos) {
            bool takes = false;
            for (const auto& f : cmd.flags)
                if ((a.size() > 2 && a.rfind("--", 0) == 0 && a.substr(2) == f.name) || (a.size() == 2 && a[1] == f.shorthand))
                    takes = f.takes_value;
            if (takes) {
                ++i; // its value
                continue;
            }
        }
        if (a == "--help" || a == "-h") {
            std::printf("\nUsage:  %s %s\n\n%s\n", full.c_str(), cmd.usage.c_str(), cmd.summary.c_str());
            if (!cmd.flags.empty()) std::printf("\nOptions:\n%s", flags_help(cmd.flags).c_str());
            return 0;
        }
    }
    auto args = parse_args(cmd.flags, argv, cmd.stop_at_positional);
    if (!args.ok()) {
        std::fprintf(stderr, "%s\nSee '%s --help'.\n", args.error().message.c_str(), full.c_str());
        return 125;
    }
    int n = static_cast<int>(args->positional.size());
    bool too_few = n < cmd.min_args, too_many = cmd.max_args >= 0 && n > cmd.max_args;
    if (too_few || too_many) {
        std::string need;
        if (cmd.min_args == cmd.max_args) need = "exactly " + std::to_string(cmd.min_args) + " " + plural(cmd.min_args);
        else if (too_few) need = "at least " + std::to_string(cmd.min_args) + " " + plural(cmd.min_args);
        else need = "at most " + std::to_string(cmd.max_args) + " " + plural(cmd.max_args);
        std::fprintf(stderr, "\"%s\" requires %s.\nSee '%s --help'.\n\nUsage:  %s %s\n\n%s\n", full.c_str(),
                     need.c_str(), full.c_str(), full.c_str(), cmd.usage.c_str(), cmd.summary.c_str());
        return 1;
    }
    return cmd.run(*this, *args);
}

int inspect_each(Cli& cli, const Args& a, const std::function<Result<Json>(const std::string&)>& inspect_one) {
    std::vector<Json> items;
    std::vector<Error> errors;
    for (const auto& n : a.positional) {
        auto j = inspect_one(n);
        if (j.ok()) items.push_back(*j);
        else errors.push_back(j.error());
    }
    auto out = render_inspect(items, a.value("format"));
    if (!out.ok()) return cli.fail(out.error());
    write_stdout(*out);
    int rc = 0;
    for (const auto& e : errors) rc = cli.fail(e);
    return rc;
}

int remove_each(Cli& cli, const Args& a, const std::function<Status(const std::string&)>& remove_one) {
    int rc = 0;
    for (const auto& n : a.positional) {
        auto st = remove_one(n);
        if (!st.ok()) rc = cli.fail(st.error());
        else write_stdout(n + "\n");
    }
    return rc;
}

} // namespace kouti
