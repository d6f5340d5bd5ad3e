#!/usr/bin/env bash
# The hash of what the container test checks beyond the Swift sources: the files of docker/ (but this
# folder's record of it), scripts/, Package.swift and .dockerignore as they are in the working tree (the
# ones git tracks or would). `make container-test` records it when it passes; .ci/run runs the container
# smoke only when it differs.
set -euo pipefail
cd "$(dirname "$0")/../.."
git ls-files --cached --others --exclude-standard -- docker scripts Package.swift .dockerignore \
    | grep -v '^docker/test/passed-inputs\.sha256$' | LC_ALL=C sort -u \
    | while read -r path; do if [ -f "$path" ]; then printf '%s %s\n' "$(git hash-object -- "$path")" "$path"; fi; done \
    | git hash-object --stdin
