package desktop

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/resellerportal/portal/backend/portal"
	"github.com/resellerportal/portal/backend/rpc"
	"github.com/resellerportal/portal/backend/seal"
	"github.com/resellerportal/portal/backend/store"
)

func openPortal(t *testing.T, path string) *portal.Portal {
	t.Helper()
	p, err := portal.Open(path, portal.WithKDF(seal.TestParams), portal.WithSignInDelay(0))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// status decodes a status reply the way the frontend sees it: through JSON.
func status(t *testing.T, b *Bridge) portal.Status {
	t.Helper()
	r := b.Call("status", "")
	if !r.OK {
		t.Fatalf("status: %s %s", r.Code, r.Message)
	}
	raw, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Data portal.Status `json:"data"`
	}
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	return got.Data
}

func TestCallKeepsOneSessionPerWindow(t *testing.T) {
	server := rpc.New(openPortal(t, filepath.Join(t.TempDir(), "portal.db")))
	win := New(opened(server), NewWindow())
	other := New(opened(server), NewWindow())

	if st := status(t, win); st.Initialized || st.SignedIn {
		t.Fatalf("fresh portal: %+v", st)
	}
	r := win.Call("setup", `{"reseller":"Acme","admin":"alice","password":"correct horse"}`)
	if !r.OK {
		t.Fatalf("setup: %s %s", r.Code, r.Message)
	}
	if st := status(t, win); !st.SignedIn || st.Admin != "alice" || st.ResellerName != "Acme" {
		t.Fatalf("after setup: %+v", st)
	}
	if st := status(t, other); !st.Initialized || st.SignedIn {
		t.Fatalf("another window must not share the session: %+v", st)
	}
	if r := other.Call("signin", `{"admin":"alice","password":"wrong one!"}`); r.OK || r.Code != "wrong_password" {
		t.Fatalf("wrong password: %+v", r)
	}
	if r := win.Call("signout", "{}"); !r.OK {
		t.Fatalf("signout: %+v", r)
	}
	if st := status(t, win); st.SignedIn {
		t.Fatalf("after signout: %+v", st)
	}
}

func TestCallRefusesBadInput(t *testing.T) {
	b := New(opened(rpc.New(openPortal(t, filepath.Join(t.TempDir(), "portal.db")))), NewWindow())
	for _, tc := range []struct{ op, params, code string }{
		{"status", "not json", "bad_request"},
		{"setup", `{"reseller":"Acme","admin":"alice","password":"correct horse","extra":1}`, "bad_request"},
		{"no.such.op", "{}", "unknown_operation"},
		{"admins.list", "{}", "not_signed_in"},
	} {
		if r := b.Call(tc.op, tc.params); r.OK || r.Code != tc.code {
			t.Errorf("%s %s: got %+v, want code %s", tc.op, tc.params, r, tc.code)
		}
	}
	if st := status(t, b); st.Initialized {
		t.Fatalf("a refused call changed the portal: %+v", st)
	}
}

func TestUnavailableSaysWhyAndRecovers(t *testing.T) {
	path := filepath.Join(t.TempDir(), "portal.db")
	holder := openPortal(t, path) // held open, as by rpctl
	opens := 0
	b := New(func() (*rpc.Server, error) {
		opens++
		p, err := portal.Open(path, portal.WithKDF(seal.TestParams))
		if err != nil {
			return nil, err
		}
		t.Cleanup(func() { p.Close() })
		return rpc.New(p), nil
	}, NewWindow())
	for _, op := range []string{"status", "signin"} {
		r := b.Call(op, "{}")
		if r.OK || r.Code != "database_in_use" || r.Message == "" {
			t.Fatalf("%s while the database is in use: %+v", op, r)
		}
	}
	if err := holder.Close(); err != nil {
		t.Fatal(err)
	}
	if st := status(t, b); st.Initialized {
		t.Fatalf("after the other program let go: %+v", st)
	}
	status(t, b)
	if opens != 3 {
		t.Fatalf("opened %d times, want 2 failures and then one open kept", opens)
	}
}

func TestOpenerErrorIsTheReply(t *testing.T) {
	b := New(func() (*rpc.Server, error) { return nil, store.ErrSchemaTooNew }, NewWindow())
	if r := b.Call("status", ""); r.OK || r.Code != "schema_too_new" {
		t.Fatalf("%+v", r)
	}
	if r := b.SaveFile("t", "x.txt", "!!"); r.Code != "bad_request" {
		t.Fatalf("desktop methods still check their input: %+v", r)
	}
}

// opened is an Opener of an already open server.
func opened(s *rpc.Server) Opener {
	return func() (*rpc.Server, error) { return s, nil }
}
