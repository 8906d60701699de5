package main

import (
	"sync"

	"github.com/resellerportal/portal/backend/demo"
	"github.com/resellerportal/portal/backend/desktop"
	"github.com/resellerportal/portal/backend/portal"
	"github.com/resellerportal/portal/backend/rpc"
	"github.com/resellerportal/portal/frontend"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
	"github.com/wailsapp/wails/v2/pkg/options/mac"
	"github.com/wailsapp/wails/v2/pkg/options/windows"
)

// App wires the desktop app: the portal database, the rpc dispatcher that
// serve mode shares, and the Bridge bound into the window.
type App struct {
	path    string
	pathErr error
	mu      sync.Mutex
	portal  *portal.Portal // nil until opened
	server  *rpc.Server    // over portal; may switch to the demo database
	window  *desktop.Window
	bridge  *desktop.Bridge
}

// newApp prepares the app over the database at path. The database is opened
// by the first operation of the window; one that cannot be opened (in use by
// rpctl, newer schema, …) still shows the window, which says why and can try
// again.
func newApp(path string, pathErr error) *App {
	a := &App{path: path, pathErr: pathErr, window: desktop.NewWindow()}
	a.bridge = desktop.New(a.open, a.window)
	return a
}

// open opens the database and builds the dispatcher over it.
func (a *App) open() (*rpc.Server, error) {
	if a.pathErr != nil {
		return nil, a.pathErr
	}
	p, err := portal.Open(a.path)
	if err != nil {
		return nil, err
	}
	srv := rpc.New(p)
	srv.EnableDemo(demo.PathBeside(a.path))         // "Try it with a demo publisher" on the first-run screen
	srv.OnProgress(desktop.BatchProgress(a.bridge)) // "batch:progress" events for the batch screen's bar
	a.mu.Lock()
	a.portal, a.server = p, srv
	a.mu.Unlock()
	return srv, nil
}

// options are the Wails options of the one window.
func (a *App) options() *options.App {
	return &options.App{
		Title:            "Reseller Portal",
		Width:            1180,
		Height:           780,
		MinWidth:         820,
		MinHeight:        560,
		BackgroundColour: &options.RGBA{R: 243, G: 245, B: 244, A: 255},
		AssetServer:      &assetserver.Options{Assets: frontend.Dist()},
		OnStartup:        a.window.Startup,
		Bind:             []any{a.bridge},
		Linux:            &linux.Options{Icon: icon, ProgramName: "reseller-portal", WebviewGpuPolicy: linux.WebviewGpuPolicyNever},
		Windows:          &windows.Options{Theme: windows.SystemDefault},
		Mac:              &mac.Options{About: &mac.AboutInfo{Title: "Reseller Portal", Message: "Offline license activation for resellers", Icon: icon}},
	}
}

// close closes the database (and the demo database, if it is open).
func (a *App) close() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.portal == nil {
		return nil
	}
	derr := a.server.Close()
	if err := a.portal.Close(); err != nil {
		return err
	}
	return derr
}
