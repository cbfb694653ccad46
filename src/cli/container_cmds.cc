// create, run, start, stop, restart, kill, rm, rename, pause, unpause, wait, container cleanup
// and healthcheck.
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <optional>

#include "cli/cli.h"
#include "cli/create_flags.h"
#include "engine/containers.h"
#include "runtime/supervise.h"
#include "sys/fs.h"
#include "util/timing.h"

namespace kouti {
namespace {

// Docker's run/create report every failure of kouti itself with 125.
int fail_run(Cli& cli, Error e) {
    if (!e.exit_status) e.exit_status = 125;
    return cli.fail(e);
}

// `engine_exit`: the exit code for a failure past the flags. The docker CLI gives `create`'s
// daemon errors (name taken, no such image) 1, `run`'s 125.
Result<ContainerRow> create_from(Cli& cli, const Args& a, int engine_exit, std::vector<LayerRow>* image_layers = nullptr) {
    Store* store = TRY(cli.store());
    timing_point("store open");
    auto req = TRY(request_from_flags(a));
    auto created = create_container(*store, req, image_layers);
    if (!created.ok()) {
        Error e = std::move(created).error();
        if (!e.exit_status) e.exit_status = engine_exit;
        return e;
    }
    auto row = std::move(*created);
    for (const auto& w : req.warnings) std::fprintf(stderr, "WARNING: %s\n", w.c_str());
    std::string cidfile = req.host_config.value("ContainerIDFile", "");
    if (!cidfile.empty()) {
        if (path_exists(cidfile)) {
            (void)remove_container(*store, row.id, true, true);
            return Error::usage("Container ID file found, make sure the other container isn't running or delete " + cidfile);
        }
        TRY(write_file_atomic(cidfile, row.id));
    }
    return row;
}

int cmd_create(Cli& cli, const Args& a) {
    auto row = create_from(cli, a, 1);
    if (!row.ok()) return fail_run(cli, row.error());
    write_stdout(row->id + "\n");
    return 0;
}

int cmd_run(Cli& cli, const Args& a) {
    timing_point("run");
    if (auto st = check_tty(!a.flag("detach") && a.flag("interactive"), a.flag("tty")); !st.ok()) return cli.fail(st.error());
    // The container's new network namespace is made while the store work goes on.
    std::optional<NetnsAhead> netns;
    std::string network = a.value("network", a.value("net", "bridge"));
    if (!a.flag("detach") && !a.flag("tty") && network != "host" && network.rfind("container:", 0) != 0) netns.emplace();
    // A foreground run checkpoints the database beside its container's start (start_attached),
    // not at one of its commits.
    if (!a.flag("detach") && !a.flag("tty"))
        if (auto opened = cli.store(); opened.ok()) (*opened)->db().defer_checkpoints();
    std::vector<LayerRow> image_layers;
    auto row = create_from(cli, a, 125, &image_layers);
    timing_point("created");
    if (!row.ok()) return fail_run(cli, row.error());
    Store* store = cli.store().value();
    if (a.flag("detach")) {
        // Docker's CLI prints the id once the container is created, whether it then starts or not.
        write_stdout(row->id + "\n");
        auto st = start_detached(*store, row->id);
        if (!st.ok()) {
            if (row->config["HostConfig"].value("AutoRemove", false)) (void)remove_container(*store, row->id, true, true);
            return fail_run(cli, st.error());
        }
        return 0;
    }
    AttachOptions o;
    o.stdin_open = a.flag("interactive");
    o.sig_proxy = !a.has("sig-proxy") || a.flag("sig-proxy");
    if (a.has("detach-keys")) {
        auto keys = parse_detach_keys(a.value("detach-keys"));
        if (!keys.ok()) return fail_run(cli, keys.error());
        o.detach_keys = *keys;
    }
    // With a terminal, the monitor holds it and we attach: Ctrl-P Ctrl-Q leaves it running.
    bool tty = row->config["Config"].value("Tty", false);
    JustCreated created{*row, image_layers, netns ? &*netns : nullptr};
    auto code = tty ? attach_container(*store, row->id, o, true) : start_attached(*store, row->id, o, &created);
    if (!code.ok()) {
        if (row->config["HostConfig"].value("AutoRemove", false)) (void)remove_container(*store, row->id, true, true);
        return fail_run(cli, code.error());
    }
    return *code < 0 ? 0 : *code;
}

int cmd_start(Cli& cli, const Args& a) {
    Store* store = STORE_OR_FAIL(cli);
    if (a.flag("attach") || a.flag("interactive")) {
        if (a.positional.size() > 1) return cli.fail(Error::usage("you cannot start and attach multiple containers at once"));
        auto row = resolve_container(store->db(), a.positional[0]);
        if (!row.ok()) return cli.fail(row.error());
        AttachOptions o;
        o.stdin_open = a.flag("interactive");
        if (a.has("detach-keys")) {
            auto keys = parse_detach_keys(a.value("detach-keys"));
            if (!keys.ok()) return cli.fail(keys.error());
            o.detach_keys = *keys;
        }
        auto code = attach_container(*store, row->id, o, true);
        if (!code.ok()) return cli.fail(code.error());
        return *code < 0 ? 0 : *code;
    }
    int rc = 0;
    for (const auto& name : a.positional) {
        auto row = resolve_container(store->db(), name);
        Status st = row.ok() ? start_detached(*store, row->id) : Status(row.error());
        if (!st.ok()) {
            if (st.error().message.find("already running") != std::string::npos) {
                write_stdout(name + "\n");
                continue;
            }
            rc = cli.fail(st.error());
            continue;
        }
        write_stdout(name + "\n");
    }
    return rc;
}

int stop_or_restart(Cli& cli, const Args& a, bool restart) {
    Store* store = STORE_OR_FAIL(cli);
    int rc = 0;
    bool has_timeout = a.has("time") || a.has("timeout");
    int64_t seconds = a.int_value("timeout", a.int_value("time", 10));
    int timeout = static_cast<int>(std::clamp<int64_t>(seconds, -1, INT32_MAX)); // below 0: wait for ever
    for (const auto& name : a.positional) {
        auto r = stop_container(*store, name, timeout, has_timeout, a.value("signal"));
        if (!r.ok()) {
            rc = cli.fail(r.error());
            continue;
        }
        if (r->killed)
            std::fprintf(stderr, "Container %s did not stop within %d seconds after its stop signal; it was killed with SIGKILL\n",
                         name.c_str(), timeout);
        if (restart) {
            auto row = resolve_container(store->db(), name);
            Status st = row.ok() ? start_detached(*store, row->id) : Status(row.error());
            if (!st.ok()) {
                rc = cli.fail(st.error());
                continue;
            }
        }
        write_stdout(name + "\n");
    }
    return rc;
}

int cmd_stop(Cli& cli, const Args& a) { return stop_or_restart(cli, a, false); }
int cmd_restart(Cli& cli, const Args& a) { return stop_or_restart(cli, a, true); }

int cmd_kill(Cli& cli, const Args& a) {
    Store* store = STORE_OR_FAIL(cli);
    int rc = 0;
    for (const auto& name : a.positional) {
        auto st = kill_container(*store, name, a.value("signal", "KILL"));
        if (!st.ok()) rc = cli.fail(st.error());
        else write_stdout(name + "\n");
    }
    return rc;
}

int cmd_rm(Cli& cli, const Args& a) {
    Store* store = STORE_OR_FAIL(cli);
    int rc = 0;
    for (const auto& name : a.positional) {
        auto st = a.flag("link") ? remove_link(*store, name) : remove_container(*store, name, a.flag("force"), a.flag("volumes"));
        if (!st.ok()) {
            // As docker rm -f: a container that is not there is said, not an error.
            if (a.flag("force") && st.error().kind == ErrorKind::NotFound) {
                (void)cli.fail(st.error());
                continue;
            }
            rc = cli.fail(st.error());
        } else {
            write_stdout(name + "\n");
        }
    }
    return rc;
}

int pause_or_unpause(Cli& cli, const Args& a, bool pause) {
    Store* store = STORE_OR_FAIL(cli);
    int rc = 0;
    for (const auto& name : a.positional) {
        auto st = pause_container(*store, name, pause);
        if (!st.ok()) rc = cli.fail(st.error());
        else write_stdout(name + "\n");
    }
    return rc;
}
int cmd_pause(Cli& cli, const Args& a) { return pause_or_unpause(cli, a, true); }
int cmd_unpause(Cli& cli, const Args& a) { return pause_or_unpause(cli, a, false); }

int cmd_rename(Cli& cli, const Args& a) {
    Store* store = STORE_OR_FAIL(cli);
    auto st = rename_container_to(*store, a.positional[0], a.positional[1]);
    return st.ok() ? 0 : cli.fail(st.error());
}

int cmd_wait(Cli& cli, const Args& a) {
    Store* store = STORE_OR_FAIL(cli);
    int rc = 0;
    for (const auto& name : a.positional) {
        auto code = wait_container(*store, name);
        if (!code.ok()) rc = cli.fail(code.error());
        else write_stdout(std::to_string(*code) + "\n");
    }
    return rc;
}

int cmd_attach(Cli& cli, const Args& a) {
    Store* store = STORE_OR_FAIL(cli);
    AttachOptions o;
    o.stdin_open = !a.has("no-stdin") || !a.flag("no-stdin");
    o.sig_proxy = !a.has("sig-proxy") || a.flag("sig-proxy");
    if (a.has("detach-keys")) {
        auto keys = parse_detach_keys(a.value("detach-keys"));
        if (!keys.ok()) return cli.fail(keys.error());
        o.detach_keys = *keys;
    }
    auto code = attach_container(*store, a.positional[0], o, false);
    if (!code.ok()) return cli.fail(code.error());
    return *code < 0 ? 0 : *code;
}

int cmd_cleanup(Cli& cli, const Args& a) {
    Store* store = STORE_OR_FAIL(cli);
    auto st = cleanup_container(*store, a.positional[0]);
    return st.ok() ? 0 : cli.fail(st.error());
}

int cmd_healthcheck(Cli& cli, const Args& a) {
    Store* store = STORE_OR_FAIL(cli);
    auto st = run_health_checks(*store, a.positional[0]);
    return st.ok() ? 0 : cli.fail(st.error());
}

} // namespace

Command run_command() {
    return {"run", "[OPTIONS] IMAGE [COMMAND] [ARG...]", "Create and run a new container from an image", create_flags(true), 1, -1, cmd_run, true};
}
Command create_command() {
    return {"create", "[OPTIONS] IMAGE [COMMAND] [ARG...]", "Create a new container", create_flags(false), 1, -1, cmd_create, true};
}
Command start_command() {
    return {"start", "[OPTIONS] CONTAINER [CONTAINER...]", "Start one or more stopped containers",
            {{"attach", 'a', false, "", "Attach STDOUT/STDERR and forward signals"},
             {"interactive", 'i', false, "", "Attach container's STDIN"},
             {"detach-keys", 0, true, "string", "Override the key sequence for detaching a container"}},
            1, -1, cmd_start};
}
Command stop_command() {
    return {"stop", "[OPTIONS] CONTAINER [CONTAINER...]", "Stop one or more running containers",
            {{"timeout", 't', true, "int", "Seconds to wait before killing the container"},
             {"time", 0, true, "int", "Seconds to wait before killing the container", true},
             {"signal", 's', true, "string", "Signal to send to the container"}},
            1, -1, cmd_stop};
}
Command restart_command() {
    return {"restart", "[OPTIONS] CONTAINER [CONTAINER...]", "Restart one or more containers",
            {{"signal", 's', true, "string", "Signal to send to the container"},
             {"timeout", 't', true, "int", "Seconds to wait before killing the container"},
             {"time", 0, true, "int", "Seconds to wait before killing the container", true}},
            1, -1, cmd_restart};
}
Command kill_command() {
    return {"kill", "[OPTIONS] CONTAINER [CONTAINER...]", "Kill one or more running containers",
            {{"signal", 's', true, "string", "Signal to send to the container"}}, 1, -1, cmd_kill};
}
Command rm_command(const std::string& name) {
    return {name, "[OPTIONS] CONTAINER [CONTAINER...]", "Remove one or more containers",
            {{"force", 'f', false, "", "Force the removal of a running container (uses SIGKILL)"},
             {"volumes", 'v', false, "", "Remove anonymous volumes associated with the container"},
             {"link", 'l', false, "", "Remove the specified link"}},
            1, -1, cmd_rm};
}
Command pause_command() { return {"pause", "CONTAINER [CONTAINER...]", "Pause all processes within one or more containers", {}, 1, -1, cmd_pause}; }
Command unpause_command() { return {"unpause", "CONTAINER [CONTAINER...]", "Unpause all processes within one or more containers", {}, 1, -1, cmd_unpause}; }
Command rename_command() { return {"rename", "CONTAINER NEW_NAME", "Rename a container", {}, 2, 2, cmd_rename}; }
Command wait_command() { return {"wait", "CONTAINER [CONTAINER...]", "Block until one or more containers stop, then print their exit codes", {}, 1, -1, cmd_wait}; }
Command attach_command() {
    return {"attach", "[OPTIONS] CONTAINER", "Attach local standard input, output, and error streams to a running container",
            {{"detach-keys", 0, true, "string", "Override the key sequence for detaching a container"},
             {"no-stdin", 0, false, "", "Do not attach STDIN"},
             {"sig-proxy", 0, false, "", "Proxy all received signals to the process (default true)"}},
            1, 1, cmd_attach};
}
Command healthcheck_command() {
    return {"healthcheck", "CONTAINER", "Run a container's health checks until it exits (started with it)", {}, 1, 1, cmd_healthcheck};
}
Command cleanup_command() { return {"cleanup", "CONTAINER", "Record a container's exit; apply --rm and restart policies (run by its monitor)", {}, 1, 1, cmd_cleanup}; }

} // namespace kouti
