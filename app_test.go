package main

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/resellerportal/portal/backend/portal"
)

func TestAppOpensTheDatabaseOnFirstUseAndClosesIt(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ResellerPortal", "portal.db")
	a := newApp(path, nil)
	if r := a.bridge.Call("status", ""); !r.OK {
		t.Fatalf("status: %+v", r)
	}
	if err := a.close(); err != nil {
		t.Fatal(err)
	}
	// closed means the lock is gone: another program can open the file now
	p, err := portal.Open(path)
	if err != nil {
		t.Fatalf("after close: %v", err)
	}
	p.Close()
}

func TestAppInUseThenRecovers(t *testing.T) {
	path := filepath.Join(t.TempDir(), "portal.db")
	holder, err := portal.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	a := newApp(path, nil)
	defer a.close()
	if r := a.bridge.Call("status", ""); r.OK || r.Code != "database_in_use" {
		t.Fatalf("while held: %+v", r)
	}
	if err := a.close(); err != nil {
		t.Fatalf("close with nothing open: %v", err)
	}
	holder.Close()
	if r := a.bridge.Call("status", ""); !r.OK {
		t.Fatalf("after release: %+v", r)
	}
}

func TestAppWithoutAConfigDir(t *testing.T) {
	a := newApp("", errors.New("default database path: $HOME is not defined"))
	r := a.bridge.Call("status", "")
	if r.OK || r.Code != "internal" || r.Message == "" {
		t.Fatalf("%+v", r)
	}
	if err := a.close(); err != nil {
		t.Fatal(err)
	}
	opts := a.options()
	if opts.Title != "Reseller Portal" || len(opts.Bind) != 1 || opts.AssetServer == nil || opts.OnStartup == nil {
		t.Fatalf("options: %+v", opts)
	}
}

func TestAppDemoAndBack(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ResellerPortal")
	a := newApp(filepath.Join(dir, "portal.db"), nil)
	if r := a.bridge.Call("demo.start", ""); !r.OK || !r.Data.(portal.Status).Demo {
		t.Fatalf("demo.start: %+v", r)
	}
	if r := a.bridge.Call("demo.sample", ""); !r.OK {
		t.Fatalf("demo.sample: %+v", r)
	}
	if err := a.close(); err != nil {
		t.Fatal(err)
	}
	// closing the app in the demo releases both databases
	for _, name := range []string{"portal.db", "portal-demo.db"} {
		p, err := portal.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatalf("%s after close: %v", name, err)
		}
		p.Close()
	}
}
