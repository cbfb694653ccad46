#!/usr/bin/env bats
load helpers

store_is_empty() {
    [ -z "$(ls "$KOUTI_ROOT/blobs/sha256")" ]
    [ "$(ls "$KOUTI_ROOT/overlay" | grep -v '^l$' || true)" = "" ]
    [ -z "$(ls "$KOUTI_ROOT/overlay/l" 2>/dev/null)" ]
}

@test "tag adds a name; rmi of one of several tags only untags" {
    id=$(import_busybox)
    run -0 kouti tag busybox me/app:v1
    run -0 kouti images --format '{{.Repository}}:{{.Tag}} {{.ID}}'
    [ "$output" = $'busybox:latest '"${id:7:12}"$'\nme/app:v1 '"${id:7:12}" ]
    run -0 kouti rmi me/app:v1
    [ "$output" = "Untagged: me/app:v1" ]
    run -0 kouti images -q
    [ "$output" = "${id:7:12}" ]
}

@test "rmi of the last tag deletes the image and its layer" {
    id=$(import_busybox)
    layer=$(kouti inspect --format '{{index .RootFS.Layers 0}}' busybox)
    run -0 kouti rmi busybox
    [ "$output" = $'Untagged: busybox:latest\nDeleted: '"$id"$'\nDeleted: '"$layer" ]
    store_is_empty
    run -0 kouti system check
    [ "$output" = "no problems found" ]
}

@test "rmi by ID refuses an image with several tags unless forced" {
    id=$(import_busybox)
    kouti tag busybox b2
    run -1 kouti rmi "${id:7:12}"
    [ "$output" = "Error: conflict: unable to delete ${id:7:12} (must be forced) - image is referenced in multiple repositories" ]
    run -0 kouti rmi -f "${id:7:12}"
    [ "${lines[0]}" = "Untagged: busybox:latest" ]
    [ "${lines[1]}" = "Untagged: b2:latest" ]
    [ "${lines[2]}" = "Deleted: $id" ]
    store_is_empty
}

@test "rmi keeps a layer another image still uses" {
    a=$(import_busybox a)
    b=$(import_busybox b)
    run -0 kouti rmi a
    [ "$output" = $'Untagged: a:latest\nDeleted: '"$a" ]
    run -0 kouti images --format '{{.Repository}}'
    [ "$output" = "b" ]
    run -0 kouti save b -o "$BATS_TEST_TMPDIR/b.tar"
}

@test "rmi reports each missing image and exits 1, removing the others" {
    import_busybox >/dev/null
    run -1 kouti rmi nope busybox sha256:0000
    [ "${lines[0]}" = "Error: No such image: nope:latest" ]
    [ "${lines[1]}" = "Untagged: busybox:latest" ]
    [ "${lines[-1]}" = "Error: No such image: sha256:0000" ]
    run -0 kouti images -q
    [ -z "$output" ]
}

@test "a tag moved to a new image leaves the old one dangling; image prune removes it" {
    old=$(import_busybox bb)
    new=$(kouti import -c 'CMD ["sh"]' "$BUSYBOX_TAR" bb)
    run -0 kouti images --format '{{.Repository}}:{{.Tag}} {{.ID}}'
    [[ "$output" == *"<none>:<none> ${old:7:12}"* ]]
    run -0 bash -c "echo n | '$KOUTI_BIN' image prune"
    [ "$output" = $'WARNING! This will remove all dangling images.\nAre you sure you want to continue? [y/N] ' ]
    run -0 kouti image prune -f
    [ "$output" = $'Deleted Images:\ndeleted: '"$old"$'\n\nTotal reclaimed space: 0B' ]
    run -0 kouti image prune -f
    [ "$output" = "Total reclaimed space: 0B" ]
    run -1 kouti image prune -f --filter colour=red
    [ "$output" = "Error: Invalid filter 'colour'" ]
    run -0 kouti image prune -f --filter dangling=false --filter until=1h # all of them, but none is that old
    [ "$output" = "Total reclaimed space: 0B" ]
    run -0 kouti image prune -f --filter dangling=false --filter label=nope
    [ "$output" = "Total reclaimed space: 0B" ]
    run -0 kouti image prune -a -f
    [ "${lines[0]}" = "Deleted Images:" ]
    [ "${lines[1]}" = "untagged: bb:latest" ]
    [ "${lines[2]}" = "deleted: $new" ]
    [[ "${lines[-1]}" =~ ^Total\ reclaimed\ space:\ [0-9.]+MB$ ]]
    store_is_empty
}

@test "rmi is all-or-nothing when kouti is killed at any point" {
    for point in remove-before-commit remove-committed remove-layer-removed; do
        import_busybox >/dev/null
        KOUTI_CRASH_AT=$point run -137 kouti rmi busybox
        run -0 kouti system check
        [ "$output" = "no problems found" ]
        run -0 kouti images --format '{{.Repository}}'
        if [ "$point" = remove-before-commit ]; then
            [ "$output" = busybox ]
            kouti rmi busybox >/dev/null
        else
            [ -z "$output" ]
        fi
        store_is_empty
    done
}
