#!/usr/bin/env bats
# One test per group of spec fields: kouti-check reports what the process sees inside, and the
# test compares it with the config.json it wrote.
load oci_helpers

@test "namespaces: new ones differ from the host's, a path joins an existing one" {
    unshare --net="$BATS_TEST_TMPDIR/netns" true 2>/dev/null || { touch "$BATS_TEST_TMPDIR/netns"; unshare --net="$BATS_TEST_TMPDIR/netns" true; }
    edit_config "c['linux']['namespaces'] = [{'type':'pid'},{'type':'mount'},{'type':'ipc'},{'type':'uts'},{'type':'cgroup'},{'type':'network','path':'$BATS_TEST_TMPDIR/netns'}]"
    run -0 oci run c1
    host_pid=$(readlink /proc/self/ns/pid) host_mnt=$(readlink /proc/self/ns/mnt) host_uts=$(readlink /proc/self/ns/uts)
    host_ipc=$(readlink /proc/self/ns/ipc) host_cg=$(readlink /proc/self/ns/cgroup)
    want_net="net:[$(stat -L -c %i "$BATS_TEST_TMPDIR/netns")]"
    check_json "j['pid'] == 1 and j['namespaces']['net'] == '$want_net' and j['namespaces']['pid'] != '$host_pid' and j['namespaces']['mnt'] != '$host_mnt' and j['namespaces']['uts'] != '$host_uts' and j['namespaces']['ipc'] != '$host_ipc' and j['namespaces']['cgroup'] != '$host_cg'"
    umount "$BATS_TEST_TMPDIR/netns"
}

@test "namespaces: a pid namespace given by path is joined" {
    edit_config "c['process']['args'] = ['sleep', '60']"
    oci_bg run -d first
    first_pid=$(oci state first | python3 -c 'import json,sys; print(json.load(sys.stdin)["pid"])')
    edit_config "c['linux']['namespaces'] = [n if n['type'] != 'pid' else {'type': 'pid', 'path': '/proc/$first_pid/ns/pid'} for n in c['linux']['namespaces']]
c['linux']['cgroupsPath'] = '$CGROUP_PARENT/second'
c['process']['args'] = ['/bin/sh', '-c', 'readlink /proc/self/ns/pid; echo \\$\\$; ps -o comm | grep -c sleep']"
    run -0 oci run second
    [ "${lines[0]}" = "$(readlink /proc/$first_pid/ns/pid)" ]
    [ "${lines[1]}" != 1 ]
    [ "${lines[2]}" = 1 ]
    oci delete --force first
}

@test "namespaces: a time namespace where the kernel has one" {
    [ -e /proc/self/ns/time ] || skip "this kernel has no time namespaces"
    edit_config "c['linux']['namespaces'].append({'type': 'time'})
c['process']['args'] = ['/bin/sh', '-c', 'readlink /proc/self/ns/time']"
    run -0 oci run c1
    [[ "$output" =~ ^time:\[[0-9]+\]$ ]]
    [ "$output" != "$(readlink /proc/self/ns/time)" ]
}

@test "an OOM kill is detected and reported" {
    edit_config "c['linux']['resources'] = {'memory': {'limit': 33554432, 'swap': 33554432}}
c['process']['args'] = ['/bin/sh', '-c', 'dd if=/dev/zero of=/dev/null bs=128M count=1']"
    run -137 oci run c1
    [[ "$output" == *"kouti: container c1 was killed by the OOM killer"* ]]
    no_leftovers c1
}

@test "user namespace: uid and gid mappings" {
    edit_config "c['linux']['namespaces'].append({'type':'user'})
c['linux']['uidMappings'] = [{'containerID':0,'hostID':100000,'size':65536}]
c['linux']['gidMappings'] = [{'containerID':0,'hostID':100000,'size':65536}]
c['process']['args'] = ['/bin/kouti-check', 'read', '/proc/self/uid_map']"
    chown -R 100000:100000 "$BUNDLE/rootfs"
    # The mapped root must be able to reach its rootfs, as with runc.
    d=$BUNDLE; while [ "$d" != / ]; do chmod o+x "$d"; d=$(dirname "$d"); done
    run -0 oci run c1
    check_json "j['uid'] == 0 and j['files']['/proc/self/uid_map'].split() == ['0','100000','65536']"
}

@test "hostname, domainname, env, args and cwd" {
    edit_config "c['hostname'] = 'box1'
c['domainname'] = 'example.test'
c['process']['env'] = ['PATH=/bin:/usr/bin', 'A=1', 'B=two words']
c['process']['cwd'] = '/tmp'"
    run -0 oci run c1
    check_json "j['hostname'] == 'box1' and j['domainname'] == 'example.test' and j['cwd'] == '/tmp' and j['env'] == ['PATH=/bin:/usr/bin','A=1','B=two words']"
}

@test "user, additional groups, umask, rlimits, oomScoreAdj, noNewPrivileges" {
    edit_config "c['process']['user'] = {'uid': 1000, 'gid': 1001, 'additionalGids': [5, 20], 'umask': 23}
c['process']['rlimits'] = [{'type':'RLIMIT_NOFILE','soft':512,'hard':768}, {'type':'RLIMIT_CORE','soft':0,'hard':0}]
c['process']['oomScoreAdj'] = 123
c['process']['noNewPrivileges'] = False"
    run -0 oci run c1
    check_json "j['uid'] == 1000 and j['gid'] == 1001 and j['groups'] == [5, 20] and j['Umask'] == '0027' and j['rlimits']['RLIMIT_NOFILE'] == [512, 768] and j['rlimits']['RLIMIT_CORE'] == [0, 0] and j['oom_score_adj'].strip() == '123' and j['NoNewPrivs'] == '0'"
}

@test "an rlimit that cannot be set is an error naming it" {
    hard=$(ulimit -Hn)
    edit_config "c['process']['rlimits'] = [{'type':'RLIMIT_NOFILE','soft':$((hard + 1)),'hard':$((hard + 1))}]"
    run -1 oci run c1
    [[ "$output" == *"set RLIMIT_NOFILE to $((hard + 1)):$((hard + 1))"* ]]
    no_leftovers c1
}

@test "capabilities: all five sets" {
    edit_config "c['process']['capabilities'] = {'bounding':['CAP_CHOWN','CAP_KILL','CAP_NET_RAW','CAP_SETUID'],'effective':['CAP_CHOWN','CAP_KILL'],'permitted':['CAP_CHOWN','CAP_KILL','CAP_NET_RAW'],'inheritable':['CAP_NET_RAW'],'ambient':['CAP_NET_RAW']}"
    run -0 oci run c1
    check_json "j['CapBnd'] == '$(cap_mask CAP_CHOWN CAP_KILL CAP_NET_RAW CAP_SETUID)' and j['CapEff'] == '$(cap_mask CAP_CHOWN CAP_KILL CAP_NET_RAW)' and j['CapPrm'] == '$(cap_mask CAP_CHOWN CAP_KILL CAP_NET_RAW)' and j['CapInh'] == '$(cap_mask CAP_NET_RAW)' and j['CapAmb'] == '$(cap_mask CAP_NET_RAW)'"
}

@test "mounts: tmpfs with options, read-only bind, masked and read-only paths, read-only root" {
    mkdir -p "$BATS_TEST_TMPDIR/share" && echo shared > "$BATS_TEST_TMPDIR/share/f"
    edit_config "c['mounts'].append({'destination':'/mnt/t','type':'tmpfs','source':'tmpfs','options':['nosuid','nodev','size=1m','mode=700']})
c['mounts'].append({'destination':'/mnt/b','type':'bind','source':'$BATS_TEST_TMPDIR/share','options':['rbind','ro']})
c['process']['args'] = ['/bin/kouti-check', 'read', '/mnt/b/f', '/proc/keys']"
    run -0 oci run c1
    check_json "any(m['path'] == '/mnt/t' and m['type'] == 'tmpfs' and 'nosuid' in m['options'] and 'size=1024k' in m['super'] and 'mode=700' in m['super'] for m in j['mounts'])"
    check_json "any(m['path'] == '/mnt/b' and m['options'].startswith('ro') for m in j['mounts']) and j['files']['/mnt/b/f'] == 'shared\n'"
    check_json "j['files']['/proc/keys'] == '' and any(m['path'] == '/proc/keys' for m in j['mounts'])"
    check_json "any(m['path'] == '/proc/sys' and m['options'].startswith('ro') for m in j['mounts'])"
    check_json "any(m['path'] == '/' and m['options'].startswith('ro') for m in j['mounts'])"
    check_json "any(m['path'] == '/sys/fs/cgroup/memory' or m['path'] == '/sys/fs/cgroup' for m in j['mounts'])"
}

@test "mount destinations are resolved inside the rootfs, never through a symlink to the host" {
    ln -s "$BATS_TEST_TMPDIR/host-target" "$BUNDLE/rootfs/escape"
    mkdir -p "$BATS_TEST_TMPDIR/host-target"
    edit_config "c['mounts'].append({'destination':'/escape/t','type':'tmpfs','source':'tmpfs'})
c['process']['args'] = ['/bin/kouti-check']"
    run -0 oci run c1
    # The tmpfs went to rootfs/<host path>/t, inside the rootfs, not to the host directory.
    [ -z "$(ls "$BATS_TEST_TMPDIR/host-target")" ]
    [ -d "$BUNDLE/rootfs$BATS_TEST_TMPDIR/host-target/t" ]
}

@test "a /dev/null the image replaced with a symlink is refused for masking" {
    edit_config "c['mounts'] = [m for m in c['mounts'] if m['destination'] != '/dev']
c['linux']['maskedPaths'] = ['/proc/kcore']"
    rm -f "$BUNDLE/rootfs/dev/null"
    mkdir -p "$BUNDLE/rootfs/dev"
    ln -s /proc/sys/kernel/core_pattern "$BUNDLE/rootfs/dev/null"
    run -1 oci run c1
    [[ "$output" == *"/dev/null in the container is not the null device"* ]]
    no_leftovers c1
}

@test "cgroups: memory, swap, cpu, cpuset, pids limits land in the container's cgroup" {
    edit_config "c['linux']['resources'] = {'memory': {'limit': 67108864, 'swap': 134217728}, 'cpu': {'shares': 512, 'quota': 50000, 'period': 100000, 'cpus': '0', 'mems': '0'}, 'pids': {'limit': 64}}
c['process']['args'] = ['sleep', '30']"
    oci_bg run -d c1
    cg="$CGROUP_PARENT/c"
    if [ -d /sys/fs/cgroup/memory ]; then
        [ "$(cat /sys/fs/cgroup/memory$cg/memory.limit_in_bytes)" = 67108864 ]
        [ ! -e /sys/fs/cgroup/memory$cg/memory.memsw.limit_in_bytes ] || [ "$(cat /sys/fs/cgroup/memory$cg/memory.memsw.limit_in_bytes)" = 134217728 ]
        [ "$(cat /sys/fs/cgroup/cpu$cg/cpu.shares)" = 512 ]
        [ "$(cat /sys/fs/cgroup/cpu$cg/cpu.cfs_quota_us)" = 50000 ]
        [ "$(cat /sys/fs/cgroup/cpuset$cg/cpuset.cpus)" = 0 ]
        [ "$(cat /sys/fs/cgroup/pids$cg/pids.max)" = 64 ]
        pid=$(oci state c1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["pid"])')
        grep -q "memory:$cg\$" /proc/$pid/cgroup
    else
        [ "$(cat /sys/fs/cgroup$cg/memory.max)" = 67108864 ]
        [ "$(cat /sys/fs/cgroup$cg/pids.max)" = 64 ]
    fi
    oci delete --force c1
    no_leftovers c1
}

@test "cgroups: linux.resources.unified files are written on cgroup v2, refused by name on v1" {
    edit_config "c['linux']['resources'] = {'unified': {'memory.high': '52428800'}}
c['process']['args'] = ['sleep', '30']"
    if [ -d /sys/fs/cgroup/memory ]; then
        run -1 oci run -d c1
        [[ "$output" == *"linux.resources.unified needs cgroup v2, and this host's controllers are on cgroup v1 (memory.high)"* ]]
    else
        oci_bg run -d c1
        [ "$(cat /sys/fs/cgroup$CGROUP_PARENT/c/memory.high)" = 52428800 ]
        oci delete --force c1
    fi
    no_leftovers c1
}

@test "cgroups: hugepageLimits land in the hugetlb controller; without one they are an error naming it" {
    [ -d /sys/kernel/mm/hugepages/hugepages-2048kB ] || skip "no 2MB huge pages here"
    grep -qw hugetlb /proc/cgroups || skip "the kernel has no hugetlb controller"
    edit_config "c['linux']['resources'] = {'hugepageLimits': [{'pageSize': '2MB', 'limit': 4194304}]}
c['process']['args'] = ['sh', '-c', 'cat /sys/fs/cgroup/hugetlb/hugetlb.2MB.limit_in_bytes /sys/fs/cgroup/hugetlb.2MB.max 2>/dev/null; true']"
    if [ -d /sys/fs/cgroup/memory ] && ! grep -q ' - cgroup .*hugetlb' /proc/self/mountinfo; then
        run -1 oci run c1
        [[ "$output" == *"cgroup controller hugetlb is not available, but the spec sets hugetlb.2MB.limit_in_bytes"* ]]
        no_leftovers c1
        # Mounted in a mount namespace of this test's own (as Docker's hosts have it), the
        # controller takes the limit; the test's cgroup parent is removed from it there too.
        mkdir "$BATS_TEST_TMPDIR/hugetlb"
        run -0 unshare -m --propagation private -- bash -c '
            mnt=$1 parent=$2
            mount -t cgroup -o hugetlb cgroup "$mnt" || exit 3
            cd "$3" && "$4" oci --root "$5" run c1; rc=$?
            [ -d "$mnt$parent/c" ] && rc=4 # the container'"'"'s cgroup must be gone
            find "$mnt$parent" -depth -type d -exec rmdir {} \; 2>/dev/null
            umount "$mnt"
            exit $rc' _ "$BATS_TEST_TMPDIR/hugetlb" "$CGROUP_PARENT" "$BUNDLE" "$KOUTI_BIN" "$OCI_ROOT"
        [ "$output" = 4194304 ]
    else
        run -0 oci run c1
        [ "$output" = 4194304 ]
    fi
    no_leftovers c1
}

@test "a memory limit the kernel refuses is an error, not ignored" {
    edit_config "c['linux']['resources'] = {'memory': {'limit': 4096}}"
    run -1 oci run c1
    [ "$output" = "kouti: container init was killed by the OOM killer during setup: the memory limit is too low" ]
    no_leftovers c1
}

@test "sysctl, devices and the default /dev" {
    edit_config "c['linux']['sysctl'] = {'net.ipv4.ip_forward': '1'}
c['linux']['devices'] = [{'path': '/dev/fuse', 'type': 'c', 'major': 10, 'minor': 229, 'fileMode': 432, 'uid': 0, 'gid': 0}]
c['process']['args'] = ['/bin/sh', '-c', 'cat /proc/sys/net/ipv4/ip_forward; stat -c \"%t:%T %a\" /dev/fuse /dev/null /dev/zero; readlink /dev/fd; readlink /dev/ptmx']"
    run -0 oci run c1
    [ "$output" = $'1\na:e5 660\n1:3 666\n1:5 666\n/proc/self/fd\npts/ptmx' ]
}

@test "personality: LINUX32 shows a 32-bit machine to the process and to exec; an unknown domain is an error" {
    [ "$(uname -m)" = x86_64 ] || skip "the 32-bit name is checked on x86_64"
    edit_config "c['linux']['personality'] = {'domain': 'LINUX32'}
c['process']['args'] = ['/bin/sh', '-c', 'uname -m; sleep 30']"
    oci_bg run -d c1
    for i in $(seq 100); do [ -s "$BATS_TEST_TMPDIR/bg.log" ] && break; sleep 0.05; done
    [ "$(cat "$BATS_TEST_TMPDIR/bg.log")" = i686 ]
    run -0 oci exec c1 uname -m
    [ "$output" = i686 ]
    oci delete --force c1
    edit_config "c['linux']['personality'] = {'domain': 'LINUX'}
c['process']['args'] = ['uname', '-m']"
    run -0 oci run c1
    [ "$output" = x86_64 ]
    edit_config "c['linux']['personality'] = {'domain': 'PER_BSD'}"
    run -1 oci run c1
    [[ "$output" == *'linux.personality.domain: unknown domain "PER_BSD" (LINUX or LINUX32)'* ]]
    no_leftovers c1
}

@test "seccomp: a rule returns its errno and the process is filtered" {
    edit_config "c['linux']['seccomp'] = {'defaultAction': 'SCMP_ACT_ALLOW', 'architectures': ['SCMP_ARCH_X86_64'], 'syscalls': [{'names': ['mkdir', 'mkdirat'], 'action': 'SCMP_ACT_ERRNO', 'errnoRet': 1}]}
c['process']['args'] = ['/bin/sh', '-c', 'grep Seccomp: /proc/self/status; mkdir /tmp/x 2>&1; echo rc=\$?']"
    run -0 oci run c1
    [[ "${lines[0]}" =~ ^Seccomp:[[:space:]]+2$ ]]
    [[ "$output" == *"Operation not permitted"* ]]
    [ "${lines[-1]}" = "rc=1" ]
    edit_config "c['linux']['seccomp']['defaultAction'] = 'SCMP_ACT_BOGUS'"
    run -1 oci run c2
    [ "$output" = 'kouti: config.json: linux.seccomp.defaultAction: unknown value "SCMP_ACT_BOGUS"' ]
    no_leftovers c2
}

@test "no host fd reaches the container; --preserve-fds passes exactly the ones asked" {
    exec 7<"$BATS_TEST_TMPDIR"
    run -0 oci run c1
    check_json "sorted(j['fds'].keys()) == ['0','1','2']"
    exec 7<&-
    run -0 bash -c "cd '$BUNDLE' && exec 3</etc/hostname 4</etc/hostname && '$KOUTI_BIN' oci --root '$OCI_ROOT' run --preserve-fds 1 c2"
    check_json "sorted(j['fds'].keys()) == ['0','1','2','3'] and j['fds']['3'] == '/etc/hostname'"
}

@test "a cwd through /proc/self/fd cannot reach the host (CVE-2024-21626)" {
    exec 7<"$BATS_TEST_TMPDIR"
    for fd in 3 4 5 6 7 8; do
        edit_config "c['process']['cwd'] = '/proc/self/fd/$fd'"
        run -126 oci run "c$fd"
        [[ "$output" != *'"cwd"'* ]]
    done
    exec 7<&-
}

@test "the container init is not dumpable, so its /proc/PID/exe (kouti) cannot be opened (CVE-2019-5736)" {
    command -v setpriv >/dev/null || skip "setpriv (util-linux) is missing"
    oci_bg create c1
    pid=$(oci state c1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["pid"])')
    # As root without capabilities, like a process in a container: another capability-less
    # process is readable, the container's init (still running kouti) is not.
    setpriv --bounding-set=-all --inh-caps=-all -- sleep 30 & other=$!
    sleep 0.2
    run -0 setpriv --bounding-set=-all --inh-caps=-all -- cat /proc/$other/exe
    kill $other
    run -1 setpriv --bounding-set=-all --inh-caps=-all -- cat /proc/$pid/exe
    [[ "$output" == *"ermission denied"* ]]
    oci delete --force c1
}
