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
#include "util/timing.h"

#ifndef KOUTI_RUNTIME_ONLY
extern "C" int kouti_main(int argc, char** argv); // src/cli/main.cc
#endif

int main(int argc, char** argv) {
    kouti::timing_point("launcher");
    std::string self = argv[0];
    self = self.substr(self.rfind('/') == std::string::npos ? 0 : self.rfind('/') + 1);
#ifdef KOUTI_RUNTIME_ONLY
    return kouti::oci_main(self, std::vector<std::string>(argv + 1, argv + argc));
#else
    if (self == "kouti-monitor-start") return kouti::monitor_start_main(std::vector<std::string>(argv + 1, argv + argc));
    if (self == "kouti-monitor-exit") return kouti::monitor_exit_main(std::vector<std::string>(argv + 1, argv + argc));
    if (self != "kouti" && self.rfind("kouti-test", 0) != 0)
        return kouti::oci_main(self, std::vector<std::string>(argv + 1, argv + argc));
    // `kouti [global options] oci ...`: find the command word past the global options.
    std::string command, sub;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "oci") return kouti::oci_main("kouti oci", std::vector<std::string>(argv + i + 1, argv + argc));
        if (a.empty() || a[0] != '-') {
            command = a;
            if (i + 1 < argc) sub = argv[i + 1];
            break;
        }
        if ((a == "--root" || a == "--runroot" || a == "--storage-driver" || a == "-s" || a == "--log-level" || a == "-l") && i + 1 < argc) ++i;
    }
    // Only the commands that read or write tars (and help, which lists them) need the full
    // library; the rest are linked in.
    static const char* const kTarCommands[] = {"import", "load", "save", "commit", "export"};
    bool full = command.empty();
    for (const char* c : kTarCommands) full = full || command == c || ((command == "image" || command == "container") && sub == c);
    if ((command == "image" || command == "container") && (sub.empty() || sub == "--help" || sub == "-h")) full = true;
    if (!full) return kouti_main(argc, argv);
    char exe[PATH_MAX];
    ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
    std::string dir = n > 0 ? std::string(exe, static_cast<size_t>(n)) : std::string(argv[0]);
    dir = dir.substr(0, dir.rfind('/'));
    std::string lib = dir + "/libkouti-cli.so";
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
