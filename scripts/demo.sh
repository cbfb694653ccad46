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
echo "(store in $KOUTI_ROOT; containers arrive with the runtime and containers issues)"
