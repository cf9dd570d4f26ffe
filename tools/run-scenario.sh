#!/usr/bin/env bash
# Run one scenario script and show its output.
#
#   tools/run-scenario.sh [--vqsim] SCENARIO.vqsim [extra quorumsim options]
#
# Installs missing packages (tools/install-deps.sh), builds //:quorumsim and runs
#   bazel-bin/quorumsim -c CONFIG < SCENARIO
# where CONFIG is named by the scenario's `# config: FILE` header line (relative to the
# scenario's directory). With --vqsim the scenario goes through the real corosync-vqsim instead
# (tests/scenarios/vqsim_diff.py --vqsim-only: `expect` lines dropped, `wait` = real sleep).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)

use_vqsim=0
if [ "${1:-}" = "--vqsim" ]; then use_vqsim=1; shift; fi
if [ $# -lt 1 ]; then
    echo "usage: $0 [--vqsim] SCENARIO.vqsim [quorumsim options]" >&2
    exit 2
fi
scenario=$1; shift
[ -f "$scenario" ] || { echo "$0: no such scenario: $scenario" >&2; exit 2; }

"$repo/tools/install-deps.sh"

config=$(sed -n 's/^#[[:space:]]*config:[[:space:]]*\([^[:space:]]*\).*/\1/p' "$scenario" | head -n 1)
[ -n "$config" ] || { echo "$0: $scenario has no '# config: FILE' line" >&2; exit 2; }
config="$(dirname "$scenario")/$config"

if [ "$use_vqsim" = 1 ]; then
    exec python3 "$repo/tests/scenarios/vqsim_diff.py" --vqsim-only "$scenario"
fi

(cd "$repo" && bazel build //:quorumsim)
exec "$repo/bazel-bin/quorumsim" -c "$config" "$@" < "$scenario"
