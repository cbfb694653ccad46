#include "cli/cli.h"
#include "cli/output.h"
#include "engine/containers.h"

#include <unistd.h>

#include <cstdio>

#include "sys/fs.h"

namespace kouti {

int exit_code_for(const Error& e) {
    if (e.exit_status) return e.exit_status;
    return e.kind == ErrorKind::Usage ? 125 : 1;
}

Result<Store*> Cli::store() {
    if (!m_store) {
        m_store = TRY(Store::open(options.store));
        if (m_store->recovered_from_crash()) remove_orphaned_runtime_state(*m_store);
    }
    return m_store.get();
}

void Cli::leave(int exit_code) {
    if (m_store) m_store->end_staging();
    std::fflush(nullptr);
    ::_exit(exit_code);
}

// Docker 28's layout: the problem, the usage line, where help is.
void Cli::print_usage_error(const std::string& problem, const char* help_verb) const {
    std::fprintf(stderr, "%s\n\nUsage:  %s %s\n\n%s '%s --help' for more information\n", problem.c_str(), m_command_path.c_str(),
                 m_command->usage.c_str(), help_verb, m_command_path.c_str());
}

int Cli::fail(const Error& e) {
    bool flag_value = e.message.rfind("invalid argument \"", 0) == 0 && e.message.find("\" flag: ") != std::string::npos;
    if (flag_value && m_command) {
        print_usage_error(e.message, "Run");
        return 125;
    }
    std::fprintf(stderr, "Error: %s\n", e.message.c_str());
    return exit_code_for(e);
}

static std::string plural(int n) { return n == 1 ? "argument" : "arguments"; }

int Cli::run_command(const Command& cmd, const std::string& path, const std::vector<std::string>& argv) {
    std::string full = program + " " + path;
    m_command = &cmd;
    m_command_path = full;
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
            print_command_help(path, cmd);
            return 0;
        }
    }
    auto usage_error = [&](const std::string& problem, const char* help_verb) { print_usage_error(problem, help_verb); };
    auto args = parse_args(cmd.flags, argv, cmd.stop_at_positional);
    if (!args.ok()) {
        usage_error(args.error().message, "Run");
        return 125;
    }
    int n = static_cast<int>(args->positional.size());
    int min = cmd.min_args, max = cmd.max_args;
    if (n < min || (max >= 0 && n > max)) {
        std::string problem = program + ": '" + full + "' ";
        if (min == max) problem += max == 0 ? "accepts no arguments" : "requires " + std::to_string(min) + " " + plural(min);
        else if (max < 0) problem += "requires at least " + std::to_string(min) + " " + plural(min);
        else if (min == 0) problem += "requires at most " + std::to_string(max) + " " + plural(max);
        else problem += "requires at least " + std::to_string(min) + " and at most " + std::to_string(max) + " " + plural(max);
        usage_error(problem, max < 0 || min == 0 ? "See" : "Run"); // the docker CLI's words for each
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

int remove_each(Cli& cli, const Args& a, const std::function<Status(const std::string&)>& remove_one, bool missing_ok) {
    int rc = 0;
    for (const auto& n : a.positional) {
        auto st = remove_one(n);
        if (!st.ok() && missing_ok && st.error().kind == ErrorKind::NotFound) continue;
        if (!st.ok()) rc = cli.fail(st.error());
        else write_stdout(n + "\n");
    }
    return rc;
}

} // namespace kouti
