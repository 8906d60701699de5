// Package frontend embeds the built web UI so that both the desktop app and
// `rpctl portal serve` can serve the same files.
package frontend

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// Dist returns the built UI rooted at its index.html.
func Dist() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // the embed pattern above guarantees the folder exists
	}
	return sub
}
