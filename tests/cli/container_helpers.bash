# Container scenarios: a store with busybox:latest, a private cgroup parent, and a teardown that
# removes every container, then fails the test if a process, cgroup or runtime state is left.
load helpers

PTY_RUN="$REPO_ROOT/tests/tools/pty_run.py"

ctr_setup() {
    common_setup
    export KOUTI_CGROUP_PARENT="/kouti-test-$$-$BATS_TEST_NUMBER-$RANDOM"
    import_busybox >/dev/null
}

ctr_teardown() {
    local id left=""
    for id in $(kouti ps -aq --no-trunc 2>/dev/null); do kouti rm -f "$id" >/dev/null 2>&1 || true; done
    # A monitor or container process of this store still alive is a leak: once it has had time
    # to leave (rm -f returns when the container is gone; its monitor may be recording the exit).
    local i
    for i in $(seq 60); do pgrep -f "$KOUTI_RUNROOT" >/dev/null || break; sleep 0.05; done
    if pgrep -f "$KOUTI_RUNROOT" >/dev/null; then
        left="processes: $(pgrep -af "$KOUTI_RUNROOT" | head -3)"
        pkill -9 -f "$KOUTI_RUNROOT" || true
    fi
    local dir
    for dir in /sys/fs/cgroup/*"$KOUTI_CGROUP_PARENT" /sys/fs/cgroup"$KOUTI_CGROUP_PARENT"; do
        [ -d "$dir" ] || continue
        [ -z "$(find "$dir" -mindepth 1 -type d)" ] || left="$left cgroups under $dir"
        find "$dir" -depth -type d -exec rmdir {} \; 2>/dev/null || true
    done
    common_teardown
    if [ -n "$left" ]; then
        echo "test left behind: $left" >&2
        return 1
    fi
}

setup() { ctr_setup; }
teardown() { ctr_teardown; }

# Runs kouti with stdio that is not a bats pipe (for -d: the monitor must not hold them).
kouti_bg() { kouti "$@" </dev/null 2>"$BATS_TEST_TMPDIR/bg.err" || { cat "$BATS_TEST_TMPDIR/bg.err" >&2; return 1; }; }

# Waits up to 10 s until `kouti inspect -f FORMAT NAME` prints VALUE.
wait_for() {
    local name=$1 format=$2 value=$3 i
    for i in $(seq 200); do
        [ "$(kouti inspect -f "$format" "$name" 2>/dev/null)" = "$value" ] && return 0
        sleep 0.05
    done
    echo "$name: $format is $(kouti inspect -f "$format" "$name"), not $value" >&2
    return 1
}

# Nothing of any container is left: no rows, no read-write layers, no runtime state.
assert_no_containers() {
    [ -z "$(kouti ps -aq)" ]
    # (The runtime's cache of compiled seccomp programs is no container's state.)
    [ -z "$(ls -A "$KOUTI_RUNROOT/runtime" 2>/dev/null | grep -v '^@seccomp-cache$')" ]
    [ -z "$(ls -A "$KOUTI_ROOT/containers" 2>/dev/null)" ]
    # Only the image's layer (and the short-link dir and the shared init layer) remain in the driver's home.
    [ "$(ls "$KOUTI_ROOT/overlay" | grep -vcE '^(l|init)$')" = "$(sqlite3 "$KOUTI_ROOT/kouti.db" 'SELECT count(*) FROM layers')" ]
}
