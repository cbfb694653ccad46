#include "sys/thread_beside.h"

#include <sched.h>
#include <signal.h>

#include <cstdlib>
#include <utility>

namespace kouti {

static void* run_function(void* arg) {
    std::unique_ptr<std::function<void()>> fn(static_cast<std::function<void()>*>(arg));
    (*fn)();
    return nullptr;
}

ThreadBeside::ThreadBeside(std::function<void()> fn) {
    auto* heap_fn = new std::function<void()>(std::move(fn));
    pthread_attr_t attr;
    ::pthread_attr_init(&attr);
    int here = ::sched_getcpu();
    cpu_set_t others;
    if (here >= 0 && here < CPU_SETSIZE && ::sched_getaffinity(0, sizeof others, &others) == 0 && CPU_ISSET(here, &others) &&
        CPU_COUNT(&others) >= 2) {
        CPU_CLR(here, &others);
        ::pthread_attr_setaffinity_np(&attr, sizeof others, &others);
    }
    // Born with every signal blocked: they stay with the thread that waits for them (`run`'s
    // signalfd for SIGCHLD); one delivered here would be lost.
    sigset_t all, previous;
    ::sigfillset(&all);
    ::pthread_sigmask(SIG_SETMASK, &all, &previous);
    int rc = ::pthread_create(&m_thread, &attr, run_function, heap_fn);
    ::pthread_attr_destroy(&attr);
    if (rc != 0) rc = ::pthread_create(&m_thread, nullptr, run_function, heap_fn); // without the placement
    ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    if (rc != 0) std::abort(); // as std::thread would throw: out of threads is not recoverable here
    m_running = true;
}

ThreadBeside::ThreadBeside(ThreadBeside&& other) noexcept
    : m_thread(other.m_thread), m_running(std::exchange(other.m_running, false)) {}

ThreadBeside& ThreadBeside::operator=(ThreadBeside&& other) noexcept {
    if (this != &other) {
        join();
        m_thread = other.m_thread;
        m_running = std::exchange(other.m_running, false);
    }
    return *this;
}

void ThreadBeside::join() {
    if (!m_running) return;
    ::pthread_join(m_thread, nullptr);
    m_running = false;
}

} // namespace kouti
