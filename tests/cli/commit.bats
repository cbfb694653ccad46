#!/usr/bin/env bats
# commit, export, diff, exec, and the image removals containers and child images prevent.
load container_helpers

@test "commit -p -m makes an image whose only new layer is the change, with whiteouts" {
    kouti run --name c1 busybox sh -c 'echo hi > /newfile; rm /bin/ls; mkdir -p /etc/x; echo y > /etc/x/z'
    run kouti diff c1
    [ "$output" = "$(printf 'C /bin\nD /bin/ls\nC /etc\nA /etc/x\nA /etc/x/z\nA /newfile')" ]
    id=$(kouti commit -p -m "my message" c1 mine:v1)
    [[ "$id" =~ ^sha256:[0-9a-f]{64}$ ]]
    [ "$(kouti inspect -f '{{.Comment}} {{len .RootFS.Layers}}' mine:v1)" = "my message 2" ]
    [ "$(kouti inspect -f '{{.Parent}}' mine:v1)" = "$(kouti inspect -f '{{.Id}}' busybox)" ]
    run kouti history --format '{{.Comment}}' mine:v1
    [ "${lines[0]}" = "my message" ]
    run kouti run --rm mine:v1 sh -c 'cat /newfile /etc/x/z; test -e /bin/ls || echo no-ls'
    [ "$output" = "$(printf 'hi\ny\nno-ls')" ]
    # The new layer holds the change only: a few entries, OCI whiteout for the deletion.
    mkdir "$BATS_TEST_TMPDIR/s" && kouti save -o "$BATS_TEST_TMPDIR/s/img.tar" mine:v1
    tar -C "$BATS_TEST_TMPDIR/s" -xf "$BATS_TEST_TMPDIR/s/img.tar"
    last=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["Layers"][-1])' "$BATS_TEST_TMPDIR/s/manifest.json")
    run tar -tf "$BATS_TEST_TMPDIR/s/$last"
    [ "$output" = "$(printf 'bin/\nbin/.wh.ls\netc/\netc/x/\netc/x/z\nnewfile')" ]
}

@test "commit of a running container pauses it while reading, and applies --change" {
    kouti_bg run -d --name live busybox sh -c 'echo data > /live-file; while true; do sleep 0.1; done' >/dev/null
    wait_for live '{{.State.Running}}' true
    sleep 0.2
    kouti commit -c 'CMD ["cat", "/live-file"]' -c 'ENV MODE=test' -a "Ann <ann@example.com>" live snap >/dev/null
    run kouti commit live 'Bad:Tag' # the docker CLI's own check: exit 1
    [ "$status" -eq 1 ]
    [ "$output" = "Error: invalid reference format: repository name (library/Bad) must be lowercase" ]
    [ "$(kouti inspect -f '{{.State.Status}}' live)" = "running" ]
    [ "$(kouti inspect -f '{{.Author}} {{json .Config.Cmd}}' snap)" = 'Ann <ann@example.com> ["cat","/live-file"]' ]
    run kouti run --rm snap
    [ "$output" = "data" ]
    run kouti run --rm snap sh -c 'echo $MODE'
    [ "$output" = "test" ]
}

@test "commit of a one-file change on the image is fast" {
    kouti run --name small busybox sh -c 'echo one > /one'
    start=$(date +%s%N)
    kouti commit small quick >/dev/null
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    echo "commit took $ms ms"
    [ "$ms" -lt 1000 ]
}

@test "export writes the flattened file system of a stopped or running container" {
    kouti run --name e1 busybox sh -c 'echo hi > /exported; rm /bin/cat'
    kouti export e1 > "$BATS_TEST_TMPDIR/fs.tar"
    run tar -tf "$BATS_TEST_TMPDIR/fs.tar"
    [[ "$output" =~ (^|$'\n')exported($'\n'|$) ]]
    [[ "$output" =~ (^|$'\n')bin/busybox($'\n'|$) ]]
    ! [[ "$output" =~ (^|$'\n')bin/cat($'\n'|$) ]]
    ! [[ "$output" =~ \.wh\. ]]
    [ "$(tar -xOf "$BATS_TEST_TMPDIR/fs.tar" exported)" = "hi" ]
    kouti_bg run -d --name e2 busybox sh -c 'echo live > /live; sleep 1000' >/dev/null
    wait_for e2 '{{.State.Running}}' true
    sleep 0.2
    kouti export -o "$BATS_TEST_TMPDIR/live.tar" e2
    [ "$(tar -xOf "$BATS_TEST_TMPDIR/live.tar" live)" = "live" ]
    [ -z "$(grep " $KOUTI_ROOT" /proc/self/mountinfo)" ]
}

@test "exec runs in the container with its exit code, -e --env-file -w -u, and refuses stopped ones" {
    kouti_bg run -d --name x1 busybox sleep 1000 >/dev/null
    wait_for x1 '{{.State.Running}}' true
    run kouti exec x1 sh -c 'echo $(hostname) $$; exit 5'
    [ "$status" -eq 5 ]
    id=$(kouti inspect -f '{{.Id}}' x1)
    [[ "$output" =~ ^${id:0:12}\ [0-9]+$ ]]
    [ "$(kouti exec -e A=1 -w /etc -u nobody x1 sh -c 'echo $A $(pwd) $(id -u)')" = "1 /etc 65534" ]
    printf 'B=from-file\n# a comment\nC=3\n' > "$BATS_TEST_TMPDIR/env"
    [ "$(kouti exec --env-file "$BATS_TEST_TMPDIR/env" -e C=4 x1 sh -c 'echo $B $C')" = "from-file 4" ]
    run kouti exec --env-file "$BATS_TEST_TMPDIR/nosuch" x1 true
    [ "$status" -eq 125 ]
    [ "$output" = "Error: open $BATS_TEST_TMPDIR/nosuch: no such file or directory" ]
    run -126 kouti exec x1 nosuch # Docker's exec: 126, where run gives 127
    [ "$output" = 'Error: OCI runtime exec failed: exec: "nosuch": executable file not found in $PATH' ]
    run -126 kouti exec x1 /etc
    [ "$output" = 'Error: OCI runtime exec failed: exec: "/etc": permission denied' ]
    run -126 kouti exec -w /nonexistent x1 pwd
    [ "$output" = 'Error: OCI runtime exec failed: chdir to cwd ("/nonexistent") set in config.json failed: no such file or directory' ]
    run python3 "$PTY_RUN" 'tty; exit 2\n' "$KOUTI_BIN" exec -it x1 sh
    [ "$status" -eq 2 ]
    [[ "$output" =~ /dev/pts/ ]]
    # Ctrl-P Ctrl-Q (or --detach-keys) leaves the process running, as Docker's exec -it.
    run python3 "$PTY_RUN" 'echo $$ > /detached-pid; echo typed\n|\x10\x11' "$KOUTI_BIN" exec -it x1 sh
    [ "$status" -eq 0 ]
    sleep 0.3
    pid=$(kouti exec x1 cat /detached-pid)
    [ "$(kouti exec x1 sh -c "cat /proc/$pid/comm")" = "sh" ]
    run python3 "$PTY_RUN" 'echo $$ > /detached-pid2\n|\x01x' "$KOUTI_BIN" exec -it --detach-keys ctrl-a,x x1 sh
    [ "$status" -eq 0 ]
    sleep 0.3
    pid=$(kouti exec x1 cat /detached-pid2)
    [ "$(kouti exec x1 sh -c "cat /proc/$pid/comm")" = "sh" ]
    run kouti exec --detach-keys ctrl-,x x1 true
    [ "$status" -eq 1 ]
    [ "$output" = "Error: Invalid escape keys (ctrl-,x) provided" ]
    # -it needs our stdin to be a terminal, as Docker's; -d -t gives the process one all the same.
    run kouti exec -it x1 true </dev/null
    [ "$status" -eq 1 ]
    [ "$output" = "Error: the input device is not a TTY" ]
    run kouti exec -d -t x1 sh -c 'tty > /tty-of-d; echo some output; sleep 0.5; echo more'
    [ "$status" -eq 0 ]
    [ -z "$output" ]
    sleep 0.2
    [[ "$(kouti exec x1 cat /tty-of-d)" =~ ^/dev/pts/[0-9]+$ ]]
    sleep 0.6 # the terminal's holder leaves with the process
    [ -z "$(pgrep -f 'kouti.*exec -d -t x1')" ]
    run -126 kouti exec -d x1 nosuch # detached, the error is still ours to print
    [[ "$output" =~ 'executable file not found' ]]
    kouti stop -t 0 x1 >/dev/null
    run kouti exec x1 true
    [ "$status" -eq 1 ]
    [[ "$output" =~ "is not running" ]]
}

@test "rmi refuses an image a container uses, and a parent with dependent child images" {
    kouti create --name user busybox true >/dev/null
    cid=$(kouti inspect -f '{{.Id}}' user)
    iid=$(kouti inspect -f '{{.Id}}' busybox)
    run kouti rmi busybox
    [ "$status" -eq 1 ]
    [ "$output" = "Error: conflict: unable to remove repository reference \"busybox\" (must force) - container ${cid:0:12} is using its referenced image ${iid:7:12}" ]
    # Not its last name: that one is only untagged, the container keeps its image.
    kouti tag busybox other:name
    run kouti rmi other:name
    [ "$status" -eq 0 ]
    [ "$output" = "Untagged: other:name" ]
    kouti rm user
    kouti run --name base busybox touch /x
    kouti commit base child >/dev/null
    kouti rm base
    run kouti rmi "${iid:7:12}"
    [ "$status" -eq 1 ]
    [ "$output" = "Error: conflict: unable to delete ${iid:7:12} (cannot be forced) - image has dependent child images" ]
    run kouti rmi -f "${iid:7:12}"
    [ "$status" -eq 1 ]
    [[ "$output" =~ "image has dependent child images" ]]
    kouti rmi child >/dev/null
    run kouti rmi busybox
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = "Untagged: busybox:latest" ]
    [ "${lines[1]}" = "Deleted: $iid" ]
}
