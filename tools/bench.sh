#!/usr/bin/env bash
# Reproduces every figure of bench/RESULTS.md and rewrites it (with the plots):
#
#   tools/bench.sh                 # about 5 minutes on an idle 2-core machine
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
    //bench:script_bench //bench:callback_bench_example"
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
