#!/bin/bash
# Runs tests/api/conformance.c against a real corosync and against the simulator and
# requires identical output (every return code, getinfo field and callback).
#
# The real daemon runs as root inside its own network and mount namespaces: knet on
# 127.0.0.1 (its own loopback), a private /run (corosync's lock file is the fixed
# /var/run/corosync.pid) and a private state directory, so it never meets another
# corosync on the machine. libqb's IPC sockets are abstract unix sockets, which belong
# to the network namespace, so the client runs inside the same namespace. The daemon is
# stopped by its pid. Where this cannot run (not root, no unshare, no corosync), the
# test reports SKIPPED (in its log and as a skipped case in test.xml), never a pass.
#
# Usage: conformance_test.sh CONFORMANCE_BINARY [SERVICES_BINARY LIBVOTEQUORUM LIBQUORUM LIBCMAP LIBCFG]
# SERVICES_BINARY (services_conformance.c) does the same for libquorum, libcmap and libcfg;
# against the real daemon it runs through quorumsim's forwarding to corosync's libraries.
# With the libraries, Debian's corosync-quorumtool and corosync-cmapctl also run against
# both and must print the same (see normalize below for the two allowed differences).
set -uo pipefail

bin=$(readlink -f "$1")
services=""
[ "$#" -ge 2 ] && services=$(readlink -f "$2")

skip() {
  echo "SKIPPED: $*"
  if [ -n "${XML_OUTPUT_FILE:-}" ]; then
    cat > "$XML_OUTPUT_FILE" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<testsuites tests="1" failures="0" skipped="1">
  <testsuite name="api_conformance" tests="1" failures="0" skipped="1">
    <testcase name="real_corosync_vs_simulator" classname="tests.api.conformance">
      <skipped message="$*"/>
    </testcase>
  </testsuite>
</testsuites>
XML
  fi
  exit 0
}

[ "$(id -u)" -eq 0 ] || skip "needs root to start corosync in its own namespaces"
for tool in unshare corosync ip mount; do
  command -v "$tool" > /dev/null 2>&1 || skip "$tool is not installed"
done
real_lib=${QUORUMSIM_COROSYNC_LIB:-/usr/lib/x86_64-linux-gnu/libvotequorum.so.8}
[ -e "$real_lib" ] || skip "corosync's $real_lib is not installed"
unshare --net --mount true 2> /dev/null || skip "unshare --net --mount is not permitted here"

work=$(mktemp -d "${TEST_TMPDIR:-/tmp}/conformance.XXXXXX")
trap 'rm -rf "$work"' EXIT

# One node, one vote, expected_votes 3: starts inquorate, which lets setexpected and
# setvotes show both their accepting and their refusing side.
cat > "$work/corosync.conf" <<CONF
totem {
    version: 2
    cluster_name: quorumsim-conformance
    transport: knet
    crypto_cipher: none
    crypto_hash: none
}
logging {
    to_stderr: yes
    to_syslog: no
    to_logfile: no
}
quorum {
    provider: corosync_votequorum
    expected_votes: 3
}
nodelist {
    node {
        ring0_addr: 127.0.0.1
        nodeid: 1
    }
}
CONF

# Inside the namespaces: loopback up, private /run and state directory, daemon in the
# foreground (its pid is known), the client, then the daemon stopped by that pid.
cat > "$work/inside.sh" <<'INSIDE'
set -u
work=$1 bin=$2 tools=${3:-} services=${4:-}
ip link set lo up || exit 90
mount -t tmpfs tmpfs /run || exit 91
mount --bind /run /var/run 2> /dev/null || true
mkdir -p /var/lib/corosync && mount -t tmpfs tmpfs /var/lib/corosync || exit 92
corosync -f -c "$work/corosync.conf" > "$work/daemon.log" 2>&1 &
pid=$!
# Debian's tools against the same daemon (corosync's own libraries), one per line of
# tools.list; output and exit status in real-N.out.
if [ -n "$tools" ]; then
  # They only read, and run before the conformance program changes votes; first wait until
  # the daemon answers (exit 0 quorate or 2 not quorate, 1 while it is not up yet).
  for _ in $(seq 100); do
    corosync-quorumtool -s > /dev/null 2>&1
    [ $? -ne 1 ] && break
    sleep 0.1
  done
  i=0
  while read -r cmd; do
    i=$((i + 1))
    $cmd > "$work/real-$i.out" 2>&1
    echo "exit $?" >> "$work/real-$i.out"
    env LD_LIBRARY_PATH="$TOOLS_LIB" QUORUMSIM_BACKEND=corosync \
      ${TOOLS_PRELOAD:+LD_PRELOAD="$TOOLS_PRELOAD"} ${TOOLS_PRELOAD:+ASAN_OPTIONS=detect_leaks=0} \
      $cmd > "$work/fwd-$i.out" 2>&1 < /dev/null
    echo "exit $?" >> "$work/fwd-$i.out"
  done < "$work/tools.list"
fi
if [ -n "$services" ]; then
  QUORUMSIM_BACKEND=corosync "$services" > "$work/real-services.out" 2>&1
  echo "exit $?" >> "$work/real-services.out"
fi
QUORUMSIM_BACKEND=corosync "$bin" > "$work/real.out" 2> "$work/real.err"
rc=$?

kill -TERM "$pid" 2> /dev/null
for _ in $(seq 50); do kill -0 "$pid" 2> /dev/null || break; sleep 0.1; done
kill -KILL "$pid" 2> /dev/null
wait "$pid" 2> /dev/null
exit $rc
INSIDE

# The drop-in libraries for the tools, when the test was given them and Debian's tools exist.
tools=""
if [ "$#" -ge 6 ] && command -v corosync-quorumtool > /dev/null && command -v corosync-cmapctl > /dev/null; then
  tools=yes
  cat > "$work/tools.list" <<'LIST'
corosync-quorumtool -s
corosync-quorumtool -l
corosync-quorumtool -p
corosync-quorumtool -s -H
corosync-quorumtool -s -i
corosync-cmapctl -g runtime.votequorum.this_node_id
corosync-cmapctl quorum.
corosync-cmapctl totem.cluster_name
corosync-cmapctl nodelist.
LIST
  mkdir "$work/lib"
  for so in "$3" "$4" "$5" "$6"; do cp "$(readlink -f "$so")" "$work/lib/$(basename "$so")"; done
fi

preload=""
if [ -n "$tools" ]; then
  # Libraries from a sanitizer build need its runtime preloaded into Debian's tools.
  if readelf -d "$work/lib/libvotequorum.so.8" | grep -q libasan; then
    preload="$(${CC:-gcc} -print-file-name=libasan.so) $(${CC:-gcc} -print-file-name=libubsan.so)"
  elif readelf -d "$work/lib/libvotequorum.so.8" | grep -q libtsan; then
    preload="$(${CC:-gcc} -print-file-name=libtsan.so)"
  fi
fi
# inside.sh runs the tools a second time through quorumsim's libraries forwarding to
# corosync's (QUORUMSIM_BACKEND=corosync); it inherits these.
export TOOLS_PRELOAD="$preload" TOOLS_LIB="$work/lib"

unshare --net --mount bash "$work/inside.sh" "$work" "$bin" "$tools" "$services"
real_rc=$?
env -u QUORUMSIM_BACKEND QUORUMSIM_CONF="$work/corosync.conf" "$bin" > "$work/sim.out" 2> "$work/sim.err"
sim_rc=$?

status=0
if [ "$real_rc" -ne 0 ]; then
  echo "FAIL: the run against the real corosync exited with $real_rc"
  echo "--- stderr"; cat "$work/real.err"; echo "--- daemon log"; tail -30 "$work/daemon.log"
  status=1
fi
if [ "$sim_rc" -ne 0 ]; then
  echo "FAIL: the run against the simulator exited with $sim_rc"; cat "$work/sim.err"
  status=1
fi
if grep -q "initialize  *-> CS_ERR_LIBRARY" "$work/real.out"; then
  echo "FAIL: could not connect to the real corosync"; tail -30 "$work/daemon.log"
  status=1
fi
if ! diff -u --label real-corosync --label simulator "$work/real.out" "$work/sim.out"; then
  echo "FAIL: the simulator differs from the real corosync (lines marked + are the simulator's)"
  status=1
fi
# The same tools on the simulator. Allowed differences, removed from both sides: the Date
# line (the tool's own clock) and the ring sequence number in "Ring ID: 1.N" (a real ring's
# sequence counts every membership the daemon ever formed; the simulator's is its own).
normalize() { sed -e 's/^Date: .*/Date: (removed)/' -e 's/^\(Ring ID: *[0-9a-fx]*\)\.[0-9a-f]*$/\1.(seq)/' "$1"; }
if [ -n "$tools" ]; then
  i=0
  while read -r cmd; do
    i=$((i + 1))
    env -u QUORUMSIM_BACKEND LD_LIBRARY_PATH="$work/lib" QUORUMSIM_CONF="$work/corosync.conf" \
      ${preload:+LD_PRELOAD="$preload"} ${preload:+ASAN_OPTIONS=detect_leaks=0} \
      $cmd > "$work/sim-$i.out" 2>&1 < /dev/null
    echo "exit $?" >> "$work/sim-$i.out"
    if ! diff -u --label "real: $cmd" --label "forwarded by quorumsim's libraries: $cmd" \
        <(normalize "$work/real-$i.out") <(normalize "$work/fwd-$i.out"); then
      echo "FAIL: $cmd through quorumsim's libraries with QUORUMSIM_BACKEND=corosync differs"
      status=1
    fi
    if ! diff -u --label "real: $cmd" --label "simulated: $cmd" \
        <(normalize "$work/real-$i.out") <(normalize "$work/sim-$i.out"); then
      echo "FAIL: $cmd differs between the real corosync and the simulator"
      status=1
    else
      echo "same output: $cmd ($(wc -l < "$work/real-$i.out") lines)"
    fi
  done < "$work/tools.list"
fi

if [ -n "$services" ]; then
  env -u QUORUMSIM_BACKEND QUORUMSIM_CONF="$work/corosync.conf" "$services" > "$work/sim-services.out" 2>&1
  echo "exit $?" >> "$work/sim-services.out"
  if ! diff -u --label "real: libquorum/libcmap/libcfg" --label "simulated" \
      "$work/real-services.out" "$work/sim-services.out"; then
    echo "FAIL: libquorum, libcmap or libcfg differs between the real corosync and the simulator"
    status=1
  else
    echo "same output: libquorum, libcmap and libcfg calls ($(wc -l < "$work/real-services.out") lines)"
  fi
fi

if [ "$status" -eq 0 ]; then
  echo "PASS: $(wc -l < "$work/real.out") lines identical against corosync $(corosync -v | head -1 | sed "s/.*version '\(.*\)'.*/\1/") and the simulator"
  cat "$work/real.out"
fi
exit $status
