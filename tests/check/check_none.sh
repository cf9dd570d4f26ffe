#!/usr/bin/env bash
# check_none.sh QUORUMSIM CONF K: `quorumsim check CONF --faults K` must explore exhaustively,
# find no split-brain and exit 0.
set -uo pipefail
out=$("$1" check "$2" --faults "$3" --json)
rc=$?
echo "$out" | head -c 600; echo
[ "$rc" -eq 0 ] || { echo "FAIL: exit $rc"; exit 1; }
grep -q '"mode":"exhaustive","max_faults":'"$3" <<<"$out" || { echo "FAIL: not exhaustive at K=$3"; exit 1; }
grep -q '"split_brain":\[\]' <<<"$out" || { echo "FAIL: split-brain reported"; exit 1; }
echo "ok   no split-brain in $2 at K=$3"
