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
# A container from that image through kouti's OCI runtime (`kouti run` arrives with the
# containers issue): its layer comes out of `kouti save`, unpacked into a bundle.
bundle="$demo/bundle"
rm -rf "$bundle" && mkdir -p "$bundle/rootfs"
layer=$("$k" inspect --format '{{index .RootFS.Layers 0}}' busybox)
"$k" save busybox | tar -xOf - "blobs/sha256/${layer#sha256:}" | tar -C "$bundle/rootfs" -xf -
(cd "$bundle" && "$OLDPWD/$k" oci spec)
python3 - "$bundle/config.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["process"]["terminal"] = False
c["process"]["args"] = ["sh", "-c", "echo hello from $(hostname); id; ps; ls /"]
c["hostname"] = "kouti-demo"
json.dump(c, open(sys.argv[1], "w"), indent=2)
PY
echo "\$ kouti oci run demo   (in $bundle)"
(cd "$bundle" && "$OLDPWD/$k" oci --root "$KOUTI_RUNROOT/oci" run "demo-$$")
echo
echo "(store in $KOUTI_ROOT)"
