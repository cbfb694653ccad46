#!/usr/bin/env bats
# runc's command line: the lifecycle, exec, terminals, hooks, failures and their cleanup.
load oci_helpers

state_of() { oci state "$1" | python3 -c 'import json,sys; s=json.load(sys.stdin); print(s["status"], s["pid"])'; }

@test "create, start, state, pause, resume, kill, delete" {
    edit_config "c['process']['args'] = ['sleep', '60']"
    oci_bg create --pid-file "$BATS_TEST_TMPDIR/pid" c1
    read -r status pid < <(state_of c1)
    [ "$status" = created ] && [ "$pid" = "$(cat "$BATS_TEST_TMPDIR/pid")" ]
    [ -d "/proc/$pid" ]
    run -0 oci state c1
    [[ "$output" == *'"ociVersion": "1.1.0"'* && "$output" == *"\"bundle\": \"$BUNDLE\""* && "$output" == *'"id": "c1"'* ]]
    run -0 oci start c1
    [ "$(state_of c1)" = "running $pid" ]
    run -1 oci start c1
    [ "$output" = "kouti: cannot start a container that has already started" ]
    run -0 oci pause c1
    [ "$(state_of c1 | cut -d' ' -f1)" = paused ]
    grep -q 'State:.*T\|State:.*D\|State:.*S' /proc/$pid/status
    run -0 oci resume c1
    [ "$(state_of c1 | cut -d' ' -f1)" = running ]
    run -0 oci ps --format json c1
    [ "$output" = "[$pid]" ]
    run -0 oci list
    [[ "${lines[0]}" =~ ^ID\ +PID\ +STATUS\ +BUNDLE\ +CREATED\ +OWNER$ ]]
    [[ "${lines[1]}" =~ ^c1\ +$pid\ +running\ +$BUNDLE\  ]]
    run -1 oci delete c1
    [ "$output" = "kouti: cannot delete container c1 that is not stopped: running" ]
    run -0 oci kill c1 KILL
    for _ in $(seq 100); do [ "$(state_of c1 | cut -d' ' -f1)" = stopped ] && break; sleep 0.05; done
    [ "$(state_of c1)" = "stopped 0" ]
    run -0 oci delete c1
    no_leftovers c1
    run -1 oci state c1
    [ "$output" = 'kouti: container "c1" does not exist' ]
}

@test "delete --force cleans up a container in any state" {
    edit_config "c['process']['args'] = ['sleep', '60']"
    oci_bg create created1
    oci_bg run -d running1
    oci_bg run -d paused1
    oci pause paused1
    for id in created1 running1 paused1; do
        run -0 oci delete --force "$id"
        [ ! -e "$OCI_ROOT/$id" ]
    done
    for dir in /sys/fs/cgroup/*"$CGROUP_PARENT/c"; do [ ! -d "$dir" ]; done
    run -0 oci delete --force never-existed
}

@test "exec runs in the container's namespaces and cgroup, with its process settings" {
    edit_config "c['process']['args'] = ['sleep', '60']
c['process']['cwd'] = '/tmp'
c['process']['env'] = ['PATH=/bin', 'FROM_SPEC=1']"
    oci_bg run -d c1
    read -r _ pid < <(state_of c1)
    run -0 oci exec --env EXTRA=2 c1 /bin/kouti-check
    check_json "j['namespaces']['pid'] == '$(readlink /proc/$pid/ns/pid)' and j['namespaces']['mnt'] == '$(readlink /proc/$pid/ns/mnt)' and j['namespaces']['net'] == '$(readlink /proc/$pid/ns/net)'"
    check_json "j['cwd'] == '/tmp' and 'FROM_SPEC=1' in j['env'] and 'EXTRA=2' in j['env'] and j['pid'] != 1 and sorted(j['fds'].keys()) == ['0','1','2']"
    check_json "j['CapBnd'] == '$(cap_mask CAP_AUDIT_WRITE CAP_KILL CAP_NET_BIND_SERVICE)'"
    run oci exec --cwd / -u 1000:1000 c1 /bin/sh -c 'pwd; id -u; exit 3'
    echo "exec as 1000: status $status, output: $output"
    [ "$status" -eq 3 ]
    [ "$output" = $'/\n1000' ]
    echo '{"args": ["/bin/sh", "-c", "echo from process.json"], "cwd": "/"}' > "$BATS_TEST_TMPDIR/process.json"
    run -0 oci exec --process "$BATS_TEST_TMPDIR/process.json" c1
    [ "$output" = "from process.json" ]
    run -1 oci exec c1 /no/such/command
    [ "$output" = 'kouti: exec: "/no/such/command": executable file not found in $PATH' ]
    oci exec -d --pid-file "$BATS_TEST_TMPDIR/exec.pid" c1 sleep 30 </dev/null >/dev/null 2>&1
    epid=$(cat "$BATS_TEST_TMPDIR/exec.pid")
    grep -q "$CGROUP_PARENT/c" /proc/$epid/cgroup
    oci delete --force c1
    [ ! -d /proc/$epid ] || [ "$(awk '{print $3}' /proc/$epid/stat)" = Z ]
}

@test "a terminal goes over the console socket, or to the caller of run" {
    edit_config "c['process']['terminal'] = True
c['process']['args'] = ['/bin/sh', '-c', 'tty; readlink /proc/self/fd/0; echo hello-tty']"
    python3 "$REPO_ROOT/tests/tools/console_socket.py" "$BATS_TEST_TMPDIR/console.sock" "$BATS_TEST_TMPDIR/ready" > "$BATS_TEST_TMPDIR/console.out" &
    listener=$!
    for _ in $(seq 50); do [ -e "$BATS_TEST_TMPDIR/ready" ] && break; sleep 0.05; done
    oci_bg create --console-socket "$BATS_TEST_TMPDIR/console.sock" c1
    oci start c1
    wait $listener
    run cat "$BATS_TEST_TMPDIR/console.out"
    [ "${lines[0]}" = "name=/dev/ptmx" ]
    [[ "$output" == *"/dev/pts/0"* && "$output" == *"hello-tty"* ]]
    run -1 oci create c2
    [ "$output" = "kouti: cannot allocate tty if kouti will detach without setting console socket" ]
    # `run` in the foreground proxies the terminal itself.
    run -0 script -qec "cd '$BUNDLE' && '$KOUTI_BIN' oci --root '$OCI_ROOT' run c3" /dev/null
    [[ "$output" == *"hello-tty"* ]]
}

@test "hooks run at their stages with the state on stdin; a failing hook fails create cleanly" {
    for h in prestart createRuntime createContainer startContainer poststart poststop; do
        printf '#!/bin/sh\ncat > %s/hook-%s.json\n' "$BATS_TEST_TMPDIR" "$h" > "$BATS_TEST_TMPDIR/hook-$h"
        chmod +x "$BATS_TEST_TMPDIR/hook-$h"
    done
    # prestart also records the cgroups of the container's pid: the init is in them already.
    cat > "$BATS_TEST_TMPDIR/hook-prestart" <<EOF
#!/bin/sh
tee $BATS_TEST_TMPDIR/hook-prestart.json | python3 -c 'import json, sys; print(open("/proc/%d/cgroup" % json.load(sys.stdin)["pid"]).read())' > $BATS_TEST_TMPDIR/prestart-cgroups
EOF
    cp "$BATS_TEST_TMPDIR/hook-startContainer" "$BUNDLE/rootfs/bin/hook-start"
    sed -i "s|$BATS_TEST_TMPDIR|/tmp|" "$BUNDLE/rootfs/bin/hook-start"
    edit_config "h = lambda n: [{'path': '$BATS_TEST_TMPDIR/hook-' + n}]
c['hooks'] = {'prestart': h('prestart'), 'createRuntime': h('createRuntime'), 'createContainer': h('createContainer'), 'startContainer': [{'path': '/bin/hook-start'}], 'poststart': h('poststart'), 'poststop': h('poststop')}
c['root']['readonly'] = False
c['process']['args'] = ['/bin/cat', '/tmp/hook-startContainer.json']"
    run -0 oci run c1
    [[ "$output" == *'"status":"running"'* ]]
    for h in prestart createRuntime createContainer poststart poststop; do
        grep -q '"ociVersion"' "$BATS_TEST_TMPDIR/hook-$h.json"
    done
    grep -q '"id":"c1"' "$BATS_TEST_TMPDIR/hook-poststart.json"
    if [ -d /sys/fs/cgroup/memory ]; then grep -q ":memory:$CGROUP_PARENT/c\$" "$BATS_TEST_TMPDIR/prestart-cgroups"
    else grep -q "^0::$CGROUP_PARENT/c\$" "$BATS_TEST_TMPDIR/prestart-cgroups"; fi
    edit_config "c['hooks'] = {'prestart': [{'path': '/bin/false'}]}"
    run -1 oci run c2
    [ "$output" = "kouti: prestart hook /bin/false failed with exit status 1" ]
    no_leftovers c2
    edit_config "c['hooks'] = {'createRuntime': [{'path': '/bin/sleep', 'args': ['sleep', '5'], 'timeout': 1}]}"
    run -1 oci run c3
    [ "$output" = "kouti: createRuntime hook /bin/sleep timed out after 1s" ]
    no_leftovers c3
}

@test "an invalid config.json gets one line naming the field, exit 1, and nothing is left" {
    cp "$BUNDLE/config.json" "$BATS_TEST_TMPDIR/good.json"
    check() { # python edit, expected message
        cp "$BATS_TEST_TMPDIR/good.json" "$BUNDLE/config.json"
        edit_config "$1"
        run -1 oci create bad
        [ "$output" = "kouti: $2" ]
        no_leftovers bad
    }
    check "c['process']['args'] = []" "config.json: process.args: must be a non-empty list of strings"
    check "c['process']['cwd'] = 'relative'" "config.json: process.cwd: must be an absolute path"
    check "c['process']['user']['uid'] = 'root'" "config.json: process.user.uid: must be an integer"
    check "c['process']['capabilities']['bounding'] = ['CAP_FLY']" 'config.json: process.capabilities.bounding: unknown capability "CAP_FLY"'
    check "c['process']['rlimits'] = [{'type': 'RLIMIT_BOGUS', 'soft': 1, 'hard': 1}]" 'config.json: process.rlimits[0].type: unknown resource limit "RLIMIT_BOGUS"'
    check "c['linux']['namespaces'].append({'type': 'bogus'})" 'config.json: linux.namespaces[6].type: unknown namespace type "bogus"'
    check "c['mounts'].append({'destination': 'relative', 'type': 'tmpfs'})" "config.json: mounts[7].destination: must be an absolute path"
    check "c['root']['path'] = 'nope'" "config.json: root.path: \"$BUNDLE/nope\" is not a directory"
    check "del c['process']" "config.json: process: is required"
    echo '{ not json' > "$BUNDLE/config.json"
    run -1 oci create bad
    [ "$output" = "kouti: config.json: not valid JSON" ]
    run -1 oci create 'bad/id'
    [ "$output" = 'kouti: invalid container id "bad/id"' ]
}

@test "a failure at any step of create leaves no cgroup, mount, state directory or process" {
    edit_config "c['process']['args'] = ['sleep', '60']"
    before=$(grep -c . /proc/self/mountinfo)
    for point in clone cgroup hooks ready; do
        KOUTI_FAIL_AT=$point run -1 oci create "f-$point"
        [ "$output" = "kouti: injected failure at $point" ]
        no_leftovers "f-$point"
    done
    # A failure inside the child, in the middle of the mounts.
    edit_config "c['mounts'].append({'destination': '/mnt/x', 'type': 'nosuchfs', 'source': 'none'})"
    run -1 oci create f-mount
    [[ "$output" == *"mount /mnt/x"* ]]
    no_leftovers f-mount
    [ "$(grep -c . /proc/self/mountinfo)" = "$before" ]
    ! pgrep -f "sleep 60" -P 1 >/dev/null || ! pgrep -a -f "sleep 60" | grep -q .
    run -0 oci list -q
    [ -z "$output" ]
}

@test "without kouti-setup beside it, create says so and leaves nothing" {
    mkdir "$BATS_TEST_TMPDIR/bin"
    cp "$(dirname "$KOUTI_BIN")"/{kouti,libkouti-cli.so,kouti-runc} "$BATS_TEST_TMPDIR/bin/"
    KOUTI_BIN="$BATS_TEST_TMPDIR/bin/kouti" run -1 oci create c1
    [ "$output" = "kouti: cannot find kouti-setup, the container's first process, at $BATS_TEST_TMPDIR/bin/kouti-setup" ]
    no_leftovers c1
}

@test "a create with an id in use is refused and leaves the first container alone" {
    edit_config "c['process']['args'] = ['sleep', '60']"
    oci_bg create c1
    run -1 oci create c1
    [ "$output" = "kouti: container with id exists: c1" ]
    [ "$(state_of c1 | cut -d' ' -f1)" = created ]
}

@test "50 concurrent runs all succeed" {
    # One bundle each (sharing the rootfs): each container needs a cgroup of its own.
    for i in $(seq 50); do
        mkdir "$BATS_TEST_TMPDIR/b$i"
        python3 -c 'import json,sys; c=json.load(open(sys.argv[1])); c["root"]["path"]=sys.argv[2]; c["process"]["args"]=["/bin/true"]; c["linux"]["cgroupsPath"]=sys.argv[3]; json.dump(c, open(sys.argv[4], "w"))' \
            "$BUNDLE/config.json" "$BUNDLE/rootfs" "$CGROUP_PARENT/p$i" "$BATS_TEST_TMPDIR/b$i/config.json"
    done
    for i in $(seq 50); do
        (cd "$BATS_TEST_TMPDIR/b$i" && "$KOUTI_BIN" oci --root "$OCI_ROOT" run "p$i" > "$BATS_TEST_TMPDIR/p$i.log" 2>&1; echo $? > "$BATS_TEST_TMPDIR/p$i.rc") &
    done
    wait
    for i in $(seq 50); do
        [ "$(cat "$BATS_TEST_TMPDIR/p$i.rc")" = 0 ] || { cat "$BATS_TEST_TMPDIR/p$i.log"; false; }
    done
    run -0 oci list -q
    [ -z "$output" ]
}

@test "kouti-runc (and kouti under that name) is runc's command line; spec and features" {
    run -0 "$(dirname "$KOUTI_BIN")/kouti-runc" --version
    [[ "${lines[0]}" =~ ^kouti-runc\ version\ [0-9.]+$ ]]
    ln -s "$KOUTI_BIN" "$BATS_TEST_TMPDIR/kouti-runc"
    run -0 "$BATS_TEST_TMPDIR/kouti-runc" --version
    [[ "${lines[0]}" =~ ^kouti-runc\ version\ [0-9.]+$ ]]
    [ "${lines[2]}" = "spec: 1.1.0" ]
    edit_config "c['process']['args'] = ['/bin/sh', '-c', 'echo via-symlink']"
    run -0 bash -c "cd '$BUNDLE' && '$BATS_TEST_TMPDIR/kouti-runc' --root '$OCI_ROOT' --log '$BATS_TEST_TMPDIR/log.json' --log-format json run s1"
    [ "$output" = via-symlink ]
    run -1 "$BATS_TEST_TMPDIR/kouti-runc" --root "$OCI_ROOT" --log "$BATS_TEST_TMPDIR/log.json" --log-format json state nope
    python3 -c 'import json,sys; l=json.loads(open(sys.argv[1]).read().splitlines()[-1]); assert l["level"]=="error" and "does not exist" in l["msg"]' "$BATS_TEST_TMPDIR/log.json"
    mkdir "$BATS_TEST_TMPDIR/newbundle"
    run -0 "$BATS_TEST_TMPDIR/kouti-runc" spec --bundle "$BATS_TEST_TMPDIR/newbundle"
    python3 -c 'import json,sys; c=json.load(open(sys.argv[1])); assert c["process"]["args"]==["sh"] and c["root"]["path"]=="rootfs"' "$BATS_TEST_TMPDIR/newbundle/config.json"
    run -1 "$BATS_TEST_TMPDIR/kouti-runc" spec --bundle "$BATS_TEST_TMPDIR/newbundle"
    run -0 "$BATS_TEST_TMPDIR/kouti-runc" features
    python3 -c 'import json,sys; f=json.loads(sys.argv[1]); assert "createRuntime" in f["hooks"] and f["linux"]["seccomp"]["enabled"]' "$output"
}

@test "--no-pivot moves the rootfs and chroots; kill --all signals every process" {
    edit_config "c['process']['args'] = ['/bin/kouti-check']"
    run -0 oci run --no-pivot np1
    check_json "j['pid'] == 1 and any(m['path'] == '/' for m in j['mounts'])"
    edit_config "c['process']['args'] = ['/bin/sh', '-c', 'sleep 60 & sleep 60 & wait']"
    oci_bg run -d all1
    for _ in $(seq 50); do [ "$(oci ps --format json all1 | tr -cd ',' | wc -c)" -ge 2 ] && break; sleep 0.05; done
    run -0 oci ps --format json all1
    [ "$(echo "$output" | tr -cd ',' | wc -c)" -eq 2 ]
    run -0 oci kill --all all1 KILL
    for _ in $(seq 100); do [ "$(oci ps --format json all1)" = "[]" ] && break; sleep 0.05; done
    [ "$(oci ps --format json all1)" = "[]" ]
    run -0 oci delete all1
    no_leftovers all1
}

@test "exec --cap adds a capability, --no-new-privs sets it, -t gives the process a terminal" {
    edit_config "c['process']['args'] = ['sleep', '60']
c['process']['noNewPrivileges'] = False"
    oci_bg run -d c1
    run -0 oci exec --cap CAP_NET_ADMIN --no-new-privs c1 /bin/kouti-check
    check_json "j['CapBnd'] == '$(cap_mask CAP_AUDIT_WRITE CAP_KILL CAP_NET_BIND_SERVICE CAP_NET_ADMIN)' and j['NoNewPrivs'] == '1'"
    run -0 oci exec c1 /bin/kouti-check
    check_json "j['NoNewPrivs'] == '0'"
    run -0 script -qec "cd '$BUNDLE' && '$KOUTI_BIN' oci --root '$OCI_ROOT' exec -t c1 /bin/sh -c 'tty; echo in-a-tty'" /dev/null
    [[ "$output" == *"/dev/pts/"* && "$output" == *"in-a-tty"* ]]
    oci delete --force c1
}
