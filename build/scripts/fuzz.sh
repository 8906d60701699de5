#!/usr/bin/env bash
# Runs every fuzz target for FUZZTIME each.
# Usage: fuzz.sh FUZZTIME [pkg:FuzzName ...]
# Without targets, it finds them all with `go test -list '^Fuzz' ./...`.
set -euo pipefail

fuzztime=${1:?usage: fuzz.sh FUZZTIME [pkg:FuzzName ...]}
shift
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  # `go test -list` prints the matching names of a package, then "ok  <pkg> …";
  # a package that does not build fails the whole listing (and this script).
  list=$(go test -list '^Fuzz' ./...)
  mapfile -t targets < <(awk '
    /^Fuzz/ { names[++n] = $1; next }
    /^ok[ \t]/ { for (i = 1; i <= n; i++) print $2 ":" names[i]; n = 0; next }
    { n = 0 }' <<<"$list")
fi
if [ ${#targets[@]} -eq 0 ]; then
  echo "fuzz: no fuzz targets found"
  exit 0
fi

module=$(go list -m)
passed=0
failed=0
for t in "${targets[@]}"; do
  pkg=${t%%:*}
  name=${t#*:}
  case $pkg in
    "$module"*) ;;
    ./*) ;;
    *) pkg="./$pkg" ;;
  esac
  echo "fuzz: $pkg $name for $fuzztime"
  if go test -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" "$pkg" >/tmp/fuzz.$$.log 2>&1; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    cat /tmp/fuzz.$$.log >&2
    echo "fuzz: FAIL $pkg $name (a crasher is saved under the package's testdata/fuzz/$name)" >&2
  fi
done
rm -f /tmp/fuzz.$$.log
echo "fuzz: ${#targets[@]} targets: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
