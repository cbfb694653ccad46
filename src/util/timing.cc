#include "util/timing.h"

#include <signal.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace kouti {

void timing_point(const char* name) {
    static const bool enabled = std::getenv("KOUTI_TIMING") != nullptr;
    if (!enabled) return;
    static timespec start = [] {
        timespec t{};
        // KOUTI_TIMING_T0 (CLOCK_MONOTONIC nanoseconds, taken by the caller just before its
        // exec) makes loading and linking show; otherwise the first point is the reference.
        if (const char* t0 = std::getenv("KOUTI_TIMING_T0")) {
            long long ns = std::atoll(t0);
            t.tv_sec = static_cast<time_t>(ns / 1000000000);
            t.tv_nsec = static_cast<long>(ns % 1000000000);
            return t;
        }
        clock_gettime(CLOCK_MONOTONIC, &t);
        return t;
    }();
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    double ms = static_cast<double>(now.tv_sec - start.tv_sec) * 1e3 + static_cast<double>(now.tv_nsec - start.tv_nsec) / 1e6;
    std::fprintf(stderr, "timing %8.3f ms  %s\n", ms, name);
    // KOUTI_TIMING_STOP=NAME stops the process at that point, for tests that must act at an exact
    // step of a command (an `rm -f` in the middle of a start). kill, not raise: a child sharing
    // our memory (sys/spawn.h) would read its caller's thread id.
    static const char* const stop_at = std::getenv("KOUTI_TIMING_STOP");
    if (stop_at && std::strcmp(stop_at, name) == 0) ::kill(::getpid(), SIGSTOP);
}

} // namespace kouti
