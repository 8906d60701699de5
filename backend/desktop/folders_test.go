package desktop

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/resellerportal/portal/backend/rpc"
)

func TestPickFolderReturnsThePath(t *testing.T) {
	d := &fakeDialogs{path: "/media/usb/requests"}
	r := startedBridge(d).PickFolder("Choose the folder of requests")
	raw, _ := json.Marshal(r)
	if string(raw) != `{"ok":true,"data":{"path":"/media/usb/requests"}}` {
		t.Fatalf("%s", raw)
	}
	if len(d.folders) != 1 || d.folders[0].Title != "Choose the folder of requests" || len(d.opens) != 0 {
		t.Fatalf("dialog options %+v (opens %+v)", d.folders, d.opens)
	}
}

func TestPickFolderCancelAndRefusals(t *testing.T) {
	if r := startedBridge(&fakeDialogs{}).PickFolder("x"); !r.OK || r.Data != nil {
		t.Fatalf("cancel: %+v", r)
	}
	if r := startedBridge(&fakeDialogs{err: errors.New("no portal")}).PickFolder("x"); r.OK || r.Code != "dialog_failed" {
		t.Fatalf("dialog error: %+v", r)
	}
	d := &fakeDialogs{path: "/tmp"}
	b := &Bridge{window: NewWindow(), dialogs: d}
	if r := b.PickFolder("x"); r.OK || r.Code != "window_not_ready" || len(d.folders) != 0 {
		t.Fatalf("before start: %+v", r)
	}
}

type emitted struct {
	ctx  context.Context
	name string
	data []any
}

// emitRecorder replaces runtime.EventsEmit and records what was sent.
func emitRecorder(w *Window) *[]emitted {
	var got []emitted
	w.emit = func(ctx context.Context, name string, data ...any) { got = append(got, emitted{ctx, name, data}) }
	return &got
}

func TestBatchProgressEmitsForTheWindowsBatchOnly(t *testing.T) {
	w := NewWindow()
	got := emitRecorder(w)
	b := &Bridge{window: w, session: rpc.NewSession()}
	hook := BatchProgress(b)

	hook(b.session, "activation.batch", 1, 10) // before the window started: nobody listens
	if len(*got) != 0 {
		t.Fatalf("emitted before start: %+v", *got)
	}
	ctx := context.WithValue(context.Background(), folderCtxKey{}, "window")
	w.Startup(ctx)
	hook(b.session, "activation.batch", 50, 120)
	hook(rpc.NewSession(), "activation.batch", 7, 9) // another session's batch
	hook(b.session, "licenses.import", 1, 2)         // another operation
	hook(b.session, "activation.batch", 120, 120)
	want := []emitted{{ctx, "batch:progress", []any{50, 120}}, {ctx, "batch:progress", []any{120, 120}}}
	if !reflect.DeepEqual(*got, want) {
		t.Fatalf("emitted %+v, want %+v", *got, want)
	}
}

// folderCtxKey marks the window context of the progress test.
type folderCtxKey struct{}
