#!/usr/bin/env bash
# Import speed: kouti import of a large rootfs tar against `tar -xf` of the same file onto the
# same disk, and against podman/docker import when they are installed. Run by hand, as root:
#   bench/import.sh [ROOTFS.tar] [RUNS]
# Without a tar it makes one with scripts/mkimage-debian.sh (about 300 MB).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
tarball=${1:-/var/tmp/kouti-bench-debian.tar}
runs=${2:-5}
[ -f "$tarball" ] || bash scripts/mkimage-debian.sh "$tarball"
work=/var/tmp/kouti-bench-import
rm -rf "$work" && mkdir -p "$work"
trap 'stop_dockerd; mountpoint -q "$work/dest" && umount "$work/dest"; rm -rf "$work"' EXIT
k="$PWD/build/kouti"
size=$(stat -c %s "$tarball")
cat "$tarball" > /dev/null # every contender reads it from the page cache

# Rounds interleave the tools so they share the machine's conditions. Each run writes to a new
# ext4 file system on a loop file on the same disk: ext4 searches inodes freed in the last minute
# when allocating, which would otherwise tax whichever tool runs right after a delete.
tools=(tar kouti)
command -v podman >/dev/null && tools+=(podman)
command -v dockerd >/dev/null && tools+=(docker)
command_for() {
    case $1 in
    tar) echo "tar -xf '$tarball' -C '$work/dest'" ;;
    kouti) echo "'$k' --root '$work/dest/root' --runroot '$work/dest/run' import '$tarball' bench:1" ;;
    podman) echo "podman --root '$work/dest/root' --runroot '$work/dest/run' --storage-driver overlay import '$tarball' bench:1" ;;
    docker) echo "docker import '$tarball' kouti-bench:1" ;; # its data root is in dest too
    esac
}
fresh() { # $1: the tool about to run
    stop_dockerd
    mountpoint -q "$work/dest" && umount "$work/dest"
    rm -f "$work/fs.img" && truncate -s 8G "$work/fs.img"
    mkfs.ext4 -q -F -E lazy_itable_init=0,lazy_journal_init=0 "$work/fs.img"
    mkdir -p "$work/dest" && mount -o loop "$work/fs.img" "$work/dest" && sync
    if [ "${1:-}" = docker ]; then DOCKERD_PARENT="$work/dest" start_dockerd; fi
}
declare -A all all_sync results
for ((i = 0; i < runs; i++)); do
    for t in "${tools[@]}"; do
        fresh "$t"
        all[$t]+="$(time_ms bash -c "$(command_for "$t")") "
        fresh "$t"
        all_sync[$t]+="$(time_ms bash -c "$(command_for "$t") && sync") "
    done
done
fresh
for t in "${tools[@]}"; do
    results[$t]=$(tr ' ' '\n' <<<"${all[$t]}" | grep . | median)
    results[$t+sync]=$(tr ' ' '\n' <<<"${all_sync[$t]}" | grep . | median)
done

echo "import of $(basename "$tarball") ($((size / 1000000)) MB), median of $runs runs, ms"
printf '%-8s %10s %8s %16s %8s\n' tool "page cache" "vs tar" "incl. sync" "vs tar"
for t in tar kouti podman docker; do
    [ -n "${results[$t]:-}" ] || continue
    printf '%-8s %10s %8s %16s %8s\n' "$t" "${results[$t]}" "$(ratio "${results[$t]}" "${results[tar]}")" \
        "${results[$t+sync]}" "$(ratio "${results[$t+sync]}" "${results[tar+sync]}")"
done
