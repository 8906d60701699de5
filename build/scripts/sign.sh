#!/usr/bin/env bash
# Authenticode-signs Windows executables in place with osslsigncode.
#
#   sign.sh FILE...
#
# The certificate, first match wins (secrets come from files or the
# environment, never from argv — osslsigncode reads the password with
# -readpass FILE):
#   RP_SIGN_PFX=cert.pfx  RP_SIGN_PASS_FILE=password.txt
#   RP_SIGN_CERT=chain.pem RP_SIGN_KEY=key.pem [RP_SIGN_PASS_FILE=...]
#   neither: a throwaway self-signed code-signing certificate, made once per
#            RP_TEST_CERT_DIR (default build/bin/test-cert) by openssl and
#            named "Reseller Portal TEST SIGNATURE - not for distribution";
#            verify with: osslsigncode verify -CAfile RP_TEST_CERT_DIR/cert.pem
# RP_SIGN_TIMESTAMP_URL (an RFC 3161 server) adds a timestamp; a real release
# wants one, so that the signature outlives the certificate.
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: sign.sh FILE..." >&2; exit 2; }
root=$(cd "$(dirname "$0")/../.." && pwd)

args=()
if [ -n "${RP_SIGN_PFX:-}" ]; then
  args=(-pkcs12 "$RP_SIGN_PFX")
  [ -z "${RP_SIGN_PASS_FILE:-}" ] || args+=(-readpass "$RP_SIGN_PASS_FILE")
elif [ -n "${RP_SIGN_CERT:-}" ] || [ -n "${RP_SIGN_KEY:-}" ]; then
  : "${RP_SIGN_CERT:?RP_SIGN_KEY is set: set RP_SIGN_CERT too}" "${RP_SIGN_KEY:?RP_SIGN_CERT is set: set RP_SIGN_KEY too}"
  args=(-certs "$RP_SIGN_CERT" -key "$RP_SIGN_KEY")
  [ -z "${RP_SIGN_PASS_FILE:-}" ] || args+=(-readpass "$RP_SIGN_PASS_FILE")
else
  dir=${RP_TEST_CERT_DIR:-$root/build/bin/test-cert}
  if [ ! -s "$dir/cert.pem" ] || [ ! -s "$dir/key.pem" ]; then
    mkdir -p "$dir"
    openssl req -x509 -newkey rsa:3072 -nodes -sha256 -days 90 \
      -keyout "$dir/key.pem" -out "$dir/cert.pem" \
      -subj "/CN=Reseller Portal TEST SIGNATURE - not for distribution/O=Reseller Portal (TEST)" \
      -addext "keyUsage=critical,digitalSignature" \
      -addext "extendedKeyUsage=codeSigning" \
      -addext "basicConstraints=critical,CA:FALSE" 2>/dev/null
    chmod 600 "$dir/key.pem"
    echo "sign.sh: made a throwaway TEST code-signing certificate in $dir (not for distribution)" >&2
  fi
  args=(-certs "$dir/cert.pem" -key "$dir/key.pem")
fi
[ -z "${RP_SIGN_TIMESTAMP_URL:-}" ] || args+=(-ts "$RP_SIGN_TIMESTAMP_URL")

for f in "$@"; do
  tmp="$f.signing"
  rm -f "$tmp"
  osslsigncode sign "${args[@]}" -h sha256 -n "Reseller Portal" \
    -in "$f" -out "$tmp" >/dev/null
  mv -f "$tmp" "$f"
  echo "sign.sh: signed $f"
done
