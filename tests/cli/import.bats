#!/usr/bin/env bats
load helpers

@test "import prints the image ID and images lists it with Docker's columns" {
    run -0 kouti import "$BUSYBOX_TAR" busybox:latest
    [[ "$output" =~ ^sha256:[0-9a-f]{64}$ ]]
    id=${output#sha256:}
    run -0 kouti images
    [ "${lines[0]}" = "REPOSITORY   TAG       IMAGE ID       CREATED                  SIZE" ]
    [[ "${lines[1]}" =~ ^busybox\ {6}latest\ {4}${id:0:12}\ {3}(Less\ than\ a\ second|[0-9]+\ seconds?)\ ago\ +[0-9.]+MB$ ]]
    [ "${#lines[@]}" -eq 2 ]
}

@test "import reads standard input and every compression, storing identical content once" {
    for c in cat gzip xz bzip2 zstd; do
        run -0 bash -c "$c < '$BUSYBOX_TAR' | '$KOUTI_BIN' import - bb:$c"
    done
    run -0 kouti images --format '{{.Repository}}:{{.Tag}}'
    [ "${#lines[@]}" -eq 5 ]
    # Five images, one layer on disk.
    [ "$(ls "$KOUTI_ROOT/overlay" | grep -vc '^l$')" -eq 1 ]
    run -0 kouti inspect --format '{{index .RootFS.Layers 0}}' bb:cat bb:gzip bb:xz bb:bzip2 bb:zstd
    [ "$(printf '%s\n' "${lines[@]}" | sort -u | wc -l)" -eq 1 ]
    [ "${lines[0]}" = "sha256:$(sha256sum < "$BUSYBOX_TAR" | cut -d' ' -f1)" ]
}

@test "import without a reference makes a dangling image" {
    run -0 kouti import "$BUSYBOX_TAR"
    run -0 kouti images
    [[ "${lines[1]}" =~ ^\<none\>\ +\<none\>\ + ]]
}

@test "import --change and --message set the config, comment and history" {
    run -0 kouti import -c 'CMD ["/bin/sh","-c","echo hi"]' -c 'ENV A=1 B="two words"' \
        -c 'WORKDIR /srv' -c 'USER nobody' -c 'LABEL org.x=y' -c 'EXPOSE 80 53/udp' \
        -c 'VOLUME /data' -c 'ENTRYPOINT /bin/sh' -c 'STOPSIGNAL SIGINT' -m 'my message' "$BUSYBOX_TAR" app
    # (Maps in key order, as Go marshals them: 53/udp before 80/tcp.)
    run -0 kouti inspect --format '{{json .Config}}' app
    [ "$output" = '{"Hostname":"","Domainname":"","User":"nobody","AttachStdin":false,"AttachStdout":false,"AttachStderr":false,"Tty":false,"OpenStdin":false,"StdinOnce":false,"Env":["A=1","B=two words"],"Cmd":["/bin/sh","-c","echo hi"],"Image":"","Volumes":{"/data":{}},"WorkingDir":"/srv","Entrypoint":["/bin/sh","-c","/bin/sh"],"OnBuild":null,"Labels":{"org.x":"y"},"ExposedPorts":{"53/udp":{},"80/tcp":{}},"StopSignal":"SIGINT"}' ]
    run -0 kouti inspect --format '{{.Comment}}' app
    [ "$output" = "my message" ]
    run -0 kouti history --format '{{.Comment}}' app
    [ "$output" = "my message" ]
    run -0 kouti images --filter label=org.x=y --format '{{.Repository}}'
    [ "$output" = "app" ]
}

@test "import refuses an unknown change line and leaves the store as it was" {
    import_busybox
    before=$(store_snapshot)
    run -1 kouti import -c 'FROM scratch' "$BUSYBOX_TAR" x
    [ "$output" = "Error: from is not a valid change command" ] # as Docker's parser names it
    # A file that cannot be opened is said first, as Docker's CLI opens it before anything.
    run -1 kouti import -c 'FROM scratch' "$BATS_TEST_TMPDIR/missing.tar" 'bad name'
    [ "$output" = "Error: open $BATS_TEST_TMPDIR/missing.tar: no such file or directory" ]
    [ "$(store_snapshot)" = "$before" ]
}

@test "bad archives get one line, exit 1, and leave the store unchanged" {
    import_busybox
    before=$(store_snapshot)
    printf 'this is not a tar archive at all, just some text that is long enough to look at%.0s' {1..20} > "$BATS_TEST_TMPDIR/text"
    : > "$BATS_TEST_TMPDIR/empty"
    head -c 300000 "$BUSYBOX_TAR" > "$BATS_TEST_TMPDIR/truncated.tar"
    gzip -c "$BUSYBOX_TAR" | head -c 200000 > "$BATS_TEST_TMPDIR/truncated.tar.gz"
    chmod 000 "$BATS_TEST_TMPDIR/empty"
    run -1 kouti import "$BATS_TEST_TMPDIR/missing.tar" x
    [ "$output" = "Error: open $BATS_TEST_TMPDIR/missing.tar: no such file or directory" ]
    run -1 kouti import "$BATS_TEST_TMPDIR" x
    [ "$output" = "Error: open $BATS_TEST_TMPDIR: is a directory" ]
    chmod 644 "$BATS_TEST_TMPDIR/empty"
    run -1 kouti import "$BATS_TEST_TMPDIR/empty" x
    [ "$output" = "Error: empty archive" ]
    run -1 kouti import "$BATS_TEST_TMPDIR/text" x
    [ "$output" = "Error: archive is not a tar file" ]
    run -1 kouti import "$BATS_TEST_TMPDIR/truncated.tar" x
    [[ "$output" =~ ^Error:\ .*(runcated|unexpected\ end) ]]
    [ "${#lines[@]}" -eq 1 ]
    run -1 kouti import "$BATS_TEST_TMPDIR/truncated.tar.gz" x
    [[ "$output" =~ ^Error:\ .*(runcated|unexpected\ end|EOF) ]]
    [ "${#lines[@]}" -eq 1 ]
    [ "$(store_snapshot)" = "$before" ]
    run -0 kouti system check
    [ "$output" = "no problems found" ]
}

@test "hostile tar members are refused and nothing is written outside the layer" {
    out="$BATS_TEST_TMPDIR/outside"
    mkdir -p "$out"
    echo secret > "$out/target"
    cd "$BATS_TEST_TMPDIR"
    python3 "$MKTAR" dotdot dotdot.tar
    python3 "$MKTAR" absolute absolute.tar "$out/absolute"
    python3 "$MKTAR" symlink symlink.tar "$out"
    python3 "$MKTAR" hardlink hardlink.tar "$out/target"
    python3 "$MKTAR" hardlink-dotdot hardlink2.tar
    run -1 kouti import dotdot.tar x
    [ "$output" = 'Error: invalid tar member "../escaped-by-dotdot": path escapes the archive root' ]
    run -1 kouti import absolute.tar x
    [ "$output" = "Error: invalid tar member \"$out/absolute\": absolute path" ]
    run -1 kouti import symlink.tar x
    [ "$output" = 'Error: invalid tar member "evil/pwned": path goes through a symlink' ]
    run -1 kouti import hardlink.tar x
    [ "$output" = "Error: invalid tar member \"link\": hard link target \"$out/target\" is outside the archive" ]
    run -1 kouti import hardlink2.tar x
    [ "$output" = 'Error: invalid tar member "link": hard link target "../../etc/passwd" is outside the archive' ]
    [ "$(ls "$out")" = "target" ]
    [ "$(cat "$out/target")" = "secret" ]
    [ ! -e "$KOUTI_ROOT/escaped-by-dotdot" ] && [ ! -e "$BATS_TEST_TMPDIR/escaped-by-dotdot" ]
    run -0 kouti images -q
    [ -z "$output" ]
    run -0 kouti system check
    [ "$output" = "no problems found" ]
}

@test "invalid references get Docker's message and exit code" {
    run -125 kouti import "$BUSYBOX_TAR" UPPER:case
    [ "$output" = "Error: invalid reference format: repository name (library/UPPER) must be lowercase" ]
    run -125 kouti import "$BUSYBOX_TAR" a::b
    [ "$output" = "Error: invalid reference format" ]
    run -125 kouti import "$BUSYBOX_TAR" "a:$(printf 't%.0s' {1..200})"
    [ "$output" = "Error: invalid reference format" ]
    import_busybox
    run -1 kouti tag busybox 'bad name' # Docker's client refuses it, exit 1
    [ "$output" = 'Error: Error parsing reference: "bad name" is not a valid repository/tag: invalid reference format' ]
    run -0 kouti images -q -a
    [ "${#lines[@]}" -eq 1 ]
}

@test "import is all-or-nothing when kouti is killed at any point" {
    for point in extracting import-extracted layer-published image-placed image-committed; do
        KOUTI_CRASH_AT=$point run -137 kouti import "$BUSYBOX_TAR" "bb:$point"
        run -0 kouti images --format '{{.Tag}}'
        if [ "$point" = image-committed ]; then [ "$output" = "$point" ]; else [ -z "$output" ]; fi
        run -0 kouti system check
        [ "$output" = "no problems found" ]
        [ "$(ls "$KOUTI_ROOT/tmp")" = "" ]
    done
    # The image that survived is whole: it saves and its layer blob matches its diff ID.
    run -0 kouti save -o "$BATS_TEST_TMPDIR/s.tar" bb:image-committed
}

@test "import killed by a real SIGKILL at random moments leaves a consistent store" {
    python3 "$MKTAR" bigfiles "$BATS_TEST_TMPDIR/big.tar" 40
    for delay in 0.01 0.05 0.1 0.2 0.3; do
        "$KOUTI_BIN" import "$BATS_TEST_TMPDIR/big.tar" big:1 >/dev/null 2>&1 &
        pid=$!
        sleep "$delay"
        kill -9 "$pid" 2>/dev/null || true
        wait "$pid" || true
        run -0 kouti system check
        [ "$output" = "no problems found" ]
        run -0 kouti images --format '{{.Repository}}'
        [ -z "$output" ] || [ "$output" = big ]
        [ -z "$output" ] || kouti rmi big:1 >/dev/null
    done
}

@test "parallel imports of the same content all succeed and store it once" {
    for i in 1 2 3 4 5 6; do kouti import "$BUSYBOX_TAR" "p:$i" > "$BATS_TEST_TMPDIR/out$i" 2>&1 & done
    wait
    run -0 kouti images --format '{{.Tag}}'
    [ "${#lines[@]}" -eq 6 ]
    [ "$(ls "$KOUTI_ROOT/overlay" | grep -vc '^l$')" -eq 1 ]
    run -0 kouti system check
    [ "$output" = "no problems found" ]
}

@test "a progress bar is drawn on a terminal, and nothing extra otherwise" {
    command -v script >/dev/null || skip "script(1) is not installed (util-linux)"
    run -0 script -qec "'$KOUTI_BIN' import '$BUSYBOX_TAR' tty:1" /dev/null
    [[ "$output" == *"Importing ["*"=]"*"MB/"*"MB"* ]]
    [[ "$output" =~ sha256:[0-9a-f]{64} ]]
    kouti save -o "$BATS_TEST_TMPDIR/s.tar" tty:1
    run -0 script -qec "'$KOUTI_BIN' load -i '$BATS_TEST_TMPDIR/s.tar'" /dev/null
    [[ "$output" == *"Loading ["* ]]
    run -0 script -qec "'$KOUTI_BIN' load -q -i '$BATS_TEST_TMPDIR/s.tar'" /dev/null
    [[ "$output" != *"Loading"* ]]
    # Not a terminal: only the ID, on stdout, and nothing on stderr.
    kouti import "$BUSYBOX_TAR" tty:2 > "$BATS_TEST_TMPDIR/out" 2> "$BATS_TEST_TMPDIR/err"
    [ ! -s "$BATS_TEST_TMPDIR/err" ]
    [[ "$(cat "$BATS_TEST_TMPDIR/out")" =~ ^sha256:[0-9a-f]{64}$ ]]
}
