# The compose topology of docker/compose.yaml, started by hand with podman (sourced by container-test.sh,
# whose helpers and variables it uses): a coordinator and three workers on a network of their own, with
# CURVE keys mounted where compose's secrets go. One worker is stopped in the middle of a trial (SIGTERM
# through tini: it hands the trial back and exits 0), another killed (SIGKILL: its lease runs out), and
# the sweep must still end with every trial done exactly once.

# Generates the CURVE keys into $1 as docker/compose.yaml's comments say, with the image itself.
make_keys() {
    local keys=$1
    mkdir -p "$keys"
    within 60 "aesweep keys generate in the image" podman run --rm --network none --user 0 -v "$keys:/keys" \
        --entrypoint sh "$image" -c '
            aesweep keys generate coordinator --directory /keys >/dev/null &&
            aesweep keys generate worker --directory /keys >/dev/null &&
            chown 10001:10001 /keys/*.key_secret'
    for file in coordinator.key coordinator.key_secret worker.key worker.key_secret; do
        [ -s "$keys/$file" ] || fail "keys: no $keys/$file"
    done
}

# Seconds since the epoch at which container $1 started.
started_at() {
    python3 -c 'import datetime, sys
text = sys.argv[1].split(" +")[0]
whole, _, fraction = text.partition(".")
moment = datetime.datetime.strptime(whole, "%Y-%m-%d %H:%M:%S").replace(tzinfo=datetime.timezone.utc)
print("%.3f" % (moment.timestamp() + float("0." + (fraction or "0"))))' \
        "$(TZ=UTC podman inspect --format '{{.State.StartedAt}}' "$1")"
}

exit_code() { podman inspect --format '{{.State.ExitCode}}' "$1"; }
is_running() { [ "$(podman inspect --format '{{.State.Running}}' "$1" 2>/dev/null)" = true ]; }

# The trial (id) that worker $2 is running, from store $1; empty if none.
running_trial_of() {
    store_query "$1" "SELECT id FROM trial WHERE state = 'running' AND worker = '$2' LIMIT 1" 2>/dev/null || true
}

# Fails when a worker of $1 is being restarted again and again (exiting with an error at once).
workers_not_looping() {
    local worker restarts
    for worker in 1 2 3; do
        restarts=$(podman inspect --format '{{.RestartCount}}' "$1-worker-$worker" 2>/dev/null || echo 0)
        [ "$restarts" -le 3 ] || fail "worker-$worker exits at once and is restarted again and again ($restarts restarts)"
    done
}

run_compose_topology() {
    local keys=$work/compose-keys sweeps=$work/sweeps prefix=$run_id
    make_keys "$keys"
    cp -r "$repo/sweeps" "$sweeps"
    cp "$repo/docker/test/topology.yaml" "$sweeps/container-topology.yaml"

    # compose's default network: podman's own (netavark, aardvark-dns resolves the service name).
    podman network create "$prefix" >/dev/null
    podman volume create "$prefix-runs" >/dev/null
    podman volume create "$prefix-data" >/dev/null
    local runs_dir
    runs_dir=$(podman volume inspect --format '{{.Mountpoint}}' "$prefix-runs")

    # As the coordinator service: SWEEP=container-topology, its secrets, the sweeps folder read-only. The
    # lease is the default 10 s.
    local secret=(-v "$keys/coordinator.key_secret:/run/secrets/coordinator.key_secret:ro"
        -v "$keys/coordinator.key:/run/secrets/coordinator.key:ro"
        -v "$keys/worker.key:/run/secrets/authorized/worker.key:ro"
        -v "$keys/worker.key_secret:/run/secrets/worker.key_secret:ro")
    step "compose topology: the coordinator"
    podman run -d --name "$prefix-coordinator" --hostname coordinator --network "$prefix" --network-alias coordinator \
        -e AESWEEP_KEYS_DIR=/run/secrets -e AESWEEP_LOG_FORMAT=plain -e OPENBLAS_NUM_THREADS=1 \
        -e AESWEEP_SPEC=sweeps/container-topology.yaml -e AESWEEP_BIND=tcp://0.0.0.0:5555 \
        -v "$prefix-runs:/work/runs" -v "$prefix-data:/data" -v "$sweeps:/work/sweeps:ro" "${secret[@]}" \
        --restart on-failure --stop-timeout 30 "$image" coordinator >/dev/null
    watched_containers+=("$prefix-coordinator")
    local coordinator_start
    coordinator_start=$(started_at "$prefix-coordinator")

    # depends_on: service_healthy, with compose.yaml's health check (podman runs health checks through
    # systemd timers, which this machine lacks, so the test polls the same command).
    wait_for 90 "the coordinator's health check (aesweep status)" \
        "podman exec $prefix-coordinator aesweep status --connect tcp://127.0.0.1:5555 --timeout 2 \
            --key /run/secrets/worker.key_secret --coordinator-key /run/secrets/coordinator.key >/dev/null 2>&1 \
         || { is_running $prefix-coordinator || fail \"the coordinator exited: \$(podman logs --tail 5 $prefix-coordinator 2>&1)\"; false; }"

    step "compose topology: three workers"
    local worker
    for worker in 1 2 3; do
        podman run -d --name "$prefix-worker-$worker" --hostname "worker-$worker" --network "$prefix" \
            -e AESWEEP_KEYS_DIR=/run/secrets -e AESWEEP_LOG_FORMAT=plain -e OPENBLAS_NUM_THREADS=1 \
            -e AESWEEP_CONNECT=tcp://coordinator:5555 -v "$prefix-data:/data" \
            -v "$keys/worker.key_secret:/run/secrets/worker.key_secret:ro" \
            -v "$keys/coordinator.key:/run/secrets/coordinator.key:ro" \
            --restart on-failure --stop-timeout 120 "$image" worker >/dev/null
        watched_containers+=("$prefix-worker-$worker")
    done

    local store=$runs_dir/container-topology/sweep.sqlite
    wait_for 120 "a first trial dispatched to a worker" \
        "workers_not_looping $prefix && [ -n \"\$(running_trial_of $store worker-1)\" ]"
    local first_dispatch
    first_dispatch=$(python3 "$repo/docker/test/store.py" first-dispatch "$store")
    local cold
    cold=$(python3 -c "print(f'{$first_dispatch - $coordinator_start:.1f}')")
    step "cold start: coordinator container started → first trial dispatched: ${cold} s"
    echo "container-test: figure: compose_cold_start_seconds=$cold" >> "$work/figures"

    # Stop worker-1 in the middle of its trial (an epoch of it stored, more to come): SIGTERM through
    # tini, the trial handed back, exit 0.
    local stopped_trial
    wait_for 60 "worker-1 in the middle of a trial" \
        "stopped_trial=\$(running_trial_of $store worker-1); [ -n \"\$stopped_trial\" ] && \
         [ \"\$(store_query $store \"SELECT COUNT(*) FROM epoch WHERE trial_id = '\$stopped_trial'\")\" -ge 1 ]"
    step "compose topology: podman stop worker-1 (in trial $stopped_trial)"
    within 150 "podman stop worker-1" podman stop -t 120 "$prefix-worker-1" >/dev/null
    [ "$(exit_code "$prefix-worker-1")" = 0 ] \
        || fail "worker-1 stopped with exit status $(exit_code "$prefix-worker-1"), not 0: $(podman logs --tail 5 "$prefix-worker-1" 2>&1)"
    podman logs "$prefix-worker-1" > "$work/worker-1.log" 2>&1
    local state
    state=$(store_query "$store" "SELECT state || ' ' || IFNULL(worker, '-') FROM trial WHERE id = '$stopped_trial'")
    case $state in
        "running worker-1"*) fail "worker-1 exited but its trial $stopped_trial is still leased to it" ;;
        "done worker-1"*) fail "worker-1 finished trial $stopped_trial instead of handing it back on SIGTERM" ;;
    esac
    step "compose topology: worker-1 exited 0; its trial is now: $state"

    # Kill worker-2 with SIGKILL mid-trial: no word to the coordinator; the lease runs out.
    wait_for 120 "worker-2 running a trial" "[ -n \"\$(running_trial_of $store worker-2)\" ]"
    step "compose topology: podman kill -s KILL worker-2 (in trial $(running_trial_of "$store" worker-2))"
    podman kill -s KILL "$prefix-worker-2" >/dev/null
    # Its restart policy (on-failure) may bring it back, as compose's would; either way the sweep ends.

    wait_for 600 "the coordinator's exit at the end of the sweep" "! is_running $prefix-coordinator"
    podman logs "$prefix-coordinator" > "$work/coordinator.log" 2>&1
    [ "$(exit_code "$prefix-coordinator")" = 0 ] \
        || fail "the coordinator exited with $(exit_code "$prefix-coordinator"): $(tail -5 "$work/coordinator.log")"
    wait_for 60 "worker-3's exit after the sweep" "! is_running $prefix-worker-3"
    [ "$(exit_code "$prefix-worker-3")" = 0 ] || fail "worker-3 exited with $(exit_code "$prefix-worker-3")"

    python3 "$repo/docker/test/store.py" all-done-once "$store" 6 || fail "the compose topology's store"
    [ -s "$runs_dir/container-topology/report.html" ] || fail "no report.html from the compose topology"
    echo "container-test: figure: compose_every_trial_done_once=yes" >> "$work/figures"
    step "compose topology: every trial done exactly once"
    podman rm -f -v "$prefix-coordinator" "$prefix-worker-1" "$prefix-worker-2" "$prefix-worker-3" >/dev/null
    watched_containers=()
}
