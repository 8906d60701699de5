package rpc

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/resellerportal/portal/backend/demo"
	"github.com/resellerportal/portal/backend/portal"
	"github.com/resellerportal/portal/backend/seal"
)

var demoTestOptions = []portal.Option{portal.WithKDF(seal.TestParams), portal.WithSignInDelay(0)}

// newDemoServer is newTestServer with the demo offered beside the real
// database; it returns the folder of both.
func newDemoServer(t *testing.T) (*Server, string) {
	t.Helper()
	s, p := newTestServer(t)
	s.EnableDemo(demo.PathBeside(p.Path()), demoTestOptions...)
	t.Cleanup(func() { s.Close() })
	return s, filepath.Dir(p.Path())
}

func sample(t *testing.T, s *Server, sess *Session) portal.DemoSample {
	t.Helper()
	r := call(t, s, sess, "demo.sample", nil)
	if !r.OK {
		t.Fatalf("demo.sample: %+v", r)
	}
	return r.Data.(portal.DemoSample)
}

func TestDemoStartRefusedOnInitializedPortal(t *testing.T) {
	s, dir := newDemoServer(t)
	sess := NewSession()
	statusOf(t, call(t, s, sess, "setup", SetupParams{Reseller: "Acme", Admin: "alice", Password: "long enough pw"}))
	if r := call(t, s, NewSession(), "demo.start", nil); r.OK || r.Code != "already_initialized" {
		t.Fatalf("demo.start on a set-up portal: %+v", r)
	}
	if _, err := os.Stat(filepath.Join(dir, demo.FileName)); !os.IsNotExist(err) {
		t.Errorf("a demo database was made: %v", err)
	}
	// the real session is untouched, and leave has nothing to leave
	if st := statusOf(t, call(t, s, sess, "demo.leave", nil)); !st.SignedIn || st.Demo {
		t.Errorf("demo.leave outside the demo: %+v", st)
	}
	if r := call(t, s, sess, "admins.list", nil); !r.OK {
		t.Errorf("real session after the refusals: %+v", r)
	}
	if r := call(t, s, sess, "demo.sample", nil); r.Code != "not_demo" {
		t.Errorf("demo.sample on a real portal: %+v", r)
	}
}

func TestDemoStartAndLeave(t *testing.T) {
	s, dir := newDemoServer(t)
	window, other := NewSession(), NewSession()
	if st := statusOf(t, call(t, s, window, "status", nil)); st.Initialized || st.Demo {
		t.Fatalf("fresh: %+v", st)
	}
	st := statusOf(t, call(t, s, window, "demo.start", nil))
	if !st.Initialized || !st.Enrolled || !st.Demo || !st.SignedIn || st.Admin != demo.AdminName {
		t.Fatalf("after demo.start: %+v", st)
	}
	if st := statusOf(t, call(t, s, other, "status", nil)); !st.Demo || st.SignedIn {
		t.Errorf("status of another caller in the demo: %+v", st)
	}
	r := call(t, s, window, "licenses.list", portal.LicenseQuery{})
	if !r.OK || len(r.Data.(portal.LicensePage).Items) != 50 {
		t.Fatalf("demo licenses: %+v", r)
	}
	smp := sample(t, s, window)
	if !strings.HasPrefix(smp.Request, "-----BEGIN") || !strings.Contains(smp.PublisherKey, "-----BEGIN") || smp.License == "" || smp.Product == "" {
		t.Fatalf("sample: %+v", smp)
	}
	r = call(t, s, window, "activation.preview", DocParams{Text: smp.Request})
	if !r.OK || !r.Data.(portal.Preview).OK {
		t.Fatalf("preview of the sample: %+v", r)
	}
	// a second caller (another browser) joins the demo; nobody is signed out
	if st := statusOf(t, call(t, s, other, "demo.start", nil)); !st.SignedIn {
		t.Fatalf("second demo.start: %+v", st)
	}
	if r := call(t, s, window, "licenses.list", portal.LicenseQuery{Limit: 1}); !r.OK {
		t.Fatalf("first caller after the second joined: %+v", r)
	}

	st = statusOf(t, call(t, s, other, "demo.leave", nil))
	if st.Initialized || st.Demo || st.SignedIn {
		t.Fatalf("after demo.leave: %+v", st)
	}
	if r := call(t, s, window, "licenses.list", portal.LicenseQuery{}); r.Code != "not_signed_in" {
		t.Errorf("a demo session after leave: %+v", r)
	}
	if st := statusOf(t, call(t, s, window, "status", nil)); st.Initialized || st.Demo || st.SignedIn {
		t.Errorf("status after leave: %+v", st)
	}
	// the demo database is closed: another opener gets it at once
	p, err := portal.Open(filepath.Join(dir, demo.FileName), demoTestOptions...)
	if err != nil {
		t.Fatalf("demo database still held after leave: %v", err)
	}
	p.Close()

	// coming back reuses the same demo database
	statusOf(t, call(t, s, window, "demo.start", nil))
	if again := sample(t, s, window); again != smp {
		t.Errorf("the demo was made anew: %+v, was %+v", again, smp)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if s.Demo() {
		t.Error("still in the demo after Close")
	}
	// nothing but the two databases: the demo publisher's key never hit the disk
	ents, _ := os.ReadDir(dir)
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	if strings.Join(names, ",") != "portal-demo.db,portal.db" {
		t.Errorf("folder holds %v", names)
	}
}

func TestDemoUnavailableOrNotADemo(t *testing.T) {
	s, p := newTestServer(t)
	if r := call(t, s, nil, "demo.start", nil); r.Code != "demo_unavailable" {
		t.Errorf("without EnableDemo: %+v", r)
	}
	// a real portal sitting where the demo goes is never taken for one
	path := filepath.Join(filepath.Dir(p.Path()), "elsewhere.db")
	q, err := portal.Open(path, demoTestOptions...)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := q.Setup("Someone", "bob", "long enough pw"); err != nil {
		t.Fatal(err)
	}
	q.Close()
	s.EnableDemo(path, demoTestOptions...)
	if r := call(t, s, nil, "demo.start", nil); r.Code != "not_demo" {
		t.Errorf("over a real portal: %+v", r)
	}
	if s.Demo() {
		t.Error("switched to a real portal")
	}
}

// Operations running while the database is swapped see one database or
// the other, never a closed one (go test -race).
func TestDemoSwapUnderLoad(t *testing.T) {
	s, _ := newDemoServer(t)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sess := NewSession()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if r := s.Call(sess, "status", nil); !r.OK {
					t.Errorf("status during swaps: %+v", r)
					return
				}
				s.Call(sess, "licenses.list", []byte(`{"limit":1}`))
			}
		}()
	}
	for range 3 {
		if r := s.Call(NewSession(), "demo.start", nil); !r.OK {
			t.Fatalf("demo.start: %+v", r)
		}
		if r := s.Call(NewSession(), "demo.leave", nil); !r.OK {
			t.Fatalf("demo.leave: %+v", r)
		}
	}
	close(stop)
	wg.Wait()
}
