# The container test's stand-in for swift:6.3-bookworm where no registry is reachable: Debian 12 with the
# packages the official image installs for its toolchain. The toolchain itself is not copied: the test
# mounts it read-only at TOOLCHAIN (the same path as on the host) into every build step.
ARG BASE_IMAGE=debian:bookworm-slim
FROM ${BASE_IMAGE}
ARG TOOLCHAIN=/opt/swift
RUN apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        binutils ca-certificates git gnupg2 libc6-dev libcurl4-openssl-dev libedit2 libgcc-12-dev \
        libpython3-dev libsqlite3-0 libstdc++-12-dev libxml2-dev libncurses-dev libz3-dev pkg-config \
        tzdata unzip zlib1g-dev \
    && rm -rf /var/lib/apt/lists/*
ENV PATH=${TOOLCHAIN}/usr/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
