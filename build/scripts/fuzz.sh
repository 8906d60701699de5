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
jobs=${FUZZ_JOBS:-2} # targets fuzzed at once: -fuzztime is wall time, so this divides the wall time
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

# fuzz_one PKG NAME LOG: fuzz one target; its exit code goes to LOG.rc.
fuzz_one() {
  local rc=0
  go test -run '^$' -fuzz "^${2}\$" -fuzztime "$fuzztime" "$1" >"$3" 2>&1 || rc=$?
  if grep -q 'no fuzz tests to fuzz' "$3"; then
    echo "fuzz: $1 has no fuzz target named $2" >>"$3"
    rc=1
  fi
  echo "$rc" >"$3.rc"
}

declare -A pids
i=0
for t in "${targets[@]}"; do
  pkg=${t%%:*}
  name=${t#*:}
  case $pkg in
    "$module"*|./*) ;;
    *) pkg="./$pkg" ;;
  esac
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
    wait -n || true
  done
  echo "fuzz: $pkg $name for $fuzztime"
  i=$((i + 1))
  fuzz_one "$pkg" "$name" "$logs/$i.log" &
  pids[$i]="$pkg|$name"
done
wait

passed=0
failed=0
for k in "${!pids[@]}"; do
  IFS='|' read -r pkg name <<<"${pids[$k]}"
  if [ "$(cat "$logs/$k.log.rc" 2>/dev/null)" = 0 ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    cat "$logs/$k.log" >&2
    echo "fuzz: FAIL $pkg $name (log above; a crashing input is saved under the package's testdata/fuzz/$name)" >&2
  fi
done
echo "fuzz: ${#targets[@]} targets: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
