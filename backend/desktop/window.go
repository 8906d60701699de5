package desktop

import (
	"context"
	"os"
	"os/signal"
	"sync"

	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// Window tracks the running Wails window. It is not bound into the page:
// main wires its Startup into the Wails options and its QuitOnSignal around
// the run.
type Window struct {
	once  sync.Once
	ready chan struct{}
	ctx   context.Context
	quit  func(ctx context.Context)                           // runtime.Quit; replaced in tests
	emit  func(ctx context.Context, name string, data ...any) // runtime.EventsEmit; replaced in tests
}

// NewWindow returns a window that is not started yet.
func NewWindow() *Window {
	return &Window{ready: make(chan struct{}), quit: runtime.Quit, emit: runtime.EventsEmit}
}

// Startup records the Wails context (use as options.App.OnStartup).
func (w *Window) Startup(ctx context.Context) {
	w.once.Do(func() {
		w.ctx = ctx
		close(w.ready)
	})
}

// Context returns the Wails context once the window has started.
func (w *Window) Context() (context.Context, bool) {
	select {
	case <-w.ready:
		return w.ctx, true
	default:
		return nil, false
	}
}

// Emit sends an event to the page (runtime.EventsEmit); before the window
// has started there is no page to hear it, and nothing is sent.
func (w *Window) Emit(name string, data ...any) {
	if ctx, ok := w.Context(); ok {
		w.emit(ctx, name, data...)
	}
}

// QuitOnSignal quits the window cleanly when one of sigs arrives (a signal
// that comes before the window has started quits it as soon as it starts).
// The returned stop undoes the subscription.
func (w *Window) QuitOnSignal(sigs ...os.Signal) (stop func()) {
	return w.quitOn(false, sigs)
}

// QuitOnEarlySignal quits the window when one of sigs arrives before it has
// started, as soon as it starts. Once the window runs, Wails' own handler of
// SIGINT and SIGTERM quits it; a second quit from here would race GTK's
// teardown (a SIGSEGV in gtk_main_quit, seen under Xvfb about one run in
// six), so a signal after startup is left to Wails.
func (w *Window) QuitOnEarlySignal(sigs ...os.Signal) (stop func()) {
	return w.quitOn(true, sigs)
}

func (w *Window) quitOn(earlyOnly bool, sigs []os.Signal) (stop func()) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, sigs...)
	done := make(chan struct{})
	go func() {
		select {
		case <-ch:
		case <-done:
			return
		}
		if earlyOnly {
			if _, started := w.Context(); started {
				return
			}
		}
		select {
		case <-w.ready:
			w.quit(w.ctx)
		case <-done:
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() {
			signal.Stop(ch)
			close(done)
		})
	}
}
