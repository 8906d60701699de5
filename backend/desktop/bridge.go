// Package desktop is the glue between the Wails window and the backend: one
// Bridge object bound into the page, which forwards every operation to the
// same rpc dispatcher that serve mode uses, plus the few things only a
// desktop window can do (native open and save dialogs).
package desktop

import (
	"sync"

	"github.com/resellerportal/portal/backend/reply"
	"github.com/resellerportal/portal/backend/rpc"
)

// Opener opens the backend. The Bridge calls it on the first operation and
// again after each failure, so a window that started while the database was
// in use (by rpctl, say) recovers when the user tries again.
type Opener func() (*rpc.Server, error)

// Bridge is bound into the desktop window. Its exported methods are the
// binding contract (frontend/wailsjs is generated from them); the frontend's
// src/api is their only caller.
type Bridge struct {
	open    Opener
	mu      sync.Mutex
	server  *rpc.Server  // nil until open succeeds
	session *rpc.Session // the window is one signed-in (or not) session
	window  *Window
	dialogs dialogs
}

// New returns the Bridge of one window over the backend that open opens.
func New(open Opener, window *Window) *Bridge {
	return &Bridge{open: open, session: rpc.NewSession(), window: window, dialogs: wailsDialogs{}}
}

// backend returns the dispatcher, opening it if it is not open yet.
func (b *Bridge) backend() (*rpc.Server, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.server == nil {
		s, err := b.open()
		if err != nil {
			return nil, err
		}
		b.server = s
	}
	return b.server, nil
}

// Call runs one operation; params is its JSON object ("" means none). When
// the backend cannot be opened, every operation answers with the reason
// (for example database_in_use), so the first screen can say why.
func (b *Bridge) Call(op string, params string) reply.Reply {
	server, err := b.backend()
	if err != nil {
		return reply.Of(nil, err)
	}
	if params == "" {
		params = "{}"
	}
	return server.Call(b.session, op, []byte(params))
}
