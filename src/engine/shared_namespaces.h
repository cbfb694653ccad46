#pragma once
// Docker's --pid and --ipc "container:NAME" modes: a container that runs in another one's pid or
// IPC namespace (and, for IPC, sees its /dev/shm).
#include <string>

#include "store/store.h"
#include "store/containers.h"
#include "util/json.h"

namespace kouti {

// At create: a named donor must exist; the mode then names it by its full id, as Docker stores it.
Status resolve_namespace_donors(Db& db, Json& host_config);

struct SharedNamespaces {
    std::string pid_ns_path, ipc_ns_path; // /proc/<donor's pid>/ns/...
    std::string shm_donor;                // /proc/<donor's pid>: its /dev/shm is mounted in this one
};

// At start: the donors must be running, and an IPC donor must share its IPC (Docker's
// "shareable", "host", or itself a joiner).
Result<SharedNamespaces> shared_namespaces(Store& store, const ContainerRow& row);

} // namespace kouti
