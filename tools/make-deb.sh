#!/usr/bin/env bash
# Build a Debian package of quorumsim's install tree:
#
#   tools/make-deb.sh [OUTDIR]      -> OUTDIR/quorumsim_VERSION_ARCH.deb (default OUTDIR: .)
#   apt install ./quorumsim_*.deb
#
# Everything goes under /usr/lib/quorumsim (bin, include, lib, lib/pkgconfig), so the package
# never replaces corosync's own libvotequorum or headers; /usr/bin/quorumsim links to the
# command. Builds pick the simulator with PKG_CONFIG_PATH=/usr/lib/quorumsim/lib/pkgconfig.
set -euo pipefail
cd "$(dirname "$0")/.."

outdir=${1:-.}
version=1.0
arch=$(dpkg --print-architecture)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

tools/install.sh --prefix /usr/lib/quorumsim --destdir "$stage/root"
install -d "$stage/root/usr/bin" "$stage/root/DEBIAN"
ln -s ../lib/quorumsim/bin/quorumsim "$stage/root/usr/bin/quorumsim"

cat > "$stage/root/DEBIAN/control" <<CONTROL
Package: quorumsim
Version: $version
Architecture: $arch
Maintainer: quorumsim developers <quorumsim@localhost>
Depends: libc6 (>= 2.36), libstdc++6 (>= 12), libgcc-s1
Section: devel
Priority: optional
Installed-Size: $(du -sk "$stage/root" | cut -f1)
Description: simulated corosync 3.1 votequorum clusters for testing cluster software
 A drop-in libvotequorum.so.8 that answers from a simulated cluster, the
 quorumsim command (corosync-vqsim's language and more), C and C++ headers and
 pkg-config files, all under /usr/lib/quorumsim.
CONTROL

mkdir -p "$outdir"
dpkg-deb --root-owner-group --build "$stage/root" "$outdir/quorumsim_${version}_${arch}.deb" >&2
echo "$outdir/quorumsim_${version}_${arch}.deb"
