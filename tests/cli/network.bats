#!/usr/bin/env bats
# Container networking: the default bridge, published ports, user-defined networks, leases.
load net_helpers

web() { # NAME [run flags...]: a detached busybox httpd serving "hello from NAME"
    local name=$1
    shift
    kouti_bg run -d --name "$name" "$@" busybox sh -c "mkdir -p /www && echo hello from $name > /www/index.html && exec httpd -f -p 80 -h /www" >/dev/null
}

@test "a container on the default bridge: eth0 with a lease, default route, hostname = short id" {
    run kouti run --name probe busybox sh -c 'hostname; ip -o -4 addr show eth0; ip r; cat /etc/hosts /etc/resolv.conf'
    [ "$status" -eq 0 ]
    id=$(kouti inspect -f '{{.Id}}' probe)
    [ "${lines[0]}" = "${id:0:12}" ]
    [[ "${lines[1]}" =~ eth0\ +inet\ 172\.17\.0\.2/16\ brd\ 172\.17\.255\.255 ]]
    [ "${lines[2]}" = "default via 172.17.0.1 dev eth0 " ]
    [[ "$output" =~ $'127.0.0.1\tlocalhost' ]]
    [[ "$output" =~ $'172.17.0.2\t'"${id:0:12}" ]]
    [[ "$output" =~ nameserver ]]
    [[ ! "$output" =~ nameserver\ 127\. ]]
    # The host side: the bridge with the gateway address; the lease is released on exit.
    [[ "$(in_ns ip -o -4 addr show kouti0)" =~ inet\ 172\.17\.0\.1/16 ]]
    [ "$(sqlite3 "$KOUTI_ROOT/kouti.db" 'SELECT count(*) FROM endpoints WHERE address IS NOT NULL')" = 0 ]
    [ "$(kouti inspect -f '{{.HostsPath}}' probe)" = "$KOUTI_ROOT/containers/$id/hosts" ]
}

@test "while it runs the host has its veth on kouti0 and inspect shows Docker's NetworkSettings; after rm nothing; --mac-address" {
    kouti_bg run -d --name svc busybox sleep 1000
    wait_for svc '{{.State.Running}}' true
    [ "$(in_ns ip -o link show master kouti0 | wc -l)" = 1 ]
    [[ "$(in_ns ip -o link show master kouti0)" =~ veth[0-9a-f]{7}@ ]]
    run kouti inspect -f '{{.NetworkSettings.IPAddress}} {{.NetworkSettings.Gateway}} {{.NetworkSettings.MacAddress}} {{.NetworkSettings.Bridge}} {{.NetworkSettings.Networks.bridge.IPPrefixLen}}' svc
    [ "$output" = "172.17.0.2 172.17.0.1 02:42:ac:11:00:02 kouti0 16" ]
    [ "$(kouti inspect -f '{{.NetworkSettings.Networks.bridge.NetworkID}}' svc)" = "$(kouti network inspect -f '{{.Id}}' bridge)" ]
    in_ns busybox ping -c1 -W2 172.17.0.2 >/dev/null
    [ "$(kouti exec svc cat /etc/hostname)" = "$(kouti inspect -f '{{.Config.Hostname}}' svc)" ]
    kouti rm -f svc
    # --mac-address: eth0 has it, inspect and network inspect show it (in Go's lower case).
    kouti_bg run -d --name mac --mac-address 92:D0:C6:0A:29:33 busybox sleep 1000
    [ "$(kouti exec mac cat /sys/class/net/eth0/address)" = "92:d0:c6:0a:29:33" ]
    [ "$(kouti inspect -f '{{.Config.MacAddress}} {{.NetworkSettings.MacAddress}} {{.NetworkSettings.Networks.bridge.MacAddress}}' mac)" = "92:D0:C6:0A:29:33 92:d0:c6:0a:29:33 92:d0:c6:0a:29:33" ]
    [ "$(kouti network inspect -f '{{range .Containers}}{{.MacAddress}}{{end}}' bridge)" = "92:d0:c6:0a:29:33" ]
    run kouti run --rm --mac-address 92:d0:c6 busybox true
    [ "$status" -eq 125 ]
    [ "$output" = "Error: 92:d0:c6 is not a valid mac address" ]
    run kouti run --rm --network container:mac --mac-address 92:d0:c6:0a:29:34 busybox true
    [ "$status" -eq 125 ]
    [ "$output" = "Error: conflicting options: mac-address and the network mode" ]
    kouti rm -f mac
    assert_no_network_leftovers
}

@test "published ports answer on 127.0.0.1; ps, port and inspect show them; a taken port is refused" {
    web w1 -p 127.0.0.1:8080:80
    web w2 -p 80 --expose 81
    [ "$(fetch http://127.0.0.1:8080/)" = "hello from w1" ]
    run kouti port w2 80
    [ "$status" -eq 0 ]
    [[ "$output" =~ ^0\.0\.0\.0:(49[1-9][0-9][0-9]|[5-6][0-9]{4})$ ]]
    [ "$(fetch "http://127.0.0.1:${output#0.0.0.0:}/")" = "hello from w2" ]
    [ "$(kouti port w1)" = "80/tcp -> 127.0.0.1:8080" ]
    run kouti port w2 81
    [ "$status" -eq 1 ]
    [ "$output" = "Error: No public port '81' published for w2" ]
    run kouti ps --format '{{.Names}} {{.Ports}}'
    [[ "$output" =~ "w1 127.0.0.1:8080->80/tcp" ]]
    [ "$(kouti inspect -f '{{json .NetworkSettings.Ports}}' w1)" = '{"80/tcp":[{"HostIp":"127.0.0.1","HostPort":"8080"}]}' ]
    # The same host port again: Docker's message, exit 125, and no lease or rule kept.
    run kouti run -d --name w3 -p 127.0.0.1:8080:80 busybox true
    [ "$status" -eq 125 ]
    [[ "$output" =~ "Bind for 127.0.0.1:8080 failed: port is already allocated" ]]
    [ "$(sqlite3 "$KOUTI_ROOT/kouti.db" 'SELECT count(*) FROM endpoints WHERE address IS NOT NULL')" = 2 ]
    # A port a host process listens on is refused too.
    nsenter --net=/proc/$NETNS_HOLDER/ns/net busybox nc -l -p 9090 </dev/null >/dev/null 2>&1 3>&- &
    listener=$!
    sleep 0.2
    run kouti run --rm -p 9090:80 busybox true
    kill $listener 2>/dev/null || true
    [ "$status" -eq 125 ]
    [[ "$output" =~ "address already in use" ]]
    # Stopped: the port and the rule are gone (the map is empty again after rm).
    kouti stop -t 1 w1 >/dev/null
    [ -z "$(kouti port w1)" ]
    ! in_ns timeout 2 busybox wget -q -O - http://127.0.0.1:8080/ 2>/dev/null
    kouti start w1 >/dev/null
    [ "$(fetch http://127.0.0.1:8080/)" = "hello from w1" ]
}

@test "-P publishes every exposed port; udp works too" {
    kouti_bg run -d --name u1 -P --expose 80 -p 127.0.0.1:5353:53/udp busybox sh -c 'while true; do echo pong | nc -u -l -p 53 -w 1; done'
    wait_for u1 '{{.State.Running}}' true
    run kouti port u1
    [[ "$output" =~ 80/tcp\ -\>\ 0\.0\.0\.0:[0-9]+ ]]
    [[ "$output" =~ "53/udp -> 127.0.0.1:5353" ]]
}

@test "user-defined networks: names and aliases resolve, --ip, other networks cannot be reached" {
    kouti network create --subnet 10.77.0.0/24 app >/dev/null
    kouti network create --internal back >/dev/null
    web db --network app --network-alias database --ip 10.77.0.50
    web lonely
    wait_for db '{{.State.Running}}' true
    wait_for lonely '{{.State.Running}}' true
    [ "$(kouti inspect -f '{{.NetworkSettings.Networks.app.IPAddress}}' db)" = 10.77.0.50 ]
    run kouti run --rm --network app busybox sh -c 'wget -q -O - http://db/; wget -q -O - http://database/; grep -c db /etc/hosts'
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = "hello from db" ]
    [ "${lines[1]}" = "hello from db" ]
    # The default bridge and app are separate: no route between them for containers.
    lonely_ip=$(kouti inspect -f '{{.NetworkSettings.IPAddress}}' lonely)
    run kouti run --rm --network app busybox ping -c1 -W1 "$lonely_ip"
    [ "$status" -ne 0 ]
    # A member that starts later is added to the others' hosts file; one that stops leaves it.
    web late --network app
    wait_for late '{{.State.Running}}' true
    [[ "$(kouti exec db cat /etc/hosts)" =~ late ]]
    kouti stop -t 1 late >/dev/null
    [[ ! "$(kouti exec db cat /etc/hosts)" =~ late ]]
    # The address asked for is taken now.
    run kouti run --rm --network app --ip 10.77.0.50 busybox true
    [ "$status" -eq 125 ]
    [[ "$output" =~ "Address already in use" ]]
    run kouti run --rm --ip 172.17.0.99 busybox true
    [ "$status" -eq 125 ]
    [[ "$output" =~ "user specified IP address is supported on user defined networks only" ]]
    # Internal: no default route out.
    run kouti run --rm --network back busybox ip r
    [[ ! "$output" =~ default ]]
}

@test "network create/ls/inspect/rm/prune/connect/disconnect as Docker prints them" {
    run kouti network ls
    [ "${lines[0]}" = "NETWORK ID     NAME      DRIVER    SCOPE" ]
    [[ "${lines[1]}" =~ ^[0-9a-f]{12}\ +bridge\ +bridge\ +local$ ]]
    [[ "${lines[2]}" =~ ^[0-9a-f]{12}\ +host\ +host\ +local$ ]]
    [[ "${lines[3]}" =~ ^[0-9a-f]{12}\ +none\ +null\ +local$ ]]
    run -1 kouti network create --gateway 10.88.0.254 nosubnet
    [ "$output" = "Error: every ip-range or gateway must have a corresponding subnet" ]
    id=$(kouti network create --subnet 10.88.0.0/16 --gateway 10.88.0.254 --label team=a front)
    [[ "$id" =~ ^[0-9a-f]{64}$ ]]
    [ "$(kouti network inspect -f '{{range .IPAM.Config}}{{.Subnet}} {{.Gateway}}{{end}} {{.Labels.team}} {{.Driver}}' front)" = "10.88.0.0/16 10.88.0.254 a bridge" ]
    run kouti network create --subnet 10.88.5.0/24 overlap
    [ "$status" -eq 1 ]
    [ "$output" = "Error: Pool overlaps with other one on this address space" ]
    run kouti network create front
    [ "$output" = "Error: network with name front already exists" ]
    [ "$(kouti network ls -q --filter name=front)" = "${id:0:12}" ]
    [ "$(kouti network ls --filter type=custom --format '{{.Name}}')" = front ]
    [ "$(kouti network ls --filter name=front --format '{{.Labels}} {{.Label "team"}}')" = "team=a a" ]
    kouti_bg run -d --name c1 busybox sleep 1000
    wait_for c1 '{{.State.Running}}' true
    kouti network connect --alias one front c1
    run kouti exec c1 ip -o -4 addr show eth1
    [[ "$output" =~ "inet 10.88.0.1/16" ]]
    [ "$(kouti network inspect -f '{{range .Containers}}{{.Name}} {{.IPv4Address}}{{end}}' front)" = "c1 10.88.0.1/16" ]
    run kouti network rm front
    [ "$status" -eq 1 ]
    [[ "$output" =~ "has active endpoints" ]]
    run kouti network rm bridge
    [ "$output" = "Error: bridge is a pre-defined network and cannot be removed" ]
    kouti network disconnect front c1
    run kouti exec c1 ip link show eth1
    [ "$status" -ne 0 ]
    [ "$(kouti network rm front)" = front ]
    [ -z "$(in_ns ip -o link show "kt-${id:0:12}" 2>/dev/null)" ]
    kouti network create spare >/dev/null
    [ "$(kouti network prune -f)" = "$(printf 'Deleted Networks:\nspare')" ]
    run kouti network inspect nosuch
    [ "$status" -eq 1 ]
    [ "$output" = $'[]\nError: network nosuch not found' ]
    run kouti run --rm --network nosuch busybox true
    [ "$status" -eq 125 ]
    [ "$output" = "Error: network nosuch not found" ]
}

@test "--network none, host and container:NAME; --add-host and --dns in the container's files" {
    run kouti run --rm --network none busybox ip -o link
    [ "${#lines[@]}" -eq 1 ]
    [[ "$output" =~ lo: ]]
    [ "$(kouti run --rm --network host busybox cat /sys/class/net/kouti0/address 2>/dev/null || echo none)" = none ]
    kouti_bg run -d --name base busybox sleep 1000
    wait_for base '{{.State.Running}}' true
    [ "$(kouti run --rm --network container:base busybox ip -o -4 addr show eth0 | awk '{print $4}')" = 172.17.0.2/16 ]
    # -p with none publishes nothing and is no error, as Docker's; with container:NAME it is.
    kouti run --rm --network none -p 8080:80 busybox true
    run kouti run --rm --network container:base -p 8080:80 busybox true
    [ "$status" -eq 125 ]
    [ "$output" = "Error: conflicting options: port publishing and the container type network mode" ]
    run kouti run --rm --add-host db.local:10.1.2.3 --dns 10.9.9.9 --dns-search corp.example --dns-option ndots:2 busybox cat /etc/hosts /etc/resolv.conf
    [[ "$output" =~ $'10.1.2.3\tdb.local' ]]
    [[ "$output" =~ "search corp.example" ]]
    [[ "$output" =~ "nameserver 10.9.9.9" ]]
    [[ "$output" =~ "options ndots:2" ]]
    run kouti run --rm --add-host nocolon busybox true
    [ "$status" -eq 125 ]
    run kouti run --rm -p 70000:80 busybox true
    [ "$status" -eq 125 ]
    [[ "$output" =~ "invalid hostPort: 70000" ]]
}

@test "50 containers started at once all get different addresses, and give them back" {
    pids=()
    for i in $(seq 50); do
        kouti run -d --name "p$i" busybox sleep 1000 </dev/null >/dev/null 2>"$BATS_TEST_TMPDIR/err$i" &
        pids+=($!)
    done
    wait "${pids[@]}"
    cat "$BATS_TEST_TMPDIR"/err* >&2
    [ "$(kouti ps -q | wc -l)" = 50 ]
    run bash -c "for i in \$(seq 50); do nsenter --net=/proc/$NETNS_HOLDER/ns/net $KOUTI_BIN inspect -f '{{.NetworkSettings.IPAddress}}' p\$i; done | sort -u | wc -l"
    [ "$output" = 50 ]
    [ "$(in_ns ip -o link show master kouti0 | wc -l)" = 50 ]
    kouti rm -f $(kouti ps -aq) >/dev/null
    assert_no_network_leftovers
}

@test "nothing leaks after a failed run, a SIGKILLed monitor or a SIGKILLed kouti" {
    run -127 kouti run --rm busybox /nosuch
    run -127 kouti run -p 127.0.0.1:7070:80 --name bad busybox /nosuch
    assert_no_network_leftovers
    kouti rm bad >/dev/null
    # The monitor dies; the container runs on; when it is removed everything goes.
    web m1 -p 127.0.0.1:7071:80
    wait_for m1 '{{.State.Running}}' true
    kill -9 "$(kouti inspect -f '{{.State.Pid}}' m1 | xargs -I{} sh -c 'ps -o ppid= -p {}' | tr -d ' ')"
    [ "$(fetch http://127.0.0.1:7071/)" = "hello from m1" ]
    kouti rm -f m1 >/dev/null
    assert_no_network_leftovers
    # A foreground run whose kouti is SIGKILLed: the next command releases what it held.
    # (the container outlives it, as it would outlive a docker client)
    kouti run -p 127.0.0.1:7072:80 --name fg busybox sleep 0.5 </dev/null >/dev/null 2>&1 &
    fgpid=$!
    wait_for fg '{{.State.Running}}' true
    kill -9 $fgpid
    wait $fgpid 2>/dev/null || true
    for i in $(seq 100); do [ "$(kouti inspect -f '{{.State.Running}}' fg)" = false ] && break; sleep 0.05; done
    [ "$(kouti inspect -f '{{.State.Running}}' fg)" = false ]
    assert_no_network_leftovers
}

@test "--link: the linked container by alias, hostname and name in /etc/hosts, its ports and env as ALIAS_*; it must run; rm --link" {
    web db --expose 5432 -e PW=secret
    ip=$(kouti inspect -f '{{.NetworkSettings.IPAddress}}' db)
    short=$(kouti inspect -f '{{.Config.Hostname}}' db)
    run kouti run --name app --link db:pg busybox sh -c 'awk "\$2 == \"pg\"" /etc/hosts; env | grep ^PG_ | sort; wget -qO- http://pg/'
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = "$ip	pg $short db" ]
    [ "${lines[1]}" = "PG_ENV_PW=secret" ]
    [ "${lines[2]}" = "PG_NAME=/app/pg" ]
    [ "${lines[3]}" = "PG_PORT=tcp://$ip:5432" ]
    [ "${lines[4]}" = "PG_PORT_5432_TCP=tcp://$ip:5432" ]
    [ "${lines[5]}" = "PG_PORT_5432_TCP_ADDR=$ip" ]
    [ "${lines[6]}" = "PG_PORT_5432_TCP_PORT=5432" ]
    [ "${lines[7]}" = "PG_PORT_5432_TCP_PROTO=tcp" ]
    [ "${lines[8]}" = "hello from db" ]
    [ "$(kouti inspect -f '{{json .HostConfig.Links}}' app)" = '["/db:/app/pg"]' ]
    # Without an alias the name serves; the container's own variables win.
    [ "$(kouti run --rm --link db -e DB_NAME=mine busybox sh -c 'echo $DB_NAME; wget -qO- http://db/')" = "mine"$'\n'"hello from db" ]
    kouti stop -t 1 db >/dev/null
    run kouti start app
    [ "$status" -eq 1 ]
    [ "$output" = "Error: Cannot link to a non running container: /db AS /app/pg" ]
    # rm --link drops it: the container starts without it.
    run kouti rm --link pg
    [ "$status" -eq 1 ]
    [ "$output" = "Error: Conflict, cannot remove the default link name of the container" ]
    run kouti rm --link /app/other
    [ "$status" -eq 1 ]
    [ "$output" = "Error: No such container: /app/other" ]
    [ "$(kouti rm --link /app/pg)" = "/app/pg" ]
    [ "$(kouti inspect -f '{{json .HostConfig.Links}}' app)" = null ]
    kouti start -a app >/dev/null 2>&1 || true
    [ "$(kouti inspect -f '{{.State.Status}}' app)" = exited ]
    [ "$(kouti inspect -f '{{.State.Error}}' app)" = "" ]
    run kouti create --link nope busybox true
    [ "$status" -eq 1 ]
    [ "$output" = "Error: could not get container for nope: No such container: nope" ]
    run kouti create --network host --link db busybox true
    [ "$status" -eq 1 ]
    [ "$output" = "Error: conflicting options: host type networking can't be used with links. This would result in undefined behavior" ]
    run kouti create --link a:b:c busybox true
    [ "$status" -eq 125 ]
    [ "${lines[0]}" = 'invalid argument "a:b:c" for "--link" flag: bad format for links: a:b:c' ]
}

@test "--link-local-ip adds 169.254.x.y/16 to eth0 on any bridge network; --ip6 is refused where no IPv6 subnet is" {
    run -0 kouti run --name ll --link-local-ip 169.254.1.1 busybox ip -o -4 addr show eth0
    [[ "${lines[0]}" =~ inet\ 172\.17\.0\.2/16 ]]
    [[ "${lines[1]}" =~ inet\ 169\.254\.1\.1/16\ brd\ 169\.254\.255\.255 ]]
    [ "$(kouti inspect -f '{{json .NetworkSettings.Networks.bridge.IPAMConfig}}' ll)" = '{"LinkLocalIPs":["169.254.1.1"]}' ]
    kouti network create lnet >/dev/null
    run -0 kouti run --rm --network lnet --link-local-ip 169.254.7.7 --link-local-ip 169.254.8.8 busybox ip -o -4 addr show eth0
    [ "${#lines[@]}" = 3 ]
    [[ "$output" =~ 169\.254\.7\.7/16 && "$output" =~ 169\.254\.8\.8/16 ]]
    # Docker's checks: the list when one is no address, then each must be link-local.
    run -125 kouti run --rm --link-local-ip zz --link-local-ip 169.254.3.3 busybox true
    [ "$output" = "Error: Invalid link-local IP address: [zz 169.254.3.3]" ]
    run -125 kouti run --rm --link-local-ip 10.1.1.1 busybox true
    [ "$output" = "Error: invalid link local IP address: 10.1.1.1" ]
    run -125 kouti run --rm --link-local-ip fe80::9 busybox true
    [ "$output" = "Error: link-local IP address fe80::9: kouti's networks have no IPv6 yet" ]
    run -125 kouti run --rm --ip6 zz busybox true
    [ "$output" = "Error: invalid IPv6 address: zz" ]
    run -125 kouti run --rm --ip6 fd00::5 busybox true
    [ "$output" = "Error: user specified IP address is supported on user defined networks only" ]
    run -125 kouti run --rm --network lnet --ip6 fd00::5 busybox true
    [ "$output" = "Error: user specified IP address is supported only when connecting to networks with user configured subnets" ]
    # network connect takes them too, on a running container at once.
    kouti_bg run -d --name late busybox sleep 1000
    wait_for late '{{.State.Running}}' true
    kouti network connect --link-local-ip 169.254.9.9 lnet late
    [[ "$(kouti exec late ip -o -4 addr show eth1)" =~ inet\ 169\.254\.9\.9/16 ]]
    [ "$(kouti inspect -f '{{json .NetworkSettings.Networks.lnet.IPAMConfig}}' late)" = '{"LinkLocalIPs":["169.254.9.9"]}' ]
    run -1 kouti network connect --link-local-ip 10.0.0.1 lnet late
    [ "$output" = "Error: invalid link local IP address: 10.0.0.1" ]
    kouti network disconnect lnet late
    run -1 kouti network connect --ip6 fd00::9 lnet late
    [ "$output" = "Error: user specified IP address is supported only when connecting to networks with user configured subnets" ]
    kouti rm -f late ll >/dev/null
    [ "$(sqlite3 "$KOUTI_ROOT/kouti.db" 'SELECT count(*) FROM endpoints')" = 0 ]
}

@test "network create: --aux-address is never leased, --attachable and --ipam-opt are recorded; swarm, IPv6 and other IPAM drivers refused" {
    kouti network create --subnet 10.77.0.0/29 --aux-address router=10.77.0.2 --aux-address nas=10.77.0.3 \
        --attachable --ipam-opt foo=bar --ipam-driver default --scope local aux >/dev/null
    [ "$(kouti network inspect -f '{{json .IPAM}} {{.Attachable}} {{.Scope}}' aux)" = \
        '{"Driver":"default","Options":{"foo":"bar"},"Config":[{"Subnet":"10.77.0.0/29","Gateway":"10.77.0.1","AuxiliaryAddresses":{"nas":"10.77.0.3","router":"10.77.0.2"}}]} true local' ]
    # A /29 has .2 to .6 for containers: the aux addresses take two, so three containers fit.
    for i in 1 2 3; do kouti_bg run -d --name "r$i" --network aux busybox sleep 1000 >/dev/null; done
    [ "$(kouti inspect -f '{{.NetworkSettings.Networks.aux.IPAddress}}' r1 r2 r3 | sort | tr '\n' ' ')" = "10.77.0.4 10.77.0.5 10.77.0.6 " ]
    run -125 kouti run --rm --network aux busybox true
    [[ "$output" == "Error: no available IPv4 addresses on this network's address pools: aux"* ]]
    run -1 kouti network create --subnet 10.78.0.0/24 --aux-address x=10.99.0.1 bad
    [ "$output" = "Error: no matching subnet for aux-address 10.99.0.1" ]
    run -1 kouti network create --ipam-driver foo bad
    [ "$output" = 'Error: plugin "foo" not found' ]
    run -1 kouti network create --scope swarm bad
    [ "$output" = "Error: cannot create a swarm scoped network when swarm is not active" ]
    run -1 kouti network create --ingress bad
    [ "$output" = "Error: Ingress network can only be global scope network" ]
    run -1 kouti network create --ipv6 bad
    [ "$output" = "Error: --ipv6: kouti's networks are IPv4 only, so far" ]
    run -1 kouti network create --ipv4=false bad
    [[ "$output" == "Error: --ipv4=false: "* ]]
    [ -z "$(kouti network ls -q --filter name=bad)" ]
    kouti rm -f r1 r2 r3 >/dev/null
    kouti network rm aux >/dev/null
}

@test "an image whose EXPOSE is no port is refused at start with -P, never a crash" {
    kouti save -o "$BATS_TEST_TMPDIR/bb.tar" busybox
    mkdir "$BATS_TEST_TMPDIR/x" && tar -C "$BATS_TEST_TMPDIR/x" -xf "$BATS_TEST_TMPDIR/bb.tar"
    rm "$BATS_TEST_TMPDIR/x/index.json" "$BATS_TEST_TMPDIR/x/oci-layout" # the docker-archive manifest, then
    python3 - "$BATS_TEST_TMPDIR/x" <<'PY'
import hashlib, json, os, sys
d = sys.argv[1]
manifest = json.load(open(os.path.join(d, "manifest.json")))
config = json.load(open(os.path.join(d, manifest[0]["Config"])))
config["config"]["ExposedPorts"] = {"99999999999/tcp": {}}
data = json.dumps(config).encode()
name = "blobs/sha256/" + hashlib.sha256(data).hexdigest()
open(os.path.join(d, name), "wb").write(data)
manifest[0]["Config"], manifest[0]["RepoTags"] = name, ["badport:1"]
json.dump(manifest, open(os.path.join(d, "manifest.json"), "w"))
PY
    tar -C "$BATS_TEST_TMPDIR/x" -cf "$BATS_TEST_TMPDIR/badport.tar" .
    kouti load -i "$BATS_TEST_TMPDIR/badport.tar" >/dev/null
    run -125 kouti run --rm -P badport:1 true
    [ "$output" = 'Error: invalid port "99999999999/tcp"' ]
    [ -z "$(kouti ps -aq)" ]
    [ "$(sqlite3 "$KOUTI_ROOT/kouti.db" 'SELECT count(*) FROM endpoints')" = 0 ]
}
