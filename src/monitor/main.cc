// kouti-monitor: what watches a detached container while it runs (stage 2 of the monitor, see
// src/runtime/monitor.h). Static and small, because one of these stays resident per container:
// it keeps the json-file log and waits for the init, then hands over to `kouti-monitor-exit`.
// argv: <options json> <init pid> <stdout fd or pty master> <stderr fd> <stdin fd> <attach socket fd>
#include <unistd.h>

#include <climits>
#include <optional>
#include <string>

#include "runtime/json_log.h"
#include "runtime/supervise.h"
#include "util/json.h"

using namespace kouti;

int main(int argc, char** argv) {
    if (argc != 7) return 125;
    Json o = Json::parse(argv[1], nullptr, false);
    if (o.is_discarded()) return 125;
    pid_t pid = std::atoi(argv[2]);
    int out = std::atoi(argv[3]), err = std::atoi(argv[4]), in = std::atoi(argv[5]), listener = std::atoi(argv[6]);
    std::optional<JsonLog> log;
    std::string log_path = o.value("log_path", "");
    if (!log_path.empty()) {
        auto l = JsonLog::open(log_path, log_settings_from(o));
        if (l.ok()) log.emplace(std::move(l).value());
    }
    ContainerStreams streams;
    if (o.value("tty", false)) streams.tty_master = out;
    else {
        streams.out = out;
        streams.err = err;
        streams.in = in;
    }
    SuperviseOptions so;
    so.attach_listen = listener;
    so.log = log ? &*log : nullptr;
    so.reap_all = true; // we are a subreaper: orphans of the container come to us
    auto outcome = supervise(pid, streams, so);
    int code = outcome.ok() ? outcome.value().exit_code : 255;
    log.reset();
    char exe[PATH_MAX];
    ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
    std::string dir = n > 0 ? std::string(exe, static_cast<size_t>(n)) : std::string(argv[0]);
    dir = dir.substr(0, dir.rfind('/'));
    std::string kouti = dir + "/kouti", code_arg = std::to_string(code);
    const char* next[] = {"kouti-monitor-exit", argv[1], code_arg.c_str(), nullptr};
    ::execv(kouti.c_str(), const_cast<char* const*>(next));
    return code;
}
