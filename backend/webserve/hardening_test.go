package webserve

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/resellerportal/portal/backend/portal"
)

// callFrom posts op from a client at remoteAddr.
func (h *harness) callFrom(remoteAddr, op, body string) (*http.Response, wireReply) {
	h.t.Helper()
	hr := httptest.NewRequest(http.MethodPost, "http://127.0.0.1:8080/api/call/"+op, strings.NewReader(body))
	hr.Header.Set("Content-Type", "application/json")
	hr.RemoteAddr = remoteAddr
	rec := httptest.NewRecorder()
	h.srv.Handler().ServeHTTP(rec, hr)
	res := rec.Result()
	return res, readReply(h.t, res)
}

// A.2: ten wrong sign-ins from one address lock that address only; a
// correct password from another address (another IPv6 /64) still signs in.
func TestSignInFailuresLockOnlyTheirAddress(t *testing.T) {
	h := newHarness(t, nil)
	h.setup()
	for _, attacker := range []string{"192.0.2.66:4000", "[2001:db8:1:1::66]:4000"} {
		for i := 0; i < portal.LockAfterFailures; i++ {
			if _, r := h.callFrom(attacker, "signin", `{"admin":"alice","password":"wrong wrong"}`); r.Code != "wrong_password" {
				t.Fatalf("failure %d: %+v", i, r)
			}
		}
		if res, r := h.callFrom(attacker, "signin", `{"admin":"alice","password":"`+testPassword+`"}`); res.StatusCode != 429 || r.Code != "account_locked" {
			t.Fatalf("attacker after the limit: %d %+v", res.StatusCode, r)
		}
	}
	// same /64: the same client
	if _, r := h.callFrom("[2001:db8:1:1::67]:4000", "signin", `{"admin":"alice","password":"`+testPassword+`"}`); r.Code != "account_locked" {
		t.Fatalf("same /64: %+v", r)
	}
	for _, other := range []string{"192.0.2.7:5000", "[2001:db8:1:2::7]:5000"} {
		if _, r := h.callFrom(other, "signin", `{"admin":"alice","password":"`+testPassword+`"}`); !r.OK {
			t.Fatalf("correct password from %s: %+v", other, r)
		}
	}
	if _, err := h.p.SignIn("alice", testPassword); err != nil {
		t.Fatalf("local sign-in: %v", err)
	}
}
