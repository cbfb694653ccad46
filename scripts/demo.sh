#!/usr/bin/env bash
# The README's first command: makes busybox:latest from the host's busybox-static in a scratch
# store, and shows what kouti does with it.
set -euo pipefail
cd "$(dirname "$0")/.."
demo=${KOUTI_DEMO_DIR:-/tmp/kouti-demo}
export KOUTI_ROOT="$demo/root" KOUTI_RUNROOT="$demo/run"
k=build/kouti
mkdir -p "$demo"
bash scripts/mkimage-busybox.sh "$demo/busybox.tar"
show() { echo "\$ kouti $*"; "$k" "$@"; echo; }
"$k" rmi -f busybox:latest >/dev/null 2>&1 || true
show import -c 'CMD ["/bin/sh"]' "$demo/busybox.tar" busybox:latest
show images
show history busybox
show inspect --format '{{.Id}} {{json .RootFS.Layers}} {{.GraphDriver.Name}}' busybox
# Containers from that image: one in the foreground (its hostname is its short id), one in
# the background watched by its monitor, then listed, inspected, committed and removed.
export KOUTI_CGROUP_PARENT=/kouti-demo
show run --rm busybox sh -c 'echo hello from $(hostname); id; ls /; cat /proc/1/cmdline | tr "\0" " "; echo'
"$k" rm -f demo-web >/dev/null 2>&1 || true
show run -d --name demo-web busybox sh -c 'while true; do date; sleep 1; done'
sleep 1.2
show ps
show logs --tail 1 demo-web
show exec demo-web sh -c 'echo x > /from-exec'
show diff demo-web
show commit -m "changed in the demo" demo-web busybox:changed
show stop -t 1 demo-web
show ps -a
show rm demo-web
show rmi busybox:changed
# Its containers are gone: so is the cgroup parent they shared.
for d in /sys/fs/cgroup/*"$KOUTI_CGROUP_PARENT" /sys/fs/cgroup"$KOUTI_CGROUP_PARENT"; do
    { [ -d "$d" ] && rmdir "$d" 2>/dev/null; } || true
done
echo "(store in $KOUTI_ROOT)"
