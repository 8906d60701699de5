// Package desktop is the glue between the Wails window and the backend: one
// Bridge object bound into the page, which forwards every operation to the
// same rpc dispatcher that serve mode uses, plus the few things only a
// desktop window can do (native open and save dialogs).
package desktop

import (
	"github.com/resellerportal/portal/backend/reply"
	"github.com/resellerportal/portal/backend/rpc"
)

// Bridge is bound into the desktop window. Its exported methods are the
// binding contract (frontend/wailsjs is generated from them); the frontend's
// src/api is their only caller.
type Bridge struct {
	server  *rpc.Server
	session *rpc.Session // the window is one signed-in (or not) session
	openErr error        // set when the database could not be opened
	window  *Window
	dialogs dialogs
}

// New returns the Bridge of one window over server.
func New(server *rpc.Server, window *Window) *Bridge {
	return &Bridge{server: server, session: rpc.NewSession(), window: window, dialogs: wailsDialogs{}}
}

// Unavailable returns a Bridge for a window whose database could not be
// opened: every operation answers with err, so the first screen can say why
// (for example "database is in use") instead of the app failing silently.
func Unavailable(err error, window *Window) *Bridge {
	return &Bridge{openErr: err, window: window, dialogs: wailsDialogs{}}
}

// Call runs one operation; params is its JSON object ("" means none).
func (b *Bridge) Call(op string, params string) reply.Reply {
	if b.openErr != nil {
		return reply.Of(nil, b.openErr)
	}
	if params == "" {
		params = "{}"
	}
	return b.server.Call(b.session, op, []byte(params))
}
