#!/usr/bin/env bash
# Prints the release version, the commit, and the numeric version, one per line
# (the Makefile reads them; one version everywhere):
#
#   base     wails.json's info.productVersion (X.Y.Z) — the one committed
#            version number; it is also what Wails writes into the .exe's
#            version resource and manifest (which want X.Y.Z numbers).
#   version  X.Y.Z when HEAD is tagged vX.Y.Z and the tree is clean;
#            otherwise X.Y.Z-dev.g<commit> (plus .dirty with uncommitted
#            changes) — so a fresh CI clone without tags still has one.
#   commit   git rev-parse --short=12 HEAD, or "unknown" outside git.
#
# A tag vA.B.C on HEAD that disagrees with wails.json is an error: bump
# productVersion in wails.json, commit, then tag.
set -euo pipefail
cd "$(dirname "$0")/../.."

base=$(sed -n 's/^[[:space:]]*"productVersion":[[:space:]]*"\([^"]*\)".*/\1/p' wails.json)
if ! [[ $base =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  echo "version.sh: wails.json info.productVersion is \"$base\", want X.Y.Z" >&2
  exit 1
fi

commit=unknown dirty= tag=
if git rev-parse --git-dir >/dev/null 2>&1; then
  commit=$(git rev-parse --short=12 HEAD)
  git diff-index --quiet HEAD -- 2>/dev/null || dirty=.dirty
  tag=$(git describe --tags --exact-match --match 'v[0-9]*' HEAD 2>/dev/null || true)
fi

if [ -n "$tag" ] && [ "$tag" != "v$base" ]; then
  echo "version.sh: HEAD is tagged $tag but wails.json says productVersion $base" >&2
  exit 1
fi
if [ -n "$tag" ] && [ -z "$dirty" ]; then
  version=$base
else
  version=$base-dev.g${commit:0:7}$dirty
fi
printf '%s\n%s\n%s\n' "$version" "$commit" "$base"
