#!/usr/bin/env bash
# Build and run the examples of "Using quorumsim as a dependency" (README) the way a user
# would, and print one line per step (`PASS name` / `FAIL name: why`), then
# `examples: N passed, N failed`. Exit status 0 only if every step passed.
#
#   bazel-consumer       examples/bazel-consumer: its own workspace, `bazel test //...`
#   install              tools/install.sh --prefix <temporary directory>
#   make quorum_status   examples/make-client via pkg-config, run on a simulated cluster
#   make split_check     the same Makefile's C++ program (quorumsim.pc)
#   cmake quorum_status  examples/cmake-client via pkg_check_modules, run likewise
#
# The make and CMake builds run in a temporary directory, so the source tree stays clean.
# The consumer workspace has its own Bazel server and output base (it builds the few
# quorumsim targets it uses once, then its cache serves later runs); the server exits after
# a minute of idleness.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
root=$PWD

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); }

# Runs a client built against the install tree on the example cluster, with only the
# QUORUMSIM_* variables, and compares its output with the expected one. It must load the
# installed library (not corosync's from /usr/lib); the expected output names node 13 of a
# cluster no corosync runs, which only the simulator can answer.
run_client() {  # NAME BINARY
    local name=$1 binary=$2
    local lib
    lib=$(env -u LD_LIBRARY_PATH ldd "$binary" | awk '/libvotequorum.so.8/ {print $3}')
    if [ "$lib" != "$tmp/prefix/lib/libvotequorum.so.8" ]; then
        fail "$name" "loads libvotequorum.so.8 from '${lib:-nowhere}'"
        return
    fi
    if env -u LD_LIBRARY_PATH QUORUMSIM_CONF="$root/examples/client/cluster.conf" \
            QUORUMSIM_NODEID=13 "$binary" > "$tmp/$name.out" 2>&1 &&
        diff -u "$root/examples/client/expected.out" "$tmp/$name.out"; then
        pass "$name"
    else
        fail "$name" "output differs from examples/client/expected.out"
    fi
}

echo "=== examples: bazel-consumer ===" >&2
if (cd examples/bazel-consumer && bazel --max_idle_secs=60 test --noshow_progress \
        --test_output=errors //...) >&2; then
    pass bazel-consumer
else
    fail bazel-consumer "bazel test //... failed in examples/bazel-consumer"
fi

echo "=== examples: install, make, cmake ===" >&2
if ! tools/install.sh --prefix "$tmp/prefix" >&2; then
    fail install "tools/install.sh failed"
    for step in "make quorum_status" "make split_check" "cmake quorum_status"; do
        fail "$step" "nothing installed"
    done
else
    pass install
    export PKG_CONFIG_PATH="$tmp/prefix/lib/pkgconfig"
    cp -r examples/client examples/make-client "$tmp/"
    if make -C "$tmp/make-client" quorum_status >&2; then
        run_client "make quorum_status" "$tmp/make-client/quorum_status"
    else
        fail "make quorum_status" "build failed"
    fi
    if make -C "$tmp/make-client" split_check >&2 &&
        (cd "$tmp/make-client" && env -u LD_LIBRARY_PATH ./split_check) > "$tmp/split.out" &&
        diff -u examples/make-client/split_check.expected "$tmp/split.out"; then
        pass "make split_check"
    else
        fail "make split_check" "build failed or output differs from split_check.expected"
    fi
    if cmake -S examples/cmake-client -B "$tmp/cmake-build" >&2 &&
        cmake --build "$tmp/cmake-build" >&2; then
        run_client "cmake quorum_status" "$tmp/cmake-build/quorum_status"
    else
        fail "cmake quorum_status" "configure or build failed"
    fi
fi

echo "examples: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
