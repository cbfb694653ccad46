#!/usr/bin/env bash
# `kouti-runc run` (kouti's runtime alone, as containerd starts it) against `crun run` and
# `runc run` of the same bundle: /bin/true in busybox with
# pid/mount/uts/ipc/net namespaces. Median wall time and peak RSS of the runtime process.
# Run by hand, as root:  bench/runtime.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-200}
work=$(mktemp -d /var/tmp/kouti-bench-runtime.XXXX)
cleanup() {
    # The cgroups the runtimes made under the bench's own parent (below), leaves first.
    for d in /sys/fs/cgroup/*/kouti-bench-runtime/* /sys/fs/cgroup/*/kouti-bench-runtime; do
        { [ -d "$d" ] && rmdir "$d" 2>/dev/null; } || true
    done
    rm -rf "$work"
}
trap cleanup EXIT
bash scripts/mkimage-busybox.sh "$work/bb.tar"
mkdir -p "$work/bundle/rootfs" && tar -C "$work/bundle/rootfs" -xf "$work/bb.tar"
k="$PWD/build/kouti-runc"
(cd "$work/bundle" && "$k" spec)
python3 - "$work/bundle/config.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["process"]["terminal"] = False
c["process"]["args"] = ["/bin/true"]
c["linux"]["namespaces"] = [{"type": t} for t in ("pid", "mount", "uts", "ipc", "network")]
c["linux"]["cgroupsPath"] = "/kouti-bench-runtime/container"
json.dump(c, open(sys.argv[1], "w"))
PY
# Debian's crun 1.8.1 refuses this machine's hybrid layout unless hugetlb has a v1 hierarchy.
if [ ! -d /sys/fs/cgroup/hugetlb ] && [ -d /sys/fs/cgroup/memory ]; then
    mkdir -p /sys/fs/cgroup/hugetlb && mount -t cgroup -o hugetlb cgroup /sys/fs/cgroup/hugetlb 2>/dev/null || true
fi
cd "$work/bundle"
printf '%-8s %12s %12s %10s\n' runtime "median ms" "peak RSS KiB" "vs kouti"
declare -A ms rss
for rt in kouti crun runc; do
    case $rt in
    kouti) cmd=("$k" --root "$work/state-kouti" run "k{i}") ;;
    crun) command -v crun >/dev/null || continue; cmd=(crun --root "$work/state-crun" run "c{i}") ;;
    runc) command -v runc >/dev/null || continue; cmd=(runc --root "$work/state-runc" run "r{i}") ;;
    esac
    python3 "$OLDPWD/bench/measure.py" 5 "${cmd[@]}" >/dev/null # warm-up
    read -r ms[$rt] rss[$rt] < <(python3 "$OLDPWD/bench/measure.py" "$runs" "${cmd[@]}")
done
for rt in kouti crun runc; do
    [ -n "${ms[$rt]:-}" ] || continue
    printf '%-8s %12s %12s %10s\n' "$rt" "${ms[$rt]}" "${rss[$rt]}" "$(awk -v a="${ms[$rt]}" -v b="${ms[kouti]}" 'BEGIN{printf "%.2fx", a/b}')"
done
