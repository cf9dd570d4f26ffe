#!/bin/bash
# Every function our <corosync/votequorum.h> declares must have a test named after it
# (TEST_F(Suite, votequorum_xxx) in functions_test.cc), and must appear in the C client
# and in the conformance program run against the real corosync.
# Every function <quorumsim/cluster.h> declares must be exported by libvotequorum.so.8's
# version script (C users link against the .so) and called by the C test.
# Every function of <corosync/quorum.h>, <corosync/cmap.h> and <corosync/cfg.h> must be
# exported by the version script, called by its library's test (libcmap and libcfg: a test
# named after it) and called by services_conformance.c, except the calls that file leaves
# out on purpose (listed below with the reason).
# Usage: check_api_coverage.sh VOTEQUORUM_H FUNCTIONS_TEST CLIENT_C CONFORMANCE_C \
#          CLUSTER_H LIBVOTEQUORUM_MAP CLUSTER_C_TEST \
#          QUORUM_H QUORUM_TEST CMAP_H CMAP_TEST CFG_H CFG_TEST SERVICES_CONFORMANCE_C
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
# Not called against the real daemon: they would stop it, or the simulator answers them
# differently by design (api/README.md).
not_in_conformance="cmap_initialize_map corosync_cfg_kill_node corosync_cfg_try_shutdown
corosync_cfg_replyto_shutdown corosync_cfg_ring_status_get corosync_cfg_reload_config
corosync_cfg_reopen_log_files"
services_conformance=${14}
service_total=0
for pair in "$8 $9 call" "${10} ${11} test" "${12} ${13} test"; do
  set -- $pair
  lib_h=$1 lib_test=$2 rule=$3
  # Declarations span lines in these headers ("cs_error_t\nname (").
  fns=$(tr '\n' ' ' < "$lib_h" | grep -oE 'cs_error_t[[:space:]]+[a-z_0-9]+[[:space:]]*\(' | \
        sed -E 's/cs_error_t[[:space:]]+([a-z_0-9]+).*/\1/' | sort -u)
  n=$(echo "$fns" | wc -l)
  [ "$n" -ge 10 ] || { echo "FAIL: found only $n functions in $lib_h"; exit 1; }
  service_total=$((service_total + n))
  for fn in $fns; do
    grep -qE "^ *$fn;" "$map" || { echo "$fn is not exported by $(basename "$map")"; missing=1; }
    if [ "$rule" = test ]; then
      grep -qE "TEST(_F)?\([A-Za-z]+, $fn\)|QS_TYPED\(${fn#cmap_[gs]et_}," "$lib_test" ||
        { echo "no test named $fn in $(basename "$lib_test")"; missing=1; }
    else
      grep -q "$fn(" "$lib_test" || { echo "$fn is not called by $(basename "$lib_test")"; missing=1; }
    fi
    if ! grep -qw "$fn" <<< "$not_in_conformance"; then
      grep -q "$fn(" "$services_conformance" ||
        { echo "$fn is not called by $(basename "$services_conformance")"; missing=1; }
    fi
  done
done
[ $missing -eq 0 ] || { echo FAIL; exit 1; }
echo "PASS: all $service_total libquorum, libcmap and libcfg functions are exported, tested and run against the real daemon (but the listed exceptions)"
echo "PASS: all $count functions have a test, a client call and a conformance call:" $functions
echo "PASS: all $cluster_count cluster.h functions are exported and tested:" $cluster_functions
