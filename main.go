// Command reseller-portal is the desktop app: one Wails window over the
// portal database in the user's config directory.
package main

import (
	_ "embed"
	"fmt"
	"os"
	"syscall"

	"github.com/resellerportal/portal/backend/portal"
	"github.com/wailsapp/wails/v2"
)

//go:embed build/appicon.png
var icon []byte

func main() {
	os.Exit(run())
}

// run starts the window and returns the exit code. SIGTERM and Ctrl-C quit
// the window cleanly; the database is closed before the process exits.
func run() int {
	app := newApp(portal.DefaultDBPath())
	stop := app.window.QuitOnEarlySignal(syscall.SIGTERM, os.Interrupt)
	err := wails.Run(app.options())
	stop()
	if cerr := app.close(); cerr != nil {
		fmt.Fprintln(os.Stderr, "reseller-portal: close database:", cerr)
		return 1
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "reseller-portal:", err)
		return 1
	}
	return 0
}
