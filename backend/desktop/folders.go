package desktop

import (
	"fmt"

	"github.com/resellerportal/portal/backend/reply"
	"github.com/resellerportal/portal/backend/rpc"
	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// PickedFolder is what PickFolder returns.
type PickedFolder struct {
	Path string `json:"path"`
}

// PickFolder shows the native folder dialog and returns the chosen folder's
// path (for activation.batch {path}), or ok with no data when the user
// cancels. Nothing is read here: the batch reads the folder.
func (b *Bridge) PickFolder(title string) reply.Reply {
	ctx, ok := b.window.Context()
	if !ok {
		return reply.Of(nil, ErrNotReady)
	}
	path, err := b.dialogs.folder(ctx, runtime.OpenDialogOptions{Title: title})
	if err != nil {
		return reply.Of(nil, fmt.Errorf("%w: %v", ErrDialog, err))
	}
	if path == "" {
		return reply.Of(nil, nil)
	}
	return reply.Of(PickedFolder{Path: path}, nil)
}

// BatchProgressEvent is the Wails event the window's page hears while
// activation.batch runs: EventsOn("batch:progress", (done, total) => …).
const BatchProgressEvent = "batch:progress"

// BatchProgress returns the hook for rpc.Server.OnProgress that tells the
// window how far its own activation.batch has come (after each committed
// chunk). Progress of other sessions (none today: the window is the only
// caller of its dispatcher) and of other operations is not emitted.
func BatchProgress(b *Bridge) func(sess *rpc.Session, op string, done, total int) {
	return func(sess *rpc.Session, op string, done, total int) {
		if sess != b.session || op != "activation.batch" {
			return
		}
		b.window.Emit(BatchProgressEvent, done, total)
	}
}
