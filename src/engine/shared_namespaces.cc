#include "engine/shared_namespaces.h"

#include "engine/containers.h"

namespace kouti {
namespace {

constexpr std::string_view kContainerPrefix = "container:";

bool joins_container(const std::string& mode) { return mode.starts_with(kContainerPrefix); }

std::string donor_of(const std::string& mode) { return mode.substr(kContainerPrefix.size()); }

// The donor's process, if it runs: "" otherwise.
std::string running_process(const Store& store, const ContainerRow& donor) {
    Json st = observe_state(store, donor);
    std::string status = st.value("Status", "");
    int pid = st.value("Pid", 0);
    if ((status != "running" && status != "paused") || pid <= 0) return "";
    return "/proc/" + std::to_string(pid);
}

} // namespace

Status resolve_namespace_donors(Db& db, Json& host_config) {
    for (const char* key : {"PidMode", "IpcMode"}) {
        std::string mode = host_config.value(key, "");
        if (!joins_container(mode)) continue;
        auto donor = TRY(resolve_container(db, donor_of(mode)));
        host_config[key] = std::string(kContainerPrefix) + donor.id;
    }
    return ok();
}

Result<SharedNamespaces> shared_namespaces(Store& store, const ContainerRow& row) {
    SharedNamespaces out;
    const Json& hc = row.config["HostConfig"];
    if (std::string mode = hc.value("PidMode", ""); joins_container(mode)) {
        auto donor = TRY(resolve_container(store.db(), donor_of(mode)));
        std::string proc = running_process(store, donor);
        if (proc.empty()) return Error::conflict("container " + donor.id + " is not running");
        out.pid_ns_path = proc + "/ns/pid";
    }
    if (std::string mode = hc.value("IpcMode", ""); joins_container(mode)) {
        std::string cannot = "can't join IPC of container " + donor_of(mode) + ": ";
        auto donor = resolve_container(store.db(), donor_of(mode));
        if (!donor.ok()) return Error::not_found(cannot + donor.error().message);
        std::string proc = running_process(store, *donor);
        if (proc.empty()) return Error::conflict(cannot + "container " + donor->id + " is not running");
        std::string donor_mode = donor->config["HostConfig"].value("IpcMode", "");
        if (donor_mode != "shareable" && donor_mode != "host" && !joins_container(donor_mode))
            return Error::conflict(cannot + "non-shareable IPC (hint: use IpcMode:shareable for the donor container)");
        out.ipc_ns_path = proc + "/ns/ipc";
        out.shm_donor = proc;
    }
    return out;
}

} // namespace kouti
