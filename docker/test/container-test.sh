#!/usr/bin/env bash
# The container test: builds aesweep's image with podman and runs sweeps in it the ways docker/ describes.
#
#   docker/test/container-test.sh              the full test (`make container-test`): the image built by
#                                              docker/Dockerfile from the checkout, the quickstart in one
#                                              container, the compose topology, the Kubernetes manifests
#   docker/test/container-test.sh --prebuilt BINARY
#                                              CI's smoke: the Dockerfile's `prebuilt` target around a binary
#                                              already built (`swift build -c release`), the quickstart, the
#                                              compose topology
#
# Needs root and podman, runc, debootstrap, python3-yaml (scripts/install-dependencies.sh --containers).
# No image registry is used: the base images are made with debootstrap and cached in $AESWEEP_CONTAINER_CACHE
# (default .build-containers/, git-ignored); the full build mounts the local Swift toolchain and the package
# mirror that git's system configuration points to, read-only, in place of swift:6.3-bookworm and GitHub.
# Every wait is bounded; any failure stops the test with a message naming what failed (exit 1).
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)

prebuilt=""
while [ $# -gt 0 ]; do
    case $1 in
        --prebuilt)
            [ $# -ge 2 ] || { echo "usage: $0 [--prebuilt BINARY]" >&2; exit 64; }
            prebuilt=$2
            shift 2
            ;;
        *) echo "usage: $0 [--prebuilt BINARY]" >&2; exit 64 ;;
    esac
done
if [ -n "$prebuilt" ] && [ ! -x "$prebuilt" ]; then
    echo "container-test: $prebuilt is not an executable file (build it first, e.g. make test)" >&2
    exit 64
fi
[ -z "$prebuilt" ] || prebuilt=$(realpath "$prebuilt")
cd "$repo"

# The containers whose last log lines a failure shows (the topologies add theirs).
watched_containers=()
fail() {
    echo "container-test: FAILED: $*" >&2
    local container
    for container in "${watched_containers[@]}"; do
        echo "--- $container ($(podman inspect --format '{{.State.Status}}, exit {{.State.ExitCode}}, {{.RestartCount}} restarts' "$container" 2>/dev/null || echo gone)), its last log lines:" >&2
        podman logs "$container" 2>&1 | tail -5 | sed 's/^/    /' >&2 || true
    done
    exit 1
}
step() { echo "container-test: $(date -u +%T) $*"; }

if [ "$(id -u)" -ne 0 ]; then
    # Rootful podman (rootless needs subordinate ids and a user session set up).
    command -v sudo >/dev/null || fail "run as root (podman runs rootful here), or install sudo"
    exec sudo --preserve-env=AESWEEP_CONTAINER_CACHE,AESWEEP_CONTAINER_KEEP,AESWEEP_DEBIAN_MIRROR "$0" ${prebuilt:+--prebuilt "$prebuilt"}
fi
for tool in podman runc debootstrap python3; do
    command -v "$tool" >/dev/null || fail "$tool is missing: ./scripts/install-dependencies.sh --containers"
done
python3 -c 'import yaml' 2>/dev/null || fail "python3-yaml is missing: ./scripts/install-dependencies.sh --containers"

cache=${AESWEEP_CONTAINER_CACHE:-$repo/.build-containers}
mkdir -p "$cache"
cache=$(cd "$cache" && pwd)
# This sandbox's engine settings: runc (crun refuses a hybrid cgroup layout) and no default ulimits
# (setrlimit is not permitted). Harmless elsewhere.
# netavark, not CNI (which podman keeps using when a CNI configuration is left on the machine): without its
# aardvark-dns, containers on a network cannot find each other by name.
# runc is named here too, for the podman that `timeout` runs (the function below does not reach it).
printf '[containers]\ndefault_ulimits = []\n\n[engine]\nruntime = "runc"\n\n[network]\nnetwork_backend = "netavark"\n' \
    > "$cache/containers.conf"
export CONTAINERS_CONF=$cache/containers.conf
podman() { command podman --runtime runc "$@"; }

# Everything this run creates is named after it, and removed at exit unless AESWEEP_CONTAINER_KEEP=1.
run_id=aesweep-test-$$
kube_played=""     # set by kube.sh once its pods exist

# The anonymous volumes (the image's VOLUMEs nothing was mounted on) of the containers given.
anonymous_volumes_of() {
    [ $# -gt 0 ] || return 0
    podman inspect --format '{{range .Mounts}}{{.Name}} {{end}}' "$@" 2>/dev/null | tr ' ' '\n' | grep -E '^[0-9a-f]{64}$' || true
}
work=$(mktemp -d "$cache/run.XXXXXX")
cleanup() {
    local status=$?
    if [ "${AESWEEP_CONTAINER_KEEP:-}" = 1 ]; then
        echo "container-test: kept $work and the containers named $run_id-*"
        exit $status
    fi
    # Only what this run made: its kube pods exist only while it plays them (it refuses to start otherwise).
    local pods="" containers anonymous=""
    [ -z "$kube_played" ] || pods=$(podman pod ls --format '{{.Name}}' 2>/dev/null | grep "^aesweep-coordinator$\|^aesweep-worker-[12]$" || true)
    containers=$(podman ps -a --format '{{.Names}}' 2>/dev/null | grep "^$run_id-" || true)
    [ -z "$pods$containers" ] || anonymous=$(anonymous_volumes_of $containers \
        $(for pod in $pods; do podman pod inspect --format '{{range .Containers}}{{.Name}} {{end}}' "$pod"; done) 2>/dev/null)
    [ -z "$pods" ] || podman pod rm -f -t 0 $pods >/dev/null 2>&1 || true
    [ -z "$containers" ] || podman rm -f -v -t 0 $containers >/dev/null 2>&1 || true
    [ -z "$anonymous" ] || podman volume rm -f $anonymous >/dev/null 2>&1 || true
    podman volume ls --format '{{.Name}}' 2>/dev/null | grep "^$run_id-${kube_played:+\\|^aesweep-runs\$}" \
        | xargs -r podman volume rm -f >/dev/null 2>&1 || true
    podman network rm -f "$run_id" >/dev/null 2>&1 || true
    podman rmi -f "localhost/aesweep-test/aesweep:$run_id" >/dev/null 2>&1 || true
    rm -rf "$work"
    exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Runs a command with a deadline, failing the test with WHAT when it overruns or fails.
within() {
    local seconds=$1 what=$2
    shift 2
    timeout --kill-after=10 "$seconds" "$@" || {
        local status=$?
        [ $status -eq 124 ] && fail "$what: no result within ${seconds} s"
        fail "$what: exit status $status"
    }
}

# As within, with the command's output in LOG, whose end is shown when it fails.
within_logged() {
    local log=$1 seconds=$2 what=$3
    shift 3
    local status=0
    timeout --kill-after=10 "$seconds" "$@" > "$log" 2>&1 || status=$?
    [ $status -eq 0 ] && return 0
    tail -30 "$log" >&2
    [ $status -eq 124 ] && fail "$what: no result within ${seconds} s (its log: $log)"
    fail "$what: exit status $status (its log: $log)"
}

# Polls CONDITION (a shell command) every second for at most SECONDS; fails with WHAT if it never holds.
wait_for() {
    local seconds=$1 what=$2 condition=$3
    local deadline=$((SECONDS + seconds))
    until eval "$condition"; do
        [ $SECONDS -lt $deadline ] || fail "$what: not within ${seconds} s"
        sleep 1
    done
}

# SQL over a store, read-only, from the host.
store_query() { python3 "$repo/docker/test/store.py" query "$1" "$2"; }

# --- Base images ------------------------------------------------------------------------------------------
debian_image=localhost/aesweep-test/debian:bookworm-slim
swift_image=localhost/aesweep-test/swift:6.3-bookworm

if ! podman image exists "$debian_image"; then
    rootfs=$cache/rootfs-bookworm
    if [ ! -f "$rootfs/.complete" ]; then
        step "debootstrap: Debian 12 minbase into $rootfs"
        rm -rf "$rootfs"
        within 900 "debootstrap" debootstrap --variant=minbase bookworm "$rootfs" \
            "${AESWEEP_DEBIAN_MIRROR:-http://deb.debian.org/debian}" > "$cache/debootstrap.log" 2>&1
        touch "$rootfs/.complete"
    fi
    step "importing $debian_image"
    tar -C "$rootfs" --exclude=./.complete -c . | podman import - "$debian_image" >/dev/null
fi

# --- The image ----------------------------------------------------------------------------------------------
image=localhost/aesweep-test/aesweep:$run_id
build_log=$work/build.log
build_start=$SECONDS
if [ -n "$prebuilt" ]; then
    # The binary with the Swift runtime libraries it links (they live in the toolchain).
    context=$work/prebuilt
    mkdir -p "$context/lib"
    cp "$prebuilt" "$context/aesweep"
    ldd "$prebuilt" | awk '/=> \// { print $3 }' | while read -r library; do
        case $library in
            */swift/*) cp "$library" "$context/lib/" ;;
        esac
    done
    step "building the image's prebuilt target around $prebuilt"
    within_logged "$build_log" 900 "podman build --target prebuilt" podman build --network host \
        -f docker/Dockerfile --target prebuilt --build-context "aesweep-binary=$context" \
        --build-arg "RUNTIME_IMAGE=$debian_image" -t "$image" .
else
    # A stand-in for swift:6.3-bookworm: Debian with the packages the toolchain needs, the toolchain and the
    # package mirror mounted at build time.
    swift=$(readlink -f "$(command -v swift)") || fail "no swift on PATH"
    toolchain=$(dirname "$(dirname "$(dirname "$swift")")")        # …/usr/bin/swift(-driver) → …
    [ -d "$toolchain/usr/lib/swift" ] || fail "cannot tell the toolchain's folder from $swift"
    if ! podman image exists "$swift_image"; then
        step "building $swift_image (Debian + the toolchain's packages; the toolchain itself is mounted)"
        within_logged "$work/swift-base.log" 900 "podman build $swift_image" podman build --network host \
            -f docker/test/swift-base.Dockerfile --build-arg "BASE_IMAGE=$debian_image" \
            --build-arg "TOOLCHAIN=$toolchain" -t "$swift_image" docker/test
    fi
    mounts=(-v "$toolchain:$toolchain:ro")
    # Where git's system configuration sends GitHub's URLs (a local mirror here), with that configuration.
    while read -r mirror; do
        [ -d "$mirror" ] && mounts+=(-v "$mirror:$mirror:ro")
    done < <(git config --system --get-regexp '^url\..*\.insteadof$' 2>/dev/null | awk '{ print $1 }' \
        | sed 's/^url\.//; s/\.insteadof$//' | sort -u)
    [ -f /etc/gitconfig ] && mounts+=(-v /etc/gitconfig:/etc/gitconfig:ro)
    step "building the image from docker/Dockerfile (full build; its log: $build_log)"
    within_logged "$build_log" 3600 "podman build" podman build --network host -f docker/Dockerfile "${mounts[@]}" \
        --build-arg "SWIFT_IMAGE=$swift_image" --build-arg "RUNTIME_IMAGE=$debian_image" -t "$image" .
fi
build_seconds=$((SECONDS - build_start))
image_bytes=$(podman image inspect --format '{{.Size}}' "$image")
step "image built in ${build_seconds} s, $((image_bytes / 1000000)) MB"
echo "container-test: figure: build_seconds=$build_seconds image_mb=$((image_bytes / 1000000))" >> "$work/figures"

# The build context as podman sends it: what .dockerignore keeps out (the test's own cache among them) must
# not be in it.
printf 'FROM %s\nCOPY . /context\nRUN test ! -e /context/.git && test ! -e /context/.build-containers && test -f /context/Package.swift\n' \
    "$debian_image" > "$work/context-check.Dockerfile"
within_logged "$work/context-check.log" 300 "the build context check (does it hold what .dockerignore excludes?)" \
    podman build --network none -f "$work/context-check.Dockerfile" -t "localhost/aesweep-test/context:$run_id" .
podman rmi "localhost/aesweep-test/context:$run_id" >/dev/null

# The image itself: its binary loads (every runtime library present) and the entrypoint answers.
within_logged "$work/version.log" 60 "aesweep --version in the image (the binary and its libraries)" \
    podman run --rm "$image" aesweep --version
podman run --rm "$image" help > "$work/help.txt" 2>&1 || fail "entrypoint help: $(tail -3 "$work/help.txt")"
grep -q AESWEEP_CONNECT "$work/help.txt" || fail "entrypoint help does not list its variables"
[ "$(podman run --rm --entrypoint id "$image" -u)" = 10001 ] || fail "the image's user is not uid 10001"

# --- The quickstart in one container, as uid 10001, its run directory on a volume --------------------------
runs=$work/quickstart-runs
mkdir -p "$runs"
chown 10001:10001 "$runs"
step "aesweep sweep sweeps/quickstart.yaml in one container"
within_logged "$work/quickstart.log" 900 "the quickstart in a container" podman run --rm --network none \
    --user 10001:10001 -v "$runs:/work/runs" "$image" sweep sweeps/quickstart.yaml --workers 2
python3 "$repo/docker/test/store.py" all-done-once "$runs/quickstart/sweep.sqlite" 6 || fail "the quickstart's store"
[ -s "$runs/quickstart/report.html" ] || fail "no report.html in $runs/quickstart"
grep -q "quickstart" "$runs/quickstart/report.html" || fail "report.html does not name the sweep"
step "quickstart: 6 trials done once each; report.html $(stat -c %s "$runs/quickstart/report.html") bytes"

# --- The compose topology, by hand ---------------------------------------------------------------------
# podman-compose 1.0.3 (Debian 12) does not play docker/compose.yaml as written: `up --scale worker=3`
# starts one worker, `depends_on: condition: service_healthy` is not waited for, `stop_grace_period` is
# dropped (`podman stop -t 10`), the top-level `name` is ignored. The same containers are started here by
# hand as compose would start them (docker/test/topology.sh).
source "$repo/docker/test/topology.sh"
run_compose_topology

if [ -z "$prebuilt" ]; then
    source "$repo/docker/test/kube.sh"
    run_kube_topology
fi

step "passed"
cat "$work/figures"
