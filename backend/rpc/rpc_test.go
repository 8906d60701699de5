package rpc

import (
	"crypto/ed25519"
	"crypto/rand"
	"os"

	"encoding/json"
	"github.com/resellerportal/portal/backend/signdoc"
	"path/filepath"
	"testing"
	"time"

	"github.com/resellerportal/portal/backend/portal"
	"github.com/resellerportal/portal/backend/reply"
	"github.com/resellerportal/portal/backend/seal"
)

func newTestServer(t *testing.T) (*Server, *portal.Portal) {
	t.Helper()
	p, err := portal.Open(filepath.Join(t.TempDir(), "portal.db"),
		portal.WithKDF(seal.TestParams), portal.WithSignInDelay(0))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return New(p), p
}

func call(t *testing.T, s *Server, sess *Session, op string, params any) reply.Reply {
	t.Helper()
	var raw []byte
	switch v := params.(type) {
	case nil:
	case string:
		raw = []byte(v)
	default:
		raw, _ = json.Marshal(v)
	}
	r := s.Call(sess, op, raw)
	// every reply must survive the JSON round trip of the bindings
	if _, err := json.Marshal(r); err != nil {
		t.Fatalf("%s: reply not JSON: %v", op, err)
	}
	return r
}

func statusOf(t *testing.T, r reply.Reply) portal.Status {
	t.Helper()
	if !r.OK {
		t.Fatalf("reply not ok: %s %s", r.Code, r.Message)
	}
	st, ok := r.Data.(portal.Status)
	if !ok {
		t.Fatalf("data is %T", r.Data)
	}
	return st
}

func TestPublicFlow(t *testing.T) {
	s, _ := newTestServer(t)
	sess := NewSession()
	if st := statusOf(t, call(t, s, sess, "status", nil)); st.Initialized || st.SignedIn {
		t.Fatalf("fresh: %+v", st)
	}
	if r := call(t, s, sess, "branding", nil); !r.OK {
		t.Fatalf("branding signed out: %+v", r)
	}
	st := statusOf(t, call(t, s, sess, "setup", SetupParams{Reseller: "Acme", Admin: "alice", Password: "long enough pw"}))
	if !st.Initialized || !st.SignedIn || st.Admin != "alice" || st.Admins[0] != "alice" {
		t.Fatalf("after setup: %+v", st)
	}
	if r := call(t, s, sess, "admins.list", nil); !r.OK {
		t.Fatalf("admins.list signed in: %+v", r)
	}
	statusOf(t, call(t, s, sess, "signout", nil))
	if r := call(t, s, sess, "admins.list", nil); r.OK || r.Code != "not_signed_in" {
		t.Fatalf("admins.list signed out: %+v", r)
	}
	if r := call(t, s, sess, "signin", SignInParams{Admin: "alice", Password: "nope nope"}); r.OK || r.Code != "wrong_password" {
		t.Fatalf("wrong password: %+v", r)
	}
	if st := statusOf(t, call(t, s, sess, "signin", SignInParams{Admin: "alice", Password: "long enough pw"})); !st.SignedIn {
		t.Fatalf("signin: %+v", st)
	}
}

func TestDispatchErrors(t *testing.T) {
	s, _ := newTestServer(t)
	sess := NewSession()
	for _, tc := range []struct {
		op     string
		params any
		code   string
	}{
		{"no.such.op", nil, "unknown_operation"},
		{"setup", "{not json", "bad_request"},
		{"setup", `{"reseller":"a","unknown":1}`, "bad_request"},
		{"setup", `{"reseller":"Acme","admin":"alice","password":"pw"}`, "password_too_short"},
		{"signin", SignInParams{Admin: "alice", Password: "whatever1"}, "not_initialized"},
		{"admins.list", nil, "not_signed_in"},
	} {
		r := call(t, s, sess, tc.op, tc.params)
		if r.OK || r.Code != tc.code || r.Message == "" {
			t.Errorf("%s %v: %+v, want code %s", tc.op, tc.params, r, tc.code)
		}
	}
}

func TestPanicBecomesInternal(t *testing.T) {
	s, _ := newTestServer(t)
	s.handle("boom", true, func(*Server, *Session, []byte) (any, error) { panic("boom") })
	if r := s.Call(nil, "boom", nil); r.OK || r.Code != "internal" {
		t.Fatalf("panic reply: %+v", r)
	}
}

func TestIdleSessionLocks(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	p, err := portal.Open(filepath.Join(t.TempDir(), "portal.db"), portal.WithKDF(seal.TestParams),
		portal.WithSignInDelay(0), portal.WithIdleTimeout(time.Minute), portal.WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	s := New(p)
	sess := NewSession()
	statusOf(t, call(t, s, sess, "setup", SetupParams{Reseller: "Acme", Admin: "alice", Password: "long enough pw"}))
	now = now.Add(2 * time.Minute)
	if r := call(t, s, sess, "admins.list", nil); r.Code != "not_signed_in" {
		t.Fatalf("after idle: %+v", r)
	}
	if st := statusOf(t, call(t, s, sess, "status", nil)); st.SignedIn {
		t.Fatal("status still signed in after idle lock")
	}
}

func TestEveryOpGuardedAndSafe(t *testing.T) {
	s, _ := newTestServer(t)
	out := NewSession()
	public := map[string]bool{"status": true, "setup": true, "signin": true, "signout": true, "branding": true,
		"demo.start": true, "demo.leave": true, "customers.redeem": true, "customers.signin": true}
	for _, op := range s.Ops() {
		if public[op] != s.Public(op) {
			t.Errorf("%s: public %v", op, s.Public(op))
		}
		if public[op] {
			continue
		}
		if r := call(t, s, out, op, nil); r.Code != "not_signed_in" {
			t.Errorf("%s signed out: %+v", op, r)
		}
	}
	in := NewSession()
	statusOf(t, call(t, s, in, "setup", SetupParams{Reseller: "Acme", Admin: "alice", Password: "long enough pw"}))
	for _, op := range s.Ops() {
		if op == "signout" || op == "backup.restore" {
			continue
		}
		for _, params := range []string{"", `{"id":"zz","key":"NOPE","text":"garbage","path":"/nonexistent/x"}`, `[1,2]`} {
			r := call(t, s, in, op, params)
			if r.Code == "internal" {
				t.Errorf("%s %s: internal error %s", op, params, r.Message)
			}
		}
	}
	r := call(t, s, in, "users.create", map[string]string{"name": "Ada", "email": "ada@example.com"})
	if !r.OK {
		t.Fatalf("users.create: %+v", r)
	}
	if r := call(t, s, in, "users.create", map[string]string{"name": "Ada", "email": "ADA@example.com"}); r.Code != "email_taken" {
		t.Fatalf("duplicate: %+v", r)
	}
}

// FuzzCall feeds arbitrary op names and params to the dispatcher: it must
// answer with a coded reply and never panic.
func FuzzCall(f *testing.F) {
	p, err := portal.Open(filepath.Join(f.TempDir(), "portal.db"), portal.WithKDF(seal.TestParams), portal.WithSignInDelay(0))
	if err != nil {
		f.Fatal(err)
	}
	defer p.Close()
	s := New(p)
	sess := NewSession()
	s.Call(sess, "setup", []byte(`{"reseller":"Acme","admin":"alice","password":"long enough pw"}`))
	f.Add("users.create", []byte(`{"name":"Ada","email":"ada@example.com"}`))
	f.Add("licenses.list", []byte(`{"search":"A","limit":5}`))
	f.Add("status", []byte(`null`))
	f.Fuzz(func(t *testing.T, op string, params []byte) {
		if op == "signout" || op == "backup.restore" || op == "backup.create" || op == "activation.batch" {
			return // touch files or end the session
		}
		r := s.Call(sess, op, params)
		if !r.OK && (r.Code == "" || r.Message == "") {
			t.Fatalf("%s: reply without code: %+v", op, r)
		}
		if r.Code == "internal" {
			t.Fatalf("%s %q: internal error %s", op, params, r.Message)
		}
	})
}

func TestFlowThroughOps(t *testing.T) {
	s, _ := newTestServer(t)
	sess := NewSession()
	statusOf(t, call(t, s, sess, "setup", SetupParams{Reseller: "Acme", Admin: "alice", Password: "long enough pw"}))
	var last [2]int
	s.OnProgress(func(_ *Session, op string, done, total int) {
		if op == "activation.batch" {
			last = [2]int{done, total}
		}
	})
	if r := call(t, s, sess, "activation.batch", PathParams{Path: t.TempDir()}); r.OK || r.Code != "not_enrolled" {
		t.Fatalf("batch before enrollment: %+v", r)
	}
	// enrollment, with the test playing the publisher
	r := call(t, s, sess, "enroll.request", nil)
	d, err := signdoc.Parse([]byte(r.Data.(portal.Document).Compact))
	if err != nil {
		t.Fatal(err)
	}
	er, _ := signdoc.VerifyEnrollmentRequest(d)
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	now := time.Now().UTC().Truncate(time.Second)
	cert, _ := signdoc.SignCertificate(priv, signdoc.Certificate{Serial: 1, ResellerID: signdoc.KeyID(er.PublicKey), ResellerName: er.ResellerName,
		PublicKey: er.PublicKey, Products: []string{"prod"}, NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour * 24), PublisherKey: signdoc.Bytes(pub)})
	if r := call(t, s, sess, "enroll.complete", DocParams{Text: string(cert.Armor())}); !r.OK {
		t.Fatalf("enroll.complete: %+v", r)
	}
	var lics []signdoc.License
	for _, k := range []string{"A1", "A2", "A3"} {
		lics = append(lics, signdoc.License{Key: k, Product: "prod", ActivationsAllowed: 1})
	}
	b, _ := signdoc.SignBundle(priv, signdoc.Bundle{BundleID: "b1", ResellerID: signdoc.KeyID(er.PublicKey), IssuedAt: now, Licenses: lics})
	if r := call(t, s, sess, "licenses.import", DocParams{Text: b.Compact()}); !r.OK {
		t.Fatalf("import: %+v", r)
	}
	if r := call(t, s, sess, "users.create", portal.UserInput{Name: "Ada", Email: "ada@example.com"}); !r.OK {
		t.Fatalf("users.create: %+v", r)
	}
	dir := t.TempDir()
	for i, k := range []string{"A1", "A2", "A3"} {
		if r := call(t, s, sess, "licenses.assign", AssignParams{Key: k, User: "u1"}); !r.OK {
			t.Fatalf("assign: %+v", r)
		}
		_, inst, _ := ed25519.GenerateKey(rand.Reader)
		req, _ := signdoc.SignActivationRequest(inst, signdoc.ActivationRequest{Product: "prod", LicenseKey: k,
			Fingerprint: signdoc.Fingerprint("prod", k), InstallationKey: signdoc.Bytes(inst.Public().(ed25519.PublicKey)),
			Nonce: make([]byte, 16), CreatedAt: now})
		if i == 0 {
			// the first one goes through preview and activate
			pv := call(t, s, sess, "activation.preview", DocParams{Text: string(req.Armor())})
			if !pv.OK || !pv.Data.(portal.Preview).OK {
				t.Fatalf("preview: %+v", pv)
			}
			if r := call(t, s, sess, "activation.activate", DocParams{Text: string(req.Armor()), QR: true}); !r.OK || r.Data.(portal.ActivationResult).QRPNG == "" {
				t.Fatalf("activate: %+v", r)
			}
			continue
		}
		os.WriteFile(filepath.Join(dir, k+".req"), req.Armor(), 0o644)
	}
	r = call(t, s, sess, "activation.batch", PathParams{Path: dir})
	if !r.OK || r.Data.(portal.BatchResult).Activated != 2 || last != [2]int{2, 2} {
		t.Fatalf("batch: %+v, progress %v", r, last)
	}
	if r := call(t, s, sess, "activations.list", portal.ActivationQuery{}); !r.OK || len(r.Data.([]portal.Activation)) != 3 {
		t.Fatalf("activations.list: %+v", r)
	}
	if r := call(t, s, sess, "report.create", nil); !r.OK || r.Data.(portal.ReportResult).Events != 3 {
		t.Fatalf("report: %+v", r)
	}
	if r := call(t, s, sess, "audit.verify", nil); !r.OK {
		t.Fatalf("audit.verify: %+v", r)
	}
}

// The dispatcher itself does not serve: server.info answers "not serving"
// (the desktop window, rpctl) to a signed-in caller only.
func TestServerInfoNotServing(t *testing.T) {
	s, _ := newTestServer(t)
	sess := NewSession()
	if r := call(t, s, sess, "server.info", nil); r.Code != "not_signed_in" {
		t.Fatalf("anonymous: %+v", r)
	}
	statusOf(t, call(t, s, sess, "setup", SetupParams{Reseller: "Acme", Admin: "alice", Password: "long enough pw"}))
	r := call(t, s, sess, "server.info", nil)
	if !r.OK || r.Data != (ServerInfo{}) {
		t.Fatalf("server.info = %+v", r)
	}
}
