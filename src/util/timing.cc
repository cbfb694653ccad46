#include "util/timing.h"

#include <time.h>

#include <cstdio>
#include <cstdlib>

namespace kouti {

void timing_point(const char* name) {
    static const bool enabled = std::getenv("KOUTI_TIMING") != nullptr;
    if (!enabled) return;
    static timespec start = [] {
        timespec t{};
        // The process's own start is the reference: include loading and linking.
        clock_gettime(CLOCK_MONOTONIC, &t);
        return t;
    }();
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    double ms = static_cast<double>(now.tv_sec - start.tv_sec) * 1e3 + static_cast<double>(now.tv_nsec - start.tv_nsec) / 1e6;
    std::fprintf(stderr, "timing %8.3f ms  %s\n", ms, name);
}

} // namespace kouti
