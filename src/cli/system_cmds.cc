// info, version, system check.
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <fstream>

#include "cli/cli.h"
#include "util/template.h"
#include "util/version.h"
#include "engine/image_config.h"
#include "engine/containers.h"
#include "engine/images.h"
#include "runtime/cgroups.h"
#include "sys/mounts.h"
#include "util/humanize.h"


namespace kouti {
namespace {

// `info --format` and `version --format`: the template's result for one object, the fields its
// Go type (`go_type`) has and no others.
int write_formatted(Cli& cli, const std::string& format, const Json& data, const std::string& go_type, const std::string& name) {
    auto out = render_object(data, format, go_type, name);
    if (!out.ok()) {
        write_stdout("\n"); // as Docker's: its output ends before the error
        return cli.fail(out.error());
    }
    write_stdout(*out);
    return 0;
}

std::string os_name() {
    std::ifstream f("/etc/os-release");
    std::string line;
    while (std::getline(f, line))
        if (line.rfind("PRETTY_NAME=", 0) == 0) {
            std::string v = line.substr(12);
            if (v.size() >= 2 && v.front() == '"') v = v.substr(1, v.size() - 2);
            return v;
        }
    return "Linux";
}

int64_t count(Db& db, const std::string& sql) {
    auto st = db.prepare(sql);
    if (!st.ok() || !st->step().ok()) return 0;
    return st->integer(0);
}

int cmd_info(Cli& cli, const Args& a) {
    Store* store = STORE_OR_FAIL(cli);
    utsname u{};
    uname(&u);
    struct sysinfo si{};
    sysinfo(&si);
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    int64_t containers = 0, running = 0, paused = 0;
    auto rows = all_containers(store->db());
    if (rows.ok())
        for (const auto& r : *rows) {
            std::string st = observe_state(*store, r).value("Status", "");
            ++containers;
            running += st == "running" || st == "restarting";
            paused += st == "paused";
        }
    int64_t stopped = containers - running - paused;
    int64_t images = count(store->db(), "SELECT COUNT(*) FROM images");
    CgroupLayout cg = detect_cgroups();
    std::string cgroup_version = cg.pure_v2() ? "2" : "1";
    Json info = Json::object();
    info["ID"] = store->meta("id").value();
    info["Containers"] = containers;
    info["ContainersRunning"] = running;
    info["ContainersPaused"] = paused;
    info["ContainersStopped"] = stopped;
    info["Images"] = images;
    info["Driver"] = store->driver().name();
    std::string backing = filesystem_type(store->root());
    info["DriverStatus"] = Json::array({Json::array({"Backing Filesystem", backing}),
                                         Json::array({"Reason", store->driver_reason()})});
    info["LoggingDriver"] = "json-file";
    info["CgroupDriver"] = "cgroupfs";
    info["CgroupVersion"] = cgroup_version;
    info["DefaultRuntime"] = "kouti";
    info["SecurityOptions"] = Json::array({"name=seccomp,profile=builtin"});
    info["KernelVersion"] = u.release;
    info["OperatingSystem"] = os_name();
    info["OSType"] = "linux";
    info["Architecture"] = u.machine;
    info["NCPU"] = sysconf(_SC_NPROCESSORS_ONLN);
    info["MemTotal"] = static_cast<int64_t>(si.totalram) * si.mem_unit;
    info["Name"] = host;
    info["ServerVersion"] = KOUTI_VERSION;
    info["DockerRootDir"] = store->root();
    info["Debug"] = cli.options.debug;
    if (a.has("format")) return write_formatted(cli, a.value("format"), info, "system.dockerInfo", "");
    std::string s;
    s += "Server:\n";
    s += " Containers: " + std::to_string(containers) + "\n";
    s += "  Running: " + std::to_string(running) + "\n  Paused: " + std::to_string(paused) + "\n  Stopped: " + std::to_string(stopped) + "\n";
    s += " Images: " + std::to_string(images) + "\n";
    s += " Server Version: " KOUTI_VERSION "\n";
    s += " Storage Driver: " + store->driver().name() + "\n";
    s += "  Backing Filesystem: " + backing + "\n";
    s += "  Reason: " + store->driver_reason() + "\n";
    s += " Logging Driver: json-file\n";
    s += " Cgroup Driver: cgroupfs\n";
    s += " Cgroup Version: " + cgroup_version + "\n";
    s += " Default Runtime: kouti\n";
    s += " Init Binary: kouti-init\n";
    s += " Security Options:\n  seccomp\n   Profile: builtin\n";
    s += " Kernel Version: " + std::string(u.release) + "\n";
    s += " Operating System: " + os_name() + "\n";
    s += " OSType: linux\n";
    s += " Architecture: " + std::string(u.machine) + "\n";
    s += " CPUs: " + std::to_string(sysconf(_SC_NPROCESSORS_ONLN)) + "\n";
    s += " Total Memory: " + human_binary_size(static_cast<double>(si.totalram) * si.mem_unit) + "\n";
    s += " Name: " + std::string(host) + "\n";
    s += " ID: " + info["ID"].get<std::string>() + "\n";
    s += " Kouti Root Dir: " + store->root() + "\n";
    s += std::string(" Debug Mode: ") + (cli.options.debug ? "true" : "false") + "\n";
    write_stdout(s);
    return 0;
}

int cmd_version(Cli& cli, const Args& a) {
    utsname u{};
    uname(&u);
    if (a.has("format")) {
        // The docker CLI parses version's template before anything else: status 64.
        if (auto parsed = Template::parse(a.value("format"), "version"); !parsed.ok()) {
            std::fprintf(stderr, "Error: template parsing error: %s\n", parsed.error().message.c_str());
            return 64;
        }
        // Docker's field names: one process is both client and engine.
        Json side = {{"Version", KOUTI_VERSION}, {"ApiVersion", "1.43"}, {"GitCommit", git_commit}, {"Os", "linux"},
                     {"Arch", host_architecture()}};
        Json server = side;
        server["KernelVersion"] = u.release;
        return write_formatted(cli, a.value("format"), Json{{"Client", std::move(side)}, {"Server", std::move(server)}},
                               "system.versionInfo", "version");
    }
    write_stdout(std::string("Client and Server (daemonless):\n") + " Version:           " KOUTI_VERSION "\n" +
                 " API version:       1.43\n" + " Git commit:        " + git_commit + "\n" +
                 " OS/Arch:           linux/" + host_architecture() + "\n" + " Kernel:            " + u.release + "\n");
    return 0;
}

int cmd_system_check(Cli& cli, const Args& a) {
    Store* store = STORE_OR_FAIL(cli);
    bool repair = a.flag("repair");
    auto report = store->check(repair);
    if (!report.ok()) return cli.fail(report.error());
    std::string verb = repair ? "removed " : "";
    std::string out;
    for (const auto& o : report->orphans) out += verb + "unreferenced: " + o + "\n";
    for (const auto& m : report->missing) out += "missing: " + m + "\n";
    for (const auto& b : report->broken_images) out += (repair ? "removed broken image: " : "broken image: ") + b + "\n";
    bool clean = report->orphans.empty() && report->missing.empty() && report->broken_images.empty();
    if (clean) out = "no problems found\n";
    write_stdout(out);
    return clean || repair ? 0 : 1;
}

} // namespace

Command info_command(const std::string& name) {
    return {name, "[OPTIONS]", "Display system-wide information", {kDocumentFormatFlag}, 0, 0, cmd_info};
}
Command version_command() {
    return {"version", "[OPTIONS]", "Show the kouti version information",
            {kDocumentFormatFlag}, 0, 0, cmd_version};
}
Command system_check_command() {
    return {"check", "[OPTIONS]",
            "Check the store for files its metadata does not account for (left by a crash)",
            {{"repair", 0, false, "", "Remove what the check finds"}}, 0, 0, cmd_system_check};
}

} // namespace kouti
