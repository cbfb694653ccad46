#!/usr/bin/env bats
# run / ps / inspect / logs / stop / rm: the workflow of every Docker user.
load container_helpers

@test "run --rm prints the output, returns the exit code and leaves nothing behind" {
    run kouti run --rm busybox sh -c 'echo hello; echo oops >&2; exit 7'
    [ "$status" -eq 7 ]
    [ "${lines[0]}" = "hello" ]
    [ "${lines[1]}" = "oops" ]
    assert_no_containers
    run kouti system check
    [ "$status" -eq 0 ]
}

@test "run -t and start -a show all the output of a container that exits at once" {
    # The monitor's watcher starts after such a container has exited: the client already
    # waiting to attach must still get its output (it got none, most times, before).
    for _ in 1 2 3; do
        run kouti run -t --rm busybox echo hi
        [ "$status" -eq 0 ]
        [ "$output" = $'hi\r' ]
    done
    kouti create --name quick busybox echo hello
    for _ in 1 2 3; do
        run kouti start -a quick
        [ "$status" -eq 0 ]
        [ "$output" = "hello" ]
        # Recorded before start -a returns, as Docker's: the next start or rm sees it exited.
        [ "$(kouti inspect -f '{{.State.Status}}' quick)" = exited ]
    done
    kouti rm quick
    for _ in 1 2 3; do
        id=$(kouti create -t busybox true)
        kouti start -a "$id" >/dev/null
        kouti rm "$id" >/dev/null
    done
    assert_no_containers
}

@test "a container's hostname is its short id and its changes are gone with --rm" {
    run kouti run --name h1 busybox sh -c 'hostname; echo x > /made-here'
    [ "$status" -eq 0 ]
    id=$(kouti inspect -f '{{.Id}}' h1)
    [ "$output" = "${id:0:12}" ]
    run kouti run --rm busybox ls /made-here
    [ "$status" -eq 1 ]
    kouti rm h1
    assert_no_containers
}

@test "only a --rm container's root skips syncing at unmount; a left-over volatile marker does not stop a start" {
    run kouti run --rm busybox grep ' / overlay' /proc/mounts
    [ "$status" -eq 0 ]
    [[ "$output" == *volatile* ]]
    run kouti run --name kept busybox grep ' / overlay' /proc/mounts
    [ "$status" -eq 0 ]
    [[ "$output" != *volatile* ]]
    # What a volatile mount leaves when its container outlives a crash: overlay refuses the
    # work dir until the marker goes.
    work="$(dirname "$(kouti inspect -f '{{.GraphDriver.Data.UpperDir}}' kept)")/work/work"
    mkdir -p "$work/incompat/volatile"
    run kouti start -a kept
    [ "$status" -eq 0 ]
    [ ! -e "$work/incompat" ]
    mkdir -p "$work/incompat/volatile"
    kouti export kept | tar -t | grep -qx bin/busybox
    kouti rm kept
    assert_no_containers
}

@test "the runtime's mount targets come from the shared init layer, unless the image's /etc is not a directory" {
    run kouti run --name plain busybox sh -c 'cat /etc/hostname'
    [ "$status" -eq 0 ]
    [ -z "$(ls -A "$(kouti inspect -f '{{.GraphDriver.Data.UpperDir}}' plain)")" ]
    # An image whose /etc links to /usr/etc keeps it a link; its targets are made through it.
    python3 - "$BUSYBOX_TAR" "$BATS_TEST_TMPDIR/etc-link.tar" <<'PY'
import sys, tarfile
src, out = tarfile.open(sys.argv[1]), tarfile.open(sys.argv[2], "w")
for m in src.getmembers():
    if m.name.rstrip("/") in ("./etc", "etc") or m.name.startswith(("./etc/", "etc/")):
        m.name = "./usr/" + m.name.lstrip("./")
    out.addfile(m, src.extractfile(m) if m.isfile() else None)
link = tarfile.TarInfo("./etc")
link.type, link.linkname = tarfile.SYMTYPE, "usr/etc"
out.addfile(link)
out.close()
PY
    kouti import "$BATS_TEST_TMPDIR/etc-link.tar" etclink >/dev/null
    run kouti run --rm etclink sh -c 'readlink /etc; cat /etc/hostname; grep -c . /etc/passwd'
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = "usr/etc" ]
    [[ "${lines[1]}" =~ ^[0-9a-f]{12}$ ]]
    kouti rm plain
    assert_no_containers
}

@test "run -d prints the 64-hex id and ps shows it Up; stop ends it; ps -a shows Exited" {
    id=$(kouti_bg run -d --name web busybox sh -c 'trap "exit 3" TERM; echo started; while true; do sleep 0.1; done')
    [[ "$id" =~ ^[0-9a-f]{64}$ ]]
    run kouti ps
    [ "${lines[0]}" = "CONTAINER ID   IMAGE     COMMAND                   CREATED                  STATUS                  PORTS     NAMES" ]
    [[ "${lines[1]}" == "${id:0:12}   busybox   \"sh -c 'trap \\\"exit 3…\"   "*" ago   Up "*"web" ]]
    wait_for web '{{.State.Running}}' true
    run kouti logs web
    [ "$output" = "started" ]
    run kouti stop web
    [ "$status" -eq 0 ]
    [ "$output" = "web" ]
    run kouti ps -a --format '{{.Names}}|{{.Status}}'
    [[ "$output" =~ ^web\|Exited\ \(3\)\ .*\ ago$ ]]
    [ "$(kouti inspect -f '{{.State.ExitCode}} {{.State.Status}} {{.State.Running}}' web)" = "3 exited false" ]
    run kouti ps -q
    [ -z "$output" ]
}

@test "unnamed containers get unique adjective_surname names" {
    for i in $(seq 15); do kouti create busybox true >/dev/null; done
    run kouti ps -a --format '{{.Names}}'
    [ "${#lines[@]}" -eq 15 ]
    for n in "${lines[@]}"; do [[ "$n" =~ ^[a-z]+_[a-z]+[0-9]?$ ]]; done
    [ "$(printf '%s\n' "${lines[@]}" | sort -u | wc -l)" -eq 15 ]
    run kouti ps --format '{{.Names}}'
    [ -z "$output" ]
    run kouti ps -a -n 3 -q
    [ "${#lines[@]}" -eq 3 ]
    # As Docker: a template that shows .Size gets sizes without -s; a bad filter is the engine's error.
    [[ "$(kouti ps -a -n 1 --format '{{.Names}} {{.Size}}')" =~ ^[a-z_0-9]+\ 0B\ \(virtual\ [0-9.]+[kM]B\)$ ]]
    [[ "$(kouti ps -a -n 1 --format json)" =~ ,\"Platform\":null,.*,\"Size\":\"0B\ \(virtual ]]
    # A field Docker's ContainerContext lacks is an error before any listing, as Docker's.
    run kouti ps --format '{{.Names}} {{.Nmes}}'
    [ "$status" -eq 1 ]
    [ "$output" = 'Error: failed to execute template: template: :1:13: executing "" at <.Nmes>: can'"'"'t evaluate field Nmes in type *formatter.ContainerContext' ]
    run kouti ps --filter color=red
    [ "$status" -eq 1 ]
    [ "$output" = "Error: Invalid filter 'color'" ]
    run kouti rm -f nosuch # as docker rm -f: said, yet not a failure
    [ "$status" -eq 0 ]
    [ "$output" = "Error: No such container: nosuch" ]
}

@test "ps --filter: status, exited, name, ancestor, before, since, volume, network, publish, expose; .Mounts" {
    kouti create --name f1 -v /data -p 8080:80 busybox true >/dev/null
    kouti create --name f2 --expose 9000 --network none -v fvol:/srv busybox true >/dev/null
    kouti run --name f3 --network none busybox sh -c 'exit 3' || true
    kouti commit f3 child >/dev/null
    kouti create --name f4 --network none child true >/dev/null
    psf() { kouti ps -a --format '{{.Names}}' "$@" | tr '\n' ' '; }
    [ "$(psf --filter status=created)" = "f4 f2 f1 " ]
    [ "$(psf --filter exited=3)" = "f3 " ]
    [ "$(psf --filter 'name=f[12]')" = "f2 f1 " ]
    [ "$(psf --filter ancestor=child)" = "f4 " ]
    [ "$(psf --filter ancestor=busybox)" = "f4 f3 f2 f1 " ]
    [ "$(psf --filter before=f3)" = "f2 f1 " ]
    [ "$(psf --filter since=f2)" = "f4 f3 " ]
    [ "$(psf --filter since=f1 --filter before=f4)" = "f3 f2 " ]
    [ "$(psf --filter volume=fvol)" = "f2 " ]
    [ "$(psf --filter volume=/srv --filter volume=/data)" = "f2 f1 " ]
    [ "$(psf --filter network=none)" = "f4 f3 f2 " ]
    [ "$(psf --filter network=bridge)" = "f1 " ]
    [ "$(psf --filter network="$(kouti network inspect -f '{{.Id}}' bridge | cut -c1-12)")" = "f1 " ]
    # publish= and expose= name the container's port, as Docker's do.
    [ "$(psf --filter publish=80)" = "f1 " ]
    [ "$(psf --filter publish=8080)" = "" ]
    [ "$(psf --filter expose=9000/tcp)" = "f2 " ]
    [ "$(psf --filter expose=70-90)" = "f1 " ]
    [ "$(psf --filter expose=9000/udp)" = "" ]
    # .Mounts and .LocalVolumes, read only for a template that shows them.
    [ "$(kouti ps -a --filter name=f2 --format '{{.Mounts}} {{.LocalVolumes}}')" = "fvol 1" ]
    [ "$(kouti ps -a --filter name=f4 --format '{{.Mounts}}|{{.LocalVolumes}}')" = "|0" ]
    [[ "$(kouti ps -a --filter name=f1 --format '{{.Mounts}}')" =~ ^[0-9a-f]{14}…$ ]]
    run kouti ps --filter before=nope
    [ "$status" -eq 1 ]
    [ "$output" = "Error: No such container: nope" ]
    run kouti ps --filter publish=x
    [ "$status" -eq 1 ]
    [ "$output" = "Error: Invalid filter 'publish=x'" ]
}

@test "inspect prints Docker's JSON and templates read it" {
    kouti create --name box -e FOO=bar -l tier=web -w /tmp --hostname myhost busybox sh -c 'exit 0' >/dev/null
    kouti inspect box > "$BATS_TEST_TMPDIR/i.json"
    python3 - "$BATS_TEST_TMPDIR/i.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))[0]
for k in ["Id", "Created", "Path", "Args", "State", "Image", "ResolvConfPath", "HostnamePath", "HostsPath",
          "LogPath", "Name", "RestartCount", "Driver", "HostConfig", "GraphDriver", "Mounts", "Config", "NetworkSettings"]:
    assert k in c, k
for k in ["Status", "Running", "Paused", "Restarting", "OOMKilled", "Dead", "Pid", "ExitCode", "Error", "StartedAt", "FinishedAt"]:
    assert k in c["State"], k
assert c["Name"] == "/box" and c["State"]["Status"] == "created" and c["Path"] == "sh"
assert c["Args"] == ["-c", "exit 0"]
cfg = c["Config"]
assert cfg["Hostname"] == "myhost" and cfg["WorkingDir"] == "/tmp" and cfg["Labels"] == {"tier": "web"}
assert "FOO=bar" in cfg["Env"] and cfg["Image"] == "busybox"
assert c["GraphDriver"]["Name"] == "overlay" and "UpperDir" in c["GraphDriver"]["Data"]
# HostConfig and Config in Docker's field order; its nil lists null; omitempty fields left out.
hc = c["HostConfig"]
assert list(hc)[:10] == ["Binds", "ContainerIDFile", "LogConfig", "NetworkMode", "PortBindings", "RestartPolicy",
                         "AutoRemove", "VolumeDriver", "VolumesFrom", "CapAdd"], list(hc)
assert list(hc)[-3:] == ["IOMaximumBandwidth", "MaskedPaths", "ReadonlyPaths"], list(hc)
assert hc["Binds"] is None and hc["CapAdd"] is None and hc["Links"] is None and hc["MemorySwappiness"] is None
assert hc["BlkioWeightDevice"] == [] and hc["ConsoleSize"] == [0, 0] and "/proc/kcore" in hc["MaskedPaths"]
assert "Mounts" not in hc and "Init" not in hc and "Tmpfs" not in hc
assert list(cfg)[:6] == ["Hostname", "Domainname", "User", "AttachStdin", "AttachStdout", "AttachStderr"], list(cfg)
assert "StopSignal" not in cfg and "ExposedPorts" not in cfg
PY
    [ "$(kouti inspect -f '{{.State.Pid}}' box)" = "0" ]
    [ "$(kouti inspect -f '{{index .Config.Labels "tier"}}' box)" = "web" ]
    [ "$(kouti inspect -f '{{range .Config.Env}}{{.}};{{end}}' box)" = "FOO=bar;" ]
    # Nil fields print as Go prints Docker's types: lists [], maps map[], pointers <nil>.
    [ "$(kouti inspect -f '{{.HostConfig.Binds}} {{.HostConfig.Tmpfs}} {{.Config.StopTimeout}} {{json .HostConfig.Binds}} {{.HostConfig.CapAdd}}' box)" = "[] map[] <nil> null []" ]
    kouti inspect -f '{{json .Config}}' box | python3 -c 'import json,sys; assert json.load(sys.stdin)["Hostname"] == "myhost"'
    kouti start box
    wait_for box '{{.State.Status}}' exited
    [ "$(kouti inspect --type container -f '{{.State.ExitCode}}' box)" = "0" ]
    run kouti inspect --type image box
    [ "$status" -eq 1 ]
    [ "$output" = $'[]\nError: No such image: box' ] # as Docker: an empty array, then the error
    run kouti inspect -f '{{.Id}}' --type image box
    [ "$output" = $'\nError: No such image: box' ] # a template prints an empty line, as Docker's
    # --size adds what the container wrote, and that over its image, after GraphDriver.
    [ "$(kouti inspect -f '{{json .SizeRw}}' box)" = null ]
    [[ "$(kouti inspect --size -f '{{.SizeRw}} {{.SizeRootFs}}' box)" =~ ^0\ [1-9][0-9]+$ ]]
    kouti inspect --size box | python3 -c 'import json,sys; k = list(json.load(sys.stdin)[0]); i = k.index("GraphDriver"); assert k[i+1:i+4] == ["SizeRw", "SizeRootFs", "Mounts"], k'
    # Volumes and networks too, found by name as the docker CLI finds them.
    kouti volume create vol1 >/dev/null
    [ "$(kouti inspect -f '{{.Name}} {{.Driver}}' vol1 box)" = "vol1 local
/box overlay" ]
    [ "$(kouti inspect --type network -f '{{.Name}} {{.Driver}}' none)" = "none null" ]
    run kouti inspect --type volume box
    [ "$status" -eq 1 ]
    [ "$output" = $'[]\nError: get box: no such volume' ] # Docker's volume words
    run -1 kouti inspect --type secret box
    [ "$output" = 'Error: kouti has no swarm mode: there is no secret to inspect' ]
    run -1 kouti inspect --type bogus box
    [ "$output" = 'Error: unknown type: "bogus": must be one of "config", "container", "image", "network", "node", "plugin", "secret", "service", "task", "volume"' ]
    kouti volume rm vol1 >/dev/null
}

@test "exit codes: 125 for kouti's own failures, 126 cannot invoke, 127 not found" {
    run kouti run --rm nosuchimage true
    [ "$status" -eq 125 ]
    [ "$output" = "Error: No such image: nosuchimage:latest" ]
    run kouti run --rm --bogus busybox true
    [ "$status" -eq 125 ]
    [[ "$output" =~ "unknown flag: --bogus" ]]
    run -127 kouti run --rm busybox /no/such/cmd
    [ "$status" -eq 127 ]
    [[ "$output" =~ 'exec: "/no/such/cmd": executable file not found in $PATH' ]]
    run -126 kouti run --rm busybox /etc/passwd
    [ "$status" -eq 126 ]
    [[ "$output" =~ "permission denied" ]]
    run kouti run --rm -m 1m busybox true
    [ "$status" -eq 125 ]
    [ "$output" = "Error: Minimum memory limit allowed is 6MB" ]
    run kouti start nosuch
    [ "$status" -eq 1 ]
    [ "$output" = "Error: No such container: nosuch" ]
    assert_no_containers
}

@test "-t gives a terminal; the shell's exit code is kouti's; Ctrl-P Ctrl-Q detaches" {
    run python3 "$PTY_RUN" 'tty; hostname; exit 3\n' "$KOUTI_BIN" run -t -i --rm busybox sh
    [ "$status" -eq 3 ]
    [[ "$output" =~ /dev/pts/0 ]]
    run python3 "$PTY_RUN" 'echo in-there\n|\x10\x11' "$KOUTI_BIN" run -it --name d1 busybox sh
    [ "$status" -eq 0 ]
    sleep 0.3
    [ "$(kouti inspect -f '{{.State.Status}}' d1)" = "running" ]
    # attach again: the same shell, still watched by its monitor; its exit code comes back.
    run python3 "$PTY_RUN" 'echo back-again\n|exit 4\n' "$KOUTI_BIN" attach d1
    [ "$status" -eq 4 ]
    [[ "$output" =~ back-again ]]
    [ "$(kouti inspect -f '{{.State.Status}} {{.State.ExitCode}}' d1)" = "exited 4" ]
    run python3 "$PTY_RUN" 'exit 6\n' "$KOUTI_BIN" start -ai d1
    [ "$status" -eq 6 ]
    run kouti attach d1
    [ "$status" -eq 1 ]
    [ "$output" = "Error: You cannot attach to a stopped container, start it first" ]
    # A terminal's input must come from a terminal, as Docker checks, before anything is made.
    before=$(kouti ps -aq | wc -l)
    run kouti run -it --rm busybox true </dev/null
    [ "$status" -eq 1 ]
    [ "$output" = "Error: the input device is not a TTY" ]
    run kouti start -ai d1 </dev/null
    [ "$output" = "Error: the input device is not a TTY" ]
    [ "$(kouti inspect -f '{{.State.Status}}' d1)" = "exited" ]
    [ "$(kouti ps -aq | wc -l)" -eq "$before" ]
}

@test "attach to a detached -i container feeds its stdin and shows its output" {
    kouti_bg run -d -i --name cat1 busybox sh -c 'while read l; do echo "got $l"; done; echo eof; exit 2' >/dev/null
    wait_for cat1 '{{.State.Running}}' true
    run bash -c "printf 'one\ntwo\n' | '$KOUTI_BIN' attach cat1"
    [ "$status" -eq 2 ]
    [ "$output" = "$(printf 'got one\ngot two\neof')" ]
    [ "$(kouti logs cat1)" = "$(printf 'got one\ngot two\neof')" ]
}

@test "rm refuses a running container without -f; rm -f kills and removes it" {
    kouti_bg run -d --name r1 busybox sleep 1000 >/dev/null
    run kouti rm r1
    [ "$status" -eq 1 ]
    [[ "$output" =~ "You cannot remove a running container" ]]
    run kouti rm -f r1
    [ "$status" -eq 0 ]
    [ "$output" = "r1" ]
    assert_no_containers
}

@test "stop says when the stop signal was ignored and SIGKILL followed" {
    kouti_bg run -d --name stubborn busybox sh -c 'trap "" TERM; while true; do sleep 0.1; done' >/dev/null
    wait_for stubborn '{{.State.Running}}' true
    run kouti stop -t 1 stubborn
    [ "$status" -eq 0 ]
    [[ "$output" =~ "did not stop within 1 seconds" ]]
    [ "$(kouti inspect -f '{{.State.ExitCode}}' stubborn)" = "137" ]
}

@test "kill -s, wait, pause/unpause, rename, restart" {
    kouti_bg run -d --name k1 busybox sh -c 'trap "exit 9" USR1; while true; do sleep 0.1; done' >/dev/null
    wait_for k1 '{{.State.Running}}' true
    kouti pause k1
    [[ "$(kouti ps --format '{{.Status}}')" =~ \(Paused\)$ ]]
    [ "$(kouti inspect -f '{{.State.Status}} {{.State.Paused}}' k1)" = "paused true" ]
    kouti unpause k1
    kouti rename k1 k2
    kouti kill -s USR1 k2
    run kouti wait k2
    [ "$output" = "9" ]
    run kouti kill k2
    [ "$status" -eq 1 ]
    [[ "$output" =~ "is not running" ]]
    kouti restart k2
    wait_for k2 '{{.State.Running}}' true
    kouti kill k2
    wait_for k2 '{{.State.Status}}' exited
}

@test "logs: --tail, -t, --since, -f until the container stops; rotated by default" {
    kouti run --name l1 busybox sh -c 'for i in 1 2 3 4 5; do echo line $i; done; echo err >&2'
    run kouti logs --tail 2 l1
    [ "${lines[0]}" = "line 5" ]
    [ "${lines[1]}" = "err" ]
    run kouti logs -t --tail 1 l1
    [[ "$output" =~ ^20[0-9-]+T[0-9:.]+Z\ err$ ]]
    run kouti logs --since 1h l1
    [ "${#lines[@]}" -eq 6 ]
    run kouti logs --tail x l1 # not a number: all of it, as Docker reads it
    [ "${#lines[@]}" -eq 6 ]
    run kouti logs --since soon l1
    [ "$status" -eq 1 ]
    [ "$output" = 'Error: invalid value for "since": failed to parse value as time or duration: "soon"' ]
    [ "$(kouti inspect -f '{{.HostConfig.LogConfig.Type}}' l1)" = "json-file" ]
    kouti_bg run -d --name l2 --log-opt max-size=2k --log-opt max-file=2 busybox sh -c 'i=0; while [ $i -lt 300 ]; do echo "line $i of a log that must rotate"; i=$((i+1)); done; sleep 0.3' >/dev/null
    run kouti logs -f l2
    [ "${lines[-1]}" = "line 299 of a log that must rotate" ]
    log=$(kouti inspect -f '{{.LogPath}}' l2)
    [ -f "$log.1" ] && [ ! -f "$log.2" ]
    [ "$(stat -c %s "$log")" -le 2048 ]
    # --details: the attributes --log-opt labels/env give each record (URL-escaped), a lone
    # space when there are none; in the foreground and under the monitor alike.
    [ "$(kouti logs --details --tail 1 l1 2>&1)" = " err" ]
    kouti run --name l3 -e FOO="a b" -e BAR=x -l tier=web --log-opt env=FOO --log-opt labels=tier,nope busybox echo hi
    [ "$(kouti logs --details l3)" = "FOO=a+b,tier=web hi" ]
    kouti_bg run -d --name l4 -e APP_MODE=prod --log-opt env-regex=^APP_ busybox echo bg >/dev/null
    kouti wait l4 >/dev/null
    [ "$(kouti logs --details l4)" = "APP_MODE=prod bg" ]
    [[ "$(tail -1 "$(kouti inspect -f '{{.LogPath}}' l4)")" =~ ,\"time\":\"[^\"]+\",\"attrs\":\{\"APP_MODE\":\"prod\"\}\}$ ]]
    run kouti run --rm --log-opt env-regex='[' busybox true
    [ "$status" -eq 125 ]
    [ "$output" = "Error: invalid env-regex '['" ]
}

@test "logs: --log-opt compress gzips rotated files and logs reads them back; --log-opt tag" {
    kouti_bg run -d --name lz --log-opt max-size=2k --log-opt max-file=4 --log-opt compress=true busybox sh -c 'i=0; while [ $i -lt 300 ]; do echo "line $i of a log that must rotate"; i=$((i+1)); done' >/dev/null
    kouti wait lz >/dev/null
    log=$(kouti inspect -f '{{.LogPath}}' lz)
    [ -f "$log.1.gz" ] && [ -f "$log.3.gz" ] && [ ! -f "$log.1" ] && [ ! -f "$log.4.gz" ]
    gzip -t "$log.1.gz" "$log.2.gz" "$log.3.gz"
    run kouti logs lz
    [ "${lines[-1]}" = "line 299 of a log that must rotate" ]
    first=${lines[0]#line }
    first=${first%% *}
    [ "$first" -gt 150 ] # the oldest files went
    [ "${#lines[@]}" -eq $((300 - first)) ] # and nothing between the first kept and the last
    [ "$(kouti logs --tail 2 lz | head -1)" = "line 298 of a log that must rotate" ]
    # Only an explicit max-file=1 or max-size=0 leaves nothing to compress; Docker's messages.
    before=$(kouti ps -aq | wc -l)
    run kouti run --rm --log-opt compress=true --log-opt max-file=1 busybox true
    [ "$status" -eq 125 ]
    [ "$output" = "Error: failed to initialize logging driver: compress cannot be true when max-file is less than 2 or max-size is not set" ]
    run kouti run --rm --log-opt compress=maybe busybox true
    [ "$status" -eq 125 ]
    [ "$output" = 'Error: failed to initialize logging driver: strconv.ParseBool: parsing "maybe": invalid syntax' ]
    # tag: a template of the container's logging info, in every record's attributes.
    kouti run --name tagged --log-opt tag='{{.ImageName}}/{{.Name}}/{{.ID}}' busybox echo hi
    id=$(kouti inspect -f '{{.Id}}' tagged)
    [ "$(kouti logs --details tagged)" = "tag=busybox%2Ftagged%2F${id:0:12} hi" ]
    run kouti run --rm --log-opt tag='{{.Nope' busybox true
    [ "$status" -eq 125 ]
    [ "$output" = "Error: failed to initialize logging driver: template: log-tag:1: unclosed action" ]
    # A field logger.Info lacks fails the start, as Docker's; the container stays, created.
    run kouti run -d --name badtag --log-opt tag='{{.Name}}{{.Nope}}' busybox true
    [ "$status" -eq 125 ]
    # Docker's CLI prints the id of the created container first.
    [ "${lines[0]}" = "$(kouti inspect -f '{{.Id}}' badtag)" ]
    [ "${lines[1]}" = 'Error: failed to initialize logging driver: template: log-tag:1:11: executing "log-tag" at <.Nope>: can'"'"'t evaluate field Nope in type *logger.Info' ]
    [ "$(kouti inspect -f '{{.State.Status}}' badtag)" = "created" ]
    kouti rm badtag >/dev/null
    [ "$(kouti ps -aq | wc -l)" -eq $((before + 1)) ] # only "tagged": the refused runs left none
}

@test "a SIGKILLed monitor leaves a container that ps -a shows correctly and rm cleans" {
    kouti_bg run -d --name orphan busybox sleep 1000 >/dev/null
    wait_for orphan '{{.State.Running}}' true
    pid=$(kouti inspect -f '{{.State.Pid}}' orphan)
    pkill -9 -f "kouti-monitor.*$KOUTI_RUNROOT"
    sleep 0.1
    [ "$(kouti inspect -f '{{.State.Status}}' orphan)" = "running" ]
    kill -9 "$pid"
    for i in $(seq 100); do [ "$(kouti inspect -f '{{.State.Status}}' orphan)" = "exited" ] && break; sleep 0.05; done
    run kouti ps -a --format '{{.Names}} {{.Status}}'
    [[ "$output" =~ ^orphan\ Exited\ \(255\) ]]
    kouti rm orphan
    assert_no_containers
}

@test "rm cleans the cgroup a kouti killed during the start left" {
    # What a start killed between making the cgroup and recording the start leaves: a created
    # row, cgroup directories, and perhaps a process in them.
    # The directories are those a running container has, in every hierarchy (v1, v2 or both).
    model=$(kouti_bg run -d busybox sleep 1000)
    id=$(kouti create --name halfway busybox true)
    sleep 1000 </dev/null >/dev/null 2>&1 3>&- & # (not holding bats's descriptors if it outlives a failure)
    stray=$!
    local dirs=()
    for dir in /sys/fs/cgroup/*"$KOUTI_CGROUP_PARENT/$model" /sys/fs/cgroup"$KOUTI_CGROUP_PARENT/$model"; do
        [ -d "$dir" ] || continue
        dir=${dir%/$model}/$id
        mkdir "$dir"
        echo $stray > "$dir/cgroup.procs"
        dirs+=("$dir")
    done
    kouti rm -f "$model" >/dev/null
    [ "${#dirs[@]}" -gt 0 ]
    # The runtime's directory, made before its state file was written in place.
    mkdir -p "$KOUTI_RUNROOT/runtime/$id"
    echo '{"half":' > "$KOUTI_RUNROOT/runtime/$id/state.json.tmp-0123"
    kouti rm halfway
    for dir in "${dirs[@]}"; do [ ! -d "$dir" ]; done
    # Killed (gone, or a zombie until this shell reaps it), not left running.
    dead() { local st; st=$(ps -o stat= -p $stray); [ -z "$st" ] || [[ "$st" == Z* ]]; }
    for i in $(seq 50); do dead && break; sleep 0.1; done
    dead || { kill -9 $stray; false; }
    assert_no_containers
    # A kouti killed while it removed a --rm container: the row went, the runtime's state and
    # cgroups stayed, and its staging area says it crashed. The next command clears them.
    gone=$(printf 'f%.0s' {1..64})
    mkdir -p "$KOUTI_ROOT/tmp/0123abcd" "$KOUTI_RUNROOT/runtime/$gone" "${dirs[0]%/$id}/$gone"
    touch "$KOUTI_ROOT/tmp/0123abcd.lock"
    kouti ps -a >/dev/null
    [ ! -e "$KOUTI_RUNROOT/runtime/$gone" ]
    [ ! -e "${dirs[0]%/$id}/$gone" ]
    [ ! -e "$KOUTI_ROOT/tmp/0123abcd.lock" ]
    assert_no_containers
}

@test "restart policy on-failure:2 restarts twice, then stays exited" {
    kouti_bg run -d --name flaky --restart on-failure:2 busybox sh -c 'exit 4' >/dev/null
    for i in $(seq 200); do
        [ "$(kouti inspect -f '{{.RestartCount}} {{.State.Status}}' flaky)" = "2 exited" ] && break
        sleep 0.05
    done
    kouti inspect -f '{{.RestartCount}} {{json .State}}' flaky
    [ "$(kouti inspect -f '{{.RestartCount}} {{.State.Status}} {{.State.ExitCode}}' flaky)" = "2 exited 4" ]
    run kouti run --rm --restart always busybox true
    [ "$status" -eq 125 ]
    [ "$output" = "Error: conflicting options: cannot specify both --restart and --rm" ]
}

@test "run -d --rm removes the container when it exits" {
    kouti_bg run -d --rm --name gone busybox true >/dev/null
    for i in $(seq 100); do [ -z "$(kouti ps -aq)" ] && break; sleep 0.05; done
    assert_no_containers
}

@test "100 run --rm in parallel all succeed and leave nothing behind" {
    seq 100 | xargs -P 8 -I{} "$KOUTI_BIN" run --rm busybox sh -c 'echo {}' > "$BATS_TEST_TMPDIR/out"
    [ "$(sort -n "$BATS_TEST_TMPDIR/out" | uniq | wc -l)" -eq 100 ]
    assert_no_containers
    run kouti system check
    [ "$status" -eq 0 ]
}

@test "kill -9 of kouti during create or of a foreground run leaves a store the next command puts right" {
    run env KOUTI_CRASH_AT=container-dir-made "$KOUTI_BIN" create --name half busybox true
    [ "$status" -eq 137 ]
    run kouti ps -a -q
    [ -z "$output" ]
    # The next command found the dead staging area and removed what the crash left.
    [ -z "$(ls -A "$KOUTI_ROOT/containers")" ]
    run kouti system check
    [ "$output" = "no problems found" ]
    "$KOUTI_BIN" run --name fg busybox sh -c 'sleep 0.5; exit 3' </dev/null >/dev/null 2>&1 &
    runner=$!
    wait_for fg '{{.State.Running}}' true
    kill -9 "$runner"
    [ "$(kouti inspect -f '{{.State.Status}}' fg)" = "running" ]
    for i in $(seq 100); do [ "$(kouti inspect -f '{{.State.Status}}' fg)" = "exited" ] && break; sleep 0.05; done
    [ "$(kouti inspect -f '{{.State.Status}} {{.State.ExitCode}}' fg)" = "exited 255" ]
    kouti rm fg
    assert_no_containers
}

@test "a start whose /etc files cannot be written fails with 125, and nothing is left" {
    # run writes them beside the init's start, which waits for them before its bind mounts.
    before=$(grep -c . /proc/self/mountinfo)
    run env KOUTI_FAIL_AT=mount-sources "$KOUTI_BIN" run --rm --network none busybox true
    [ "$status" -eq 125 ]
    [ "$output" = "Error: failed to create task for container: injected failure at mount-sources" ]
    assert_no_containers
    [ "$(grep -c . /proc/self/mountinfo)" = "$before" ]
    [ -z "$(find /sys/fs/cgroup/ -path "*$KOUTI_CGROUP_PARENT/*" -type d 2>/dev/null)" ]
    run kouti run --rm --network none busybox cat /etc/hostname
    [ "$status" -eq 0 ]
}

@test "rm -f at any step of a start: the start fails or its container is killed, and nothing is left" {
    # The starting kouti is stopped (SIGSTOP) at the named step, removed, then let go on.
    race() {
        local step=$1 pid i stopped=""
        shift
        env KOUTI_TIMING=1 KOUTI_TIMING_STOP="$step" "$KOUTI_BIN" run "$@" --name racer busybox sleep 86399 </dev/null >/dev/null 2>"$BATS_TEST_TMPDIR/race.err" 3>&- &
        pid=$!
        for i in $(seq 200); do
            [ "$(awk '{print $3}' /proc/$pid/stat 2>/dev/null)" = T ] && { stopped=1; break; }
            sleep 0.05
        done
        [ -n "$stopped" ] || { echo "never stopped at $step" >&2; kill -9 $pid; return 1; }
        kouti rm -f racer >/dev/null
        kill -CONT $pid
        local status=0
        wait $pid || status=$?
        grep -v '^timing' "$BATS_TEST_TMPDIR/race.err" >&2 || true
        # Refused (125) before the container ran, or killed by rm (137); never still running.
        [ "$status" -eq 125 ] || [ "$status" -eq 137 ] || { echo "$step: exit $status" >&2; return 1; }
        ! pgrep -fx "sleep 86399" >/dev/null || { echo "$step: the container still runs" >&2; return 1; }
        assert_no_containers
    }
    for step in "bundle written" "runtime: spec loaded" "runtime: cgroup made" "runtime: cloned, the container's process started" \
        "runtime: init ready" "started"; do
        race "$step" --network none
    done
    for step in "networking prepared" "created"; do race "$step" -d --network none; done
}

@test "stop -s and restart -s send the given signal instead of the stop signal" {
    kouti_bg run -d --name trapper --stop-signal TERM busybox sh -c 'trap "echo got USR1; exit 3" USR1; while true; do sleep 0.1; done'
    wait_for trapper '{{.State.Running}}' true
    sleep 0.3 # the trap is set
    run -0 --separate-stderr kouti stop -s USR1 -t 20 trapper
    [ "$output" = trapper ] && [ -z "$stderr" ] # no SIGKILL was needed
    [ "$(kouti inspect -f '{{.State.ExitCode}}' trapper)" = 3 ]
    [ "$(kouti logs trapper)" = "got USR1" ]
    kouti start trapper >/dev/null
    wait_for trapper '{{.State.Running}}' true
    sleep 0.3
    run -0 kouti restart --signal USR1 trapper
    wait_for trapper '{{.State.Running}}' true
    [ "$(kouti logs trapper)" = $'got USR1\ngot USR1' ]
    run -1 kouti stop -s NOPE trapper
    [ "$output" = "Error: Invalid signal: NOPE" ]
    kouti rm -f trapper >/dev/null
}
