// kouti-setup: a container's first process. `create` starts it in the container's new
// namespaces, sharing its memory only until this exec (sys/spawn.h), and hands it the spec and
// the rest of the init's context in a memfd (runtime/init_handoff.h). It builds the container's
// file system, waits for the start, then becomes the container's process (runtime/init.h).
// Static, so that its start costs few page faults and no dynamic linking.
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "runtime/init_handoff.h"
#include "sys/prefault.h"
#include "util/timing.h"

namespace {

std::string read_handoff(int fd) {
    std::string buffer;
    struct stat st;
    if (::fstat(fd, &st) != 0 || st.st_size <= 0) return buffer;
    buffer.resize(static_cast<size_t>(st.st_size));
    size_t done = 0;
    while (done < buffer.size()) {
        ssize_t n = ::pread(fd, buffer.data() + done, buffer.size() - done, static_cast<off_t>(done));
        if (n <= 0) return {};
        done += static_cast<size_t>(n);
    }
    return buffer;
}

} // namespace

int main(int argc, char** argv) {
    kouti::timing_point("setup: main");
    kouti::prefault_heap(128 << 10);
    kouti::timing_point("setup: prefaulted");
    if (argc != 2) {
        std::fprintf(stderr, "kouti-setup: a container's first process, started by kouti only\n");
        return 125;
    }
    int fd = std::atoi(argv[1]);
    std::string buffer = read_handoff(fd);
    ::close(fd);
    kouti::timing_point("setup: read");
    auto init = kouti::decode_init_handoff(buffer);
    if (!init.ok()) {
        std::fprintf(stderr, "kouti-setup: %s\n", init.error().message.c_str());
        return 125;
    }
    kouti::timing_point("setup: context decoded");
    ::pthread_sigmask(SIG_SETMASK, &(*init)->signal_mask, nullptr);
    kouti::run_init((*init)->ctx);
}
