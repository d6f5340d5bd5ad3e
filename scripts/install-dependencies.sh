#!/usr/bin/env bash
# Installs the Debian packages aesweep needs to build, test and run. Safe to run again: packages already
# installed are skipped, and nothing is fetched when everything is there. Uses sudo only when not root.
set -euo pipefail

#
# --build-only leaves out what only the tests need (iproute2, chromium, tmux): the image's build stage uses it.
# --containers adds what the container test needs (make container-test, make container-smoke): podman with
# runc, debootstrap for its base images, python3-yaml for its Kubernetes variant.
build_only=false
containers=false
for argument in "$@"; do
    case "$argument" in
        --build-only) build_only=true ;;
        --containers) containers=true ;;
        *) echo "usage: $0 [--build-only] [--containers]" >&2; exit 64 ;;
    esac
done

packages=(
    pkg-config
    libopenblas-dev        # BLAS (CBLAS bridge)
    libdnnl-dev            # oneDNN: the conv families' convolutions, pooling, upsampling (CDNNL bridge)
    zlib1g-dev             # gzip'd IDX files (CZlib bridge)
    libpng-dev             # image folders and report images (CPNG bridge)
    libzmq3-dev            # ZeroMQ transport (CZeroMQ bridge)
    libsqlite3-dev         # the sweep store (GRDB)
    dataset-fashion-mnist  # Fashion-MNIST under /usr/share/datasets, for the offline default run
)
if [ "$build_only" = false ]; then
    packages+=(
        iproute2           # network namespaces for the multi-host tests (tests only)
        chromium           # headless browser that opens the HTML report in a test (tests only)
        tmux               # an 80-column pseudo-terminal for the progress display's test (tests only)
    )
fi

if [ "$containers" = true ]; then
    packages+=(
        podman             # the engine of the container test (Debian 12: 4.3)
        netavark           # its network backend, and the DNS that lets a worker reach `coordinator` by name:
        aardvark-dns       # only recommended by podman, so a machine installing without recommends lacks them
        catatonit          # the pause process of a pod (`podman kube play`), also only recommended
        iptables           # the firewall rules netavark sets up for every network: without it, any
                           # container with a network fails ('netavark: No such file or directory')
        runc               # its runtime there (crun refuses some hosts' cgroup layouts)
        debootstrap        # the test's base images, made locally: no registry needed
        python3-yaml       # the test's playable variant of docker/k8s/
    )
fi

missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    echo "installing: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! command -v swift >/dev/null 2>&1; then
    echo "error: no Swift toolchain on PATH; aesweep needs Swift 6 (https://www.swift.org/install/)" >&2
    exit 1
fi
