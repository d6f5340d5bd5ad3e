# aesweep: `make run` trains the default model, `make test` runs the test suite.
# Both install the system packages they need first (scripts/install-dependencies.sh).

SWIFT ?= swift
# Tests build in release mode: the numeric tests train real models and would take minutes in debug.
TEST_FLAGS = -c release -Xswiftc -enable-testing
# Benchmarks and the user-facing binary build in a folder of their own, so that switching between
# `make test` and `make run` does not rebuild everything.
RELEASE_FLAGS = -c release --scratch-path .build-release
BINARY = .build-release/release/aesweep

.PHONY: setup build run train test bench bench-sweep bench-scale bench-early-stopping bench-search reference image container-test container-smoke clean

setup:
	./scripts/install-dependencies.sh

build: setup
	$(SWIFT) build $(RELEASE_FLAGS)

## The main job: the quickstart sweep on Fashion-MNIST (Debian's package, no internet needed).
run: build
	$(BINARY) sweep sweeps/quickstart.yaml

## One denoising autoencoder, no sweep.
train: build
	$(BINARY) train

test: setup
	$(SWIFT) build $(TEST_FLAGS) --build-tests
	$(SWIFT) test $(TEST_FLAGS) --skip-build

## Training throughput against BLAS, as the environment is and with OPENBLAS_CORETYPE unset and forced.
bench: build
	$(BINARY) bench train $(BENCH_FLAGS)
	env -u OPENBLAS_CORETYPE $(BINARY) bench train $(BENCH_FLAGS)
	OPENBLAS_CORETYPE=Haswell $(BINARY) bench train $(BENCH_FLAGS)

## The coordinator's own overhead with simulated workers, and the quickstart's wall time with 1 and 2 workers.
bench-sweep: build
	$(BINARY) bench sweep
	$(BINARY) sweep sweeps/quickstart.yaml --workers 1 --run-dir runs/bench-quickstart-1 --fresh
	$(BINARY) sweep sweeps/quickstart.yaml --workers 2 --run-dir runs/bench-quickstart-2 --fresh

## The coordinator at scale (a few minutes): 1,000 simulated workers in one process heartbeating every second
## over 20,000 trials (answered at once, taking 1 s ± 50 % each, and with the live view open), 100,000
## trials through one store, and a coordinator killed with SIGKILL at 50,000 of them and restarted; then
## rank and export on that store.
bench-scale: build
	$(BINARY) bench sweep --trials 20000 --workers 1000 --one-process
	$(BINARY) bench sweep --trials 20000 --workers 1000 --one-process --simulated-epoch-seconds 1 --simulated-epoch-spread 0.5
	$(BINARY) bench dashboard --trials 20000 --epochs 1 --workers 1000 --one-process --clients 1 --stalled 0
	$(BINARY) bench sweep --trials 100000 --workers 16 --one-process
	$(BINARY) bench sweep --trials 100000 --workers 16 --restart-at 50000

## sweeps/bench-early-stopping.yaml with and without ASHA, in one run (about 15 minutes on 2 cores;
## needs MNIST: `aesweep data fetch mnist` or DATA_DIR=path/to/data).
bench-early-stopping: build
	$(BINARY) bench early-stopping $(if $(DATA_DIR),--data-dir $(DATA_DIR))

## sweeps/bench-search.yaml searched by grid, random, Sobol', ASHA and TPE, 3 times each, against the
## grid's best (about 15 minutes on 2 cores; needs MNIST, as above).
bench-search: build
	$(BINARY) bench search $(if $(DATA_DIR),--data-dir $(DATA_DIR))

## The training core against the PyTorch reference figures (needs MNIST: `aesweep data fetch mnist`
## or DATA_DIR=path/to/data).
reference: build
	$(BINARY) bench reference $(if $(DATA_DIR),--data-dir $(DATA_DIR))

## The image aesweep:latest from docker/Dockerfile, with docker if there is one, else podman.
ENGINE ?= $(shell command -v docker >/dev/null 2>&1 && echo docker || echo podman)
image:
	$(ENGINE) build -f docker/Dockerfile -t aesweep:latest .

## The container test, as root, with podman and no registry: builds the image from this checkout, runs the
## quickstart in it, the compose topology and the Kubernetes manifests (docker/test/container-test.sh).
## On success it records the hash of its inputs in docker/test/passed-inputs.sha256 (commit it), which
## tells CI's smoke that it has nothing new to check.
container-test:
	./scripts/install-dependencies.sh --containers
	docker/test/container-test.sh
	docker/test/inputs-hash.sh > docker/test/passed-inputs.sha256

## CI's smoke: the image's prebuilt target around the binary `make test` built, the quickstart in it and
## the compose topology (no Kubernetes, no image build from source).
container-smoke:
	./scripts/install-dependencies.sh --containers
	docker/test/container-test.sh --prebuilt .build/release/aesweep

clean:
	rm -rf .build .build-release .build-containers
