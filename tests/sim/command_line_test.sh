#!/usr/bin/env bash
# The quorumsim command's own behaviour: the script's "# config:" header, --trace -,
# refusals of odd files and failed writes. One line per check; exit 1 if any failed.
set -uo pipefail
quorumsim=$1
scenarios=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
check() {  # NAME CONDITION-RESULT(0 ok)
    if [ "$2" -eq 0 ]; then echo "ok   $1"; else echo "FAIL $1"; failed=1; fi
}

# A script given alone runs on the configuration its header names.
out=$("$quorumsim" "$scenarios/vq-three-node-split.vqsim" 2>&1)
check "script argument uses its '# config:' header" $?
grep -q '^1:3: q=0 ring=\[3\.' <<<"$out"; check "header's cluster was simulated" $?

# -c wins over the header.
"$quorumsim" -c "$scenarios/five-node.conf" "$scenarios/vq-three-node-split.vqsim" > "$tmp/out" 2>&1
grep -q '^0:5:' "$tmp/out"; check "-c overrides the header" $?

# --trace - writes the trace to standard output, starting with its versioned header.
printf 'split 1:3\njoin 0 1\n' > "$tmp/s.vqsim"
"$quorumsim" -c "$scenarios/three-node.conf" --trace - --no-prompt "$tmp/s.vqsim" > "$tmp/trace" 2>&1
check "--trace - runs" $?
grep -q '^{"t":0,"ev":"trace","version":1' "$tmp/trace"; check "trace header with version" $?
grep -q '"ev":"command".*"text":"join 0 1"' "$tmp/trace"; check "join appears in the trace" $?

# A directory is neither a script nor a corosync.conf.
"$quorumsim" -c "$scenarios/three-node.conf" "$tmp" > "$tmp/out" 2>&1
[ $? -eq 1 ] && grep -q 'Is a directory' "$tmp/out"; check "directory as script refused" $?

# Output that cannot be written fails the run.
if [ -w /dev/full ]; then
    "$quorumsim" -c "$scenarios/three-node.conf" "$tmp/s.vqsim" > /dev/full 2> "$tmp/err"
    [ $? -eq 1 ] && grep -q 'cannot write standard output' "$tmp/err"; check "write to /dev/full fails" $?
fi
"$quorumsim" -c "$scenarios/three-node.conf" "$tmp/s.vqsim" >&- 2> "$tmp/err"
[ $? -eq 1 ]; check "closed standard output fails" $?

# A script line longer than the limit is a located error, not a memory hog.
head -c 100000 /dev/zero | tr '\0' x > "$tmp/long.vqsim"
"$quorumsim" -c "$scenarios/three-node.conf" "$tmp/long.vqsim" > /dev/null 2> "$tmp/err"
[ $? -eq 1 ] && grep -q 'long.vqsim:1: line longer than the limit of 65536 bytes' "$tmp/err"
check "over-long line refused" $?

exit $failed
