#!/bin/bash
# The setexpected round trip of one unmodified client binary (bench/setexpected_roundtrip.c,
# built with cc and -lvotequorum) against a real single-node corosync and against the
# simulator, and the callback harness (bench/callback_bench.h) run with
# QUORUMSIM_BACKEND=corosync against the same daemon. tools/bench.sh runs it.
#
# The real daemon is started as tests/api/conformance_test.sh starts it: as root inside its
# own network and mount namespaces (loopback up, a private tmpfs /run and
# /var/lib/corosync, so it never meets another corosync on the machine), in the foreground
# (`corosync -f -c CONF`), stopped by its pid. libqb's IPC sockets are abstract unix sockets
# of the network namespace, so every client runs inside the same namespace. The same binary
# runs three ways, interleaved RUNS times:
#   corosync      corosync's own libvotequorum talking to the daemon (no quorumsim at all)
#   via_quorumsim quorumsim's libvotequorum.so.8 with QUORUMSIM_BACKEND=corosync (forwards
#                 to corosync's library: the switch a user flips)
#   simulator     quorumsim's libvotequorum.so.8 with QUORUMSIM_CONF=the same corosync.conf
# each with WAIT=dispatch (CS_DISPATCH_ONE) and WAIT=poll (poll() on the descriptor, then
# CS_DISPATCH_ALL). The daemon's own CPU time over each run comes from /proc/PID/stat.
#
# Usage: corosync_roundtrip.sh LIBVOTEQUORUM_SO CALLBACK_BENCH_EXAMPLE OUT_DIR
#   env RUNS (5), REAL_TRIPS (5000), SIM_TRIPS (200000), REPS (3, harness repetitions)
# Writes OUT_DIR/corosync_roundtrip.json and OUT_DIR/callback_bench_corosync.json. Where it
# cannot run (not root, no unshare, no corosync) it writes {"skipped": REASON} to the first
# and exits 0, so tools/bench.sh goes on and bench/RESULTS.md says why the figure is missing.
set -uo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
lib=$(readlink -f "$1")
harness=$(readlink -f "$2")
out=$(readlink -f "$3")
runs=${RUNS:-5}
real_trips=${REAL_TRIPS:-5000}
sim_trips=${SIM_TRIPS:-200000}
reps=${REPS:-3}
mkdir -p "$out"

skip() {
  echo "corosync_roundtrip.sh: SKIPPED: $*" >&2
  printf '{"skipped": "%s"}\n' "$*" > "$out/corosync_roundtrip.json"
  rm -f "$out/callback_bench_corosync.json"
  exit 0
}
[ "$(id -u)" -eq 0 ] || skip "needs root to start corosync in its own namespaces"
for tool in unshare corosync ip mount cc python3; do
  command -v "$tool" > /dev/null 2>&1 || skip "$tool is not installed"
done
real_lib=${QUORUMSIM_COROSYNC_LIB:-/usr/lib/x86_64-linux-gnu/libvotequorum.so.8}
[ -e "$real_lib" ] || skip "corosync's $real_lib is not installed"
unshare --net --mount true 2> /dev/null || skip "unshare --net --mount is not permitted here"

work=$(mktemp -d "${TMPDIR:-/tmp}/corosync-roundtrip.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/quorumsim"
cp "$lib" "$work/quorumsim/libvotequorum.so.8"
# Built as a corosync user builds it; linked by soname, so LD_LIBRARY_PATH picks the library.
cc -O2 -std=c11 -Wall -Wextra -Werror -I "$repo/api/include" -o "$work/client" \
  "$repo/bench/setexpected_roundtrip.c" -lvotequorum || skip "the client does not build"

# One node with two votes: expected votes alternate between 3 and 2 and the node stays
# quorate (quorum 2), so each round trip brings exactly one callback.
cat > "$work/corosync.conf" <<CONF
totem {
    version: 2
    cluster_name: quorumsim-roundtrip
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
}
nodelist {
    node {
        ring0_addr: 127.0.0.1
        nodeid: 1
        quorum_votes: 2
    }
}
CONF

cat > "$work/inside.sh" <<'INSIDE'
set -u
work=$1 harness=$2 runs=$3 real_trips=$4 sim_trips=$5 reps=$6
ip link set lo up || exit 90
mount -t tmpfs tmpfs /run || exit 91
mount --bind /run /var/run 2> /dev/null || true
mkdir -p /var/lib/corosync && mount -t tmpfs tmpfs /var/lib/corosync || exit 92
corosync -f -c "$work/corosync.conf" > "$work/daemon.log" 2>&1 &
pid=$!
daemon_cpu_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
one() {  # BACKEND WAIT: one run, one JSON line with the backend and the daemon's CPU added
  local backend=$1 wait=$2 before after line
  before=$(daemon_cpu_ticks)
  case $backend in
    corosync)
      line=$(env -u LD_LIBRARY_PATH -u QUORUMSIM_BACKEND -u QUORUMSIM_CONF \
             "$work/client" "$real_trips" 2 3 "$wait") || return 1 ;;
    via_quorumsim)
      line=$(env -u QUORUMSIM_CONF LD_LIBRARY_PATH="$work/quorumsim" QUORUMSIM_BACKEND=corosync \
             "$work/client" "$real_trips" 2 3 "$wait") || return 1 ;;
    simulator)
      line=$(env -u QUORUMSIM_BACKEND LD_LIBRARY_PATH="$work/quorumsim" \
             QUORUMSIM_CONF="$work/corosync.conf" "$work/client" "$sim_trips" 2 3 "$wait") || return 1 ;;
  esac
  after=$(daemon_cpu_ticks)
  echo "{\"backend\": \"$backend\", \"daemon_cpu_ticks\": $((after - before)), \"result\": $line}"
}
status=0
for run in $(seq "$runs"); do
  for backend in corosync via_quorumsim simulator; do
    for wait in dispatch poll; do
      one "$backend" "$wait" >> "$work/runs.jsonl" || { echo "run failed: $backend $wait" >&2; status=1; }
    done
  done
done
# The daemon's CPU while nobody talks to it (totem keeps its token moving), for reading
# daemon_cpu_s: two seconds idle.
before=$(daemon_cpu_ticks); sleep 2; after=$(daemon_cpu_ticks)
echo "{\"idle_daemon_ticks\": $((after - before)), \"idle_seconds\": 2}" > "$work/idle.json"
# The callback harness, request churn, against the same daemon.
QUORUMSIM_BACKEND=corosync "$harness" --benchmark_filter='BM_SetExpected|BM_SetVotes' \
  --benchmark_repetitions="$reps" --benchmark_report_aggregates_only=true \
  --benchmark_out="$work/callback_bench_corosync.json" --benchmark_out_format=json >&2 || status=1
kill -TERM "$pid" 2> /dev/null
for _ in $(seq 50); do kill -0 "$pid" 2> /dev/null || break; sleep 0.1; done
kill -KILL "$pid" 2> /dev/null
wait "$pid" 2> /dev/null
exit $status
INSIDE

echo "== setexpected round trip: real corosync and simulator ($runs runs)" >&2
unshare --net --mount bash "$work/inside.sh" "$work" "$harness" "$runs" "$real_trips" \
  "$sim_trips" "$reps"
rc=$?
if [ "$rc" -ne 0 ] || [ ! -s "$work/runs.jsonl" ]; then
  echo "corosync_roundtrip.sh: FAILED (exit $rc); daemon log:" >&2
  tail -30 "$work/daemon.log" >&2
  exit 1
fi
cp "$work/callback_bench_corosync.json" "$out/callback_bench_corosync.json"
python3 - "$work/runs.jsonl" "$out/corosync_roundtrip.json" "$(corosync -v | head -1)" \
  "$(getconf CLK_TCK)" "$work/idle.json" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
version, tick = sys.argv[3], 1.0 / float(sys.argv[4])
idle = json.load(open(sys.argv[5]))
out = {"corosync": version, "runs": [], "summary": {},
       "idle_daemon_cpu_s_per_s": idle["idle_daemon_ticks"] * tick / idle["idle_seconds"]}
for backend in ("corosync", "via_quorumsim", "simulator"):
    for wait in ("dispatch", "poll"):
        mine = [r for r in rows if r["backend"] == backend and r["result"]["wait"] == wait]
        if not mine:
            continue
        trips = mine[0]["result"]["round_trips"]
        out["summary"]["%s/%s" % (backend, wait)] = {
            "runs": len(mine), "round_trips_per_run": trips,
            "median_s": statistics.median(r["result"]["median_s"] for r in mine),
            "mean_s": statistics.median(r["result"]["mean_s"] for r in mine),
            "client_cpu_s": statistics.median(r["result"]["cpu_s"] / trips for r in mine),
            "daemon_cpu_s": statistics.median(r["daemon_cpu_ticks"] * tick / trips for r in mine),
        }
out["runs"] = rows
s = out["summary"]
for wait in ("dispatch", "poll"):
    real, sim = s.get("corosync/" + wait), s.get("simulator/" + wait)
    if real and sim:
        out["summary"]["ratio/" + wait] = {
            "median": real["median_s"] / sim["median_s"],
            "mean": real["mean_s"] / sim["mean_s"],
            "cpu": (real["client_cpu_s"] + real["daemon_cpu_s"]) / sim["client_cpu_s"],
        }
json.dump(out, open(sys.argv[2], "w"), indent=1)
for k, v in sorted(out["summary"].items()):
    print(k, json.dumps(v), file=sys.stderr)
PY
