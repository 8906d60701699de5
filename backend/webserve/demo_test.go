package webserve

import (
	"path/filepath"
	"testing"

	"github.com/resellerportal/portal/backend/demo"
	"github.com/resellerportal/portal/backend/portal"
	"github.com/resellerportal/portal/backend/rpc"
	"github.com/resellerportal/portal/backend/seal"
)

// demo.start signs the browser in like setup does (a fresh cookie);
// demo.leave ends every browser's session.
func TestDemoSessions(t *testing.T) {
	h := newHarness(t, nil)
	opts := []portal.Option{portal.WithKDF(seal.TestParams), portal.WithSignInDelay(0), portal.WithNoSync()}
	caller := rpc.New(h.p)
	caller.EnableDemo(filepath.Join(filepath.Dir(h.p.Path()), demo.FileName), opts...)
	t.Cleanup(func() { caller.Close() })
	h.srv = New(caller, Options{Static: testUI(), Now: h.clock.Now})
	t.Cleanup(func() { h.srv.Close() })

	res, r := h.call("demo.start", "", nil)
	if res.StatusCode != 200 || !r.OK {
		t.Fatalf("demo.start: %d %+v", res.StatusCode, r)
	}
	a := sessionCookieOf(t, res)
	if st := statusData(t, r); !st.SignedIn || !st.Demo || st.Admin != demo.AdminName {
		t.Fatalf("demo.start status: %+v", st)
	}
	if _, r := h.call("demo.sample", "", a); !r.OK {
		t.Fatalf("demo.sample: %+v", r)
	}
	res, r = h.call("demo.start", "", nil)
	if !r.OK {
		t.Fatalf("second browser: %+v", r)
	}
	b := sessionCookieOf(t, res)
	if a.Value == b.Value || h.srv.Sessions() != 2 {
		t.Fatalf("sessions %d, cookies %s %s", h.srv.Sessions(), a.Value, b.Value)
	}

	res, r = h.call("demo.leave", "", a)
	if !r.OK || statusData(t, r).Demo || statusData(t, r).Initialized {
		t.Fatalf("demo.leave: %+v", r)
	}
	if cleared := sessionCookieOf(t, res); cleared.MaxAge >= 0 {
		t.Fatalf("demo.leave kept the cookie: %+v", cleared)
	}
	res, r = h.call("licenses.list", "", b)
	if res.StatusCode != 401 || r.Code != "not_signed_in" {
		t.Fatalf("other browser after leave: %d %+v", res.StatusCode, r)
	}
	if h.srv.Sessions() != 0 {
		t.Fatalf("sessions after leave: %d", h.srv.Sessions())
	}

	// once the real portal is set up, the demo is not offered
	h.setup()
	if res, r := h.call("demo.start", "", nil); res.StatusCode != 409 || r.Code != "already_initialized" || hasSetCookie(res) {
		t.Fatalf("demo.start after setup: %d %+v", res.StatusCode, r)
	}
}
