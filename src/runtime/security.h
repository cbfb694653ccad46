#pragma once
// Capabilities and seccomp for the container process. Both are applied by the child just before
// execve, after everything that needs privileges is done.
#include <sys/types.h>

#include "runtime/spec.h"
#include "util/result.h"

namespace kouti {

// Drops the bounding set, switches to the spec's user keeping the listed capabilities, then sets
// effective/permitted/inheritable and raises the ambient ones.
Status apply_user_and_capabilities(const Spec& spec);
// Compiles the spec's seccomp profile with libseccomp; load() installs it on this thread.
Status load_seccomp(const Seccomp& profile);

} // namespace kouti
