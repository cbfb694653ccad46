#!/usr/bin/env bash
# What bridge networking costs: `kouti run --rm busybox true` on the default bridge against
# `--network none` in the same run, and against `podman run --rm` and `docker run --rm` with
# their default (bridge) networks. The whole script runs in a network namespace of its own, so
# every bridge, veth and firewall rule (kouti's, podman's, dockerd's) is made there and dies with
# it; nothing is sent anywhere.
# Run by hand, as root:  bench/network.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${KOUTI_BENCH_NETNS:-}" != 1 ]; then exec env KOUTI_BENCH_NETNS=1 unshare --net -- "$0" "$@"; fi
ip link set lo up
. bench/lib.sh
runs=${1:-100}
repo=$PWD
work=$(mktemp -d /var/tmp/kouti-bench-net.XXXX)
cleanup() {
    stop_dockerd || true
    "$k" rm -f $("$k" ps -aq 2>/dev/null) >/dev/null 2>&1 || true
    podman --root "$work/podman" --runroot "$work/podman-run" rm -af >/dev/null 2>&1 || true
    podman --root "$work/podman" --runroot "$work/podman-run" system reset -f >/dev/null 2>&1 || true
    remove_peer_cgroups
    grep " $work" /proc/self/mountinfo | awk '{print $5}' | sort -r | xargs -r -n1 umount -l || true
    rm -rf "$work"
}
trap cleanup EXIT
remember_peer_cgroups
export KOUTI_ROOT=$work/root KOUTI_RUNROOT=$work/run KOUTI_CGROUP_PARENT=/kouti-bench
k="$repo/build/kouti"
bash scripts/mkimage-busybox.sh "$work/bb.tar"
"$k" import "$work/bb.tar" busybox >/dev/null

declare -A ms
python3 bench/measure.py 5 "$k" run --rm busybox true >/dev/null # warm-up (makes kouti0)
# Interleaved rounds, so drift on the machine hits both sides alike.
none=() bridge=()
for _ in $(seq 5); do
    none+=("$(python3 bench/measure.py "$((runs / 5))" "$k" run --rm --network none busybox true | cut -d' ' -f1)")
    bridge+=("$(python3 bench/measure.py "$((runs / 5))" "$k" run --rm busybox true | cut -d' ' -f1)")
done
ms[none]=$(printf '%s\n' "${none[@]}" | median)
ms[bridge]=$(printf '%s\n' "${bridge[@]}" | median)
if command -v podman >/dev/null; then
    cat > "$work/containers.conf" <<'CONF'
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
CONF
    export CONTAINERS_CONF="$work/containers.conf"
    p=(podman --root "$work/podman" --runroot "$work/podman-run" --storage-driver overlay)
    "${p[@]}" import "$work/bb.tar" localhost/busybox >/dev/null
    if python3 bench/measure.py 2 "${p[@]}" run --rm localhost/busybox true >/dev/null 2>&1; then
        ms[podman]=$(python3 bench/measure.py "$((runs / 5 + 1))" "${p[@]}" run --rm localhost/busybox true | cut -d' ' -f1)
    fi
fi
if DOCKERD_NETWORK=1 DOCKERD_PARENT=$work start_dockerd; then
    docker import "$work/bb.tar" busybox-bench >/dev/null
    python3 bench/measure.py 2 docker run --rm busybox-bench true >/dev/null
    ms[docker]=$(python3 bench/measure.py "$((runs / 10 + 1))" docker run --rm busybox-bench true | cut -d' ' -f1)
    stop_dockerd
fi
echo "== run --rm busybox true, default networks ($runs runs, median wall ms)"
printf '| %-34s | %9s | %14s |\n' command "median ms" "vs kouti bridge"
for t in none bridge podman docker; do
    [ -n "${ms[$t]:-}" ] || continue
    case $t in
    none) what="kouti run --rm --network none" ;; bridge) what="kouti run --rm (bridge)" ;;
    podman) what="podman run --rm (bridge)" ;; docker) what="docker run --rm (bridge)" ;;
    esac
    printf '| %-34s | %9s | %13sx |\n' "$what" "${ms[$t]}" "$(ratio "${ms[$t]}" "${ms[bridge]}")"
done
echo "bridge networking adds $(awk -v a="${ms[bridge]}" -v b="${ms[none]}" 'BEGIN { printf "%.1f", a - b }') ms"
