#!/usr/bin/env bats
# top, stats, update, cp, port, container prune, system df/prune, events, info.
load container_helpers

@test "top lists the container's processes; stats --no-stream shows its usage" {
    kouti_bg run -d --name top1 busybox sh -c 'sleep 1000 & sleep 999' >/dev/null
    wait_for top1 '{{.State.Running}}' true
    sleep 0.2
    run kouti top top1
    [ "$status" -eq 0 ]
    # Docker's columns: at least 20 wide, the command last and whole.
    [ "${lines[0]}" = "UID                 PID                 PPID                C                   STIME               TTY                 TIME                CMD" ]
    [[ "${lines[1]}" =~ ^root\ {16}[0-9]+\ + ]]
    [[ "$output" =~ "sleep 1000" ]] && [[ "$output" =~ "sleep 999" ]]
    [ "${#lines[@]}" -ge 3 ]
    run kouti stats --no-stream top1
    [[ "${lines[0]}" =~ ^CONTAINER\ ID\ {3}NAME\ +CPU\ %\ +MEM\ USAGE\ /\ LIMIT\ +MEM\ %\ +NET\ I/O\ +BLOCK\ I/O\ +PIDS$ ]]
    [[ "${lines[1]}" =~ ^[0-9a-f]{12}\ +top1\ +[0-9.]+%\ +[0-9.]+[KMG]iB\ /\ [0-9.]+[KMG]iB\ .*\ [23]$ ]]
    # A stopped container has a row of zeros, named or with -a; "Container" is the name as given.
    id=$(kouti create --name idle busybox true)
    [ "$(kouti stats --no-stream --format '{{.Container}} {{.Name}} {{.CPUPerc}} {{.MemUsage}} {{.PIDs}}' idle)" = "idle idle 0.00% 0B / 0B 0" ]
    [ "$(kouti stats --no-stream --format '{{.ID}}')" = "$(kouti inspect -f '{{.Id}}' top1 | cut -c1-12)" ]
    [ "$(kouti stats --no-stream -a --no-trunc --format '{{.Container}}' | sort)" = "$(printf '%s\n' "$id" "$(kouti inspect -f '{{.Id}}' top1)" | sort)" ]
    run kouti top nosuch
    [ "$status" -eq 1 ]
}

@test "update changes the limits of a running container and records them" {
    kouti_bg run -d --name upd -m 32m busybox sleep 1000 >/dev/null
    wait_for upd '{{.State.Running}}' true
    kouti update -m 64m --pids-limit 20 --restart on-failure:3 upd
    [ "$(kouti inspect -f '{{.HostConfig.Memory}} {{.HostConfig.PidsLimit}} {{.HostConfig.RestartPolicy.Name}}' upd)" = "67108864 20 on-failure" ]
    if [ -d /sys/fs/cgroup/memory ]; then
        [ "$(kouti exec upd cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max)" = "$(printf '67108864\n20')" ]
    else
        [ "$(kouti exec upd cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/pids.max)" = "$(printf '67108864\n20')" ]
    fi
    run kouti update upd
    [ "$status" -eq 125 ]
    kouti update --cpu-period 50000 --cpu-quota 25000 --cpuset-mems 0 upd
    [ "$(kouti inspect -f '{{.HostConfig.CpuPeriod}} {{.HostConfig.CpuQuota}} {{.HostConfig.CpusetMems}}' upd)" = "50000 25000 0" ]
    if [ -d /sys/fs/cgroup/cpu ]; then
        [ "$(kouti exec upd cat /sys/fs/cgroup/cpu/cpu.cfs_period_us /sys/fs/cgroup/cpu/cpu.cfs_quota_us)" = "$(printf '50000\n25000')" ]
    fi
    # Bad values are refused with the flag named, and change nothing.
    run kouti update --cpus lots upd
    [ "$status" -eq 125 ]
    [ "${lines[0]}" = 'invalid argument "lots" for "--cpus" flag: failed to parse lots as a rational number' ]
    run kouti update --pids-limit many upd
    [ "${lines[0]}" = 'invalid argument "many" for "--pids-limit" flag: strconv.ParseInt: parsing "many": invalid syntax' ]
    run kouti update --restart sometimes upd
    [ "$output" = "Error: invalid restart policy: unknown policy 'sometimes'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'" ]
    [ "$(kouti inspect -f '{{.HostConfig.PidsLimit}} {{.HostConfig.RestartPolicy.Name}}' upd)" = "20 on-failure" ]
    kouti create --rm --name gone busybox true >/dev/null
    id=$(kouti inspect -f '{{.Id}}' gone)
    run kouti update --restart always gone
    [ "$status" -eq 1 ]
    [ "$output" = "Error: Cannot update container $id: Restart policy cannot be updated because AutoRemove is enabled for the container" ]
}

@test "update raises and lowers memory with its swap limit; the swap limit defaults to twice the memory" {
    kouti_bg run -d --name mem -m 10m busybox sleep 1000 >/dev/null
    wait_for mem '{{.State.Running}}' true
    [ "$(kouti inspect -f '{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}}' mem)" = "10485760 20971520" ]
    id=$(kouti inspect -f '{{.Id}}' mem)
    run kouti update -m 30m mem
    [ "$status" -eq 1 ]
    [ "$output" = "Error: Cannot update container $id: Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time" ]
    # Above the old swap limit: the kernel takes the new swap limit first, then the memory.
    kouti update -m 30m --memory-swap 40m mem
    [ "$(kouti inspect -f '{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}}' mem)" = "31457280 41943040" ]
    if [ -d /sys/fs/cgroup/memory ]; then
        [ "$(kouti exec mem cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes)" = "$(printf '31457280\n41943040')" ]
    fi
    kouti update -m 8m --memory-swap 9m mem
    if [ -d /sys/fs/cgroup/memory ]; then
        [ "$(kouti exec mem cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes)" = "$(printf '8388608\n9437184')" ]
    fi
    run kouti update -m 8m --memory-swap 7m mem
    [ "$status" -eq 1 ]
    [ "$output" = "Error: Cannot update container $id: Minimum memoryswap limit should be larger than memory limit, see usage." ]
    # Signals: Docker's messages for a name it does not know and a number the kernel lacks.
    run kouti kill -s BOGUS mem
    [ "$status" -eq 1 ]
    [ "$output" = "Error: Invalid signal: BOGUS" ]
    run kouti kill -s 99 mem
    [ "$output" = "Error: Cannot kill container: mem: The linux daemon does not support signal 99" ]
    # A daemon error in Docker: `create` gives 1 for those, `run` 125.
    run kouti create --stop-signal BOGUS busybox true
    [ "$status" -eq 1 ]
    [ "$output" = "Error: Invalid signal: BOGUS" ]
}

@test "cp copies both ways, running or stopped, and paths never leave the container" {
    kouti_bg run -d --name cp1 busybox sh -c 'echo inside > /f; mkdir /d; echo x > /d/y; ln -s / /d/escape; sleep 1000' >/dev/null
    wait_for cp1 '{{.State.Running}}' true
    sleep 0.2
    kouti cp cp1:/f "$BATS_TEST_TMPDIR/f"
    [ "$(cat "$BATS_TEST_TMPDIR/f")" = "inside" ]
    kouti cp cp1:/d "$BATS_TEST_TMPDIR/d"
    [ "$(cat "$BATS_TEST_TMPDIR/d/y")" = "x" ]
    [ -L "$BATS_TEST_TMPDIR/d/escape" ]
    echo from-host > "$BATS_TEST_TMPDIR/h"
    kouti cp "$BATS_TEST_TMPDIR/h" cp1:/tmp/
    [ "$(kouti exec cp1 cat /tmp/h)" = "from-host" ]
    # /../../etc/passwd is the container's /etc/passwd, not the host's.
    kouti cp cp1:/../../etc/passwd "$BATS_TEST_TMPDIR/p"
    cmp "$BATS_TEST_TMPDIR/p" <(kouti exec cp1 cat /etc/passwd)
    # A symlink inside resolves inside: /d/escape/etc/group is the container's.
    kouti cp cp1:/d/escape/etc/group "$BATS_TEST_TMPDIR/g"
    cmp "$BATS_TEST_TMPDIR/g" <(kouti exec cp1 cat /etc/group)
    kouti stop -t 0 cp1 >/dev/null
    kouti cp "$BATS_TEST_TMPDIR/h" cp1:/stopped
    kouti cp cp1:/stopped "$BATS_TEST_TMPDIR/back"
    [ "$(cat "$BATS_TEST_TMPDIR/back")" = "from-host" ]
    run kouti cp cp1:/nope "$BATS_TEST_TMPDIR/x"
    [ "$status" -eq 1 ]
    [ "$output" = "Error: Could not find the file /nope in container cp1" ]
    run kouti cp cp1:/stopped "$BATS_TEST_TMPDIR/no/such/dir"
    [ "$status" -eq 1 ]
    [ "$output" = "Error: invalid output path: directory \"$BATS_TEST_TMPDIR/no/such\" does not exist" ]
    [ -z "$(grep " $KOUTI_ROOT" /proc/self/mountinfo)" ]
    # Owners as Docker sets them: the container's root inside, the caller outside; -a keeps
    # them. A symlink is copied as one; -L copies what it points to.
    chown 1234:5678 "$BATS_TEST_TMPDIR/h"
    ln -s h "$BATS_TEST_TMPDIR/hl"
    kouti cp "$BATS_TEST_TMPDIR/h" cp1:/plain
    kouti cp -a "$BATS_TEST_TMPDIR/h" cp1:/kept
    kouti cp "$BATS_TEST_TMPDIR/hl" cp1:/link
    kouti cp -L "$BATS_TEST_TMPDIR/hl" cp1:/followed
    mkdir "$BATS_TEST_TMPDIR/out"
    for f in plain kept link followed; do kouti cp -a cp1:/$f "$BATS_TEST_TMPDIR/out/"; done
    [ "$(stat -c %u:%g "$BATS_TEST_TMPDIR/out/plain")" = "0:0" ]
    [ "$(stat -c %u:%g "$BATS_TEST_TMPDIR/out/kept")" = "1234:5678" ]
    [ "$(readlink "$BATS_TEST_TMPDIR/out/link")" = "h" ]
    [ "$(cat "$BATS_TEST_TMPDIR/out/followed")" = "from-host" ] && [ ! -L "$BATS_TEST_TMPDIR/out/followed" ]
    kouti cp cp1:/kept "$BATS_TEST_TMPDIR/out/mine"
    [ "$(stat -c %u:%g "$BATS_TEST_TMPDIR/out/mine")" = "$(id -u):$(id -g)" ]
    kouti cp "$BATS_TEST_TMPDIR/h" cp1:/h # what /link points to, inside the container
    kouti cp -L cp1:/link "$BATS_TEST_TMPDIR/out/link-L"
    [ "$(cat "$BATS_TEST_TMPDIR/out/link-L")" = "from-host" ] && [ ! -L "$BATS_TEST_TMPDIR/out/link-L" ]
    [ -z "$(grep " $KOUTI_ROOT" /proc/self/mountinfo)" ]
    # At a terminal, Docker's success line with the size of the tar it would have sent (a
    # 10-byte file: header, one block, the end); -q and a pipe keep quiet.
    run -0 python3 "$PTY_RUN" "" "$KOUTI_BIN" cp "$BATS_TEST_TMPDIR/h" cp1:/tmp/
    [ "$output" = $'Successfully copied 2.05kB to cp1:/tmp/\r' ]
    run -0 python3 "$PTY_RUN" "" "$KOUTI_BIN" cp cp1:/d "$BATS_TEST_TMPDIR/out/"
    [ "$output" = $'Successfully copied 3.07kB to '"$BATS_TEST_TMPDIR/out/"$'\r' ] # d/, y and its block, escape
    run -0 python3 "$PTY_RUN" "" "$KOUTI_BIN" cp -q "$BATS_TEST_TMPDIR/h" cp1:/tmp/
    [ -z "$output" ]
    run -0 --separate-stderr kouti cp "$BATS_TEST_TMPDIR/h" cp1:/tmp/
    [ -z "$output$stderr" ]
    # The docker CLI's own checks of the two sides, exit 1.
    run -1 kouti cp a b
    [ "$output" = "Error: must specify at least one container source" ]
    run -1 kouti cp c:/a d:/b
    [ "$output" = "Error: copying between containers is not supported" ]
}

@test "cp with - streams a tar: out with owners kept, in extracted into a directory and never outside it" {
    kouti_bg run -d --name cps busybox sh -c 'mkdir -p /d/sub; echo x > /d/sub/y; chown 12:34 /d/sub/y; ln -s /etc /d/etc-link; sleep 1000' >/dev/null
    wait_for cps '{{.State.Running}}' true
    sleep 0.2
    kouti cp cps:/d - > "$BATS_TEST_TMPDIR/d.tar"
    [ "$(tar tf "$BATS_TEST_TMPDIR/d.tar" | sort | tr '\n' ' ')" = "d/ d/etc-link d/sub/ d/sub/y " ]
    [[ "$(tar tvf "$BATS_TEST_TMPDIR/d.tar" d/sub/y)" =~ ^-rw-r--r--\ 12/34\ +2\  ]]
    [ "$(kouti cp cps:/d/sub/y - | tar xOf - y)" = "x" ]
    # In: the tar's members land below the directory, owners from the tar.
    mkdir -p "$BATS_TEST_TMPDIR/src/n"
    echo new > "$BATS_TEST_TMPDIR/src/n/file"
    tar cf - -C "$BATS_TEST_TMPDIR/src" --owner=7 --group=8 n | kouti cp - cps:/tmp
    [ "$(kouti exec cps stat -c '%u:%g %n' /tmp/n/file)" = "7:8 /tmp/n/file" ]
    [ "$(kouti exec cps cat /tmp/n/file)" = "new" ]
    run kouti cp - cps:/d/sub/y < "$BATS_TEST_TMPDIR/d.tar"
    [ "$status" -eq 1 ]
    [ "$output" = 'Error: destination "cps:/d/sub/y" must be a directory' ]
    # Hostile members: an absolute path, a climb out, a write through a symlink. Nothing lands
    # outside the directory, inside the container or out of it.
    python3 - "$BATS_TEST_TMPDIR/evil.tar" <<'PY'
import io, sys, tarfile
with tarfile.open(sys.argv[1], "w") as t:
    for name in ("../../escaped", "/abs-escaped"):
        data = b"evil"
        info = tarfile.TarInfo(name); info.size = len(data)
        t.addfile(info, io.BytesIO(data))
    link = tarfile.TarInfo("lnk"); link.type = tarfile.SYMTYPE; link.linkname = "/"
    t.addfile(link)
    data = b"evil"
    info = tarfile.TarInfo("lnk/through-link"); info.size = len(data)
    t.addfile(info, io.BytesIO(data))
PY
    run kouti cp - cps:/tmp < "$BATS_TEST_TMPDIR/evil.tar"
    [ "$status" -eq 1 ]
    [[ "$output" =~ ^"Error: Error processing tar file: " ]]
    [ -z "$(kouti exec cps sh -c 'ls /escaped /abs-escaped /through-link /tmp/escaped 2>/dev/null')" ]
    [ ! -e /escaped ] && [ ! -e /through-link ]
    # Stopped: the same, through the container's own layers.
    kouti stop -t 0 cps >/dev/null
    tar cf - -C "$BATS_TEST_TMPDIR/src" n | kouti cp - cps:/
    [ "$(kouti cp cps:/n/file - | tar xOf -)" = "new" ]
    echo garbage | { run kouti cp - cps:/tmp; [ "$status" -eq 1 ] && [ "$output" = "Error: Error processing tar file: archive is not a tar file" ]; }
    kouti cp - cps:/tmp </dev/null # an empty stream copies nothing, as Docker's
    [ -z "$(grep " $KOUTI_ROOT" /proc/self/mountinfo)" ]
}

@test "container prune, system df with RECLAIMABLE, system prune" {
    kouti run --name done1 busybox sh -c 'head -c 100000 /dev/zero > /blob'
    kouti_bg run -d --name live busybox sleep 1000 >/dev/null
    run kouti system df
    [ "${lines[0]}" = "TYPE            TOTAL     ACTIVE    SIZE      RECLAIMABLE" ]
    [[ "${lines[1]}" =~ ^Images\ +1\ +1\  ]]
    [[ "${lines[2]}" =~ ^Containers\ +2\ +1\ +100kB\ +100kB\ \(100%\)$ ]]
    # -v: Docker's four tables; a layer two images share counts in SHARED SIZE.
    kouti commit done1 derived:1 >/dev/null
    kouti volume create v1 >/dev/null
    run kouti system df -v
    # (bats leaves the blank lines between the tables out of ${lines[@]})
    [ "${lines[0]}" = "Images space usage:" ]
    [[ "${lines[1]}" =~ ^REPOSITORY\ +TAG\ +IMAGE\ ID\ +CREATED\ +SIZE\ +SHARED\ SIZE\ +UNIQUE\ SIZE\ +CONTAINERS$ ]]
    [[ "${lines[2]}" =~ ^derived\ +1\ +[0-9a-f]{12}\ .*\ [0-9.]+MB\ +[0-9.]+MB\ +100kB\ +0$ ]]
    [[ "${lines[3]}" =~ ^busybox\ +latest\ +[0-9a-f]{12}\ .*\ +0B\ +2$ ]]
    [ "${lines[4]}" = "Containers space usage:" ]
    [[ "${lines[5]}" =~ ^CONTAINER\ ID\ +IMAGE\ +COMMAND\ +LOCAL\ VOLUMES\ +SIZE\ +CREATED\ +STATUS\ +NAMES$ ]]
    [[ "${lines[6]}" =~ ^[0-9a-f]{12}\ +busybox\ +\"sleep\ 1000\"\ +0\ +0B\ +.*\ ago\ +Up\ .*\ live$ ]]
    [[ "${lines[7]}" =~ \ +0\ +100kB\ +.*\ done1$ ]]
    [ "${lines[8]}" = "Local Volumes space usage:" ]
    [ "${lines[9]}" = "VOLUME NAME   LINKS     SIZE" ]
    [ "${lines[10]}" = "v1            0         0B" ]
    [ "${lines[11]}" = "Build cache usage: 0B" ]
    [ "${lines[12]}" = "CACHE ID   CACHE TYPE   SIZE      CREATED   LAST USED   USAGE     SHARED" ]
    [ "$(kouti system df -v | grep -c '^$')" = 7 ]
    kouti rmi derived:1 >/dev/null
    kouti volume rm v1 >/dev/null
    # The prompt takes "y" (or "yes"); anything else keeps every container.
    run bash -c "echo n | '$KOUTI_BIN' container prune 2>/dev/null"
    [ "$status" -eq 0 ] && [ -z "$output" ]
    [ "$(kouti ps -aq | wc -l)" = 2 ]
    # Filters choose among the stopped ones: none is older than an hour, none has the label.
    run kouti container prune -f --filter until=1h
    [ "$output" = "Total reclaimed space: 0B" ]
    run kouti container prune -f --filter label=nope
    [ "$output" = "Total reclaimed space: 0B" ]
    run kouti container prune -f --filter colour=red
    [ "$status" -eq 1 ]
    [ "$output" = "Error: Invalid filter 'colour'" ]
    [ "$(kouti ps -aq | wc -l)" = 2 ]
    run bash -c "echo y | '$KOUTI_BIN' container prune 2>/dev/null"
    [ "${lines[0]}" = "Deleted Containers:" ]
    [ "$(kouti ps -a --format '{{.Names}}')" = "live" ]
    [[ "${lines[-1]}" =~ ^Total\ reclaimed\ space:\ 100kB$ ]]
    kouti rm -f live >/dev/null
    kouti tag busybox other:tag
    run kouti system prune -a -f --filter label=nope # no image has it
    [ "$output" = "Total reclaimed space: 0B" ]
    run kouti system prune -a -f
    [ "$status" -eq 0 ]
    [[ "$output" =~ "Deleted Images:" ]]
    [ -z "$(kouti images -q)" ]
}

@test "events lists what happened, with --since/--until and filters" {
    start=$(date -u +%Y-%m-%dT%H:%M:%S.%NZ)
    kouti run --name ev -l tier=web busybox true
    kouti rm ev >/dev/null
    run kouti events --since "$start" --until 0s
    [ "$status" -eq 0 ]
    # Docker's attributes on every container event (its labels, image and name), in key order.
    [[ "${lines[0]}" =~ Z\ container\ create\ [0-9a-f]{64}\ \(image=busybox,\ name=ev,\ tier=web\)$ ]]
    [[ "${lines[1]}" =~ \ container\ start\  ]]
    [[ "${lines[2]}" =~ \ container\ die\ .*exitCode=0 ]]
    [[ "${lines[3]}" =~ \ container\ destroy\ [0-9a-f]{64}\ \(image=busybox,\ name=ev,\ tier=web\)$ ]]
    [ "$(kouti events --since "$start" --until 0s --filter label=tier=web | wc -l)" = 4 ]
    [ "$(kouti events --since "$start" --until 0s --filter label=tier --filter image=busybox --filter event=start | wc -l)" = 1 ]
    [ -z "$(kouti events --since "$start" --until 0s --filter label=tier=db)" ]
    run kouti events --since "$start" --until 0s --filter event=die --format json
    [ "${#lines[@]}" -eq 1 ]
    echo "${lines[0]}" | python3 -c 'import json,sys; e=json.load(sys.stdin); assert e["Action"] == "die" and e["Actor"]["Attributes"]["name"] == "ev"'
    # Without --until it follows new events.
    "$KOUTI_BIN" events --filter container=late > "$BATS_TEST_TMPDIR/follow" 2>&1 </dev/null &
    pid=$!
    sleep 0.3
    kouti create --name late busybox true >/dev/null
    sleep 0.4
    kill $pid
    [[ "$(cat "$BATS_TEST_TMPDIR/follow")" =~ container\ create ]]
    # Any template, over Docker's event fields; run --rm has its die event too.
    start=$(date -u +%Y-%m-%dT%H:%M:%S.%NZ)
    kouti run --rm -l tier=db busybox sh -c 'exit 4' || true
    [ "$(kouti events --since "$start" --until 0s --format '{{.Type}} {{.Action}} {{.from}} {{.Actor.Attributes.tier}}' | tr '\n' ,)" = \
        "container create busybox db,container start busybox db,container die busybox db,container destroy busybox db," ]
    [ "$(kouti events --since "$start" --until 0s --filter event=die --format '{{.Actor.Attributes.exitCode}}')" = 4 ]
    run kouti events --since soon --until 0s
    [ "$status" -eq 1 ]
    [ "$output" = 'Error: failed to parse value as time or duration: "soon"' ]
    # Local dates and times as Docker reads them (Go's layouts, in the zone in force), Go's errors.
    [ "$(TZ=UTC kouti events --since "${start%%T*}" --until 0s --filter event=die | wc -l)" -eq 2 ]
    [ "$(TZ=EET-2 kouti events --since "$(TZ=EET-2 date -d "$start" +%Y-%m-%dT%H:%M:%S)" --until 0s --filter event=die --filter label=tier=db | wc -l)" -eq 1 ]
    [ -z "$(TZ=EET-2 kouti events --since "$(TZ=EET-2 date -d '1 minute' +%Y-%m-%dT%H:%M)" --until 0s)" ]
    run kouti events --since 2026-13-01 --until 0s
    [ "$status" -eq 1 ]
    [ "$output" = 'Error: parsing time "2026-13-01": month out of range' ]
}

@test "info counts running, paused and stopped containers and names the cgroup setup" {
    kouti_bg run -d --name r1 busybox sleep 1000 >/dev/null
    kouti_bg run -d --name p1 busybox sleep 1000 >/dev/null
    kouti create --name s1 busybox true >/dev/null
    wait_for p1 '{{.State.Running}}' true
    kouti pause p1
    run kouti info
    [[ "$output" =~ " Containers: 3"$'\n'"  Running: 1"$'\n'"  Paused: 1"$'\n'"  Stopped: 1" ]]
    [[ "$output" =~ " Cgroup Driver: cgroupfs" ]]
    [[ "$output" =~ " Logging Driver: json-file" ]]
    [[ "$output" =~ " Security Options:" ]]
    [ "$(kouti info --format '{{.ContainersRunning}} {{.ContainersPaused}} {{.ContainersStopped}}')" = "1 1 1" ]
    kouti unpause p1
}
