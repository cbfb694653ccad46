#!/usr/bin/env python3
"""Runs a command on a new pseudo-terminal, types INPUT into it (each \\n-separated chunk after
the command's output goes quiet), prints everything the terminal showed, and exits with the
command's exit code. Usage: pty_run.py INPUT CMD [ARG...]"""
import os
import pty
import select
import sys
import time

def main():
    typed = sys.argv[1].encode().decode("unicode_escape").encode("latin-1")
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(sys.argv[2], sys.argv[2:])
    out = b""
    chunks = [c for c in typed.split(b"|") if c]
    deadline = time.time() + 30
    quiet_since = time.time()
    while time.time() < deadline:
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try:
                data = os.read(fd, 4096)
            except OSError:
                data = b""
            if not data:  # the terminal closed: the command is exiting
                _, status = os.waitpid(pid, 0)
                sys.stdout.write(out.decode(errors="replace"))
                sys.exit(os.waitstatus_to_exitcode(status))
            out += data
            quiet_since = time.time()
        elif chunks and time.time() - quiet_since > 0.3:
            os.write(fd, chunks.pop(0))
            quiet_since = time.time()
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            try:
                while True:
                    r, _, _ = select.select([fd], [], [], 0.1)
                    if not r:
                        break
                    data = os.read(fd, 4096)
                    if not data:
                        break
                    out += data
            except OSError:
                pass
            sys.stdout.write(out.decode(errors="replace"))
            sys.exit(os.waitstatus_to_exitcode(status))
    sys.stdout.write(out.decode(errors="replace"))
    os.kill(pid, 9)
    sys.exit(99)

main()
