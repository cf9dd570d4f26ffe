#!/usr/bin/env bash
# Reproduces every figure of bench/RESULTS.md and rewrites it (with the plots):
#
#   tools/bench.sh                 # about 6 minutes on an idle 2-core machine (as root, the
#                                  # real-corosync round trip runs in private namespaces)
#   REPS=5 tools/bench.sh          # more repetitions per benchmark (medians are reported)
#   BASELINE_QUORUMSIM=/path/to/old/quorumsim tools/bench.sh   # also "before" memory figures
#
# Builds the bench programs with -c opt, runs them with Google Benchmark's JSON output into
# bench/results/, times the quorumsim command against corosync-vqsim (bench/side_by_side.py)
# and measures peak memory against script length (bench/peak_memory.py), then draws
# bench/*.png (bench/plot.py) and writes bench/RESULTS.md (bench/write_results.py).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
reps=${REPS:-3}
results=bench/results
mkdir -p "$results"

"$repo/tools/install-deps.sh"

# The plots need matplotlib; Debian's python3-matplotlib is for /usr/bin/python3, which may not
# be the python3 first on PATH.
plot_python=""
for py in python3 /usr/bin/python3; do
    if command -v "$py" >/dev/null && "$py" -c 'import matplotlib' 2>/dev/null; then
        plot_python=$py
        break
    fi
done
if [ -z "$plot_python" ]; then
    echo "bench.sh: installing python3-matplotlib for the plots" >&2
    if [ "$(id -u)" = 0 ]; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3-matplotlib >&2
    else
        sudo DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3-matplotlib >&2
    fi
    plot_python=/usr/bin/python3
fi
command -v corosync-vqsim >/dev/null || {
    echo "bench.sh: corosync-vqsim is missing (tools/install-deps.sh installs it)" >&2
    exit 1
}

targets="//:quorumsim //bench:transition_bench //bench:dispatch_bench //bench:engine_bench \
    //bench:script_bench //bench:callback_bench_example //api:libvotequorum.so.8"
bazel build -c opt $targets
bin=$(bazel info -c opt bazel-bin 2>/dev/null)

gbench() {  # NAME [extra benchmark flags]: bench/results/NAME.json
    local name=$1; shift
    echo "== $name" >&2
    "$bin/bench/$name" --benchmark_repetitions="$reps" --benchmark_report_aggregates_only=true \
        --benchmark_out="$results/$name.json" --benchmark_out_format=json "$@" >&2
}
gbench transition_bench
gbench dispatch_bench
gbench engine_bench
gbench script_bench   # reads scenarios/ relative to the working directory (the workspace)
gbench callback_bench_example

# An unmodified client's setexpected round trip against a real single-node corosync (started
# in private namespaces, as tests/api/conformance_test.sh does) and against the simulator, and
# the callback harness against that daemon. Where it cannot run it records why (skipped).
echo "== round trip against a real corosync" >&2
rm -f "$results/corosync_roundtrip.json" "$results/callback_bench_corosync.json"
REPS="$reps" bench/corosync_roundtrip.sh "$bin/api/libvotequorum.so.8" \
    "$bin/bench/callback_bench_example" "$results" ||
    echo "bench.sh: bench/corosync_roundtrip.sh failed; RESULTS.md will say so" >&2

echo "== side by side with corosync-vqsim" >&2
python3 bench/side_by_side.py --quorumsim "$bin/quorumsim" --runs "${SBS_RUNS:-7}" \
    --out "$results/side_by_side.json"
echo "== peak memory against script length" >&2
python3 bench/peak_memory.py --quorumsim "$bin/quorumsim" --out "$results/peak_memory.json"
if [ -n "${BASELINE_QUORUMSIM:-}" ]; then
    python3 bench/peak_memory.py --quorumsim "$BASELINE_QUORUMSIM" \
        --out "$results/peak_memory_before.json"
fi

"$plot_python" bench/plot.py "$results" bench
python3 bench/write_results.py --results "$results" --reps "$reps" > bench/RESULTS.md
echo "bench.sh: wrote bench/RESULTS.md and bench/*.png" >&2
