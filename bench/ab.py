#!/usr/bin/env python3
"""Interleaved A/B timing: runs variant A and variant B alternately N times each and prints the
median wall ms of each and the median of the paired differences (B - A). This machine's speed
drifts by several ms over minutes; alternating makes both variants see the same drift.
usage: ab.py N 'ENV=.. CMD A' 'ENV=.. CMD B'   (each a shell-like string; leading VAR=value set the env)"""
import os, shlex, statistics, subprocess, sys, time


def parse(s):
    env, args = dict(os.environ), shlex.split(s)
    while args and "=" in args[0] and not args[0].startswith("/"):
        k, v = args.pop(0).split("=", 1)
        env[k] = v
    return env, args


def run(env, args):
    t0 = time.perf_counter()
    r = subprocess.run(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if r.returncode != 0:
        sys.exit("failed: %s (status %d)" % (" ".join(args), r.returncode))
    return (time.perf_counter() - t0) * 1000


if __name__ == "__main__":
    n = int(sys.argv[1])
    variants = [parse(s) for s in sys.argv[2:4]]
    for v in variants:
        run(*v)  # warm-up
    a, b = [], []
    for i in range(n):
        order = (0, 1) if i % 2 == 0 else (1, 0)
        t = {k: run(*variants[k]) for k in order}
        a.append(t[0])
        b.append(t[1])
    print("A %.2f  B %.2f  B-A %+.2f ms (median of %d pairs)" % (statistics.median(a), statistics.median(b),
          statistics.median([y - x for x, y in zip(a, b)]), n))
