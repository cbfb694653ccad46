#pragma once
// A helper thread that runs on another CPU than the thread that starts it.
//
// The scheduler queues a new thread on its creator's CPU even while another CPU idles (it judges
// by recent load); the thread then either preempts its creator or waits behind it for
// milliseconds: `run`'s helpers took turns with the main thread instead of running beside it
// (perf sched). This one is created already restricted to the other CPUs, so the kernel moves it
// to one before it runs. Only for short-lived helpers started when the other CPUs are likely
// free: the restriction stays with the thread. It runs with every signal blocked. Joined on
// destruction, like std::jthread.
#include <pthread.h>

#include <functional>
#include <memory>

namespace kouti {

class ThreadBeside {
public:
    ThreadBeside() = default;
    explicit ThreadBeside(std::function<void()> fn);
    ~ThreadBeside() { join(); }
    ThreadBeside(ThreadBeside&& other) noexcept;
    ThreadBeside& operator=(ThreadBeside&& other) noexcept;
    ThreadBeside(const ThreadBeside&) = delete;
    ThreadBeside& operator=(const ThreadBeside&) = delete;

    void join();
    bool running() const { return m_running; }

private:
    pthread_t m_thread{};
    bool m_running = false;
};

} // namespace kouti
