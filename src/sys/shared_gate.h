#pragma once
// A one-shot gate between a thread of ours and a child that shares our memory (sys/spawn.h's
// `run`): the child waits until the thread opens it, and learns whether its work succeeded.
// A futex on the shared word, which both sides see (one mm); neither a mutex nor a condition
// variable is meant to be shared with another process.
#include <atomic>
#include <cstdint>

namespace kouti {

class SharedGate {
public:
    void open(bool succeeded); // and wake the waiter
    bool wait();               // until opened: whether the work succeeded

private:
    std::atomic<uint32_t> m_state{0}; // 0: closed, 1: succeeded, 2: failed
};

} // namespace kouti
