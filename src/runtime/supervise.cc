#include "runtime/supervise.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <memory>

#include "runtime/attach.h"
#include "sys/fs.h"

#include <sys/socket.h>
#include <vector>

namespace kouti {
namespace {

void copy_window_size(int master) {
    winsize ws{};
    if (::ioctl(0, TIOCGWINSZ, &ws) == 0) ::ioctl(master, TIOCSWINSZ, &ws);
}

int exit_code_of(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return 1;
}

class Supervisor {
public:
    Supervisor(pid_t init, const ContainerStreams& s, const SuperviseOptions& o) : m_init(init), m_s(s), m_o(o), m_keys(o.detach_keys) {}

    Result<SuperviseOutcome> run() {
        sigset_t handled;
        sigemptyset(&handled);
        sigaddset(&handled, SIGCHLD);
        if (m_o.forward_signals)
            for (int s : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2}) sigaddset(&handled, s);
        if (m_o.raw_terminal) sigaddset(&handled, SIGWINCH);
        sigset_t old;
        ::sigprocmask(SIG_BLOCK, &handled, &old);
        UniqueFd sfd(::signalfd(-1, &handled, SFD_CLOEXEC | SFD_NONBLOCK));
        std::unique_ptr<RawTerminal> raw;
        if (m_o.raw_terminal && m_s.tty_master >= 0) {
            raw = std::make_unique<RawTerminal>();
            copy_window_size(m_s.tty_master);
        }
        m_out = m_s.tty_master >= 0 ? m_s.tty_master : m_s.out;
        m_err = m_s.tty_master >= 0 ? -1 : m_s.err;
        m_in_dest = m_s.tty_master >= 0 ? m_s.tty_master : m_s.in;
        m_stdin = m_in_dest >= 0 ? m_o.stdin_fd : -1;
        SuperviseOutcome outcome;
        // A client already waiting (`start -a` connects before the container starts) gets all
        // of its output, even when the init has exited by now.
        accept_waiting_clients();
        reap(outcome);
        while (!m_exited) {
            std::vector<pollfd> fds = {{sfd.get(), POLLIN, 0}, {m_out, POLLIN, 0}, {m_err, POLLIN, 0}, {m_stdin, POLLIN, 0},
                                       {m_o.attach_listen, POLLIN, 0}};
            for (int c : m_clients) fds.push_back({c, POLLIN, 0});
            if (::poll(fds.data(), fds.size(), -1) < 0 && errno != EINTR) break;
            if (fds[0].revents & POLLIN) on_signals(sfd.get());
            if (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) copy_out(m_out, false);
            if (fds[2].revents & (POLLIN | POLLHUP | POLLERR)) copy_out(m_err, true);
            if (fds[3].revents & (POLLIN | POLLHUP | POLLERR)) {
                if (copy_in()) {
                    outcome.detached = true;
                    break;
                }
            }
            if (fds[4].revents & POLLIN) accept_client();
            for (size_t i = 5; i < fds.size(); ++i)
                if (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) from_client(fds[i].fd);
            reap(outcome);
        }
        accept_waiting_clients();
        if (!outcome.detached) drain();
        for (int c : m_clients) {
            (void)send_packet(c, 'x', std::to_string(outcome.exit_code));
            ::close(c);
        }
        m_clients.clear();
        if (m_o.log) m_o.log->flush();
        raw.reset();
        ::sigprocmask(SIG_SETMASK, &old, nullptr);
        return outcome;
    }

private:
    void reap(SuperviseOutcome& outcome) {
        while (true) {
            int status = 0;
            pid_t r = ::waitpid(m_o.reap_all ? -1 : m_init, &status, WNOHANG);
            if (r <= 0) return;
            if (r == m_init) {
                outcome.exit_code = exit_code_of(status);
                m_exited = true;
                if (!m_o.reap_all) return;
            }
        }
    }

    void on_signals(int sfd) {
        signalfd_siginfo si{};
        while (::read(sfd, &si, sizeof si) == sizeof si) {
            if (si.ssi_signo == SIGCHLD) continue;
            if (si.ssi_signo == SIGWINCH) {
                if (m_s.tty_master >= 0) copy_window_size(m_s.tty_master);
                continue;
            }
            ::kill(m_init, static_cast<int>(si.ssi_signo));
        }
    }

    // Returns false at end of stream.
    bool copy_out(int& fd, bool is_stderr) {
        char buf[16384];
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n <= 0) {
            if (n < 0 && (errno == EAGAIN || errno == EINTR)) return true;
            fd = -1; // EOF, or EIO from a terminal whose other side closed
            return false;
        }
        if (m_o.log) m_o.log->write(is_stderr, buf, static_cast<size_t>(n));
        for (int c : m_clients) (void)send_packet(c, is_stderr ? 'e' : 'o', std::string(buf, static_cast<size_t>(n)));
        int to = is_stderr ? m_o.err_fd : m_o.out_fd;
        if (to >= 0 && !write_all(to, buf, static_cast<size_t>(n)).ok()) {
            if (is_stderr) m_o.err_fd = -1;
            else m_o.out_fd = -1;
        }
        return true;
    }

    // Returns true when the detach keys were typed.
    bool copy_in() {
        char buf[4096];
        ssize_t n = ::read(m_stdin, buf, sizeof buf);
        if (n <= 0) {
            if (n < 0 && (errno == EAGAIN || errno == EINTR)) return false;
            m_stdin = -1;
            // End of our input closes the container's stdin (a terminal keeps its own).
            if (m_s.tty_master < 0 && m_in_dest >= 0) {
                ::close(m_in_dest);
                m_in_dest = -1;
            }
            return false;
        }
        std::string out;
        if (m_keys.feed(buf, static_cast<size_t>(n), out)) return true;
        if (!out.empty() && m_in_dest >= 0) (void)write_all(m_in_dest, out.data(), out.size());
        return false;
    }

    // After the init exited: what it wrote before is still in the pipe or terminal.
    void drain() {
        for (int round = 0; round < 100 && (m_out >= 0 || m_err >= 0); ++round) {
            pollfd fds[2] = {{m_out, POLLIN, 0}, {m_err, POLLIN, 0}};
            if (::poll(fds, 2, 20) <= 0) break;
            if (fds[0].revents) copy_out(m_out, false);
            if (fds[1].revents) copy_out(m_err, true);
        }
    }

    void accept_client() {
        int c = ::accept4(m_o.attach_listen, nullptr, nullptr, SOCK_CLOEXEC);
        if (c >= 0) m_clients.push_back(c);
    }

    void accept_waiting_clients() {
        if (m_o.attach_listen < 0) return;
        pollfd p{m_o.attach_listen, POLLIN, 0};
        while (::poll(&p, 1, 0) == 1 && (p.revents & POLLIN)) accept_client();
    }

    void drop_client(int fd) {
        ::close(fd);
        m_clients.erase(std::remove(m_clients.begin(), m_clients.end(), fd), m_clients.end());
    }

    void from_client(int fd) {
        char buf[8192];
        ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) return drop_client(fd); // detached
        std::string payload(buf + 1, static_cast<size_t>(n - 1));
        int in = m_s.tty_master >= 0 ? m_s.tty_master : m_in_dest;
        switch (buf[0]) {
        case 'd':
            if (in >= 0) (void)write_all(in, payload.data(), payload.size());
            break;
        case 'c':
            if (m_s.tty_master < 0 && m_in_dest >= 0) {
                ::close(m_in_dest);
                m_in_dest = -1;
            }
            break;
        case 'w':
            if (m_s.tty_master >= 0) {
                winsize ws{};
                unsigned rows = 0, cols = 0;
                if (std::sscanf(payload.c_str(), "%u %u", &rows, &cols) == 2) {
                    ws.ws_row = static_cast<unsigned short>(rows);
                    ws.ws_col = static_cast<unsigned short>(cols);
                    ::ioctl(m_s.tty_master, TIOCSWINSZ, &ws);
                }
            }
            break;
        }
    }

    std::vector<int> m_clients;
    pid_t m_init;
    ContainerStreams m_s;
    SuperviseOptions m_o;
    int m_out = -1, m_err = -1, m_in_dest = -1, m_stdin = -1;
    DetachKeys m_keys;
    bool m_exited = false;
};

} // namespace

struct RawTerminal::Saved {
    termios mode{};
};

RawTerminal::RawTerminal() {
    auto* saved = new Saved;
    if (!::isatty(0) || ::tcgetattr(0, &saved->mode) != 0) {
        delete saved;
        return;
    }
    termios raw = saved->mode;
    ::cfmakeraw(&raw);
    if (::tcsetattr(0, TCSANOW, &raw) == 0) m_saved = saved;
    else delete saved;
}

RawTerminal::~RawTerminal() {
    if (!m_saved) return;
    ::tcsetattr(0, TCSANOW, &m_saved->mode);
    delete m_saved;
}

bool DetachKeys::feed(const char* data, size_t n, std::string& out) {
    for (size_t i = 0; i < n; ++i) {
        char c = data[i];
        if (!m_keys.empty() && c == m_keys[m_matched]) {
            if (++m_matched == m_keys.size()) return true;
            continue;
        }
        if (m_matched) {
            out += m_keys.substr(0, m_matched);
            m_matched = 0;
            if (!m_keys.empty() && c == m_keys[0]) {
                m_matched = 1;
                continue;
            }
        }
        out += c;
    }
    return false;
}

Result<SuperviseOutcome> supervise(pid_t init, const ContainerStreams& streams, const SuperviseOptions& opts) {
    return Supervisor(init, streams, opts).run();
}

Result<std::string> parse_detach_keys(const std::string& spec) {
    std::string out;
    size_t start = 0;
    while (start <= spec.size() && !spec.empty()) {
        size_t comma = spec.find(',', start);
        std::string k = spec.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        start = comma == std::string::npos ? spec.size() + 1 : comma + 1;
        if (k.size() == 1) out += k[0];
        else if (k.rfind("ctrl-", 0) == 0 && k.size() == 6) {
            char c = k[5];
            if (c >= 'a' && c <= 'z') out += static_cast<char>(c - 'a' + 1);
            else if (c == '@') out += '\0';
            else if (c >= '[' && c <= '_') out += static_cast<char>(c - '[' + 27);
            else return Error::invalid("Unknown character: '" + k + "'");
        } else {
            return Error::invalid("Unknown character: '" + k + "'");
        }
    }
    return out;
}

} // namespace kouti
