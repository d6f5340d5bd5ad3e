# The Kubernetes manifests played with `podman kube play` (sourced by container-test.sh after topology.sh,
# whose helpers it uses): docker/k8s/coordinator.yaml and worker-job.yaml made playable by
# kube-variant.py, which prints each substitution; a coordinator and two workers run a small sweep.

run_kube_topology() {
    local keys=$work/kube-keys sweeps=$work/sweeps variant=$work/kube.yaml
    local name
    for name in aesweep-coordinator aesweep-worker-1 aesweep-worker-2; do
        ! podman pod exists "$name" || fail "a pod named $name exists already (podman pod rm -f $name)"
    done
    ! podman volume exists aesweep-runs || fail "a volume named aesweep-runs exists already (podman volume rm aesweep-runs)"
    make_keys "$keys"
    [ -d "$sweeps" ] || { cp -r "$repo/sweeps" "$sweeps" && cp "$repo/docker/test/topology.yaml" "$sweeps/container-topology.yaml"; }
    podman network exists "$run_id" || podman network create "$run_id" >/dev/null

    step "kube: deriving a variant podman 4.3 plays from docker/k8s/"
    python3 "$repo/docker/test/kube-variant.py" "$repo/docker/k8s" "$image" "$keys" "$work/kube-volumes" \
        "$sweeps" sweeps/container-topology.yaml 2 > "$variant" || fail "kube-variant.py"
    step "kube: podman kube play (network $run_id)"
    kube_played=yes
    within 120 "podman kube play" podman kube play --network "$run_id" "$variant" > "$work/kube-play.log" 2>&1 \
        || { cat "$work/kube-play.log" >&2; fail "podman kube play"; }
    local coordinator=aesweep-coordinator-coordinator
    watched_containers+=("$coordinator" aesweep-worker-1-worker aesweep-worker-2-worker)
    local coordinator_start
    coordinator_start=$(started_at "$coordinator")

    # Readiness as the probes would see it: their command, run in the coordinator's container.
    wait_for 90 "the coordinator's readiness probe (aesweep status)" \
        "podman exec $coordinator aesweep status --connect tcp://127.0.0.1:5555 --timeout 2 \
            --key /etc/aesweep/keys/worker.key_secret --coordinator-key /etc/aesweep/keys/coordinator.key >/dev/null 2>&1 \
         || { is_running $coordinator || fail \"the coordinator exited: \$(podman logs --tail 5 $coordinator 2>&1)\"; false; }"
    step "kube: the coordinator is ready"

    local runs_dir
    runs_dir=$(podman volume inspect --format '{{.Mountpoint}}' aesweep-runs) || fail "no volume for the claim aesweep-runs"
    local store=$runs_dir/container-topology/sweep.sqlite
    wait_for 120 "a first trial dispatched in the kube topology" \
        "[ -n \"\$(store_query $store \"SELECT id FROM trial WHERE started_at IS NOT NULL LIMIT 1\" 2>/dev/null)\" ]"
    local cold
    cold=$(python3 -c "print(f'{$(python3 "$repo/docker/test/store.py" first-dispatch "$store") - $coordinator_start:.1f}')")
    step "cold start: coordinator pod's container started → first trial dispatched: ${cold} s"
    echo "container-test: figure: kube_cold_start_seconds=$cold" >> "$work/figures"

    wait_for 600 "the coordinator's exit at the end of the kube sweep" "! is_running $coordinator"
    podman logs "$coordinator" > "$work/kube-coordinator.log" 2>&1
    [ "$(exit_code "$coordinator")" = 0 ] \
        || fail "the kube coordinator exited with $(exit_code "$coordinator"): $(tail -5 "$work/kube-coordinator.log")"
    local worker
    for worker in aesweep-worker-1-worker aesweep-worker-2-worker; do
        wait_for 60 "$worker's exit after the sweep" "! is_running $worker"
        [ "$(exit_code "$worker")" = 0 ] || fail "$worker exited with $(exit_code "$worker"): $(podman logs --tail 5 "$worker" 2>&1)"
    done
    python3 "$repo/docker/test/store.py" all-done-once "$store" 6 || fail "the kube topology's store"
    [ -s "$runs_dir/container-topology/report.html" ] || fail "no report.html from the kube topology"
    echo "container-test: figure: kube_every_trial_done_once=yes" >> "$work/figures"
    step "kube: every trial done exactly once; coordinator and both workers exited 0"
    local anonymous
    anonymous=$(anonymous_volumes_of "$coordinator" aesweep-worker-1-worker aesweep-worker-2-worker)
    within 120 "podman kube down" podman kube down "$variant" > /dev/null 2>&1
    podman volume rm -f aesweep-runs $anonymous >/dev/null
}
