#pragma once
// Attaching to a container watched by its monitor: a SOCK_SEQPACKET unix socket
// <run_dir>/attach.sock. Each packet is one type byte and a payload:
//   client -> monitor: 'd' bytes for the container's stdin, 'c' close its stdin,
//                      'w' window size "ROWS COLS"
//   monitor -> client: 'o' stdout bytes, 'e' stderr bytes, 'x' the exit code as text
// The monitor keeps logging while clients come and go; a client detaches by leaving.
#include <string>

#include "sys/fd.h"
#include "util/result.h"

namespace kouti {

inline constexpr const char* kAttachSocket = "attach.sock";

// Binds and listens on <dir>/attach.sock (through the directory's fd, so long paths work).
Result<UniqueFd> listen_attach(const std::string& dir);
Result<UniqueFd> connect_attach(const std::string& dir);
Status send_packet(int fd, char type, const std::string& payload);

struct AttachSession {
    bool tty = false;          // our terminal goes raw and its size follows ours
    bool send_stdin = false;   // -i: what we read is the container's input
    std::string detach_keys;   // bytes, with a terminal only
    pid_t signal_target = -1;  // --sig-proxy without a terminal: signals we get go there
};
struct AttachResult {
    bool detached = false;
    bool monitor_gone = false; // the monitor closed the socket without an exit code
    int exit_code = 0;
};
// The client side: copies between our stdio and the monitor until the container exits or the
// user detaches.
Result<AttachResult> run_attach_session(int sock, const AttachSession& s);

} // namespace kouti
