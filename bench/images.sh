#!/usr/bin/env bash
# `kouti images` with 1,000 images, and rmi cost against the size of the store. Run by hand:
#   bench/images.sh [N_IMAGES]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
n=${1:-1000}
work=$(mktemp -d /var/tmp/kouti-bench-images.XXXX)
trap 'rm -rf "$work"' EXIT
export KOUTI_ROOT="$work/root" KOUTI_RUNROOT="$work/run"
k="$PWD/build/kouti"
bash scripts/mkimage-busybox.sh "$work/bb.tar"
# Distinct images (each its own config) sharing one layer, tagged like real ones.
for ((i = 0; i < n; i++)); do "$k" import -m "image $i" "$work/bb.tar" "repo$((i % 50))/app:v$i" >/dev/null; done
t=(); for i in $(seq 20); do t+=("$(time_ms "$k" images)"); done
images_ms=$(printf '%s\n' "${t[@]}" | median)
t=(); for i in $(seq 20); do t+=("$(time_ms "$k" images -a -q)"); done
quiet_ms=$(printf '%s\n' "${t[@]}" | median)
rows=$("$k" images | wc -l)
# rmi of an image that shares its layer (metadata only) and of one with its own layer.
t=(); for i in $(seq 0 $((n < 10 ? n - 1 : 9))); do t+=("$(time_ms "$k" rmi "repo$((i % 50))/app:v$i")"); done
rmi_shared_ms=$(printf '%s\n' "${t[@]}" | median)
t=(); for i in $(seq 10); do
    head -c 100000 /dev/urandom > "$work/u$i" && tar -C "$work" -cf "$work/u$i.tar" "u$i"
    "$k" import "$work/u$i.tar" "own:$i" >/dev/null
    t+=("$(time_ms "$k" rmi "own:$i")")
done
rmi_own_ms=$(printf '%s\n' "${t[@]}" | median)
echo "images in store: $n (rows listed: $((rows - 1)))"
echo "kouti images          median of 20: ${images_ms} ms"
echo "kouti images -a -q    median of 20: ${quiet_ms} ms"
echo "kouti rmi (shared layer, metadata only) median of 10: ${rmi_shared_ms} ms"
echo "kouti rmi (own 100 kB layer)            median of 10: ${rmi_own_ms} ms"
