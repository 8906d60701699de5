//go:build unix

package desktop

import (
	"context"
	"syscall"
	"testing"
	"time"
)

type ctxKey struct{}

// quitRecorder replaces runtime.Quit and reports the context it was given.
func quitRecorder(w *Window) <-chan context.Context {
	got := make(chan context.Context, 4)
	w.quit = func(ctx context.Context) { got <- ctx }
	return got
}

func TestQuitOnSignalAfterStartup(t *testing.T) {
	w := NewWindow()
	quits := quitRecorder(w)
	ctx := context.WithValue(context.Background(), ctxKey{}, "window")
	w.Startup(ctx)
	stop := w.QuitOnSignal(syscall.SIGUSR1)
	defer stop()
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGUSR1); err != nil {
		t.Fatal(err)
	}
	select {
	case got := <-quits:
		if got.Value(ctxKey{}) != "window" {
			t.Fatal("quit with another context than the window's")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no quit after the signal")
	}
}

func TestSignalBeforeStartupQuitsOnceStarted(t *testing.T) {
	w := NewWindow()
	quits := quitRecorder(w)
	stop := w.QuitOnSignal(syscall.SIGUSR2)
	defer stop()
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGUSR2); err != nil {
		t.Fatal(err)
	}
	select {
	case <-quits:
		t.Fatal("quit before the window started")
	case <-time.After(200 * time.Millisecond):
	}
	if _, ok := w.Context(); ok {
		t.Fatal("context before startup")
	}
	w.Startup(context.Background())
	w.Startup(context.TODO()) // a second call changes nothing
	select {
	case <-quits:
	case <-time.After(5 * time.Second):
		t.Fatal("no quit once started")
	}
	if ctx, ok := w.Context(); !ok || ctx != context.Background() {
		t.Fatal("the first startup context must stay")
	}
}

func TestStopUndoesTheSubscription(t *testing.T) {
	w := NewWindow()
	quits := quitRecorder(w)
	w.Startup(context.Background())
	stop := w.QuitOnSignal(syscall.SIGUSR1)
	stop()
	stop() // idempotent
	// with the subscription undone a second, independent one must still work
	// and the stopped one must not quit
	other := NewWindow()
	otherQuits := quitRecorder(other)
	other.Startup(context.Background())
	stopOther := other.QuitOnSignal(syscall.SIGUSR1)
	defer stopOther()
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGUSR1); err != nil {
		t.Fatal(err)
	}
	select {
	case <-otherQuits:
	case <-time.After(5 * time.Second):
		t.Fatal("the live subscription did not fire")
	}
	select {
	case <-quits:
		t.Fatal("a stopped subscription quit the window")
	case <-time.After(200 * time.Millisecond):
	}
}

func TestEarlySignalLeavesARunningWindowToWails(t *testing.T) {
	w := NewWindow()
	quits := quitRecorder(w)
	w.Startup(context.Background())
	stop := w.QuitOnEarlySignal(syscall.SIGUSR1)
	defer stop()
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGUSR1); err != nil {
		t.Fatal(err)
	}
	select {
	case <-quits:
		t.Fatal("quit a running window: Wails' own handler does that, a second quit races GTK")
	case <-time.After(300 * time.Millisecond):
	}
}

func TestEarlySignalQuitsOnceStarted(t *testing.T) {
	w := NewWindow()
	quits := quitRecorder(w)
	stop := w.QuitOnEarlySignal(syscall.SIGUSR2)
	defer stop()
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGUSR2); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	w.Startup(context.Background())
	select {
	case <-quits:
	case <-time.After(5 * time.Second):
		t.Fatal("a signal before startup must quit the window once it starts")
	}
}
