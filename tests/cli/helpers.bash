# Shared set-up for the CLI scenario tests: every test gets its own --root and --runroot under
# its own temporary directory, and teardown fails the test if it left a mount behind.
bats_require_minimum_version 1.5.0

REPO_ROOT="$(cd "$BATS_TEST_DIRNAME/../.." && pwd)"
KOUTI_BIN="${KOUTI_BIN:-$REPO_ROOT/build/kouti}"
MKTAR="$REPO_ROOT/tests/tools/mktar.py"

kouti() { "$KOUTI_BIN" "$@"; }

common_setup() {
    export KOUTI_ROOT="$BATS_TEST_TMPDIR/root" KOUTI_RUNROOT="$BATS_TEST_TMPDIR/run"
    unset KOUTI_STORAGE_DRIVER KOUTI_CRASH_AT
    BUSYBOX_TAR="$BATS_FILE_TMPDIR/busybox.tar"
    if [ ! -f "$BUSYBOX_TAR" ]; then
        bash "$REPO_ROOT/scripts/mkimage-busybox.sh" "$BUSYBOX_TAR.tmp" && mv "$BUSYBOX_TAR.tmp" "$BUSYBOX_TAR"
    fi
}

common_teardown() {
    local left
    left=$(grep -c " $BATS_TEST_TMPDIR" /proc/self/mountinfo || true)
    if [ "$left" != "0" ]; then
        grep " $BATS_TEST_TMPDIR" /proc/self/mountinfo | awk '{print $5}' | sort -r | xargs -r -n1 umount -l
        echo "test left $left mounts behind" >&2
        return 1
    fi
}

setup() { common_setup; }
teardown() { common_teardown; }

# A snapshot of everything in the store: file names, sizes and the metadata rows.
store_snapshot() {
    (cd "$KOUTI_ROOT" && find . -path ./tmp -prune -o -path ./spare-dirs -prune -o -path './kouti.db*' -prune -o -printf '%p %s %y\n' | sort)
    sqlite3 "$KOUTI_ROOT/kouti.db" 'SELECT * FROM images; SELECT * FROM tags; SELECT * FROM layers;' 2>/dev/null
}

import_busybox() {
    kouti import "$BUSYBOX_TAR" "${1:-busybox:latest}"
}
