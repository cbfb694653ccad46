#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "runtime/container.h"
#include "runtime/supervise.h"
#include "sys/fs.h"

namespace kouti {
namespace {

void copy_window_size(int master) {
    winsize ws{};
    if (::ioctl(0, TIOCGWINSZ, &ws) == 0) ::ioctl(master, TIOCSWINSZ, &ws);
}

bool pump(int from, int to) {
    char buf[8192];
    ssize_t n = ::read(from, buf, sizeof buf);
    if (n <= 0) return false;
    return write_all(to, buf, static_cast<size_t>(n)).ok();
}

} // namespace

Result<int> wait_with_terminal(pid_t pid, int master, const std::string& detach_keys) {
    sigset_t forwarded;
    sigemptyset(&forwarded);
    for (int s : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH, SIGCHLD}) sigaddset(&forwarded, s);
    sigset_t old;
    ::sigprocmask(SIG_BLOCK, &forwarded, &old);
    UniqueFd sfd(::signalfd(-1, &forwarded, SFD_CLOEXEC));
    std::unique_ptr<RawTerminal> raw;
    if (master >= 0) {
        raw = std::make_unique<RawTerminal>();
        copy_window_size(master);
    }
    int status = 0;
    bool stdin_open = master >= 0;
    DetachKeys keys(detach_keys);
    while (true) {
        pid_t r = ::waitpid(pid, &status, WNOHANG);
        if (r == pid) break;
        pollfd fds[3] = {{sfd.get(), POLLIN, 0}, {master, POLLIN, 0}, {stdin_open ? 0 : -1, POLLIN, 0}};
        if (::poll(fds, 3, -1) < 0 && errno != EINTR) break;
        if (fds[0].revents & POLLIN) {
            signalfd_siginfo si{};
            if (::read(sfd.get(), &si, sizeof si) == sizeof si && si.ssi_signo != SIGCHLD) {
                if (si.ssi_signo == SIGWINCH && master >= 0) copy_window_size(master);
                else ::kill(pid, static_cast<int>(si.ssi_signo));
            }
        }
        if (master >= 0 && (fds[1].revents & (POLLIN | POLLHUP))) {
            if (!pump(master, 1) && (fds[1].revents & POLLHUP)) {
                // The terminal closed: the process is exiting; wait for it.
                ::waitpid(pid, &status, 0);
                break;
            }
        }
        if (stdin_open && (fds[2].revents & (POLLIN | POLLHUP))) {
            char buf[8192];
            ssize_t n = ::read(0, buf, sizeof buf);
            std::string typed;
            bool detach = n > 0 && keys.feed(buf, static_cast<size_t>(n), typed);
            if (n <= 0 || !write_all(master, typed.data(), typed.size()).ok()) stdin_open = false;
            if (detach) {
                raw.reset();
                ::sigprocmask(SIG_SETMASK, &old, nullptr);
                return kDetached; // the process goes on; `master` is the caller's to hold
            }
        }
    }
    if (master >= 0) ::close(master);
    raw.reset();
    ::sigprocmask(SIG_SETMASK, &old, nullptr);
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return 1;
}

} // namespace kouti
