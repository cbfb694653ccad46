#!/usr/bin/env bash
# Runs a command in a network namespace of its own, loopback up: the tests' containers get
# bridges, veths and nftables rules there, never on the host. Network tests make one more
# namespace per test (tests/cli/net_helpers.bash) so they can run in parallel.
set -euo pipefail
if [ "${KOUTI_TEST_NETNS:-}" != 1 ]; then
    exec env KOUTI_TEST_NETNS=1 unshare --net -- "$0" "$@"
fi
ip link set lo up
exec "$@"
