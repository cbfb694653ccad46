#!/usr/bin/env bash
# Runs the CLI scenario tests (bats, TAP output) and prints the plain closing line.
set -uo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp)
tests/in_netns.sh bats --timing tests/cli/*.bats 2>&1 | tee "$out"
passed=$(grep -c '^ok ' "$out")
failed=$(grep -c '^not ok ' "$out")
# A test bats planned but never reported (its process died, or it could not be found) failed too.
planned=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$out" | head -1)
[ "${planned:-0}" -gt $((passed + failed)) ] && failed=$((planned - passed))
rm -f "$out"
echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
