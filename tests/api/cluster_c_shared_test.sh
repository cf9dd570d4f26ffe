#!/bin/bash
# Builds tests/api/cluster_c_test.c the way a C user would,
#   cc -I api/include cluster_c_test.c libvotequorum.so.8
# so the quorumsim_cluster_* symbols must be exported by the shared library, and runs it.
# Usage: cluster_c_shared_test.sh TEST_C LIBVOTEQUORUM_SO CLUSTER_H CONF
set -uo pipefail
test_c=$(readlink -f "$1")
lib=$(readlink -f "$2")
include=$(dirname "$(dirname "$(readlink -f "$3")")")
conf=$(readlink -f "$4")
work=$(mktemp -d "${TEST_TMPDIR:-/tmp}/cluster_c.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The library under a sanitizer build needs the sanitizer runtime in the program too.
extra=()
if readelf -d "$lib" | grep -q libasan; then extra=(-fsanitize=address,undefined); fi
if readelf -d "$lib" | grep -q libtsan; then extra=(-fsanitize=thread); fi
mkdir -p "$work/lib" && cp "$lib" "$work/lib/libvotequorum.so.8"
${CC:-cc} -std=c11 -Wall -Wextra -Werror "${extra[@]}" -I "$include" -pthread -o "$work/cluster_c_test" \
  "$test_c" "$work/lib/libvotequorum.so.8" || { echo "FAIL: does not build against the .so"; exit 1; }
env -u QUORUMSIM_CONF -u QUORUMSIM_BACKEND LD_LIBRARY_PATH="$work/lib" "$work/cluster_c_test" "$conf"
