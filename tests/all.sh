#!/usr/bin/env bash
# Every test of the project: unit tests (plain and under ASan+UBSan), then the CLI scenarios.
# Ends with one line "all: N passed, N failed" and exits non-zero if anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" -eq 0 ] || { echo "the tests need root (namespaces, mounts)"; exit 1; }
passed=0 failed=0
count_gtest() { # $1: output file
    local p f
    p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$1" | tail -1)
    f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$1" | tail -1)
    passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
}
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT

echo "== unit tests"
if build/unit_tests --gtest_brief=1 > "$log/unit" 2>&1; then :; else failed=$((failed + 1)); fi
cat "$log/unit"; count_gtest "$log/unit"

echo "== unit tests with AddressSanitizer and UndefinedBehaviorSanitizer"
if make -s unit-asan > "$log/asan" 2>&1; then :; else failed=$((failed + 1)); fi
tail -5 "$log/asan"; count_gtest "$log/asan"

echo "== CLI scenarios"
tests/in_netns.sh bats --timing tests/cli/*.bats > "$log/cli" 2>&1
cat "$log/cli"
cli_passed=$(grep -c '^ok ' "$log/cli")
cli_failed=$(grep -c '^not ok ' "$log/cli")
# A test bats planned but never reported (its process died, or it could not be found) failed too.
planned=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$log/cli" | head -1)
unreported=$(( ${planned:-0} - cli_passed - cli_failed ))
[ "$unreported" -gt 0 ] && echo "cli: $unreported planned tests never reported"
[ -n "$planned" ] || { echo "cli: bats printed no plan"; unreported=1; }
passed=$((passed + cli_passed))
failed=$((failed + cli_failed + (unreported > 0 ? unreported : 0)))

echo "all: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
