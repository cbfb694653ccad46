#include "runtime/attach.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <termios.h>

#include <cstring>
#include <memory>

#include "runtime/supervise.h"
#include "sys/fs.h"

namespace kouti {
namespace {

// sun_path holds 108 bytes; /proc/self/fd/N/name is short whatever the directory's path.
Result<sockaddr_un> address(const UniqueFd& dir) {
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::string p = "/proc/self/fd/" + std::to_string(dir.get()) + "/" + kAttachSocket;
    std::strncpy(a.sun_path, p.c_str(), sizeof a.sun_path - 1);
    return a;
}

} // namespace

Result<UniqueFd> listen_attach(const std::string& dir) {
    UniqueFd d(::open(dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!d.valid()) return Error::from_syscall("open " + dir);
    ::unlinkat(d.get(), kAttachSocket, 0);
    UniqueFd s(::socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0));
    if (!s.valid()) return Error::from_syscall("socket");
    auto a = TRY(address(d));
    if (::bind(s.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) return Error::from_syscall("bind attach socket");
    if (::listen(s.get(), 8) != 0) return Error::from_syscall("listen");
    return s;
}

Result<UniqueFd> connect_attach(const std::string& dir) {
    UniqueFd d(::open(dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!d.valid()) return Error::from_syscall("open " + dir);
    UniqueFd s(::socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0));
    if (!s.valid()) return Error::from_syscall("socket");
    auto a = TRY(address(d));
    if (::connect(s.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) return Error::from_syscall("connect to the container's monitor");
    return s;
}

Status send_packet(int fd, char type, const std::string& payload) {
    std::string p(1, type);
    p += payload;
    if (::send(fd, p.data(), p.size(), MSG_NOSIGNAL) < 0) return Error::from_syscall("send");
    return ok();
}

namespace {

void send_window_size(int sock) {
    winsize ws{};
    if (::ioctl(0, TIOCGWINSZ, &ws) == 0) (void)send_packet(sock, 'w', std::to_string(ws.ws_row) + " " + std::to_string(ws.ws_col));
}

} // namespace

Result<AttachResult> run_attach_session(int sock, const AttachSession& s) {
    sigset_t handled, old;
    sigemptyset(&handled);
    if (s.tty) sigaddset(&handled, SIGWINCH);
    if (s.signal_target > 0)
        for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2}) sigaddset(&handled, sig);
    ::sigprocmask(SIG_BLOCK, &handled, &old);
    UniqueFd sfd(::signalfd(-1, &handled, SFD_CLOEXEC | SFD_NONBLOCK));
    std::unique_ptr<RawTerminal> raw;
    if (s.tty && s.send_stdin) raw = std::make_unique<RawTerminal>();
    if (s.tty) send_window_size(sock);
    DetachKeys keys(s.tty ? s.detach_keys : "");
    AttachResult result;
    int in = s.send_stdin ? 0 : -1;
    bool done = false;
    while (!done) {
        pollfd fds[3] = {{sock, POLLIN, 0}, {in, POLLIN, 0}, {sfd.get(), POLLIN, 0}};
        if (::poll(fds, 3, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (fds[2].revents & POLLIN) {
            signalfd_siginfo si{};
            while (::read(sfd.get(), &si, sizeof si) == sizeof si) {
                if (si.ssi_signo == SIGWINCH) send_window_size(sock);
                else if (s.signal_target > 0) ::kill(s.signal_target, static_cast<int>(si.ssi_signo));
            }
        }
        if (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) {
            char buf[4096];
            ssize_t n = ::read(0, buf, sizeof buf);
            if (n <= 0) {
                in = -1;
                if (!s.tty) (void)send_packet(sock, 'c', "");
            } else {
                std::string out;
                bool detach = keys.feed(buf, static_cast<size_t>(n), out);
                if (!out.empty()) (void)send_packet(sock, 'd', out);
                if (detach) {
                    result.detached = true;
                    break;
                }
            }
        }
        if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            char buf[65536];
            ssize_t n = ::recv(sock, buf, sizeof buf, 0);
            if (n <= 0) {
                result.monitor_gone = true;
                break;
            }
            switch (buf[0]) {
            case 'o': (void)write_all(1, buf + 1, static_cast<size_t>(n - 1)); break;
            case 'e': (void)write_all(2, buf + 1, static_cast<size_t>(n - 1)); break;
            case 'x':
                result.exit_code = std::atoi(std::string(buf + 1, static_cast<size_t>(n - 1)).c_str());
                done = true;
                break;
            }
        }
    }
    raw.reset();
    ::sigprocmask(SIG_SETMASK, &old, nullptr);
    return result;
}

} // namespace kouti
