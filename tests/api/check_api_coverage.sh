#!/bin/bash
# Every function our <corosync/votequorum.h> declares must have a test named after it
# (TEST_F(Suite, votequorum_xxx) in functions_test.cc), and must appear in the C client
# and in the conformance program run against the real corosync.
# Every function <quorumsim/cluster.h> declares must be exported by libvotequorum.so.8's
# version script (C users link against the .so) and called by the C test.
# Usage: check_api_coverage.sh VOTEQUORUM_H FUNCTIONS_TEST CLIENT_C CONFORMANCE_C \
#          CLUSTER_H LIBVOTEQUORUM_MAP CLUSTER_C_TEST
set -uo pipefail
header=$1 tests=$2 client=$3 conformance=$4
cluster_h=$5 map=$6 cluster_test=$7
functions=$(grep -oE '^cs_error_t (votequorum_[a-z_]+)\(' "$header" | sed -E 's/^cs_error_t ([a-z_]+)\(/\1/' | sort -u)
count=$(echo "$functions" | wc -l)
[ "$count" -ge 16 ] || { echo "FAIL: found only $count functions in $header"; exit 1; }
missing=0
for fn in $functions; do
  grep -qE "TEST(_F)?\([A-Za-z]+, $fn\)" "$tests" || { echo "no test named $fn in $(basename "$tests")"; missing=1; }
  grep -q "$fn(" "$client" || { echo "$fn is not called by $(basename "$client")"; missing=1; }
  grep -q "$fn(" "$conformance" || { echo "$fn is not called by $(basename "$conformance")"; missing=1; }
done
cluster_functions=$(grep -oE '^[a-z_ ]+\*?(quorumsim_[a-z_]+)\(' "$cluster_h" | grep -oE 'quorumsim_[a-z_]+' | sort -u)
cluster_count=$(echo "$cluster_functions" | wc -l)
[ "$cluster_count" -ge 5 ] || { echo "FAIL: found only $cluster_count functions in $cluster_h"; exit 1; }
for fn in $cluster_functions; do
  grep -qE "^ *$fn;" "$map" || { echo "$fn is not exported by $(basename "$map")"; missing=1; }
  grep -q "$fn(" "$cluster_test" || { echo "$fn is not called by $(basename "$cluster_test")"; missing=1; }
done
[ $missing -eq 0 ] || { echo FAIL; exit 1; }
echo "PASS: all $count functions have a test, a client call and a conformance call:" $functions
echo "PASS: all $cluster_count cluster.h functions are exported and tested:" $cluster_functions
