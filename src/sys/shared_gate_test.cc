#include "sys/shared_gate.h"

#include <gtest/gtest.h>

#include <thread>

namespace kouti {

TEST(SharedGate, WaiterLearnsTheOutcomeOnceOpened) {
    for (bool outcome : {true, false}) {
        SharedGate gate;
        bool seen = !outcome;
        std::thread waiter([&] { seen = gate.wait(); });
        std::this_thread::sleep_for(std::chrono::milliseconds(20)); // the waiter is blocked by now
        gate.open(outcome);
        waiter.join();
        EXPECT_EQ(seen, outcome);
        EXPECT_EQ(gate.wait(), outcome); // stays open
    }
}

} // namespace kouti
