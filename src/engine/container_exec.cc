// exec: a process in a running container, through the runtime's exec.
#include <fcntl.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "engine/container_spec.h"
#include "engine/containers.h"
#include "runtime/container.h"
#include "runtime/spec.h"
#include "store/events.h"
#include "store/images.h"

namespace kouti {

Result<Json> exec_process(Store& store, const ContainerRow& row, const ExecRequest& req) {
    Json process = Json::object();
    process["args"] = req.cmd;
    process["terminal"] = req.tty;
    Json env = row.config["Config"].value("Env", Json::array());
    for (const auto& e : req.env) env.push_back(e);
    if (req.tty) env.push_back("TERM=xterm");
    process["env"] = env;
    if (!req.workdir.empty()) process["cwd"] = req.workdir;
    if (!req.user.empty()) {
        auto image = TRY(image_by_id(store.db(), row.image_id));
        std::vector<std::string> dirs;
        LayerRow rw;
        rw.cache_id = row.layer;
        dirs.push_back(store.driver().diff_dir(rw));
        if (image && !image->top_layer.empty())
            for (const auto& l : TRY(layer_chain(store.db(), image->top_layer))) dirs.push_back(store.driver().diff_dir(l));
        process["user"] = TRY(oci_user(req.user, dirs, Json::array()));
    }
    if (req.privileged) {
        std::vector<std::string> all;
        for (int c = 0; c <= last_capability(); ++c)
            if (::prctl(PR_CAPBSET_READ, c, 0, 0, 0) == 1) all.push_back(capability_name(c));
        process["capabilities"] = {{"bounding", all}, {"effective", all}, {"permitted", all}};
    }
    return process;
}

Result<int> exec_in(Store& store, const std::string& name, const ExecRequest& req) {
    auto found = TRY(resolve_container(store.db(), name));
    auto row = TRY(sync_container(store, found.id));
    std::string status = row.state.value("Status", "");
    if (status == "paused") return Error::conflict("Container " + row.id + " is paused, unpause the container before exec");
    if (status != "running") return Error::conflict("Container " + row.id + " is not running");
    if (!req.detach) TRY(check_tty(req.interactive, req.tty));
    Json process = TRY(exec_process(store, row, req));
    {
        auto tx = TRY(Transaction::begin(store.db()));
        TRY(record_container_event(store.db(), row, "exec_start: " + req.cmd[0]));
        TRY(tx.commit());
    }
    // Our stdio is the process's: without -i it reads nothing, detached it writes nowhere (our
    // own stderr comes back for the errors we report).
    UniqueFd devnull(::open("/dev/null", O_RDWR | O_CLOEXEC));
    UniqueFd our_stderr;
    if (!req.interactive || req.detach) ::dup2(devnull.get(), 0);
    if (req.detach) {
        our_stderr.reset(::fcntl(2, F_DUPFD_CLOEXEC, 3));
        ::dup2(devnull.get(), 1);
        ::dup2(devnull.get(), 2);
    }
    RuntimeOptions rt;
    rt.root = runtime_root(store);
    rt.spare_dirs = &store.spare_dirs();
    ExecOptions eo;
    eo.process = process;
    eo.detach = req.detach;
    eo.drain_terminal = req.detach && req.tty;
    if (req.interactive) eo.detach_keys = req.detach_keys;
    auto code = exec_in_container(rt, row.id, eo);
    if (our_stderr.valid()) ::dup2(our_stderr.get(), 2);
    if (!code.ok()) {
        // 126 whatever the cause, as Docker's exec answers (unlike run, which gives 127 for a
        // command not found).
        Error e = std::move(code).error();
        e.exit_status = 126;
        e.message = "OCI runtime exec failed: " + e.message;
        return e;
    }
    return *code;
}

} // namespace kouti
