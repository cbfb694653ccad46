#!/usr/bin/env bash
# Writes a busybox rootfs tar built from the host's busybox-static: the binary, one symlink per
# applet, /etc/passwd and /etc/group. Usage: mkimage-busybox.sh OUT.tar
set -euo pipefail
out=${1:?usage: mkimage-busybox.sh OUT.tar}
bb=$(command -v busybox || true)
[ -x /bin/busybox ] && bb=/bin/busybox
[ -n "$bb" ] || { echo "busybox not found: apt-get install busybox-static" >&2; exit 1; }
{ ldd "$bb" 2>&1 || true; } | grep -q 'not a dynamic' || {
    echo "$bb is not statically linked: apt-get install busybox-static" >&2; exit 1; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
chmod 755 "$dir"
mkdir -p "$dir"/{bin,sbin,usr/bin,usr/sbin,etc,root,tmp,proc,sys,dev,var/run,home}
chmod 1777 "$dir/tmp"
cp "$bb" "$dir/bin/busybox"
"$bb" --list-full | while read -r applet; do
    [ "$applet" = "bin/busybox" ] && continue
    mkdir -p "$dir/$(dirname "$applet")"
    # Relative links, so the tree is also usable outside a container.
    depth=$(awk -F/ '{print NF-1}' <<<"$applet")
    prefix=""
    for ((i = 0; i < depth; i++)); do prefix+="../"; done
    ln -sf "${prefix}bin/busybox" "$dir/$applet"
done
cat > "$dir/etc/passwd" <<'P'
root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/bin/false
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
P
cat > "$dir/etc/group" <<'G'
root:x:0:
daemon:x:1:
nogroup:x:65534:
G
tar --numeric-owner --owner=0 --group=0 -C "$dir" -cf "$out" .
