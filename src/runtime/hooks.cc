#include "runtime/hooks.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sys/fs.h"
#include "util/humanize.h"

namespace kouti {

static Status run_hook(const Hook& h, const std::string& input, const std::string& stage) {
    int in[2];
    if (::pipe2(in, O_CLOEXEC) != 0) return Error::from_syscall("pipe");
    pid_t pid = ::fork();
    if (pid < 0) return Error::from_syscall("fork hook");
    if (pid == 0) {
        ::dup2(in[0], 0);
        std::vector<std::string> args = h.args.empty() ? std::vector<std::string>{h.path} : h.args;
        std::vector<char*> argv, envp;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        std::vector<std::string> env = h.env;
        for (auto& e : env) envp.push_back(e.data());
        envp.push_back(nullptr);
        ::execve(h.path.c_str(), argv.data(), envp.data());
        ::_exit(127);
    }
    ::close(in[0]);
    (void)write_all(in[1], input.data(), input.size());
    ::close(in[1]);
    int64_t deadline = h.timeout ? now_nanos() + static_cast<int64_t>(*h.timeout) * 1000000000 : 0;
    int status = 0;
    while (true) {
        pid_t r = ::waitpid(pid, &status, deadline ? WNOHANG : 0);
        if (r == pid) break;
        if (r < 0 && errno != EINTR) return Error::from_syscall("wait for hook");
        if (deadline && now_nanos() > deadline) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            return Error::invalid(stage + " hook " + h.path + " timed out after " + std::to_string(*h.timeout) + "s");
        }
        if (deadline) ::usleep(2000);
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return ok();
    return Error::invalid(stage + " hook " + h.path + " failed with " +
                          (WIFEXITED(status) ? "exit status " + std::to_string(WEXITSTATUS(status))
                                             : "signal " + std::to_string(WTERMSIG(status))));
}

Status run_hooks(const std::vector<Hook>& hooks, const Json& state, const std::string& stage) {
    std::string input = state.dump();
    for (const auto& h : hooks) TRY(run_hook(h, input, stage));
    return ok();
}

} // namespace kouti
