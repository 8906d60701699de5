package main

import (
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
	portal *portal.Portal // nil when the database could not be opened
	window *desktop.Window
	bridge *desktop.Bridge
}

// newApp opens the database at path. A database that cannot be opened (in
// use by rpctl, newer schema, …) still opens the window, which says why.
func newApp(path string, pathErr error) *App {
	a := &App{window: desktop.NewWindow()}
	err := pathErr
	if err == nil {
		a.portal, err = portal.Open(path)
	}
	if err != nil {
		a.bridge = desktop.Unavailable(err, a.window)
		return a
	}
	a.bridge = desktop.New(rpc.New(a.portal), a.window)
	return a
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

// close closes the database.
func (a *App) close() error {
	if a.portal == nil {
		return nil
	}
	return a.portal.Close()
}
