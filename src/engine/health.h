#pragma once
// Docker's health checks, the rules without the processes: the HealthConfig a container gets
// (flags over image), what each probe result does to State.Health, and when the next probe is
// due. container_health.cc runs the probes.
#include <cstdint>
#include <string>
#include <vector>

#include "util/json.h"
#include "util/result.h"

namespace kouti {

// Docker's Config.Healthcheck. Zero durations and retries mean "Docker's default".
struct HealthConfig {
    std::vector<std::string> test; // ["CMD", argv...], ["CMD-SHELL", "cmd"] or ["NONE"]
    int64_t interval = 0, timeout = 0, start_period = 0, start_interval = 0; // nanoseconds
    int64_t retries = 0;

    static HealthConfig from_json(const Json& healthcheck); // null: none
    Json to_json() const;                                    // Docker's field names, zeros left out
    bool probes() const;                                      // a CMD or CMD-SHELL test
    std::vector<std::string> command() const;                 // CMD-SHELL runs through /bin/sh -c
    int64_t probe_timeout() const;
    int64_t retries_or_default() const;
};

// --health-cmd & co. as the docker CLI turns them into a Healthcheck (null when none was given),
// with its messages. `no_healthcheck`: --no-healthcheck.
struct HealthFlags {
    std::string cmd;
    bool has_cmd = false, no_healthcheck = false;
    int64_t interval = 0, timeout = 0, start_period = 0, start_interval = 0, retries = 0;
};
Result<Json> healthcheck_from_flags(const HealthFlags& f);
// The daemon's check of a Healthcheck (durations of at least 1ms).
Status validate_healthcheck(const Json& healthcheck);
// The container's Healthcheck: its own fields, the image's where its own are unset.
Json merged_healthcheck(const Json& own, const Json& image);
// A Dockerfile HEALTHCHECK's arguments ("--interval=5s CMD curl -f http://x/", "NONE").
Result<Json> healthcheck_instruction(const std::string& args);

struct ProbeResult {
    int64_t start = 0, end = 0; // unix nanoseconds
    int exit_code = 0;          // -1: the probe timed out or could not run
    std::string output;         // at most kMaxProbeOutput bytes, then "..."
};
inline constexpr size_t kMaxProbeOutput = 4096;
// State.Health of a running container, kept by its health check process in its run directory.
inline constexpr const char* kHealthFile = "health.json";
inline constexpr size_t kMaxHealthLog = 5;

// State.Health at a start: "starting", the failing streak reset, the log kept.
Json health_at_start(const Json& previous);
// Folds a probe result in, as Docker does: success is healthy; a failure counts toward
// unhealthy unless the container is still starting within its start period. Returns whether
// the status changed.
bool fold_probe_result(Json& health, const ProbeResult& result, const HealthConfig& config, int64_t started_at);
// Nanoseconds from the end of one probe to the start of the next: the start interval while a
// container is starting within its start period, the interval otherwise.
int64_t next_probe_delay(const Json& health, const HealthConfig& config, int64_t now, int64_t started_at);
// What `ps` adds to "Up 3 minutes": "health: starting", "healthy", "unhealthy".
std::string health_summary(const Json& health);

} // namespace kouti
