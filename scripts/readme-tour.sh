#!/usr/bin/env bash
# Prints the README's tour: runs each command in a scratch store and shows its real output.
set -uo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export KOUTI_ROOT="$dir/root" KOUTI_RUNROOT="$dir/run" PATH="$PWD/build:$PATH" KOUTI_CGROUP_PARENT=/kouti-tour
cd "$dir"
bash "$OLDPWD/scripts/mkimage-busybox.sh" busybox.tar
run() { echo "\$ $*"; bash -c "$*" 2>&1; }
echo '```console'
run kouti import busybox.tar busybox:latest
run "gzip -c busybox.tar | kouti import -c 'CMD [\"/bin/sh\"]' -m 'with a CMD' - me/shell:1"
run kouti images
run kouti history me/shell:1
run kouti inspect --format "'{{json .Config.Cmd}} {{.GraphDriver.Name}} {{.Size}}'" me/shell:1
run kouti tag busybox localhost:5000/tools/bb:v1
run kouti images --format "'table {{.Repository}}\t{{.Tag}}\t{{.ID}}'"
run kouti rmi localhost:5000/tools/bb:v1
run "kouti save -o bb.tar busybox && kouti rmi busybox"
run kouti load -i bb.tar
run "skopeo inspect docker-archive:bb.tar | grep -A1 Layers"
run kouti import /etc/hostname bad
run "kouti tag busybox UPPER:case; echo \"exit \$?\""
run "kouti run --rm busybox sh -c 'hostname; echo \$\$; ls /sys/class/net'"
run "kouti run --name web -d busybox sh -c 'echo serving; exec sleep 1000'"
sleep 0.5
run kouti ps
run kouti logs web
run kouti exec web sh -c "'echo hi > /greeting; ps -o pid,args'"
run kouti inspect --format "'{{.State.Status}} pid={{.State.Pid}} {{.Config.Hostname}} {{json .Config.Cmd}}'" web
run kouti diff web
run kouti commit -p -m "'added a greeting'" web busybox:greeting
run kouti history --format "'{{.ID}} {{.Comment}}'" busybox:greeting
run kouti rmi busybox
run "kouti export web | tar -tf - | grep greeting"
run kouti stop -t 1 web
run kouti ps -a
run "kouti run --rm busybox /no/such/thing; echo \"exit \$?\""
run kouti rm web
run kouti system check
echo '```'
