#!/bin/bash
# Compiles abi_probe.c against quorumsim's headers and against the system's corosync
# headers (Debian's libvotequorum-dev) and requires the same sizes, offsets, constants
# and prototypes. Reports SKIPPED when the system headers are not installed.
# Usage: abi_test.sh PROBE_SOURCE OUR_VOTEQUORUM_H [SERVICES_PROBE_SOURCE]
# (the second probe covers <corosync/quorum.h>, cmap.h and cfg.h; it needs Debian's
# libquorum-dev, libcmap-dev and libcfg-dev).
set -uo pipefail
probe=$(readlink -f "$1")
ours=$(dirname "$(dirname "$(readlink -f "$2")")")  # .../api/include
cc=${CC:-cc}
work=$(mktemp -d "${TEST_TMPDIR:-/tmp}/abi.XXXXXX")
trap 'rm -rf "$work"' EXIT

if [ ! -e /usr/include/corosync/votequorum.h ]; then
  echo "SKIPPED: /usr/include/corosync/votequorum.h is not installed (libvotequorum-dev)"
  if [ -n "${XML_OUTPUT_FILE:-}" ]; then
    printf '<?xml version="1.0"?>\n<testsuites><testsuite name="abi" tests="1" skipped="1"><testcase name="abi_matches_corosync" classname="tests.api.abi"><skipped message="no system headers"/></testcase></testsuite></testsuites>\n' > "$XML_OUTPUT_FILE"
  fi
  exit 0
fi

flags=(-std=c11 -Wall -Wextra -Werror)
# -nostdinc is not used; -I puts quorumsim's directory before /usr/include.
"$cc" "${flags[@]}" -I "$ours" -o "$work/ours" "$probe" || { echo "FAIL: probe does not compile against quorumsim's headers"; exit 1; }
"$cc" "${flags[@]}" -o "$work/system" "$probe" || { echo "FAIL: probe does not compile against the system headers"; exit 1; }
# Make sure each build really used the intended header.
"$cc" "${flags[@]}" -I "$ours" -M "$probe" | grep -q "$ours/corosync/votequorum.h" || { echo "FAIL: ours not used"; exit 1; }
"$cc" "${flags[@]}" -M "$probe" | grep -q "/usr/include/corosync/votequorum.h" || { echo "FAIL: system not used"; exit 1; }
# Also as C++ (extern "C" blocks, no C-only constructs in our headers).
echo '#include <corosync/votequorum.h>
int main() { votequorum_callbacks_t c{}; (void)c; return cs_timestamp_get() == 0; }' > "$work/cxx.cc"
"${CXX:-c++}" -std=c++20 -Wall -Wextra -Werror -I "$ours" -o "$work/cxx" "$work/cxx.cc" || { echo "FAIL: headers do not compile as C++"; exit 1; }

"$work/ours" > "$work/ours.txt"
"$work/system" > "$work/system.txt"
if ! diff -u --label corosync --label quorumsim "$work/system.txt" "$work/ours.txt"; then
  echo "FAIL: ABI differs from corosync's headers"
  exit 1
fi
lines=$(wc -l < "$work/ours.txt")
if [ "$#" -ge 3 ]; then
  services=$(readlink -f "$3")
  for h in quorum cmap cfg; do
    [ -e "/usr/include/corosync/$h.h" ] || { echo "FAIL: /usr/include/corosync/$h.h is not installed (tools/install-deps.sh installs lib$h-dev)"; exit 1; }
  done
  "$cc" "${flags[@]}" -I "$ours" -o "$work/ours2" "$services" || { echo "FAIL: services probe does not compile against quorumsim's headers"; exit 1; }
  "$cc" "${flags[@]}" -o "$work/system2" "$services" || { echo "FAIL: services probe does not compile against the system headers"; exit 1; }
  "$cc" "${flags[@]}" -I "$ours" -M "$services" | grep -q "$ours/corosync/cmap.h" || { echo "FAIL: ours not used"; exit 1; }
  "$work/ours2" > "$work/ours2.txt"
  "$work/system2" > "$work/system2.txt"
  if ! diff -u --label corosync --label quorumsim "$work/system2.txt" "$work/ours2.txt"; then
    echo "FAIL: the quorum/cmap/cfg ABI differs from corosync's headers"
    exit 1
  fi
  lines=$((lines + $(wc -l < "$work/ours2.txt")))
fi
echo "PASS: $lines sizes, offsets and constants identical; all prototypes match"
