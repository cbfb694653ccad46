// The kouti executables. `kouti` runs the runtime (`kouti oci`, or started under another name)
// and the everyday commands linked in; the commands that read or write tars are in
// libkouti-cli.so beside it, loaded on demand: their libraries (libarchive, which drags in
// libxml2 and ICU, and OpenSSL) cost 3 ms to load. Loading even the other commands as a library
// cost 0.5 ms a command, measured. `kouti-runc` (KOUTI_RUNTIME_ONLY) is the runtime alone, for
// containerd, which starts it for every step of every container.
#include <dlfcn.h>
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <string>
#include <vector>

#include "cli/oci_main.h"
#include "runtime/monitor.h"
#include "sys/prefault.h"
#include "util/timing.h"

#ifndef KOUTI_RUNTIME_ONLY
extern "C" int kouti_main(int argc, char** argv); // src/cli/main.cc

namespace {

std::string own_dir(const char* argv0) {
    char exe[PATH_MAX];
    ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
    std::string path = n > 0 ? std::string(exe, static_cast<size_t>(n)) : std::string(argv0);
    return path.substr(0, path.rfind('/'));
}

// The runtime's commands become kouti-runc beside us: this executable maps SQLite and the
// commands, which would make every runtime call 1.4 MiB larger (its peak RSS must stay at or
// below crun's). Without kouti-runc, the runtime linked in here serves.
int run_runtime(const std::string& name, char** args, int n) {
    std::string runc = own_dir("") + "/kouti-runc";
    std::vector<char*> argv = {const_cast<char*>(name.c_str())};
    for (int i = 0; i < n; ++i) argv.push_back(args[i]);
    argv.push_back(nullptr);
    ::execv(runc.c_str(), argv.data());
    return kouti::oci_main(name, std::vector<std::string>(args, args + n));
}

} // namespace
#endif

int main(int argc, char** argv) {
    kouti::timing_point("launcher");
#ifndef KOUTI_RUNTIME_ONLY
    // Not for kouti-runc, whose peak memory is kept at crun's (docs/benchmarks.md).
    kouti::prefault_heap(384 << 10);
#endif
    std::string self = argv[0];
    self = self.substr(self.rfind('/') == std::string::npos ? 0 : self.rfind('/') + 1);
#ifdef KOUTI_RUNTIME_ONLY
    return kouti::oci_main(self, std::vector<std::string>(argv + 1, argv + argc));
#else
    if (self == "kouti-monitor-start") return kouti::monitor_start_main(std::vector<std::string>(argv + 1, argv + argc));
    if (self == "kouti-monitor-exit") return kouti::monitor_exit_main(std::vector<std::string>(argv + 1, argv + argc));
    if (self != "kouti" && self.rfind("kouti-test", 0) != 0) return run_runtime(self, argv + 1, argc - 1);
    // `kouti [global options] oci ...`: find the command word past the global options.
    std::string command, sub;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "oci") return run_runtime("kouti oci", argv + i + 1, argc - i - 1);
        if (a.empty() || a[0] != '-') {
            command = a;
            if (i + 1 < argc) sub = argv[i + 1];
            break;
        }
        if ((a == "--root" || a == "--runroot" || a == "--storage-driver" || a == "-s" || a == "--log-level" || a == "-l") && i + 1 < argc) ++i;
    }
    // Only the commands that read or write tars (and help, which lists them) need the full
    // library; the rest are linked in.
    static const char* const kTarCommands[] = {"import", "load", "save", "commit", "export", "cp"};
    bool full = command.empty();
    for (const char* c : kTarCommands) full = full || command == c || ((command == "image" || command == "container") && sub == c);
    if ((command == "image" || command == "container") && (sub.empty() || sub == "--help" || sub == "-h")) full = true;
    if (!full) return kouti_main(argc, argv);
    std::string lib = own_dir(argv[0]) + "/libkouti-cli.so";
    void* h = ::dlopen(lib.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        std::fprintf(stderr, "kouti: cannot load %s: %s\n", lib.c_str(), ::dlerror());
        return 125;
    }
    auto entry = reinterpret_cast<int (*)(int, char**)>(::dlsym(h, "kouti_main"));
    if (!entry) {
        std::fprintf(stderr, "kouti: %s has no kouti_main\n", lib.c_str());
        return 125;
    }
    kouti::timing_point("cli library loaded");
    return entry(argc, argv);
#endif
}
