#!/usr/bin/env bats
# Health checks: --health-* and HEALTHCHECK, probed with exec while the container runs, as
# `ps`, `inspect` and `events` show them.
load container_helpers

# The container's health check process, if one runs.
checker_of() { pgrep -f "container healthcheck $(kouti inspect -f '{{.Id}}' "$1")"; }
# Waits up to 5 s for it to end (it sees the exit at once, or when a probe under way ends).
no_checker() {
    local i
    for i in $(seq 100); do checker_of "$1" >/dev/null || return 0; sleep 0.05; done
    echo "the health checks of $1 still run" >&2
    return 1
}

@test "a passing check makes a container healthy: ps, inspect, events; a slow interval stays starting" {
    kouti_bg run -d --name ok --network none --health-cmd 'echo hi' --health-interval 100ms busybox sleep 100
    kouti_bg run -d --name later --network none --health-cmd true --health-interval 1h busybox sleep 100
    wait_for ok '{{.State.Health.Status}}' healthy
    [ "$(kouti inspect -f '{{json .Config.Healthcheck}}' ok)" = '{"Test":["CMD-SHELL","echo hi"],"Interval":100000000}' ]
    [ "$(kouti inspect -f '{{(index .State.Health.Log 0).ExitCode}} {{(index .State.Health.Log 0).Output}}' ok)" = "0 hi" ]
    [ "$(kouti inspect -f '{{.State.Health.FailingStreak}}' ok)" = 0 ]
    run kouti ps --format '{{.Names}}|{{.Status}}'
    [[ "${lines[0]}" =~ ^later\|Up\ .*\ \(health:\ starting\)$ ]]
    [[ "${lines[1]}" =~ ^ok\|Up\ .*\ \(healthy\)$ ]]
    [ "$(kouti inspect -f '{{json .State.Health}}' later)" = '{"Status":"starting","FailingStreak":0,"Log":[]}' ]
    run kouti events --since 0 --until 0s --filter event=health_status
    [ "$status" -eq 0 ]
    [ "${#lines[@]}" -eq 1 ]
    [[ "${lines[0]}" =~ " container health_status: healthy $(kouti inspect -f '{{.Id}}' ok) (image=busybox, name=ok)"$ ]]
}

@test "failures: unhealthy after --health-retries, a timeout in Docker's words, none counted in the start period; ps --filter health=" {
    kouti_bg run -d --name bad --network none --health-cmd 'echo oops >&2; exit 3' --health-interval 100ms --health-retries 2 busybox sleep 100
    kouti_bg run -d --name slow --network none --health-cmd 'sleep 10' --health-interval 100ms --health-timeout 200ms --health-retries 1 busybox sleep 100
    kouti_bg run -d --name early --network none --health-cmd 'exit 1' --health-retries 1 --health-start-period 1h --health-start-interval 100ms busybox sleep 100
    kouti_bg run -d --name plain --network none busybox sleep 100
    wait_for bad '{{.State.Health.Status}}' unhealthy
    [ "$(kouti inspect -f '{{(index .State.Health.Log 0).ExitCode}} {{(index .State.Health.Log 0).Output}}' bad)" = "3 oops" ]
    [ "$(kouti inspect -f '{{.State.Health.FailingStreak}}' bad)" -ge 2 ]
    wait_for slow '{{.State.Health.Status}}' unhealthy
    [ "$(kouti inspect -f '{{(index .State.Health.Log 0).ExitCode}} {{(index .State.Health.Log 0).Output}}' slow)" = "-1 Health check exceeded timeout (200ms)" ]
    # Failing all along, but within its start period: still starting, no streak.
    [ "$(kouti inspect -f '{{.State.Health.Status}} {{.State.Health.FailingStreak}}' early)" = "starting 0" ]
    [ "$(kouti inspect -f '{{len .State.Health.Log}}' early)" -ge 1 ]
    [ "$(kouti ps --filter health=unhealthy --format '{{.Names}}' | sort | tr '\n' ' ')" = "bad slow " ]
    [ "$(kouti ps --filter health=starting --format '{{.Names}}')" = early ]
    [ "$(kouti ps --filter health=none --format '{{.Names}}')" = plain ]
    run kouti ps --filter health=bogus
    [ "$status" -eq 1 ]
    [ "$output" = "Error: Unrecognised filter value for health: bogus" ]
}

@test "HEALTHCHECK by commit --change; flags override it field by field, --no-healthcheck turns it off; stop, start" {
    kouti_bg run -d --name base --network none busybox sleep 100
    kouti commit -c 'HEALTHCHECK --interval=100ms --retries=1 CMD ["cat","/ready"]' base hc >/dev/null
    [ "$(kouti inspect -f '{{json .Config.Healthcheck}}' hc)" = '{"Test":["CMD","cat","/ready"],"Interval":100000000,"Retries":1}' ]
    run kouti commit -c 'HEALTHCHECK CMD-SHELL true' base hc2
    [ "$status" -ne 0 ]
    [ "$output" = 'Error: Unknown type "CMD-SHELL" in HEALTHCHECK (try CMD)' ]
    kouti_bg run -d --name app --network none hc sh -c 'sleep 0.3; touch /ready; exec sleep 100'
    wait_for app '{{.State.Health.Status}}' healthy
    kouti_bg run -d --name off --network none --no-healthcheck hc sleep 100
    [ "$(kouti inspect -f '{{index .Config.Healthcheck.Test 0}} {{if .State.Health}}checked{{else}}unchecked{{end}}' off)" = "NONE unchecked" ]
    [ -z "$(checker_of off)" ]
    kouti_bg create --name mixed --health-timeout 7s hc
    [ "$(kouti inspect -f '{{json .Config.Healthcheck}}' mixed)" = '{"Test":["CMD","cat","/ready"],"Interval":100000000,"Timeout":7000000000,"Retries":1}' ]
    # Stopped: the checks end and, as in Docker, the container is left unhealthy.
    kouti stop -t 1 app >/dev/null 2>&1
    [ "$(kouti inspect -f '{{.State.Status}} {{.State.Health.Status}}' app)" = "exited unhealthy" ]
    [[ "$(kouti ps -a --filter name=app --format '{{.Status}}')" =~ ^Exited\ \(137\) ]]
    no_checker app
    # Started again: starting, the log kept, then healthy (its /ready is still there).
    kouti start app >/dev/null
    [ "$(kouti inspect -f '{{len .State.Health.Log}}' app)" -ge 1 ]
    wait_for app '{{.State.Health.Status}}' healthy
}

@test "bad health flags: Docker's messages, exit 125, nothing created" {
    for args in "--no-healthcheck --health-interval 1s|--no-healthcheck conflicts with --health-* options" \
        "--health-interval -1s|--health-interval cannot be negative" \
        "--health-interval 1ns|Interval in Healthcheck cannot be less than 1ms" \
        "--health-timeout abc|invalid argument \"abc\" for \"--health-timeout\" flag: time: invalid duration \"abc\"" \
        "--health-retries -1|--health-retries cannot be negative" \
        "--health-start-period 1|invalid argument \"1\" for \"--health-start-period\" flag: time: missing unit in duration \"1\""; do
        # shellcheck disable=SC2086
        run kouti run --rm --network none ${args%%|*} busybox true
        [ "$status" -eq 125 ]
        # A bad flag value is printed as the docker CLI prints it: bare, then the usage.
        [ "$output" = "Error: ${args#*|}" ] || [ "${lines[0]}" = "${args#*|}" ]
    done
    [ -z "$(kouti ps -aq)" ]
}

@test "paused: no probes; a foreground run is checked too; rm -f and --rm end the checker" {
    kouti_bg run -d --name paused --network none --health-cmd true --health-interval 100ms busybox sleep 100
    wait_for paused '{{.State.Health.Status}}' healthy
    kouti pause paused
    sleep 0.2 # a probe that was finishing has written its result
    local before
    before=$(kouti inspect -f '{{json .State.Health.Log}}' paused)
    sleep 0.5
    [ "$(kouti inspect -f '{{json .State.Health.Log}}' paused)" = "$before" ]
    kouti unpause paused
    local i
    for i in $(seq 100); do [ "$(kouti inspect -f '{{json .State.Health.Log}}' paused)" != "$before" ] && break; sleep 0.05; done
    [ "$(kouti inspect -f '{{json .State.Health.Log}}' paused)" != "$before" ]
    local id
    id=$(kouti inspect -f '{{.Id}}' paused)
    kouti rm -f paused >/dev/null
    [ -z "$(pgrep -f "container healthcheck $id")" ]
    kouti run --name fg --network none --health-cmd 'echo fg' --health-interval 100ms busybox sleep 1 </dev/null
    [ "$(kouti inspect -f '{{.State.Health.Status}} {{(index .State.Health.Log 0).Output}}' fg)" = "unhealthy fg" ]
    kouti run --rm --network none --health-cmd true --health-interval 50ms busybox sleep 0.3 </dev/null
    [ -z "$(pgrep -f -- "--runroot $KOUTI_RUNROOT container healthcheck")" ]
    [ "$(kouti ps -aq | wc -l)" = 1 ]
}
