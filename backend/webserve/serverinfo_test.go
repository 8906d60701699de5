package webserve

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/resellerportal/portal/backend/rpc"
)

// server.info tells a signed-in browser how it reached the server: over TLS
// or not, the port, and the custom domain allowed at start; anonymous
// callers get not_signed_in.
func TestServerInfo(t *testing.T) {
	h := newHarness(t, func(o *Options) { o.Domain = "portal.example.test" })
	if _, r := h.call("server.info", "", nil); r.Code != "not_signed_in" {
		t.Fatalf("anonymous server.info: %+v", r)
	}

	get := func(ts *httptest.Server, cookie *http.Cookie) rpc.ServerInfo {
		t.Helper()
		rq, _ := http.NewRequest(http.MethodPost, ts.URL+"/api/call/server.info", strings.NewReader("{}"))
		rq.Header.Set("Content-Type", "application/json")
		rq.AddCookie(cookie)
		res, err := ts.Client().Do(rq)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		r := readReply(t, res)
		var info rpc.ServerInfo
		if !r.OK || json.Unmarshal(r.Data, &info) != nil {
			t.Fatalf("server.info: %+v", r)
		}
		return info
	}
	portOf := func(ts *httptest.Server) int {
		u, _ := url.Parse(ts.URL)
		p, _ := strconv.Atoi(u.Port())
		return p
	}

	plain := httptest.NewServer(h.srv.Handler())
	defer plain.Close()
	cookie := h.setup()
	want := rpc.ServerInfo{Serving: true, Domain: "portal.example.test", Port: portOf(plain)}
	if got := get(plain, cookie); got != want {
		t.Fatalf("plain: %+v, want %+v", got, want)
	}

	tlsSrv := httptest.NewTLSServer(h.srv.Handler())
	defer tlsSrv.Close()
	res, err := tlsSrv.Client().Post(tlsSrv.URL+"/api/call/signin", "application/json",
		strings.NewReader(`{"admin":"alice","password":"`+testPassword+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	want = rpc.ServerInfo{Serving: true, TLS: true, Domain: "portal.example.test", Port: portOf(tlsSrv)}
	if got := get(tlsSrv, sessionCookieOf(t, res)); got != want {
		t.Fatalf("TLS: %+v, want %+v", got, want)
	}

	// behind a TLS proxy (SecureCookies on plain HTTP)
	h2 := newHarness(t, func(o *Options) { o.SecureCookies = true })
	proxied := httptest.NewServer(h2.srv.Handler())
	defer proxied.Close()
	want = rpc.ServerInfo{Serving: true, ProxyTLS: true, Port: portOf(proxied)}
	if got := get(proxied, h2.setup()); got != want {
		t.Fatalf("proxied: %+v, want %+v", got, want)
	}
}
