#!/usr/bin/env bats
load helpers

@test "--root and --runroot flags, and KOUTI_ROOT, choose the store" {
    unset KOUTI_ROOT KOUTI_RUNROOT
    run -0 kouti --root "$BATS_TEST_TMPDIR/r1" --runroot "$BATS_TEST_TMPDIR/rr1" import "$BUSYBOX_TAR" one
    [ -f "$BATS_TEST_TMPDIR/r1/kouti.db" ] && [ -d "$BATS_TEST_TMPDIR/rr1" ]
    run -0 env KOUTI_ROOT="$BATS_TEST_TMPDIR/r1" KOUTI_RUNROOT="$BATS_TEST_TMPDIR/rr1" "$KOUTI_BIN" images --format '{{.Repository}}'
    [ "$output" = "one" ]
    run -0 env KOUTI_ROOT="$BATS_TEST_TMPDIR/r2" "$KOUTI_BIN" --root "$BATS_TEST_TMPDIR/r1" --runroot "$BATS_TEST_TMPDIR/rr1" images --format '{{.Repository}}'
    [ "$output" = "one" ]
}

@test "the storage driver is overlay where it works, vfs on request, and info says why" {
    run -0 kouti info
    [[ "$output" == *" Storage Driver: overlay"* ]]
    [[ "$output" == *"  Reason: overlay: the kernel supports overlayfs on extfs"* || "$output" == *"  Reason: overlay: the kernel supports overlayfs on"* ]]
    export KOUTI_ROOT="$BATS_TEST_TMPDIR/vfs"
    run -0 kouti --storage-driver vfs import "$BUSYBOX_TAR" bb
    run -0 kouti inspect --format '{{.GraphDriver.Name}}' bb
    [ "$output" = "vfs" ]
    run -0 kouti info --format '{{.Driver}}'
    [ "$output" = "vfs" ]
    run -0 kouti info
    [[ "$output" == *"  Reason: vfs: chosen with --storage-driver"* ]]
    [[ "$output" == *" Images: 1"* ]]
    run -1 kouti --storage-driver overlay images
    [ "$output" = "Error: open store $KOUTI_ROOT: the store at $KOUTI_ROOT was created with the vfs storage driver; it cannot be opened with overlay" ]
    run -1 kouti --storage-driver zfs images
    [[ "$output" == *'unknown storage driver "zfs"'* ]]
}

@test "global flags: --version, -D, --log-level, unknown flags and commands" {
    run -0 kouti --version
    [[ "$output" =~ ^kouti\ version\ [0-9]+\.[0-9]+\.[0-9]+,\ build\ [0-9a-f]+|unknown$ ]]
    version=$(kouti version --format '{{.Client.Version}}')
    [[ "$output" == "kouti version $version, build "* ]]
    [ "$(kouti version --format '{{.Server.Os}}/{{.Server.Arch}}')" = "linux/$(kouti info --format '{{.Architecture}}' | sed 's/x86_64/amd64/; s/aarch64/arm64/')" ]
    run -0 kouti -D images
    run -125 kouti --log-level chatty images
    [ "$output" = "Unable to parse logging level: chatty" ]
    run -125 kouti --bogus images
    [ "$output" = $'unknown flag: --bogus\n\nUsage:  kouti [OPTIONS] COMMAND [ARG...]\n\nRun \'kouti --help\' for more information' ]
    run -125 kouti images --bogus
    [ "$output" = $'unknown flag: --bogus\n\nUsage:  kouti images [OPTIONS] [REPOSITORY[:TAG]]\n\nRun \'kouti images --help\' for more information' ]
    run -125 kouti images -z
    [ "${lines[0]}" = "unknown shorthand flag: 'z' in -z" ]
    run -1 kouti frobnicate
    [ "$output" = $'kouti: unknown command: kouti frobnicate\n\nRun \'kouti --help\' for more information' ]
    run -1 kouti image frobnicate
    [ "${lines[0]}" = "kouti: unknown command: kouti image frobnicate" ]
    # The docker CLI's arity messages: exact counts and ranges point to "Run", "at least" and "at most" to "See".
    run -1 kouti tag onlyone
    [ "$output" = $'kouti: \'kouti tag\' requires 2 arguments\n\nUsage:  kouti tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]\n\nRun \'kouti tag --help\' for more information' ]
    run -1 kouti rm
    [ "${lines[0]}" = "kouti: 'kouti rm' requires at least 1 argument" ]
    [ "${lines[2]}" = "See 'kouti rm --help' for more information" ]
    run -1 kouti ps extra
    [ "${lines[0]}" = "kouti: 'kouti ps' accepts no arguments" ]
    run -1 kouti port
    [ "${lines[0]}" = "kouti: 'kouti port' requires at least 1 and at most 2 arguments" ]
    [ "${lines[2]}" = "Run 'kouti port --help' for more information" ]
    run -0 kouti image ls --help
    [[ "$output" == *"Usage:  kouti image ls [OPTIONS] [REPOSITORY[:TAG]]"* ]]
}

@test "--help as the docker CLI 28 prints it: aliases, flags by name, wrapped at 79 columns, internal commands hidden" {
    run -0 kouti rm --help
    [ "$output" = "Usage:  kouti rm [OPTIONS] CONTAINER [CONTAINER...]

Remove one or more containers

Aliases:
  kouti container rm, kouti container remove, kouti rm

Options:
  -f, --force     Force the removal of a running container (uses SIGKILL)
  -l, --link      Remove the specified link
  -v, --volumes   Remove anonymous volumes associated with the container" ]
    # Whichever name runs it, help shows the command's own path and every alias.
    run -0 kouti container list --help
    [ "${lines[0]}" = "Usage:  kouti container ls [OPTIONS]" ]
    [ "${lines[3]}" = "  kouti container ls, kouti container list, kouti container ps, kouti ps" ]
    run -0 kouti images --help
    [ "${lines[3]}" = "  kouti image ls, kouti image list, kouti images" ]
    run -0 kouti network create --help
    [[ "$output" != *Aliases:* ]]
    # pflag's columns: two past the longest flag, help wrapped below 80 columns.
    run -0 kouti run --help
    [[ "$output" == *$'      --add-host list                    Add a custom host-to-IP mapping\n                                         (host:ip)\n'* ]]
    # (only a single word too long for the column may pass the edge, as in pflag)
    while IFS= read -r line; do
        words="${line#"${line%%[! ]*}"}"
        [ "${#line}" -le 79 ] || [[ "$words" != *" "* ]] || { echo "too wide: $line"; false; }
    done <<< "$output"
    # Groups list their commands once, without the aliases and without what only kouti runs.
    run -0 kouti container --help
    [ "${lines[0]}" = "Usage:  kouti container COMMAND" ]
    [ "${lines[1]}" = "Manage containers" ]
    [[ "$output" == *$'\n  ls          List containers\n'* ]]
    [[ "$output" != *cleanup* && "$output" != *healthcheck* && "$output" != *" list "* && "$output" != *$'\n  ps '* ]]
    run -0 kouti --help
    [ "${lines[0]}" = "Usage:  kouti [OPTIONS] COMMAND" ]
    [[ "$output" == *$'Common Commands:\n  run         Create and run a new container from an image\n  exec '* ]]
    [[ "$output" == *$'Management Commands:\n  container   Manage containers\n'* ]]
    [[ "$output" == *$'Global Options:\n  -D, --debug                   Enable debug mode\n'* ]]
    [ "$(grep -c '^  run ' <<< "$output")" = 1 ] # a common command is not listed again
    [ "${lines[-1]}" = "Run 'kouti COMMAND --help' for more information on a command." ]
    # A group's unknown flag is the flag parser's error, exit 125; its unknown command exit 1.
    run -125 kouti container --bogus
    [ "$output" = $'unknown flag: --bogus\n\nUsage:  kouti container\n\nRun \'kouti container --help\' for more information' ]
    run -125 kouti container -x
    [ "${lines[0]}" = "unknown shorthand flag: 'x' in -x" ]
    # Docker's commands kouti lacks say what to use instead (and never reach for a registry).
    run -1 kouti pull busybox
    [ "$output" = "Error: kouti pull: kouti has no registry client yet: images come from 'kouti import' and 'kouti load'" ]
    run -1 kouti image push busybox
    [ "$output" = "Error: kouti image push: kouti has no registry client yet: images come from 'kouti import' and 'kouti load'" ]
    run -1 kouti build .
    [ "$output" = "Error: kouti build: kouti builds no Dockerfiles yet: images come from 'kouti commit', 'kouti import' and 'kouti load'" ]
    run -1 kouti network pull
    [ "${lines[0]}" = "kouti: unknown command: kouti network pull" ]
}

@test "the docker CLI's other names: container/image/network/volume remove and list; network rm -f of a missing network" {
    kouti volume create v1 >/dev/null
    run -0 kouti volume list -q
    [ "$output" = v1 ]
    run -0 kouti volume remove v1
    [ "$output" = v1 ]
    kouti network create n1 >/dev/null
    run -0 kouti network list --format '{{.Name}}' --filter name=n1
    [ "$output" = n1 ]
    run -0 kouti network remove n1
    [ "$output" = n1 ]
    # -f: a network that is not there is skipped without a word; others are still removed.
    kouti network create n2 >/dev/null
    run -0 --separate-stderr kouti network rm -f nosuch n2
    [ "$output" = n2 ] && [ "$stderr" = "" ]
    run -1 kouti network rm nosuch
    [ "$output" = "Error: network nosuch not found" ]
    # network prune takes Docker's until= and label= filters.
    kouti network create --label keep=no n3 >/dev/null
    kouti network create n4 >/dev/null
    run -0 kouti network prune -f --filter until=2000-01-01T00:00:00Z
    [ "$output" = "" ]
    run -0 kouti network prune -f --filter label=keep=no
    [ "$output" = $'Deleted Networks:\nn3' ]
    run -0 kouti network prune -f --filter label!=keep
    [ "$output" = $'Deleted Networks:\nn4' ]
    run -1 kouti network prune -f --filter dangling=true
    [ "$output" = "Error: Invalid filter 'dangling'" ]
    kouti import "$BUSYBOX_TAR" bb >/dev/null
    id=$(kouti create bb true)
    run -0 kouti container remove "$id"
    [ "$output" = "$id" ]
    run -0 kouti image remove bb
    [[ "${lines[0]}" = "Untagged: bb:latest" ]]
}

@test "the docker CLI's own checks: version's template, tag's source, network create's IPAM flags, labels, volume create --name" {
    run -64 kouti version -f '{{'
    [ "$output" = "Error: template parsing error: template: version:1: unclosed action" ]
    kouti import "$BUSYBOX_TAR" bb >/dev/null
    run -1 kouti tag bb:1:2 x
    [ "$output" = 'Error: Error parsing reference: "bb:1:2" is not a valid repository/tag: invalid reference format' ]
    kouti tag "$(kouti images -q --no-trunc bb)" bb:byid # a full image ID is a source too
    run -1 kouti network create --subnet 10.70.0.0/16 --subnet 10.70.1.0/24 n
    [ "$output" = "Error: multiple overlapping subnet configuration is not supported" ]
    run -1 kouti network create --subnet 10.70.0.0/16 --subnet 10.71.0.0/16 n
    [ "$output" = "Error: kouti networks have one IPv4 subnet: 2 given" ]
    run -1 kouti network create --subnet 10.70.0.0/16 --gateway 10.70.0.1 --gateway 10.70.0.2 n
    [ "$output" = "Error: every ip-range or gateway must have a corresponding subnet" ]
    run -1 kouti network create --subnet 10.70.0.0/16 --ip-range 10.9.0.0/24 n
    [ "$output" = "Error: no matching subnet for range 10.9.0.0/24" ]
    run -1 kouti network create --subnet 10.70.0.0/16 --gateway 10.9.0.1 n
    [ "$output" = "Error: no matching subnet for gateway 10.9.0.1" ]
    [ -z "$(kouti network ls --format '{{.Name}}' | grep -x n)" ]
    # opts.ValidateLabel on every --label.
    run -125 kouti volume create --label "" v1
    [ "${lines[0]}" = "invalid argument \"\" for \"--label\" flag: invalid label '': empty name" ]
    run -125 kouti network create --label "a b=c" n
    [ "${lines[0]}" = "invalid argument \"a b=c\" for \"--label\" flag: label 'a b' contains whitespaces" ]
    run -125 kouti create -l "=x" bb true
    [ "${lines[0]}" = "invalid argument \"=x\" for \"-l, --label\" flag: invalid label '=x': empty name" ]
    # volume create's hidden --name.
    run -0 kouti volume create --name named
    [ "$output" = named ]
    run -1 kouti volume create --name a b
    [ "$output" = "Error: conflicting options: cannot specify a volume-name through both --name and as a positional arg" ]
    [ "$(kouti volume ls -q)" = named ]
}

@test "image subcommands are the same verbs" {
    id=$(kouti image import "$BUSYBOX_TAR" bb)
    kouti image tag bb bb:2
    run -0 kouti image ls --format '{{.Tag}}'
    [ "$output" = $'latest\n2' ]
    run -0 kouti image history -q bb
    [ "$output" = "${id:7:12}" ]
    kouti image save -o "$BATS_TEST_TMPDIR/s.tar" bb
    run -0 kouti image rm bb bb:2
    run -0 kouti image load -q -i "$BATS_TEST_TMPDIR/s.tar"
    run -0 kouti image inspect -f '{{.Id}}' bb
    [ "$output" = "$id" ]
}

@test "system check reports what the metadata does not account for, and --repair removes it" {
    import_busybox >/dev/null
    mkdir -p "$KOUTI_ROOT/overlay/junk-layer"
    echo junk > "$KOUTI_ROOT/blobs/sha256/$(printf '0%.0s' {1..64})"
    ln -s ../nowhere/diff "$KOUTI_ROOT/overlay/l/AAAAAAAAAAAAAAAAAAAAAAAAAA"
    run -1 kouti system check
    [ "${#lines[@]}" -eq 3 ]
    [[ "$output" == *"unreferenced: $KOUTI_ROOT/overlay/junk-layer"* ]]
    [[ "$output" == *"unreferenced: $KOUTI_ROOT/overlay/l/AAAAAAAAAAAAAAAAAAAAAAAAAA"* ]]
    [[ "$output" == *"unreferenced: $KOUTI_ROOT/blobs/sha256/0000"* ]]
    run -0 kouti system check --repair
    [ "${#lines[@]}" -eq 3 ]
    run -0 kouti system check
    [ "$output" = "no problems found" ]
    run -0 kouti images --format '{{.Repository}}'
    [ "$output" = "busybox" ]
}

@test "system check finds an image whose layer vanished; --repair removes the image" {
    id=$(import_busybox)
    rm -rf "$(kouti inspect --format '{{.GraphDriver.Data.UpperDir}}' busybox)"
    run -1 kouti system check
    [[ "$output" == *"missing: layer sha256:"* ]]
    [[ "$output" == *"broken image: $id"* ]]
    run -0 kouti system check --repair
    run -0 kouti images -q
    [ -z "$output" ]
}

@test "a 100-layer image loads and its overlay lower dirs fit one mount option" {
    python3 - "$BATS_TEST_TMPDIR/deep.tar" <<'PY'
import hashlib, io, json, sys, tarfile
def layer(i):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w") as t:
        data = ("layer %d\n" % i).encode()
        info = tarfile.TarInfo("file%03d" % i); info.size = len(data)
        t.addfile(info, io.BytesIO(data))
    return b.getvalue()
layers = [layer(i) for i in range(100)]
diffs = ["sha256:" + hashlib.sha256(l).hexdigest() for l in layers]
cfg = json.dumps({"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": diffs},
                  "history": [{"created_by": "step %d" % i} for i in range(100)]}).encode()
with tarfile.open(sys.argv[1], "w") as t:
    def add(name, data):
        info = tarfile.TarInfo(name); info.size = len(data); t.addfile(info, io.BytesIO(data))
    add("config.json", cfg)
    for d, l in zip(diffs, layers): add(d[7:] + ".tar", l)
    add("manifest.json", json.dumps([{"Config": "config.json", "RepoTags": ["deep:1"],
                                      "Layers": [d[7:] + ".tar" for d in diffs]}]).encode())
PY
    run -0 kouti load -i "$BATS_TEST_TMPDIR/deep.tar"
    [ "$output" = "Loaded image: deep:1" ]
    run -0 kouti inspect --format '{{len .RootFS.Layers}}' deep:1
    [ "$output" = 100 ]
    # Mount all 100 lower layers through their short links, as the runtime will.
    lower=$(sqlite3 "$KOUTI_ROOT/kouti.db" "SELECT 'l/' || link_id FROM layers" | paste -sd:)
    [ "${#lower}" -lt 3000 ]
    mkdir -p "$BATS_TEST_TMPDIR"/{merged,upper,work}
    (cd "$KOUTI_ROOT/overlay" && mount -t overlay overlay -o "lowerdir=$lower,upperdir=$BATS_TEST_TMPDIR/upper,workdir=$BATS_TEST_TMPDIR/work" "$BATS_TEST_TMPDIR/merged")
    count=$(ls "$BATS_TEST_TMPDIR/merged" | wc -l)
    umount "$BATS_TEST_TMPDIR/merged"
    [ "$count" -eq 100 ]
    run -0 kouti history -q deep:1
    [ "${#lines[@]}" -eq 100 ]
}

@test "the launcher loads only libc, libm and libmnl: libarchive and the rest come with the CLI library" {
    # Each shared library the kouti binary needs costs every `run` and `ps` its loading: linking
    # libarchive into it by accident (one cp function moved) made both 6 ms slower.
    needed=$(readelf -d "$KOUTI_BIN" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort | tr '\n' ' ')
    [ "$needed" = "ld-linux-x86-64.so.2 libc.so.6 libm.so.6 libmnl.so.0 " ]
}
