#!/usr/bin/env python3
"""Blocked A/B timing: runs A M times in a row, then B M times in a row, K rounds (the order
alternating), and prints each variant's median wall ms over all its runs but the first of each
block, and the median of the per-round differences (B - A). Unlike ab.py, each variant runs
after itself, so work one run leaves behind (a child that finishes after kouti exits) weighs on
the next run of the same variant.
usage: ab_blocks.py K M 'ENV=.. CMD A' 'ENV=.. CMD B'"""
import statistics, sys, time

sys.path.insert(0, __import__("os").path.dirname(__file__))
from ab import parse, run  # noqa: E402

k, m = int(sys.argv[1]), int(sys.argv[2])
variants = [parse(sys.argv[3]), parse(sys.argv[4])]
walls = [[], []]
rounds = []
for r in range(k):
    med = [0.0, 0.0]
    for v in ((0, 1) if r % 2 == 0 else (1, 0)):
        block = [run(*variants[v]) for _ in range(m)][1:]
        walls[v] += block
        med[v] = statistics.median(block)
    rounds.append(med[1] - med[0])
print(f"A {statistics.median(walls[0]):.2f}  B {statistics.median(walls[1]):.2f}  "
      f"B-A {statistics.median(rounds):+.2f} ms (median of {k} rounds of {m - 1} runs each)")
