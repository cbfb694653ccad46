// `kouti oci ...`: runc's command line over src/runtime, so containerd can use kouti as its
// runtime. Also what the binary does when started under another name (e.g. kouti-runc).
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

#include "cli/args.h"
#include "cli/oci_main.h"
#include "cli/output.h"
#include "runtime/container.h"
#include "runtime/spec.h"
#include "sys/fs.h"
#include "util/humanize.h"
#include "util/numbers.h"
#include "util/version.h"

namespace kouti {
namespace {

struct OciContext {
    RuntimeOptions rt;
    std::string log_path, log_format = "text";
    bool debug = false;
};

// Errors go to stderr and, as runc does, to --log (containerd's shim reads them from there).
int oci_fail(const OciContext& ctx, const Error& e) {
    std::fprintf(stderr, "kouti: %s\n", e.message.c_str());
    if (!ctx.log_path.empty()) {
        std::string line;
        if (ctx.log_format == "json") line = Json{{"level", "error"}, {"msg", e.message}, {"time", rfc3339_nano(now_nanos())}}.dump() + "\n";
        else line = "time=\"" + rfc3339_nano(now_nanos()) + "\" level=error msg=\"" + e.message + "\"\n";
        auto fd = open_file(ctx.log_path, O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (fd.ok()) (void)write_all(fd->get(), line.data(), line.size());
    }
    return 1;
}

using Handler = int (*)(OciContext&, const Args&);
struct OciCommand {
    const char* name;
    const char* usage;
    std::vector<FlagSpec> flags;
    int min_args, max_args;
    Handler run;
};

Created last_created;

int do_create(OciContext& ctx, const Args& a, bool terminal_to_caller) {
    CreateOptions o;
    o.id = a.positional[0];
    o.bundle = a.value("bundle", ".");
    o.pid_file = a.value("pid-file");
    o.console_socket = a.value("console-socket");
    o.no_pivot = a.flag("no-pivot");
    o.preserve_fds = std::atoi(a.value("preserve-fds", "0").c_str());
    o.terminal_to_caller = terminal_to_caller && o.console_socket.empty();
    auto c = create_container(ctx.rt, o);
    if (!c.ok()) return oci_fail(ctx, c.error());
    last_created = *c;
    return 0;
}

int cmd_create(OciContext& ctx, const Args& a) { return do_create(ctx, a, false); }

int cmd_start(OciContext& ctx, const Args& a) {
    auto st = start_container(ctx.rt, a.positional[0]);
    return st.ok() ? 0 : oci_fail(ctx, st.error());
}

int cmd_run(OciContext& ctx, const Args& a) {
    bool detach = a.flag("detach");
    if (int rc = do_create(ctx, a, !detach)) return rc;
    std::string id = a.positional[0];
    auto st = start_container(ctx.rt, id);
    if (!st.ok()) {
        (void)delete_container(ctx.rt, id, true);
        return oci_fail(ctx, st.error());
    }
    if (detach) return 0;
    auto code = wait_with_terminal(last_created.pid, last_created.pty_master);
    if (container_oom_killed(ctx.rt, id)) std::fprintf(stderr, "kouti: container %s was killed by the OOM killer\n", id.c_str());
    (void)delete_container(ctx.rt, id, true);
    if (!code.ok()) return oci_fail(ctx, code.error());
    return *code;
}

int cmd_state(OciContext& ctx, const Args& a) {
    auto s = container_state(ctx.rt, a.positional[0]);
    if (!s.ok()) return oci_fail(ctx, s.error());
    write_stdout(s->to_json().dump(2) + "\n");
    return 0;
}

int cmd_kill(OciContext& ctx, const Args& a) {
    auto sig = parse_signal(a.positional.size() > 1 ? a.positional[1] : "SIGTERM");
    if (!sig.ok()) return oci_fail(ctx, sig.error());
    auto st = kill_container(ctx.rt, a.positional[0], *sig, a.flag("all"));
    return st.ok() ? 0 : oci_fail(ctx, st.error());
}

int cmd_delete(OciContext& ctx, const Args& a) {
    auto st = delete_container(ctx.rt, a.positional[0], a.flag("force"));
    if (!st.ok() && a.flag("force") && st.error().kind == ErrorKind::NotFound) return 0;
    return st.ok() ? 0 : oci_fail(ctx, st.error());
}

int cmd_pause(OciContext& ctx, const Args& a) {
    auto st = pause_container(ctx.rt, a.positional[0], true);
    return st.ok() ? 0 : oci_fail(ctx, st.error());
}

int cmd_resume(OciContext& ctx, const Args& a) {
    auto st = pause_container(ctx.rt, a.positional[0], false);
    return st.ok() ? 0 : oci_fail(ctx, st.error());
}

int cmd_ps(OciContext& ctx, const Args& a) {
    auto pids = container_processes(ctx.rt, a.positional[0]);
    if (!pids.ok()) return oci_fail(ctx, pids.error());
    if (a.value("format") == "json") {
        write_stdout(Json(*pids).dump() + "\n");
        return 0;
    }
    std::string out = "PID\tCMD\n";
    for (pid_t p : *pids) {
        auto cmd = read_file("/proc/" + std::to_string(p) + "/cmdline");
        std::string c = cmd.ok() ? *cmd : "";
        for (auto& ch : c)
            if (ch == '\0') ch = ' ';
        out += std::to_string(p) + "\t" + c + "\n";
    }
    write_stdout(tabwrite(out));
    return 0;
}

int cmd_list(OciContext& ctx, const Args& a) {
    auto list = list_containers(ctx.rt);
    if (!list.ok()) return oci_fail(ctx, list.error());
    if (a.flag("quiet")) {
        for (const auto& c : *list) write_stdout(c.id + "\n");
        return 0;
    }
    if (a.value("format") == "json") {
        Json arr = Json::array();
        for (const auto& c : *list) arr.push_back(c.to_json());
        write_stdout(arr.dump() + "\n");
        return 0;
    }
    std::string out = "ID\tPID\tSTATUS\tBUNDLE\tCREATED\tOWNER\n";
    for (const auto& c : *list)
        out += c.id + "\t" + std::to_string(c.status == "stopped" ? 0 : c.pid) + "\t" + c.status + "\t" + c.bundle + "\t" + c.created + "\troot\n";
    write_stdout(tabwrite(out));
    return 0;
}

int cmd_spec(OciContext& ctx, const Args& a) {
    std::string bundle = a.value("bundle", ".");
    std::string path = bundle + "/config.json";
    if (path_exists(path)) return oci_fail(ctx, Error::conflict("File " + path + " exists. Remove it first"));
    auto st = write_file_atomic(path, default_spec(a.flag("rootless")).dump(4) + "\n");
    return st.ok() ? 0 : oci_fail(ctx, st.error());
}

int cmd_exec(OciContext& ctx, const Args& a) {
    ExecOptions o;
    o.console_socket = a.value("console-socket");
    o.pid_file = a.value("pid-file");
    o.detach = a.flag("detach");
    o.preserve_fds = std::atoi(a.value("preserve-fds", "0").c_str());
    if (a.has("process")) {
        auto text = read_file(a.value("process"));
        if (!text.ok()) return oci_fail(ctx, text.error());
        o.process = Json::parse(*text, nullptr, false);
        if (!o.process.is_object()) return oci_fail(ctx, Error::invalid("--process: not a JSON object"));
    } else {
        if (a.positional.size() < 2) return oci_fail(ctx, Error::usage("exec: no command given"));
        o.process = Json::object();
        o.process["args"] = std::vector<std::string>(a.positional.begin() + 1, a.positional.end());
        o.process["terminal"] = a.flag("tty");
        if (a.has("cwd")) o.process["cwd"] = a.value("cwd");
        if (a.has("user")) {
            std::string u = a.value("user");
            auto colon = u.find(':');
            auto uid = parse_number<uint32_t>(u.substr(0, colon));
            auto gid = colon == std::string::npos ? std::optional<uint32_t>(0) : parse_number<uint32_t>(u.substr(colon + 1));
            if (!uid || !gid) return oci_fail(ctx, Error::usage("invalid --user " + u + ": want uid[:gid], as numbers"));
            o.process["user"] = Json{{"uid", *uid}, {"gid", *gid}};
        }
        if (a.flag("no-new-privs")) o.process["noNewPrivileges"] = true;
    }
    // --env adds to the container's environment; --cap adds to its capabilities.
    auto state = container_state(ctx.rt, a.positional[0]);
    if (!state.ok()) return oci_fail(ctx, state.error());
    auto base = read_file(state->bundle + "/config.json");
    Json cfg = base.ok() ? Json::parse(*base, nullptr, false) : Json::object();
    if (a.has("env")) {
        Json env = o.process.contains("env") ? o.process["env"] : cfg["process"].value("env", Json::array());
        for (const auto& e : a.values("env")) env.push_back(e);
        o.process["env"] = env;
    }
    if (a.has("cap")) {
        Json caps = cfg["process"].value("capabilities", Json::object());
        for (const char* set : {"bounding", "effective", "permitted"})
            for (const auto& c : a.values("cap")) caps[set].push_back(c);
        o.process["capabilities"] = caps;
    }
    auto code = exec_in_container(ctx.rt, a.positional[0], o);
    if (!code.ok()) return oci_fail(ctx, code.error());
    return *code;
}

int cmd_features(OciContext&, const Args&) {
    Json caps = Json::array();
    for (int c = 0; c <= last_capability(); ++c) caps.push_back(capability_name(c));
    Json f = {
        {"ociVersionMin", "1.0.0"},
        {"ociVersionMax", "1.1.0"},
        {"hooks", {"prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"}},
        {"mountOptions", {"async", "atime", "bind", "defaults", "dev", "diratime", "dirsync", "exec", "mand", "noatime", "nodev",
                          "nodiratime", "noexec", "nomand", "norelatime", "nostrictatime", "nosuid", "private", "rbind", "relatime",
                          "remount", "ro", "rprivate", "rshared", "rslave", "runbindable", "rw", "shared", "slave", "strictatime",
                          "suid", "sync", "unbindable"}},
        {"linux",
         {{"namespaces", {"cgroup", "ipc", "mount", "network", "pid", "user", "uts", "time"}},
          {"capabilities", caps},
          {"cgroup", {{"v1", true}, {"v2", true}, {"systemd", false}, {"systemdUser", false}}},
          {"seccomp",
           {{"enabled", true},
            {"actions", {"SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD",
                         "SCMP_ACT_LOG", "SCMP_ACT_TRACE", "SCMP_ACT_TRAP"}},
            {"operators", {"SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_LE", "SCMP_CMP_LT", "SCMP_CMP_MASKED_EQ", "SCMP_CMP_NE"}},
            {"archs", {"SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32"}}}},
          {"apparmor", {{"enabled", false}}},
          {"selinux", {{"enabled", false}}}}},
        {"annotations", {{"org.kouti.version", KOUTI_VERSION}}},
    };
    write_stdout(f.dump(4) + "\n");
    return 0;
}

const std::vector<OciCommand>& oci_commands() {
    static const FlagSpec bundle{"bundle", 'b', true, "path", "path to the root of the bundle directory"};
    static const FlagSpec pid_file{"pid-file", 0, true, "path", "file to write the process id to"};
    static const FlagSpec console{"console-socket", 0, true, "path", "unix socket that receives the pty master"};
    static const FlagSpec no_pivot{"no-pivot", 0, false, "", "do not use pivot root to jail process inside rootfs"};
    static const FlagSpec no_keyring{"no-new-keyring", 0, false, "", "do not create a new session keyring"};
    static const FlagSpec preserve{"preserve-fds", 0, true, "int", "pass N additional file descriptors to the container"};
    static const std::vector<OciCommand> cmds = {
        {"create", "create [command options] <container-id>", {bundle, console, pid_file, no_pivot, no_keyring, preserve}, 1, 1, cmd_create},
        {"start", "start <container-id>", {}, 1, 1, cmd_start},
        {"run", "run [command options] <container-id>",
         {bundle, console, pid_file, no_pivot, no_keyring, preserve, {"detach", 'd', false, "", "detach from the container's process"},
          {"keep", 0, false, "", "do not delete the container after it exits"}},
         1, 1, cmd_run},
        {"state", "state <container-id>", {}, 1, 1, cmd_state},
        {"kill", "kill [command options] <container-id> [signal]", {{"all", 'a', false, "", "send the signal to all processes"}}, 1, 2, cmd_kill},
        {"delete", "delete [command options] <container-id>", {{"force", 'f', false, "", "forcibly delete a running container"}}, 1, 1, cmd_delete},
        {"exec", "exec [command options] <container-id> <command> [command options]",
         {console, pid_file, preserve,
          {"process", 'p', true, "path", "path to the process.json"},
          {"tty", 't', false, "", "allocate a pseudo-TTY"},
          {"detach", 'd', false, "", "detach from the container's process"},
          {"cwd", 0, true, "path", "current working directory in the container"},
          {"env", 'e', true, "value", "set environment variables"},
          {"user", 'u', true, "uid[:gid]", "UID (format: <uid>[:<gid>])"},
          {"cap", 'c', true, "value", "add a capability to the bounding set for the process"},
          {"no-new-privs", 0, false, "", "set the no new privileges value for the process"}},
         1, -1, cmd_exec},
        {"ps", "ps [command options] <container-id>", {{"format", 'f', true, "string", "select one of: table or json"}}, 1, 1, cmd_ps},
        {"pause", "pause <container-id>", {}, 1, 1, cmd_pause},
        {"resume", "resume <container-id>", {}, 1, 1, cmd_resume},
        {"list", "list [command options]", {{"format", 'f', true, "string", "select one of: table or json"}, {"quiet", 'q', false, "", "display only container IDs"}}, 0, 0, cmd_list},
        {"spec", "spec [command options]", {bundle, {"rootless", 0, false, "", "generate a configuration for a rootless container"}}, 0, 0, cmd_spec},
        {"features", "features", {}, 0, 0, cmd_features},
    };
    return cmds;
}

} // namespace

int oci_main(const std::string& program, const std::vector<std::string>& argv) {
    OciContext ctx;
    size_t i = 0;
    auto value = [&](const std::string& a, const std::string& name, std::string& out) {
        if (a == name && i + 1 < argv.size()) {
            out = argv[++i];
            return true;
        }
        if (a.rfind(name + "=", 0) == 0) {
            out = a.substr(name.size() + 1);
            return true;
        }
        return false;
    };
    for (; i < argv.size() && argv[i].size() > 1 && argv[i][0] == '-'; ++i) {
        const std::string& a = argv[i];
        std::string ignored;
        if (value(a, "--root", ctx.rt.root) || value(a, "--log", ctx.log_path) || value(a, "--log-format", ctx.log_format) ||
            value(a, "--criu", ignored) || value(a, "--rootless", ignored))
            continue;
        if (a == "--debug") ctx.debug = true;
        else if (a == "--systemd-cgroup") ctx.rt.systemd_cgroup = true;
        else if (a == "-v" || a == "--version") {
            std::printf("%s version %s\ncommit: %s\nspec: 1.1.0\n", program.c_str(), KOUTI_VERSION, git_commit);
            return 0;
        } else if (a == "-h" || a == "--help") {
            break;
        } else {
            return oci_fail(ctx, Error::usage("unknown global flag " + a));
        }
    }
    if (i >= argv.size() || argv[i] == "-h" || argv[i] == "--help" || argv[i] == "help") {
        std::printf("\nUsage:  %s [global options] COMMAND [command options] <container-id>\n\nA runc-compatible OCI runtime.\n\nCommands:\n",
                    program.c_str());
        for (const auto& c : oci_commands()) std::printf("  %s\n", c.usage);
        return 0;
    }
    std::string name = argv[i++];
    for (const auto& c : oci_commands()) {
        if (name != c.name) continue;
        std::vector<std::string> rest(argv.begin() + static_cast<long>(i), argv.end());
        auto args = parse_args(c.flags, rest, name == "exec");
        if (!args.ok()) return oci_fail(ctx, args.error());
        int n = static_cast<int>(args->positional.size());
        if (n < c.min_args || (c.max_args >= 0 && n > c.max_args)) {
            if (c.min_args > 0 && n == 0) return oci_fail(ctx, Error::usage("container id cannot be empty"));
            return oci_fail(ctx, Error::usage(std::string("wrong number of arguments for \"") + c.name + "\"; usage: " + c.usage));
        }
        return c.run(ctx, *args);
    }
    return oci_fail(ctx, Error::usage("unknown command \"" + name + "\""));
}

} // namespace kouti
