#!/usr/bin/env bash
# Signs the cross-built Windows app and wraps it in the NSIS installer.
#
#   release-windows.sh APP.exe DIST VERSION
#
# Needs build/windows/installer/wails_tools.nsh and tmp/ (written by
# `wails build -platform windows/amd64 -nsis`, i.e. make build-windows).
# Writes DIST/reseller-portal-VERSION-windows-amd64-portable.exe (the signed
# app) and DIST/reseller-portal-VERSION-windows-amd64-setup.exe (the signed
# installer holding the signed app and a signed uninstaller). Signing: see
# sign.sh; with the throwaway TEST certificate its cert.pem goes to DIST as
# TEST-SIGNATURE-cert.pem.
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: release-windows.sh APP.exe DIST VERSION" >&2; exit 2; }
root=$(cd "$(dirname "$0")/../.." && pwd)
exe=$(realpath "$1") dist=$(realpath -m "$2") version=$3
inst=$root/build/windows/installer
for f in "$inst/wails_tools.nsh" "$inst/tmp/MicrosoftEdgeWebview2Setup.exe"; do
  [ -s "$f" ] || { echo "release-windows: $f is missing: run make build-windows (wails build -nsis) first" >&2; exit 1; }
done
command -v makensis >/dev/null || { echo "release-windows: makensis is missing: apt-get install nsis" >&2; exit 1; }

work=$root/build/bin/release-work
export RP_TEST_CERT_DIR=${RP_TEST_CERT_DIR:-$work/test-cert}
mkdir -p "$dist" "$work"
portable=$dist/reseller-portal-$version-windows-amd64-portable.exe
setup=$dist/reseller-portal-$version-windows-amd64-setup.exe
cp "$exe" "$portable"
bash "$root/build/scripts/sign.sh" "$portable"

# The installer around the signed app; makensis signs the uninstaller it
# writes (!uninstfinalize), sign.sh then signs the installer itself.
log=$work/makensis.log
if ! (cd "$inst" && makensis -V3 -NOCD \
      -DARG_WAILS_AMD64_BINARY="$portable" -DRP_VERSION="$version" -DRP_OUTFILE="$setup" \
      -DRP_SIGN="bash $root/build/scripts/sign.sh" project.nsi) >"$log" 2>&1; then
  cat "$log" >&2
  echo "release-windows: makensis failed" >&2
  exit 1
fi
bash "$root/build/scripts/sign.sh" "$setup"

if [ -z "${RP_SIGN_PFX:-}${RP_SIGN_CERT:-}" ]; then
  cp "$RP_TEST_CERT_DIR/cert.pem" "$dist/TEST-SIGNATURE-cert.pem"
  echo "release-windows: TEST signature (self-signed, not for distribution): $dist/TEST-SIGNATURE-cert.pem"
else
  rm -f "$dist/TEST-SIGNATURE-cert.pem"
fi
