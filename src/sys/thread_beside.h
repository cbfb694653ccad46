#pragma once
// A helper thread that starts on another CPU than the one creating it.
//
// The scheduler queues a new thread on its creator's CPU even while another CPU idles (it judges
// by recent load) and then lets the creator run on for milliseconds before the thread's turn:
// `run`'s helpers then took turns with the main thread instead of running beside it (perf sched).
// Restricted to the other CPUs before it first runs, the thread is moved to one at once. Only for
// short-lived helpers started when the other CPUs are likely free: the restriction stays with
// the thread.
#include <pthread.h>

#include <thread>
#include <utility>

namespace kouti {

void keep_off_current_cpu(pthread_t thread);

template <class F> std::jthread thread_beside(F&& fn) {
    std::jthread thread(std::forward<F>(fn));
    keep_off_current_cpu(thread.native_handle());
    return thread;
}

} // namespace kouti
