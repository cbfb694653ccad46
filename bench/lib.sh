# Helpers for the benchmark scripts: timing in milliseconds and medians.
now_ms() { date +%s%3N; }
# time_ms CMD...: runs CMD once, prints its wall time in ms; output goes to /dev/null.
time_ms() {
    local t0 t1
    t0=$(now_ms)
    "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; return 1; }
    t1=$(now_ms)
    echo $((t1 - t0))
}
median() { sort -n | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "n/a"; else printf "%.2f", a / b }'; }

# Starts a private dockerd (no systemd here) with its own data root and socket, no bridge and no
# iptables rules (DOCKERD_NETWORK=1: its default bridge network, for a script that runs in a
# network namespace of its own), and points DOCKER_HOST at it. stop_dockerd ends it.
start_dockerd() {
    command -v dockerd >/dev/null || return 1
    DOCKERD_DIR=$(mktemp -d "${DOCKERD_PARENT:-/var/tmp}/kouti-bench-dockerd.XXXX")
    local net=(--bridge=none --iptables=false --ip-masq=false)
    [ "${DOCKERD_NETWORK:-0}" = 1 ] && net=()
    dockerd --data-root "$DOCKERD_DIR/data" --exec-root "$DOCKERD_DIR/exec" --pidfile "$DOCKERD_DIR/pid" \
        -H "unix://$DOCKERD_DIR/sock" "${net[@]}" >"$DOCKERD_DIR/log" 2>&1 &
    export DOCKER_HOST="unix://$DOCKERD_DIR/sock"
    for _ in $(seq 100); do docker info >/dev/null 2>&1 && return 0; sleep 0.2; done
    echo "dockerd did not start; see $DOCKERD_DIR/log" >&2
    return 1
}
stop_dockerd() {
    [ -n "${DOCKERD_DIR:-}" ] || return 0
    kill "$(cat "$DOCKERD_DIR/pid" 2>/dev/null)" 2>/dev/null || true
    for _ in $(seq 50); do [ -e "$DOCKERD_DIR/pid" ] || break; sleep 0.2; done
    rm -rf "$DOCKERD_DIR"
    DOCKERD_DIR=
}

# The cgroup parents docker and podman make (`docker`, `libpod_parent`) in every hierarchy stay
# after their containers are gone. remember_peer_cgroups notes which existed before the script;
# remove_peer_cgroups removes the others, deepest first (an rmdir fails on one still in use).
peer_cgroup_parents() { ls -d /sys/fs/cgroup/*/docker /sys/fs/cgroup/*/libpod_parent /sys/fs/cgroup/docker /sys/fs/cgroup/libpod_parent 2>/dev/null || true; }
remember_peer_cgroups() { PEER_CGROUPS_BEFORE=$(peer_cgroup_parents); }
remove_peer_cgroups() {
    local d
    for d in $(peer_cgroup_parents); do
        grep -qxF "$d" <<<"${PEER_CGROUPS_BEFORE:-}" && continue
        find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null || true
    done
}
