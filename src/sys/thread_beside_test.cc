#include "sys/thread_beside.h"

#include <gtest/gtest.h>
#include <signal.h>

using namespace kouti;

// `run` waits for SIGCHLD on a signalfd in its main thread while a helper checkpoints the
// database: a helper that could take the signal would leave `run` waiting for ever.
TEST(ThreadBeside, RunsWithEverySignalBlockedWhateverItsCreatorBlocks) {
    sigset_t none, previous;
    ::sigemptyset(&none);
    ASSERT_EQ(::pthread_sigmask(SIG_SETMASK, &none, &previous), 0);
    sigset_t seen;
    ::sigemptyset(&seen);
    ThreadBeside([&] { ::pthread_sigmask(SIG_BLOCK, nullptr, &seen); }).join();
    sigset_t now;
    ::pthread_sigmask(SIG_BLOCK, nullptr, &now);
    ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    EXPECT_EQ(::sigismember(&seen, SIGCHLD), 1);
    EXPECT_EQ(::sigismember(&seen, SIGTERM), 1);
    EXPECT_EQ(::sigismember(&now, SIGCHLD), 0); // the creator's own mask is as it was
}
