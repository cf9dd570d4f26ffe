#!/usr/bin/env bash
# Build quorumsim and install it into an install tree for builds without Bazel:
#
#   tools/install.sh --prefix DIR
#
#   DIR/bin/quorumsim
#   DIR/include/corosync/*.h            quorumsim's own copies of corosync's client headers
#   DIR/include/quorumsim/*.h           <quorumsim/cluster.h>, <quorumsim/binding.h> (C)
#   DIR/include/quorumsim/{engine,sim,api}/...   the C++ API's headers, as included in the source
#   DIR/lib/libvotequorum.so.8          drop-in for corosync's library (+ libvotequorum.so link)
#   DIR/lib/libquorum.so.5, libcmap.so.4, libcfg.so.7   shims over libvotequorum.so.8 (their
#                                       link names are linker scripts naming both)
#   DIR/lib/libquorumsim.so.0           the C++ API (+ libquorumsim.so link)
#   DIR/lib/libquorumsim_testing.a      the RapidCheck fault-schedule harness
#   DIR/lib/pkgconfig/libvotequorum.pc, libquorum.pc, libcmap.pc, libcfg.pc, quorumsim.pc
#
# Uninstall: rm -rf DIR. BAZEL_STARTUP_OPTS as for tools/test.sh.
# --destdir STAGE puts the files under STAGE/DIR while the .pc files still name DIR
# (packaging: tools/make-deb.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { echo "usage: tools/install.sh --prefix DIR [--destdir STAGE]" >&2; exit 2; }
prefix=""
destdir=""
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) [ $# -ge 2 ] || usage; prefix=$2; shift 2 ;;
        --prefix=*) prefix=${1#--prefix=}; shift ;;
        --destdir) [ $# -ge 2 ] || usage; destdir=$2; shift 2 ;;
        --destdir=*) destdir=${1#--destdir=}; shift ;;
        *) usage ;;
    esac
done
[ -n "$prefix" ] || usage
if [ -z "$destdir" ]; then
    mkdir -p "$prefix"
    prefix=$(cd "$prefix" && pwd)   # the .pc files name it: it must be absolute
else
    case "$prefix" in /*) ;; *) echo "install: --prefix must be absolute with --destdir" >&2; exit 2 ;; esac
fi
pcprefix=$prefix
prefix=$destdir$prefix

read -r -a startup <<< "${BAZEL_STARTUP_OPTS:-}"
bazel() { command bazel "${startup[@]}" "$@"; }

# Public C++ targets whose headers make up the installed C++ API.
cxx_targets="//engine //engine:types //sim //sim:cmap_tree //sim:corosync_conf //sim:script //api:votequorum \
//api:cpp //sim/testing:fault_schedule"

bazel build --noshow_progress //:quorumsim //api:libvotequorum.so.8 //api:libquorumsim.so.0 \
    //api:libquorum.so.5 //api:libcmap.so.4 //api:libcfg.so.7 //sim/testing:fault_schedule
bin=$(bazel info bazel-bin 2>/dev/null)

install -d "$prefix/bin" "$prefix/lib/pkgconfig" "$prefix/include/corosync" \
    "$prefix/include/quorumsim"
install -m 755 "$bin/quorumsim" "$prefix/bin/quorumsim"
install -m 755 "$bin/api/libvotequorum.so.8" "$bin/api/libquorumsim.so.0" "$prefix/lib/"
ln -sf libvotequorum.so.8 "$prefix/lib/libvotequorum.so"
ln -sf libquorumsim.so.0 "$prefix/lib/libquorumsim.so"
# A shim holds no code, so linking a program with -lquorum must also see libvotequorum.so.8,
# where the functions are: the link name is a linker script (as glibc's libc.so is).
for so in libquorum.so.5 libcmap.so.4 libcfg.so.7; do
    install -m 755 "$bin/api/$so" "$prefix/lib/"
    printf '/* quorumsim: %s is a shim over libvotequorum.so.8 */\nINPUT(%s libvotequorum.so.8)\n' \
        "$so" "$so" > "$prefix/lib/${so%.so.*}.so"
done
install -m 644 "$bin/sim/testing/libfault_schedule.a" "$prefix/lib/libquorumsim_testing.a"

install -m 644 api/include/corosync/*.h "$prefix/include/corosync/"
install -m 644 api/include/quorumsim/*.h "$prefix/include/quorumsim/"
# //engine:types.h -> engine/types.h, kept at its source path under include/quorumsim/.
# shellcheck disable=SC2086
bazel query --noshow_progress "labels(hdrs, set($cxx_targets))" 2>/dev/null |
    sed -e 's|^//||' -e 's|:|/|' -e 's|^/||' |
    while read -r header; do
        install -D -m 644 "$header" "$prefix/include/quorumsim/$header"
    done

for pc in libvotequorum libquorum libcmap libcfg quorumsim; do
    sed "s|@PREFIX@|$pcprefix|g" "tools/pkgconfig/$pc.pc.in" > "$prefix/lib/pkgconfig/$pc.pc"
done
echo "installed quorumsim into $prefix"
