# Bundles for the runtime tests: a busybox rootfs with kouti-check, `kouti oci spec`'s config,
# a private runtime state root and a private cgroup parent, all removed by teardown.
load helpers

CHECK_BIN="$REPO_ROOT/build/kouti-check"

oci() { (cd "$BUNDLE" && "$KOUTI_BIN" oci --root "$OCI_ROOT" "$@"); }

oci_setup() {
    common_setup
    OCI_ROOT="$BATS_TEST_TMPDIR/oci"
    CGROUP_PARENT="/kouti-test-$$-$BATS_TEST_NUMBER-$RANDOM"
    BUNDLE="$BATS_TEST_TMPDIR/bundle"
    mkdir -p "$BUNDLE/rootfs"
    tar -C "$BUNDLE/rootfs" -xf "$BUSYBOX_TAR"
    cp "$CHECK_BIN" "$BUNDLE/rootfs/bin/kouti-check"
    (cd "$BUNDLE" && "$KOUTI_BIN" oci spec)
    edit_config "c['process']['terminal'] = False
c['process']['args'] = ['/bin/kouti-check']
c['linux']['cgroupsPath'] = '$CGROUP_PARENT/c'"
}

oci_teardown() {
    for id in $(oci list -q 2>/dev/null); do oci delete --force "$id" >/dev/null 2>&1 || true; done
    local dir
    for dir in /sys/fs/cgroup/*"$CGROUP_PARENT" /sys/fs/cgroup"$CGROUP_PARENT"; do
        [ -d "$dir" ] && find "$dir" -depth -type d -exec rmdir {} \; 2>/dev/null
    done
    common_teardown
}

# For create and run -d: the container keeps the stdio it was given, so it must not be a pipe
# bats waits on. Fails, showing the log, if kouti fails.
oci_bg() {
    if ! oci "$@" </dev/null >"$BATS_TEST_TMPDIR/bg.log" 2>&1; then
        cat "$BATS_TEST_TMPDIR/bg.log"
        return 1
    fi
}

setup() { oci_setup; }
teardown() { oci_teardown; }

# edit_config PYTHON: runs PYTHON with `c` bound to config.json, then writes it back.
edit_config() {
    python3 - "$BUNDLE/config.json" "$1" <<'PY'
import json, sys
path, code = sys.argv[1], sys.argv[2]
c = json.load(open(path))
exec(code)
json.dump(c, open(path, "w"), indent=2)
PY
}

# check_json PYTHON: evaluates PYTHON with `j` bound to the JSON in $output; fails if false.
check_json() {
    python3 -c '
import json, sys
j = json.loads(sys.argv[1])
ok = eval(sys.argv[2])
if not ok:
    print("check failed: " + sys.argv[2], file=sys.stderr)
    print(json.dumps(j, indent=1)[:3000], file=sys.stderr)
    sys.exit(1)' "$output" "$1"
}

# Capability mask of /proc/PID/status for a list of capability names.
cap_mask() {
    python3 -c '
import sys
names = {"CAP_CHOWN":0,"CAP_DAC_OVERRIDE":1,"CAP_FOWNER":3,"CAP_KILL":5,"CAP_SETGID":6,"CAP_SETUID":7,"CAP_NET_BIND_SERVICE":10,"CAP_NET_ADMIN":12,"CAP_NET_RAW":13,"CAP_SYS_ADMIN":21,"CAP_MKNOD":27,"CAP_AUDIT_WRITE":29}
m = 0
for n in sys.argv[1:]: m |= 1 << names[n]
print("%016x" % m)' "$@"
}

no_leftovers() { # $1: container id
    [ ! -e "$OCI_ROOT/$1" ]
    for dir in /sys/fs/cgroup/*"$CGROUP_PARENT/c"; do [ ! -d "$dir" ]; done
    ! grep -q " $BUNDLE/rootfs" /proc/self/mountinfo
}
