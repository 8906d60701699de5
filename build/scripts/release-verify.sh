#!/usr/bin/env bash
# Checks a release folder (make release → dist/, make release-check → its own):
#   - the NSIS installer exists, `7z l` lists the app and the uninstaller in
#     it, and the app inside is byte for byte the signed portable .exe;
#   - Authenticode signatures of the portable .exe, the installer and the
#     uninstaller inside it verify (osslsigncode; a TEST signature against
#     TEST-SIGNATURE-cert.pem, a real one against the system CAs);
#   - each rpctl cross-build is the right format (file), and linux/amd64
#     runs `--version` and prints this version;
#   - the Linux .tar.gz holds the app, .desktop file and icon (when present);
#   - SHA256SUMS names every artifact and matches (sha256sum -c).
#
#   release-verify.sh DIST VERSION
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: release-verify.sh DIST VERSION" >&2; exit 2; }
dist=$(realpath "$1") version=$2
fail() { echo "release-verify: $*" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

setup=$dist/reseller-portal-$version-windows-amd64-setup.exe
portable=$dist/reseller-portal-$version-windows-amd64-portable.exe
[ -s "$setup" ] || fail "no installer $setup"
[ -s "$portable" ] || fail "no portable app $portable"

listing=$(7z l -ba "$setup") || fail "7z cannot list $setup"
for f in reseller-portal.exe uninstall.exe webview2bootstrapper/MicrosoftEdgeWebview2Setup.exe; do
  grep -q "$f\$" <<<"$listing" || fail "the installer holds no $f (7z l: $listing)"
done
(cd "$tmp" && 7z e -y "$setup" reseller-portal.exe uninstall.exe >/dev/null) || fail "7z cannot extract from $setup"
cmp -s "$tmp/reseller-portal.exe" "$portable" || fail "the app in the installer is not the signed portable .exe"
echo "release-verify: installer holds the signed app, the uninstaller and the WebView2 bootstrapper"

verify=(osslsigncode verify)
if [ -f "$dist/TEST-SIGNATURE-cert.pem" ]; then
  verify+=(-CAfile "$dist/TEST-SIGNATURE-cert.pem")
  kind="TEST signature (self-signed)"
else
  kind="signature"
fi
for f in "$portable" "$setup" "$tmp/uninstall.exe"; do
  out=$("${verify[@]}" -in "$f" 2>&1) || { echo "$out" >&2; fail "$(basename "$f"): $kind does not verify"; }
  grep -q "^Signature verification: ok" <<<"$out" || { echo "$out" >&2; fail "$(basename "$f"): $kind does not verify"; }
done
echo "release-verify: $kind verifies: portable app, installer, uninstaller"

declare -A want=(
  [linux-amd64]="ELF 64-bit LSB.*x86-64"
  [linux-arm64]="ELF 64-bit LSB.*ARM aarch64"
  [windows-amd64.exe]="PE32\+ executable.*x86-64"
  [windows-arm64.exe]="PE32\+ executable.*Aarch64"
  [darwin-amd64]="Mach-O 64-bit x86_64 executable"
  [darwin-arm64]="Mach-O 64-bit arm64 executable"
)
for k in "${!want[@]}"; do
  f=$dist/rpctl-$version-$k
  [ -s "$f" ] || fail "no $f"
  desc=$(file -b "$f")
  grep -Eq "${want[$k]}" <<<"$desc" || fail "$(basename "$f"): file says \"$desc\", want ${want[$k]}"
done
out=$("$dist/rpctl-$version-linux-amd64" --version)
[[ $out == "rpctl $version (commit "*")" ]] || fail "rpctl --version says \"$out\", want rpctl $version (commit …)"
echo "release-verify: rpctl ×6 are the right format; linux-amd64 says: $out"

tgz=$dist/reseller-portal-$version-linux-amd64.tar.gz
if [ -f "$tgz" ]; then
  names=$(tar tzf "$tgz")
  for f in reseller-portal reseller-portal.desktop reseller-portal.png; do
    grep -q "/$f\$" <<<"$names" || fail "$(basename "$tgz") holds no $f"
  done
  echo "release-verify: $(basename "$tgz") holds the app, .desktop file and icon"
fi

[ -s "$dist/SHA256SUMS" ] || fail "no SHA256SUMS"
for f in "$dist"/*; do
  b=$(basename "$f")
  [ "$b" = SHA256SUMS ] && continue
  grep -q "  $b\$" "$dist/SHA256SUMS" || fail "SHA256SUMS does not name $b"
done
(cd "$dist" && sha256sum --quiet -c SHA256SUMS) || fail "SHA256SUMS does not match"
echo "release-verify: SHA256SUMS matches all $(wc -l <"$dist/SHA256SUMS") artifacts"
