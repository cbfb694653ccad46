#pragma once
// What `create` hands the container's first process, kouti-setup, which it starts with
// spawn_in_namespaces instead of forking itself: the spec as the config's JSON text and the
// InitContext's fields, in one buffer passed through a memfd. The seccomp program (raw BPF)
// follows the JSON after a NUL.
#include <signal.h>

#include <cstdint>
#include <memory>
#include <string>

#include "runtime/cgroups.h"
#include "runtime/init.h"
#include "runtime/spec.h"
#include "sys/process.h"
#include "util/result.h"

namespace kouti {

struct HandoffExtras {
    std::string bundle;    // the spec's relative paths are resolved against it
    int netns_fd = -1;     // joined instead of a new network namespace (see CreateOptions)
    sigset_t signal_mask;  // the caller's, restored once the setup has started
};

std::string encode_init_handoff(const InitContext& ctx, const std::string& config_text, const HandoffExtras& extras);

// The setup's side: owns what the context points to.
struct DecodedInit {
    Spec spec;
    Channel channel;
    Cgroup cgroup;
    InitContext ctx;
    sigset_t signal_mask;
};
Result<std::unique_ptr<DecodedInit>> decode_init_handoff(const std::string& buffer);

// A spec asking for a new network namespace joins the one made ahead instead (its fd path).
void use_network_namespace_fd(Spec& spec, int netns_fd);

} // namespace kouti
