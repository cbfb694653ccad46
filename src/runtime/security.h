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
// The profile compiled by libseccomp into the kernel's BPF program (an array of sock_filter).
Result<std::string> compile_seccomp(const Seccomp& profile);
// compile_seccomp through a cache of programs in `cache_dir`, keyed by the profile's full text:
// libseccomp takes 1.2 ms to compile Docker's default profile, on every container start
// otherwise. A cached program is used only when its stored profile text equals this one's.
Result<std::string> seccomp_program(const Seccomp& profile, const std::string& cache_dir);
// Installs a compiled program on this thread; without no_new_privs it needs CAP_SYS_ADMIN.
Status install_seccomp(const std::string& program);

} // namespace kouti
