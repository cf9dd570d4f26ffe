#!/bin/bash
# Builds tests/api/client.c exactly as a corosync user would
#   cc -I api/include client.c libvotequorum.so.8
# runs it with LD_LIBRARY_PATH pointing at quorumsim's libvotequorum.so.8 and
# QUORUMSIM_CONF / QUORUMSIM_NODEID / QUORUMSIM_SCENARIO / QUORUMSIM_SPEED, and compares
# its output with the expected files.
# Usage: client_test.sh CLIENT_C LIBVOTEQUORUM_SO VOTEQUORUM_H CONF SCENARIO EXPECTED_ALL EXPECTED_BLOCKING
set -uo pipefail
client_c=$(readlink -f "$1")
lib=$(readlink -f "$2")
include=$(dirname "$(dirname "$(readlink -f "$3")")")
conf=$(readlink -f "$4")
scenario=$(readlink -f "$5")
expected_all=$(readlink -f "$6")
expected_blocking=$(readlink -f "$7")
work=$(mktemp -d "${TEST_TMPDIR:-/tmp}/client.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The library under a sanitizer build needs the sanitizer runtime in the client too.
extra=()
if readelf -d "$lib" | grep -q libasan; then extra=(-fsanitize=address,undefined); fi
if readelf -d "$lib" | grep -q libtsan; then extra=(-fsanitize=thread); fi
mkdir -p "$work/lib" && cp "$lib" "$work/lib/libvotequorum.so.8"
${CC:-cc} -std=c11 -Wall -Wextra -Werror "${extra[@]}" -I "$include" -o "$work/client" \
  "$client_c" "$work/lib/libvotequorum.so.8" || { echo "FAIL: client does not build"; exit 1; }
# The binary records only the soname: which library it gets is LD_LIBRARY_PATH's choice.
readelf -d "$work/client" | grep -q 'NEEDED.*\[libvotequorum.so.8\]' || { echo "FAIL: soname"; exit 1; }

status=0
run() {  # NAME EXPECTED ENV... -- ARGS...
  local name=$1 expected=$2; shift 2
  local envs=()
  while [ "$1" != "--" ]; do envs+=("$1"); shift; done
  shift
  env -u QUORUMSIM_BACKEND LD_LIBRARY_PATH="$work/lib" "${envs[@]}" "$work/client" "$@" \
    > "$work/$name.out" 2> "$work/$name.err"
  echo "--- $name (exit $?)"; cat "$work/$name.out"
  if [ -s "$work/$name.err" ]; then echo "--- $name stderr"; cat "$work/$name.err"; fi
  if ! diff -u "$expected" "$work/$name.out"; then echo "FAIL: $name differs"; status=1; fi
}
run all "$expected_all" QUORUMSIM_CONF="$conf" -- 
run blocking "$expected_blocking" QUORUMSIM_CONF="$conf" QUORUMSIM_NODEID=3 \
  QUORUMSIM_SCENARIO="$scenario" QUORUMSIM_SPEED=2 -- blocking
# Without QUORUMSIM_CONF there is no cluster: initialize fails like without corosync.
env -u QUORUMSIM_CONF -u QUORUMSIM_BACKEND LD_LIBRARY_PATH="$work/lib" "$work/client" > "$work/none.out" 2>&1
if ! grep -q "votequorum_initialize: CS_ERR_LIBRARY" "$work/none.out"; then
  echo "FAIL: without configuration initialize should fail"; cat "$work/none.out"; status=1
fi
# Bad environment: initialize fails (CS_ERR_LIBRARY, as without a daemon) after one clear
# message on stderr, instead of wrapping the id or reading /dev/zero until memory runs out.
bad_env() {  # NAME EXPECTED_STDERR_TEXT ENV...
  local name=$1 want=$2; shift 2
  env -u QUORUMSIM_BACKEND -u QUORUMSIM_SCENARIO LD_LIBRARY_PATH="$work/lib" "$@" \
    "$work/client" > "$work/$name.out" 2> "$work/$name.err"
  if ! grep -q "votequorum_initialize: CS_ERR_LIBRARY" "$work/$name.out" ||
     ! grep -qF "$want" "$work/$name.err"; then
    echo "FAIL: $name: expected CS_ERR_LIBRARY and '$want' on stderr"
    cat "$work/$name.out" "$work/$name.err"; status=1
  fi
}
bad_env nodeid_wraps "QUORUMSIM_NODEID='4294967297' is not a node id" \
  QUORUMSIM_CONF="$conf" QUORUMSIM_NODEID=4294967297
bad_env nodeid_negative "QUORUMSIM_NODEID='-1' is not a node id" \
  QUORUMSIM_CONF="$conf" QUORUMSIM_NODEID=-1
bad_env nodeid_blank "QUORUMSIM_NODEID=' 1' is not a node id" \
  QUORUMSIM_CONF="$conf" "QUORUMSIM_NODEID= 1"
bad_env nodeid_text "QUORUMSIM_NODEID='two' is not a node id" \
  QUORUMSIM_CONF="$conf" QUORUMSIM_NODEID=two
bad_env nodeid_absent "QUORUMSIM_NODEID=9 is not a node of" QUORUMSIM_CONF="$conf" QUORUMSIM_NODEID=9
bad_env conf_dev_zero "'/dev/zero' is larger than 1048576 bytes" QUORUMSIM_CONF=/dev/zero
bad_env conf_directory "cannot read corosync.conf '/': Is a directory" QUORUMSIM_CONF=/
[ $status -eq 0 ] && echo PASS
exit $status
