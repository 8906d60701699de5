#!/usr/bin/env bash
# Installs the Wails CLI v2.9.2 into DEST (the project-local tool dir).
#
# Why not plain `go install github.com/wailsapp/wails/v2/cmd/wails@v2.9.2`:
# v2.9.2 pins golang.org/x/tools v0.17, which neither compiles with Go 1.26
# nor reads Go 1.26 export data; a CLI built with an older toolchain installs,
# but `wails build` then stops at "internal error: package "errors" without
# types was imported from …". So this builds the same v2.9.2 source, fetched
# through the Go module proxy, with x/tools raised to a version that knows
# Go 1.26. The Wails library the app links against stays v2.9.2 from go.mod.
set -euo pipefail

dest=$(realpath -m "${1:?usage: install-wails.sh DEST_DIR}")
version=v2.9.2
xtools=v0.52.0

work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
cd "$work"
dir=$(GOFLAGS=-mod=mod go mod download -json "github.com/wailsapp/wails/v2@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[ -d "$dir" ] || { echo "install-wails: could not download wails $version" >&2; exit 1; }
cp -r "$dir" src
chmod -R u+w src
cd src
go get "golang.org/x/tools@$xtools" >"$work/get.log" 2>&1 || { cat "$work/get.log" >&2; exit 1; }
mkdir -p "$dest"
go build -mod=mod -trimpath -o "$dest/wails" ./cmd/wails
"$dest/wails" version >/dev/null
echo "install-wails: wails $version (x/tools $xtools) installed in $dest"
