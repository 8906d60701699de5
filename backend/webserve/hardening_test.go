package webserve

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/resellerportal/portal/backend/portal"
	"github.com/resellerportal/portal/backend/reply"
	"github.com/resellerportal/portal/backend/rpc"
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

// blockingCaller holds every signin until release is closed.
type blockingCaller struct {
	started chan struct{}
	release chan struct{}
}

func (b blockingCaller) Call(sess *rpc.Session, op string, params []byte) reply.Reply {
	if op == "signin" {
		b.started <- struct{}{}
		<-b.release
	}
	return reply.Of(nil, portal.ErrWrongPassword)
}

// A.4: one client address runs one password operation at a time, so it
// cannot hold every Argon2id slot; another address still gets one.
func TestPasswordOpsBoundedPerAddress(t *testing.T) {
	bc := blockingCaller{started: make(chan struct{}, 4), release: make(chan struct{})}
	srv := New(bc, Options{Static: testUI()})
	defer srv.Close()
	post := func(addr string) *http.Response {
		hr := httptest.NewRequest(http.MethodPost, "http://127.0.0.1:8080/api/call/signin", strings.NewReader(`{}`))
		hr.Header.Set("Content-Type", "application/json")
		hr.RemoteAddr = addr
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, hr)
		return rec.Result()
	}
	done := make(chan int, 2)
	go func() { done <- post("192.0.2.66:1").StatusCode }()
	<-bc.started
	if res := post("192.0.2.66:2"); res.StatusCode != 503 {
		t.Fatalf("second password op from the same address: %d", res.StatusCode)
	}
	go func() { done <- post("192.0.2.7:1").StatusCode }()
	select {
	case <-bc.started:
	case <-time.After(5 * time.Second):
		t.Fatal("another address did not get a slot")
	}
	close(bc.release)
	<-done
	<-done
}

// A.7: over HTTP, status (and the replies of setup/signin) list no admin
// names; an unknown admin and a wrong password answer alike; the lock
// message does not say when it ends.
func TestHTTPAnonymousLeaks(t *testing.T) {
	h := newHarness(t, nil)
	h.setup()
	for _, op := range []string{"status", "signin"} {
		body := `{}`
		if op == "signin" {
			body = `{"admin":"alice","password":"` + testPassword + `"}`
		}
		_, r := h.call(op, body, nil)
		if !r.OK || len(statusData(t, r).Admins) != 0 || strings.Contains(string(r.Data), "alice\"]") {
			t.Fatalf("%s over HTTP: %s", op, r.Data)
		}
	}
	if st, _ := h.p.Status(nil); len(st.Admins) != 1 {
		t.Fatalf("local status: %+v", st)
	}
	res1, r1 := h.callFrom("192.0.2.1:1", "signin", `{"admin":"alice","password":"wrong wrong"}`)
	res2, r2 := h.callFrom("192.0.2.1:1", "signin", `{"admin":"mallory","password":"wrong wrong"}`)
	if res1.StatusCode != res2.StatusCode || r1.Code != r2.Code || r1.Message != r2.Message || r1.Code != "wrong_password" {
		t.Fatalf("wrong password %d %+v vs unknown admin %d %+v", res1.StatusCode, r1, res2.StatusCode, r2)
	}
	for i := 0; i < portal.LockAfterFailures; i++ {
		h.callFrom("192.0.2.2:1", "signin", `{"admin":"alice","password":"wrong wrong"}`)
	}
	if _, r := h.callFrom("192.0.2.2:1", "signin", `{"admin":"alice","password":"wrong wrong"}`); r.Code != "account_locked" || strings.Contains(r.Message, "until") || strings.Contains(r.Message, "20") {
		t.Fatalf("lock message: %+v", r)
	}
}
