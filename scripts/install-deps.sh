#!/usr/bin/env bash
# Installs every Debian package kouti's build, tests and demo need. Idempotent, non-interactive.
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config
  nlohmann-json3-dev libarchive-dev libsqlite3-dev libssl-dev libfmt-dev libseccomp-dev
  libgtest-dev googletest
  bats busybox-static skopeo podman docker.io containerd time sqlite3 python3 diffutils util-linux
  zstd xz-utils bzip2 gzip procps zlib1g-dev
  libmnl-dev libnftables-dev libnftables1 nftables iproute2
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
  $sudo apt-get update -q
  $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
