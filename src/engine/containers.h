#pragma once
// The container verbs. A container is a store row (its Docker Config and HostConfig, fixed at
// create, and its State), a read-write layer, a directory <root>/containers/<id>/ (the OCI
// bundle and json-file log) and, while it runs, an OCI container in <runroot>/runtime watched
// by either the `kouti run` process (foreground) or a kouti-monitor (detached).
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "util/prune_filter.h"
#include "runtime/netns_ahead.h"
#include "store/containers.h"
#include "sys/fd.h"
#include "store/store.h"
#include "util/json.h"

namespace kouti {

struct CreateRequest {
    std::string name;       // empty: a random adjective_surname
    std::string image;      // as typed
    Json config = Json::object();      // Docker's Config from the flags (image values fill the gaps)
    Json host_config = Json::object(); // Docker's HostConfig
    bool entrypoint_set = false;       // --entrypoint was given (even empty: clears the image's)
    Json networking_config = Json::object(); // Docker's NetworkingConfig (--ip, --network-alias)
    std::string platform;                    // --platform: the image must be for it
    std::vector<std::string> warnings;       // for the user once the container exists ("WARNING: ...")
};

// `image_layers`, when given, receives the image's layers (top first) as create read them.
Result<ContainerRow> create_container(Store& store, const CreateRequest& req, std::vector<LayerRow>* image_layers = nullptr);

// Paths of a container's files.
std::string container_dir(const Store& store, const std::string& id);     // bundle, log
std::string container_run_dir(const Store& store, const std::string& id); // monitor/exit files
std::string runtime_root(const Store& store);
std::string log_path(const Store& store, const std::string& id);

// The container's state as Docker shows it, with what the runtime knows folded in (an exit
// recorded by the monitor, a process that is gone, a frozen cgroup). Reads only: never waits
// on a lock, so `ps` is never blocked by a busy container.
Json observe_state(const Store& store, const ContainerRow& row);
// State.Health from the container's health check process, when it has one; `exited`: marked
// unhealthy, as Docker leaves a container whose checks stopped.
void fold_health(const Store& store, const std::string& id, Json& state, bool exited);
// The ids of the containers that have a runtime directory now (started, or being started): for a
// listing, one directory read in place of two lookups for each stopped container.
std::set<std::string> containers_with_runtime_files(const Store& store);
// For a listing that read containers_with_runtime_files first: whether a container's stored
// state may be out of date, and observe_state must look (it is live, or has runtime files).
bool state_needs_observing(const std::string& stored_status, const std::string& id, const std::set<std::string>& with_runtime_files);
// Records a container event with Docker's attributes: the container's labels, its image (as
// typed) and name, then `extra` (exitCode, signal...).
Status record_container_event(Db& db, const ContainerRow& row, const std::string& action, const Json& extra = Json::object());
// Writes the observed state back and forgets the runtime's files once they are folded in.
Result<ContainerRow> sync_container(Store& store, const std::string& id);
// What a start takes besides the row (network leases and published ports, the mounts of
// volumes made with driver options), given back when the container stops or fails to start.
Status release_run_resources(Store& store, const ContainerRow& row);
// sync_container for every container whose recorded state is not final.
Status sync_all(Store& store);

struct AttachOptions {
    bool stdin_open = false; // -i
    bool attach_output = true;
    bool sig_proxy = true;
    std::string detach_keys = "\x10\x11";
};

// `run` without -d and `start -a`: this process watches the container. Returns its exit code
// (or -1 when the user detached).
// A container `run` has just created, as create returned it: starting it need not read its
// row and its image's layers again.
struct JustCreated {
    const ContainerRow& row;
    const std::vector<LayerRow>& image_layers;
    NetnsAhead* netns = nullptr; // its new network namespace, when one was made ahead
};
Result<int> start_attached(Store& store, const std::string& id, const AttachOptions& opts, const JustCreated* just_created = nullptr);
// `run -d` and `start`: a kouti-monitor watches it; returns once it runs.
Status start_detached(Store& store, const std::string& id);
// The same, with this process connected to the monitor's attach socket before the container
// starts (run -t, start -a of a container with a terminal).
Status start_monitor(Store& store, const std::string& id, UniqueFd* attached);
// The same for a restart policy: the container is "restarting" until it runs again.
Status start_monitor(Store& store, const std::string& id, UniqueFd* attached, bool restarting);
// Docker's check before attaching our stdin to a container's terminal: it must be one too
// ("the input device is not a TTY", exit 1), or the terminal's line discipline is lost.
Status check_tty(bool attach_stdin, bool tty);
// `run -t` / `start -a` / `attach`: attached through the monitor, so detaching leaves the
// container running and watched. `start` says whether to start it first. Returns the exit
// code, or -1 after a detach.
Result<int> attach_container(Store& store, const std::string& name, const AttachOptions& opts, bool start);

struct StopResult {
    bool killed = false; // the stop signal was ignored and SIGKILL followed
};
// `signal` ("" for the container's stop signal) is sent first; SIGKILL after the timeout.
Result<StopResult> stop_container(Store& store, const std::string& id, int timeout_seconds, bool has_timeout,
                                  const std::string& signal = "");
Status kill_container(Store& store, const std::string& id, const std::string& signal);
Status pause_container(Store& store, const std::string& id, bool pause);
// Refuses a running container unless force; removes the layer, files and (with volumes) its
// anonymous volumes.
Status remove_container(Store& store, const std::string& id, bool force, bool volumes);
// The removal itself, for a container known to be stopped (no state check).
// runtime_state=false: the caller removes the runtime's state and cgroups itself.
// `exit_code`: the exit this removal follows at once (run --rm), recorded as its "die" event.
// The runtime's state of containers whose row is gone: a kouti killed during a removal (the
// row goes first, the runtime's state beside or after it). Called after a crash was recovered.
void remove_orphaned_runtime_state(Store& store);
Status remove_exited_container(Store& store, const ContainerRow& row, bool volumes, bool runtime_state = true,
                               std::optional<int> exit_code = std::nullopt);
// `rm --link /parent/alias`: the parent no longer links that container (from its next start).
Status remove_link(Store& store, const std::string& link);
Status rename_container_to(Store& store, const std::string& id, const std::string& name);
// Blocks until the container is not running; returns its exit code.
Result<int> wait_container(Store& store, const std::string& id);
// Applied by the monitor's exit command: fold the exit in, then --rm or restart.
Status cleanup_container(Store& store, const std::string& id);

// Docker's `ps` row for a container, from its summary and its observed state.
struct PsRow {
    // As shown: the --format placeholders of the same names.
    std::string id, image, command, created_at, running_for, ports, state, status, names, labels, networks, size;
    // What the filters match.
    std::string full_id, image_id;
    std::string health = "none"; // State.Health.Status, "none" without a health check
    std::string mounts, local_volumes = "0"; // filled in only when a template shows them
    Json label_map = Json::object();
    int exit_code = 0;
    Json to_json() const; // keyed by placeholder: for templates
};
// `observed`: the container's state as observe_state() sees it, or null for the state stored
// in the summary (a container that is not live and has no runtime files, as most are).
PsRow ps_row(const ContainerSummary& c, const Json* observed, bool no_trunc);
// Docker's Mounts of a container (inspect; ps's .Mounts, .LocalVolumes and volume filter), from
// its stored configuration (HostConfig and the anonymous volumes made for it).
Json mount_points(const std::string& store_root, const Json& container_config);
// Inspect's HostConfig and Config as the user gave them, from the stored ones: the anonymous
// volume of `-v /path` is a Config volume, not a bind; one of `--mount type=volume`, sourceless.
void show_volumes_as_given(Json& host_config, Json& config, const Json& container_config);
// Docker's inspect JSON.
// `size`: with SizeRw and SizeRootFs (inspect --size), which walk the container's files.
Result<Json> inspect_container(Store& store, const std::string& name, bool size = false);

// A random "adjective_surname" no container uses.
Result<std::string> random_container_name(Db& db);

} // namespace kouti

namespace kouti {

struct CommitOptions {
    std::string reference; // repo[:tag], may be empty
    std::string message, author;
    bool pause = true;
    std::vector<std::string> changes;
};
// A new image whose only new layer is what the container changed; returns its ID.
Result<std::string> commit_container(Store& store, const std::string& name, const CommitOptions& opts);
// The container's whole file system as a tar written to `fd`.
Status export_container(Store& store, const std::string& name, int fd);
// `docker diff`: "A /x", "C /y", "D /z".
Result<std::vector<std::string>> container_changes(Store& store, const std::string& name);

} // namespace kouti

namespace kouti {

struct ExecRequest {
    std::vector<std::string> cmd, env;
    std::string user, workdir;
    bool interactive = false, tty = false, detach = false, privileged = false;
    std::string detach_keys = "\x10\x11"; // -it: typed, they leave the process running (Ctrl-P Ctrl-Q)
};
// Runs a process in a running container; returns its exit code.
Result<int> exec_in(Store& store, const std::string& name, const ExecRequest& req);
// The OCI "process" exec_in runs: the container's environment and req's, the user looked up
// in the container's files.
Result<Json> exec_process(Store& store, const ContainerRow& row, const ExecRequest& req);

// Health checks. A container with a probing Healthcheck gets, at each start, a process of its
// own (`kouti container healthcheck ID`, detached like the monitor) that runs the probe with
// exec until the init exits, keeping State.Health in <run dir>/health.json, which
// observe_state folds in. `state`: the container's state as the start recorded it.
Status start_health_checks(Store& store, const ContainerRow& row, const Json& state);
// Ends that process (at removal: it would end by itself once it sees the exit).
void stop_health_checks(const Store& store, const ContainerRow& row);
// That process's loop; returns when the container's init has exited.
Status run_health_checks(Store& store, const std::string& id);

} // namespace kouti

namespace kouti {

// `top`: the container's processes (pids on the host, from its cgroup).
Result<std::vector<pid_t>> container_pids(Store& store, const std::string& name);

struct ContainerStats {
    std::string id, name;
    double cpu_percent = 0;
    int64_t mem_usage = 0, mem_limit = 0;
    int64_t net_rx = 0, net_tx = 0, block_read = 0, block_write = 0;
    int64_t pids = 0;
};
// One sample per container named, or per running one (`all`: every one) when `names` is empty;
// CPU measured over `interval_ms`. A container that is not running has a row of zeros, as Docker's.
Result<std::vector<ContainerStats>> container_stats(Store& store, const std::vector<std::string>& names, bool all, int interval_ms);

// `update`: new limits, stored and applied to the running container's cgroup.
Status update_container(Store& store, const std::string& name, const Json& host_config_changes);

// `cp`: copies between the host and a container's file system; paths inside the container are
// resolved as if its root were "/" (symlinks never lead out of it).
struct CopyOptions {
    bool archive = false;     // -a: keep owners (else the container's root inside, the caller outside)
    bool follow_link = false; // -L: copy what a symlink source points to, not the link
};
Status copy_from_container(Store& store, const std::string& name, const std::string& src, const std::string& dest,
                           const CopyOptions& options = {});
Status copy_to_container(Store& store, const std::string& name, const std::string& src, const std::string& dest,
                         const CopyOptions& options = {});

// `container prune`: removes every stopped container; returns their ids and the space freed.
Result<std::pair<std::vector<std::string>, int64_t>> prune_containers(Store& store, const PruneFilter& filter = {});

} // namespace kouti
