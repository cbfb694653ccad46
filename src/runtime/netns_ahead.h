#pragma once
// A container's new network namespace, made ahead on a thread of its own while `run` does its
// store work, instead of by the clone of the init: making one (and bringing its loopback up)
// is 0.3-0.4 ms of kernel work that otherwise sits on the path from clone to exec.
#include "sys/fd.h"
#include "sys/thread_beside.h"
#include "util/result.h"

namespace kouti {

// A new network namespace has its loopback down; every container engine brings it up.
Status loopback_up();

class NetnsAhead {
public:
    NetnsAhead();  // starts making it
    ~NetnsAhead(); // waits for the thread; an untaken namespace goes with its fd
    NetnsAhead(const NetnsAhead&) = delete;
    NetnsAhead& operator=(const NetnsAhead&) = delete;
    // Waits until it is made: its fd (open O_RDONLY, for setns).
    Result<UniqueFd> take();

private:
    ThreadBeside m_thread;
    Status m_status = ok();
    UniqueFd m_fd;
};

} // namespace kouti
