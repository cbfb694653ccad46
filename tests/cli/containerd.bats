#!/usr/bin/env bats
# containerd drives kouti as its runc-compatible runtime (build/kouti-runc):
# a private containerd on its own sockets, state and network namespace, stopped afterwards.
load helpers

setup() {
    common_setup
    command -v containerd >/dev/null && command -v ctr >/dev/null || skip "containerd is not installed (scripts/install-deps.sh installs it)"
    CTD="$BATS_TEST_TMPDIR/containerd"
    NS="kouti-test-$$-$RANDOM"
    mkdir -p "$CTD"
    ln -s "$(dirname "$KOUTI_BIN")/kouti-runc" "$CTD/kouti-runc"
    cat > "$CTD/config.toml" <<TOML
version = 2
root = "$CTD/root"
state = "$CTD/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$CTD/sock"
[ttrpc]
  address = "$CTD/ttrpc.sock"
TOML
    unshare --net containerd --config "$CTD/config.toml" > "$CTD/log" 2>&1 &
    CTD_PID=$!
    for _ in $(seq 100); do ctr -a "$CTD/sock" version >/dev/null 2>&1 && break; sleep 0.1; done
}

teardown() {
    if [ -n "${CTD_PID:-}" ]; then
        ctr -a "$CTD/sock" -n "$NS" tasks kill -s KILL t1 >/dev/null 2>&1 || true
        ctr -a "$CTD/sock" -n "$NS" containers rm t1 >/dev/null 2>&1 || true
        kill "$CTD_PID" 2>/dev/null; wait "$CTD_PID" 2>/dev/null || true
        pkill -f "containerd-shim-runc-v2 -namespace $NS" 2>/dev/null || true
        grep " $BATS_TEST_TMPDIR" /proc/self/mountinfo | awk '{print $5}' | sort -r | xargs -r -n1 umount -l
        rm -rf "/run/containerd/runc/$NS"
        for d in /sys/fs/cgroup/*/"$NS" /sys/fs/cgroup/"$NS"; do [ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null; done
    fi
    common_teardown
}

@test "containerd runs a busybox container with kouti as its runtime" {
    import_busybox >/dev/null
    kouti save busybox | ctr -a "$CTD/sock" -n "$NS" images import - >/dev/null
    run -0 timeout 60 ctr -a "$CTD/sock" -n "$NS" run --rm --runc-binary "$CTD/kouti-runc" docker.io/library/busybox:latest t1 \
        sh -c 'echo hello-from-containerd; grep pids /proc/self/cgroup; ls /proc/self/fd | wc -l'
    [ "${lines[0]}" = "hello-from-containerd" ]
    [[ "${lines[1]}" == *"pids:/"* ]]
    # Afterwards: no container left in kouti's state, containerd's, or its cgroups.
    run -0 ctr -a "$CTD/sock" -n "$NS" containers ls -q
    [ -z "$output" ]
    [ -z "$(ls "/run/containerd/runc/$NS" 2>/dev/null)" ]
}
