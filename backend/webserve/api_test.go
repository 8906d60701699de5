package webserve

import (
	"log"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/resellerportal/portal/backend/signdoc"
)

func TestSetupSignInSignOut(t *testing.T) {
	h := newHarness(t, nil)

	res, r := h.call("status", "", nil)
	if res.StatusCode != 200 || !r.OK || statusData(t, r).Initialized {
		t.Fatalf("status on a fresh portal: %d %+v", res.StatusCode, r)
	}
	if hasSetCookie(res) {
		t.Fatalf("an anonymous status call set a cookie: %v", res.Header.Values("Set-Cookie"))
	}
	if res, r := h.call("admins.list", "", nil); res.StatusCode != 401 || r.Code != "not_signed_in" {
		t.Fatalf("op without session: %d %+v", res.StatusCode, r)
	}

	c := h.setup()
	if !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Secure || c.Path != "/" || len(c.Value) != 43 {
		t.Fatalf("session cookie flags: %+v", c)
	}
	if h.srv.Sessions() != 1 {
		t.Fatalf("sessions after setup: %d", h.srv.Sessions())
	}
	res, r = h.call("status", "", c)
	if st := statusData(t, r); !st.SignedIn || st.Admin != "alice" || hasSetCookie(res) {
		t.Fatalf("status with session: %+v", st)
	}
	if res, r := h.call("admins.list", "", c); res.StatusCode != 200 || !r.OK {
		t.Fatalf("op with session: %d %+v", res.StatusCode, r)
	}

	// A second setup is refused with a conflict, and the session survives.
	if res, r := h.call("setup", `{"reseller":"X","admin":"bob","password":"`+testPassword+`"}`, c); res.StatusCode != 409 || r.Code != "already_initialized" {
		t.Fatalf("second setup: %d %+v", res.StatusCode, r)
	}
	if _, r := h.call("admins.list", "", c); !r.OK {
		t.Fatalf("session lost after a refused setup: %+v", r)
	}

	res, r = h.call("signout", "", c)
	if !r.OK || statusData(t, r).SignedIn {
		t.Fatalf("signout: %+v", r)
	}
	if cleared := sessionCookieOf(t, res); cleared.MaxAge >= 0 || cleared.Value != "" {
		t.Fatalf("signout did not clear the cookie: %+v", cleared)
	}
	if h.srv.Sessions() != 0 {
		t.Fatalf("sessions after signout: %d", h.srv.Sessions())
	}
	res, r = h.call("admins.list", "", c)
	if res.StatusCode != 401 || r.Code != "not_signed_in" {
		t.Fatalf("old cookie after signout: %d %+v", res.StatusCode, r)
	}
	if cleared := sessionCookieOf(t, res); cleared.MaxAge >= 0 {
		t.Fatalf("a stale cookie is not cleared: %+v", cleared)
	}

	res, r = h.call("signin", `{"admin":"alice","password":"not the password"}`, nil)
	if res.StatusCode != 401 || r.Code != "wrong_password" || hasSetCookie(res) {
		t.Fatalf("wrong password: %d %+v cookies %v", res.StatusCode, r, res.Header.Values("Set-Cookie"))
	}
	c2 := h.signIn()
	if c2.Value == c.Value {
		t.Fatal("sign-in reused the old session id")
	}
	if _, r := h.call("admins.list", "", c2); !r.OK {
		t.Fatalf("op after sign-in: %+v", r)
	}
}

func TestSignInRotatesSessionID(t *testing.T) {
	h := newHarness(t, nil)
	c1 := h.setup()
	res, r := h.call("signin", `{"admin":"alice","password":"`+testPassword+`"}`, c1)
	if !r.OK {
		t.Fatalf("signin: %+v", r)
	}
	c2 := sessionCookieOf(t, res)
	if c2.Value == c1.Value {
		t.Fatal("session id not rotated on sign-in")
	}
	if _, r := h.call("admins.list", "", c1); r.Code != "not_signed_in" {
		t.Fatalf("the replaced session still works: %+v", r)
	}
	if h.srv.Sessions() != 1 {
		t.Fatalf("sessions: %d", h.srv.Sessions())
	}
	// A forged cookie (right shape, unknown id) is no session.
	forged := &http.Cookie{Name: cookieName, Value: strings.Repeat("A", 43)}
	if _, r := h.call("admins.list", "", forged); r.Code != "not_signed_in" {
		t.Fatalf("forged cookie: %+v", r)
	}
}

func TestSessionsArePerBrowser(t *testing.T) {
	h := newHarness(t, nil)
	ts := httptest.NewServer(h.srv.Handler())
	defer ts.Close()
	browser := func() *http.Client {
		jar, _ := cookiejar.New(nil)
		return &http.Client{Jar: jar}
	}
	post := func(c *http.Client, op, body string) wireReply {
		res, err := c.Post(ts.URL+"/api/call/"+op, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		return readReply(t, res)
	}
	a, b := browser(), browser()
	if r := post(a, "setup", `{"reseller":"Acme","admin":"alice","password":"`+testPassword+`"}`); !r.OK {
		t.Fatalf("setup: %+v", r)
	}
	if r := post(a, "admins.list", ""); !r.OK {
		t.Fatalf("browser a: %+v", r)
	}
	if r := post(b, "admins.list", ""); r.Code != "not_signed_in" {
		t.Fatalf("browser b shares a's session: %+v", r)
	}
	if r := post(b, "signin", `{"admin":"alice","password":"`+testPassword+`"}`); !r.OK {
		t.Fatalf("browser b signin: %+v", r)
	}
	if r := post(b, "signout", ""); !r.OK {
		t.Fatalf("browser b signout: %+v", r)
	}
	if r := post(a, "admins.list", ""); !r.OK {
		t.Fatalf("b's signout signed a out: %+v", r)
	}
}

func TestSecureCookie(t *testing.T) {
	h := newHarness(t, nil)
	ts := httptest.NewTLSServer(h.srv.Handler())
	defer ts.Close()
	res, err := ts.Client().Post(ts.URL+"/api/call/setup", "application/json",
		strings.NewReader(`{"reseller":"Acme","admin":"alice","password":"`+testPassword+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	c := sessionCookieOf(t, res)
	if c.Name != secureCookieName || !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode {
		t.Fatalf("cookie over TLS: %+v", c)
	}
	// The secure cookie works over TLS; the plain name is not looked at.
	for _, tc := range []struct {
		name string
		want string
	}{{secureCookieName, ""}, {cookieName, "not_signed_in"}} {
		rq, _ := http.NewRequest(http.MethodPost, ts.URL+"/api/call/admins.list", strings.NewReader("{}"))
		rq.Header.Set("Content-Type", "application/json")
		rq.AddCookie(&http.Cookie{Name: tc.name, Value: c.Value})
		res, err := ts.Client().Do(rq)
		if err != nil {
			t.Fatal(err)
		}
		r := readReply(t, res)
		res.Body.Close()
		if r.Code != tc.want {
			t.Errorf("cookie %s: %+v", tc.name, r)
		}
	}

	h2 := newHarness(t, func(o *Options) { o.SecureCookies = true })
	if c := h2.setup(); c.Name != secureCookieName || !c.Secure {
		t.Fatalf("SecureCookies on plain HTTP: %+v", c)
	}
}

func TestCrossSiteAndContentType(t *testing.T) {
	h := newHarness(t, nil)
	c := h.setup()
	for _, tc := range []struct {
		name    string
		headers map[string]string
		status  int
		code    string
	}{
		{"same origin fetch", map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": "http://127.0.0.1:8080"}, 200, ""},
		{"no browser headers (curl)", nil, 200, ""},
		{"json with charset", map[string]string{"Content-Type": "application/json; charset=utf-8"}, 200, ""},
		{"cross-site fetch", map[string]string{"Sec-Fetch-Site": "cross-site"}, 403, "cross_site_request"},
		{"same-site fetch", map[string]string{"Sec-Fetch-Site": "same-site"}, 403, "cross_site_request"},
		{"foreign origin", map[string]string{"Origin": "http://evil.example"}, 403, "cross_site_request"},
		{"null origin", map[string]string{"Origin": "null"}, 403, "cross_site_request"},
		{"foreign origin, text/plain form", map[string]string{"Origin": "http://evil.example", "Content-Type": "text/plain"}, 403, "cross_site_request"},
		{"text/plain", map[string]string{"Content-Type": "text/plain"}, 415, "unsupported_media_type"},
		{"form post", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, 415, "unsupported_media_type"},
		{"multipart", map[string]string{"Content-Type": "multipart/form-data; boundary=x"}, 415, "unsupported_media_type"},
		{"no content type", map[string]string{"Content-Type": ""}, 415, "unsupported_media_type"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := h.do(req{path: "/api/call/admins.list", body: "{}", cookie: c, headers: tc.headers})
			r := readReply(t, res)
			if res.StatusCode != tc.status || r.Code != tc.code {
				t.Fatalf("got %d %+v, want %d %q", res.StatusCode, r, tc.status, tc.code)
			}
		})
	}
	// A refused cross-site sign-out leaves the session alone.
	res := h.do(req{path: "/api/call/signout", cookie: c, headers: map[string]string{"Sec-Fetch-Site": "cross-site"}})
	if res.StatusCode != 403 || h.srv.Sessions() != 1 {
		t.Fatalf("cross-site signout: %d, sessions %d", res.StatusCode, h.srv.Sessions())
	}
	for _, m := range []string{http.MethodGet, http.MethodPut, http.MethodDelete} {
		res := h.do(req{method: m, path: "/api/call/status", cookie: c})
		r := readReply(t, res)
		if res.StatusCode != 405 || r.Code != "method_not_allowed" || res.Header.Get("Allow") != "POST" {
			t.Errorf("%s: %d %+v allow %q", m, res.StatusCode, r, res.Header.Get("Allow"))
		}
	}
}

func TestBodyLimit(t *testing.T) {
	h := newHarness(t, func(o *Options) { o.PublicMaxBody = 1 << 10; o.MaxBody = 64 << 10 })
	big := func(n int) string { return `{"text":"` + strings.Repeat("x", n) + `"}` }

	// Without a session only small bodies are read.
	res, r := h.call("status", big(2<<10), nil)
	if res.StatusCode != 413 || r.Code != "request_too_large" {
		t.Fatalf("public body over limit: %d %+v", res.StatusCode, r)
	}
	c := h.setup()
	// Signed in, a body under MaxBody reaches the operation (which judges it).
	res, r = h.call("licenses.import", big(32<<10), c)
	if res.StatusCode == 413 || r.Code == "request_too_large" || r.OK {
		t.Fatalf("body under the limit: %d %+v", res.StatusCode, r)
	}
	res, r = h.call("activation.preview", big(65<<10), c)
	if res.StatusCode != 413 || r.Code != "request_too_large" {
		t.Fatalf("body over the limit: %d %+v", res.StatusCode, r)
	}
	// Without Content-Length (chunked) the limit holds while reading.
	hr := httptest.NewRequest(http.MethodPost, "/api/call/activation.preview", strings.NewReader(big(65<<10)))
	hr.ContentLength = -1
	hr.Header.Set("Content-Type", "application/json")
	hr.AddCookie(c)
	rec := httptest.NewRecorder()
	h.srv.Handler().ServeHTTP(rec, hr)
	if res := rec.Result(); res.StatusCode != 413 || readReply(t, res).Code != "request_too_large" {
		t.Fatalf("chunked body over the limit: %d", res.StatusCode)
	}
	if h.srv.Sessions() != 1 {
		t.Fatal("a refused body dropped the session")
	}
}

// TestImportBodyLimit: a signed-in licenses.import, and only it, may carry
// the largest bundle the document format allows (MaxImportBody), far over
// the 8 MiB of every other operation.
func TestImportBodyLimit(t *testing.T) {
	h := newHarness(t, nil)
	c := h.setup()
	body := `{"text":"` + strings.Repeat("A", DefaultMaxBody+1<<20) + `"}`
	res, r := h.call("licenses.import", body, c)
	if res.StatusCode == 413 || r.Code == "request_too_large" || r.OK {
		t.Fatalf("import of %d bytes: %d %+v", len(body), res.StatusCode, r)
	}
	res, r = h.call("activation.preview", body, c)
	if res.StatusCode != 413 || r.Code != "request_too_large" {
		t.Fatalf("preview of %d bytes: %d %+v", len(body), res.StatusCode, r)
	}
	// signed out, import gets the public limit
	if res, r = h.call("licenses.import", body, nil); res.StatusCode != 413 {
		t.Fatalf("signed-out import: %d %+v", res.StatusCode, r)
	}
	// over MaxImportBody (announced length): refused before reading
	hr := httptest.NewRequest(http.MethodPost, "/api/call/licenses.import", strings.NewReader("{}"))
	hr.ContentLength = MaxImportBody + 1
	hr.Header.Set("Content-Type", "application/json")
	hr.AddCookie(c)
	rec := httptest.NewRecorder()
	h.srv.Handler().ServeHTTP(rec, hr)
	if res := rec.Result(); res.StatusCode != 413 || readReply(t, res).Code != "request_too_large" {
		t.Fatalf("import over MaxImportBody: %d", res.StatusCode)
	}
	// the bound holds the largest armored bundle, every line end escaped as \r\n
	lines := signdoc.MaxBundleSize / 66
	if worst := lines*68 + 64<<10; worst > MaxImportBody {
		t.Fatalf("MaxImportBody %d < %d", MaxImportBody, worst)
	}
}

func TestUnknownOperationAndPaths(t *testing.T) {
	h := newHarness(t, nil)
	for _, op := range []string{"nope", "licenses.delete_everything", "STATUS", "a%00b", ".", "..", strings.Repeat("a", 65), "%E2%98%83"} {
		res := h.do(req{path: "/api/call/" + op, body: "{}"})
		r := readReply(t, res)
		if res.StatusCode != 404 || r.Code != "unknown_operation" {
			t.Errorf("op %q: %d %+v", op, res.StatusCode, r)
		}
	}
	for _, p := range []string{"/api/", "/api/call", "/api/call/", "/api/other/status", "/api/call/status/extra", "/api/call/x%2Fy", "/api", "/api/call/../status"} {
		res := h.do(req{path: p, body: "{}"})
		r := readReply(t, res)
		if res.StatusCode != 404 || (r.Code != "not_found" && r.Code != "unknown_operation") {
			t.Errorf("path %q: %d %+v", p, res.StatusCode, r)
		}
	}
	res, r := h.call("status", `{"surprise":1}`, nil)
	if res.StatusCode != 400 || r.Code != "bad_request" {
		t.Fatalf("unknown field: %d %+v", res.StatusCode, r)
	}
	res, r = h.call("status", `not json`, nil)
	if res.StatusCode != 400 || r.Code != "bad_request" {
		t.Fatalf("not json: %d %+v", res.StatusCode, r)
	}
}

func TestPanicBecomesInternal(t *testing.T) {
	h := newHarness(t, nil)
	c := h.setup()
	res, r := h.call("boom", "{}", c)
	if res.StatusCode != 500 || r.Code != "internal" {
		t.Fatalf("panic: %d %+v", res.StatusCode, r)
	}
	if res.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatal("security headers missing on the panic reply")
	}
	if _, r := h.call("admins.list", "", c); !r.OK {
		t.Fatalf("server or session broken after a panic: %+v", r)
	}
}

func TestStatusOf(t *testing.T) {
	for code, want := range map[string]int{
		"": 200, "not_signed_in": 401, "wrong_password": 401, "forbidden": 403, "account_locked": 429,
		"unknown_operation": 404, "license_not_found": 404, "user_not_found": 404, "bad_request": 400,
		"request_too_large": 413, "email_taken": 409, "license_over_limit": 422, "invalid_email": 422,
		"signature_invalid": 422, "internal": 500,
	} {
		r := wireToReply(code)
		if got := StatusOf(r); got != want {
			t.Errorf("StatusOf(%q) = %d, want %d", code, got, want)
		}
	}
}

func TestSessionIdleExpiry(t *testing.T) {
	h := newHarness(t, func(o *Options) { o.IdleTimeout = time.Minute; o.MaxAge = time.Hour })
	c := h.setup()
	h.clock.Add(50 * time.Second)
	if _, r := h.call("admins.list", "", c); !r.OK {
		t.Fatalf("within the idle time: %+v", r)
	}
	h.clock.Add(50 * time.Second) // 50 s since the last use: still alive
	if _, r := h.call("admins.list", "", c); !r.OK {
		t.Fatalf("use refreshes the idle time: %+v", r)
	}
	h.clock.Add(61 * time.Second)
	res, r := h.call("admins.list", "", c)
	if r.Code != "not_signed_in" || sessionCookieOf(t, res).MaxAge >= 0 || h.srv.Sessions() != 0 {
		t.Fatalf("after the idle time: %+v, sessions %d", r, h.srv.Sessions())
	}

	// MaxAge ends even a busy session.
	c = h.signIn()
	for i := 0; i < 70; i++ {
		h.clock.Add(55 * time.Second)
		if _, r := h.call("status", "", c); !r.OK {
			t.Fatal(r)
		}
	}
	if _, r := h.call("admins.list", "", c); r.Code != "not_signed_in" {
		t.Fatalf("past MaxAge: %+v", r)
	}
}

func TestSessionCap(t *testing.T) {
	h := newHarness(t, func(o *Options) { o.MaxSessions = 2 })
	c1 := h.setup()
	h.clock.Add(time.Second)
	c2 := h.signIn()
	h.clock.Add(time.Second)
	h.call("status", "", c1) // c1 is now more recently used than c2
	h.clock.Add(time.Second)
	c3 := h.signIn()
	if h.srv.Sessions() != 2 {
		t.Fatalf("sessions: %d", h.srv.Sessions())
	}
	for _, tc := range []struct {
		c    *http.Cookie
		live bool
	}{{c1, true}, {c2, false}, {c3, true}} {
		_, r := h.call("admins.list", "", tc.c)
		if r.OK != tc.live {
			t.Errorf("cookie %s…: ok=%v, want %v", tc.c.Value[:6], r.OK, tc.live)
		}
	}
}

func TestCloseSignsEveryoneOut(t *testing.T) {
	h := newHarness(t, nil)
	h.setup()
	h.signIn()
	if err := h.srv.Close(); err != nil {
		t.Fatal(err)
	}
	if h.srv.Sessions() != 0 {
		t.Fatalf("sessions after Close: %d", h.srv.Sessions())
	}
	res, r := h.call("status", "", nil)
	if res.StatusCode != 503 || r.Code != "server_closing" {
		t.Fatalf("call after Close: %d %+v", res.StatusCode, r)
	}
	if res := h.do(req{method: http.MethodGet, path: "/healthz"}); res.StatusCode != 503 {
		t.Fatalf("healthz after Close: %d", res.StatusCode)
	}
}

func TestPasswordOpsAreBounded(t *testing.T) {
	h := newHarness(t, func(o *Options) { o.PasswordOps = 1 })
	h.setup()
	h.srv.pwSem <- struct{}{} // the one slot is taken
	done := make(chan wireReply, 1)
	go func() {
		_, r := h.call("signin", `{"admin":"alice","password":"`+testPassword+`"}`, nil)
		done <- r
	}()
	select {
	case r := <-done:
		t.Fatalf("sign-in ran past the bound: %+v", r)
	case <-time.After(100 * time.Millisecond):
	}
	<-h.srv.pwSem
	if r := <-done; !r.OK {
		t.Fatalf("sign-in after the slot freed: %+v", r)
	}
}

func TestLogNeverCarriesRawPathBytes(t *testing.T) {
	logs := &syncBuffer{}
	h := newHarness(t, func(o *Options) { o.Log = log.New(logs, "", 0) })
	h.do(req{method: http.MethodGet, path: "/api/call/x%0Aapi%20signin:%20200%20ok"})
	h.do(req{path: "/api/call/bad%0Aline", body: "{}", headers: map[string]string{"Content-Type": "text/plain"}})
	h.call("signin", `{"admin":"nobody","password":"secret-password-123"}`, nil)
	out := logs.String()
	if strings.Count(out, "\n") != 3 || strings.Contains(out, "secret-password") || !strings.Contains(out, "api ?: 405") {
		t.Fatalf("log:\n%s", out)
	}
}
