package webserve

import (
	"bytes"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/resellerportal/portal/backend/portal"
	"github.com/resellerportal/portal/backend/rpc"
	"github.com/resellerportal/portal/backend/seal"
)

// fuzzSkipped are operations that touch files on the server's machine by a
// path in the body (a fuzzer must not write backups into the source tree) or
// that would lock the fuzzer out of its own admin account.
var fuzzSkipped = map[string]bool{
	"backup.create": true, "backup.restore": true, "activation.batch": true, "admins.passwd": true, "admins.remove": true,
}

// syncBuffer is a log sink safe for concurrent handlers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// FuzzCall feeds random operation names, bodies and content types through
// the whole HTTP handler, signed in or not: no panic ever, and every answer
// is exactly one well-formed reply whose HTTP status matches its code.
func FuzzCall(f *testing.F) {
	seeds := []struct {
		op, body string
		signedIn bool
	}{
		{"status", "{}", false},
		{"status", "", true},
		{"signin", `{"admin":"alice","password":"` + testPassword + `"}`, false},
		{"signin", `{"admin":"alice","password":""}`, false},
		{"setup", `{"reseller":"R","admin":"a","password":"12345678"}`, false},
		{"signout", "{}", true},
		{"licenses.list", `{"limit":5,"status":"available","search":"AB"}`, true},
		{"licenses.show", `{"key":"NOPE"}`, true},
		{"users.create", `{"name":"Bob","email":"bob@example.com"}`, true},
		{"orgs.create", `{"name":"Org"}`, true},
		{"activation.preview", `{"text":"-----BEGIN RP ACTIVATION REQUEST-----\nAAAA\n-----END RP ACTIVATION REQUEST-----\n"}`, true},
		{"activation.activate", `{"image":"iVBORw0KGgo="}`, true},
		{"settings.update", `{"company":"Acme"}`, true},
		{"audit.list", `{"offset":-1,"limit":1000000}`, true},
		{"nope", "[]", true},
		{"", "", false},
		{"a/b", "null", true},
		{"status", `{"x":` + strings.Repeat("[", 5000), false},
	}
	for _, s := range seeds {
		f.Add(s.op, []byte(s.body), s.signedIn, "application/json")
	}
	f.Add("status", []byte("{}"), false, "text/plain")
	f.Add("signin", []byte("admin=alice"), false, "application/x-www-form-urlencoded")

	p, err := portal.Open(filepath.Join(f.TempDir(), "portal.db"),
		portal.WithKDF(seal.TestParams), portal.WithSignInDelay(0), portal.WithNoSync())
	if err != nil {
		f.Fatal(err)
	}
	logs := &syncBuffer{}
	srv := New(rpc.New(p), Options{Static: testUI(), PublicMaxBody: 4 << 10, MaxBody: 64 << 10, Log: log.New(logs, "", 0)})
	f.Cleanup(func() {
		srv.Close()
		p.Close()
	})
	if _, err := p.Setup("Acme", "alice", testPassword); err != nil {
		f.Fatal(err)
	}
	var mu sync.Mutex
	var cookie *http.Cookie
	signedIn := func(t *testing.T) *http.Cookie {
		mu.Lock()
		defer mu.Unlock()
		if cookie != nil && srv.Sessions() > 0 {
			return cookie
		}
		hr := httptest.NewRequest(http.MethodPost, "/api/call/signin", strings.NewReader(`{"admin":"alice","password":"`+testPassword+`"}`))
		hr.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, hr)
		res := rec.Result()
		cookie = nil
		for _, c := range res.Cookies() {
			if c.Name == cookieName {
				cookie = c
			}
		}
		return cookie
	}

	f.Fuzz(func(t *testing.T, op string, body []byte, withSession bool, ctype string) {
		if fuzzSkipped[op] {
			t.Skip()
		}
		hr := httptest.NewRequest(http.MethodPost, "/api/call/"+url.PathEscape(op), bytes.NewReader(body))
		hr.Header.Set("Content-Type", ctype)
		if withSession {
			if c := signedIn(t); c != nil {
				hr.AddCookie(c)
			}
		}
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, hr)
		res := rec.Result()
		r := readReply(t, res)
		if got, want := res.StatusCode, StatusOf(wireToReply(r.Code)); got != want {
			t.Fatalf("op %q: HTTP %d for code %q (want %d)", op, got, r.Code, want)
		}
		if strings.Contains(logs.String(), "panic") {
			t.Fatalf("op %q body %q: a panic was recovered:\n%s", op, body, logs.String())
		}
	})
}
