#!/usr/bin/env bash
# Writes a Debian rootfs tar made with debootstrap (for benchmarks and the optional slow test).
# Usage: mkimage-debian.sh OUT.tar [SUITE] [EXTRA_PACKAGES]
# The default package set makes a tar of a bit over 300 MB, the size the import benchmark needs.
set -euo pipefail
out=${1:?usage: mkimage-debian.sh OUT.tar [SUITE] [EXTRA_PACKAGES]}
suite=${2:-bookworm}
extra=${3:-python3,perl,gcc,make,git,curl,vim-tiny,less,procps,iproute2}
command -v debootstrap >/dev/null || { echo "debootstrap missing: apt-get install debootstrap" >&2; exit 1; }
mirror=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
[ -n "$mirror" ] || mirror=$(awk '/^deb / {print $2; exit}' /etc/apt/sources.list 2>/dev/null)
[ -n "$mirror" ] || mirror=http://deb.debian.org/debian
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
debootstrap --variant=minbase --include="$extra" "$suite" "$dir/rootfs" "$mirror" >&2
rm -rf "$dir"/rootfs/var/cache/apt/archives/*.deb
tar --numeric-owner -C "$dir/rootfs" -cf "$out" .
ls -l "$out" >&2
