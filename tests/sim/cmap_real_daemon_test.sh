#!/bin/bash
# The configuration map of a real corosync 3.1.7 against quorumsim's (sim/cmap_tree.h).
#
# For each corosync.conf given, a real single-node corosync is started the way
# tests/api/conformance_test.sh starts it (root, own network and mount namespaces, loopback
# up, private /run and /var/lib/corosync, `corosync -f`, stopped by its pid) and, once its
# node has formed its one-node ring, Debian's unmodified `corosync-cmapctl` dumps every key.
# tests/sim:cmap_dump prints quorumsim's map for the same file and node in the same format.
# Every key must match in name, type and value, except the keys listed in FILTERED below,
# which the simulation cannot know. Where this cannot run (not root, no unshare, no
# corosync), the test reports SKIPPED (log and test.xml), never a pass.
#
# Usage: cmap_real_daemon_test.sh CMAP_DUMP CONF...
set -uo pipefail

dump_bin=$(readlink -f "$1")
shift
confs=()
for c in "$@"; do confs+=("$(readlink -f "$c")"); done

# Key prefixes left out of the comparison, each with the reason.
FILTERED=(
  "runtime.services.|per-service message counters (rx/tx), which follow the real daemon's IPC and totem traffic, and the service ids listed beside them"
)

xml_escape() { sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g' -e 's/"/\&quot;/g'; }

skip() {
  echo "SKIPPED: $*"
  if [ -n "${XML_OUTPUT_FILE:-}" ]; then
    cat > "$XML_OUTPUT_FILE" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<testsuites tests="1" failures="0" skipped="1">
  <testsuite name="cmap_real_daemon" tests="1" failures="0" skipped="1">
    <testcase name="real_corosync_cmap_vs_quorumsim" classname="tests.sim.cmap_real_daemon">
      <skipped message="$(echo "$*" | xml_escape)"/>
    </testcase>
  </testsuite>
</testsuites>
XML
  fi
  exit 0
}

[ "$(id -u)" -eq 0 ] || skip "needs root to start corosync in its own namespaces"
for tool in unshare corosync corosync-cmapctl ip mount; do
  command -v "$tool" > /dev/null 2>&1 || skip "$tool is not installed"
done
unshare --net --mount true 2> /dev/null || skip "unshare --net --mount is not permitted here"

work=$(mktemp -d "${TEST_TMPDIR:-/tmp}/cmap.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Inside the namespaces: the daemon in the foreground, then corosync-cmapctl once the node is
# a joined member of its own ring and the map has stopped changing (two equal dumps in a
# row, the message counters aside), then the daemon stopped by its pid.
cat > "$work/inside.sh" <<'INSIDE'
set -u
conf=$1 out=$2
ip link set lo up || exit 90
mount -t tmpfs tmpfs /run || exit 91
mount --bind /run /var/run 2> /dev/null || true
mkdir -p /var/lib/corosync && mount -t tmpfs tmpfs /var/lib/corosync || exit 92
corosync -f -c "$conf" > "$out.daemon.log" 2>&1 &
pid=$!
rc=93
id=
for _ in $(seq 100); do
  kill -0 "$pid" 2> /dev/null || break
  id=$(corosync-cmapctl -q -g runtime.votequorum.this_node_id 2> /dev/null) && break
  sleep 0.1
done
if [ -n "$id" ]; then
  for _ in $(seq 100); do
    [ "$(corosync-cmapctl -q -g "runtime.members.$id.status" 2> /dev/null)" = joined ] && break
    sleep 0.1
  done
  prev=
  for _ in $(seq 20); do
    sleep 0.5
    corosync-cmapctl > "$out" 2> "$out.err" || continue
    cur=$(grep -v '^runtime\.services\.' "$out")
    if [ -n "$prev" ] && [ "$cur" = "$prev" ]; then rc=0; break; fi
    prev=$cur
  done
fi
kill -TERM "$pid" 2> /dev/null
for _ in $(seq 50); do kill -0 "$pid" 2> /dev/null || break; sleep 0.1; done
kill -KILL "$pid" 2> /dev/null
wait "$pid" 2> /dev/null
exit $rc
INSIDE

cases_xml=""
failures=0
total_compared=0
for conf in "${confs[@]}"; do
  name=$(basename "$conf" .conf)
  out="$work/$name"
  failure=""
  unshare --net --mount bash "$work/inside.sh" "$conf" "$out.real"
  rc=$?
  if [ "$rc" -ne 0 ] || [ ! -s "$out.real" ]; then
    failure="no stable dump from the real corosync (exit $rc)"
    { echo "--- daemon log"; tail -20 "$out.real.daemon.log"; } > "$out.details" 2>&1
  else
    node=$(sed -n 's/^runtime\.votequorum\.this_node_id (u32) = //p' "$out.real")
    cp "$out.real" "$out.kept"
    filtered_note=""
    for f in "${FILTERED[@]}"; do
      prefix=${f%%|*}
      n=$(awk -v p="$prefix" 'index($0, p) == 1' "$out.kept" | wc -l)
      awk -v p="$prefix" 'index($0, p) != 1' "$out.kept" > "$out.tmp"; mv "$out.tmp" "$out.kept"
      filtered_note+="  filtered $n keys $prefix* (${f#*|})"$'\n'
    done
    if ! "$dump_bin" "$conf" "$node" > "$out.sim" 2> "$out.sim.err"; then
      failure="cmap_dump failed: $(cat "$out.sim.err")"
    elif ! diff -u --label "real corosync, node $node" --label "quorumsim" "$out.kept" "$out.sim" \
        > "$out.details"; then
      failure="the maps differ (lines marked + are quorumsim's)"
    fi
  fi
  compared=$(wc -l < "$out.kept" 2> /dev/null || echo 0)
  if [ -z "$failure" ]; then
    total_compared=$((total_compared + compared))
    echo "PASS $name: $compared keys identical (name, type, value) for node $node"
    printf '%s' "$filtered_note"
    cases_xml+="    <testcase name=\"$name\" classname=\"tests.sim.cmap_real_daemon\"/>"$'\n'
  else
    failures=$((failures + 1))
    echo "FAIL $name: $failure"
    cat "$out.details" 2> /dev/null
    msg=$(echo "$failure" | xml_escape)
    body=$(xml_escape < "$out.details" 2> /dev/null)
    cases_xml+="    <testcase name=\"$name\" classname=\"tests.sim.cmap_real_daemon\"><failure message=\"$msg\">$body</failure></testcase>"$'\n'
  fi
done

if [ -n "${XML_OUTPUT_FILE:-}" ]; then
  cat > "$XML_OUTPUT_FILE" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<testsuites tests="${#confs[@]}" failures="$failures">
  <testsuite name="cmap_real_daemon" tests="${#confs[@]}" failures="$failures">
$cases_xml  </testsuite>
</testsuites>
XML
fi
echo "$((${#confs[@]} - failures)) of ${#confs[@]} configurations identical; $total_compared keys compared against corosync $(corosync -v | head -1 | sed "s/.*version '\(.*\)'.*/\1/")"
[ "$failures" -eq 0 ]
