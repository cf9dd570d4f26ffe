#!/usr/bin/env bash
# Run the whole quorumsim test suite and print one final line `N passed, N failed`.
#
#   1. install missing Debian packages (tools/install-deps.sh; quiet when nothing is missing)
#   2. bazel test //...                       (plain build)
#   3. bazel test --config=asan //...         (AddressSanitizer + UBSan, separate output tree;
#                                             tests tagged "realtime" run in step 2 only)
#   4. bazel test --config=tsan on the api, sim and fuzz tests (ThreadSanitizer; the engine and
#      scenario tests are single-threaded, and TSan over everything would not fit the time
#      budget on 2 cores)
#   5. tools/fuzz.sh ci: each libFuzzer target for QUORUMSIM_FUZZ_SECONDS (default 20) on its
#      corpus, one pass/fail case per target
#   6. build and run the examples (tools/test-examples.sh: the Bazel consumer workspace, and
#      the make and CMake clients against an install tree); one case per step
#   7. count the real test cases from the test.xml files of the targets that
#      `bazel query 'tests(//...)'` lists (tools/count-tests.py); TSan, fuzz and example cases
#      are merged into the same final line
#
# Exit status is 0 only if every test case passed and everything built.
# Environment knobs (all optional):
#   QUORUMSIM_SKIP_ASAN=1      skip step 3
#   QUORUMSIM_SKIP_TSAN=1      skip step 4
#   QUORUMSIM_SKIP_FUZZ=1      skip step 5
#   QUORUMSIM_SKIP_EXAMPLES=1  skip step 6
#   BAZEL_STARTUP_OPTS="..."   e.g. --output_base=/tmp/mybase (default: Bazel's default)
#   BAZEL_TEST_OPTS="..."      extra flags for both `bazel test` runs
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

tools/install-deps.sh || { echo "install-deps failed"; echo "0 passed, 1 failed"; exit 1; }

read -r -a startup <<< "${BAZEL_STARTUP_OPTS:-}"
read -r -a extra <<< "${BAZEL_TEST_OPTS:-}"
# Bazel prints its own noise on stderr; keep it, CI logs are where failures are diagnosed.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if ! bazel "${startup[@]}" query --noshow_progress \
        'tests(//...) except attr(tags, "manual", //...)' > "$tmp/targets" 2> "$tmp/query.err"; then
    cat "$tmp/query.err" >&2
    echo "bazel query failed"
    echo "0 passed, 1 failed"
    exit 1
fi

bep_args=()
run_config() {  # NAME [bazel flags...]  (targets: $RUN_TARGETS, default //...)
    local name=$1; shift
    local targets
    read -r -a targets <<< "${RUN_TARGETS:-//...}"
    echo "=== bazel test ($name) ===" >&2
    bazel "${startup[@]}" test --keep_going --test_output=errors \
        --build_event_json_file="$tmp/bep-$name.json" "$@" "${extra[@]}" -- "${targets[@]}"
    local rc=$?
    # The counter turns a failed build that no test result shows into one failed case.
    bep_args+=(--bep "$name=$tmp/bep-$name.json" --rc "$name=$rc")
}

# Every test runs once under ASan+UBSan (below); the plain build runs only what cannot run
# there (tests tagged "realtime": corosync-vqsim in real time), so the suite builds the tree
# twice (ASan, TSan) instead of three times. With QUORUMSIM_SKIP_ASAN=1 plain runs everything.
if [ "${QUORUMSIM_SKIP_ASAN:-0}" != 1 ]; then
    if bazel "${startup[@]}" query --noshow_progress \
            'attr(tags, "realtime", tests(//...)) except attr(tags, "manual", //...)' \
            > "$tmp/targets-plain" 2>> "$tmp/query.err" && [ -s "$tmp/targets-plain" ]; then
        RUN_TARGETS="$(tr '\n' ' ' < "$tmp/targets-plain")" run_config plain
        bep_args+=(--run-targets "plain=$tmp/targets-plain")
    fi
else
    run_config plain
fi
if [ "${QUORUMSIM_SKIP_ASAN:-0}" != 1 ]; then
    # A separate output directory keeps the plain and sanitizer builds cached side by side.
    # Tests tagged "realtime" (the comparison with corosync-vqsim, which runs in wall-clock time
    # and whose quorumsim side is already covered by the sanitized scenario test) run only once.
    if ! bazel "${startup[@]}" query --noshow_progress \
            'tests(//...) except attr(tags, "manual", //...) except attr(tags, "realtime", //...)' \
            > "$tmp/targets-asan" 2>> "$tmp/query.err"; then
        cp "$tmp/targets" "$tmp/targets-asan"
    fi
    run_config asan --config=asan --platform_suffix=-asan --test_tag_filters=-realtime
    bep_args+=(--run-targets "asan=$tmp/targets-asan")
fi

if [ "${QUORUMSIM_SKIP_TSAN:-0}" != 1 ]; then
    # The library's threads live in api/ (handles used from any thread, the scenario
    # player's thread, fork); the simulator and the engine are single-threaded.
    tsan_scope='//tests/api/...'
    if ! bazel "${startup[@]}" query --noshow_progress \
            "tests($tsan_scope) except attr(tags, \"manual\", //...) except attr(tags, \"realtime\", //...)" \
            > "$tmp/targets-tsan" 2>> "$tmp/query.err"; then
        echo "//tsan-query-failed" > "$tmp/targets-tsan"
    fi
    RUN_TARGETS="//tests/api/..." \
        run_config tsan --config=tsan --platform_suffix=-tsan --test_tag_filters=-realtime
    bep_args+=(--run-targets "tsan=$tmp/targets-tsan")
fi

if [ "${QUORUMSIM_SKIP_FUZZ:-0}" != 1 ]; then
    echo "=== fuzz (${QUORUMSIM_FUZZ_SECONDS:-10} s per target) ===" >&2
    tools/fuzz.sh ci "${QUORUMSIM_FUZZ_SECONDS:-10}" "$tmp/fuzz.xml" >&2
    bep_args+=(--junit "fuzz=$tmp/fuzz.xml")
fi

# The examples are not Bazel targets of this workspace; their script prints one PASS/FAIL line
# per step and ends with `examples: N passed, N failed`, which is added to the final count.
run_examples() {
    echo "=== examples ===" >&2
    tools/test-examples.sh | tee "$tmp/examples.out" >&2
    local counts
    counts=$(sed -n 's/^examples: \([0-9]*\) passed, \([0-9]*\) failed$/\1:\2/p' "$tmp/examples.out")
    bep_args+=(--extra "examples=${counts:-0:1}")
    grep '^FAIL' "$tmp/examples.out"   # next to the final line, where failures are read
}

if [ "${QUORUMSIM_SKIP_EXAMPLES:-0}" != 1 ]; then
    run_examples
fi

python3 tools/count-tests.py --targets "$tmp/targets" "${bep_args[@]}"
