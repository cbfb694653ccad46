#!/usr/bin/env bats
load helpers

@test "images -q, --no-trunc and --digests" {
    id=$(import_busybox)
    kouti tag busybox other:1
    run -0 kouti images -q
    [ "${lines[0]}" = "${id:7:12}" ] && [ "${lines[1]}" = "${id:7:12}" ]
    run -0 kouti images -q --no-trunc
    [ "${lines[0]}" = "$id" ]
    run -0 kouti images --digests
    [ "${lines[0]}" = "REPOSITORY   TAG       DIGEST    IMAGE ID       CREATED                  SIZE" ]
    [[ "${lines[1]}" =~ ^busybox\ +latest\ +\<none\>\ +${id:7:12}\  ]]
}

@test "images filters: dangling, reference, label, before, since" {
    kouti import -c 'LABEL tier=base' "$BUSYBOX_TAR" first:1 >/dev/null
    sleep 1.1
    kouti import "$BUSYBOX_TAR" second:1 >/dev/null
    sleep 1.1
    kouti import "$BUSYBOX_TAR" >/dev/null
    run -0 kouti images --format '{{.Repository}}:{{.Tag}}'
    [ "$output" = $'<none>:<none>\nsecond:1\nfirst:1' ]
    run -0 kouti images -f dangling=true --format '{{.Repository}}'
    [ "$output" = "<none>" ]
    run -0 kouti images -f dangling=false --format '{{.Repository}}'
    [ "$output" = $'second\nfirst' ]
    run -0 kouti images -f 'reference=fir*' --format '{{.Repository}}'
    [ "$output" = "first" ]
    run -0 kouti images -f 'reference=*:1' --format '{{.Repository}}'
    [ "$output" = $'second\nfirst' ]
    run -0 kouti images second --format '{{.Repository}}'
    [ "$output" = "second" ]
    run -0 kouti images -f label=tier --format '{{.Repository}}'
    [ "$output" = "first" ]
    run -0 kouti images -f label=tier=other --format '{{.Repository}}'
    [ -z "$output" ]
    run -0 kouti images -f before=second:1 --format '{{.Repository}}'
    [ "$output" = "first" ]
    run -0 kouti images -f since=second:1 --format '{{.Repository}}'
    [ "$output" = "<none>" ]
    run -1 kouti images -f color=blue
    [ "$output" = "Error: Invalid filter 'color'" ]
    run -125 kouti images -f nonsense # the flag's own check, as pflag reports it
    [ "${lines[0]}" = 'invalid argument "nonsense" for "-f, --filter" flag: bad format of filter (expected name=value)' ]
    run -1 kouti images -f before=nope
    [ "$output" = "Error: No such image: nope:latest" ]
}

@test "images --format: table, json and plain templates" {
    id=$(import_busybox)
    run -0 kouti images --format 'table {{.Repository}}\t{{.ID}}'
    [ "${lines[0]}" = "REPOSITORY   IMAGE ID" ]
    [ "${lines[1]}" = "busybox      ${id:7:12}" ]
    run -0 kouti images --format '{{json .}}'
    [[ "$output" =~ ^\{\"Containers\":\"N/A\",\"CreatedAt\":\"[0-9-]+\ [0-9:]+\ \+0000\ UTC\",\"CreatedSince\":\".*\ ago\",\"Digest\":\"\<none\>\",\"ID\":\"${id:7:12}\",\"Repository\":\"busybox\",\"SharedSize\":\"N/A\",\"Size\":\"[0-9.]+MB\",\"Tag\":\"latest\",\"UniqueSize\":\"N/A\",\"VirtualSize\":\"[0-9.]+MB\"\}$ ]]
    run -0 kouti images --format json
    [[ "$output" =~ ^\{\"Containers\" ]]
    run -0 kouti images --format '{{.Repository}}|{{.Tag}}|{{upper .Repository}}|{{len .Tag}}'
    [ "$output" = "busybox|latest|BUSYBOX|6" ]
    run -1 kouti images --format '{{.Repository'
    [ "$output" = "Error: template parsing error: template: :1: unclosed action" ]
}

@test "history shows Docker's columns, --no-trunc, -q and --format" {
    id=$(kouti import -m 'hello' "$BUSYBOX_TAR" bb)
    run -0 kouti history bb
    [ "${lines[0]}" = "IMAGE          CREATED                  CREATED BY   SIZE      COMMENT" ]
    [[ "${lines[1]}" =~ ^${id:7:12}\ {3}(Less\ than\ a\ second\ ago|[0-9]+\ seconds?\ ago)\ +[0-9.]+MB\ +hello$ ]]
    run -0 kouti history -q bb
    [ "$output" = "${id:7:12}" ]
    run -0 kouti history --no-trunc --format '{{.ID}} {{.Comment}}' bb
    [ "$output" = "$id hello" ]
    run -0 kouti history -H=false --format '{{.Size}}' bb
    [[ "$output" =~ ^[0-9]+$ ]]
    python3 "$MKTAR" whiteouts "$BATS_TEST_TMPDIR/wh.tar"
    kouti load -q -i "$BATS_TEST_TMPDIR/wh.tar"
    run -0 kouti history --format '{{.ID}}|{{.CreatedBy}}|{{.Size}}' wh
    [[ "${lines[0]}" =~ ^[0-9a-f]{12}\|layer\ two\|1B$ ]]
    [ "${lines[1]}" = "<missing>|layer one|3B" ]
    run -1 kouti history nope
    [ "$output" = "Error: No such image: nope:latest" ]
}

@test "inspect prints Docker's JSON and supports --format with json, index and range" {
    id=$(import_busybox)
    run -0 kouti inspect busybox
    [ "${lines[0]}" = "[" ] && [ "${lines[1]}" = "    {" ]
    [ "${lines[2]}" = "        \"Id\": \"$id\"," ]
    for key in Id RepoTags RepoDigests Parent Comment Created Author Config Architecture Os Size GraphDriver RootFS Metadata; do
        [[ "$output" == *"\"$key\":"* ]]
    done
    run -0 kouti inspect --format '{{.Id}} {{index .RepoTags 0}} {{.Os}}/{{.Architecture}} {{.GraphDriver.Name}}' busybox
    [ "$output" = "$id busybox:latest linux/amd64 overlay" ]
    run -0 kouti inspect --format '{{range .RootFS.Layers}}{{.}}{{end}}' busybox
    [ "$output" = "sha256:$(sha256sum < "$BUSYBOX_TAR" | cut -d' ' -f1)" ]
    run -0 kouti inspect --format '{{json .RootFS}}' busybox
    [[ "$output" =~ ^\{\"Type\":\"layers\",\"Layers\":\[\"sha256:[0-9a-f]{64}\"\]\}$ ]]
    run -0 kouti image inspect -f '{{.Size}}' "${id:7:6}"
    [[ "$output" =~ ^[0-9]+$ ]]
    run -1 kouti inspect busybox nope
    [ "${lines[0]}" = "[" ]
    [ "${lines[-1]}" = "Error: No such object: nope" ]
    run -1 kouti image inspect nope
    [ "$output" = $'[]\nError: No such image: nope' ]
    # Docker's inspect prints "[]", or an empty line for a template, when it found nothing.
    [ "$(kouti inspect -f '{{.Id}}' nope nope2 2>/dev/null | od -An -c | tr -d ' ')" = '\n' ]
    # A field Docker's JSON lacks is inspect's error (missingkey=error), a bad template exits 64.
    run -1 kouti image inspect -f '{{.Id}} {{.Config.Nope}}' busybox
    [ "$output" = 'Error: template parsing error: template: :1:17: executing "" at <.Config.Nope>: map has no entry for key "Nope"' ]
    run -64 kouti image inspect -f '{{.Id' busybox
    [ "$output" = 'Error: template parsing error: template: :1: unclosed action' ]
    [ "$(kouti image inspect -f '{{.Config.Healthcheck}}' busybox)" = "<nil>" ] # Docker's typed zero
    run -1 kouti images --format '{{.Tag}} {{.Tags}}'
    [ "$output" = 'Error: template parsing error: template: :1:11: executing "" at <.Tags>: can'"'"'t evaluate field Tags in type *formatter.imageContext' ]
    run -1 kouti container inspect busybox
    [ "$output" = $'[]\nError: No such container: busybox' ]
    run -1 kouti inspect --type volume nope
    [ "$output" = $'[]\nError: get nope: no such volume' ]
}
