// kouti-init: the init of `run --init`, bind-mounted into the container as /sbin/kouti-init.
// As PID 1 it runs the command as its child, forwards every signal it gets to it, reaps every
// orphan that is re-parented to it, and exits with the command's exit status. Static: it must
// run in any image.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

int main(int argc, char** argv) {
    int first = 1;
    if (first < argc && std::strcmp(argv[first], "--") == 0) ++first;
    if (first >= argc) {
        std::fprintf(stderr, "kouti-init: usage: kouti-init -- COMMAND [ARG...]\n");
        return 125;
    }
    sigset_t all, old;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, &old);
    pid_t child = fork();
    if (child < 0) {
        std::perror("kouti-init: fork");
        return 125;
    }
    if (child == 0) {
        sigprocmask(SIG_SETMASK, &old, nullptr);
        setpgid(0, 0);
        execvp(argv[first], argv + first);
        std::fprintf(stderr, "kouti-init: exec %s: %s\n", argv[first], std::strerror(errno));
        _exit(errno == ENOENT ? 127 : 126);
    }
    while (true) {
        int sig = 0;
        if (sigwait(&all, &sig) != 0) continue;
        if (sig != SIGCHLD) {
            kill(child, sig);
            continue;
        }
        while (true) {
            int status = 0;
            pid_t r = waitpid(-1, &status, WNOHANG);
            if (r <= 0) break;
            if (r == child) {
                if (WIFEXITED(status)) return WEXITSTATUS(status);
                return 128 + WTERMSIG(status);
            }
        }
    }
}
