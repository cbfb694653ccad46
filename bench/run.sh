#!/usr/bin/env bash
# Containers side by side: `kouti run --rm busybox true` (no network) against `crun run` of the
# same rootfs and `podman run --rm` / `docker run --rm` (--network none) of the same image; then
# `kouti ps -a` with 1,000 containers, `kouti commit` of a one-file change on a 300 MB image, and
# the resident memory of a detached container's monitor. Everything runs in private roots
# (a private dockerd and podman store) that are removed afterwards.
# Run by hand, as root:  bench/run.sh [RUNS]
set -euo pipefail
# In a network namespace of its own: the containers made for ps, commit and the monitor use the
# default bridge, whose bridge and firewall rules must not land on the host.
if [ "${KOUTI_BENCH_NETNS:-}" != 1 ]; then exec env KOUTI_BENCH_NETNS=1 unshare --net -- "$0" "$@"; fi
cd "$(dirname "$0")/.."
. bench/lib.sh
runs=${1:-100}
repo=$PWD
work=$(mktemp -d /var/tmp/kouti-bench-run.XXXX)
cleanup() {
    stop_dockerd || true
    KOUTI_ROOT=$work/root KOUTI_RUNROOT=$work/run "$repo/build/kouti" rm -f $(KOUTI_ROOT=$work/root KOUTI_RUNROOT=$work/run "$repo/build/kouti" ps -aq 2>/dev/null) >/dev/null 2>&1 || true
    podman --root "$work/podman" --runroot "$work/podman-run" rm -af >/dev/null 2>&1 || true
    podman --root "$work/podman" --runroot "$work/podman-run" system reset -f >/dev/null 2>&1 || true
    # The cgroup parent kouti and crun used (crun's own leaf first).
    for d in /sys/fs/cgroup/*/kouti-bench/* /sys/fs/cgroup/*/kouti-bench /sys/fs/cgroup/kouti-bench/* /sys/fs/cgroup/kouti-bench; do
        { [ -d "$d" ] && rmdir "$d" 2>/dev/null; } || true
    done
    remove_peer_cgroups
    if [ "${mounted_hugetlb:-0}" = 1 ]; then umount /sys/fs/cgroup/hugetlb && rmdir /sys/fs/cgroup/hugetlb; fi
    grep " $work" /proc/self/mountinfo | awk '{print $5}' | sort -r | xargs -r -n1 umount -l || true
    rm -rf "$work"
}
trap cleanup EXIT
remember_peer_cgroups
export KOUTI_ROOT=$work/root KOUTI_RUNROOT=$work/run KOUTI_CGROUP_PARENT=/kouti-bench
# Installed (copied) as users get it: an executable just written by the linker ran `run --rm`
# 0.4-0.9 ms slower here than a byte-identical copy of it (more page faults at each start).
mkdir "$work/bin"
cp build/kouti build/kouti-init build/kouti-monitor build/kouti-runc build/kouti-setup build/libkouti-cli.so "$work/bin/"
k="$work/bin/kouti"
bash scripts/mkimage-busybox.sh "$work/bb.tar"
"$k" import "$work/bb.tar" busybox >/dev/null

echo "== run --rm busybox true ($runs runs, median wall ms; no network for any of them)"
declare -A ms
python3 bench/measure.py 5 "$k" run --rm --network none busybox true >/dev/null # warm-up
# This VM's speed drifts by up to 2x within minutes: the same trivial exec, measured next to the
# runs, tells a fast minute from a slow one when comparing runs of this script.
speed_before=$(python3 bench/measure.py 200 /bin/true | cut -d' ' -f1)
ms[kouti]=$(python3 bench/measure.py "$runs" "$k" run --rm --network none busybox true | cut -d' ' -f1)

# crun: the same container — the config.json kouti wrote for it (Docker's defaults: seccomp
# profile, capabilities, masked paths, cgroup namespace) — over the same files unpacked.
"$k" run --name specsrc --network none busybox true
cid=$("$k" inspect -f '{{.Id}}' specsrc)
mkdir -p "$work/bundle/rootfs" && tar -C "$work/bundle/rootfs" -xf "$work/bb.tar"
python3 - "$KOUTI_ROOT/containers/$cid/config.json" "$work/bundle" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["root"]["path"] = sys.argv[2] + "/rootfs"
c["annotations"] = {}
c["process"]["args"] = ["/bin/true"]
c["linux"]["cgroupsPath"] = "/kouti-bench/crun"
# /etc/hostname, hosts and resolv.conf are bind-mounted from the container's directory, which
# goes with the container: the bundle gets copies.
import os, shutil
for m in c["mounts"]:
    if m.get("type") == "bind" and m["source"].startswith(os.path.dirname(sys.argv[1]) + "/"):
        copy = sys.argv[2] + "/" + os.path.basename(m["source"])
        shutil.copy(m["source"], copy)
        m["source"] = copy
json.dump(c, open(sys.argv[2] + "/config.json", "w"))
PY
"$k" rm specsrc >/dev/null
if command -v crun >/dev/null; then
    # Debian's crun 1.8.1 refuses this machine's hybrid layout unless hugetlb has a v1 hierarchy.
    if [ ! -d /sys/fs/cgroup/hugetlb ] && [ -d /sys/fs/cgroup/memory ]; then
        mkdir -p /sys/fs/cgroup/hugetlb && mount -t cgroup -o hugetlb cgroup /sys/fs/cgroup/hugetlb && mounted_hugetlb=1
    fi
    # Interleaved, one kouti run then one crun run (bench/ab.py): this machine's speed drifts by
    # several ms between minutes, and measured one after the other either could win.
    read -r _ ms[kouti] _ ms[crun] _ crun_minus_kouti _ < <(python3 bench/ab.py "$runs" \
        "$k run --rm --network none busybox true" "crun --root $work/crun run --bundle $work/bundle cb")
fi
if command -v podman >/dev/null; then
    cat > "$work/containers.conf" <<'CONF'
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
CONF
    export CONTAINERS_CONF="$work/containers.conf"
    p=(podman --root "$work/podman" --runroot "$work/podman-run" --storage-driver overlay)
    "${p[@]}" import "$work/bb.tar" localhost/busybox >/dev/null
    python3 bench/measure.py 2 "${p[@]}" run --rm --network none localhost/busybox true >/dev/null
    ms[podman]=$(python3 bench/measure.py "$((runs / 5 + 1))" "${p[@]}" run --rm --network none localhost/busybox true | cut -d' ' -f1)
fi
if DOCKERD_PARENT=$work start_dockerd; then
    docker import "$work/bb.tar" busybox-bench >/dev/null
    python3 bench/measure.py 2 docker run --rm --network none busybox-bench true >/dev/null
    ms[docker]=$(python3 bench/measure.py "$((runs / 10 + 1))" docker run --rm --network none busybox-bench true | cut -d' ' -f1)
    stop_dockerd
fi
printf '| %-28s | %9s | %9s |\n' command "median ms" "vs kouti"
for t in kouti crun podman docker; do
    [ -n "${ms[$t]:-}" ] || continue
    case $t in
    kouti) what="kouti run --rm --network none" ;; crun) what="crun run (same rootfs)" ;;
    podman) what="podman run --rm --network none" ;; docker) what="docker run --rm --network none" ;;
    esac
    printf '| %-28s | %9s | %8sx |\n' "$what" "${ms[$t]}" "$(ratio "${ms[$t]}" "${ms[kouti]}")"
done
if [ -n "${crun_minus_kouti:-}" ]; then echo "crun minus kouti, median of the $runs paired runs: $crun_minus_kouti ms"; fi
echo "machine speed: /bin/true $speed_before ms median before kouti and crun, $(python3 bench/measure.py 200 /bin/true | cut -d' ' -f1) ms now"

echo "== ps -a with 1,000 containers"
seq 1000 | xargs -P 4 -n 50 sh -c 'for i; do "$0" create busybox true >/dev/null; done' "$k"
python3 bench/measure.py 3 "$k" ps -a >/dev/null
echo "kouti ps -a: $(python3 bench/measure.py 30 "$k" ps -a | cut -d' ' -f1) ms median ($("$k" ps -aq | wc -l) containers)"
"$k" rm $("$k" ps -aq) >/dev/null

echo "== commit of a one-file change on a 300 MB image"
mkdir -p "$work/big/data"
tar -C "$work/big" -xf "$work/bb.tar"
for i in $(seq 300); do head -c 1048576 /dev/urandom > "$work/big/data/f$i"; done
tar -C "$work/big" -cf "$work/big.tar" .
"$k" import "$work/big.tar" big >/dev/null
echo "image size: $("$k" images --format '{{.Size}}' big)"
commits=()
for i in $(seq 11); do
    "$k" run --name "c$i" big sh -c "echo $i > /changed" >/dev/null
    commits+=("$(time_ms "$k" commit "c$i" "big-c$i")")
done
echo "kouti commit: $(printf '%s\n' "${commits[@]}" | median) ms median"

echo "== resident memory of a detached container's monitor"
"$k" run -d --name watched busybox sh -c 'while true; do echo tick; sleep 1; done' >/dev/null
sleep 2
mon=$(pgrep -f "kouti-monitor.*$KOUTI_RUNROOT" | head -1)
echo "kouti-monitor: $(awk '/VmRSS/ {print $2}' /proc/$mon/status) KiB RSS ($(awk '/^Rss/ {print $2}' /proc/$mon/smaps_rollup) KiB, of which anonymous $(awk '/^Anonymous/ {print $2}' /proc/$mon/smaps_rollup) KiB)"
"$k" rm -f watched >/dev/null
