#!/bin/bash
# Debian's unmodified corosync-quorumtool and corosync-cmapctl against simulated nodes,
# through quorumsim's drop-in libvotequorum.so.8, libquorum.so.5, libcmap.so.4 and
# libcfg.so.7 (LD_LIBRARY_PATH). Each check names what it runs; the first failure prints
# the whole output. SKIPPED (never a pass) when the tools are not installed.
#
# Usage: tools_test.sh LIBVOTEQUORUM_SO LIBQUORUM_SO LIBCMAP_SO LIBCFG_SO CONF
set -uo pipefail

skip() {
  echo "SKIPPED: $*"
  if [ -n "${XML_OUTPUT_FILE:-}" ]; then
    printf '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites tests="1" failures="0" skipped="1"><testsuite name="tools" tests="1" failures="0" skipped="1"><testcase name="tools" classname="tests.api.tools"><skipped message="%s"/></testcase></testsuite></testsuites>\n' "$*" > "$XML_OUTPUT_FILE"
  fi
  exit 0
}
for t in corosync-quorumtool corosync-cmapctl; do
  command -v "$t" > /dev/null || skip "$t is not installed"
done

# Sets LD_PRELOAD (and the sanitizer's options) when $1 was built with ASan or TSan.
sanitizer_preload() {
  local cc=${CC:-gcc}
  if readelf -d "$1" | grep -q libasan; then
    export LD_PRELOAD="$($cc -print-file-name=libasan.so) $($cc -print-file-name=libubsan.so)"
    export ASAN_OPTIONS=detect_leaks=0
  elif readelf -d "$1" | grep -q libtsan; then
    export LD_PRELOAD="$($cc -print-file-name=libtsan.so)"
  fi
}

work=$(mktemp -d "${TEST_TMPDIR:-/tmp}/tools.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir "$work/lib"
for so in "$1" "$2" "$3" "$4"; do cp "$(readlink -f "$so")" "$work/lib/$(basename "$so")"; done
cp "$5" "$work/three.conf"
export LD_LIBRARY_PATH="$work/lib"
# Libraries from a sanitizer build need the sanitizer runtime loaded first; Debian's tools
# are not built with it, so it is preloaded (and their own leaks are not ours to report).
sanitizer_preload "$work/lib/libvotequorum.so.8"
export QUORUMSIM_CONF="$work/three.conf"
unset QUORUMSIM_BACKEND QUORUMSIM_SCENARIO QUORUMSIM_NODEID

failures=0
# check NAME EXPECTED_RC COMMAND... ; then `want TEXT` lines run against its output.
out=""
check() {
  local name=$1 want_rc=$2
  shift 2
  out=$("$@" 2>&1)
  local rc=$?
  current=$name
  if [ "$rc" -ne "$want_rc" ]; then
    echo "FAIL: $name: exit $rc, expected $want_rc"; echo "$out"; failures=$((failures + 1))
  fi
}
want() {
  if ! grep -qF -- "$1" <<< "$out"; then
    echo "FAIL: $current: no line with '$1' in:"; echo "$out"; failures=$((failures + 1))
  fi
}
lacks() {
  if grep -qF -- "$1" <<< "$out"; then
    echo "FAIL: $current: unexpected '$1' in:"; echo "$out"; failures=$((failures + 1))
  fi
}

# The libraries the tool loads are ours.
# (ldd itself runs without the sanitizer preload: under TSan the preloaded runtime crashes
# the loader's listing mode.)
check "ldd" 0 env -u LD_PRELOAD ldd "$(command -v corosync-quorumtool)"
for so in libvotequorum.so.8 libquorum.so.5 libcmap.so.4 libcfg.so.7; do want "$so => $work/lib/$so"; done

check "quorumtool -s" 0 corosync-quorumtool -s
want "Quorum provider:  corosync_votequorum"
want "Nodes:            3"
want "Node ID:          1"
want "Quorate:          Yes"
want "Expected votes:   3"
want "Total votes:      3"
want "Flags:            Quorate"
want "         1          1 192.0.2.1 (local)"
want "         3          1 192.0.2.3"

check "quorumtool -l on node 2" 0 env QUORUMSIM_NODEID=2 corosync-quorumtool -l
want "         2          1 192.0.2.2 (local)"
lacks "Quorum information"

check "quorumtool -p" 0 corosync-quorumtool -p
want "    Nodeid      Votes    Qdevice Name"
want "         2          1         NR 192.0.2.2"

check "quorumtool -H" 0 corosync-quorumtool -H
want "Node ID:          0x00000001"
want "0x00000003          1 192.0.2.3"

check "quorumtool -i -a" 0 corosync-quorumtool -s -i -a
want "         1          1 192.0.2.1 (local)"

check "quorumtool -o n" 0 corosync-quorumtool -l -o n
check "quorumtool -e 4" 0 corosync-quorumtool -e 4
check "quorumtool -e 1 (below total votes)" 1 corosync-quorumtool -e 1
want "Unable to set expected votes: CS_ERR_INVALID_PARAM"
check "quorumtool -v 2 -n 3" 0 corosync-quorumtool -v 2 -n 3

# Each side of a split, from a scenario that splits before the tool connects.
printf 'split 1:3\nwait 1s\n' > "$work/split.scenario"
check "quorumtool -s on the isolated node" 2 \
  env QUORUMSIM_SCENARIO="$work/split.scenario" QUORUMSIM_NODEID=3 corosync-quorumtool -s
want "Nodes:            1"
want "Quorate:          No"
want "Total votes:      1"
want "Quorum:           2 Activity blocked"
want "         3          1 192.0.2.3 (local)"
lacks "192.0.2.1"
check "quorumtool -s on the majority side" 0 \
  env QUORUMSIM_SCENARIO="$work/split.scenario" QUORUMSIM_NODEID=1 corosync-quorumtool -s
want "Nodes:            2"
want "Quorate:          Yes"
want "Total votes:      2"
lacks "192.0.2.3"

# A scenario naming its corosync.conf in a "# config:" line needs no QUORUMSIM_CONF; without
# either, the library says what is missing.
printf '# config: three.conf\nsplit 1:3\nwait 1s\n' > "$work/with-config.scenario"
check "scenario with a # config: line" 2 env -u QUORUMSIM_CONF \
  QUORUMSIM_SCENARIO="$work/with-config.scenario" QUORUMSIM_NODEID=3 corosync-quorumtool -s
want "Quorum:           2 Activity blocked"
check "scenario without any configuration" 1 env -u QUORUMSIM_CONF \
  QUORUMSIM_SCENARIO="$work/split.scenario" corosync-quorumtool -s
want "QUORUMSIM_SCENARIO=$work/split.scenario is set but QUORUMSIM_CONF is not"
check "QUORUMSIM_NODEID not in the nodelist" 1 env QUORUMSIM_NODEID=7 corosync-quorumtool -s
want "QUORUMSIM_NODEID=7 is not a node of $work/three.conf (its nodes: 1, 2, 3)"
printf 'crash 2\nwait 1s\n' > "$work/crash2.scenario"
check "this node stopped by the scenario" 1 \
  env QUORUMSIM_SCENARIO="$work/crash2.scenario" QUORUMSIM_NODEID=2 corosync-quorumtool -s
want "node 2 (QUORUMSIM_NODEID) is not running after the scenario's setup"

# -m follows a scenario playing in time: quorate, cut off, healed; the simulated daemon's
# exit ends the monitor as a real daemon stopping would.
printf 'wait 200ms\nsplit 1:3\nwait 1s\njoin 0 1\nwait 1s\nexit\n' > "$work/monitor.scenario"
check "quorumtool -m" 1 env QUORUMSIM_SCENARIO="$work/monitor.scenario" QUORUMSIM_SPEED=5 \
  QUORUMSIM_NODEID=3 timeout 60 corosync-quorumtool -m
want "Unable to dispatch quorum status: CS_ERR_LIBRARY"
if [ "$(grep -c '^Quorate:' <<< "$out")" -ne 3 ] ||
   [ "$(grep '^Quorate:' <<< "$out" | tr -s ' ' | cut -d' ' -f2 | tr '\n' ' ')" != "Yes No Yes " ]; then
  echo "FAIL: quorumtool -m: expected Quorate Yes, No, Yes in:"; echo "$out"; failures=$((failures + 1))
fi

check "cmapctl dump" 0 corosync-cmapctl
want "nodelist.local_node_pos (u32) = 0"
want "nodelist.node.2.ring0_addr (str) = 192.0.2.3"
want "quorum.provider (str) = corosync_votequorum"
want "runtime.votequorum.this_node_id (u32) = 1"
want "totem.cluster_name (str) = quorumsim-client"
check "cmapctl -g" 0 env QUORUMSIM_NODEID=2 corosync-cmapctl -g runtime.votequorum.this_node_id
want "runtime.votequorum.this_node_id (u32) = 2"
check "cmapctl -g missing key" 1 corosync-cmapctl -g no.such.key
want "CS_ERR_NOT_EXIST"
check "cmapctl -s read-only key" 1 corosync-cmapctl -s nodelist.node.0.nodeid u32 7
want "CS_ERR_ACCESS"
check "cmapctl prefix" 0 corosync-cmapctl runtime.members.
want "runtime.members.1.status (str) = joined"
want "runtime.members.3.status (str) = joined"

# -T follows a key prefix while a scenario plays: node 3 leaves node 1's membership. Its
# stdin stays open (at end of input the tool quits); the daemon's exit ends it.
printf 'wait 300ms\ncrash 3\nwait 10s\nexit\n' > "$work/crash.scenario"
mkfifo "$work/stdin"
exec 3<> "$work/stdin"  # a writer that never writes: the tool's input stays open
track() { env QUORUMSIM_SCENARIO="$work/crash.scenario" QUORUMSIM_SPEED=20 \
  timeout 60 corosync-cmapctl -T runtime.members. < "$work/stdin"; }
check "cmapctl -T" 0 track
want "modify> runtime.members.3.status (str) = left"
want "Dispatch error CS_ERR_LIBRARY"

if [ "$failures" -ne 0 ]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "PASS: corosync-quorumtool and corosync-cmapctl on simulated nodes"
