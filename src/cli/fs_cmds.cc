// diff, exec.
#include <fcntl.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/create_flags.h"
#include "engine/containers.h"
#include "runtime/supervise.h"
#include "sys/fs.h"

namespace kouti {
namespace {

int cmd_diff(Cli& cli, const Args& a) {
    Store* store = STORE_OR_FAIL(cli);
    auto changes = container_changes(*store, a.positional[0]);
    if (!changes.ok()) return cli.fail(changes.error());
    std::string text;
    for (const auto& c : *changes) text += c + "\n";
    write_stdout(text);
    return 0;
}

int cmd_exec(Cli& cli, const Args& a) {
    Store* store = STORE_OR_FAIL(cli);
    ExecRequest r;
    r.cmd.assign(a.positional.begin() + 1, a.positional.end());
    auto env = env_from_flags(a);
    if (!env.ok()) return cli.fail(env.error());
    r.env = std::move(env).value();
    r.user = a.value("user");
    r.workdir = a.value("workdir");
    r.interactive = a.flag("interactive");
    r.tty = a.flag("tty");
    r.detach = a.flag("detach");
    r.privileged = a.flag("privileged");
    if (a.has("detach-keys")) {
        auto keys = parse_detach_keys(a.value("detach-keys"));
        if (!keys.ok()) { // the daemon's check in Docker
            Error e = Error::invalid("Invalid escape keys (" + a.value("detach-keys") + ") provided");
            e.exit_status = 1;
            return cli.fail(e);
        }
        r.detach_keys = *keys;
    }
    auto code = exec_in(*store, a.positional[0], r);
    if (!code.ok()) return cli.fail(code.error());
    return *code;
}

} // namespace

Command diff_command() {
    return {"diff", "CONTAINER", "Inspect changes to files or directories on a container's filesystem", {}, 1, 1, cmd_diff};
}
Command exec_command() {
    return {"exec", "[OPTIONS] CONTAINER COMMAND [ARG...]", "Execute a command in a running container",
            {{"detach", 'd', false, "", "Detached mode: run command in the background"},
             {"detach-keys", 0, true, "string", "Override the key sequence for detaching a container"},
             {"env", 'e', true, "list", "Set environment variables"},
             {"env-file", 0, true, "list", "Read in a file of environment variables"},
             {"interactive", 'i', false, "", "Keep STDIN open even if not attached"},
             {"privileged", 0, false, "", "Give extended privileges to the command"},
             {"tty", 't', false, "", "Allocate a pseudo-TTY"},
             {"user", 'u', true, "string", "Username or UID (format: \"<name|uid>[:<group|gid>]\")"},
             {"workdir", 'w', true, "string", "Working directory inside the container"}},
            2, -1, cmd_exec, true};
}

} // namespace kouti
