#!/usr/bin/env bash
# Build and run quorumsim's libFuzzer targets (fuzz/*_fuzzer.cc) with clang.
#
#   tools/fuzz.sh build                     build all four into $QUORUMSIM_FUZZ_OUT
#   tools/fuzz.sh run NAME SECONDS [ARGS]   fuzz NAME (conf|script|api|services) for SECONDS on a
#                                           scratch copy of fuzz/NAME/corpus (the seeds in the
#                                           repository stay as they are); ARGS go to libFuzzer
#   tools/fuzz.sh ci SECONDS [JUNIT]        build, then run each target for SECONDS, one at a
#                                           time; prints "fuzz NAME: PASS|FAIL ..." per target
#                                           and writes one JUnit case per target to JUNIT
#
# A crash, leak, timeout (a single input over 10 s) or failed check is a FAIL; the input that
# caused it is written to $QUORUMSIM_FUZZ_OUT/artifacts/. Exit status 0 when all passed.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
# One build directory per checkout: two worktrees building into the same directory would mix
# their objects (a crash that is no bug of either).
out=${QUORUMSIM_FUZZ_OUT:-/tmp/quorumsim-fuzz-$(id -u)-$(pwd -P | md5sum | cut -c1-8)}
mkdir -p "$out/artifacts"

build() {
  make -s -f fuzz/fuzz.mk OUT="$out" -j"${QUORUMSIM_FUZZ_JOBS:-2}" >&2
}

run() {  # NAME SECONDS [ARGS...]
  local name=$1 secs=$2; shift 2
  local work="$out/corpus-$name"
  rm -rf "$work" && mkdir -p "$work" && cp fuzz/"$name"/corpus/* "$work"/
  # Inputs are kept small: configurations and scripts are short, and long inputs only slow
  # the search down. -rss_limit_mb bounds memory like the configuration and queue limits do.
  "$out/${name}_fuzzer" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
    -max_len=4096 -print_final_stats=1 -artifact_prefix="$out/artifacts/$name-" \
    "$@" "$work" fuzz/"$name"/corpus
}

case "${1:-}" in
  build) build ;;
  run) shift; build && run "$@" ;;
  ci)
    secs=${2:-20}
    junit=${3:-/dev/null}
    cases=()
    status=0
    if ! build; then
      for n in conf script api services; do
        echo "fuzz $n: FAIL (build failed)"
        cases+=("<testcase name=\"$n\" classname=\"fuzz\"><failure message=\"build failed\"/></testcase>")
      done
      status=1
    else
      for n in conf script api services; do
        if run "$n" "$secs" > "$out/$n.log" 2>&1; then
          execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$out/$n.log" | grep -o '[0-9]*$')
          echo "fuzz $n: PASS (${execs:-?} executions in ${secs}s)"
          cases+=("<testcase name=\"$n\" classname=\"fuzz\"/>")
        else
          echo "fuzz $n: FAIL (see below)"; tail -40 "$out/$n.log"; status=1
          cases+=("<testcase name=\"$n\" classname=\"fuzz\"><failure message=\"fuzzer found a problem; see the log\"/></testcase>")
        fi
      done
    fi
    { echo '<?xml version="1.0" encoding="UTF-8"?>'
      echo "<testsuites><testsuite name=\"fuzz\">"
      printf '%s\n' "${cases[@]}"
      echo "</testsuite></testsuites>"; } > "$junit"
    exit $status
    ;;
  *) sed -n '2,13p' "$0"; exit 2 ;;
esac
