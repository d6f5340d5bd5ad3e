#!/bin/sh
# aesweep's container entrypoint: turns environment variables into aesweep's flags, so that an
# orchestrator can configure a coordinator or a worker without long command lines, then execs aesweep
# (which replaces this shell, so that SIGTERM reaches it). Works outside a container just as well.
#
# Usage:
#   entrypoint.sh coordinator [SPEC] [FLAG…]   aesweep coordinator
#   entrypoint.sh worker [FLAG…]               aesweep worker
#   entrypoint.sh sweep [SPEC] [FLAG…]         aesweep sweep: a coordinator and local workers in one place
#   entrypoint.sh report [RUN_DIR] [FLAG…]     aesweep report
#   entrypoint.sh status [FLAG…]               aesweep status: exits 1 when no coordinator answers
#   entrypoint.sh help                         this text, then aesweep --help
#   entrypoint.sh aesweep ARGUMENT…            aesweep ARGUMENT… as given; so is any other subcommand
# Arguments given on the command line come after the flags made from the environment, and win.
#
# Environment (unset or empty means not given; the yes/no ones take 1, true or yes):
#   AESWEEP_BIN           the aesweep binary (default: aesweep on PATH)
#   AESWEEP_SPEC          coordinator, sweep: the spec file, when no SPEC argument is given
#   AESWEEP_BIND          coordinator: --bind (default tcp://0.0.0.0:5555)
#   AESWEEP_CONNECT       worker (required), status: --connect, e.g. tcp://coordinator:5555
#   AESWEEP_RUN_DIR       coordinator, sweep: --run-dir (default runs/<spec name>);
#                         report: the run directory, when no RUN_DIR argument is given
#   AESWEEP_DATA_DIR      coordinator, worker, sweep, report: --data-dir, a dataset root searched before
#                         $AESWEEP_DATA (read by aesweep itself), the user cache and /usr/share/datasets
#   AESWEEP_WORKER_NAME   worker: --name (default: the host name; set it when a host runs several)
#   AESWEEP_KEEP_ALIVE    worker: yes → --keep-alive, stay and serve the next sweep
#   AESWEEP_WORKERS       sweep: --workers (default: one per core)
#   AESWEEP_LOG_FORMAT    coordinator, worker, sweep: --log-format plain|json
#   AESWEEP_LOG_LEVEL     coordinator, worker, sweep: --log-level trace|debug|info|notice|warning|error|critical
#   AESWEEP_INSECURE      coordinator: yes → --insecure, a non-loopback address without keys
#   AESWEEP_KEYS_DIR      a directory of CURVE key files as `aesweep keys generate NAME` names them:
#                           coordinator.key_secret  coordinator: --secret-key
#                           authorized/             coordinator: --authorized-keys (the *.key let in)
#                           worker.key_secret       worker, status: --key
#                           coordinator.key         worker, status: --coordinator-key
#                         Without it, and without the four below, connections are plain.
#   AESWEEP_SECRET_KEY, AESWEEP_AUTHORIZED_KEYS, AESWEEP_KEY, AESWEEP_COORDINATOR_KEY
#                         one of those four paths, overriding AESWEEP_KEYS_DIR's
#
# Exit status: aesweep's (`aesweep worker --help` lists the worker's); 64 when this script is misused.
set -eu

aesweep=${AESWEEP_BIN:-aesweep}

usage() {
    echo "entrypoint.sh: $*" >&2
    echo "usage: entrypoint.sh coordinator|worker|sweep|report|status|help|aesweep [ARGUMENT…]" >&2
    exit 64
}

is_yes() {
    case ${1:-} in
        1 | [Tt][Rr][Uu][Ee] | [Yy][Ee][Ss]) return 0 ;;
        *) return 1 ;;
    esac
}

keys_dir=${AESWEEP_KEYS_DIR:-}
keys_dir=${keys_dir%/}
secret_key=${AESWEEP_SECRET_KEY:-${keys_dir:+$keys_dir/coordinator.key_secret}}
authorized_keys=${AESWEEP_AUTHORIZED_KEYS:-${keys_dir:+$keys_dir/authorized}}
client_key=${AESWEEP_KEY:-${keys_dir:+$keys_dir/worker.key_secret}}
coordinator_key=${AESWEEP_COORDINATOR_KEY:-${keys_dir:+$keys_dir/coordinator.key}}

command=${1:-help}
[ $# -gt 0 ] && shift

case $command in
    help | -h | --help)
        sed -n '2,/^set -eu$/p' "$0" | sed '$d; s/^# \{0,1\}//'
        echo
        exec "$aesweep" --help
        ;;
    aesweep)
        exec "$aesweep" "$@"
        ;;
    coordinator | worker | sweep | report | status) ;;
    *)
        exec "$aesweep" "$command" "$@"
        ;;
esac

# The arguments given stay first in "$@" while the flags from the environment are appended after them;
# the loop at the end then moves them behind those flags, where they win over them.
given=$#
first_given=${1-}
gives_operand() { [ "$given" -gt 0 ] && case $first_given in -*) false ;; *) true ;; esac; }

set -- "$@" "$command"
case $command in
    coordinator)
        set -- "$@" --bind "${AESWEEP_BIND:-tcp://0.0.0.0:5555}"
        [ -n "$secret_key" ] && set -- "$@" --secret-key "$secret_key"
        [ -n "$authorized_keys" ] && set -- "$@" --authorized-keys "$authorized_keys"
        is_yes "${AESWEEP_INSECURE:-}" && set -- "$@" --insecure
        ;;
    worker)
        [ -n "${AESWEEP_CONNECT:-}" ] && set -- "$@" --connect "$AESWEEP_CONNECT"
        set -- "$@" --name "${AESWEEP_WORKER_NAME:-$(uname -n)}"
        [ -n "$client_key" ] && set -- "$@" --key "$client_key"
        [ -n "$coordinator_key" ] && set -- "$@" --coordinator-key "$coordinator_key"
        is_yes "${AESWEEP_KEEP_ALIVE:-}" && set -- "$@" --keep-alive
        ;;
    sweep)
        [ -n "${AESWEEP_WORKERS:-}" ] && set -- "$@" --workers "$AESWEEP_WORKERS"
        ;;
    status)
        [ -n "${AESWEEP_CONNECT:-}" ] && set -- "$@" --connect "$AESWEEP_CONNECT"
        [ -n "$client_key" ] && set -- "$@" --key "$client_key"
        [ -n "$coordinator_key" ] && set -- "$@" --coordinator-key "$coordinator_key"
        ;;
esac
case $command in
    coordinator | sweep)
        [ -n "${AESWEEP_RUN_DIR:-}" ] && set -- "$@" --run-dir "$AESWEEP_RUN_DIR"
        ;;
esac
case $command in
    coordinator | worker | sweep)
        [ -n "${AESWEEP_LOG_FORMAT:-}" ] && set -- "$@" --log-format "$AESWEEP_LOG_FORMAT"
        [ -n "${AESWEEP_LOG_LEVEL:-}" ] && set -- "$@" --log-level "$AESWEEP_LOG_LEVEL"
        ;;
esac
case $command in
    coordinator | worker | sweep | report)
        [ -n "${AESWEEP_DATA_DIR:-}" ] && set -- "$@" --data-dir "$AESWEEP_DATA_DIR"
        ;;
esac
case $command in
    coordinator | sweep)
        if ! gives_operand; then
            [ -n "${AESWEEP_SPEC:-}" ] || usage "$command needs a spec: give SPEC or set AESWEEP_SPEC"
            set -- "$@" "$AESWEEP_SPEC"
        fi
        ;;
    report)
        if ! gives_operand; then
            [ -n "${AESWEEP_RUN_DIR:-}" ] || usage "report needs a run directory: give RUN_DIR or set AESWEEP_RUN_DIR"
            set -- "$@" "$AESWEEP_RUN_DIR"
        fi
        ;;
esac

while [ "$given" -gt 0 ]; do
    set -- "$@" "$1"
    shift
    given=$((given - 1))
done
exec "$aesweep" "$@"
