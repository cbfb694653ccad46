# Network scenarios: each test gets a network namespace of its own (held by a sleeping
# process), and every kouti command runs in it, so bridges, veths and nftables rules never
# touch the host or another test. Teardown fails on any veth, lease or published port left.
load container_helpers

net_setup() {
    unshare --net sleep infinity </dev/null >/dev/null 2>&1 3>&- &
    NETNS_HOLDER=$!
    local i
    for i in $(seq 100); do
        [ "$(readlink /proc/$NETNS_HOLDER/ns/net)" != "$(readlink /proc/self/ns/net)" ] && break
        sleep 0.01
    done
    in_ns ip link set lo up
    ctr_setup
}

in_ns() { nsenter --net=/proc/$NETNS_HOLDER/ns/net "$@"; }
kouti() { nsenter --net=/proc/$NETNS_HOLDER/ns/net "$KOUTI_BIN" "$@"; }

# Nothing of a container's networking is left: veths, leases, published ports.
assert_no_network_leftovers() {
    # A dead container's namespace, and the veth in it, is freed by the kernel a moment later.
    local i
    for i in $(seq 60); do [ -z "$(in_ns ip -o link show type veth)" ] && break; sleep 0.05; done
    [ -z "$(in_ns ip -o link show type veth)" ] || { echo "veths left: $(in_ns ip -o link show type veth)" >&2; return 1; }
    local leases
    leases=$(sqlite3 "$KOUTI_ROOT/kouti.db" 'SELECT count(*) FROM endpoints WHERE address IS NOT NULL' 2>/dev/null || echo 0)
    [ "$leases" = 0 ] || { echo "$leases leases left" >&2; return 1; }
    if in_ns nft list table ip kouti >/dev/null 2>&1; then
        local m
        for m in tcp_ports udp_ports tcp_any udp_any; do
            ! in_ns nft list map ip kouti $m | grep -q elements || { echo "published ports left in $m" >&2; return 1; }
        done
    fi
}

net_teardown() {
    local rc=0
    for id in $(kouti ps -aq --no-trunc 2>/dev/null); do kouti rm -f "$id" >/dev/null 2>&1 || true; done
    assert_no_network_leftovers || rc=1
    ctr_teardown || rc=1
    kill "$NETNS_HOLDER" 2>/dev/null || true
    wait "$NETNS_HOLDER" 2>/dev/null || true
    return $rc
}

setup() { net_setup; }
teardown() { net_teardown; }

# Waits up to 5 s for `busybox wget URL` (from the test namespace) to answer; prints the answer.
fetch() {
    local i out
    for i in $(seq 100); do
        out=$(in_ns timeout 2 busybox wget -q -O - "$1" 2>/dev/null) && { echo "$out"; return 0; }
        sleep 0.05
    done
    echo "no answer from $1" >&2
    return 1
}
