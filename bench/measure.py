#!/usr/bin/env python3
"""Runs a command N times and prints median wall ms and median peak RSS KiB of the command.
usage: measure.py N CMD... ({i} in CMD becomes the run number)
The RSS comes from GNU time run separately (a child forked from Python would report Python's own
pages as its peak); the wall time is measured without it."""
import os, statistics, subprocess, sys, tempfile, time

n = int(sys.argv[1])
cmd = sys.argv[2:]
walls, rss = [], []
for i in range(n):
    args = [a.replace("{i}", str(i)) for a in cmd]
    t0 = time.perf_counter()
    p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    walls.append((time.perf_counter() - t0) * 1000)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit("failed: %s (status %d)" % (" ".join(args), os.waitstatus_to_exitcode(status)))
    if i % 10 == 0:
        with tempfile.NamedTemporaryFile("r") as f:
            rss_args = [a.replace("{i}", "rss%d" % i) for a in cmd]
            subprocess.run(["/usr/bin/time", "-o", f.name, "-f", "%M"] + rss_args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            rss.append(int(f.read().split()[-1]))
print("%.2f %d" % (statistics.median(walls), statistics.median(rss)))
