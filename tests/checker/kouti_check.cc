// kouti-check: runs inside a container and prints, as one JSON object, what the process sees —
// the method of the OCI runtime-tools validation suite. The conformance tests compare it with
// the config.json they gave the runtime. Built static so it runs in any rootfs.
//   kouti-check [read FILE...]   also prints the content of each FILE under "files"
#include <dirent.h>
#include <grp.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

static std::string esc(const std::string& s) {
    std::string o = "\"";
    for (unsigned char c : s) {
        if (c == '"' || c == '\\') o += '\\', o += static_cast<char>(c);
        else if (c == '\n') o += "\\n";
        else if (c == '\t') o += "\\t";
        else if (c < 0x20) {
            char b[8];
            std::snprintf(b, sizeof b, "\\u%04x", c);
            o += b;
        } else o += static_cast<char>(c);
    }
    return o + "\"";
}

static std::string slurp(const std::string& path) {
    std::ifstream f(path);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

static std::string status_field(const std::string& status, const std::string& key) {
    std::istringstream in(status);
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(key + ":", 0) == 0) {
            std::string v = line.substr(key.size() + 1);
            v.erase(0, v.find_first_not_of(" \t"));
            return v;
        }
    return "";
}

int main(int argc, char** argv) {
    std::string out = "{";
    auto field = [&](const std::string& k, const std::string& v) { out += (out.size() > 1 ? "," : "") + esc(k) + ":" + v; };
    std::string status = slurp("/proc/self/status");
    for (const char* k : {"CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb", "NoNewPrivs", "Seccomp", "Umask"})
        field(k, esc(status_field(status, k)));
    field("uid", std::to_string(getuid()));
    field("gid", std::to_string(getgid()));
    gid_t groups[256];
    int n = getgroups(256, groups);
    std::string g = "[";
    for (int i = 0; i < n; ++i) g += (i ? "," : "") + std::to_string(groups[i]);
    field("groups", g + "]");
    char cwd[4096] = {};
    field("cwd", esc(getcwd(cwd, sizeof cwd) ? cwd : "?"));
    utsname u{};
    uname(&u);
    field("hostname", esc(u.nodename));
    field("domainname", esc(u.domainname));
    static const std::pair<const char*, int> limits[] = {{"RLIMIT_NOFILE", RLIMIT_NOFILE}, {"RLIMIT_NPROC", RLIMIT_NPROC},
                                                          {"RLIMIT_CORE", RLIMIT_CORE}, {"RLIMIT_STACK", RLIMIT_STACK},
                                                          {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK}, {"RLIMIT_CPU", RLIMIT_CPU}};
    std::string rl = "{";
    for (const auto& [name, r] : limits) {
        rlimit l{};
        getrlimit(r, &l);
        rl += std::string(rl.size() > 1 ? "," : "") + esc(name) + ":[" + std::to_string(l.rlim_cur) + "," + std::to_string(l.rlim_max) + "]";
    }
    field("rlimits", rl + "}");
    std::string fds = "{";
    if (DIR* d = opendir("/proc/self/fd")) {
        int self = dirfd(d);
        while (auto* e = readdir(d)) {
            if (e->d_name[0] == '.' || std::atoi(e->d_name) == self) continue;
            char target[4096] = {};
            std::string p = std::string("/proc/self/fd/") + e->d_name;
            ssize_t len = readlink(p.c_str(), target, sizeof target - 1);
            fds += std::string(fds.size() > 1 ? "," : "") + esc(e->d_name) + ":" + esc(len > 0 ? target : "?");
        }
        closedir(d);
    }
    field("fds", fds + "}");
    // mountinfo: "id parent dev root mountpoint options ... - fstype source superoptions"
    std::string mounts = "[";
    std::istringstream mi(slurp("/proc/self/mountinfo"));
    std::string line;
    while (std::getline(mi, line)) {
        std::istringstream ls(line);
        std::string id, parent, dev, root, mp, opts;
        ls >> id >> parent >> dev >> root >> mp >> opts;
        auto dash = line.find(" - ");
        std::istringstream post(dash == std::string::npos ? "" : line.substr(dash + 3));
        std::string type, source, super;
        post >> type >> source >> super;
        mounts += std::string(mounts.size() > 1 ? "," : "") + "{\"path\":" + esc(mp) + ",\"type\":" + esc(type) + ",\"options\":" + esc(opts) +
                  ",\"super\":" + esc(super) + "}";
    }
    field("mounts", mounts + "]");
    field("cgroup", esc(slurp("/proc/self/cgroup")));
    field("oom_score_adj", esc(slurp("/proc/self/oom_score_adj")));
    std::string ns = "{";
    for (const char* name : {"pid", "net", "mnt", "ipc", "uts", "user", "cgroup"}) {
        char target[256] = {};
        std::string p = std::string("/proc/self/ns/") + name;
        ssize_t len = readlink(p.c_str(), target, sizeof target - 1);
        ns += std::string(ns.size() > 1 ? "," : "") + esc(name) + ":" + esc(len > 0 ? target : "?");
    }
    field("namespaces", ns + "}");
    field("pid", std::to_string(getpid()));
    std::string env = "[";
    for (char** e = environ; *e; ++e) env += std::string(env.size() > 1 ? "," : "") + esc(*e);
    field("env", env + "]");
    std::string files = "{";
    for (int i = 1; i + 1 < argc; ++i)
        if (std::strcmp(argv[i], "read") == 0)
            for (int j = i + 1; j < argc; ++j) {
                struct stat st;
                std::string v = stat(argv[j], &st) == 0 ? slurp(argv[j]) : "<missing>";
                files += std::string(files.size() > 1 ? "," : "") + esc(argv[j]) + ":" + esc(v);
            }
    field("files", files + "}");
    std::printf("%s}\n", out.c_str());
    return 0;
}
