#!/usr/bin/env bats
load helpers

@test "save, rmi, load gives back the same image ID and layer digests" {
    id=$(import_busybox)
    layers=$(kouti inspect --format '{{json .RootFS.Layers}}' busybox)
    run -0 kouti save -o "$BATS_TEST_TMPDIR/bb.tar" busybox
    run -0 tar -tf "$BATS_TEST_TMPDIR/bb.tar"
    [[ "$output" == *"manifest.json"* && "$output" == *"index.json"* && "$output" == *"oci-layout"* ]]
    kouti rmi busybox >/dev/null
    run -0 kouti load -i "$BATS_TEST_TMPDIR/bb.tar"
    [ "$output" = "Loaded image: busybox:latest" ]
    run -0 kouti inspect --format '{{.Id}} {{json .RootFS.Layers}}' busybox
    [ "$output" = "$id $layers" ]
    # Standard input and standard output work too.
    kouti save busybox > "$BATS_TEST_TMPDIR/stdout.tar"
    cmp "$BATS_TEST_TMPDIR/stdout.tar" "$BATS_TEST_TMPDIR/bb.tar"
    kouti rmi busybox >/dev/null
    run -0 bash -c "'$KOUTI_BIN' load < '$BATS_TEST_TMPDIR/stdout.tar'"
    [ "$output" = "Loaded image: busybox:latest" ]
}

@test "save of several images, one by ID, and an OCI archive round trip" {
    a=$(import_busybox a:1)
    b=$(kouti import -c 'CMD ["sh"]' "$BUSYBOX_TAR")
    run -0 kouti save --format oci-archive -o "$BATS_TEST_TMPDIR/oci.tar" a:1 "${b:7:12}"
    run -0 tar -tf "$BATS_TEST_TMPDIR/oci.tar"
    [[ "$output" != *"manifest.json"* ]]
    kouti rmi a:1 "${b:7:12}" >/dev/null
    run -0 kouti load -i "$BATS_TEST_TMPDIR/oci.tar"
    [ "${lines[0]}" = "Loaded image: a:1" ]
    [ "${lines[1]}" = "Loaded image ID: $b" ]
    run -0 kouti images -a --no-trunc --format '{{.ID}}'
    [[ "$output" == *"$a"* && "$output" == *"$b"* ]]
}

@test "skopeo reads kouti's archives, and kouti loads skopeo's" {
    command -v skopeo >/dev/null || skip "skopeo is not installed (scripts/install-deps.sh installs it)"
    id=$(import_busybox)
    layer=$(kouti inspect --format '{{index .RootFS.Layers 0}}' busybox)
    kouti save -o "$BATS_TEST_TMPDIR/bb.tar" busybox
    run -0 skopeo inspect "docker-archive:$BATS_TEST_TMPDIR/bb.tar"
    [[ "$output" == *"\"$layer\""* ]]
    run -0 skopeo inspect --config "docker-archive:$BATS_TEST_TMPDIR/bb.tar"
    [ "sha256:$(skopeo inspect --raw --config "docker-archive:$BATS_TEST_TMPDIR/bb.tar" | sha256sum | cut -d' ' -f1)" = "$id" ]
    run -0 skopeo inspect "oci-archive:$BATS_TEST_TMPDIR/bb.tar"
    [[ "$output" == *"\"$layer\""* ]]
    skopeo copy -q "docker-archive:$BATS_TEST_TMPDIR/bb.tar" "docker-archive:$BATS_TEST_TMPDIR/sk-docker.tar:sk/docker:v1"
    skopeo copy -q "docker-archive:$BATS_TEST_TMPDIR/bb.tar" "oci-archive:$BATS_TEST_TMPDIR/sk-oci.tar:sk/oci:v2"
    run -0 kouti load -i "$BATS_TEST_TMPDIR/sk-docker.tar"
    [ "$output" = "Loaded image: sk/docker:v1" ]
    run -0 kouti load -i "$BATS_TEST_TMPDIR/sk-oci.tar"
    [ "$output" = "Loaded image: sk/oci:v2" ]
    run -0 kouti inspect --format '{{index .RootFS.Layers 0}}' sk/docker:v1 sk/oci:v2
    [ "$output" = "$layer"$'\n'"$layer" ]
    # skopeo's docker-archive keeps the config byte for byte: same image ID.
    [ "$(kouti inspect --format '{{.Id}}' sk/docker:v1)" = "$id" ]
    run -0 kouti system check
    [ "$output" = "no problems found" ]
}

@test "podman loads an archive saved by kouti" {
    command -v podman >/dev/null || skip "podman is not installed (scripts/install-deps.sh installs it)"
    id=$(import_busybox)
    kouti save -o "$BATS_TEST_TMPDIR/bb.tar" busybox
    p=(podman --root "$BATS_TEST_TMPDIR/podman" --runroot "$BATS_TEST_TMPDIR/podman-run" --storage-driver vfs)
    run -0 "${p[@]}" load -q -i "$BATS_TEST_TMPDIR/bb.tar"
    run -0 "${p[@]}" images --no-trunc --format '{{.Repository}}:{{.Tag}} {{.ID}}'
    [ "$output" = "docker.io/library/busybox:latest $id" ]
    "${p[@]}" rmi -a -f >/dev/null 2>&1 || true
}

@test "load applies whiteouts: overlay keeps them as devices and xattrs, vfs deletes" {
    python3 "$MKTAR" whiteouts "$BATS_TEST_TMPDIR/wh.tar"
    run -0 kouti load -i "$BATS_TEST_TMPDIR/wh.tar"
    [ "$output" = "Loaded image: wh:latest" ]
    top=$(kouti inspect --format '{{.GraphDriver.Data.UpperDir}}' wh)
    [ "$(stat -c '%F %t:%T' "$top/a/b")" = "character special file 0:0" ]
    [ "$(python3 -c 'import os,sys; print(os.getxattr(sys.argv[1], "trusted.overlay.opaque").decode())' "$top/d")" = "y" ]
    [ "$(cat "$top/d/f")" = "f" ]

    export KOUTI_ROOT="$BATS_TEST_TMPDIR/vfsroot"
    run -0 kouti --storage-driver vfs load -i "$BATS_TEST_TMPDIR/wh.tar"
    dir=$(kouti inspect --format '{{.GraphDriver.Data.Dir}}' wh)
    [ "$(cd "$dir" && find . -type f | sort | tr '\n' ' ')" = "./a/c ./d/f " ]
}

@test "load refuses damaged and hostile archives and leaves the store unchanged" {
    import_busybox >/dev/null
    before=$(store_snapshot)
    python3 "$MKTAR" whiteouts "$BATS_TEST_TMPDIR/wh.tar"
    mkdir "$BATS_TEST_TMPDIR/x" && tar -C "$BATS_TEST_TMPDIR/x" -xf "$BATS_TEST_TMPDIR/wh.tar"
    # A layer whose content no longer matches the config's diff ID.
    layer=$(ls "$BATS_TEST_TMPDIR"/x/*/layer.tar | tail -1)
    python3 "$MKTAR" dotdot "$layer"
    tar -C "$BATS_TEST_TMPDIR/x" -cf "$BATS_TEST_TMPDIR/bad-layer.tar" .
    run -1 kouti load -i "$BATS_TEST_TMPDIR/bad-layer.tar"
    [[ "$output" =~ ^Error:\ layer\ .*(does\ not\ match|escapes) ]]
    # A manifest that points outside the archive.
    echo '[{"Config":"../../../../etc/passwd","RepoTags":["evil:1"],"Layers":[]}]' > "$BATS_TEST_TMPDIR/x/manifest.json"
    tar -C "$BATS_TEST_TMPDIR/x" -cf "$BATS_TEST_TMPDIR/evil.tar" .
    run -1 kouti load -i "$BATS_TEST_TMPDIR/evil.tar"
    [ "$output" = 'Error: invalid image archive: path "../../../../etc/passwd" is outside the archive' ]
    echo 'not an archive' > "$BATS_TEST_TMPDIR/junk"
    run -1 kouti load -i "$BATS_TEST_TMPDIR/junk"
    [ "$output" = "Error: archive is not a tar file" ]
    tar -C "$BATS_TEST_TMPDIR" -cf "$BATS_TEST_TMPDIR/nomanifest.tar" junk
    run -1 kouti load -i "$BATS_TEST_TMPDIR/nomanifest.tar"
    [ "$output" = "Error: invalid image archive: neither manifest.json nor index.json found" ]
    run -1 kouti load -i "$BATS_TEST_TMPDIR/missing.tar"
    [ "$output" = "Error: open $BATS_TEST_TMPDIR/missing.tar: no such file or directory" ]
    [ "$(store_snapshot)" = "$before" ]
    run -0 kouti system check
    [ "$output" = "no problems found" ]
}

@test "save of a missing image fails without leaving a partial file" {
    run -1 kouti save -o "$BATS_TEST_TMPDIR/out.tar" nope
    [ "$output" = "Error: No such image: nope:latest" ]
    [ -z "$(ls "$BATS_TEST_TMPDIR" | grep out.tar || true)" ]
}

@test "save -o and export -o refuse what is not a regular file instead of replacing it" {
    import_busybox
    kouti create --name ex busybox true >/dev/null
    out="$BATS_TEST_TMPDIR/out"
    mkdir "$out"
    mknod "$out/dev" c 1 3
    mkfifo "$out/fifo"
    run -1 kouti save -o "$out/dev" busybox
    [ "$output" = "Error: failed to save image: cannot write to a character device file" ]
    run -1 kouti export -o "$out/dev" ex
    [ "$output" = "Error: failed to export container: cannot write to a character device file" ]
    [ -c "$out/dev" ] # still the device, not a file put in its place
    run -1 kouti export -o "$out/fifo" ex
    [ "$output" = "Error: failed to export container: cannot write to a named pipe (FIFO)" ]
    [ -p "$out/fifo" ]
    run -1 kouti save -o "$out" busybox
    [ "$output" = "Error: failed to save image: cannot write to a directory" ]
    run -1 kouti export -o "$out/no/such.tar" ex
    [ "$output" = "Error: failed to export container: invalid output path: stat $out/no: no such file or directory" ]
    [ "$(ls "$out" | sort | tr '\n' ' ')" = "dev fifo " ] # no temporary file left
    kouti export -o "$out/ok.tar" ex
    tar -tf "$out/ok.tar" | grep -qx bin/busybox
}

# The layer in a saved archive must be the imported tar byte for byte, however kouti kept it:
# rebuilt from a tar-split record (a file input), copied while streaming (standard input), or
# kept whole because members replaced each other.
@test "saved layers are byte-identical to the imported tars" {
    python3 "$MKTAR" duplicate "$BATS_TEST_TMPDIR/dup.tar"
    kouti import "$BUSYBOX_TAR" from-file >/dev/null
    kouti import - from-stdin < "$BUSYBOX_TAR" >/dev/null
    kouti import "$BATS_TEST_TMPDIR/dup.tar" dup >/dev/null
    [ -n "$(ls "$KOUTI_ROOT/tar-split")" ]
    for image in from-file from-stdin dup; do
        src=$BUSYBOX_TAR
        [ "$image" = dup ] && src=$BATS_TEST_TMPDIR/dup.tar
        diff=$(kouti inspect --format '{{index .RootFS.Layers 0}}' "$image")
        rm -rf "$BATS_TEST_TMPDIR/out" && mkdir "$BATS_TEST_TMPDIR/out"
        kouti save "$image" | tar -C "$BATS_TEST_TMPDIR/out" -xf -
        cmp "$src" "$BATS_TEST_TMPDIR/out/blobs/sha256/${diff#sha256:}"
    done
    # A layer whose files were tampered with is refused rather than saved wrong.
    upper=$(kouti inspect --format '{{.GraphDriver.Data.UpperDir}}' from-file)
    [ ! -e "$KOUTI_ROOT/blobs/sha256/$(kouti inspect --format '{{index .RootFS.Layers 0}}' from-file | cut -c8-)" ]
    echo tampered >> "$upper/etc/passwd"
    run -1 kouti save -o "$BATS_TEST_TMPDIR/bad.tar" from-file
    [[ "$output" == *"changed size since it was unpacked"* ]]
    [ ! -e "$BATS_TEST_TMPDIR/bad.tar" ]
}

@test "docker load reads an archive saved by kouti" {
    command -v dockerd >/dev/null || skip "dockerd is not installed (scripts/install-deps.sh installs docker.io)"
    id=$(import_busybox)
    kouti save -o "$BATS_TEST_TMPDIR/bb.tar" busybox
    d="$BATS_TEST_TMPDIR/dockerd"
    mkdir -p "$d"
    # A private daemon in its own network namespace: no bridge, no iptables, nothing reachable.
    unshare --net dockerd --data-root "$d/data" --exec-root "$d/exec" --pidfile "$d/pid" -H "unix://$d/sock" \
        --bridge=none --iptables=false --ip-masq=false >"$d/log" 2>&1 &
    export DOCKER_HOST="unix://$d/sock"
    for _ in $(seq 150); do docker info >/dev/null 2>&1 && break; sleep 0.2; done
    run docker load -i "$BATS_TEST_TMPDIR/bb.tar"
    loaded=$output
    run docker image inspect --format '{{.Id}} {{index .RepoTags 0}}' busybox:latest
    inspected=$output
    kill "$(cat "$d/pid")"
    for _ in $(seq 100); do [ -e "$d/pid" ] || break; sleep 0.2; done
    umount -R "$d/exec" "$d/data" 2>/dev/null || true
    [ "$loaded" = "Loaded image: busybox:latest" ]
    [ "$inspected" = "$id busybox:latest" ]
}
