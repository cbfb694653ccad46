// The kouti executable. The runtime (`kouti oci`, or this binary started under another name such
// as kouti-runc) runs right here, linked only with what it needs; every other command is in
// libkouti-cli.so beside it, loaded on demand: its libraries (libarchive, which drags in libxml2
// and ICU, SQLite, OpenSSL) cost 3 ms to load and would tax every runtime call containerd makes.
#include <dlfcn.h>
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <string>
#include <vector>

#include "cli/oci_main.h"
#include "runtime/monitor.h"
#include "util/timing.h"

int main(int argc, char** argv) {
    kouti::timing_point("launcher");
    std::string self = argv[0];
    self = self.substr(self.rfind('/') == std::string::npos ? 0 : self.rfind('/') + 1);
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
    // library; the rest load the light one.
    static const char* const kTarCommands[] = {"import", "load", "save", "commit", "export"};
    bool full = command.empty();
    for (const char* c : kTarCommands) full = full || command == c || ((command == "image" || command == "container") && sub == c);
    if ((command == "image" || command == "container") && (sub.empty() || sub == "--help" || sub == "-h")) full = true;
    char exe[PATH_MAX];
    ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
    std::string dir = n > 0 ? std::string(exe, static_cast<size_t>(n)) : std::string(argv[0]);
    dir = dir.substr(0, dir.rfind('/'));
    std::string lib = dir + (full ? "/libkouti-cli.so" : "/libkouti-cli-lite.so");
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
}
