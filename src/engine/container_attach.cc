// Attaching to a container through its monitor's socket.
#include <unistd.h>

#include <thread>

#include "engine/containers.h"
#include "runtime/attach.h"

namespace kouti {

Status check_tty(bool attach_stdin, bool tty) {
    if (tty && attach_stdin && !::isatty(0)) return Error::invalid("the input device is not a TTY");
    return ok();
}

Result<int> attach_container(Store& store, const std::string& name, const AttachOptions& opts, bool start) {
    auto found = TRY(resolve_container(store.db(), name));
    bool tty = found.config["Config"].value("Tty", false);
    UniqueFd sock;
    if (start) {
        TRY(check_tty(opts.stdin_open, tty));
        TRY(start_monitor(store, found.id, &sock));
    } else {
        auto row = TRY(sync_container(store, found.id));
        std::string status = row.state.value("Status", "");
        if (status != "running" && status != "paused") return Error::conflict("You cannot attach to a stopped container, start it first");
        TRY(check_tty(opts.stdin_open, tty));
        auto s = connect_attach(container_run_dir(store, row.id));
        if (!s.ok()) return Error::conflict("cannot attach to container " + row.id + ": it was not started by a monitor (run -d or run -t)");
        sock = std::move(s).value();
    }
    auto row = TRY(container_by_id(store.db(), found.id));
    if (!row) return Error::not_found("No such container: " + name);
    const Json& c = row->config["Config"];
    AttachSession session;
    session.tty = c.value("Tty", false);
    session.send_stdin = opts.stdin_open && c.value("OpenStdin", false);
    session.detach_keys = opts.detach_keys;
    if (!session.tty && opts.sig_proxy) session.signal_target = row->state.value("Pid", 0);
    auto result = TRY(run_attach_session(sock.get(), session));
    if (result.detached) return -1;
    int code = result.exit_code;
    if (result.monitor_gone) code = TRY(wait_container(store, found.id));
    // The monitor tells its clients the exit code before it records the exit (and with --rm
    // removes the container): wait for that, so that the next command (rm, start) finds the
    // container stopped or gone, as after Docker's.
    bool auto_remove = row->config["HostConfig"].value("AutoRemove", false);
    int pid = row->state.value("Pid", 0);
    for (int i = 0; i < 400; ++i) {
        auto now = TRY(container_by_id(store.db(), found.id));
        if (!now) break;
        std::string status = now->state.value("Status", "");
        bool recorded = (status != "running" && status != "paused") || now->state.value("Pid", 0) != pid;
        if (recorded && !auto_remove) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return code;
}

} // namespace kouti
