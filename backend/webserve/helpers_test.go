package webserve

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/resellerportal/portal/backend/portal"
	"github.com/resellerportal/portal/backend/reply"
	"github.com/resellerportal/portal/backend/rpc"
	"github.com/resellerportal/portal/backend/seal"
)

const testPassword = "correct horse battery"

// testUI is a small stand-in for the built UI: a Vite-like dist folder.
func testUI() fstest.MapFS {
	return fstest.MapFS{
		"index.html":                {Data: []byte(`<!doctype html><html><head><script type="module" src="/assets/index-AbCd12_-.js"></script></head><body><div id="app"></div></body></html>`)},
		"assets/index-AbCd12_-.js":  {Data: []byte(`console.log("app")`)},
		"assets/index-Zz9YxW8v.css": {Data: []byte(`body{margin:0}`)},
		"favicon.ico":               {Data: []byte{0, 0, 1, 0}},
		"logo.svg":                  {Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`)},
		".keep":                     {Data: []byte("placeholder")},
		"assets/vendor-Big0_123.js": {Data: []byte(strings.Repeat("export const x = 'reseller portal';\n", 800))},
	}
}

// testClock is a settable clock for session expiry.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// panicCaller wraps the real dispatcher and panics on op "boom".
type panicCaller struct{ Caller }

func (p panicCaller) Call(sess *rpc.Session, op string, params []byte) reply.Reply {
	if op == "boom" {
		panic("boom")
	}
	return p.Caller.Call(sess, op, params)
}

type harness struct {
	t     testing.TB
	srv   *Server
	p     *portal.Portal
	clock *testClock
}

// newHarness is a webserve Server over a real portal on a fresh bbolt file
// (cheap Argon2id) with the test UI; opts may be adjusted by edit.
func newHarness(t testing.TB, edit func(o *Options)) *harness {
	t.Helper()
	p, err := portal.Open(filepath.Join(t.TempDir(), "portal.db"),
		portal.WithKDF(seal.TestParams), portal.WithSignInDelay(0), portal.WithNoSync())
	if err != nil {
		t.Fatal(err)
	}
	clock := &testClock{t: time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)}
	opts := Options{Static: testUI(), Now: clock.Now}
	if edit != nil {
		edit(&opts)
	}
	srv := New(panicCaller{rpc.New(p)}, opts)
	t.Cleanup(func() {
		srv.Close()
		p.Close()
	})
	return &harness{t: t, srv: srv, p: p, clock: clock}
}

// req describes one HTTP request to the handler.
type req struct {
	method  string
	path    string
	body    string
	cookie  *http.Cookie
	headers map[string]string
}

func (h *harness) do(r req) *http.Response {
	h.t.Helper()
	if r.method == "" {
		r.method = http.MethodPost
	}
	hr := httptest.NewRequest(r.method, "http://127.0.0.1:8080"+r.path, strings.NewReader(r.body))
	if r.method == http.MethodPost {
		hr.Header.Set("Content-Type", "application/json")
	}
	for k, v := range r.headers {
		if k == "Host" {
			hr.Host = v
			continue
		}
		if v == "" {
			hr.Header.Del(k)
		} else {
			hr.Header.Set(k, v)
		}
	}
	if r.cookie != nil {
		hr.AddCookie(r.cookie)
	}
	rec := httptest.NewRecorder()
	h.srv.Handler().ServeHTTP(rec, hr)
	return rec.Result()
}

// call posts op with body (and the session cookie, if any).
func (h *harness) call(op, body string, cookie *http.Cookie) (*http.Response, wireReply) {
	h.t.Helper()
	res := h.do(req{path: "/api/call/" + op, body: body, cookie: cookie})
	return res, readReply(h.t, res)
}

// signIn runs setup once and then signs in, returning the session cookie.
func (h *harness) setup() *http.Cookie {
	h.t.Helper()
	res, r := h.call("setup", `{"reseller":"Acme","admin":"alice","password":"`+testPassword+`"}`, nil)
	if !r.OK {
		h.t.Fatalf("setup: %+v", r)
	}
	return sessionCookieOf(h.t, res)
}

func (h *harness) signIn() *http.Cookie {
	h.t.Helper()
	res, r := h.call("signin", `{"admin":"alice","password":"`+testPassword+`"}`, nil)
	if !r.OK {
		h.t.Fatalf("signin: %+v", r)
	}
	return sessionCookieOf(h.t, res)
}

// wireReply is reply.Reply as a client decodes it.
type wireReply struct {
	OK      bool            `json:"ok"`
	Code    string          `json:"code"`
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data"`
}

// readReply decodes the body strictly: exactly one JSON reply, with the
// JSON content type.
func readReply(t testing.TB, res *http.Response) wireReply {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Fatalf("content type %q, body %q", ct, b)
	}
	var r wireReply
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("body is not a reply: %v: %q", err, b)
	}
	if dec.More() {
		t.Fatalf("trailing data after the reply: %q", b)
	}
	if r.OK == (r.Code != "") {
		t.Fatalf("reply ok=%v with code %q", r.OK, r.Code)
	}
	return r
}

// sessionCookieOf returns the session cookie a response sets (fails if none).
func sessionCookieOf(t testing.TB, res *http.Response) *http.Cookie {
	t.Helper()
	for _, c := range res.Cookies() {
		if c.Name == cookieName || c.Name == secureCookieName {
			return c
		}
	}
	t.Fatalf("no session cookie in %v", res.Header.Values("Set-Cookie"))
	return nil
}

func hasSetCookie(res *http.Response) bool { return len(res.Header.Values("Set-Cookie")) > 0 }

func statusData(t testing.TB, r wireReply) portal.Status {
	t.Helper()
	var st portal.Status
	if err := json.Unmarshal(r.Data, &st); err != nil {
		t.Fatalf("status data %s: %v", r.Data, err)
	}
	return st
}

func wireToReply(code string) reply.Reply {
	if code == "" {
		return reply.Reply{OK: true}
	}
	return reply.Reply{Code: code, Message: code}
}
