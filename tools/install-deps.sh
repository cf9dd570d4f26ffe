#!/bin/sh
# Install the Debian 12 packages quorumsim needs to build, test and compare against corosync
# (make, cmake and pkg-config build the examples against an install tree).
# Idempotent: prints nothing and touches nothing when every package is already installed.
# Runs apt-get (and apt-get update) only when something is missing; uses sudo only when not root.
set -eu

PACKAGES="bazel-bootstrap g++ python3 librapidcheck-dev libgtest-dev libbenchmark-dev \
corosync libvotequorum-dev libquorum-dev libcmap-dev libcfg-dev corosync-vqsim iproute2 util-linux libtsan2 clang-14 libclang-rt-14-dev make \
cmake pkg-config"

missing=""
for pkg in $PACKAGES; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
    if [ "$status" != "installed" ]; then
        missing="$missing $pkg"
    fi
done

[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "install-deps: missing packages:$missing" >&2
    echo "install-deps: not root and sudo is not available; install them as root" >&2
    exit 1
fi

echo "install-deps: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
# Packages like corosync try to start their service on install; that is harmless but noisy.
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
# shellcheck disable=SC2086
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >&2
