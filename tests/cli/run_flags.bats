#!/usr/bin/env bats
# create/run flags: Docker's security defaults and what each flag changes.
load container_helpers

r() { kouti run --rm "$@"; }

@test "defaults: Docker's 14 capabilities, seccomp on, masked and read-only /proc paths, lo up" {
    [ "$(r busybox sh -c 'grep CapBnd /proc/self/status')" = "CapBnd:	00000000a80425fb" ]
    [ "$(r busybox sh -c 'grep ^Seccomp: /proc/self/status')" = "Seccomp:	2" ]
    run r busybox unshare -U true
    [ "$status" -ne 0 ]
    [[ "$output" =~ "Operation not permitted" ]]
    [ "$(r busybox sh -c 'grep -c " /proc/keys " /proc/self/mountinfo')" = "1" ]
    [ "$(r busybox sh -c 'wc -c < /proc/keys')" = "0" ]
    run r busybox sh -c 'echo 1 > /proc/sys/kernel/domainname'
    [ "$status" -ne 0 ]
    run r busybox sh -c 'touch /sys/x'
    [ "$status" -ne 0 ]
    # Every cgroup mount, and the tmpfs holding v1's, is read-only.
    [ "$(r busybox sh -c 'grep -c " /sys/fs/cgroup" /proc/self/mountinfo')" -ge 1 ]
    [ "$(r busybox sh -c 'grep " /sys/fs/cgroup" /proc/self/mountinfo | grep -vc " ro,"')" = "0" ]
    [ "$(r busybox sh -c 'cat /proc/1/cmdline | tr "\0" " "')" = "sh -c cat /proc/1/cmdline | tr \"\\0\" \" \" " ]
    r busybox sh -c 'ip link show lo | grep -q "<LOOPBACK,UP,LOWER_UP>"'
    [ "$(r --network none busybox sh -c 'ls /sys/class/net')" = "lo" ]
    [ "$(r busybox sh -c 'ls /sys/class/net' | tr '\n' ' ')" = "eth0 lo " ]
}

@test "--cap-add, --cap-drop, --privileged, --security-opt seccomp=unconfined and no-new-privileges" {
    [ "$(r --cap-drop ALL busybox sh -c 'grep CapEff /proc/self/status')" = "CapEff:	0000000000000000" ]
    [ "$(r --cap-drop ALL --cap-add net_admin busybox sh -c 'grep CapEff /proc/self/status')" = "CapEff:	0000000000001000" ]
    [ "$(r --cap-drop chown busybox sh -c 'grep CapEff /proc/self/status')" = "CapEff:	00000000a80425fa" ]
    [ "$(r --security-opt seccomp=unconfined busybox sh -c 'grep ^Seccomp: /proc/self/status')" = "Seccomp:	0" ]
    # Docker's default seccomp profile, without no_new_privs (setuid programs keep working).
    [ "$(r busybox sh -c 'grep -E "^(NoNewPrivs|Seccomp):" /proc/self/status' | tr '\n\t' '  ')" = "NoNewPrivs: 0 Seccomp: 2 " ]
    [ "$(r --security-opt no-new-privileges busybox sh -c 'grep ^NoNewPrivs /proc/self/status')" = "NoNewPrivs:	1" ]
    [ "$(r --security-opt no-new-privileges=false busybox sh -c 'grep ^NoNewPrivs /proc/self/status')" = "NoNewPrivs:	0" ]
    # The daemon's checks, at create, as Docker's (side by side with dockerd).
    run -1 kouti create --security-opt systempaths=x busybox true
    [ "$output" = 'Error: invalid --security-opt 2: "systempaths=x"' ]
    run -125 kouti run --rm --security-opt no-new-privileges=maybe busybox true
    [ "$output" = 'Error: invalid --security-opt 2: "no-new-privileges=maybe"' ]
    [ -z "$(kouti ps -aq)" ]
    # systempaths=unconfined: no masked or read-only paths, said as empty lists in inspect.
    [ "$(r --security-opt systempaths=unconfined busybox sh -c 'mount | grep -c -E " /proc/(sys|acpi|keys) "')" = 0 ]
    [ "$(r busybox sh -c 'mount | grep " /proc/sys "')" = "proc on /proc/sys type proc (ro,nosuid,nodev,noexec,relatime)" ] # runc's flags kept
    id=$(kouti create --security-opt systempaths=unconfined busybox true)
    # SecurityOpt as Docker's CLI sends it: [] once systempaths is taken out, null with no flag.
    [ "$(kouti inspect -f '{{json .HostConfig.MaskedPaths}} {{json .HostConfig.ReadonlyPaths}} {{json .HostConfig.SecurityOpt}}' "$id")" = "[] [] []" ]
    kouti rm "$id" >/dev/null
    id=$(kouti create busybox true)
    [ "$(kouti inspect -f '{{json .HostConfig.SecurityOpt}}' "$id")" = "null" ]
    kouti rm "$id" >/dev/null
    id=$(kouti create --security-opt no-new-privileges busybox true)
    [ "$(kouti inspect -f '{{json .HostConfig.SecurityOpt}}' "$id")" = '["no-new-privileges"]' ]
    kouti rm "$id" >/dev/null
    # --read-only covers the hosts, hostname and resolv.conf files too, as Docker's.
    run r --read-only busybox sh -c 'echo x >> /etc/hosts'
    [ "$output" = "sh: can't create /etc/hosts: Read-only file system" ]
    run r --privileged busybox sh -c 'unshare -n true && grep ^Seccomp: /proc/self/status'
    [ "$status" -eq 0 ]
    [ "$output" = "Seccomp:	0" ]
    run r --cap-add NOPE busybox true
    [ "$status" -eq 125 ]
    [ "$output" = 'Error: invalid CapAdd: unknown capability: "CAP_NOPE"' ]
}

@test "--cgroupns host: the host's paths in /proc/self/cgroup, but only the container's own cgroup under /sys/fs/cgroup" {
    [ -d /sys/fs/cgroup/pids ] || skip "cgroup v2 only: runc too mounts the whole cgroup2 tree without a namespace"
    id=$(kouti create --cgroupns host --pids-limit 17 busybox sh -c \
        'grep ":pids:" /proc/self/cgroup; cat /sys/fs/cgroup/pids/pids.max; ls /sys/fs/cgroup/pids | grep -c kouti; grep -c " /sys/fs/cgroup/[^ ]* ro," /proc/self/mountinfo')
    run -0 kouti start -a "$id"
    [[ "${lines[0]}" == *":pids:$KOUTI_CGROUP_PARENT/$id" ]]
    [ "${lines[1]}" = 17 ]
    [ "${lines[2]}" = 0 ] # no other container's cgroup, nor the parent's
    [ "${lines[3]}" -ge 2 ] # every hierarchy read-only
    kouti rm "$id" >/dev/null
    # The default, a cgroup namespace of its own, shows the same directory as its root.
    [ "$(r --pids-limit 17 busybox sh -c 'grep ":pids:" /proc/self/cgroup | cut -d: -f3; cat /sys/fs/cgroup/pids/pids.max')" = "/"$'\n'17 ]
}

@test "limits: --memory, --memory-swap, --cpus, --cpu-shares, --pids-limit, --ulimit, --shm-size" {
    if [ -d /sys/fs/cgroup/memory ]; then
        out=$(r -m 64m --cpus 0.5 --cpu-shares 512 --pids-limit 10 busybox sh -c \
            'cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/cpu/cpu.shares /sys/fs/cgroup/pids/pids.max')
        [ "$out" = "$(printf '67108864\n50000\n512\n10')" ]
    else
        out=$(r -m 64m --cpus 0.5 --pids-limit 10 busybox sh -c 'cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/cpu.max /sys/fs/cgroup/pids.max')
        [ "$out" = "$(printf '67108864\n50000 100000\n10')" ]
    fi
    [ "$(r --ulimit nofile=100:200 busybox sh -c 'ulimit -n; ulimit -Hn')" = "$(printf '100\n200')" ]
    [ "$(r --shm-size 2m busybox sh -c "df -k /dev/shm | awk 'NR==2 {print \$2}'")" = "2048" ]
    run r --cpus 99 busybox true
    [ "$status" -eq 125 ]
    [[ "$output" =~ "Range of CPUs is from 0.01 to" ]]
    run r -m 64m --memory-swap 32m busybox true
    [ "$status" -eq 125 ]
    [ "$output" = "Error: Minimum memoryswap limit should be larger than memory limit, see usage." ]
    [ "$(r --cpus 0 busybox echo no-limit)" = "no-limit" ] # 0: no limit, as Docker reads it
    run r --ulimit nofile=10:5 busybox true
    [ "$status" -eq 125 ]
    [ "${lines[0]}" = 'invalid argument "nofile=10:5" for "--ulimit" flag: ulimit soft limit must be less than or equal to hard limit: 10 > 5' ]
    run r --ulimit bogus=1 busybox true
    [ "$status" -eq 125 ]
    [ "${lines[0]}" = 'invalid argument "bogus=1" for "--ulimit" flag: invalid ulimit type: bogus' ]
}

@test "a process over --memory is OOM killed and inspect says so" {
    kouti run --name hog -m 8m --memory-swap 8m busybox sh -c 'x=a; while true; do x="$x$x"; done' || true
    [ "$(kouti inspect -f '{{.State.OOMKilled}} {{.State.ExitCode}}' hog)" = "true 137" ]
}

@test "-e, --env-file, -w, -u, --entrypoint, --hostname, --label, --cidfile" {
    printf 'FROMFILE=1\n# comment\nOTHER=two\n' > "$BATS_TEST_TMPDIR/env"
    [ "$(r -e A=b --env-file "$BATS_TEST_TMPDIR/env" busybox sh -c 'echo $A $FROMFILE $OTHER')" = "b 1 two" ]
    [ "$(r -w /etc busybox pwd)" = "/etc" ]
    [ "$(r -w /bin busybox ./echo relative)" = "relative" ] # found from the working directory, as runc does
    [ "$(r -w /made/for/me busybox sh -c 'pwd; stat -c %a:%u .')" = "$(printf '/made/for/me\n755:0')" ] # as Docker
    [ "$(r --read-only -w /made/too busybox pwd)" = "/made/too" ]
    # A file in the way: Docker's engine refuses before the start (125), nothing left behind.
    run -125 kouti run --rm -w /etc/passwd busybox true
    [ "$output" = "Error: Cannot mkdir: /etc/passwd is not a directory" ]
    run -125 kouti run --rm -w /etc/passwd/sub busybox true
    [ "$output" = "Error: failed to create task for container: mkdir /etc/passwd/sub: not a directory" ]
    [ -z "$(kouti ps -aq)" ]
    [[ "$(r -u nobody busybox id)" =~ ^uid=65534\(nobody\)\ gid=65534\(nogroup\) ]]
    [ "$(r -u 1234:5678 busybox sh -c 'id -u; id -g')" = "$(printf '1234\n5678')" ]
    # HOME from the image's passwd, for the default user too (Docker's /root).
    [ "$(r busybox sh -c 'echo $HOME')" = /root ]
    [ "$(r -u nobody busybox sh -c 'echo $HOME')" = /nonexistent ]
    [ "$(r -u 4321 busybox sh -c 'echo $HOME')" = / ]
    # As Docker (28, side by side): the primary group is among the supplementary ones.
    [ "$(r -u 1234:5678 busybox id)" = "uid=1234 gid=5678 groups=5678" ]
    [ "$(r --group-add 20 busybox id)" = "uid=0(root) gid=0(root) groups=0(root),20" ]
    [ "$(r -u nobody --group-add 20 busybox id)" = "uid=65534(nobody) gid=65534(nogroup) groups=20,65534(nogroup)" ]
    run -125 kouti run --restart bogus busybox true
    [ "$output" = "Error: invalid restart policy: unknown policy 'bogus'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'" ]
    # The docker CLI reads NAME[:COUNT] and checks --rm before the daemon checks the name.
    run -125 r --restart bogus busybox true
    [ "$output" = "Error: conflicting options: cannot specify both --restart and --rm" ]
    run -125 kouti run --restart on-failure:x busybox true
    [ "$output" = "Error: invalid restart policy format: maximum retry count must be an integer" ]
    run -125 kouti run --restart always:3 busybox true
    [ "$output" = "Error: invalid restart policy: maximum retry count can only be used with 'on-failure'" ]
    run -125 kouti run --restart :3 busybox true
    [ "$output" = "Error: invalid restart policy format: no policy provided before colon" ]
    run -125 kouti run --restart on-failure:-1 busybox true
    [ "$output" = "Error: invalid restart policy: maximum retry count cannot be negative" ]
    [ "$(r --entrypoint echo busybox a b)" = "a b" ]
    [ "$(r --hostname my.host busybox hostname)" = "my.host" ]
    kouti create --cidfile "$BATS_TEST_TMPDIR/cid" -l a=1 --name lab busybox true > "$BATS_TEST_TMPDIR/id"
    [ "$(cat "$BATS_TEST_TMPDIR/cid")" = "$(cat "$BATS_TEST_TMPDIR/id")" ]
    [ "$(kouti ps -a --filter label=a=1 --format '{{.Names}}')" = "lab" ]
    # Docker's Label method, its header the key's last part, "" for a label the container lacks.
    run kouti ps -a --filter name=lab --format 'table {{.Names}}\t{{.Label "a"}}\t{{.Label "com.x.no_such"}}|'
    [ "${lines[0]}" = "NAMES     a         no such|" ]
    [ "${lines[1]}" = "lab       1         |" ]
    [ "$(kouti ps -a --filter name=lab --format '{{.Labels}}')" = "a=1" ]
    run kouti create --cidfile "$BATS_TEST_TMPDIR/cid" busybox true
    [ "$status" -eq 125 ]
    run r -u nosuchuser busybox true
    [ "$status" -eq 125 ]
    [[ "$output" =~ "unable to find user nosuchuser" ]]
}

@test "--read-only with --tmpfs, -v binds (ro too), --mount, named volumes that persist" {
    run r --read-only busybox touch /x
    [ "$status" -ne 0 ]
    r --read-only --tmpfs /tmp busybox touch /tmp/x
    mkdir "$BATS_TEST_TMPDIR/host"
    echo from-host > "$BATS_TEST_TMPDIR/host/f"
    [ "$(r -v "$BATS_TEST_TMPDIR/host:/data" busybox sh -c 'cat /data/f; echo back > /data/g')" = "from-host" ]
    [ "$(cat "$BATS_TEST_TMPDIR/host/g")" = "back" ]
    run r -v "$BATS_TEST_TMPDIR/host:/data:ro" busybox touch /data/h
    [ "$status" -ne 0 ]
    [ "$(r --mount "type=bind,source=$BATS_TEST_TMPDIR/host,target=/m,readonly" busybox cat /m/f)" = "from-host" ]
    r --mount type=tmpfs,target=/scratch busybox sh -c 'grep " /scratch " /proc/mounts | grep -q tmpfs'
    r -v keep:/vol busybox sh -c 'echo kept > /vol/file'
    [ "$(r -v keep:/vol busybox cat /vol/file)" = "kept" ]
}

@test "--init runs kouti-init as PID 1, which reaps orphans and forwards signals" {
    [ "$(r --init busybox sh -c 'cat /proc/1/cmdline | tr "\0" " "')" = "/sbin/kouti-init -- sh -c cat /proc/1/cmdline | tr \"\\0\" \" \" " ]
    kouti_bg run -d --init --name reaper busybox sh -c 'trap "exit 6" TERM; (sleep 0.1 &); while true; do sleep 0.1; done' >/dev/null
    wait_for reaper '{{.State.Running}}' true
    sleep 0.5
    # An orphan is a zombie for the instant before the init reaps it: none may stay one. (A
    # single look failed on a busy machine.)
    zombies() { kouti exec reaper ps -o pid,stat | awk '$2 ~ /Z/ {print $1}' | sort; }
    first=$(zombies)
    sleep 0.3
    [ -z "$(comm -12 <(echo "$first") <(zombies) | grep .)" ]
    kouti stop -t 5 reaper >/dev/null
    [ "$(kouti inspect -f '{{.State.ExitCode}}' reaper)" = "6" ]
}

@test "--device, --sysctl, --stop-signal, --log-driver none" {
    [ "$(r --device /dev/null:/dev/mynull busybox sh -c 'echo x > /dev/mynull && echo ok')" = "ok" ]
    [ "$(r --sysctl net.ipv4.ip_forward=1 busybox cat /proc/sys/net/ipv4/ip_forward)" = "1" ]
    # Only the sysctls the container's namespaces own, as the docker CLI allows them.
    [ "$(r --sysctl kernel.shmmni=1000 busybox cat /proc/sys/kernel/shmmni)" = "1000" ]
    # Docker's defaults in a network namespace of the container's own: any user pings and binds
    # ports below 1024; --sysctl overrides them; the host's network keeps the host's values.
    [ "$(r --network none busybox cat /proc/sys/net/ipv4/ip_unprivileged_port_start /proc/sys/net/ipv4/ping_group_range)" = "$(printf '0\n0\t2147483647')" ]
    [ "$(r -u nobody busybox sh -c 'nc -l -p 80 & sleep 0.3; netstat -ltn | grep -c :80; kill %1')" = 1 ]
    [ "$(r --sysctl net.ipv4.ip_unprivileged_port_start=80 busybox cat /proc/sys/net/ipv4/ip_unprivileged_port_start)" = 80 ]
    [ "$(r --network host busybox cat /proc/sys/net/ipv4/ip_unprivileged_port_start)" = "$(cat /proc/sys/net/ipv4/ip_unprivileged_port_start)" ]
    [ "$(kouti inspect -f '{{json .HostConfig.Sysctls}}' "$(kouti create --network none busybox true)")" = null ]
    run r --sysctl kernel.hostname=x busybox true
    [ "$status" -eq 125 ]
    [ "${lines[0]}" = "invalid argument \"kernel.hostname=x\" for \"--sysctl\" flag: sysctl 'kernel.hostname=x' is not allowed" ]
    run -127 r --device /dev/nosuch busybox true # the docker CLI's code for a start error naming a missing file
    [ "$output" = 'Error: error gathering device information while adding custom device "/dev/nosuch": no such file or directory' ]
    kouti_bg run -d --name sig --stop-signal USR1 busybox sh -c 'trap "exit 12" USR1; while true; do sleep 0.1; done' >/dev/null
    wait_for sig '{{.State.Running}}' true
    kouti stop sig >/dev/null
    [ "$(kouti inspect -f '{{.State.ExitCode}}' sig)" = "12" ]
    kouti run --name nolog --log-driver none busybox echo hi
    run kouti logs nolog
    [ "$status" -eq 125 ]
    [ "$output" = "Error: configured logging driver does not support reading" ]
}

@test "volumes: named ones are made on first use, anonymous ones for -v /path; volume ls/inspect/rm/prune" {
    kouti run --name v1 -v data:/data -v /anon busybox sh -c 'echo x > /data/f; echo y > /anon/g'
    run kouti volume ls
    [ "${lines[0]}" = "DRIVER    VOLUME NAME" ]
    [ "${#lines[@]}" -eq 3 ]
    [[ "$output" =~ local\ +data ]]
    [ "$(kouti volume inspect -f '{{.Name}} {{.Driver}} {{.Mountpoint}}' data)" = "data local $KOUTI_ROOT/volumes/data/_data" ]
    [[ "$(kouti volume inspect -f '{{.CreatedAt}}' data)" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$ ]] # to the second, as Docker
    run kouti volume rm data
    [ "$status" -eq 1 ]
    [[ "$output" =~ "volume is in use" ]]
    [ "$(kouti inspect -f '{{range .Mounts}}{{.Type}}:{{.Destination}} {{end}}' v1)" = "volume:/data volume:/anon " ]
    # As Docker shows them: -v NAME gets mode "z"; -v /path is a Config volume, not a bind.
    [ "$(kouti inspect -f '{{range .Mounts}}{{.Name}}|{{.Driver}}|{{.Mode}} {{end}}' v1 | sed 's/[0-9a-f]\{64\}/ANON/')" = "data|local|z ANON|local| " ]
    [ "$(kouti inspect -f '{{json .HostConfig.Binds}} {{json .Config.Volumes}}' v1)" = '["data:/data"] {"/anon":{}}' ]
    kouti create --name v2 --mount type=volume,source=mv,target=/m --mount type=volume,target=/a2 busybox true >/dev/null
    [ "$(kouti inspect -f '{{range .Mounts}}{{.Name}}:{{.Source}} {{end}}' v2 | sed 's/[0-9a-f]\{64\}/ANON/g')" = "mv:$KOUTI_ROOT/volumes/mv/_data ANON:$KOUTI_ROOT/volumes/ANON/_data " ]
    [ "$(kouti inspect -f '{{json .HostConfig.Mounts}}' v2)" = '[{"Type":"volume","Source":"mv","Target":"/m"},{"Type":"volume","Target":"/a2"}]' ]
    [ "$(kouti ps -a --filter volume=mv --format '{{.Names}} {{.LocalVolumes}}')" = "v2 2" ]
    kouti rm -v v2 >/dev/null
    kouti volume rm mv
    kouti rm -v v1
    [ "$(kouti volume ls -q)" = "data" ]
    kouti volume create --label k=v other >/dev/null
    [ "$(kouti volume ls --filter name=other --format '{{.Name}} {{.Labels}} {{.Label "k"}}')" = "other k=v v" ]
    [ "$(kouti volume ls -q --filter label=k --filter driver=local)" = "other" ]
    [ "$(kouti volume ls -q --filter label=k=v)" = "other" ]
    [ -z "$(kouti volume ls -q --filter label=k=w)" ]
    [ -z "$(kouti volume ls -q --filter driver=nfs)" ]
    run kouti volume ls --filter colour=red
    [ "$status" -eq 1 ]
    [ "$output" = "Error: Invalid filter 'colour'" ]
    run kouti volume prune -f --filter all=true --filter label!=k
    [ "${lines[0]}" = "Deleted Volumes:" ]
    [ "${lines[1]}" = "data" ]
    [ "$(kouti volume ls -q)" = "other" ]
    run kouti volume prune -f -a
    [ "$status" -eq 0 ]
    [[ "$output" =~ "Deleted Volumes:" ]]
    [ -z "$(kouti volume ls -q)" ]
    run kouti volume inspect nosuch
    [ "$status" -eq 1 ]
    [ "$output" = $'[]\nError: get nosuch: no such volume' ]
}

@test "a new container's empty volumes get what the image has there, as Docker's; not with nocopy, not once filled" {
    [ "$(r -v etcv:/etc busybox cat /etc/passwd | head -1)" = "root:x:0:0:root:/root:/bin/sh" ]
    [ -f "$KOUTI_ROOT/volumes/etcv/_data/group" ]
    [ "$(stat -c %a "$KOUTI_ROOT/volumes/etcv/_data")" = "$(r busybox stat -c %a /etc)" ]
    echo mine > "$KOUTI_ROOT/volumes/etcv/_data/mine"
    rm "$KOUTI_ROOT/volumes/etcv/_data/group"
    [ "$(r -v etcv:/etc busybox ls /etc/mine /etc/group 2>&1)" = "ls: /etc/group: No such file or directory
/etc/mine" ] # a volume with files is left as it is
    [ -z "$(r -v etcv2:/etc:nocopy busybox ls /etc)" ]
    [ -n "$(r -v /etc busybox ls /etc)" ]
    [ -n "$(r --mount type=volume,dst=/etc busybox ls /etc)" ]
    [ -z "$(r --mount type=volume,dst=/etc,volume-nocopy busybox ls /etc)" ]
    [ -z "$(r -v nothere:/nonexistent busybox ls /nonexistent)" ]
    [ -z "$(r -v "$BATS_TEST_TMPDIR/hostdir:/etc" busybox ls /etc)" ] # a bind is never filled
    [ -z "$(ls -a "$KOUTI_ROOT/volumes/etcv" | grep populating)" ]
    run r -v x:/d:fast busybox true
    [ "$status" -eq 125 ]
    [ "$output" = "Error: invalid mode: fast" ]
    run r -v x:/d:ro,rw busybox true
    [ "$output" = "Error: invalid mode: ro,rw" ]
    kouti volume rm etcv etcv2 nothere >/dev/null
}

@test "volume create --opt: a tmpfs or bind volume is mounted while a container uses it, as Docker's local driver" {
    kouti volume create --opt type=tmpfs --opt device=tmpfs --opt o=size=1m,uid=1000 tv >/dev/null
    [ "$(kouti volume inspect -f '{{json .Options}}' tv)" = '{"device":"tmpfs","o":"size=1m,uid=1000","type":"tmpfs"}' ]
    data="$KOUTI_ROOT/volumes/tv/_data"
    [ "$(r -v tv:/t busybox sh -c 'grep " /t " /proc/mounts | cut -d" " -f3,4')" = "tmpfs rw,relatime,size=1024k,uid=1000" ]
    ! grep -q " $data " /proc/self/mountinfo # unmounted after its last user
    # Shared by the containers using it; kept while one still runs.
    kouti_bg run -d --name holder -v tv:/t busybox sh -c 'echo kept > /t/f; sleep 1000' >/dev/null
    wait_for holder '{{.State.Running}}' true
    for _ in $(seq 100); do [ -f "$data/f" ] && break; sleep 0.05; done
    [ "$(r -v tv:/t busybox cat /t/f)" = kept ]
    grep -q " $data " /proc/self/mountinfo
    kouti rm -f holder >/dev/null
    ! grep -q " $data " /proc/self/mountinfo
    [ ! -e "$data/f" ] # a tmpfs volume's files go with its mount, as Docker's do
    # A bind volume, also through --mount's volume-opt (quoted: a field with commas).
    mkdir "$BATS_TEST_TMPDIR/srv" && echo served > "$BATS_TEST_TMPDIR/srv/file"
    [ "$(r --mount "type=volume,src=bv,dst=/s,volume-opt=type=none,\"volume-opt=o=bind,ro\",volume-opt=device=$BATS_TEST_TMPDIR/srv,volume-label=k=v" busybox cat /s/file)" = served ]
    [ "$(kouti volume inspect -f '{{.Options.o}} {{.Labels.k}}' bv)" = "bind,ro v" ]
    # A mount that fails fails the run, and leaves no container, mount or user behind.
    kouti volume create --opt type=none --opt o=bind --opt device=/nonexistent bad >/dev/null
    run r -v bad:/s busybox true
    [ "$status" -eq 125 ]
    [ "$output" = "Error: error while mounting volume '$KOUTI_ROOT/volumes/bad/_data': failed to mount local volume: mount /nonexistent:$KOUTI_ROOT/volumes/bad/_data, flags: 0x1000: no such file or directory" ]
    [ -z "$(kouti ps -aq)" ]
    [ -z "$(ls "$KOUTI_RUNROOT/volume-users" | grep -v '\.lock$')" ]
    kouti volume rm tv bv bad >/dev/null
    [ -z "$(ls "$KOUTI_RUNROOT/volume-users")" ]
    # Docker's local driver's checks.
    run kouti volume create --opt colour=red v1
    [ "$status" -eq 1 ]
    [ "$output" = 'Error: create v1: invalid option: "colour"' ]
    run kouti volume create --opt type=tmpfs v1
    [ "$output" = 'Error: create v1: missing required option: "device"' ]
    run kouti volume create --driver nfsplug v1
    [ "$status" -eq 1 ]
    [ "$output" = 'Error: create v1: error looking up volume plugin nfsplug: plugin "nfsplug" not found' ]
    run r --mount type=tmpfs,dst=/m,volume-opt=a=b busybox true
    [ "$status" -eq 125 ]
    [ "$output" = 'Error: invalid mount config for type "tmpfs": field VolumeOptions must not be specified' ]
    [ -z "$(kouti volume ls -q)" ]
}

@test "--volumes-from: another container's volumes and binds in its mode or :ro/:rw, not its tmpfs; own mounts win; --userns host, -q, --platform" {
    mkdir "$BATS_TEST_TMPDIR/host"
    echo from-host > "$BATS_TEST_TMPDIR/host/f"
    kouti create --name src -v /anon -v named:/named -v "$BATS_TEST_TMPDIR/host:/ro-bind:ro" \
        --mount type=volume,target=/mounted --mount type=tmpfs,target=/scratch busybox true >/dev/null
    # A backup as in Docker's documentation: the source need not run.
    [ "$(r --volumes-from src busybox sh -c 'echo a > /anon/a; echo n > /named/n; echo m > /mounted/m; cat /ro-bind/f')" = "from-host" ]
    [ "$(r --volumes-from src busybox sh -c 'cat /anon/a /named/n /mounted/m')" = $'a\nn\nm' ]
    run r --volumes-from src busybox sh -c 'touch /ro-bind/x'
    [ "$status" -ne 0 ]
    run r --volumes-from src busybox sh -c 'grep -c " /scratch " /proc/mounts'
    [ "$output" = "0" ]
    run r --volumes-from src:ro busybox touch /named/x
    [ "$status" -ne 0 ]
    run r --volumes-from src:ro busybox touch /mounted/x
    [ "$status" -ne 0 ]
    r --volumes-from src:rw busybox touch /ro-bind/made-rw
    [ -e "$BATS_TEST_TMPDIR/host/made-rw" ]
    [ "$(r --volumes-from src -v "$BATS_TEST_TMPDIR/host:/named" busybox cat /named/f)" = "from-host" ]
    # Chained: what a container got from another is passed on.
    kouti create --name middle --volumes-from src:ro busybox true >/dev/null
    [ "$(kouti inspect -f '{{json .HostConfig.VolumesFrom}}' middle)" = '["src:ro"]' ]
    [ "$(r --volumes-from middle busybox cat /named/n)" = "n" ]
    # The volumes stay while any container uses them.
    kouti rm -v src >/dev/null
    [ "$(r --volumes-from middle busybox cat /anon/a)" = "a" ]
    run kouti volume rm named
    [ "$status" -eq 1 ]
    [[ "$output" =~ "volume is in use" ]]

    before=$(kouti volume ls -q | wc -l)
    run kouti run --rm -v /made-for-nothing --volumes-from nope busybox true
    [ "$status" -eq 125 ]
    [ "$output" = "Error: No such container: nope" ]
    run kouti run --rm --volumes-from middle:xx busybox true
    [ "$status" -eq 125 ]
    [ "$output" = "Error: invalid mode: xx" ]
    # A container that could not be created leaves no anonymous volume behind.
    kouti create --name taken busybox true >/dev/null
    run kouti create --name taken -v /anon2 busybox true
    [ "$status" -eq 1 ]
    run kouti run -v /anon3 --network container:nope busybox true
    [ "$status" -eq 125 ]
    [ "$(kouti volume ls -q | wc -l)" = "$before" ]
    run kouti run --userns bogus busybox true
    [ "$output" = "Error: --userns: invalid USER mode" ]
    [ "$(r --userns host busybox readlink /proc/self/ns/user)" = "$(readlink /proc/self/ns/user)" ]
    [ "$(r -q busybox echo quiet)" = "quiet" ]
    [ "$(r --platform "linux/$(kouti version -f '{{.Server.Arch}}')" busybox echo same)" = "same" ]
    run kouti run --rm --platform linux/no-such-arch busybox true
    [ "$status" -eq 125 ]
    [ "$output" = "Error: image with reference busybox was found but does not match the specified platform: wanted linux/no-such-arch, actual: linux/$(kouti version -f '{{.Server.Arch}}')" ]
}

@test "--pid, --ipc and --uts: the host's namespaces, another container's, or none" {
    ns() { readlink "/proc/self/ns/$1"; }
    [ "$(r --pid host busybox readlink /proc/self/ns/pid)" = "$(ns pid)" ]
    [ "$(r busybox readlink /proc/self/ns/pid)" != "$(ns pid)" ]
    [ "$(r --uts host busybox hostname)" = "$(hostname)" ]
    [ "$(r --ipc host busybox readlink /proc/self/ns/ipc)" = "$(ns ipc)" ]
    [ "$(r busybox readlink /proc/self/ns/ipc)" != "$(ns ipc)" ]
    run r --ipc none busybox ls /dev/shm
    [ "$status" -ne 0 ]
    [[ "$output" =~ "No such file or directory" ]]

    kouti_bg run -d --name donor --ipc shareable busybox sleep 100
    id=$(kouti inspect -f '{{.Id}}' donor)
    kouti exec donor sh -c 'echo shared > /dev/shm/note'
    [ "$(kouti inspect -f '{{.HostConfig.IpcMode}}' donor)" = "shareable" ]
    # Its IPC namespace and its /dev/shm, both ways.
    [ "$(r --ipc container:donor busybox readlink /proc/self/ns/ipc)" = "$(kouti exec donor readlink /proc/self/ns/ipc)" ]
    [ "$(r --ipc container:donor busybox sh -c 'cat /dev/shm/note; echo back > /dev/shm/reply')" = "shared" ]
    [ "$(kouti exec donor cat /dev/shm/reply)" = "back" ]
    # Its pid namespace: the donor's process is pid 1 there, with the joiner's beside it.
    run r --pid container:donor busybox ps -o pid,args
    [ "$status" -eq 0 ]
    [ "${lines[1]}" = "    1 sleep 100" ]
    [[ "${lines[2]}" =~ "ps -o pid,args" ]]
    kouti_bg run -d --name joiner --pid container:donor --ipc container:donor busybox sleep 100
    [ "$(kouti inspect -f '{{.HostConfig.PidMode}} {{.HostConfig.IpcMode}}' joiner)" = "container:$id container:$id" ]
    [ "$(kouti exec joiner cat /dev/shm/note)" = "shared" ]
    kouti rm -f joiner

    kouti_bg run -d --name private busybox sleep 100
    pid=$(kouti inspect -f '{{.Id}}' private)
    run r --ipc container:private busybox true
    [ "$status" -eq 125 ]
    [ "$output" = "Error: can't join IPC of container $pid: non-shareable IPC (hint: use IpcMode:shareable for the donor container)" ]
    kouti stop -t 0 donor
    run r --pid container:donor busybox true
    [ "$status" -eq 125 ]
    [ "$output" = "Error: container $id is not running" ]
    run r --ipc container:donor busybox true
    [ "$status" -eq 125 ]
    [ "$output" = "Error: can't join IPC of container $id: container $id is not running" ]
    # Those that could not start are gone with --rm.
    [ "$(kouti ps -aq | wc -l)" = "2" ]

    run kouti run --pid foo busybox true
    [ "$status" -eq 125 ]
    [ "$output" = "Error: --pid: invalid PID mode" ]
    run kouti run --uts container:donor busybox true
    [ "$status" -eq 125 ]
    [ "$output" = "Error: --uts: invalid UTS mode" ]
    run kouti run --ipc bogus busybox true
    [ "$status" -eq 125 ]
    [ "$output" = "Error: Invalid IPC mode: bogus" ]
    run kouti run --uts host --hostname box busybox true
    [ "$status" -eq 125 ]
    [ "$output" = "Error: conflicting options: hostname and the UTS mode" ]
    run kouti run --pid container:nope busybox true
    [ "$status" -eq 125 ]
    [ "$output" = "Error: No such container: nope" ]
    [ "$(kouti ps -aq | wc -l)" = "2" ]
}

@test "--memory-swappiness, --oom-kill-disable, --device-read-bps and friends, --device-cgroup-rule" {
    [ "$(r --memory-swappiness 7 busybox cat /sys/fs/cgroup/memory/memory.swappiness)" = "7" ]
    [ "$(r --oom-kill-disable -m 64m busybox sh -c 'grep oom_kill_disable /sys/fs/cgroup/memory/memory.oom_control')" = "oom_kill_disable 1" ]
    [ "$(r busybox sh -c 'grep oom_kill_disable /sys/fs/cgroup/memory/memory.oom_control')" = "oom_kill_disable 0" ]
    # A loop device of the test's own, so no host disk is named.
    truncate -s 1M "$BATS_TEST_TMPDIR/disk"
    dev=$(losetup -f --show "$BATS_TEST_TMPDIR/disk")
    numbers=$(printf '%d:%d' "0x$(stat -c %t "$dev")" "0x$(stat -c %T "$dev")")
    run r --device-read-bps "$dev:1mb" --device-write-iops "$dev:50" busybox sh -c \
        'cat /sys/fs/cgroup/blkio/blkio.throttle.read_bps_device /sys/fs/cgroup/blkio/blkio.throttle.write_iops_device'
    losetup -d "$dev"
    [ "$status" -eq 0 ]
    [ "$output" = "$numbers 1048576"$'\n'"$numbers 50" ]
    run kouti create --device-read-bps "$BATS_TEST_TMPDIR/disk:1mb" busybox true
    [ "$status" -eq 125 ]
    [ "${lines[0]}" = "invalid argument \"$BATS_TEST_TMPDIR/disk:1mb\" for \"--device-read-bps\" flag: bad format for device path: $BATS_TEST_TMPDIR/disk:1mb" ]
    run kouti create --device-write-iops /dev/null:fast busybox true
    [ "$status" -eq 125 ]
    [[ "$output" =~ "invalid rate for device: /dev/null:fast" ]]
    run kouti create --device-read-bps /dev/null:1k busybox true
    [ "$output" = "Error: /dev/null is not a block device" ]
    run kouti create --memory-swappiness 101 busybox true
    [ "$output" = "Error: invalid value: 101. Valid memory swappiness range is 0-100" ]
    # devices.list of a container holds its extra rule beside Docker's defaults.
    r --device-cgroup-rule 'c 42:* rm' busybox grep -qx 'c 42:\* rm' /sys/fs/cgroup/devices/devices.list
    run r busybox grep -c '^c 42:' /sys/fs/cgroup/devices/devices.list
    [ "$output" = "0" ]
    run kouti create --device-cgroup-rule 'x 1:2 rwm' busybox true
    [ "$status" -eq 125 ]
    [ "$output" = "Error: invalid device cgroup format 'x 1:2 rwm'" ]
    kouti create --name limits --memory-swappiness 20 --oom-kill-disable --device-cgroup-rule 'b 7:* r' busybox true >/dev/null
    [ "$(kouti inspect -f '{{.HostConfig.MemorySwappiness}} {{.HostConfig.OomKillDisable}} {{json .HostConfig.DeviceCgroupRules}}' limits)" = '20 true ["b 7:* r"]' ]
    [ "$(kouti ps -aq | wc -l)" = "1" ]
}

@test "--blkio-weight and --blkio-weight-device (BFQ's files: CFQ's are gone), update --blkio-weight" {
    # A loop device of the test's own, on BFQ (per-device weights are BFQ's), so no host disk is named.
    truncate -s 1M "$BATS_TEST_TMPDIR/disk"
    dev=$(losetup -f --show "$BATS_TEST_TMPDIR/disk")
    numbers=$(printf '%d:%d' "0x$(stat -c %t "$dev")" "0x$(stat -c %T "$dev")")
    echo bfq > "/sys/block/${dev#/dev/}/queue/scheduler" || true
    run r --blkio-weight 300 --blkio-weight-device "$dev:500" busybox sh -c \
        'cat /sys/fs/cgroup/blkio/blkio.bfq.weight /sys/fs/cgroup/blkio/blkio.bfq.weight_device'
    losetup -d "$dev"
    [ "$status" -eq 0 ]
    [ "$output" = "300"$'\n'"default 300"$'\n'"$numbers 500" ]
    kouti_bg run -d --name bw busybox sleep 100 >/dev/null
    kouti update --blkio-weight 700 bw >/dev/null
    [ "$(kouti exec bw cat /sys/fs/cgroup/blkio/blkio.bfq.weight)" = 700 ]
    [ "$(kouti inspect -f '{{.HostConfig.BlkioWeight}}' bw)" = 700 ]
    run kouti create --blkio-weight 5 busybox true
    [ "$status" -eq 125 ]
    [ "$output" = "Error: Range of blkio weight is from 10 to 1000" ]
    run kouti create --blkio-weight-device /dev/null:5 busybox true
    [ "$status" -eq 125 ]
    [ "${lines[0]}" = 'invalid argument "/dev/null:5" for "--blkio-weight-device" flag: invalid weight for device: /dev/null:5' ]
    [ -z "$(kouti ps -aq --filter status=created)" ]
}

@test "--label-file, --annotation (into the OCI spec), --runtime, --volume-driver, --isolation, --disable-content-trust" {
    printf '# a comment\n\n  tier=web\nflag\nx=1=2\n' > "$BATS_TEST_TMPDIR/labels"
    id=$(kouti create --label-file "$BATS_TEST_TMPDIR/labels" -l x=3 --annotation org.example/a=b --annotation e \
        --disable-content-trust --volume-driver local --isolation default --runtime kouti busybox true)
    [ "$(kouti inspect -f '{{json .Config.Labels}} {{json .HostConfig.Annotations}}' "$id")" = '{"flag":"","tier":"web","x":"3"} {"e":"","org.example/a":"b"}' ]
    [ "$(kouti inspect -f '{{.HostConfig.Runtime}} {{.HostConfig.Isolation}} {{.HostConfig.VolumeDriver}}' "$id")" = "kouti default local" ]
    kouti start -a "$id"
    python3 -c 'import json,sys; a = json.load(open(sys.argv[1]))["annotations"]; assert a["org.example/a"] == "b" and a["e"] == "", a' \
        "$KOUTI_ROOT/containers/$id/config.json"
    # Docker's daemon checks the first three: `create` exits 1 for them, `run` 125; the docker CLI
    # checks the others, 125 for both.
    for args in "1|--runtime runc|unknown or invalid runtime name: runc" \
        "1|--volume-driver nfs|error looking up volume plugin nfs: plugin \"nfs\" not found" \
        "1|--isolation hyperv|Invalid isolation: \"hyperv\" - linux only supports 'default'" \
        "125|--annotation run.kouti.rootfs.overlay=lowerdir=/|annotation run.kouti.rootfs.overlay: the run.kouti. prefix is kouti's own" \
        "125|--label-file $BATS_TEST_TMPDIR/none|open $BATS_TEST_TMPDIR/none: no such file or directory"; do
        code=${args%%|*} rest=${args#*|}
        # shellcheck disable=SC2086
        run kouti create ${rest%%|*} busybox true
        [ "$status" -eq "$code" ]
        [ "$output" = "Error: ${rest#*|}" ]
        # shellcheck disable=SC2086
        run kouti run ${rest%%|*} busybox true
        [ "$status" -eq 125 ]
    done
    [ "$(kouti ps -aq | wc -l)" = 1 ]
}

@test "typed flag values are checked as the docker CLI checks them; no value or image file aborts kouti" {
    # Each of these aborted kouti with an uncaught exception before (exit 134, a core dump).
    for args in "run -m .|-m, --memory|.|strconv.ParseFloat: parsing \".\": invalid syntax" \
        "run --shm-size 1.2.3|--shm-size|1.2.3|strconv.ParseFloat: parsing \"1.2.3\": invalid syntax" \
        "run -m 10x|-m, --memory|10x|invalid suffix: 'x'" \
        "run -c x|-c, --cpu-shares|x|strconv.ParseInt: parsing \"x\": invalid syntax" \
        "run --stop-timeout 99999999999999999999|--stop-timeout|99999999999999999999|strconv.ParseInt: parsing \"99999999999999999999\": value out of range" \
        "run --blkio-weight 70000|--blkio-weight|70000|strconv.ParseUint: parsing \"70000\": value out of range" \
        "ps -n x|-n, --last|x|strconv.ParseInt: parsing \"x\": invalid syntax" \
        "stop -t x|-t, --timeout|x|strconv.ParseInt: parsing \"x\": invalid syntax" \
        "update -m .|-m, --memory|.|strconv.ParseFloat: parsing \".\": invalid syntax"; do
        IFS='|' read -r cmd flag value why <<< "$args"
        # shellcheck disable=SC2086
        run -125 kouti $cmd busybox true
        [ "${lines[0]}" = "invalid argument \"$value\" for \"$flag\" flag: $why" ]
        [[ "${lines[1]}" == "Usage:  kouti ${cmd%% *} "* ]]
        [ "${lines[2]}" = "Run 'kouti ${cmd%% *} --help' for more information" ]
    done
    run -125 kouti run --rm --log-opt max-size=. busybox true
    [ "$output" = 'Error: strconv.ParseFloat: parsing ".": invalid syntax' ]
    run -125 kouti run --rm -u 99999999999999999999 busybox true
    [ "$output" = "Error: unable to find user 99999999999999999999: no matching entries in passwd file" ]
    kouti run --rm --log-opt max-file=99999999999 busybox true
    kouti_bg run -d --name sleeper busybox sleep 100
    run -1 kouti kill -s 99999999999 sleeper
    [ "$output" = "Error: Cannot kill container: sleeper: The linux daemon does not support signal 99999999999" ]
    # An image's passwd file is its author's: a malformed or 33-bit id is skipped, never a crash.
    kouti run --name author busybox sh -c 'echo "evil:x:99999999999:0::/:/bin/sh" >> /etc/passwd; echo "bad:x:x:y::/:/bin/sh" >> /etc/passwd
        echo "fine:x:1234:5678::/:/bin/sh" >> /etc/passwd; echo "grp:x:99999999999:fine" >> /etc/group'
    kouti commit author hostile >/dev/null
    run -0 kouti run --rm -u fine hostile id
    [ "$output" = "uid=1234(fine) gid=5678 groups=5678" ]
    for user in evil bad; do
        run -125 kouti run --rm -u "$user" hostile true
        [ "$output" = "Error: unable to find user $user: no matching entries in passwd file" ]
    done
}

@test "--gpus, --storage-opt, --kernel-memory, the Windows-only flags and --use-api-socket, as Docker answers them on Linux" {
    # A GPU request is stored as Docker's DeviceRequests; no driver can serve it at start.
    id=$(kouti create --gpus 'count=2,capabilities=compute,driver=nvidia' --gpus '"device=0,1"' busybox true)
    [ "$(kouti inspect -f '{{json .HostConfig.DeviceRequests}}' "$id")" = '[{"Driver":"nvidia","Count":2,"DeviceIDs":null,"Capabilities":[["compute","gpu"]],"Options":{}},{"Driver":"","Count":0,"DeviceIDs":["0","1"],"Capabilities":[["gpu"]],"Options":{}}]' ]
    run -1 kouti start "$id"
    [ "${lines[0]}" = 'Error: could not select device driver "nvidia" with capabilities: [[compute gpu]]' ]
    run -125 kouti run --rm --gpus all busybox true
    [ "$output" = 'Error: could not select device driver "" with capabilities: [[gpu]]' ]
    run -125 kouti run --rm --gpus bad=1 busybox true
    [ "${lines[0]}" = "invalid argument \"bad=1\" for \"--gpus\" flag: unexpected key 'bad' in 'bad=1'" ]
    run -125 kouti run --rm --gpus count=x busybox true
    [ "${lines[0]}" = 'invalid argument "count=x" for "--gpus" flag: invalid count (x): value must be either "all" or an integer: invalid syntax' ]
    # --storage-opt: Docker's checks, then an honest no (kouti has no writable-layer quota).
    run -125 kouti run --rm --storage-opt foo busybox true
    [ "$output" = "Error: invalid storage option" ]
    run -1 kouti create --storage-opt foo=bar busybox true
    [ "$output" = "Error: Unknown option foo" ]
    run -125 kouti run --rm --storage-opt size=1G busybox true
    [[ "$output" == "Error: --storage-opt size=1G: kouti cannot cap a container's writable layer"* ]]
    # --kernel-memory: stored and warned about, as today's Docker, which no longer applies it.
    run -0 --separate-stderr kouti run --name km --kernel-memory 10m busybox true
    [ "$stderr" = "WARNING: Specifying a kernel memory limit is deprecated and will be removed in a future release." ]
    [ "$(kouti inspect -f '{{.HostConfig.KernelMemory}}' km)" = 10485760 ]
    for flag in cpu-count cpu-percent io-maxiops; do
        run -1 kouti run --rm --$flag 1 busybox true
        [ "$output" = "Error: \"--$flag\" is only supported on a Docker daemon running on windows, but the Docker daemon is running on linux" ]
    done
    run -125 kouti run --rm --use-api-socket busybox true
    [ "$output" = "Error: --use-api-socket: kouti serves no Engine API socket to share with the container" ]
    # Hidden as the docker CLI hides them: the Windows-only flags and the old --net.
    run -0 kouti run --help
    [[ "$output" == *"--gpus gpu-request"* && "$output" == *"--link-local-ip list"* && "$output" == *"--cpu-rt-runtime int"* ]]
    [[ "$output" != *"--cpu-count"* && "$output" != *"--net "* ]]
    [ "$(kouti ps -aq | wc -l)" = 2 ] # the created GPU one and km: no refused flag left a container
}

@test "--cpu-rt-runtime gives a container real-time CPU time, and its cgroup parent the budget for it; update changes it" {
    local cpu=/sys/fs/cgroup/cpu
    [ -f "$cpu/cpu.rt_runtime_us" ] || skip "no cgroup v1 cpu controller with real-time groups (CONFIG_RT_GROUP_SCHED)"
    run -125 kouti run --rm --cpu-rt-period 1000 --cpu-rt-runtime 2000 busybox true
    [ "$output" = "Error: cpu real-time runtime cannot be higher than cpu real-time period" ]
    # SCHED_FIFO needs CAP_SYS_NICE and a real-time budget in the task's cgroup: the host's chrt,
    # run through a read-only view of the host, shows which the container has.
    local chrt="chroot /host chrt -f 10 true"
    run -1 kouti run --rm --cap-add SYS_NICE -v /:/host:ro busybox $chrt
    [[ "$output" == *"Operation not permitted"* ]]
    kouti run --rm --cap-add SYS_NICE -v /:/host:ro --cpu-rt-runtime 10000 busybox $chrt
    # The parent is given what its children hold, never less than it had.
    id1=$(kouti_bg run -d --cpu-rt-runtime 10000 busybox sleep 100)
    id2=$(kouti_bg run -d --cpu-rt-runtime 5000 --cpu-rt-period 500000 busybox sleep 100)
    [ "$(cat "$cpu$KOUTI_CGROUP_PARENT/$id1/cpu.rt_runtime_us")" = 10000 ]
    [ "$(cat "$cpu$KOUTI_CGROUP_PARENT/$id2/cpu.rt_period_us") $(cat "$cpu$KOUTI_CGROUP_PARENT/$id2/cpu.rt_runtime_us")" = "500000 5000" ]
    [ "$(cat "$cpu$KOUTI_CGROUP_PARENT/cpu.rt_runtime_us")" -ge 20000 ]
    kouti update --cpu-rt-runtime 30000 "$id1" >/dev/null
    [ "$(cat "$cpu$KOUTI_CGROUP_PARENT/$id1/cpu.rt_runtime_us")" = 30000 ]
    [ "$(cat "$cpu$KOUTI_CGROUP_PARENT/cpu.rt_runtime_us")" -ge 40000 ]
    [ "$(kouti inspect -f '{{.HostConfig.CpuRealtimeRuntime}} {{.HostConfig.CpuRealtimePeriod}}' "$id1")" = "30000 0" ]
    run -1 kouti update --cpu-rt-runtime 2000000 "$id2"
    [[ "$output" == "Error: Cannot update container $id2: cpu real-time runtime cannot be higher than cpu real-time period" ]]
    # More than the root has to give fails, and says so.
    run -125 kouti run --rm --cpu-rt-runtime 990000 busybox true
    [[ "$output" == *"real-time budget"* ]]
}

@test "flag values Docker checks before it creates anything: its words and exit codes, and nothing left behind" {
    # pflag's layout for the docker CLI's value validators.
    flag_error() { # EXPECTED_FIRST_LINE ARGS...
        local want="$1"; shift
        run -125 kouti run --rm "$@" busybox true
        [ "${lines[0]}" = "$want" ] || { echo "got: ${lines[0]}"; false; }
        [ "${lines[-1]}" = "Run 'kouti run --help' for more information" ]
    }
    flag_error 'invalid argument "" for "-e, --env" flag: invalid environment variable: ' -e ""
    flag_error 'invalid argument "=x" for "-e, --env" flag: invalid environment variable: =x' -e =x
    flag_error 'invalid argument "1.2.3" for "--dns" flag: IP address is not correctly formatted: 1.2.3' --dns 1.2.3
    flag_error 'invalid argument "foo" for "--add-host" flag: bad format for add-host: "foo"' --add-host foo
    flag_error 'invalid argument "h:1.2.3" for "--add-host" flag: invalid IP address in add-host: "1.2.3"' --add-host h:1.2.3
    flag_error 'invalid argument "foo" for "-a, --attach" flag: valid streams are STDIN, STDOUT and STDERR' -a foo
    flag_error 'invalid argument "maybe" for "--init" flag: strconv.ParseBool: parsing "maybe": invalid syntax' --init=maybe
    flag_error 'invalid argument "nofile=x" for "--ulimit" flag: strconv.ParseInt: parsing "x": invalid syntax' --ulimit nofile=x
    # The docker CLI's parse() and the daemon's checks: one line, 125.
    plain_error() { # EXPECTED ARGS...
        local want="$1"; shift
        run -125 kouti run --rm "$@" busybox true
        [ "$output" = "Error: $want" ] || { echo "got: $output"; false; }
    }
    plain_error "invalid containerPort: abc" -p abc
    plain_error "invalid hostPort: 99999" -p 99999:80
    plain_error "IPv6 host addresses are not supported: [::1] (kouti publishes ports with IPv4 NAT)" -p "[::1]:8080:80"
    plain_error 'invalid range format for --expose: abc, error: strconv.ParseUint: parsing "abc": invalid syntax' --expose abc
    plain_error "--cgroupns: invalid CGROUP mode" --cgroupns foo
    plain_error "invalid pull option: 'foo': must be one of \"always\", \"missing\" or \"never\"" --pull foo
    plain_error "invalid value: 200. Valid memory swappiness range is 0-100" --memory-swappiness 200
    plain_error "Invalid value 2000, range for oom score adj is [-1000, 1000]" --oom-score-adj 2000
    plain_error "invalid mount config for type \"tmpfs\": invalid mount path: 'rel' mount path must be absolute" --tmpfs rel
    plain_error "invalid specification: destination can't be '/'" --tmpfs /
    plain_error "rel is not an absolute path" --device /dev/null:rel
    plain_error "bad mode specified: xyz" --device /dev/null:/dev/n:xyz
    plain_error "Invalid value x for cpuset cpus: invalid format: x" --cpuset-cpus x
    plain_error "Requested CPUs are not available - requested 0,999, available: $(cat /sys/devices/system/cpu/online)" --cpuset-cpus 0,999
    plain_error "invalid spec: :/x: empty section between colons" -v :/x
    plain_error "invalid empty volume spec" -v ""
    plain_error 'error parsing specified platform: "foo": unknown operating system or architecture: invalid argument' --platform foo
    plain_error 'Invalid --security-opt: "label"' --security-opt label
    plain_error "invalid logging opts for driver none" --log-driver none --log-opt max-size=1m
    # `run` itself refuses this one, exit 1.
    run -1 kouti run -d -a stdout busybox true
    [ "$output" = "Error: conflicting options: cannot specify both --attach and --detach" ]
    [ -z "$(kouti ps -aq)" ]
    # What the validators accept, and how the docker CLI reads it.
    [ "$(kouti run --rm -a STDOUT busybox echo hi)" = hi ]
    [ "$(kouti run --rm --security-opt seccomp=builtin busybox grep -c Seccomp:.2 /proc/self/status)" = 1 ] # Docker's profile by name
    [ "$(kouti run --rm --init=F busybox sh -c 'echo $$')" = 1 ] # Go's false: no init
    [ "$(kouti run --rm --device /dev/null:rw busybox sh -c 'test -c /dev/null && echo char')" = char ]
    id=$(kouti create --expose 7000-7002/udp --device /dev/null:r busybox true)
    [ "$(kouti inspect -f '{{json .Config.ExposedPorts}}' "$id")" = '{"7000/udp":{},"7001/udp":{},"7002/udp":{}}' ]
    [ "$(kouti inspect -f '{{range .HostConfig.Devices}}{{.PathOnHost}} {{.PathInContainer}} {{.CgroupPermissions}}{{end}}' "$id")" = "/dev/null /dev/null r" ]
    kouti rm "$id" >/dev/null
    # --add-host: NAME=IP, NAME:IP, a bracketed IPv6 address, and host-gateway (the default bridge's address).
    run -0 kouti run --rm --add-host db=10.0.0.2 --add-host gw:host-gateway --add-host 'v6=[::1]' busybox cat /etc/hosts
    gateway=$(kouti network inspect -f '{{range .IPAM.Config}}{{.Gateway}}{{end}}' bridge)
    [[ "$output" == *$'10.0.0.2\tdb\n'"$gateway"$'\tgw\n::1\tv6'* ]]
}
