#!/usr/bin/env bash
# Packages the Linux desktop app.
#
#   release-linux.sh APP DIST VERSION [NFPM]
#
# DIST/reseller-portal-VERSION-linux-amd64.tar.gz: one folder with the app,
# its .desktop file and icon (build/linux/, build/appicon.png) and an
# install note; with NFPM (the nfpm binary) also
# DIST/reseller-portal_VERSION_amd64.deb (build/linux/nfpm.yaml).
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: release-linux.sh APP DIST VERSION [NFPM]" >&2; exit 2; }
root=$(cd "$(dirname "$0")/../.." && pwd)
app=$(realpath "$1") dist=$(realpath -m "$2") version=$3 nfpm=${4:+$(realpath "$4")}
work=$root/build/bin/release-work
name=reseller-portal-$version-linux-amd64
rm -rf "${work:?}/$name"
mkdir -p "$work/$name" "$dist"
install -m 755 "$app" "$work/$name/reseller-portal"
install -m 644 "$root/build/linux/reseller-portal.desktop" "$work/$name/reseller-portal.desktop"
install -m 644 "$root/build/appicon.png" "$work/$name/reseller-portal.png"
cat >"$work/$name/INSTALL.txt" <<TXT
Reseller Portal $version for Linux (amd64)

Needs GTK 3 and WebKitGTK 4.1 (Debian/Ubuntu: apt install libgtk-3-0 libwebkit2gtk-4.1-0).
Run ./reseller-portal, or install for this user:
  install -D reseller-portal ~/.local/bin/reseller-portal
  install -D -m 644 reseller-portal.png ~/.local/share/icons/hicolor/256x256/apps/reseller-portal.png
  install -D -m 644 reseller-portal.desktop ~/.local/share/applications/reseller-portal.desktop
The portal database lives in ~/.config/ResellerPortal/.
TXT
tar -C "$work" --owner=0 --group=0 --numeric-owner --sort=name \
  -czf "$dist/$name.tar.gz" "$name"
echo "release-linux: $dist/$name.tar.gz"

if [ -n "$nfpm" ]; then
  (cd "$work/$name" && RP_VERSION=$version \
    "$nfpm" package --config "$root/build/linux/nfpm.yaml" --packager deb --target "$dist/" >/dev/null)
  ls "$dist"/reseller-portal_*_amd64.deb >/dev/null
  echo "release-linux: $(ls "$dist"/reseller-portal_*_amd64.deb)"
fi
