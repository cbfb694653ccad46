// commit, export, diff, exec.
#include <fcntl.h>
#include <unistd.h>

#include "cli/cli.h"
#include "engine/containers.h"
#include "sys/fs.h"

namespace kouti {
namespace {

int cmd_commit(Cli& cli, const Args& a) {
    Store* store = STORE_OR_FAIL(cli);
    CommitOptions o;
    if (a.positional.size() > 1) o.reference = a.positional[1];
    o.message = a.value("message");
    o.author = a.value("author");
    o.pause = !a.has("pause") || a.flag("pause");
    o.changes = a.values("change");
    auto id = commit_container(*store, a.positional[0], o);
    if (!id.ok()) return cli.fail(id.error());
    write_stdout(*id + "\n");
    return 0;
}

int cmd_export(Cli& cli, const Args& a) {
    Store* store = STORE_OR_FAIL(cli);
    std::string out = a.value("output");
    if (out.empty() && ::isatty(1))
        return cli.fail(Error::usage("cowardly refusing to save to a terminal. Use the -o flag or redirect"));
    UniqueFd file;
    int fd = 1;
    std::string tmp;
    if (!out.empty()) {
        tmp = out + ".kouti-tmp";
        auto f = open_file(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (!f.ok()) return cli.fail(f.error());
        file = std::move(f).value();
        fd = file.get();
    }
    auto st = export_container(*store, a.positional[0], fd);
    if (!st.ok()) {
        if (!tmp.empty()) ::unlink(tmp.c_str());
        return cli.fail(st.error());
    }
    if (!tmp.empty()) {
        auto r = rename_path(tmp, out);
        if (!r.ok()) return cli.fail(r.error());
    }
    return 0;
}

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
    r.env = a.values("env");
    for (auto& e : r.env)
        if (e.find('=') == std::string::npos) {
            const char* v = std::getenv(e.c_str());
            e += std::string("=") + (v ? v : "");
        }
    r.user = a.value("user");
    r.workdir = a.value("workdir");
    r.interactive = a.flag("interactive");
    r.tty = a.flag("tty");
    r.detach = a.flag("detach");
    r.privileged = a.flag("privileged");
    auto code = exec_in(*store, a.positional[0], r);
    if (!code.ok()) return cli.fail(code.error());
    return *code;
}

} // namespace

Command commit_command() {
    return {"commit", "[OPTIONS] CONTAINER [REPOSITORY[:TAG]]", "Create a new image from a container's changes",
            {{"author", 'a', true, "string", "Author (e.g., \"John Hannibal Smith <hannibal@a-team.com>\")"},
             {"change", 'c', true, "list", "Apply Dockerfile instruction to the created image"},
             {"message", 'm', true, "string", "Commit message"},
             {"pause", 'p', false, "", "Pause container during commit (default true)"}},
            1, 2, cmd_commit};
}
Command export_command() {
    return {"export", "[OPTIONS] CONTAINER", "Export a container's filesystem as a tar archive",
            {{"output", 'o', true, "string", "Write to a file, instead of STDOUT"}}, 1, 1, cmd_export};
}
Command diff_command() {
    return {"diff", "CONTAINER", "Inspect changes to files or directories on a container's filesystem", {}, 1, 1, cmd_diff};
}
Command exec_command() {
    return {"exec", "[OPTIONS] CONTAINER COMMAND [ARG...]", "Execute a command in a running container",
            {{"detach", 'd', false, "", "Detached mode: run command in the background"},
             {"env", 'e', true, "list", "Set environment variables"},
             {"interactive", 'i', false, "", "Keep STDIN open even if not attached"},
             {"privileged", 0, false, "", "Give extended privileges to the command"},
             {"tty", 't', false, "", "Allocate a pseudo-TTY"},
             {"user", 'u', true, "string", "Username or UID (format: \"<name|uid>[:<group|gid>]\")"},
             {"workdir", 'w', true, "string", "Working directory inside the container"}},
            2, -1, cmd_exec, true};
}

} // namespace kouti
