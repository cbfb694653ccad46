#pragma once
// Watching a container's init from its parent: copies its output to our stdio and/or a json-file
// log, feeds it our stdin, forwards signals, follows the window size, and returns when the init
// exits (or the user types the detach keys). `kouti run` in the foreground and the detached
// monitor both use it.
#include <sys/types.h>

#include <string>

#include "runtime/json_log.h"
#include "util/result.h"

namespace kouti {

struct ContainerStreams {
    int tty_master = -1;      // the container has a terminal: all I/O goes through it
    int out = -1, err = -1;   // otherwise: read ends of its stdout and stderr pipes
    int in = -1;              // otherwise: write end of its stdin pipe (-1: no stdin)
};

struct SuperviseOptions {
    bool forward_signals = false; // --sig-proxy: what we receive goes to the init
    bool raw_terminal = false;    // put our terminal (fd 0) in raw mode and follow its size
    int stdin_fd = -1;            // copied into the container; -1: none
    int out_fd = -1, err_fd = -1; // where the container's output is copied; -1: nowhere
    JsonLog* log = nullptr;
    std::string detach_keys;      // bytes that detach ("\x10\x11" is Ctrl-P Ctrl-Q); empty: none
    bool reap_all = false;        // a subreaper: reap every child, not only the init
    int attach_listen = -1;       // the monitor's attach socket (see attach.h); -1: none
};

struct SuperviseOutcome {
    bool detached = false;
    int exit_code = 0; // the init's, or 128 + signal
};

Result<SuperviseOutcome> supervise(pid_t init, const ContainerStreams& streams, const SuperviseOptions& opts);

// Finds the detach key sequence in typed input; what is not part of it passes through.
class DetachKeys {
public:
    explicit DetachKeys(std::string keys) : m_keys(std::move(keys)) {}
    // Appends the bytes to forward to `out`; true once the whole sequence was typed.
    bool feed(const char* data, size_t n, std::string& out);

private:
    std::string m_keys;
    size_t m_matched = 0;
};

// Puts our terminal (fd 0) in raw mode for the life of the object, when it is one.
class RawTerminal {
public:
    RawTerminal();
    ~RawTerminal();
    RawTerminal(const RawTerminal&) = delete;

private:
    struct Saved;
    Saved* m_saved = nullptr;
};

// "ctrl-p,ctrl-q" -> "\x10\x11"; Docker's --detach-keys syntax.
Result<std::string> parse_detach_keys(const std::string& spec);

} // namespace kouti
